"""Shared state, code lists and value checks of the PAXLST mapper."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from firstline.ingest.edifact.envelope import make_warning
from firstline.ingest.edifact.lexer import Segment, Source
from firstline.model.travel import (
    FlightLeg,
    PassengerList,
    TravelDocument,
    Traveller,
    TravellerRole,
)

ROLES = {
    "FL": TravellerRole.PASSENGER,
    "FM": TravellerRole.CREW,
    "DDU": TravellerRole.IN_TRANSIT_PASSENGER,
    "DDT": TravellerRole.IN_TRANSIT_CREW,
    "ZZZ": TravellerRole.UNNAMED,
    "VW": TravellerRole.OTHER,
}


CONTACT_KINDS = {"TE": "phone", "FX": "fax", "EM": "email"}


GENDERS = frozenset({"M", "F", "U", "X"})


DOCUMENT_TYPES = frozenset(
    {
        "P",
        "V",
        "I",
        "A",
        "C",
        "AC",
        "IP",
        "F",
        "M",
        "T",
        "PT",
        "PD",
        "PS",
        "G",
        "L",
        "5K",
        "39",
        "OTD",
    }
)


MAX_NAME = 35  # C080 party name components are an..35 in the IG


MAX_DOCUMENT_NUMBER = 35


MAX_FLIGHT_ID = 17


def is_country(value: str) -> bool:
    """ISO 3166 alpha-2 or alpha-3 shape (string tests: this runs for every person)."""
    return 2 <= len(value) <= 3 and value.isascii() and value.isalpha() and value.isupper()


def is_airport(value: str) -> bool:
    """IATA location code shape: three capital letters."""
    return len(value) == 3 and value.isascii() and value.isalpha() and value.isupper()


NUMBER = re.compile(r"[0-9]{1,9}")


DECIMAL = re.compile(r"[0-9]{1,9}(?:[.,][0-9]{1,6})?")


DESIGNATOR = re.compile(r"([A-Z0-9]{2}[A-Z]?)?0*(\d{1,5})([A-Z]?)")


LEG_QUALIFIERS = frozenset({"125", "87", "92"})


PERSON_LOCATIONS = {
    "22": "place_of_clearance",
    "174": "country_of_residence",
    "178": "port_of_embarkation",
    "179": "port_of_debarkation",
    "180": "place_of_birth",
}


REFERENCES = {
    "AVF": "booking_reference",
    "ABO": "passenger_reference",
    "SEA": "seat",
    "YZY": "ticket_number",
    "CN": "ticket_number",
}


@dataclass(slots=True)
class State:
    source: Source
    result: PassengerList
    today: date
    leg: FlightLeg | None = None
    routing_seen: int = 0
    traveller: Traveller | None = None
    document: TravelDocument | None = None
    in_header: bool = True
    legs: list[FlightLeg] = field(default_factory=list)
    _reference: date | None = None

    def warn(self, seg: Segment, code: str, message: str, **kw: Any) -> None:
        self.result.warnings.append(make_warning(self.source, seg, code, message, **kw))

    @property
    def reference_date(self) -> date:
        """The flight date (else today), against which two-digit birth years are read."""
        cached = self._reference
        if cached is None or self.in_header:
            first = self.legs[0].scheduled_departure if self.legs else None
            cached = self._reference = first.date() if first else self.today
        return cached


def split_designator(designator: str | None, carrier: str | None) -> tuple[str | None, str | None]:
    """Carrier and flight number from a TDT flight id: `BA0117` gives ("BA", "117")."""
    if not designator:
        return carrier, None
    cleaned = designator.replace(" ", "").upper()
    if carrier and cleaned.startswith(carrier):
        rest = cleaned[len(carrier) :].lstrip("0") or "0"
        return carrier, rest
    match = DESIGNATOR.fullmatch(cleaned)
    if match is None:
        return carrier, cleaned
    prefix, digits, suffix = match.groups()
    return carrier or prefix, digits + suffix


def check_code(
    state: State, seg: Segment, value: str, valid: Callable[[str], bool], what: str
) -> None:
    if not valid(value):
        state.warn(
            seg,
            "bad_code",
            f"not a valid {what}",
            element=2,
            expected=what,
            found=value,
        )


def plain(value: str, pattern: re.Pattern[str]) -> str:
    """`value` when it is a plain ASCII number matching `pattern`, else ValueError."""
    if not pattern.fullmatch(value):
        raise ValueError(value)
    return value
