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


@dataclass(slots=True)
class Booking:
    locator: str
    created: datetime
    travellers: list[Traveller]
    key: str  # seeds the booking's other details, so every push renders them alike
    planted: Planted | None = None

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
