"""A day of synthetic traffic at one or more airports, written as airlines push it.

Per flight: PNRGOV at T-72 (bookings made by then, DOCS for about half the travellers) and at
T-24 (every booking, DOCS for all; about one flight in ten pushes XML instead of EDIFACT),
then at check-in close a PAXLST passenger list (sometimes in parts) and a crew list. File names
start with the push time, so a sorted folder replays the pushes in order. Flights are drawn
and written one at a time: memory stays bounded by the largest flight.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from firstline.generate.paxlst import ListOptions, paxlst_interchange
from firstline.generate.people import Booking, Flight, Traveller, draw_booking, draw_crew
from firstline.generate.pnrgov import PushOptions, pnr_interchange
from firstline.generate.pnrgov_xml import notif_rq
from firstline.generate.reference import airlines, airport_codes, country_of
from firstline.generate.scenario_lists import write_lists
from firstline.generate.scenarios import Planting, schedule

XML_SHARE = 0.1
MULTIPART_SHARE = 0.3
NO_SHOW_SHARE = 0.02
LATE_BOOKING_SHARE = 0.15  # booked after T-72: only in the T-24 push


@dataclass(frozen=True, slots=True)
class DayPlan:
    """What to generate: `flights` flights on `day` touching the `airports` (hubs)."""

    day: date
    airports: tuple[str, ...] = ("FRA",)
    flights: int = 40
    seed: int = 1
    passengers: tuple[int, int] = (60, 180)  # per flight, inclusive range
    scenarios: bool = True  # plant scenarios and write the answer key and lists beside


@dataclass(slots=True)
class DaySummary:
    files: int = 0
    flights: int = 0
    travellers: int = 0  # passengers booked (PNR) plus crew
    bytes: int = 0
    planted: int = 0  # scenarios in the answer key


def plan_flights(plan: DayPlan) -> Iterator[tuple[Flight, random.Random]]:
    """The day's flights, alternately leaving and reaching a hub, each with its own generator."""
    carriers = sorted(airlines())
    taken: set[tuple[str, int]] = set()
    for index in range(plan.flights):
        rng = random.Random(f"{plan.seed}:{plan.day.isoformat()}:{index}")
        hub = plan.airports[index % len(plan.airports)]
        other = rng.choice([code for code in airport_codes() if code != hub])
        origin, destination = (hub, other) if index % 2 == 0 else (other, hub)
        countries = {country_of(origin), country_of(destination)}
        home = [code for code in carriers if airlines()[code].country3 in countries]
        carrier = rng.choice(home if home and rng.random() < 0.8 else carriers)
        number = rng.randrange(1, 2000)
        while (carrier, number) in taken:
            number += 1
        taken.add((carrier, number))
        departure = datetime.combine(plan.day, datetime.min.time()).replace(
            hour=rng.randrange(5, 23), minute=5 * rng.randrange(12)
        )
        arrival = departure + timedelta(minutes=50 + 15 * rng.randrange(1, 48))
        numeric = airlines()[carrier].numeric
        yield Flight(carrier, number, origin, destination, departure, arrival, numeric), rng


def write_day(
    plan: DayPlan, out: Path, *, progress: Callable[[Flight], None] | None = None
) -> DaySummary:
    """Write the day's messages into `out`, one flight at a time."""
    out.mkdir(parents=True, exist_ok=True)
    summary = DaySummary()
    planting = Planting(plan.seed, plan.airports)
    planned = schedule(plan.seed, plan.day, plan.flights) if plan.scenarios else {}
    for index, (flight, rng) in enumerate(plan_flights(plan)):
        _write_flight(plan, flight, rng, out, summary, (planting, planned.get(index, [])))
        summary.flights += 1
        if progress is not None:
            progress(flight)
    if plan.scenarios:
        write_lists(planting, plan.day, out)
        summary.planted = len(planting.key)
    return summary


