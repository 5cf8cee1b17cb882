"""Builders of synthetic PNRGOV EDIFACT messages for tests. Synthetic names and numbers only.

A message is written from lists of segment strings (without terminators), so each test shows
exactly the segments it is about: `pnrgov([booking([...]), booking([...])])`.
"""

from __future__ import annotations

from datetime import date

from firstline.ingest.edifact.envelope import read_interchange
from firstline.ingest.options import ParseOptions
from firstline.ingest.pnrgov import map_pnrgov
from firstline.model.booking import Booking, PnrPush, PnrTraveller

TODAY = date(2025, 1, 1)
KEY = b"test-card-key"
HEADER_TVL = "TVL+010625:1030:010625:1400+AAA+BBB+ZZ+123"
LEG = "TVL+010625:1030:010625:1400+AAA+BBB+ZZ+123:Y"
CARD = "4111111111111111"  # the well-known Luhn-valid test number


def booking(segments: list[str], *, locator: str = "ABC123", leg: str | None = LEG) -> list[str]:
    """SRC, RCI and `segments`, then an itinerary leg on the header flight (unless None)."""
    body = ["SRC", f"RCI+ZZ:{locator}::150525:0930", *segments]
    if leg:
        body += [leg, "RPI+1+HK", "APD+320"]
    return body


def pnrgov(
    bookings: list[list[str]],
    *,
    header: list[str] | None = None,
    una: str = "UNA:+.?*'",
    version: str = "11:1:IA",
    common_access: str = "ZZ123/010625/1030",
    unt: int | None = None,
    terminator: str = "'",
    line_end: str = "\n",
) -> bytes:
    """A PNRGOV interchange; UNT counts the segments unless `unt` says otherwise."""
    if header is None:
        header = ["MSG+:22", "ORG+ZZ:AAA", HEADER_TVL, f"EQN+{len(bookings)}"]
    body = [f"UNH+1+PNRGOV:{version}+{common_access}", *header]
    for segments in bookings:
        body += segments
    body.append(f"UNT+{unt if unt is not None else len(body) + 1}+1")
    lines = ["UNB+IATA:1+ZZAIR+GOVPNR+250601:0800+REF1++PNRGOV", *body, "UNZ+1+REF1"]
    text = "".join(line + terminator + line_end for line in lines)
    return ((una + line_end if una else "") + text).encode("latin-1")


def read_push(data: bytes, *, today: date = TODAY, key: bytes = KEY) -> PnrPush:
    """The first message of `data`, mapped."""
    interchange = read_interchange(data)
    options = ParseOptions(today=today, card_key=key)
    return map_pnrgov(interchange.messages[0], interchange.source, options=options)


def only_booking(push: PnrPush) -> Booking:
    assert len(push.bookings) == 1, push.bookings
    return push.bookings[0]


def traveller(push_or_booking: PnrPush | Booking, given: str) -> PnrTraveller:
    booking_ = (
        push_or_booking if isinstance(push_or_booking, Booking) else only_booking(push_or_booking)
    )
    found = [t for t in booking_.travellers if t.given_names == given]
    assert len(found) == 1, [t.given_names for t in booking_.travellers]
    return found[0]


def codes(push: PnrPush) -> list[str]:
    return [w.code for w in push.warnings]


def rich_booking(locator: str = "ABC123") -> list[str]:
    """A booking with every trigger segment: for mutation and property tests."""
    return booking(
        [
            "DAT+700:200525:1100",
            "IFT+4:28::ZZ+CTCM 447400123456",
            "ORG+1A:PAR+12345675:PARXX0001+CDG+ZZ:CDG+T+FR:EUR+1234AB+T1+SU",
            "ADD++700:1 HIGH STREET:SPRINGFIELD::GB:AB1 2CD:02079460000",
            "EBD+EUR:45.00+2::N",
            "TIF+ALPHA+BRAVO MRS:A:1:1",
            "FTI+ZZ:123456789:::::G",
            "REF+:0001ABCDEF",
            "FAR+N+++++YLOWFARE",
            "SSR+DOCS:HK:1:ZZ:::::/P/FRA/X1000001/FRA/12MAR81/F/01JAN30/ALPHA/BRAVO",
            "SSR+DOCA:HK:1:ZZ:::::/R/FRA/1 RUE HAUTE/PARIS//75001+::1",
            "SSR+CTCE:HK:1:ZZ:::::ALPHA..B//EXAMPLE.NET/EN+::1",
            "TKT+9991234567890:T:1",
            "MON+B:500.00:EUR+T:623.40:EUR",
            "PTK+NR++150525+ZZ++PAR",
            "TXD++23.40::EUR:FR",
            f"FOP+CC::623.40:VI:{CARD}:1227",
            "ADD++702:3 CARD STREET:BILLTOWN::FR:75002",
            "TIF+ALPHA+CHARLIEMS:IN:2",
            "SSR+DOCS:HK:1:ZZ:::::/P/FRA/X2000002/FRA/20SEP24/FI/25OCT29/ALPHA/CHARLIE",
            LEG,
            "TRA+ZZ+123:Y",
            "SSR+INFT:HK:1:ZZ:::AAA:BBB:ALPHA/CHARLIE 20SEP24+::1",
            "SSR+SEAT:HK:1:ZZ:::AAA:BBB+012C::1",
            "RCI+ZZ:ABC123::150525:0930",
            "DAT+2:010625:0815",
            "ORG+ZZ++++A",
            "TRI++AAA-042:::1",
            "TIF+ALPHA+BRAVO MRS:A:1",
            "SSD+012C++++Y",
            "TBD++2:31.5:700++HP:AAA-042+999:0012345678:2:BBB",
            "TVL+050625:0900:050625:1200+BBB+CCC+YY:XX+4567:Y",
            "EQN+1",
            "RCI+ZZ:OLD123::100525:0800",
            "ABI+1:AB12+PARXX0001",
            "DAT+ZZ:140525:1200",
            "SAC+++X",
            "TIF+ALPHA+ZULU MR:A:1",
            f"LTS+0/FP CCVI{CARD}/1227",
        ],
        locator=locator,
        leg=None,
    )
