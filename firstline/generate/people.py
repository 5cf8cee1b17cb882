"""Synthetic flights, bookings and travellers: what the message writers render.

A traveller is drawn once and rendered in every message about them, so the PNR pushes and the
passenger list of a flight describe the same person (name, birth date, document, locator).
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from firstline.generate import names
from firstline.generate.mrz import document_number
from firstline.generate.reference import LOCATOR, TEST_CARRIERS, TEST_NUMERIC, airport_codes
from firstline.generate.reference import country_of as airport_country

SEAT_LETTERS = "ABCDEFHJK"


@dataclass(slots=True)
class Flight:
    carrier: str
    number: int
    origin: str
    destination: str
    departure: datetime  # local scheduled times
    arrival: datetime
    numeric: str = "991"  # the airline's ticket and bag tag prefix

    @property
    def designator(self) -> str:
        return f"{self.carrier}{self.number}"


@dataclass(slots=True)
class Document:
    kind: str  # P passport, V visa
    number: str
    country: str
    expiry: date


@dataclass(slots=True)
class Traveller:
    reference: int  # position in the booking, the TIF / RPH reference
    surname: str
    given: str
    gender: str
    born: date
    nationality: str
    kind: str = "A"  # A adult, C child, IN infant (on the lap of traveller 1)
    documents: list[Document] = field(default_factory=list)
    seat: str | None = None
    upi: str = ""  # the carrier's unique passenger reference (PNR REF, PAXLST RFF+ABO)
    # Check-in on the flight written: boarding sequence number (None: not checked in, a
    # no-show) and whether the traveller was on board at close-out.
    boarding: int | None = None
    boarded: bool = False


@dataclass(slots=True)
class Leg:
    """A leg of a booking besides the pushed flight (planted itineraries)."""

    carrier: str
    number: int
    origin: str
    destination: str
    departure: datetime
    arrival: datetime


@dataclass(slots=True)
class Planted:
    """Booking details fixed by a planted scenario; the writers render them as given."""

    payment: str | None = None  # "CA" cash or "CC" card (with `card`)
    card: str | None = None  # synthetic Luhn test number
    payer: str | None = None  # card holder, SURNAME/GIVEN, when not on the booking
    phone: str | None = None
    email: str | None = None
    legs: list[Leg] = field(default_factory=list)  # the only other legs (none: one-way)


@dataclass(frozen=True, slots=True)
class Group:
    """A group booking made by a tour operator: the group name and who sells it."""

    name: str  # SSR GRPS text, e.g. "CHOIR TOUR 27"
    operator: str  # the tour operator's trading name (synthetic)
    agency_number: str  # the operator's IATA agency number (synthetic)
    office: str  # the operator's office id in the reservation system
    phone: str  # the operator's desk, shared by every group it books
    tour_code: str
    invoice: bool = True  # paid by invoice to the operator (FOP IN), else by card


@dataclass(slots=True)
class Booking:
    locator: str
    created: datetime
    travellers: list[Traveller]
    key: str  # seeds the booking's other details, so every push renders them alike
    planted: Planted | None = None
    # Generated flights of the day this booking holds, in time order (a connection: the
    # inbound and the onward flight at a hub); empty when only the pushed flight is generated.
    legs: list[Flight] = field(default_factory=list)
    group: Group | None = None

    @property
    def has_infant(self) -> bool:
        return any(t.kind == "IN" for t in self.travellers)


def unique_reference(key: str, reference: int) -> str:
    """Sixteen hex digits that follow from the booking key: alike in every push and list."""
    digest = hashlib.blake2b(f"{key}:{reference}".encode(), digest_size=8).hexdigest()
    return digest.upper()


def locator(rng: random.Random) -> str:
    return "".join(rng.choice(LOCATOR) for _ in range(6))


def document(rng: random.Random, kind: str, country: str, after: date) -> Document:
    number = document_number(rng, "ABCEGKNPTX")
    return Document(kind, number, country, after + timedelta(days=rng.randrange(30, 10 * 365)))


def bench_flight(rng: random.Random, seed: int, carriers: int = 6) -> Flight:
    """A flight of a test carrier on a date that follows from `seed` (benchmarks)."""
    origin, destination = rng.sample(airport_codes(), 2)
    day = datetime(2025, 1, 1) + timedelta(days=seed % 366)
    when = day.replace(hour=rng.randrange(5, 23), minute=5 * rng.randrange(12))
    carrier = rng.choice(TEST_CARRIERS[:carriers])
    number = 1 + seed % 9000
    arrival = when + timedelta(minutes=60 * (1 + number % 13) + 5 * (number % 12))
    return Flight(carrier, number, origin, destination, when, arrival, TEST_NUMERIC[carrier])


def draw_booking(
    rng: random.Random, flight: Flight, *, key: str, size: int | None = None
) -> Booking:
    """A booking of 1 to 6 travellers of one family name, sometimes with an infant."""
    home = airport_country(rng.choice([flight.origin, flight.destination]))
    culture = names.culture_for(rng, home)
    family = names.surname(rng, culture)
    nationality = names.nationality(rng, culture)
    count = size or rng.choice([1, 1, 1, 2, 2, 2, 3, 4, 5, 6])
    infant_at = rng.randrange(1, count) if count > 1 and rng.random() < 0.15 else None
    travellers: list[Traveller] = []
    for n in range(count):
        kind = "IN" if n == infant_at else ("C" if n > 0 and rng.random() < 0.15 else "A")
        person = _traveller(rng, flight, n + 1, family, culture, nationality, kind)
        for _ in range(5):  # relatives have different given names
            if all(person.given != other.given for other in travellers):
                break
            person.given = names.given_name(rng, culture, person.gender)
        travellers.append(person)
    for person in travellers:
        person.upi = unique_reference(key, person.reference)
    created = flight.departure - timedelta(days=rng.randrange(1, 200), minutes=rng.randrange(1440))
    return Booking(locator(rng), created, travellers, key)


def _traveller(
    rng: random.Random,
    flight: Flight,
    reference: int,
    family: str,
    culture: str,
    nationality: str,
    kind: str,
) -> Traveller:
    gender = rng.choice("MF")
    given = names.given_name(rng, culture, gender)
    if kind == "A" and rng.random() < 0.2:
        second = names.given_name(rng, culture, gender)
        given = given if second == given else f"{given} {second}"
    years = {"A": (18, 85), "C": (2, 17), "IN": (0, 1)}[kind]
    days = rng.randrange(years[0] * 365 + 1, years[1] * 365 + 360)
    born = flight.departure.date() - timedelta(days=days)
    person = Traveller(reference, family, given, gender, born, nationality, kind)
    person.documents.append(document(rng, "P", nationality, flight.departure.date()))
    destination = airport_country(flight.destination)
    if kind != "IN" and destination != nationality and rng.random() < 0.15:
        person.documents.append(document(rng, "V", destination, flight.departure.date()))
    if kind != "IN":
        person.seat = f"{rng.randrange(1, 45)}{rng.choice(SEAT_LETTERS)}"
    return person


def draw_crew(rng: random.Random, flight: Flight, count: int) -> list[Traveller]:
    """The flight's crew, of the airline's country mostly."""
    crew = []
    for n in range(count):
        culture = names.culture_for(rng, airport_country(flight.origin))
        nationality = names.nationality(rng, culture)
        member = _traveller(
            rng, flight, n + 1, names.surname(rng, culture), culture, nationality, "A"
        )
        member.seat = None
        crew.append(member)
    return crew


# Tour operators that book groups (invented names, synthetic IATA numbers), and what groups
# travel as; the group name is the theme and a number.
TOUR_OPERATORS = (
    ("SAMPLEWAY TRAVEL", "SWT"),
    ("DEMOVISTA HOLIDAYS", "DVH"),
    ("TESTLAND TOURS", "TLT"),
    ("FICTIVIA GROUP TRAVEL", "FGT"),
    ("MOCKINGBAY TOURS", "MBT"),
    ("SYNTHOLIDAY REISEN", "SHR"),
)
GROUP_THEMES = (
    "CHOIR TOUR",
    "STUDY TRIP",
    "GOLF CLUB",
    "WINE TOUR",
    "CITY BREAK",
    "INCENTIVE",
    "FOOTBALL CLUB",
    "SKI CLUB",
    "CONFERENCE",
    "ART TOUR",
    "ALUMNI TRIP",
    "ROWING CLUB",
)


def draw_group(rng: random.Random, flight: Flight, *, key: str, size: int) -> Booking:
    """A tour operator's group booking: `size` adults from the origin's culture, mostly of
    different families (some couples), paid by invoice to the operator most of the time."""
    index = rng.randrange(len(TOUR_OPERATORS))
    operator, short = TOUR_OPERATORS[index]
    culture = names.culture_for(rng, airport_country(flight.origin))
    nationality = names.nationality(rng, culture)
    travellers: list[Traveller] = []
    for n in range(size):
        couple = bool(travellers) and rng.random() < 0.3
        family = travellers[-1].surname if couple else names.surname(rng, culture)
        person = _traveller(rng, flight, n + 1, family, culture, nationality, "A")
        for _ in range(5):  # the same surname: different given names
            if all(person.given != t.given or person.surname != t.surname for t in travellers):
                break
            person.given = names.given_name(rng, culture, person.gender)
        travellers.append(person)
    for person in travellers:
        person.upi = unique_reference(key, person.reference)
    created = flight.departure - timedelta(days=rng.randrange(30, 200), minutes=rng.randrange(1440))
    group = Group(
        name=f"{rng.choice(GROUP_THEMES)} {rng.randrange(10, 99)}",
        operator=operator,
        agency_number=f"{99100000 + 1111 * index}",
        office=f"{flight.origin}{short}{index:03d}",
        phone=f"442079460{100 + index}",  # Ofcom drama range: never a real line
        tour_code=f"IT{flight.departure:%y}{short}{rng.randrange(100, 999)}",
        invoice=rng.random() < 0.85,
    )
    return Booking(locator(rng), created, travellers, key, group=group)
