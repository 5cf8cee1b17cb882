"""One traveller per flight, whatever the source: how an API record and a PNR record of the
same person on the same flight are recognised as one.

Pure functions over small value objects; the store feeds them the flight's travellers. The
order of evidence follows how much each fact can be trusted to be the same person's: a
document number, then name with date of birth, then name within the same booking. Every
match says which evidence made it, so the merge can be explained and undone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher

_TITLES = frozenset({"MR", "MRS", "MS", "MISS", "MSTR", "DR", "PROF", "REV", "SIR", "CHD", "INF"})
_NON_LETTERS = re.compile(r"[^A-Z ]+")


def name_tokens(name: str | None) -> tuple[str, ...]:
    """Upper-case ASCII tokens without titles: `Isabelle  Mrs` and `ISABELLE` agree."""
    if not name:
        return ()
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().upper()
    text = _NON_LETTERS.sub(" ", text.replace("-", " ").replace("'", ""))
    return tuple(t for t in text.split() if t not in _TITLES)


@dataclass(slots=True, frozen=True)
class Person:
    """What matching needs to know about one traveller record on a flight."""

    surname: str | None
    given_names: str | None
    date_of_birth: date | None = None
    documents: frozenset[str] = frozenset()  # normalised document numbers
    booking_locators: frozenset[str] = frozenset()
    record_id: int | None = None  # the stored traveller, for candidates
    is_crew: bool | None = None  # None when the source does not say (PNR)

    @property
    def surname_key(self) -> tuple[str, ...]:
        return name_tokens(self.surname)

    @property
    def first_given(self) -> str | None:
        tokens = name_tokens(self.given_names)
        return tokens[0] if tokens else None


@dataclass(slots=True, frozen=True)
class Match:
    record_id: int
    evidence: str  # "document", "name_dob" or "name_booking"


def document_key(number: str | None) -> str | None:
    """Document numbers compared without spaces, dashes or case."""
    if not number:
        return None
    cleaned = re.sub(r"[^0-9A-Z]", "", number.upper())
    return cleaned or None


def _same_name(a: Person, b: Person) -> bool:
    # Surnames must agree; of the given names the first is enough, because API lists often
    # carry middle names that the booking does not (JOHN DONALD vs JOHN).
    return (
        bool(a.surname_key)
        and a.surname_key == b.surname_key
        and (a.first_given is None or b.first_given is None or a.first_given == b.first_given)
    )


def _similar_surname(a: Person, b: Person) -> bool:
    """Surnames equal or differing by a transliteration or typo (WILLIAMS / WILIAMS)."""
    left, right = " ".join(a.surname_key), " ".join(b.surname_key)
    if not left or not right:
        return False
    return left == right or SequenceMatcher(None, left, right).ratio() >= 0.8


def _same_side(a: Person, b: Person) -> bool:
    """Crew and passengers are never the same traveller on one flight."""
    return a.is_crew is None or b.is_crew is None or a.is_crew == b.is_crew


def find_match(person: Person, candidates: list[Person]) -> Match | None:
    """The candidate that is the same person as `person`, with the evidence, or None.

    A rule applies only when it singles out exactly one candidate: two travellers with the
    same name in one booking stay apart rather than being merged by guess.
    """

    def by_document(c: Person) -> bool:
        # Numbers are unique only within an issuing State, and guides reuse sample numbers:
        # the names must not contradict it (surname, or birth date and first given name).
        return bool(person.documents & c.documents) and (
            _similar_surname(person, c)
            or (
                person.date_of_birth is not None
                and person.date_of_birth == c.date_of_birth
                and person.first_given == c.first_given
            )
        )

    def by_name_and_birth(c: Person) -> bool:
        return (
            person.date_of_birth is not None
            and person.date_of_birth == c.date_of_birth
            and _same_name(person, c)
        )

    def by_name_in_booking(c: Person) -> bool:
        # Only when no birth dates disagree: same name, different births is two people.
        return (
            bool(person.booking_locators & c.booking_locators)
            and _same_name(person, c)
            and (person.date_of_birth is None or c.date_of_birth is None)
        )

    rules: tuple[tuple[str, Callable[[Person], bool]], ...] = (
        ("document", by_document),
        ("name_dob", by_name_and_birth),
        ("name_booking", by_name_in_booking),
    )
    eligible = [c for c in candidates if c.record_id is not None and _same_side(person, c)]
    for evidence, rule in rules:
        found = [c for c in eligible if rule(c)]
        if len(found) == 1 and found[0].record_id is not None:
            return Match(found[0].record_id, evidence)
    return None
