"""A day of synthetic traffic at one or more airports, written as airlines push it.

Per flight: PNRGOV at T-72 (bookings made by then, DOCS for about half the travellers), at
T-24 (every booking, DOCS for all), at T-2 (check-in data for most travellers) and 10 minutes
after departure, at flight close (check-in data, seats and bags of everyone who showed up);
about one flight in ten pushes XML instead of EDIFACT after T-72. At check-in close a PAXLST
passenger list (sometimes in parts) and a crew list; 15 minutes after departure a close-out
(`BGM+266+CLOB`) of the people on board by unique passenger reference. Some bookings connect
two flights of the day at a hub (`connections`) and appear in both; some flights carry a tour
operator's group. File names start with the push time, so a sorted folder replays the pushes
in order. Flights are planned first (no bookings), then drawn and written one at a time:
memory stays bounded by the largest flight and the day's flight plan.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from firstline.generate.connections import draw_connection, plan_connections
from firstline.generate.deviations import NONE, DeviationLog, Deviations, deviate, file_rng
from firstline.generate.paxlst import ListOptions, close_out_interchange, paxlst_interchange
from firstline.generate.people import (
    Booking,
    Flight,
    Traveller,
    draw_booking,
    draw_crew,
    draw_group,
)
from firstline.generate.pnrgov import PnrWriter, PushOptions
from firstline.generate.pnrgov_xml import notif_rq
from firstline.generate.reference import airlines, airport_codes, country_of
from firstline.generate.scenario_lists import write_lists
from firstline.generate.scenarios import Planting, schedule

XML_SHARE = 0.1
MULTIPART_SHARE = 0.3
NO_SHOW_SHARE = 0.02
LATE_BOOKING_SHARE = 0.15  # booked after T-72: only in the T-24 and T-2 pushes
CHECKED_IN_SHARE = 0.9  # bookings checked in by T-2
GATE_NO_SHOW_SHARE = 0.01  # checked in, listed, but not on board at close-out
GROUP_SHARE = 0.15  # flights carrying a tour operator's group booking
GROUP_SIZE = (10, 30)  # travellers in a group, inclusive
CLOSE_OUT_PNR = timedelta(minutes=10)  # the last PNR push, after the flight closed


@dataclass(frozen=True, slots=True)
class DayPlan:
    """What to generate: `flights` flights on `day` touching the `airports` (hubs)."""

    day: date
    airports: tuple[str, ...] = ("FRA",)
    flights: int = 40
    seed: int = 1
    passengers: tuple[int, int] = (60, 180)  # per flight, inclusive range
    scenarios: bool = True  # plant scenarios and write the answer key and lists beside
    deviations: Deviations = field(default_factory=Deviations)  # NONE: clean messages


@dataclass(slots=True)
class DaySummary:
    files: int = 0
    flights: int = 0
    travellers: int = 0  # passengers booked (PNR) plus crew, per flight (connections twice)
    bytes: int = 0
    planted: int = 0  # scenarios in the answer key
    connections: int = 0  # bookings connecting two generated flights at a hub
    groups: int = 0  # tour operators' group bookings
    deviated: int = 0  # files with deviations (listed in _answers/deviations.json)


@dataclass(slots=True)
class _Sink:
    """Where files go: deviations applied and logged, sizes counted."""

    plan: DayPlan
    out: Path
    summary: DaySummary
    log: DeviationLog = field(default_factory=DeviationLog)
    # Flights carrying a planted scenario are written clean, so the answer key always
    # refers to messages that load.
    clean: bool = False

    def rng(self, name: str) -> random.Random:
        return file_rng(self.plan.seed, self.plan.day.isoformat(), name)

    def write(self, name: str, data: bytes) -> None:
        if self.plan.deviations != NONE and not self.clean:
            data = deviate(data, name, self.plan.deviations, self.rng(name), self.log)
        (self.out / name).write_bytes(data)
        self.summary.files += 1
        self.summary.bytes += len(data)

    def header(self, name: str, flight: Flight, bookings: list[Booking]) -> Flight | None:
        """Sometimes a stale header TVL: a flight and date left from another push."""
        rng = self.rng(f"{name}:header")
        if self.clean or not bookings or rng.random() >= self.plan.deviations.stale_header:
            return None
        self.log.add(name, "stale_header")
        number = flight.number + rng.randrange(1, 50)
        return replace(flight, number=number, departure=flight.departure - timedelta(days=1))


def plan_flights(plan: DayPlan) -> Iterator[tuple[Flight, random.Random]]:
    """The day's flights, alternately leaving and reaching a hub, each with its own generator."""
    carriers = sorted(airlines())
    taken: set[tuple[str, int]] = set()
    for index in range(plan.flights):
        rng = random.Random(f"{plan.seed}:{plan.day.isoformat()}:{index}")
        # Pairs of flights per hub, one leaving and one reaching it (with two hubs,
        # `index % 2` would send every flight out of one hub and into the other).
        hub = plan.airports[index // 2 % len(plan.airports)]
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
    sink = _Sink(plan, out, summary)
    # The flights alone (no bookings) are planned first, so connections can pair them.
    flights = [flight for flight, _ in plan_flights(plan)]
    links = plan_connections(plan.seed, plan.day, plan.airports, flights)
    for index, (flight, rng) in enumerate(plan_flights(plan)):
        connecting = [draw_connection(link, flights, index) for link in links.get(index, [])]
        summary.connections += sum(1 for link in links.get(index, []) if link.inbound == index)
        _write_flight(plan, flight, rng, sink, (planting, planned.get(index, [])), connecting)
        summary.flights += 1
        if progress is not None:
            progress(flight)
    if plan.scenarios:
        write_lists(planting, plan.day, out)
        summary.planted = len(planting.key)
    if plan.deviations != NONE:
        sink.log.write(out)
        summary.deviated = len(sink.log.applied)
    return summary


def _write_flight(
    plan: DayPlan,
    flight: Flight,
    rng: random.Random,
    sink: _Sink,
    scenarios: tuple[Planting, list[str]],
    connecting: list[Booking],
) -> None:
    seats = rng.randint(*plan.passengers)
    key = f"{plan.seed}:{flight.designator}:{flight.departure:%Y%m%d}"
    special = list(connecting)  # bookings drawn elsewhere, placed among the flight's own
    booked = sum(len(booking.travellers) for booking in special)
    if rng.random() < GROUP_SHARE and seats - booked >= GROUP_SIZE[0]:
        size = rng.randint(GROUP_SIZE[0], min(GROUP_SIZE[1], seats - booked))
        special.append(draw_group(rng, flight, key=f"{key}:group", size=size))
        booked += size
        sink.summary.groups += 1
    bookings: list[Booking] = []
    while booked < seats:
        booking = draw_booking(rng, flight, key=f"{key}:{len(bookings)}")
        if rng.random() < LATE_BOOKING_SHARE:
            booking.created = flight.departure - timedelta(hours=rng.randrange(25, 71))
        bookings.append(booking)
        booked += len(booking.travellers)
    for booking in special:
        bookings.insert(rng.randrange(len(bookings) + 1), booking)
    crew = draw_crew(rng, flight, rng.randint(3, 12))
    sink.summary.travellers += booked + len(crew)
    ref = rng.randrange(10**8, 10**9)
    xml = rng.random() < XML_SHARE
    planting, kinds = scenarios
    if kinds:  # planted flights push EDIFACT, which carries payments
        sink.summary.travellers += planting.plant(flight, kinds, bookings)
        xml = False
    sink.clean = bool(kinds)
    _check_in(bookings, rng)
    _push_bookings(flight, bookings, (xml, ref), sink)
    _push_lists(flight, (bookings, crew), rng, sink, ref)
    sink.clean = False


def _check_in(bookings: list[Booking], rng: random.Random) -> None:
    """Who shows up (boarding numbers in check-in order) and who is on board at close-out."""
    number = 0
    for booking in bookings:
        for person in booking.travellers:
            person.boarding, person.boarded = None, False
            if rng.random() >= NO_SHOW_SHARE:
                number += 1
                person.boarding = number
                person.boarded = rng.random() >= GATE_NO_SHOW_SHARE


def _push_bookings(
    flight: Flight,
    bookings: list[Booking],
    push: tuple[bool, int],
    sink: _Sink,
) -> None:
    """PNRGOV at T-72 (bookings made by then, DOCS for about half), T-24 (all, with DOCS),
    T-2 (check-in data for the bookings checked in online) and close-out (check-in data,
    seats and bags for everyone who showed up; XML: boarding status)."""
    xml, ref = push
    writer = PnrWriter(flight)
    t72 = flight.departure - timedelta(hours=72)
    early = [b for b in bookings if b.created < t72]
    name = _name(t72, flight, "pnr", "edi")
    header = sink.header(name, flight, early)
    options = PushOptions(0.5, 0, reference=f"{ref}1", prepared=t72, header=header)
    sink.write(name, writer.push(early, options))
    close = flight.departure + CLOSE_OUT_PNR
    for sent, share, number in (
        (flight.departure - timedelta(hours=24), 0.0, 2),
        (flight.departure - timedelta(hours=2), CHECKED_IN_SHARE, 5),
        (close, CHECKED_IN_SHARE, 7),
    ):
        if xml:
            data = notif_rq(
                flight, bookings, sent=sent, reference=f"{ref}{number}", close_out=sent == close
            )
            sink.write(_name(sent, flight, "pnr", "xml"), data)
            continue
        name = _name(sent, flight, "pnr", "edi")
        header = sink.header(name, flight, bookings)
        options = PushOptions(1.0, share, f"{ref}{number}", sent, header, close_out=sent == close)
        sink.write(name, writer.push(bookings, options))


def _push_lists(
    flight: Flight,
    people: tuple[list[Booking], list[Traveller]],
    rng: random.Random,
    sink: _Sink,
    ref: int,
) -> None:
    """PAXLST at check-in close: passengers who showed up (sometimes in parts), then crew;
    15 minutes after departure the close-out of the passengers on board."""
    bookings, crew = people
    close = flight.departure - timedelta(minutes=40)
    key = f"{ref}:{flight.designator}"
    boarded: list[tuple[Traveller, str | None]] = [
        (person, booking.locator)
        for booking in bookings
        for person in booking.travellers
        if person.boarding is not None
    ]
    parts_of = rng.choice([25, 40, 50]) if rng.random() < MULTIPART_SHARE else None
    options = ListOptions(parts_of=parts_of, reference=f"{ref}3", prepared=close)
    data = paxlst_interchange(flight, boarded, options, seed=f"{key}:api")
    sink.write(_name(close, flight, "api", "edi"), data)
    crew_list: list[tuple[Traveller, str | None]] = [(member, None) for member in crew]
    options = ListOptions(crew=True, reference=f"{ref}4", prepared=close)
    data = paxlst_interchange(flight, crew_list, options, seed=f"{key}:crew")
    sink.write(_name(close, flight, "crew", "edi"), data)
    gone = flight.departure + timedelta(minutes=15)
    on_board = [person for person, _ in boarded if person.boarded]
    data = close_out_interchange(flight, on_board, f"{ref}6", gone)
    sink.write(_name(gone, flight, "clob", "edi"), data)


def _name(sent: datetime, flight: Flight, kind: str, extension: str) -> str:
    return f"{sent:%Y%m%dT%H%M}_{flight.designator}_{flight.departure:%Y%m%d}_{kind}.{extension}"
