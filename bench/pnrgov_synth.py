"""Deterministic synthetic PNRGOV EDIFACT (11:1) pushes for benchmarks. Synthetic data only.

Names, documents, phones, e-mails, addresses and record locators come from small built-in
lists (shared with paxlst_synth.py) through a seeded random generator, so the same arguments
always give the same bytes. Card numbers are random 16-digit numbers that pass Luhn, under
the test prefix 4 (no real card). Each booking has 1 to 6 travellers, DOCS for some, contacts
in SSR, OSI text and ADD, tickets with amounts and taxes, card or cash payments with a
billing address, an itinerary of 1 to 3 legs (code-shares among the others), check-in data
for some bookings and history for a few.

    python bench/pnrgov_synth.py OUT_DIR [--files 20] [--bookings 200] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from paxlst_synth import AIRPORTS, CITIES, CULTURE_NAMES, CULTURES, LOCATOR, STREETS  # noqa: E402

CARRIERS = ["ZZ", "XZ", "ZX", "QZ"]
PARTNERS = ["YY", "YZ", "ZY"]
NUMERIC_CODES = {"ZZ": "991", "XZ": "992", "ZX": "993", "QZ": "994"}  # bag tag airline codes
ALPHA2 = {"AUS": "AU", "USA": "US", "GBR": "GB", "DEU": "DE", "FRA": "FR", "ESP": "ES"}
ALPHA2 |= {"ARE": "AE", "KOR": "KR", "CHN": "CN", "JPN": "JP", "IND": "IN", "TUR": "TR"}
ALPHA2 |= {"POL": "PL", "CZE": "CZ", "EGY": "EG", "CAN": "CA", "BRA": "BR", "ZAF": "ZA"}
ALPHA2 |= {"SGP": "SG", "DNK": "DK"}
TITLES = {"M": ["MR", "MR", "DR"], "F": ["MRS", "MS", "MISS"]}
EQUIPMENT = ["320", "321", "333", "359", "738", "77W", "788"]
SEATS = "ABCDEFHJK"
CRLF = "\r\n"


def escape(value: str) -> str:
    """Release-escape the service characters of `UNA:+.?*'` (`?` first)."""
    for char in "?:+*'":
        value = value.replace(char, "?" + char)
    return value


def luhn_card(rng: random.Random) -> str:
    """A 16-digit number starting with 4 that passes Luhn (synthetic, like test cards)."""
    body = "4" + "".join(rng.choice("0123456789") for _ in range(14))
    for check in "0123456789":
        total = 0
        for position, char in enumerate(reversed(body + check)):
            number = int(char) * (2 if position % 2 else 1)
            total += number - 9 if number > 9 else number
        if total % 10 == 0:
            return body + check
    raise AssertionError("unreachable")


class _Flight:
    def __init__(self, rng: random.Random, seed: int) -> None:
        self.carrier = rng.choice(CARRIERS)
        self.number = 1 + seed % 9000
        self.origin, self.destination = rng.sample(sorted(AIRPORTS), 2)
        day = datetime(2025, 1, 1) + timedelta(days=seed % 366)
        self.departure = day.replace(hour=rng.randrange(5, 23), minute=5 * rng.randrange(12))
        self.arrival = self.departure + timedelta(minutes=45 + 30 * rng.randrange(1, 20))
        self.sequence = 0

    def tvl(self, with_class: str = "") -> str:
        number = f"{self.number}{with_class}"
        return _tvl(
            self.departure, self.arrival, self.origin, self.destination, self.carrier, number
        )


def _tvl(dep: datetime, arr: datetime, board: str, off: str, carrier: str, number: str) -> str:
    return f"TVL+{dep:%d%m%y}:{dep:%H%M}:{arr:%d%m%y}:{arr:%H%M}+{board}+{off}+{carrier}+{number}'"


def make_pnrgov(n_bookings: int, seed: int) -> bytes:
    """One interchange (UNA..UNZ) pushing `n_bookings` synthetic bookings of one flight."""
    rng = random.Random(seed)
    flight = _Flight(rng, seed)
    prepared = flight.departure - timedelta(hours=24)
    reference = f"{seed % 10**9:09d}"
    body = [
        f"UNH+1+PNRGOV:11:1:IA+{flight.carrier}{flight.number}/{flight.departure:%d%m%y}"
        f"/{flight.departure:%H%M}'",
        "MSG+:22'",
        f"ORG+{flight.carrier}:{flight.origin}'",
        flight.tvl(),
        f"EQN+{n_bookings}'",
    ]
    for index in range(n_bookings):
        body += _booking(rng, flight, index)
    body.append(f"UNT+{len(body) + 1}+1'")
    lines = [
        "UNA:+.?*'",
        f"UNB+IATA:1+{flight.carrier}+GOVPNR+{prepared:%y%m%d:%H%M}+{reference}++PNRGOV'",
        f"UNG+PNRGOV+{flight.carrier}+GOVPNR+{prepared:%y%m%d:%H%M}+{reference}+IA+11:1'",
        *body,
        f"UNE+1+{reference}'",
        f"UNZ+1+{reference}'",
    ]
    return (CRLF.join(lines) + CRLF).encode("ascii")


def write_pnr_files(folder: Path, n_files: int, bookings_per_file: int, seed: int) -> list[Path]:
    """`n_files` pushes of distinct flights in `folder`; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(n_files):
        path = folder / f"pnrgov_{seed + k:06d}.edi"
        path.write_bytes(make_pnrgov(bookings_per_file, seed + k))
        paths.append(path)
    return paths


