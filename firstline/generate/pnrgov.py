"""PNRGOV EDIFACT pushes of synthetic bookings, in the release each carrier uses (`release_of`).

`PnrWriter` renders the pushes of one flight from bookings already drawn, so the same people
appear in every push of a flight and in its passenger list; the booking's other details
(contacts, tickets, legs, check-in) are drawn once from a generator seeded with the booking
key, so they are alike in every push, and each push takes what it carries (DOCS for some,
check-in for the travellers checked in by then). `make_pnrgov` and `write_pnr_files` draw
their own bookings for benchmarks.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from firstline.generate import pnrgov_items as items
from firstline.generate.edifact import interchange
from firstline.generate.people import Booking, Flight, Traveller, bench_flight, draw_booking
from firstline.generate.reference import LOCATOR, alpha2, country_of

luhn_card = items.luhn_card

# Bookings checked in online, before the T-2 push; the others check in at the airport.
ONLINE_CHECK_IN = 0.9
RETURN_SHARE = 0.6  # connecting bookings that hold the way back too
ROUND_TRIP_SHARE = 0.75  # other bookings that do

# (version, release, controlling agency) as carriers put them in UNH; weights out of 100.
RELEASES: tuple[tuple[tuple[str, str, str], int], ...] = (
    (("11", "1", "IA"), 55),
    (("13", "1", "IA"), 10),
    (("13", "1", "XS"), 5),
    (("14", "1", "IA"), 10),
    (("15", "1", "IA"), 10),
    (("16", "1", "IA"), 10),
)


def release_of(carrier: str) -> tuple[str, str, str]:
    """The PNRGOV release a carrier pushes: fixed per carrier, most on 11:1."""
    digest = hashlib.blake2b(f"pnrgov-release:{carrier}".encode(), digest_size=4).digest()
    point = int.from_bytes(digest, "big") % 100
    for release, weight in RELEASES:
        if point < weight:
            return release
        point -= weight
    return RELEASES[0][0]


@dataclass(frozen=True, slots=True)
class PushOptions:
    """What a push carries: share of travellers with DOCS, of bookings checked in."""

    docs_share: float = 0.6
    check_in_share: float = 0.4  # bookings checked in (online, before the airport) by now
    reference: str = "000000001"
    prepared: datetime | None = None  # default: 24 hours before departure
    header: Flight | None = None  # a stale header TVL (another flight), else the flight's own
    close_out: bool = False  # after flight close: everyone who showed up is checked in


@dataclass(slots=True)
class _Parts:
    """A booking rendered once for a flight; each push assembles what it carries."""

    head: list[str]
    # Per traveller: segments before DOCS, the DOCS (or ""), the DOCS draw, segments after.
    people: list[tuple[list[str], str, float, list[str]]]
    before: list[str]  # legs before the pushed one
    pushed: list[str]  # the pushed leg without check-in
    check_in: list[str]  # check-in groups of the travellers who showed up
    draw: float  # checked in online (before T-2) when below the push's check-in share
    after: list[str]  # legs after the pushed one, then history


class PnrWriter:
    """Renders the PNR pushes of one flight. Each booking is drawn into segments once (from a
    generator seeded with its key) and every push assembles them: the same details in every
    push, DOCS and check-in as far as the push has them."""

    def __init__(self, flight: Flight) -> None:
        self.flight = flight
        self._parts: dict[str, _Parts] = {}

    def push(self, bookings: list[Booking], options: PushOptions) -> bytes:
        """One interchange (UNA..UNZ) pushing `bookings`."""
        flight = self.flight
        prepared = options.prepared or flight.departure - timedelta(hours=24)
        ref = options.reference
        version, release, agency = release_of(flight.carrier)
        body = [
            f"UNH+1+PNRGOV:{version}:{release}:{agency}+{flight.carrier}{flight.number}"
            f"/{flight.departure:%d%m%y}/{flight.departure:%H%M}'",
            "MSG+:22'",
            f"ORG+{flight.carrier}:{flight.origin}'",
            items.flight_tvl(options.header or flight),
            f"EQN+{len(bookings)}'",
        ]
        for booking in bookings:
            parts = self._parts.get(booking.key)
            if parts is None:
                parts = self._parts[booking.key] = _render(flight, booking)
            body += _assemble(parts, options)
        body.append(f"UNT+{len(body) + 1}+1'")
        lines = [
            "UNA:+.?*'",
            f"UNB+IATA:1+{flight.carrier}+GOVPNR+{prepared:%y%m%d:%H%M}+{ref}++PNRGOV'",
            f"UNG+PNRGOV+{flight.carrier}+GOVPNR+{prepared:%y%m%d:%H%M}+{ref}+{agency}"
            f"+{version}:{release}'",
            *body,
            f"UNE+1+{ref}'",
            f"UNZ+1+{ref}'",
        ]
        return interchange(lines)


def pnr_interchange(flight: Flight, bookings: list[Booking], options: PushOptions) -> bytes:
    """One interchange (UNA..UNZ) pushing `bookings` of `flight`.

    Only travellers with a boarding number (`Traveller.boarding`) can be checked in."""
    return PnrWriter(flight).push(bookings, options)


def make_pnrgov(n_bookings: int, seed: int) -> bytes:
    """One interchange pushing `n_bookings` synthetic bookings of a flight drawn from `seed`."""
    rng = random.Random(seed)
    flight = bench_flight(rng, seed, carriers=4)
    bookings = [draw_booking(rng, flight, key=f"{seed}:{n}") for n in range(n_bookings)]
    number = 1
    for person in (person for booking in bookings for person in booking.travellers):
        person.boarding, number = number, number + 1
    return pnr_interchange(flight, bookings, PushOptions(reference=f"{seed % 10**9:09d}"))


def write_pnr_files(folder: Path, n_files: int, bookings_per_file: int, seed: int) -> list[Path]:
    """`n_files` pushes of distinct flights in `folder`; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(n_files):
        path = folder / f"pnrgov_{seed + k:06d}.edi"
        path.write_bytes(make_pnrgov(bookings_per_file, seed + k))
        paths.append(path)
    return paths


