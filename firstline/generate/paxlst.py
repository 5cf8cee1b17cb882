"""PAXLST D05B passenger and crew lists of synthetic travellers.

`paxlst_interchange` renders travellers already drawn (so they match the flight's PNR pushes);
`make_paxlst` and `write_files` draw their own for benchmarks. Passenger lists may be split
into parts `01:C`, `02`, ... `nn:F` that share the common access reference.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from firstline.generate.edifact import escape, interchange
from firstline.generate.people import Booking, Flight, Traveller, bench_flight, draw_booking
from firstline.generate.reference import CITIES, STREETS


@dataclass(frozen=True, slots=True)
class ListOptions:
    crew: bool = False
    parts_of: int | None = None  # split into parts of at most this many travellers
    reference: str = "000000001"
    prepared: datetime | None = None  # default: two hours before departure


def paxlst_interchange(
    flight: Flight,
    entries: Sequence[tuple[Traveller, str | None]],
    options: ListOptions,
    seed: str,
) -> bytes:
    """One interchange listing `entries` (traveller, booking locator) of `flight`."""
    rng = random.Random(seed)
    people = [_person(rng, flight, t, loc, i, options.crew) for i, (t, loc) in enumerate(entries)]
    total = len(entries)
    size = options.parts_of if options.parts_of and options.parts_of > 0 else max(total, 1)
    slices = [people[i : i + size] for i in range(0, max(total, 1), size)] or [[]]
    when = options.prepared or flight.departure.replace(second=0)
    prepared = when.strftime("%y%m%d:%H%M")
    ref = options.reference
    lines = [
        "UNA:+.? '",
        f"UNB+UNOA:4+{flight.carrier}APIS:ZZ+APISGOV:ZZ+{prepared}+{ref}++APIS'",
        f"UNG+PAXLST+{flight.carrier} AIRLINES+APISGOV+{prepared}+{ref}+UN+D:05B'",
    ]
    for number, persons in enumerate(slices, start=1):
        status = ""
        if options.parts_of:
            flag = ":F" if number == len(slices) else (":C" if number == 1 else "")
            status = f"+{number:02d}{flag}"
        lines += _message(flight, (number, status), persons, total, options.crew, rng)
    lines += [f"UNE+{len(slices)}+{ref}'", f"UNZ+1+{ref}'"]
    return interchange(lines)


def close_out_interchange(
    flight: Flight, on_board: Sequence[Traveller], reference: str, prepared: datetime
) -> bytes:
    """A close-out (`BGM+266+CLOB`) after departure: unnamed `NAD+ZZZ` people on board, each
    known only by the unique passenger reference (`RFF+ABO`) the PNR and the list gave."""
    when = prepared.strftime("%y%m%d:%H%M")
    departure = flight.departure
    cref = f"{flight.designator}/{departure:%y%m%d}/{departure:%H%M}"
    body = [
        f"UNH+1+PAXLST:D:05B:UN:IATA+{cref}'",
        "BGM+266+CLOB'",
        f"NAD+MS+++{flight.carrier} AIRLINES APIS DESK'",
        f"TDT+20+{flight.designator}+++{flight.carrier}'",
        f"LOC+125+{flight.origin}'",
        f"DTM+189:{departure:%y%m%d%H%M}:201'",
        f"LOC+87+{flight.destination}'",
        f"DTM+232:{flight.arrival:%y%m%d%H%M}:201'",
    ]
    for person in on_board:
        body += ["NAD+ZZZ'", f"RFF+ABO:{person.upi}'"]
    body.append(f"CNT+42:{len(on_board)}'")
    body.append(f"UNT+{len(body) + 1}+1'")
    lines = [
        "UNA:+.? '",
        f"UNB+UNOA:4+{flight.carrier}APIS:ZZ+APISGOV:ZZ+{when}+{reference}++APIS'",
        f"UNG+PAXLST+{flight.carrier} AIRLINES+APISGOV+{when}+{reference}+UN+D:05B'",
        *body,
        f"UNE+1+{reference}'",
        f"UNZ+1+{reference}'",
    ]
    return interchange(lines)


def make_paxlst(n_passengers: int, seed: int, parts_of: int | None = None) -> bytes:
    """One interchange of `n_passengers` synthetic passengers of a flight drawn from `seed`."""
    rng = random.Random(seed)
    flight = bench_flight(rng, seed)
    entries: list[tuple[Traveller, str | None]] = []
    while len(entries) < n_passengers:
        booking: Booking = draw_booking(rng, flight, key=f"{seed}:{len(entries)}", size=1)
        entries.append((booking.travellers[0], booking.locator))
    options = ListOptions(parts_of=parts_of, reference=f"{seed % 10**9:09d}")
    return paxlst_interchange(flight, entries, options, seed=f"paxlst:{seed}")


def write_files(folder: Path, n_files: int, passengers_per_file: int, seed: int) -> list[Path]:
    """`n_files` single-part PAXLST files of distinct flights in `folder`; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(n_files):
        path = folder / f"paxlst_{seed + k:06d}.edi"
        path.write_bytes(make_paxlst(passengers_per_file, seed + k))
        paths.append(path)
    return paths


