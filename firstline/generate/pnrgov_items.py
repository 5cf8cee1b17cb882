"""Parts of a synthetic PNRGOV EDIFACT booking: contacts, tickets, legs, check-in, history.

Card numbers are random 16-digit numbers under the test prefix 4 that pass Luhn (no real
card); phones are UK mobile numbers in ranges kept for drama and tests.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from firstline.generate.edifact import escape
from firstline.generate.people import Flight, Group, Leg, Planted, Traveller
from firstline.generate.reference import (
    CITIES,
    STREETS,
    TEST_CARRIERS,
    airport_codes,
    alpha2,
    country_of,
)

PARTNERS = ["YY", "YZ", "ZY"]
TITLES = {"M": ["MR", "MR", "DR"], "F": ["MRS", "MS", "MISS"]}
EQUIPMENT = ["320", "321", "333", "359", "738", "77W", "788"]
SEATS = "ABCDEFHJK"
PNR_SPECIALS = "?:+*'"


def pnr_escape(value: str) -> str:
    """Release-escape the service characters of `UNA:+.?*'`."""
    return escape(value, PNR_SPECIALS)


def luhn_card(rng: random.Random) -> str:
    """A 16-digit number starting with 4 that passes Luhn (synthetic, like test cards)."""
    body = f"4{rng.randrange(10**14):014d}"
    total = 0
    for position, char in enumerate(reversed(body)):  # the check digit will be position 0
        number = int(char) * (1 if position % 2 else 2)
        total += number - 9 if number > 9 else number
    return f"{body}{-total % 10}"


def phone(rng: random.Random) -> str:
    """A UK mobile number written as airlines do (country code, no plus)."""
    return f"447{rng.choice('4578')}{rng.randrange(10, 99)}{rng.randrange(100000, 999999)}"


def tvl(dep: datetime, arr: datetime, board: str, off: str, carrier: str, number: str) -> str:
    return f"TVL+{dep:%d%m%y}:{dep:%H%M}:{arr:%d%m%y}:{arr:%H%M}+{board}+{off}+{carrier}+{number}'"


def flight_tvl(flight: Flight, with_class: str = "") -> str:
    return tvl(
        flight.departure,
        flight.arrival,
        flight.origin,
        flight.destination,
        flight.carrier,
        f"{flight.number}{with_class}",
    )


def equipment(flight: Flight) -> str:
    """The aircraft type of a flight: the same in every booking and push."""
    return EQUIPMENT[(flight.number * 7 + ord(flight.carrier[0])) % len(EQUIPMENT)]


def day_leg(leg: Flight, booked_class: str, party: int) -> list[str]:
    """A leg of the booking that is another flight of the generated day (a connection)."""
    return [flight_tvl(leg, f":{booked_class}"), f"RPI+{party}+HK'", f"APD+{equipment(leg)}'"]


def return_trip(rng: random.Random, legs: list[Flight], party: int) -> list[str]:
    """The way back of a connection, 3 to 14 days later: the same flights reversed (numbers
    one up, as airlines number return flights), with a layover at the hub again."""
    segments = []
    start = legs[-1].arrival + timedelta(days=rng.randrange(3, 15), minutes=30 * rng.randrange(48))
    for leg in reversed(legs):
        departure = start
        arrival = departure + (leg.arrival - leg.departure)
        number = f"{leg.number + 1}:{rng.choice('YBM')}"
        segments += [
            tvl(departure, arrival, leg.destination, leg.origin, leg.carrier, number),
            f"RPI+{party}+HK'",
        ]
        start = arrival + timedelta(minutes=rng.randrange(60, 240))
    return segments


def group(flight: Flight, booked: Group, size: int) -> list[str]:
    """A tour operator's group: its office (ORG, travel agent), desk phone, the group name
    (SSR GRPS, AIRIMP) and tour code as remarks."""
    country = alpha2(country_of(flight.origin))
    sign = f"{1000 + len(booked.name) * 37}TO"
    return [
        f"ORG+1A:{flight.origin}+{booked.agency_number}:{booked.office}+{flight.origin}+"
        f"{flight.carrier}:{sign}+T+{country}:EUR+{sign}++GS'",
        f"IFT+4:28::{flight.carrier}+CTCM {booked.phone}'",
        f"SSR+GRPS:HK:{size}:{flight.carrier}:::::{pnr_escape(booked.name)}'",
        f"IFT+4:63::{flight.carrier}+GROUP {pnr_escape(booked.name)} BOOKED BY "
        f"{pnr_escape(booked.operator)} TOUR CODE {booked.tour_code}'",
    ]


def agency(rng: random.Random, flight: Flight, country: str) -> list[str]:
    if rng.random() < 0.5:
        return [f"ORG+{flight.carrier}:{flight.origin}++++A+{country}'"]
    office = f"{flight.origin}{rng.choice(TEST_CARRIERS)}0{rng.randrange(100, 999)}"
    number = f"{rng.randrange(10**7, 10**8)}"
    sign = f"{rng.randrange(1000, 9999)}{rng.choice('ABCDEFGH')}{rng.choice('ABCDEFGH')}"
    duty = rng.choice(["SU", "GS", "AS"])
    return [
        f"ORG+1A:{flight.origin}+{number}:{office}+{flight.origin}+{flight.carrier}:"
        f"{sign}+T+{country}:EUR+{sign}++{duty}'"
    ]


def booking_contacts(rng: random.Random, flight: Flight, surname: str) -> list[str]:
    segments = []
    if rng.random() < 0.6:
        segments.append(f"IFT+4:28::{flight.carrier}+CTCM {phone(rng)}'")
    if rng.random() < 0.4:
        user = surname.replace("'", "").replace(" ", "..")
        segments.append(f"IFT+4:28::{flight.carrier}+CTCE {user}//EXAMPLE.COM'")
    if rng.random() < 0.3:
        segments.append(
            f"ADD++700:{rng.randrange(1, 400)} {rng.choice(STREETS)}:{rng.choice(CITIES)}::GB:"
            f"AB{rng.randrange(1, 99)} {rng.randrange(1, 9)}CD:{phone(rng)}'"
        )
    if rng.random() < 0.2:
        segments.append(f"IFT+4:63::{flight.carrier}+PLEASE ADVISE SCHEDULE CHANGES'")
    return segments


def docs(flight: Flight, person: Traveller) -> str:
    """The SSR DOCS of `person`'s passport."""
    doc = person.documents[0]
    return (
        f"SSR+DOCS:HK:1:{flight.carrier}:::::/{doc.kind}/{doc.country}/{doc.number}/"
        f"{person.nationality}/{person.born:%d%b%y}/{person.gender}/{doc.expiry:%d%b%y}/"
        f"{pnr_escape(person.surname)}/{pnr_escape(person.given)}+::{person.reference}'"
    ).upper()


