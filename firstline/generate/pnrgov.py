"""PNRGOV EDIFACT pushes of synthetic bookings, in the release each carrier uses (`release_of`).

`pnr_interchange` renders bookings already drawn, so the same people appear in every push of a
flight and in its passenger list; the booking's other details (contacts, tickets, onward legs)
come from a generator seeded with the booking key, so they are alike in every push.
`make_pnrgov` and `write_pnr_files` draw their own bookings for benchmarks.
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
    check_in_share: float = 0.4
    reference: str = "000000001"
    prepared: datetime | None = None  # default: 24 hours before departure
    header: Flight | None = None  # a stale header TVL (another flight), else the flight's own


def pnr_interchange(flight: Flight, bookings: list[Booking], options: PushOptions) -> bytes:
    """One interchange (UNA..UNZ) pushing `bookings` of `flight`."""
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
    boarding = [1]
    for booking in bookings:
        body += _booking(flight, booking, options, boarding)
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


def make_pnrgov(n_bookings: int, seed: int) -> bytes:
    """One interchange pushing `n_bookings` synthetic bookings of a flight drawn from `seed`."""
    rng = random.Random(seed)
    flight = bench_flight(rng, seed, carriers=4)
    bookings = [draw_booking(rng, flight, key=f"{seed}:{n}") for n in range(n_bookings)]
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


def _booking(
    flight: Flight, booking: Booking, options: PushOptions, boarding: list[int]
) -> list[str]:
    rng = random.Random(booking.key)
    created = booking.created
    lead = booking.travellers[0]
    rci = f"RCI+{flight.carrier}:{booking.locator}::{created:%d%m%y}:{created:%H%M%S}"
    if rng.random() < 0.3:
        rci += f"+1A:{''.join(rng.choice(LOCATOR) for _ in range(6))}"
    changed = created + timedelta(minutes=rng.randrange(600))
    segments = ["SRC'", rci + "'", f"DAT+700:{changed:%d%m%y}:{changed:%H%M}'"]
    segments += items.agency(rng, flight, alpha2(country_of(flight.origin)))
    segments += items.booking_contacts(rng, flight, lead.surname)
    if booking.planted is not None:
        segments += items.planted_contacts(flight, booking.planted)
    for person in booking.travellers:
        segments += _traveller(rng, flight, booking, person, options)
    with_history = rng.random() < 0.1
    segments += _itinerary(rng, flight, booking, options, boarding)
    if with_history:
        segments += items.history(rng, flight, lead.surname)
    return segments


def _traveller(
    rng: random.Random, flight: Flight, booking: Booking, person: Traveller, options: PushOptions
) -> list[str]:
    surname, given = items.pnr_escape(person.surname), items.pnr_escape(person.given)
    title = rng.choice(items.TITLES[person.gender])
    with_docs = rng.random() < options.docs_share
    if person.kind == "IN":
        return [f"TIF+{surname}+{given}:IN:{person.reference}'"]
    flag = ":1" if person.reference == 1 and booking.has_infant else ""
    name = f"{given} {title}" if person.kind == "A" else given
    segments = [f"TIF+{surname}+{name}:{person.kind}:{person.reference}{flag}'"]
    segments.append(f"REF+:{person.upi}'")
    if rng.random() < 0.3:
        number, tier = rng.randrange(10**8, 10**10), rng.choice("SGBP")
        segments.append(f"FTI+{flight.carrier}:{number}:::::{tier}'")
    if with_docs and person.documents:
        segments.append(items.docs(flight, person))
    if rng.random() < 0.2:
        segments.append(
            f"SSR+CTCM:HK:1:{flight.carrier}:::::{items.phone(rng)}/EN+::{person.reference}'"
        )
    issued = booking.created + timedelta(minutes=rng.randrange(5, 600))
    issued = min(issued, flight.departure - timedelta(hours=1))
    if booking.planted is not None and booking.planted.payment:
        segments += items.planted_ticket(rng, flight, issued, booking.planted)
    else:
        segments += items.ticket(rng, flight, issued)
    return segments


def _itinerary(
    rng: random.Random,
    flight: Flight,
    booking: Booking,
    options: PushOptions,
    boarding: list[int],
) -> list[str]:
    people = booking.travellers
    party = sum(1 for p in people if p.kind != "IN")
    pushed = [
        items.flight_tvl(flight, f":{rng.choice('YBMJ')}"),
        f"RPI+{party}+HK'",
        f"APD+{rng.choice(items.EQUIPMENT)}'",
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
    legs = [pushed] + [items.other_leg(rng, flight, party) for _ in range(rng.choice([0, 0, 1, 2]))]
    inbound_first = len(legs) > 1 and rng.random() < 0.5
    if booking.planted is not None:  # the planted legs instead, in time order
        planted = [(leg.departure, items.planted_leg(leg, party)) for leg in booking.planted.legs]
        ordered = sorted([(flight.departure, pushed), *planted], key=lambda item: item[0])
        legs, inbound_first = [leg for _, leg in ordered], False
    # Check-in is drawn last so that pushes with and without it agree on everything else.
    if rng.random() < options.check_in_share:
        pushed += items.check_in(rng, flight, people, boarding[0])
        boarding[0] += len(people)
    if inbound_first:
        legs.insert(0, legs.pop())  # an inbound leg before the pushed one
    return [segment for leg in legs for segment in leg]
