"""Flights, travellers and their documents as reported by API (PAXLST) messages.

Dates of travel are local times at the airport as the carrier reports them (naive datetimes);
dates of birth and document dates are plain dates. Codes (countries, airports, document types)
are kept as sent, upper-cased, because an unknown code is evidence too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from firstline.model.message import MessageHeader, ParseWarning


class TravellerRole(StrEnum):
    """Why a person is on the list (PAXLST NAD qualifier)."""

    PASSENGER = "passenger"  # NAD+FL
    CREW = "crew"  # NAD+FM
    IN_TRANSIT_PASSENGER = "in_transit_passenger"  # NAD+DDU
    IN_TRANSIT_CREW = "in_transit_crew"  # NAD+DDT
    UNNAMED = "unnamed"  # NAD+ZZZ in close-out messages, referenced by RFF only
    OTHER = "other"  # e.g. NAD+VW truck crew in ACE manifests


@dataclass(slots=True)
class Address:
    street: str | None = None
    city: str | None = None
    region: str | None = None
    postcode: str | None = None
    country: str | None = None


@dataclass(slots=True)
class Contact:
    """A phone, fax or e-mail as sent (COM segment); normalisation comes with PNR."""

    kind: str  # "phone", "fax", "email" or the raw qualifier
    value: str


@dataclass(slots=True)
class BagTagRange:
    """`FTX+BAG`: the first bag tag and how many consecutive tags follow it."""

    first_tag: str
    count: int


@dataclass(slots=True)
class TravelDocument:
    type: str | None = None
    number: str | None = None
    issuing_country: str | None = None
    issuing_place: str | None = None
    expiry_date: date | None = None
    issue_date: date | None = None


@dataclass(slots=True)
class Traveller:
    role: TravellerRole
    surname: str | None = None
    given_names: str | None = None
    gender: str | None = None
    date_of_birth: date | None = None
    nationality: str | None = None
    country_of_residence: str | None = None
    place_of_birth: str | None = None
    port_of_embarkation: str | None = None
    port_of_debarkation: str | None = None
    place_of_clearance: str | None = None
    address: Address | None = None
    contacts: list[Contact] = field(default_factory=list)
    documents: list[TravelDocument] = field(default_factory=list)
    booking_reference: str | None = None  # RFF+AVF (PNR locator)
    passenger_reference: str | None = None  # RFF+ABO (unique passenger reference)
    seat: str | None = None  # RFF+SEA
    ticket_number: str | None = None  # RFF+YZY / RFF+CN
    other_references: dict[str, str] = field(default_factory=dict)
    checked_bags: int | None = None
    bag_weight_kg: float | None = None
    bag_tags: list[BagTagRange] = field(default_factory=list)
    document_verified: bool | None = None  # GEI+4+173 / 174
    crew_function: str | None = None  # EMP
    segment_index: int | None = None  # where its NAD starts, for pointing at it

    def identity_key(self) -> str:
        """Key that finds the same person on the same flight in a later push.

        Preference order follows how stable each fact is across pushes: the carrier's unique
        passenger reference, then the first document number, then name and date of birth.
        """
        if self.passenger_reference:
            return "ref:" + self.passenger_reference
        for document in self.documents:
            if document.number:
                return f"doc:{document.type or ''}:{document.number}"
        dob = self.date_of_birth.isoformat() if self.date_of_birth else ""
        return f"name:{self.surname or ''}|{self.given_names or ''}|{dob}|{self.role.value}"


@dataclass(slots=True)
class FlightLeg:
    carrier: str | None
    flight_designator: str | None  # as sent in TDT, e.g. "BA0117" or "ZX877"
    departure_airport: str | None = None
    arrival_airport: str | None = None
    scheduled_departure: datetime | None = None
    scheduled_arrival: datetime | None = None


@dataclass(slots=True)
class Flight:
    """A reported flight: one or several legs (progressive flights report each leg)."""

    carrier: str | None
    number: str | None  # numeric part without leading zeros, plus any suffix letter
    legs: list[FlightLeg] = field(default_factory=list)

    @property
    def origin(self) -> str | None:
        return self.legs[0].departure_airport if self.legs else None

    @property
    def destination(self) -> str | None:
        return self.legs[-1].arrival_airport if self.legs else None

    @property
    def scheduled_departure(self) -> datetime | None:
        return self.legs[0].scheduled_departure if self.legs else None

    @property
    def scheduled_arrival(self) -> datetime | None:
        return self.legs[-1].scheduled_arrival if self.legs else None

    @property
    def designator(self) -> str:
        return f"{self.carrier or '??'}{self.number or '?'}"

    @property
    def departure_date(self) -> date | None:
        departure = self.scheduled_departure
        return departure.date() if departure else None

    @property
    def is_identified(self) -> bool:
        """Enough is known to tell this flight from others (a number or a route, and a date)."""
        return bool((self.number or self.origin) and self.departure_date)

    def key(self) -> str:
        """Natural key of the flight: carrier, number, local departure date and origin."""
        day = self.departure_date
        parts = [
            self.carrier or "",
            self.number or "",
            day.isoformat() if day else "",
            self.origin or "",
        ]
        return "|".join(parts)


@dataclass(slots=True)
class ReportingParty:
    name: str | None = None
    party_id: str | None = None
    contacts: list[Contact] = field(default_factory=list)


@dataclass(slots=True)
class PassengerList:
    """One PAXLST message (or several parts reassembled into one)."""

    header: MessageHeader
    document_code: str | None = None  # BGM 1001: 745 passengers, 250 crew, 266 close-out, 336 MCL
    document_id: str | None = None  # BGM 1004: e.g. CP (change), CLOB (closed, on board)
    transaction_reference: str | None = None  # RFF+TN
    reporting_party: ReportingParty = field(default_factory=ReportingParty)
    flight: Flight | None = None
    travellers: list[Traveller] = field(default_factory=list)
    declared_passengers: int | None = None  # CNT+42: the flight total, not this part's
    declared_crew: int | None = None  # CNT+41
    parts: list[int] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)

    @property
    def is_crew_list(self) -> bool:
        return self.document_code in {"250", "336"}
