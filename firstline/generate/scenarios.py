"""Planted scenarios: synthetic travellers that screening and rules must find, with the key.

`Planting.plant` adds the scenario bookings of one flight before its messages are written;
every scenario gets a stable id, a planted traveller (drawn from the same name generator) and
an answer-key entry saying why an analyst should look at them. The listed persons go to the
synthetic watchlist and lost/stolen document list (`scenario_lists`), with decoys around them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from firstline.generate import names
from firstline.generate.people import Booking, Flight, Leg, Planted, Traveller, draw_booking
from firstline.generate.pnrgov_items import luhn_card, phone
from firstline.generate.reference import airport, airport_codes

TYPES = (
    "watchlist_variant",
    "lost_stolen_document",
    "shared_contact",
    "cash_courier",
    "trafficking",
    "broken_travel",
)
FLIGHTS_PER_ROUND = 50  # one more scenario of every type per this many flights

# Listed spelling -> spelling the traveller uses (transliteration variants).
SPELLINGS = [
    ("MOHAMMED", "MUHAMMAD"),
    ("MOHAMED", "MOHAMMAD"),
    ("ALEKSANDR", "ALEXANDER"),
    ("YOUSSEF", "YUSUF"),
    ("DMITRI", "DMITRIY"),
    ("AHMED", "AHMAD"),
    ("OMAR", "UMAR"),
    ("SERGEI", "SERGEY"),
]


def schedule(seed: int, day: date, flights: int) -> dict[int, list[str]]:
    """Scenario types planted per flight index: every type once per `FLIGHTS_PER_ROUND`."""
    rng = random.Random(f"{seed}:{day.isoformat()}:scenarios")
    planned: dict[int, list[str]] = {}
    for _ in range(1 + flights // FLIGHTS_PER_ROUND):
        for kind in TYPES:
            planned.setdefault(rng.randrange(flights), []).append(kind)
    return planned


@dataclass(slots=True)
class Planting:
    """What has been planted so far: answer key, listed persons, lost/stolen documents."""

    seed: int
    hubs: tuple[str, ...]
    key: list[dict[str, Any]] = field(default_factory=list)
    listed: list[dict[str, str]] = field(default_factory=list)  # watchlist rows
    lost: list[dict[str, str]] = field(default_factory=list)  # lost/stolen rows

    def plant(self, flight: Flight, kinds: list[str], bookings: list[Booking]) -> int:
        """Add one booking per scenario in `kinds` to `bookings`; returns how many travellers."""
        added = 0
        for kind in kinds:
            number = len(self.key) + 1
            rng = random.Random(f"{self.seed}:{flight.designator}:{flight.departure}:{number}")
            booking, why, signals = _PLANTERS[kind](self, rng, flight, number)
            bookings.insert(rng.randrange(len(bookings) + 1), booking)
            added += len(booking.travellers)
            self.key.append(_entry(f"S{number:04d}", kind, flight, booking, why, signals))
        return added


def _entry(
    scenario_id: str, kind: str, flight: Flight, booking: Booking, why: str, signals: list[str]
) -> dict[str, Any]:
    lead = booking.travellers[0]
    entry: dict[str, Any] = {
        "scenario_id": scenario_id,
        "type": kind,
        "flight": {
            "carrier": flight.carrier,
            "number": flight.number,
            "date": flight.departure.date().isoformat(),
            "origin": flight.origin,
            "destination": flight.destination,
        },
        "traveller": _person(lead),
        "booking_locator": booking.locator,
        "why": why,
        "expected_signals": signals,
    }
    if kind == "trafficking":
        entry["companions"] = [_person(t) for t in booking.travellers[1:]]
    return entry


def _person(person: Traveller) -> dict[str, str]:
    return {
        "surname": person.surname,
        "given_names": person.given,
        "date_of_birth": person.born.isoformat(),
        "document_number": person.documents[0].number,
    }


def _booking(rng: random.Random, flight: Flight, number: int, size: int = 1) -> Booking:
    booking = draw_booking(rng, flight, key=f"planted:{number}:{flight.designator}", size=size)
    for person in booking.travellers:
        person.kind = "A"
    booking.planted = Planted()
    return booking


def _adult(rng: random.Random, flight: Flight, person: Traveller, years: tuple[int, int]) -> None:
    days = rng.randrange(years[0] * 365 + 1, years[1] * 365 + 300)
    person.born = flight.departure.date() - timedelta(days=days)


def _row(
    planting: Planting, category: str, severity: str, person: Traveller, note: str
) -> dict[str, str]:
    row = {
        "list_name": "FIRSTLINE SYNTHETIC WATCHLIST",
        "entry_id": f"SYN-{len(planting.listed) + 1:05d}",
        "category": category,
        "severity": severity,
        "surname": person.surname,
        "given_names": person.given,
        "date_of_birth": person.born.isoformat(),
        "nationality": person.nationality,
        "note": note,
    }
    planting.listed.append(row)
    return row


def _variant(
    planting: Planting, rng: random.Random, flight: Flight, number: int
) -> tuple[Booking, str, list[str]]:
    booking = _booking(rng, flight, number)
    person = booking.travellers[0]
    _adult(rng, flight, person, (25, 60))
    how = rng.choice(["spelling", "swapped", "dropped_middle"])
    listed = Traveller(0, person.surname, person.given, person.gender, person.born, "")
    listed.nationality = person.nationality
    if how == "spelling":
        listed.given, person.given = rng.choice(SPELLINGS)
        person.gender = listed.gender = "M"
        listed.surname = person.surname
    elif how == "swapped":
        person.given = person.given.split(" ")[0]
        listed.surname, listed.given = person.given, person.surname
    else:
        first = person.given.split(" ")[0]
        middle = first
        while middle == first:
            middle = names.given_name(rng, rng.choice(names.CULTURE_NAMES), person.gender)
        person.given, listed.given = first, f"{first} {middle}"
    row = _row(planting, "terrorism", "high", listed, f"planted scenario S{number:04d}")
    year_only = rng.random() < 0.3
    if year_only:
        row["date_of_birth"] = str(person.born.year)
    signals = ["watchlist:name_variant", "dob_year_match" if year_only else "dob_match"]
    why = (
        f"Listed as {listed.surname}/{listed.given} ({row['entry_id']}); travels as "
        f"{person.surname}/{person.given} ({how.replace('_', ' ')}) with the listed birth date."
    )
    return booking, why, signals


def _lost_document(
    planting: Planting, rng: random.Random, flight: Flight, number: int
) -> tuple[Booking, str, list[str]]:
    booking = _booking(rng, flight, number)
    doc = booking.travellers[0].documents[0]
    reported = flight.departure.date() - timedelta(days=rng.randrange(20, 700))
    planting.lost.append(
        {
            "document_number": doc.number,
            "document_type": doc.kind,
            "issuing_country": doc.country,
            "reported_on": reported.isoformat(),
        }
    )
    why = (
        f"Travels on passport {doc.number} ({doc.country}), reported lost or stolen on {reported}."
    )
    return booking, why, ["document:lost_stolen"]


def _shared_contact(
    planting: Planting, rng: random.Random, flight: Flight, number: int
) -> tuple[Booking, str, list[str]]:
    booking = _booking(rng, flight, number)
    other = _booking(rng, flight, number).travellers[0]  # the listed person, not travelling
    _adult(rng, flight, other, (25, 65))
    row = _row(planting, "smuggling", "medium", other, f"planted scenario S{number:04d}")
    planted = booking.planted
    assert planted is not None
    how = rng.choice(["phone", "email", "card"])
    if how == "phone":
        planted.phone = row["phone"] = f"+{phone(rng)}"
    elif how == "email":
        user = "".join(c for c in other.surname.lower() if c.isalnum())[:8]
        planted.email = row["email"] = f"{user}{rng.randrange(10, 99)}@example.org"
    else:
        planted.payment, planted.card = "CC", luhn_card(rng)
        row["card_number_synthetic"], row["card_last_four"] = planted.card, planted.card[-4:]
    why = (
        f"The booking's {how} is the one on file for listed person "
        f"{other.surname}/{other.given} ({row['entry_id']})."
    )
    return booking, why, [f"watchlist:shared_{how}"]


def _cash_courier(
    planting: Planting, rng: random.Random, flight: Flight, number: int
) -> tuple[Booking, str, list[str]]:
    booking = _booking(rng, flight, number)
    booking.created = flight.departure - timedelta(hours=rng.randrange(3, 47))
    planted = booking.planted
    assert planted is not None
    planted.payment = "CA"
    if flight.destination in planting.hubs:  # onward from the hub, no return
        board, off = flight.destination, _other(rng, (flight.origin, flight.destination))
        leave = flight.arrival + timedelta(minutes=rng.randrange(70, 240))
    else:  # into the hub first
        board, off = _other(rng, (flight.origin, flight.destination)), flight.origin
        leave = flight.departure - timedelta(minutes=rng.randrange(150, 300))
    hub = flight.destination if board == flight.destination else flight.origin
    arrive = leave + timedelta(minutes=rng.randrange(60, 180))
    if off == flight.origin:
        # The feeder must land at the hub an hour before the flight leaves it, or the journey
        # is no connection at all (a long feeder drawn with a short lead once arrived late).
        arrive = min(arrive, flight.departure - timedelta(minutes=60))
    planted.legs.append(Leg(flight.carrier, rng.randrange(1, 9999), board, off, leave, arrive))
    hours = int((flight.departure - booking.created).total_seconds() // 3600)
    why = f"One-way ticket bought {hours} hours before departure, paid in cash, routed via {hub}."
    signals = ["rule:last_minute_booking", "rule:cash_payment", "rule:one_way", "rule:via_hub"]
    return booking, why, signals


def _trafficking(
    planting: Planting, rng: random.Random, flight: Flight, number: int
) -> tuple[Booking, str, list[str]]:
    minors = rng.randint(3, 5)
    booking = _booking(rng, flight, number)
    _adult(rng, flight, booking.travellers[0], (28, 55))
    families = {booking.travellers[0].surname}
    for n in range(minors):
        child = draw_booking(rng, flight, key=f"planted:{number}:minor:{n}", size=1).travellers[0]
        while child.surname in families:
            child.surname = names.surname(rng, rng.choice(names.CULTURE_NAMES))
        families.add(child.surname)
        _adult(rng, flight, child, (8, 15))
        child.reference, child.kind = n + 2, "C"
        booking.travellers.append(child)
    payer = _booking(rng, flight, number).travellers[0]
    planted = booking.planted
    assert planted is not None
    planted.payment, planted.card = "CC", luhn_card(rng)
    planted.payer = f"{payer.surname}/{payer.given}"
    why = (
        f"One adult with {minors} unrelated minors (all different surnames), tickets paid by "
        f"card holder {planted.payer}, who is not on the booking."
    )
    return booking, why, ["rule:unrelated_minors", "rule:third_party_payment"]


def _broken_travel(
    planting: Planting, rng: random.Random, flight: Flight, number: int
) -> tuple[Booking, str, list[str]]:
    booking = _booking(rng, flight, number)
    city = airport(flight.origin).city
    elsewhere = [c for c in airport_codes() if airport(c).city != city and c != flight.destination]
    landed_at = rng.choice(elsewhere)
    start = _other(rng, (landed_at, flight.origin))
    arrive = flight.departure - timedelta(hours=rng.randrange(14, 40))
    leave = arrive - timedelta(minutes=rng.randrange(90, 300))
    planted = booking.planted
    assert planted is not None
    planted.legs.append(
        Leg(flight.carrier, rng.randrange(1, 9999), start, landed_at, leave, arrive)
    )
    gap = int((flight.departure - arrive).total_seconds() // 3600)
    why = (
        f"Arrives at {landed_at} and departs {gap} hours later from {flight.origin} "
        f"({city}), with no travel booked in between."
    )
    return booking, why, ["rule:broken_travel"]


def _other(rng: random.Random, avoid: tuple[str, ...]) -> str:
    return rng.choice([code for code in airport_codes() if code not in avoid])


_PLANTERS = {
    "watchlist_variant": _variant,
    "lost_stolen_document": _lost_document,
    "shared_contact": _shared_contact,
    "cash_courier": _cash_courier,
    "trafficking": _trafficking,
    "broken_travel": _broken_travel,
}