def _write_flight(
    plan: DayPlan,
    flight: Flight,
    rng: random.Random,
    out: Path,
    summary: DaySummary,
    scenarios: tuple[Planting, list[str]],
) -> None:
    seats = rng.randint(*plan.passengers)
    key = f"{plan.seed}:{flight.designator}:{flight.departure:%Y%m%d}"
    bookings: list[Booking] = []
    booked = 0
    while booked < seats:
        booking = draw_booking(rng, flight, key=f"{key}:{len(bookings)}")
        if rng.random() < LATE_BOOKING_SHARE:
            booking.created = flight.departure - timedelta(hours=rng.randrange(25, 71))
        bookings.append(booking)
        booked += len(booking.travellers)
    crew = draw_crew(rng, flight, rng.randint(3, 12))
    summary.travellers += booked + len(crew)
    ref = rng.randrange(10**8, 10**9)
    xml = rng.random() < XML_SHARE
    planting, kinds = scenarios
    if kinds:  # planted flights push EDIFACT, which carries payments
        summary.travellers += planting.plant(flight, kinds, bookings)
        xml = False
    _push_bookings(flight, bookings, (xml, ref), out, summary)
    _push_lists(flight, (bookings, crew), rng, out, summary, ref)


def _push_bookings(
    flight: Flight,
    bookings: list[Booking],
    push: tuple[bool, int],
    out: Path,
    summary: DaySummary,
) -> None:
    """PNRGOV at T-72 (bookings made by then, DOCS for about half) and T-24 (all, with DOCS)."""
    xml, ref = push
    t72 = flight.departure - timedelta(hours=72)
    early = [b for b in bookings if b.created < t72]
    options = PushOptions(docs_share=0.5, check_in_share=0, reference=f"{ref}1", prepared=t72)
    _write(out, _name(t72, flight, "pnr", "edi"), pnr_interchange(flight, early, options), summary)
    t24 = flight.departure - timedelta(hours=24)
    if xml:
        data = notif_rq(flight, bookings, sent=t24, reference=f"{ref}2")
        _write(out, _name(t24, flight, "pnr", "xml"), data, summary)
        return
    options = PushOptions(docs_share=1.0, check_in_share=0, reference=f"{ref}2", prepared=t24)
    _write(
        out, _name(t24, flight, "pnr", "edi"), pnr_interchange(flight, bookings, options), summary
    )


def _push_lists(
    flight: Flight,
    people: tuple[list[Booking], list[Traveller]],
    rng: random.Random,
    out: Path,
    summary: DaySummary,
    ref: int,
) -> None:
    """PAXLST at check-in close: passengers who showed up (sometimes in parts), then crew."""
    bookings, crew = people
    close = flight.departure - timedelta(minutes=40)
    key = f"{ref}:{flight.designator}"
    boarded: list[tuple[Traveller, str | None]] = [
        (person, booking.locator)
        for booking in bookings
        for person in booking.travellers
        if rng.random() >= NO_SHOW_SHARE
    ]
    parts_of = rng.choice([25, 40, 50]) if rng.random() < MULTIPART_SHARE else None
    options = ListOptions(parts_of=parts_of, reference=f"{ref}3", prepared=close)
    data = paxlst_interchange(flight, boarded, options, seed=f"{key}:api")
    _write(out, _name(close, flight, "api", "edi"), data, summary)
    crew_list: list[tuple[Traveller, str | None]] = [(member, None) for member in crew]
    options = ListOptions(crew=True, reference=f"{ref}4", prepared=close)
    data = paxlst_interchange(flight, crew_list, options, seed=f"{key}:crew")
    _write(out, _name(close, flight, "crew", "edi"), data, summary)


def _name(sent: datetime, flight: Flight, kind: str, extension: str) -> str:
    return f"{sent:%Y%m%dT%H%M}_{flight.designator}_{flight.departure:%Y%m%d}_{kind}.{extension}"


def _write(out: Path, name: str, data: bytes, summary: DaySummary) -> None:
    path = out / name
    path.write_bytes(data)
    summary.files += 1
    summary.bytes += len(data)