def _message(
    flight: Flight,
    part: tuple[int, str],
    persons: list[list[str]],
    total: int,
    crew: bool,
    rng: random.Random,
) -> list[str]:
    number, status = part
    departure = flight.departure
    cref = f"{flight.designator}/{departure:%y%m%d}/{departure:%H%M}"
    body = [
        f"UNH+{number}+PAXLST:D:05B:UN:IATA+{cref}{status}'",
        f"BGM+{'250' if crew else '745'}'",
        f"RFF+TN:{flight.designator}{departure:%y%m%d}{rng.randrange(10**6):06d}'",
        f"NAD+MS+++{flight.carrier} AIRLINES APIS DESK'",
        f"COM+{rng.randrange(10**9, 10**10)}:TE+{rng.randrange(10**9, 10**10)}:FX"
        f"+APIS.AT.{flight.carrier}AIR.EXAMPLE:EM'",
        f"TDT+20+{flight.designator}+++{flight.carrier}'",
        f"LOC+125+{flight.origin}'",
        f"DTM+189:{departure:%y%m%d%H%M}:201'",
        f"LOC+87+{flight.destination}'",
        f"DTM+232:{flight.arrival:%y%m%d%H%M}:201'",
    ]
    for person in persons:
        body += person
    body.append(f"CNT+{'41' if crew else '42'}:{total}'")
    body.append(f"UNT+{len(body) + 1}+{number}'")
    return body


def _person(
    rng: random.Random,
    flight: Flight,
    person: Traveller,
    booking: str | None,
    index: int,
    crew: bool,
) -> list[str]:
    name = ":".join(escape(part) for part in [person.surname, *person.given.split(" ", 1)])
    nationality = person.nationality
    segments = [f"NAD+{'FM' if crew else 'FL'}+++{name}'"]
    if not crew and rng.random() < 0.3:
        street = f"{rng.randrange(1, 400)} {rng.choice(STREETS)}"
        segments[0] = (
            f"NAD+FL+++{name}+{street}+{rng.choice(CITIES)}+:::{rng.choice(['NORTH', 'SOUTH'])}"
            f"+{rng.randrange(10000, 99999)}+{nationality}'"
        )
    segments += [f"ATT+2++{person.gender}'", f"DTM+329:{person.born:%y%m%d}'"]
    if not crew:
        segments.append(f"GEI+4+{rng.choice(['173', '173', '173', '174'])}'")
        for _ in range(rng.choice([0, 0, 1, 1, 1, 2])):
            tag = f"{flight.carrier}{rng.randrange(10**6):06d}"
            segments.append(f"FTX+BAG+++{tag}:{rng.randrange(1, 4)}'")
    segments += [
        f"LOC+22+{flight.destination}'",
        f"LOC+174+{nationality}'",
        f"LOC+178+{flight.origin}'",
        f"LOC+179+{flight.destination}'",
        f"NAT+2+{nationality}'",
    ]
    if booking:
        segments.append(f"RFF+AVF:{booking}'")
    if not crew:
        upi = person.upi or f"{flight.designator}{flight.departure:%y%m%d}{index:05d}"
        segments.append(f"RFF+ABO:{upi}'")
    if person.seat:
        segments.append(f"RFF+SEA:{person.seat}'")
    for doc in person.documents:
        segments += [f"DOC+{doc.kind}+{doc.number}'", f"DTM+36:{doc.expiry:%y%m%d}'"]
        segments.append(f"LOC+91+{doc.country}'")
    return segments