def ticket(
    rng: random.Random, flight: Flight, issued: datetime, payment: str | None = None
) -> list[str]:
    """Ticket, amounts and form of payment: `payment` CC card, CA cash, IN invoice, or
    drawn: card 91 %, invoice 5 % (corporate accounts), cash 4 % (airport and agency counters;
    cash is rare in ticket sales, which is why risk rules look at it)."""
    if payment is None and rng.random() < 0.2:
        return []
    base = rng.randrange(80, 2500)
    codes = ["FR", "YQ", "QX"][: rng.randrange(1, 4)]
    taxes = [(round(rng.uniform(5, 120), 2), code) for code in codes]
    total = base + sum(amount for amount, _ in taxes)
    segments = [
        f"TKT+{flight.numeric}{rng.randrange(10**9, 10**10)}:T:1'",
        f"MON+B:{base:.2f}:EUR+T:{total:.2f}:EUR'",
        f"PTK+NR++{issued:%d%m%y}+{flight.carrier}++{flight.origin}'",
        "TXD++" + "+".join(f"{amount:.2f}::EUR:{code}" for amount, code in taxes) + "'",
        f"DAT+710:{issued:%d%m%y}:{issued:%H%M}'",
    ]
    if payment is None:
        draw = rng.random()
        payment = "CC" if draw < 0.91 else ("IN" if draw < 0.96 else "CA")
    if payment == "CC":
        expiry = f"{rng.randrange(1, 13):02d}{rng.randrange(30, 35)}"
        vendor = rng.choice(["VI", "CA", "AX"])
        segments.append(f"FOP+CC::{total:.2f}:{vendor}:{luhn_card(rng)}:{expiry}'")
        if rng.random() < 0.5:
            segments.append(
                f"ADD++702:{rng.randrange(1, 400)} {rng.choice(STREETS)}:{rng.choice(CITIES)}"
                f"::GB:AB{rng.randrange(1, 99)} 1CD'"
            )
    else:
        segments.append(f"FOP+{payment}::{total:.2f}'")
    return segments


def planted_contacts(flight: Flight, planted: Planted) -> list[str]:
    """The booking contacts a planted scenario fixes (IFT CTCM / CTCE)."""
    segments = []
    if planted.phone:
        segments.append(f"IFT+4:28::{flight.carrier}+CTCM {planted.phone.lstrip('+')}'")
    if planted.email:
        user, domain = planted.email.upper().split("@")
        segments.append(f"IFT+4:28::{flight.carrier}+CTCE {user}//{domain}'")
    return segments


def planted_ticket(
    rng: random.Random, flight: Flight, issued: datetime, planted: Planted
) -> list[str]:
    """A ticket paid as the scenario says: cash, or a given card (maybe a third party's)."""
    total = rng.randrange(120, 900) + 0.5 * rng.randrange(2)
    segments = [
        f"TKT+{flight.numeric}{rng.randrange(10**9, 10**10)}:T:1'",
        f"MON+T:{total:.2f}:EUR'",
        f"PTK+NR++{issued:%d%m%y}+{flight.carrier}++{flight.origin}'",
        f"DAT+710:{issued:%d%m%y}:{issued:%H%M}'",
    ]
    if planted.payment == "CC" and planted.card:
        segments.append(f"FOP+CC::{total:.2f}:VI:{planted.card}:0{rng.randrange(1, 10)}32'")
        if planted.payer:
            segments.append(f"IFT+4:43::{flight.carrier}+CARD HOLDER {pnr_escape(planted.payer)}'")
    else:
        segments.append(f"FOP+{planted.payment or 'CA'}::{total:.2f}'")
    return segments