def _assemble(parts: _Parts, options: PushOptions) -> list[str]:
    segments = list(parts.head)
    share = options.docs_share
    for before, docs, draw, after in parts.people:
        segments += before
        if docs and draw < share:
            segments.append(docs)
        segments += after
    segments += parts.before
    segments += parts.pushed
    if parts.check_in and (options.close_out or parts.draw < options.check_in_share):
        segments += parts.check_in
    segments += parts.after
    return segments


def _render(flight: Flight, booking: Booking) -> _Parts:
    """Everything a push may say about `booking`, drawn in a fixed order from its key."""
    rng = random.Random(booking.key)
    # A connecting booking was made and ticketed for its whole itinerary: the first leg's
    # carrier and airport stand for it in every push, whichever flight is pushed.
    base = booking.legs[0] if booking.legs else flight
    created = booking.created
    lead = booking.travellers[0]
    rci = f"RCI+{base.carrier}:{booking.locator}::{created:%d%m%y}:{created:%H%M%S}"
    if rng.random() < 0.3:
        rci += f"+1A:{''.join(rng.choice(LOCATOR) for _ in range(6))}"
    changed = created + timedelta(minutes=rng.randrange(600))
    head = ["SRC'", rci + "'", f"DAT+700:{changed:%d%m%y}:{changed:%H%M}'"]
    if booking.group is not None:
        head += items.group(base, booking.group, len(booking.travellers))
    else:
        head += items.agency(rng, base, alpha2(country_of(base.origin)))
        head += items.booking_contacts(rng, base, lead.surname)
    if booking.planted is not None:
        head += items.planted_contacts(base, booking.planted)
    people = [_traveller(rng, base, flight, booking, person) for person in booking.travellers]
    history = items.history(rng, flight, lead.surname) if rng.random() < 0.1 else []
    before, pushed, after = _itinerary(rng, flight, booking)
    draw = rng.random()
    shown = [person for person in booking.travellers if person.boarding is not None]
    late = draw >= ONLINE_CHECK_IN
    bags_to = booking.legs[-1].destination if booking.legs else None
    check_in = items.check_in(rng, flight, shown, late=late, bags_to=bags_to) if shown else []
    return _Parts(head, people, before, pushed, check_in, draw, after + history)