def _booking(rng: random.Random, flight: _Flight, index: int) -> list[str]:
    culture = rng.choice(CULTURE_NAMES)
    surnames, males, females, nationalities = CULTURES[culture]
    surname = escape(rng.choice(surnames))
    nationality = rng.choice(nationalities)
    country = ALPHA2.get(AIRPORTS[flight.origin], "GB")
    created = flight.departure - timedelta(days=rng.randrange(2, 200), minutes=rng.randrange(1440))
    locator = "".join(rng.choice(LOCATOR) for _ in range(6))
    rci = f"RCI+{flight.carrier}:{locator}::{created:%d%m%y}:{created:%H%M%S}"
    if rng.random() < 0.3:
        rci += f"+1A:{''.join(rng.choice(LOCATOR) for _ in range(6))}"
    changed = created + timedelta(days=rng.randrange(0, 2), minutes=rng.randrange(600))
    segments = ["SRC'", rci + "'", f"DAT+700:{changed:%d%m%y}:{changed:%H%M}'"]
    segments += _agency(rng, flight, country)
    segments += _booking_contacts(rng, flight, surname)
    people = _people(rng, surname, males, females, nationality, flight)
    for person in people:
        segments += person.segments
    segments += _itinerary(rng, flight, people)
    if rng.random() < 0.1:
        segments += _history(rng, flight, surname)
    return segments


def _agency(rng: random.Random, flight: _Flight, country: str) -> list[str]:
    if rng.random() < 0.5:
        return [f"ORG+{flight.carrier}:{flight.origin}++++A+{country}'"]
    office = f"{flight.origin}{rng.choice(CARRIERS)}0{rng.randrange(100, 999)}"
    number = f"{rng.randrange(10**7, 10**8)}"
    sign = f"{rng.randrange(1000, 9999)}{rng.choice('ABCDEFGH')}{rng.choice('ABCDEFGH')}"
    return [
        f"ORG+1A:{flight.origin}+{number}:{office}+{flight.origin}+{flight.carrier}:"
        f"{flight.origin}+T+{country}:EUR+{sign}++{rng.choice(['SU', 'GS', 'AS'])}'"
    ]


def _phone(rng: random.Random) -> str:
    """A UK mobile number in the 07400-07599 and 07700-07899 ranges, written as airlines do
    (country code, no plus)."""
    return f"447{rng.choice('4578')}{rng.randrange(10, 99)}{rng.randrange(100000, 999999)}"


def _booking_contacts(rng: random.Random, flight: _Flight, surname: str) -> list[str]:
    segments = []
    if rng.random() < 0.6:
        segments.append(f"IFT+4:28::{flight.carrier}+CTCM {_phone(rng)}'")
    if rng.random() < 0.4:
        user = surname.replace("?", "").replace("'", "").replace(" ", "..")
        segments.append(f"IFT+4:28::{flight.carrier}+CTCE {user}//EXAMPLE.COM'")
    if rng.random() < 0.3:
        segments.append(
            f"ADD++700:{rng.randrange(1, 400)} {rng.choice(STREETS)}:{rng.choice(CITIES)}::GB:"
            f"AB{rng.randrange(1, 99)} {rng.randrange(1, 9)}CD:{_phone(rng)}'"
        )
    if rng.random() < 0.2:
        segments.append(f"IFT+4:63::{flight.carrier}+PLEASE ADVISE SCHEDULE CHANGES'")
    return segments


