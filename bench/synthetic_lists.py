"""Synthetic watchlists and traveller queries for the screening benchmarks.

List entries are the real UN consolidated list grown with synthetic persons. Synthetic names are
recombined from *one half* of the yente negatives (the other half are the traveller queries, so a
query person is never on the list) and from the traffic generator's culture pools
(`firstline.generate.names`), drawn with Zipf weights so that common given names and surnames
repeat as they do on real lists, and respelled now and then (transliteration drift: OU/U, Y/I,
KH/H, doubled letters...) so that a million entries carry a long tail of rare tokens. Non-Latin
names are published romanised (anyascii), some with the original script as an extra name.
Entries get dates of birth (some year only, some ranges), alpha-3 nationalities, aliases, weak
aliases and passport numbers. Everything is seeded: the same seed gives the same stream, and a
list of size N is a prefix of the list of size M > N.
"""

from __future__ import annotations

import bisect
import csv
import itertools
import random
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from anyascii import anyascii

from firstline.generate.names import CULTURES
from firstline.model.watchlist import (
    EntrySchema,
    ListedDate,
    ListedDocument,
    ListedName,
    ListEntry,
    NameKind,
    Rejection,
)
from firstline.screening.matcher import Query
from firstline.watchlists.countries import to_alpha3

UN_LIST = Path("/work/shared/watchlists/un/un_consolidated_2026-02-27.xml")
NEGATIVES = Path("/work/shared/watchlists/benchmarks/yente_negatives_global.csv")
UN_LIST_KEY = 1
SYNTHETIC_LIST_KEY = 2

# Transliteration drift applied to a drawn token now and then (grows a realistic rare tail).
_RESPELL = [
    ("ou", "u"), ("u", "ou"), ("y", "i"), ("i", "y"), ("kh", "h"), ("h", "kh"), ("ph", "f"),
    ("f", "ph"), ("ee", "i"), ("oo", "u"), ("j", "dj"), ("dj", "j"), ("sh", "ch"), ("ch", "sh"),
    ("q", "k"), ("k", "q"), ("w", "v"), ("v", "w"), ("e", "a"), ("a", "e"), ("c", "k"),
    ("z", "s"), ("s", "z"), ("th", "t"), ("t", "th"), ("ie", "y"), ("mm", "m"), ("m", "mm"),
    ("ll", "l"), ("l", "ll"), ("tt", "t"), ("n", "nn"), ("ss", "s"), ("r", "rr"),
]  # fmt: skip
_SUFFIXES = ["a", "ov", "ova", "i", "y", "e", "o", "son", "ic", "ski", "ian", "ani", "ullah"]
_NICKNAMES = ["Abu", "Umm", "Al", "El", "Big", "Little", "Doctor", "Haji", "Sheikh", "Commander"]
_PASSPORT_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


def _script(text: str) -> str:
    for char in text:
        if char.isalpha():
            return unicodedata.name(char, "?").split(" ", 1)[0]
    return "?"


def _title_latin(text: str) -> str:
    text = anyascii(text).replace("`", "").strip()
    return " ".join(w[:1].upper() + w[1:] for w in text.split())


@dataclass(slots=True)
class _Pool:
    """Names of one script, ranked by frequency, with cumulative Zipf weights for drawing."""

    names: list[str]
    cumulative: list[float]

    @classmethod
    def of(cls, counts: Counter[str], exponent: float) -> _Pool:
        ranked = [name for name, _ in counts.most_common()]
        weights = [1.0 / (rank + 2) ** exponent for rank in range(len(ranked))]
        return cls(ranked, list(itertools.accumulate(weights)))

    def draw(self, rng: random.Random) -> str:
        value = rng.random() * self.cumulative[-1]
        return self.names[bisect.bisect_left(self.cumulative, value)]