def _traveller(
    rng: random.Random, base: Flight, flight: Flight, booking: Booking, person: Traveller
) -> tuple[list[str], str, float, list[str]]:
    surname, given = items.pnr_escape(person.surname), items.pnr_escape(person.given)
    title = rng.choice(items.TITLES[person.gender])
    draw = rng.random()
    if person.kind == "IN":
        return [f"TIF+{surname}+{given}:IN:{person.reference}'"], "", draw, []
    flag = ":1" if person.reference == 1 and booking.has_infant else ""
    name = f"{given} {title}" if person.kind == "A" else given
    before = [f"TIF+{surname}+{name}:{person.kind}:{person.reference}{flag}'"]
    before.append(f"REF+:{person.upi}'")
    if rng.random() < (0.1 if booking.group else 0.3):
        number, tier = rng.randrange(10**8, 10**10), rng.choice("SGBP")
        before.append(f"FTI+{base.carrier}:{number}:::::{tier}'")
    docs = items.docs(base, person) if person.documents else ""
    after = []
    if booking.group is None and rng.random() < 0.2:
        after.append(
            f"SSR+CTCM:HK:1:{base.carrier}:::::{items.phone(rng)}/EN+::{person.reference}'"
        )
    issued = booking.created + timedelta(minutes=rng.randrange(5, 600))
    issued = min(issued, flight.departure - timedelta(hours=1))
    if booking.planted is not None and booking.planted.payment:
        after += items.planted_ticket(rng, base, issued, booking.planted)
    elif booking.group is not None:
        after += items.ticket(rng, base, issued, "IN" if booking.group.invoice else "CC")
    else:
        after += items.ticket(rng, base, issued)
    return before, docs, draw, after


def _is(leg: Flight, flight: Flight) -> bool:
    return leg.designator == flight.designator and leg.departure == flight.departure


def _itinerary(
    rng: random.Random, flight: Flight, booking: Booking
) -> tuple[list[str], list[str], list[str]]:
    """Legs before the pushed one, the pushed leg (without check-in), legs after it."""
    people = booking.travellers
    party = sum(1 for p in people if p.kind != "IN")
    booked_class = rng.choice("YBMJ")
    pushed = [
        items.flight_tvl(flight, f":{booked_class}"),
        f"RPI+{party}+HK'",
        f"APD+{items.equipment(flight)}'",
    ]
    for person in people:
        if person.kind == "IN":
            pushed.append(
                f"SSR+INFT:HK:1:{flight.carrier}:::{flight.origin}:{flight.destination}:"
                f"{items.pnr_escape(person.surname)}/{items.pnr_escape(person.given)}+::1'"
            )
        elif person.seat and rng.random() < 0.3:
            seat = f"{int(person.seat[:-1]):03d}{person.seat[-1]}"
            pushed.append(
                f"SSR+SEAT:HK:1:{flight.carrier}:::{flight.origin}:{flight.destination}+"
                f"{seat}::{person.reference}'"
            )
    if booking.legs:  # a connection: every generated leg, in time order, maybe a way back
        legs = [
            (leg.departure, pushed if _is(leg, flight) else items.day_leg(leg, booked_class, party))
            for leg in booking.legs
        ]
        if rng.random() < RETURN_SHARE:
            legs.append((booking.legs[-1].arrival, items.return_trip(rng, booking.legs, party)))
    elif booking.planted is not None:  # the planted legs instead, in time order
        planted = [(leg.departure, items.planted_leg(leg, party)) for leg in booking.planted.legs]
        legs = sorted([(flight.departure, pushed), *planted], key=lambda item: item[0])
    else:  # legs beyond the generated day: an inbound leg before, onward legs after
        count = rng.choice([0, 0, 1, 2])
        inbound = count > 0 and rng.random() < 0.5
        legs = [(flight.departure, pushed)]
        if inbound:
            legs.insert(0, (flight.departure, items.inbound_leg(rng, flight, party)))
        board, landing, avoid = flight.destination, flight.arrival, {flight.origin}
        for _ in range(count - inbound):  # onward legs, each from where the last one landed
            leg, landed, landing = items.onward_leg(rng, flight, party, board, landing, avoid)
            legs.append((landing, leg))
            avoid.add(board)
            board = landed
        # Most tickets are returns: a booking that goes no further holds the way back.
        if count - inbound == 0 and rng.random() < ROUND_TRIP_SHARE:
            legs.append((flight.arrival, items.return_trip(rng, [flight], party)))
    at = next(n for n, (_, leg) in enumerate(legs) if leg is pushed)
    before = [segment for _, leg in legs[:at] for segment in leg]
    after = [segment for _, leg in legs[at + 1 :] for segment in leg]
    return before, pushed, after