class _Person:
    def __init__(self, reference: int, surname: str, given: str, infant: bool) -> None:
        self.reference, self.surname, self.given, self.infant = reference, surname, given, infant
        self.segments: list[str] = []


def _people(
    rng: random.Random,
    surname: str,
    males: list[str],
    females: list[str],
    nationality: str,
    flight: _Flight,
) -> list[_Person]:
    count = rng.choice([1, 1, 1, 2, 2, 2, 3, 4, 5, 6])
    # At most one infant, on the lap of the first traveller (an adult).
    infant_at = rng.randrange(1, count) if count > 1 and rng.random() < 0.15 else None
    people: list[_Person] = []
    for n in range(count):
        gender = "F" if n == infant_at else rng.choice("MF")
        given = escape(rng.choice(males if gender == "M" else females))
        reference = n + 1
        person = _Person(reference, surname, given, n == infant_at)
        if person.infant:
            person.segments.append(f"TIF+{surname}+{given}:IN:{reference}'")
        else:
            kind = "C" if n > 0 and rng.random() < 0.15 else "A"
            title = rng.choice(TITLES[gender]) if kind == "A" else ""
            flag = ":1" if n == 0 and infant_at is not None else ""
            name = f"{given} {title}" if title else given
            person.segments.append(f"TIF+{surname}+{name}:{kind}:{reference}{flag}'")
            person.segments += _traveller_details(rng, flight, person, gender, nationality)
        people.append(person)
    return people


def _traveller_details(
    rng: random.Random, flight: _Flight, person: _Person, gender: str, nationality: str
) -> list[str]:
    segments = [f"REF+:{rng.randrange(16**15, 16**16):016X}'"]
    if rng.random() < 0.3:
        number, tier = rng.randrange(10**8, 10**10), rng.choice("SGBP")
        segments.append(f"FTI+{flight.carrier}:{number}:::::{tier}'")
    if rng.random() < 0.6:
        born = flight.departure - timedelta(days=rng.randrange(3 * 365, 85 * 365))
        expiry = flight.departure + timedelta(days=rng.randrange(30, 3650))
        number = f"{rng.choice('ABCEGKNPTX')}{rng.randrange(10**7, 10**8)}"
        segments.append(
            f"SSR+DOCS:HK:1:{flight.carrier}:::::/P/{nationality}/{number}/{nationality}/"
            f"{born:%d%b%y}/{gender}/{expiry:%d%b%y}/{person.surname}/{person.given}+::"
            f"{person.reference}'".upper()
        )
    if rng.random() < 0.2:
        segments.append(
            f"SSR+CTCM:HK:1:{flight.carrier}:::::{_phone(rng)}/EN+::{person.reference}'"
        )
    segments += _ticket(rng, flight)
    return segments


def _ticket(rng: random.Random, flight: _Flight) -> list[str]:
    if rng.random() < 0.2:
        return []
    issued = flight.departure - timedelta(days=rng.randrange(1, 60))
    base = rng.randrange(80, 2500)
    codes = ["FR", "YQ", "QX"][: rng.randrange(1, 4)]
    taxes = [(round(rng.uniform(5, 120), 2), code) for code in codes]
    total = base + sum(amount for amount, _ in taxes)
    code = NUMERIC_CODES[flight.carrier]
    segments = [
        f"TKT+{code}{rng.randrange(10**9, 10**10)}:T:1'",
        f"MON+B:{base:.2f}:EUR+T:{total:.2f}:EUR'",
        f"PTK+NR++{issued:%d%m%y}+{flight.carrier}++{flight.origin}'",
        "TXD++" + "+".join(f"{amount:.2f}::EUR:{code}" for amount, code in taxes) + "'",
        f"DAT+710:{issued:%d%m%y}:{issued:%H%M}'",
    ]
    if rng.random() < 0.7:
        expiry = f"{rng.randrange(1, 13):02d}{rng.randrange(26, 31)}"
        vendor = rng.choice(["VI", "CA", "AX"])
        segments.append(f"FOP+CC::{total:.2f}:{vendor}:{luhn_card(rng)}:{expiry}'")
        if rng.random() < 0.5:
            segments.append(
                f"ADD++702:{rng.randrange(1, 400)} {rng.choice(STREETS)}:{rng.choice(CITIES)}"
                f"::GB:AB{rng.randrange(1, 99)} 1CD'"
            )
    else:
        segments.append(f"FOP+CA::{total:.2f}'")
    return segments