def planted_leg(leg: Leg, party: int) -> list[str]:
    number = f"{leg.number:04d}:Y"
    return [
        tvl(leg.departure, leg.arrival, leg.origin, leg.destination, leg.carrier, number),
        f"RPI+{party}+HK'",
    ]


def inbound_leg(rng: random.Random, flight: Flight, party: int) -> list[str]:
    """A leg beyond the generated day into the origin, landing 2 to 30 hours before departure."""
    board = rng.choice([a for a in airport_codes() if a not in (flight.origin, flight.destination)])
    arrival = flight.departure - timedelta(hours=rng.randrange(2, 30))
    departure = arrival - timedelta(minutes=60 + 30 * rng.randrange(1, 16))
    return _leg(rng, flight, party, (board, flight.origin), (departure, arrival))


def onward_leg(
    rng: random.Random, flight: Flight, party: int, board: str, after: datetime, avoid: set[str]
) -> tuple[list[str], str, datetime]:
    """A leg beyond the generated day from `board`, 2 to 30 hours `after`; with where and
    when it lands, so a next leg can follow on."""
    off = rng.choice([a for a in airport_codes() if a not in avoid and a != board])
    departure = after + timedelta(hours=rng.randrange(2, 30))
    arrival = departure + timedelta(minutes=60 + 30 * rng.randrange(1, 16))
    return _leg(rng, flight, party, (board, off), (departure, arrival)), off, arrival


def _leg(
    rng: random.Random,
    flight: Flight,
    party: int,
    route: tuple[str, str],
    times: tuple[datetime, datetime],
) -> list[str]:
    """Marketed by a partner and operated by the carrier half of the time (code-share)."""
    (board, off), (departure, arrival) = route, times
    if rng.random() < 0.5:
        partner = rng.choice(PARTNERS)
        marketed = rng.randrange(1000, 9999)
        operated = rng.randrange(1, 999)
        return [
            tvl(departure, arrival, board, off, f"{partner}:{flight.carrier}", f"{marketed}:Y"),
            f"TRA+{flight.carrier}+{operated}:Y'",
            f"RPI+{party}+HK'",
            f"APD+{rng.choice(EQUIPMENT)}'",
        ]
    number = f"{rng.randrange(1, 9999):04d}:{rng.choice('YBM')}"
    return [tvl(departure, arrival, board, off, flight.carrier, number), f"RPI+{party}+HK'"]


def check_in(
    rng: random.Random,
    flight: Flight,
    people: list[Traveller],
    *,
    late: bool = False,
    bags_to: str | None = None,
) -> list[str]:
    """DAT/ORG/TRI/TIF/SSD/TBD groups of `people` (with their boarding numbers and seats);
    online before T-2, or `late`, at the airport within two hours of departure. Bags are
    tagged to `bags_to` (checked through a connection), else to the flight's destination."""
    segments = []
    head = None
    for person in people:
        boarding = f"{flight.origin}-{person.boarding or 0:03d}"
        minutes = rng.randrange(45, 115) if late else rng.randrange(125, 1440)
        when = flight.departure - timedelta(minutes=minutes)
        kind = "IN" if person.kind == "IN" else "A"
        segments += [
            f"DAT+2:{when:%d%m%y}:{when:%H%M}'",
            f"ORG+{flight.carrier}++++A'",
            f"TRI++{boarding}:::{person.reference}'",
            f"TIF+{pnr_escape(person.surname)}+{pnr_escape(person.given)}:{kind}:"
            f"{person.reference}'",
        ]
        if person.seat:  # the seat the passenger list gives; infants sit on a lap
            segments.append(f"SSD+{int(person.seat[:-1]):03d}{person.seat[-1]}++++Y'")
        if person.kind != "IN" and rng.random() < 0.7:
            pieces = rng.randrange(1, 4)
            pool = f"HP:{boarding}" if head is None else f"MP:{head}"
            head = head or boarding
            serial = rng.randrange(10**9, 10**10)
            segments.append(
                f"TBD++{pieces}:{pieces * rng.randrange(8, 23)}:700++{pool}+"
                f"{flight.numeric}:{serial}:{pieces}:{bags_to or flight.destination}'"
            )
    return segments


def history(rng: random.Random, flight: Flight, surname: str) -> list[str]:
    when = flight.departure - timedelta(days=rng.randrange(1, 30))
    return [
        f"ABI+1:{rng.randrange(1000, 9999)}AA+{flight.origin}{flight.carrier}0100'",
        f"DAT+ZZ:{when:%d%m%y}:{when:%H%M}'",
        "SAC+++X'",
        f"LTS+0/X/SSR/SEAT {flight.carrier}{flight.number} {pnr_escape(surname)}'",
    ]
