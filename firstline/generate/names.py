"""Synthetic names by culture, written as airlines send them (ICAO Doc 9303 transliteration).

`data/names.csv` holds common given names and surnames of each culture in their own spelling
and script (Cyrillic for Russian and Bulgarian, Latin with its accents elsewhere, Hepburn with
macrons for Japanese, pinyin and Hong Kong or Singapore spellings for Chinese), most common
first. `transliterate` turns them into the upper-case Latin letters of a machine-readable zone
the way airline systems do (Ö → OE, Å → AA, ß → SS, Ж → ZH, other accents dropped).

Draws follow a Zipf-like skew over that rank order, as real name frequencies do: the common
names (García, Müller, Wang, Kumar, Mohammed) recur, while the long tail keeps two unrelated
travellers from sharing a full name more often than they would in real traffic. Some names
are built the way the culture builds them: Spanish travellers often carry both surnames and
Chinese given names are often two syllables put together. Combinations are drawn at random,
so no entry stands for a real person.
"""

from __future__ import annotations

import csv
import random
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from importlib import resources
from itertools import accumulate

# ICAO 9303 part 3 recommended transliterations that are not a plain accent removal.
_ICAO = {
    "Ä": "AE", "Ö": "OE", "Ü": "UE", "ß": "SS", "ẞ": "SS", "Å": "AA", "Æ": "AE", "Ø": "OE",
    "Þ": "TH", "Ð": "D", "Đ": "D", "Ł": "L", "Œ": "OE", "İ": "I", "Ħ": "H",
    # Cyrillic (ICAO 9303 part 3, table B; the soft sign is dropped).
    "А": "A", "Б": "B", "В": "V", "Г": "G", "Д": "D", "Е": "E", "Ё": "E", "Ж": "ZH",
    "З": "Z", "И": "I", "Й": "I", "К": "K", "Л": "L", "М": "M", "Н": "N", "О": "O",
    "П": "P", "Р": "R", "С": "S", "Т": "T", "У": "U", "Ф": "F", "Х": "KH", "Ц": "TS",
    "Ч": "CH", "Ш": "SH", "Щ": "SHCH", "Ъ": "IE", "Ы": "Y", "Ь": "", "Э": "E", "Ю": "IU",
    "Я": "IA", "Є": "IE", "І": "I", "Ї": "I", "Ґ": "G",
}  # fmt: skip

# Nationalities of each culture (ISO 3166 alpha-3).
_NATIONALITIES = {
    "english": ["GBR", "IRL", "USA", "CAN", "AUS"],
    "spanish": ["ESP", "MEX", "ARG", "COL", "PER"],
    "german": ["DEU", "AUT", "CHE"],
    "nordic": ["SWE", "NOR", "DNK", "FIN"],
    "slavic": ["POL", "CZE", "HUN", "GRC"],
    "arabic": ["EGY", "MAR", "TUN", "ARE", "QAT"],
    "chinese": ["CHN", "SGP", "HKG"],
    "japanese": ["JPN"],
    "indian": ["IND"],
    "turkish": ["TUR"],
    "french": ["FRA", "BEL", "CHE"],
}

# Zipf-Mandelbrot weight of the name at rank r (from 1): 1 / (r + shift) ** _EXPONENT. The
# exponent gives the long tail; the shift flattens the head so that the commonest name of a
# culture is a few per cent of its people (García, Müller, Smith), except where real names
# are that concentrated: the few commonest Chinese surnames (Wang, Li, Zhang) and Mohammed.
_EXPONENT = 1.0
_SHIFT = 10.0
_SHIFTS = {("chinese", "surname"): 3.0, ("arabic", "male"): 6.0}
SPANISH_BOTH_SURNAMES = 0.45  # share of Spanish-culture travellers sent with both surnames
CHINESE_BUILT_GIVEN = 0.5  # share of Chinese given names put together from two syllables


def transliterate(name: str) -> str:
    """`name` in the upper-case Latin letters of ICAO 9303 (`Müller` → `MUELLER`)."""
    out = []
    for char in name.upper():
        mapped = _ICAO.get(char)
        if mapped is None:
            decomposed = unicodedata.normalize("NFKD", char)
            mapped = "".join(c for c in decomposed if not unicodedata.combining(c))
        out.append(mapped)
    return "".join(out).replace("ı", "I")


@dataclass(frozen=True, slots=True)
class _Pool:
    """Transliterated names, most common first, with their cumulative Zipf weights."""

    names: tuple[str, ...]
    cumulative: tuple[float, ...]

    @classmethod
    def of(cls, native: list[str], shift: float = _SHIFT) -> _Pool:
        weights: dict[str, float] = {}  # spellings that meet after transliteration add up
        for rank, name in enumerate(native, start=1):
            sent = transliterate(name)
            weights[sent] = weights.get(sent, 0.0) + 1 / (rank + shift) ** _EXPONENT
        return cls(tuple(weights), tuple(accumulate(weights.values())))

    def draw(self, rng: random.Random) -> str:
        return self.names[bisect_right(self.cumulative, rng.random() * self.cumulative[-1])]


def _read() -> dict[str, dict[str, list[str]]]:
    """culture -> kind (surname, male, female, male_part, female_part) -> native names."""
    path = resources.files("firstline.generate").joinpath("data").joinpath("names.csv")
    text = path.read_text("utf-8")
    lists: dict[str, dict[str, list[str]]] = {}
    for row in csv.DictReader(text.splitlines()):
        lists.setdefault(row["culture"], {}).setdefault(row["kind"], []).append(row["name"])
    return lists


_NATIVE = _read()
_POOLS = {
    culture: {
        kind: _Pool.of(native, _SHIFTS.get((culture, kind), _SHIFT))
        for kind, native in kinds.items()
    }
    for culture, kinds in _NATIVE.items()
}

# culture -> (surnames, male given names, female given names, nationalities), transliterated
CULTURES = {
    culture: (
        list(_POOLS[culture]["surname"].names),
        list(_POOLS[culture]["male"].names),
        list(_POOLS[culture]["female"].names),
        _NATIONALITIES[culture],
    )
    for culture in _NATIVE
}
CULTURE_NAMES = sorted(CULTURES)


@dataclass(frozen=True, slots=True)
class Name:
    surname: str
    given: str
    gender: str  # M or F


def culture_for(rng: random.Random, country3: str) -> str:
    """A culture whose nationalities include `country3` most of the time, else any."""
    local = [c for c in CULTURE_NAMES if country3 in CULTURES[c][3]]
    if local and rng.random() < 0.6:
        return rng.choice(local)
    return rng.choice(CULTURE_NAMES)


def nationality(rng: random.Random, culture: str) -> str:
    return rng.choice(CULTURES[culture][3])


def surname(rng: random.Random, culture: str) -> str:
    pool = _POOLS[culture]["surname"]
    family = pool.draw(rng)
    if culture == "spanish" and rng.random() < SPANISH_BOTH_SURNAMES:
        mother = pool.draw(rng)  # the mother's first surname
        if mother != family:
            return f"{family} {mother}"
    return family


def given_name(rng: random.Random, culture: str, gender: str) -> str:
    pools = _POOLS[culture]
    male = gender == "M"
    if culture == "chinese" and rng.random() < CHINESE_BUILT_GIVEN:
        parts = pools["male_part" if male else "female_part"]
        return parts.draw(rng) + parts.draw(rng)  # XIU + YING, sent as XIUYING
    return pools["male" if male else "female"].draw(rng)