def _itinerary(rng: random.Random, flight: _Flight, people: list[_Person]) -> list[str]:
    party = len(people)
    legs: list[list[str]] = []
    equipment = rng.choice(EQUIPMENT)
    pushed = [flight.tvl(f":{rng.choice('YBMJ')}"), f"RPI+{party}+HK'", f"APD+{equipment}'"]
    for person in people:
        if person.infant:
            pushed.append(
                f"SSR+INFT:HK:1:{flight.carrier}:::{flight.origin}:{flight.destination}:"
                f"{person.surname}/{person.given}+::1'"
            )
        elif rng.random() < 0.3:
            seat = f"{rng.randrange(1, 45):03d}{rng.choice(SEATS)}"
            pushed.append(
                f"SSR+SEAT:HK:1:{flight.carrier}:::{flight.origin}:{flight.destination}+"
                f"{seat}::{person.reference}'"
            )
    if rng.random() < 0.4:
        pushed += _check_in(rng, flight, people)
    legs.append(pushed)
    for _ in range(rng.choice([0, 0, 1, 2])):
        legs.append(_other_leg(rng, flight, party))
    if len(legs) > 1 and rng.random() < 0.5:
        legs.insert(0, legs.pop())  # an inbound leg before the pushed one
    return [segment for leg in legs for segment in leg]


def _other_leg(rng: random.Random, flight: _Flight, party: int) -> list[str]:
    board = flight.destination
    off = rng.choice([a for a in sorted(AIRPORTS) if a not in (flight.origin, board)])
    departure = flight.arrival + timedelta(hours=rng.randrange(2, 30))
    arrival = departure + timedelta(minutes=60 + 30 * rng.randrange(1, 16))
    if rng.random() < 0.5:  # code-share: marketed by a partner, operated by the carrier
        partner = rng.choice(PARTNERS)
        number = rng.randrange(1000, 9999)
        operated = rng.randrange(1, 999)
        return [
            _tvl(departure, arrival, board, off, f"{partner}:{flight.carrier}", f"{number}:Y"),
            f"TRA+{flight.carrier}+{operated}:Y'",
            f"RPI+{party}+HK'",
            f"APD+{rng.choice(EQUIPMENT)}'",
        ]
    number = f"{rng.randrange(1, 9999):04d}:{rng.choice('YBM')}"
    return [_tvl(departure, arrival, board, off, flight.carrier, number), f"RPI+{party}+HK'"]


def _check_in(rng: random.Random, flight: _Flight, people: list[_Person]) -> list[str]:
    segments = []
    row = rng.randrange(1, 45)
    head = None
    for n, person in enumerate(people):
        flight.sequence += 1
        boarding = f"{flight.origin}-{flight.sequence:03d}"
        when = flight.departure - timedelta(minutes=rng.randrange(45, 1440))
        segments += [
            f"DAT+2:{when:%d%m%y}:{when:%H%M}'",
            f"ORG+{flight.carrier}++++A'",
            f"TRI++{boarding}:::{person.reference}'",
            f"TIF+{person.surname}+{person.given}:{'IN' if person.infant else 'A'}:"
            f"{person.reference}'",
            f"SSD+{row:03d}{SEATS[n % len(SEATS)]}++++Y'",
        ]
        if not person.infant and rng.random() < 0.7:
            pieces = rng.randrange(1, 4)
            pool = f"HP:{boarding}" if head is None else f"MP:{head}"
            head = head or boarding
            serial = rng.randrange(10**9, 10**10)
            segments.append(
                f"TBD++{pieces}:{pieces * rng.randrange(8, 23)}:700++{pool}+"
                f"{NUMERIC_CODES[flight.carrier]}:{serial}:{pieces}:{flight.destination}'"
            )
    return segments


def _history(rng: random.Random, flight: _Flight, surname: str) -> list[str]:
    when = flight.departure - timedelta(days=rng.randrange(1, 30))
    return [
        f"ABI+1:{rng.randrange(1000, 9999)}AA+{flight.origin}{flight.carrier}0100'",
        f"DAT+ZZ:{when:%d%m%y}:{when:%H%M}'",
        "SAC+++X'",
        f"LTS+0/X/SSR/SEAT {flight.carrier}{flight.number} {surname}'",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--bookings", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    paths = write_pnr_files(args.out, args.files, args.bookings, args.seed)
    print(f"{len(paths)} files, {sum(p.stat().st_size for p in paths) / 1e6:.1f} MB in {args.out}")


if __name__ == "__main__":
    main()