def load_negatives(path: Path = NEGATIVES) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def split_negatives(
    rows: list[dict[str, str]], seed: int = 7
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """(query half, name-pool half): disjoint, deterministic."""
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    half = len(order) // 2
    return [rows[i] for i in order[:half]], [rows[i] for i in order[half:]]


class SyntheticPersons:
    """A seeded stream of synthetic person entries."""

    def __init__(self, pool_rows: list[dict[str, str]], seed: int = 20260227) -> None:
        self.seed = seed
        by_script_given: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        by_script_family: dict[str, Counter[str]] = defaultdict(Counter)
        self.templates: list[tuple[str, str, str | None]] = []  # (script, gender, alpha-3)
        for row in pool_rows:
            script = _script(row["full_name"])
            gender = {"male": "M", "female": "F"}.get(row["gender"], "X")
            if row["first_name"]:
                by_script_given[(script, gender)][row["first_name"]] += 1
            if row["middle_name"]:
                by_script_given[(script, gender)][row["middle_name"]] += 1
            if row["last_name"]:
                by_script_family[script][row["last_name"]] += 1
            self.templates.append((script, gender, to_alpha3(row["nationality"])))
        # The traffic generator's culture pools, as a script of their own.
        for surnames, males, females, _nats in CULTURES.values():
            for name in surnames:
                by_script_family["CULTURE"][name.title()] += 20
            for name in males:
                by_script_given[("CULTURE", "M")][name.title()] += 20
            for name in females:
                by_script_given[("CULTURE", "F")][name.title()] += 20
        self.culture_nats = sorted({n for c in CULTURES.values() for n in c[3]})
        self.given = {k: _Pool.of(v, 1.05) for k, v in by_script_given.items()}
        self.family = {k: _Pool.of(v, 1.0) for k, v in by_script_family.items()}
        everyone: Counter[str] = Counter()
        for counts in by_script_given.values():
            everyone.update(counts)
        self.any_given = _Pool.of(everyone, 1.05)
        self.nationalities = sorted({t[2] for t in self.templates if t[2]})

    # -- pieces -----------------------------------------------------------------------------

    def _given(self, rng: random.Random, script: str, gender: str) -> str:
        pool = self.given.get((script, gender)) or self.given.get((script, "M")) or self.any_given
        return pool.draw(rng)

    @staticmethod
    def _respell(rng: random.Random, token: str) -> str:
        lower = token.lower()
        if rng.random() < 0.25:
            lower += rng.choice(_SUFFIXES)
        else:
            for _ in range(3):
                old, new = rng.choice(_RESPELL)
                at = lower.find(old, 1)
                if at > 0:
                    lower = lower[:at] + new + lower[at + len(old) :]
                    break
            else:
                lower += rng.choice(_SUFFIXES)
        return lower[:1].upper() + lower[1:]

    def _latin(self, rng: random.Random, token: str, respell: float) -> str:
        latin = _title_latin(token)
        if latin and rng.random() < respell:
            words = latin.split()
            words[-1] = self._respell(rng, words[-1])
            latin = " ".join(words)
        return latin

    @staticmethod
    def _birth_date(rng: random.Random) -> list[ListedDate]:
        year = rng.randint(1940, 2004)
        roll = rng.random()
        if roll < 0.08:
            return []
        if roll < 0.30:
            return [ListedDate(year)]  # year only, as lists often give
        if roll < 0.35:
            return [ListedDate(year, to_year=year + rng.randint(1, 4))]
        dates = [ListedDate(year, rng.randint(1, 12), rng.randint(1, 28))]
        if rng.random() < 0.07:
            dates.append(ListedDate(year + rng.choice((-1, 1)), rng.randint(1, 12), 1))
        return dates

    @staticmethod
    def _passport(rng: random.Random, country: str | None) -> ListedDocument:
        number = "".join(rng.choice(_PASSPORT_LETTERS) for _ in range(rng.choice((1, 2))))
        number += "".join(rng.choice("0123456789") for _ in range(rng.choice((6, 7, 8))))
        return ListedDocument(number=number, type="passport", country=country)

    # -- entries ----------------------------------------------------------------------------

    def entry(self, number: int) -> ListEntry:
        """Entry `number` of the stream (its own seeded generator: any slice is reproducible)."""
        rng = random.Random(self.seed * 1_000_003 + number)
        if rng.random() < 0.12:
            script = "CULTURE"
            gender = rng.choice("MF")
            nationality: str | None = rng.choice(self.culture_nats)
        else:
            script, gender, nationality = rng.choice(self.templates)
            if gender == "X":
                gender = rng.choice("MF")
        native_given = self._given(rng, script, gender)
        native_middle = self._given(rng, script, gender) if rng.random() < 0.35 else None
        family_pool = self.family.get(script) or self.family["LATIN"]
        native_family = family_pool.draw(rng)
        if rng.random() < 0.08:  # a compound or second surname
            native_family += " " + family_pool.draw(rng)
        respell = 0.18
        given = self._latin(rng, native_given, respell)
        middle = self._latin(rng, native_middle, respell) if native_middle else None
        family = self._latin(rng, native_family, respell)
        given_full = f"{given} {middle}" if middle else given
        if not family:
            family = self._latin(rng, family_pool.draw(rng), 0.0) or "Unknown"
        names = [
            ListedName(
                full=f"{given_full} {family}".strip(),
                kind=NameKind.PRIMARY,
                given=given_full or None,
                family=family,
            )
        ]
        if script not in ("LATIN", "CULTURE", "?") and rng.random() < 0.3:
            original = " ".join(x for x in (native_family, native_given, native_middle) if x)
            names.append(ListedName(full=original, kind=NameKind.ORIGINAL_SCRIPT))
        roll = rng.random()
        if roll < 0.30:  # one to three aliases: respellings, swaps, another given name
            for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
                kind_roll = rng.random()
                if kind_roll < 0.55:
                    alias = f"{self._latin(rng, native_given, 1.0)} {family}"
                elif kind_roll < 0.75:
                    alias = f"{given_full} {self._latin(rng, native_family, 1.0)}"
                elif kind_roll < 0.9:
                    alias = f"{self._given(rng, 'LATIN', gender)} {family}"
                else:
                    alias = f"{family} {given}"
                names.append(ListedName(full=alias.strip(), kind=NameKind.ALIAS))
        if rng.random() < 0.06:
            weak = f"{rng.choice(_NICKNAMES)} {self._latin(rng, self.any_given.draw(rng), 0.2)}"
            names.append(ListedName(full=weak, kind=NameKind.WEAK_ALIAS))
        nationalities = [nationality] if nationality else []
        if rng.random() < 0.1:
            nationalities.append(rng.choice(self.nationalities))
        if rng.random() < 0.05:
            nationalities = []
        documents = [self._passport(rng, nationality)] if rng.random() < 0.25 else []
        if documents and rng.random() < 0.1:
            documents.append(self._passport(rng, nationality))
        return ListEntry(
            source_id=f"SYN-{number:07d}",
            schema=EntrySchema.PERSON,
            names=names,
            birth_dates=self._birth_date(rng),
            nationalities=list(dict.fromkeys(nationalities)),
            gender=gender if rng.random() < 0.92 else None,
            documents=documents,
        )

    def stream(self, count: int, start: int = 0) -> Iterator[ListEntry]:
        for number in range(start, start + count):
            yield self.entry(number)


def un_entries(path: Path = UN_LIST) -> list[ListEntry]:
    from firstline.watchlists.formats import read_list

    _info, items = read_list([path], "un-xml")
    return [item for item in items if not isinstance(item, Rejection)]


def list_triples(
    un: list[ListEntry], synthetic: SyntheticPersons, size: int
) -> Iterator[tuple[int, int, ListEntry]]:
    """`size` entries: the real UN list, then synthetic persons, streamed."""
    key = 0
    for entry in un[:size]:
        yield key, UN_LIST_KEY, entry
        key += 1
    for entry in synthetic.stream(max(size - len(un), 0)):
        yield key, SYNTHETIC_LIST_KEY, entry
        key += 1


# -- traveller queries ------------------------------------------------------------------------


def negative_query(row: dict[str, str]) -> Query:
    given = " ".join(x for x in (row["first_name"], row["middle_name"]) if x) or None
    birth = date.fromisoformat(row["date_of_birth"]) if row["date_of_birth"] else None
    return Query(
        family=row["last_name"] or None,
        given=given,
        birth_date=birth,
        nationality=to_alpha3(row["nationality"]),
        gender={"male": "M", "female": "F"}.get(row["gender"]),
    )


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 4:
        return text
    at = rng.randrange(1, len(text) - 1)
    op = rng.random()
    if op < 0.35:
        return text[:at] + text[at + 1 :]  # deletion
    if op < 0.65:
        return text[:at] + rng.choice("aeiouy") + text[at + 1 :]  # substitution
    if op < 0.85:
        return text[:at] + text[at + 1] + text[at] + text[at + 2 :]  # transposition
    return text[:at] + text[at] + text[at:]  # doubled letter


def listed_query(rng: random.Random, entry: ListEntry) -> Query | None:
    """A traveller who is a listed person, name perturbed as check-in data drifts."""
    primary = next((n for n in entry.names if n.kind is NameKind.PRIMARY), None)
    if primary is None or not primary.full:
        return None
    if primary.family:
        family, given = primary.family, primary.given or ""
    else:
        words = primary.full.split()
        if len(words) < 2:
            return None
        family, given = words[-1], " ".join(words[:-1])
    family, given = anyascii(family).upper(), anyascii(given).upper()
    roll = rng.random()
    family, given = family.replace("`", ""), given.replace("`", "")
    if roll < 0.5:
        family = _typo(rng, family)
    elif roll < 0.75:
        given = _typo(rng, given)
    elif roll < 0.9:
        given = given.split()[0] if given.split() else given  # middle names dropped
    else:
        family, given = given, family  # swapped at check-in
    family, given = family.upper(), given.upper()
    birth = None
    exact = [d for d in entry.birth_dates if d.month and d.day and d.to_year is None]
    if exact:
        birth = date(exact[0].year, exact[0].month or 1, exact[0].day or 1)
    return Query(
        family=family,
        given=given,
        birth_date=birth,
        nationality=entry.nationalities[0] if entry.nationalities else None,
        gender=entry.gender,
    )


def traveller_queries(
    query_rows: list[dict[str, str]],
    hit_sources: list[ListEntry],
    count: int,
    *,
    hit_share: float = 0.02,
    seed: int = 99,
) -> tuple[list[Query], list[bool]]:
    """`count` queries: negatives, with `hit_share` perturbed listed persons mixed in."""
    rng = random.Random(seed)
    persons = [e for e in hit_sources if e.schema is EntrySchema.PERSON]
    queries: list[Query] = []
    hits: list[bool] = []
    rows = itertools.cycle(query_rows)
    while len(queries) < count:
        if persons and rng.random() < hit_share:
            query = listed_query(rng, rng.choice(persons))
            if query is not None:
                queries.append(query)
                hits.append(True)
                continue
        queries.append(negative_query(next(rows)))
        hits.append(False)
    return queries, hits
