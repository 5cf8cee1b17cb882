"""Name normalisation, identical at index time and at query time.

A name becomes a list of lowercase ASCII tokens. The rules come from how names really reach a
border: airlines write them in ICAO 9303 style (A-Z only, Ü as UE, Cyrillic by the ICAO table,
Arabic by each issuing State's habits), lists write them with diacritics or in the original
script. So every token keeps two Latin forms when they differ (diacritics stripped and ICAO
folded), and non-Latin scripts are romanised here, the token-level comparison (phonetic codes,
consonant skeletons, typo distance) absorbing the remaining scheme differences.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

# ICAO 9303 Part 3 table for Latin letters that do not just lose a diacritic.
_ICAO_LATIN = {
    "ä": "ae",
    "å": "aa",
    "ö": "oe",
    "ø": "oe",
    "ü": "ue",
    "ß": "ss",
    "þ": "th",
    "æ": "ae",
    "œ": "oe",
    "ĳ": "ij",
    "đ": "d",
    "ł": "l",
    "ı": "i",
}
# Letters NFKD does not decompose, for the diacritics-stripped form.
_STRIP_LATIN = {"ø": "o", "ß": "ss", "þ": "th", "æ": "ae", "œ": "oe", "đ": "d", "ł": "l", "ı": "i"}

# ICAO 9303 (2013) Cyrillic transliteration, as Russian and Ukrainian passports print it.
_ICAO_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia", "і": "i",
    "ї": "i", "є": "ie", "ґ": "g", "ў": "u",
}  # fmt: skip

# Honorifics and titles, including those airlines append to the given name (JOHN MR).
TITLES = frozenset(
    """mr mrs ms miss mstr master mx dr prof sir dame lord lady rev fr sr sra srta mme mlle
    herr frau hr sheikh shaikh sheik shaykh mullah mulla maulana maulvi smt chd inf
    president praesident prasident presidente general gen colonel col major maj captain capt
    minister ambassador senator governor judge king queen prince princess emir""".split()
)
# Legal forms and joining words of organisation names: kept, but weighted like particles, and
# abbreviations written out so that LTD meets LIMITED and CORP meets CORPORATION.
ORG_WORDS = frozenset(
    """limited llc inc incorporated corporation company ag sa gmbh plc jsc ojsc oao ooo pjsc
    cjsc zao pao bv nv spa srl sarl kg oy ab sp zoo ltda sas llp lp group holding holdings the
    of and for und et""".split()
)
SYNONYMS = {
    "ltd": "limited", "corp": "corporation", "co": "company", "intl": "international",
    "int": "international", "1st": "first", "mfg": "manufacturing", "bros": "brothers",
    "assn": "association", "dept": "department", "univ": "university", "natl": "national",
    "svcs": "services", "srvces": "services", "tech": "technology", "comm": "communications",
    "grp": "group", "hldgs": "holdings", "mgmt": "management",
}  # fmt: skip
# Particles that carry little identity: they count for less in alignment and never retrieve.
PARTICLES = (
    frozenset(
        """al el ul ad ar as ash at az bin ibn ben bint bent abu abou de del della der di da das
    do dos du la le van von vander ter ten y e mac""".split()
    )
    | ORG_WORDS
)

_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
# Apostrophes and dots vanish inside a word (O'BRIEN, U.S.A.); everything else splits.
_JOINERS = re.compile(r"['’ʼ`´.]")
_SPLIT = re.compile(r"[^a-z0-9]+")
# Names glued together (SergeiLavrov, SiemensAG): two lower-case letters then a capital
# starting a word or an all-capital ending. One lower-case letter is a prefix (McDonald).
_GLUED = re.compile(r"(?<=[a-z]{2})(?=[A-Z][a-z])|(?<=[a-z]{3})(?=[A-Z]{2,}\b)")


@dataclass(frozen=True, slots=True)
class NormalName:
    """A normalised name: tokens in order, their ICAO forms where different, and flags."""

    tokens: tuple[str, ...]
    icao: tuple[str, ...]  # same length; equal to the token when folding changes nothing
    truncated: bool = False  # an MRZ name that filled its field: the last token may be cut

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


def _script_of(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else ""


def _romanise_run(text: str) -> str:
    """Romanise non-Latin text: ICAO for Cyrillic, anyascii (split per syllable) otherwise."""
    out: list[str] = []
    for char in text:
        lower = char.lower()
        if lower in _ICAO_CYRILLIC:
            mapped = _ICAO_CYRILLIC[lower]
            out.append(mapped.upper() if char != lower and mapped else mapped)
        elif ord(char) < 0x250:
            out.append(char)
        else:
            script = _script_of(char)
            if script == "ARABIC":
                out.append(_arabic(char))
            else:
                roman = anyascii(char)
                # Han and Hangul come back as one capitalised syllable per character
                # (ZhangWei); keep a space so that syllables stay separable tokens.
                if script in ("CJK", "HANGUL") and roman:
                    roman = roman + " "
                out.append(roman)
    return "".join(out)


# Arabic letters whose anyascii form misleads a Latin comparison: hamza carriers read as
# apostrophes, ta marbuta as "h", alif maqsura as "y".
_ARABIC = {"ة": "a", "ى": "a", "ء": "", "أ": "a", "إ": "i", "آ": "a", "ؤ": "u", "ئ": "i"}


def _arabic(char: str) -> str:
    return _ARABIC.get(char) if char in _ARABIC else anyascii(char)  # type: ignore[return-value]


def _strip_arabic_article(text: str) -> str:
    # "التكريتي" → "ال تكريتي": the article becomes its own particle token, as lists write it.
    return re.sub(r"(^|\s)ال(?=\S{2,})", r"\1al ", text)


def _latin_forms(word: str) -> tuple[str, str]:
    """(diacritics stripped, ICAO folded) forms of a lowercase word."""
    icao_chars: list[str] = []
    strip_chars: list[str] = []
    for char in word:
        if char in _ICAO_LATIN:
            icao_chars.append(_ICAO_LATIN[char])
            strip_chars.append(_STRIP_LATIN.get(char) or _decompose(char))
        else:
            plain = _decompose(char)
            icao_chars.append(plain)
            strip_chars.append(plain)
    return "".join(strip_chars), "".join(icao_chars)


def _decompose(char: str) -> str:
    if char.isascii():
        return char
    return "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))


@lru_cache(maxsize=200_000)
def normalize(text: str, *, keep_titles: bool = False) -> NormalName:
    """Normalise a free-text name (any script, any order) into tokens."""
    text = _JOINERS.sub("", _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)))
    text = _GLUED.sub(" ", text)
    if any(ord(c) >= 0x250 for c in text):
        if any("\u0600" <= c <= "\u06ff" for c in text):
            text = _strip_arabic_article(text)
        text = _romanise_run(text)
    text = text.casefold()
    tokens: list[str] = []
    icao: list[str] = []
    for word in text.split():
        stripped, folded = _latin_forms(word)
        parts = [p for p in _SPLIT.split(stripped) if p]
        folded_parts = [p for p in _SPLIT.split(folded) if p]
        if len(folded_parts) != len(parts):
            folded_parts = parts
        for part, fold in zip(parts, folded_parts, strict=True):
            if not keep_titles and part in TITLES:
                continue
            part = SYNONYMS.get(part, part)
            tokens.append(part)
            icao.append(SYNONYMS.get(fold, fold))
    return NormalName(tuple(tokens), tuple(icao))


def split_mrz(field: str, width: int = 39) -> tuple[NormalName, NormalName, bool]:
    """An MRZ name field (SURNAME<<GIVEN<NAMES) as (family, given, possibly truncated)."""
    clean = field.strip().upper()
    truncated = len(clean) >= width and not clean.endswith("<")
    surname, _, given = clean.partition("<<")
    return normalize(surname.replace("<", " ")), normalize(given.replace("<", " ")), truncated


def normalize_mrz(field: str, width: int = 39) -> NormalName:
    """Normalise an MRZ name field, flagging possible truncation."""
    family, given, truncated = split_mrz(field, width)
    return NormalName(family.tokens + given.tokens, family.icao + given.icao, truncated=truncated)


def fold_document(number: str) -> str:
    """A document number as compared: uppercase letters and digits only."""
    # ASCII only: documents print A-Z and 0-9; anything else is a keying artefact.
    text = unicodedata.normalize("NFKD", number).upper()
    return "".join(c for c in text if c.isascii() and c.isalnum())


# Characters an OCR reader or a typist confuses on a travel document.
_OCR = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "S": "5", "B": "8",
                      "Z": "2", "G": "6"})  # fmt: skip


def ocr_fold(number: str) -> str:
    """The OCR-folded form of a folded document number (O/0, I/1, S/5, B/8 ...)."""
    return number.translate(_OCR)
