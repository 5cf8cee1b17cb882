"""Watchlist entries as the importers read them and the matcher indexes them.

One shape for every published format (UN XML, OFAC CSV/XML, EU XML, generic CSV, FollowTheMoney
JSON lines), so that the matcher and the store never learn a publisher's quirks. What a
publisher does not say stays unknown: a year-only date of birth stays year-only (padding it to
1 January would make every 1 January traveller agree with it), a name without a given/family
split keeps its parts in their published order with no roles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class EntrySchema(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"
    VESSEL = "vessel"
    DOCUMENT = "document"  # a lost/stolen document list entry: a number, no holder
    UNKNOWN = "unknown"


class NameKind(StrEnum):
    PRIMARY = "primary"
    ALIAS = "alias"  # a.k.a., UN "Good" quality, OFAC strong
    WEAK_ALIAS = "weak_alias"  # UN "Low" quality, OFAC weak: kunyas, noms de guerre
    FORMER = "former"  # f.k.a.
    ORIGINAL_SCRIPT = "original_script"


@dataclass(slots=True)
class ListedName:
    """One name of an entry.

    `full` is the name as published (after trimming). `given` and `family` are set only when
    the publisher separates them (OFAC lastName/firstName, "LAST, First" in the CSV, the
    generic CSV's surname/given_names columns); `parts` keeps UN FIRST..FOURTH_NAME in order
    without roles, because UN order follows the person's culture.
    """

    full: str
    kind: NameKind = NameKind.PRIMARY
    given: str | None = None
    family: str | None = None
    parts: tuple[str, ...] = ()
    quality: str | None = None  # the publisher's own label: "Good", "Low", "a.k.a.", "strong"
    script: str | None = None  # e.g. "Arabic" when known from the source


@dataclass(slots=True, frozen=True)
class ListedDate:
    """A date of birth with the precision the list gives.

    Exact: year, month and day. Year only: month and day None. A range (UN BETWEEN): `year` is
    the first year and `to_year` the last. `approximate` marks UN APPROXIMATELY and "circa".
    """

    year: int
    month: int | None = None
    day: int | None = None
    to_year: int | None = None
    approximate: bool = False

    @classmethod
    def exact(cls, value: date) -> ListedDate:
        return cls(value.year, value.month, value.day)

    @property
    def last_year(self) -> int:
        return self.to_year if self.to_year is not None else self.year

    def __str__(self) -> str:
        if self.to_year is not None and self.to_year != self.year:
            text = f"{self.year}-{self.to_year}"
        elif self.month is None:
            text = f"{self.year:04d}"
        elif self.day is None:
            text = f"{self.year:04d}-{self.month:02d}"
        else:
            text = f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        return f"circa {text}" if self.approximate else text


@dataclass(slots=True)
class ListedDocument:
    """A travel or identity document number of an entry (or the entry itself, for lost/stolen)."""

    number: str  # as published; the matcher normalises
    type: str | None = None  # normalised: "passport", "national_id", "other", or free text
    country: str | None = None  # ISO 3166 alpha-3 when known
    note: str | None = None


@dataclass(slots=True)
class ListedIdentifier:
    """Any other identifier or contact: tax id, registration number, e-mail, phone, website."""

    kind: str
    value: str


@dataclass(slots=True)
class ListEntry:
    """One entry of a watchlist, whatever the published format."""

    source_id: str  # the publisher's own id: UN DATAID, OFAC ent_num/uid, EU logicalId, CSV id
    schema: EntrySchema
    names: list[ListedName] = field(default_factory=list)
    birth_dates: list[ListedDate] = field(default_factory=list)
    birth_places: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)  # ISO 3166 alpha-3
    gender: str | None = None  # "M", "F" or None
    documents: list[ListedDocument] = field(default_factory=list)
    identifiers: list[ListedIdentifier] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    reference: str | None = None  # UN REFERENCE_NUMBER and the like: what an analyst quotes
    listed_on: date | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    remarks: str | None = None
    # Free-form facts kept for the analyst (unknown OFAC idTypes, sanctions notes, ...).
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def primary_name(self) -> str | None:
        for name in self.names:
            if name.kind is NameKind.PRIMARY:
                return name.full
        return self.names[0].full if self.names else None


@dataclass(slots=True)
class Rejection:
    """A record an importer could not turn into an entry, and exactly why."""

    location: str  # "line 12", "INDIVIDUAL #3 (DATAID 6908)", "sdnEntry uid=123"
    reason: str
    record: str  # the raw record (truncated), for the administrator


@dataclass(slots=True)
class ListFileInfo:
    """What a published file says about itself."""

    format: str
    published: date | None = None
    record_count: int | None = None  # as the file announces it, to check against
    notes: list[str] = field(default_factory=list)
