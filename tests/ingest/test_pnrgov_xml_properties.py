"""Properties of `read_pnrgov_xml` on hostile input: it returns or raises a FirstlineError, fast.

Four sources of input: arbitrary bytes; random element trees built from PNRGOV XML names
with random attribute values and text; corpus and synthetic messages damaged byte-wise
(slices lost, repeated or replaced, truncation); and a rich synthetic message with a few
attribute values replaced by hostile ones, which reaches the content mapping rather than
the XML parser. Every call is guarded by a time budget (a hang guard, not a speed test),
and every result must serialise to JSON and hold no full card number.
"""

from __future__ import annotations

import json
import os
import re
import time
from datetime import date
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pnr_xml_factory import (
    CARD,
    check_in,
    doc_ssr,
    el,
    flight,
    loyalty,
    notif,
    passenger,
    pnr,
    ssr,
    ticket,
)

from firstline.exc import FirstlineError
from firstline.ingest.options import ParseOptions
from firstline.ingest.pnrgov_xml import read_pnrgov_xml
from firstline.model.booking import PnrPush
from firstline.model.serialize import pnr_push_view

OPTIONS = ParseOptions(today=date(2025, 1, 1), card_key=b"test-key")
BUDGET_SECONDS = 2.0
# FIRSTLINE_FUZZ_EXAMPLES raises the count for a longer hunt (the default keeps CI fast).
SETTINGS = settings(
    max_examples=int(os.environ.get("FIRSTLINE_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

TAGS = [
    "IATA_PNRGOV_NotifRQ", "Originator", "FlightLeg", "DepartureAirport", "ArrivalAirport",
    "PNRs", "PNR", "BookingRefID", "CompanyName", "POS", "Source", "RequestorID",
    "ContactInfo", "Telephone", "Email", "Address", "AddressLine", "PrepaidBag", "SSR", "Text",
    "Airline", "Passenger", "GivenName", "Surname", "NameTitle", "CustLoyalty", "ExcessBaggage",
    "FareInfo", "TicketDocument", "TotalFare", "PricingInfo", "BaseFare", "Taxes", "Tax",
    "PaymentInfo", "PaymentCard", "CardNumber", "DOC_SSR", "DOCS", "DOCA", "DOCO", "Flight",
    "Equipment", "MarketingAirline", "OperatingAirline", "CheckInInfo", "BoardingNumber",
    "SeatNumber", "Baggage", "BagTag", "History", "Remark", "OSI", "PersonName",
]  # fmt: skip
ATTRIBUTES = [
    "ID", "Type", "Code", "RPH", "SurnameRefNumber", "AccompaniedByInfantInd", "BoardingStatus",
    "PassengerTypeCode", "NumberOfPassengers", "PNR_CreationDate", "PNR_TransDate",
    "LastTktDate", "NumberOfPnrs", "CarrierCode", "FlightNumber", "DepartureDateTime",
    "ArrivalDateTime", "LocationCode", "ResBookDesigCode", "NumberInParty", "Status",
    "AirEquipType", "SSRCode", "PhoneNumber", "EmailAddress", "Number", "CabinClass",
    "CardNumber", "CardCode", "Amount", "DecimalPlaces", "CurrencyCode", "TaxCode", "DocType",
    "DocID", "BirthDate", "Gender", "ExpiryDate", "MembershipID", "Quantity", "Weight",
    "AirlineCode", "SystemCode", "ISOCountry", "BoardPoint", "OffPoint", "TicketDocumentNbr",
]  # fmt: skip
# Characters XML 1.0 can carry (no controls, surrogates or non-characters).
XML_CHARACTERS = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn"))
XML_TEXT = st.text(XML_CHARACTERS, max_size=30)
# CARD itself is left out: it may only arrive as a CardNumber, where it must not be kept.
HOSTILE_VALUES = st.one_of(
    st.sampled_from(
        [
            "", " ", "0", "-1", "00000", "99999999999999999999", "1e309", "nan", "inf", "²",
            "2030-02-30T10:00:00", "2030-05-01", "2030-05-01T25:61:00+25:00", "0001-01-01",
            "9999-12-31T23:59:59Z", "30FEB02", "29FEB00", "01JAN", "FI", "MI", "true", "false",
            "E+", "E+@", "M+", "+", "//", "..", "/P/POL", "HK1/", "/////////////", "1", "2",
            "ZZ", "0123", "LH0400", "A" * 300, "1 2 3", "5555555555554444", "XXXXXXXXXXXX1111",
            "5555 5555 5555 4444", "\u202e", "名前", "\x85",
        ]
    ),
    st.text(XML_CHARACTERS, max_size=40),
)  # fmt: skip


def guarded_read(data: bytes, *, card_check: bool = True) -> PnrPush | None:
    """Read `data`; only FirstlineError may escape, and the call must finish in time.

    `card_check`: the test card number, sent only as a `CardNumber`, must not be kept
    (off for byte damage, which can move it into any attribute).
    """
    started = time.perf_counter()
    try:
        push = read_pnrgov_xml(data, options=OPTIONS)
    except FirstlineError:
        push = None
    elapsed = time.perf_counter() - started
    assert elapsed < BUDGET_SECONDS, f"read took {elapsed:.2f} s on {len(data)} bytes"
    if push is not None:
        json.dumps(pnr_push_view(push), allow_nan=False, default=str)
        assert not card_check or CARD not in repr(push)
    return push


# --- (a) arbitrary bytes ---------------------------------------------------------------------


@SETTINGS
@given(st.binary(max_size=2048))
@example(b"")
@example(b"<")
@example(b"<PNR/>")
@example(b"<?xml version='1.0' encoding='utf-16'?><PNR/>")
@example(b"\xef\xbb\xbf<PNR/><PNR/>")
@example(b"<a>" * 5000)
def test_arbitrary_bytes(data: bytes) -> None:
    guarded_read(data)


def test_deep_nesting_does_not_recurse() -> None:
    depth = 20000
    data = b"<PNR>" + b"<Passenger>" * depth + b"</Passenger>" * depth + b"</PNR>"
    guarded_read(data)


# --- (b) random trees from PNRGOV vocabulary -------------------------------------------------

Tree = tuple[str, list[tuple[str, str]], str, list["Tree"]]


def _render(tree: Tree) -> str:
    tag, attrs, content, kids = tree
    rendered = "".join(f" {name}={quoteattr(value)}" for name, value in dict(attrs).items())
    inner = escape(content) + "".join(_render(k) for k in kids)
    return f"<{tag}{rendered}>{inner}</{tag}>"


def _element(kids: st.SearchStrategy[list[Tree]]) -> st.SearchStrategy[Tree]:
    attributes = st.lists(st.tuples(st.sampled_from(ATTRIBUTES), HOSTILE_VALUES), max_size=4)
    return st.tuples(st.sampled_from(TAGS), attributes, XML_TEXT, kids)


ELEMENTS = st.recursive(
    _element(st.just([])), lambda inner: _element(st.lists(inner, max_size=5)), max_leaves=40
)


@SETTINGS
@given(st.sampled_from(["IATA_PNRGOV_NotifRQ", "DaneXML", "PNRs"]), st.lists(ELEMENTS, max_size=4))
def test_random_trees(root: str, trees: list[Tree]) -> None:
    body = "".join(_render(t) for t in trees)
    guarded_read(f"<{root}>{body}</{root}>".encode())
    guarded_read(body.encode())  # the same without a root


# --- (c) damaged corpus and synthetic messages -----------------------------------------------


def rich_message() -> bytes:
    """A message touching every mapping path the factory can build."""
    adult = passenger(
        loyalty(),
        ticket(),
        el("FareInfo", {"FareBasisCode": "YOWZZ"}),
        el("ExcessBaggage", {"Quantity": "1"}),
        doc_ssr("DOCS", {"DocType": "P", "DocID": "X1", "BirthDate": "1980-01-01"}),
        doc_ssr("DOCA", {"AddressType": "R", "Country": "NLD", "City": "TESTVILLE"}),
        ssr("DOCO", "/TESTVILLE/V/V1/TESTVILLE/05JAN29/PRT"),
        ssr("INFT", "TESTER/BABY 20SEP29"),
        el("ContactInfo", {"PhoneNumber": "E+ALPHA@EXAMPLE.INVALID"}),
        infant=True,
    )
    child_pax = passenger(ssr("CHLD"), rph="2", given="BRAVO MSTR", kind="CHD")
    legs = [
        flight(
            ssr("DOCS", "/P/NLD/X2/NLD/01JAN15/M/01JAN31/TESTER/BRAVO", rph="2"),
            check_in(),
            check_in(rph="2", number="AMS-002", seat="012B"),
            operating=("YY", "0456"),
            equipment="320",
        ),
        flight(
            number="124",
            board="LIS",
            off="OPO",
            departure="2030-05-02T09:00:00",
            arrival="2030-05-02T10:00:00",
        ),
    ]
    extras = [
        el("PrepaidBag", {"Quantity": "1"}),
        el("Remark", None, el("Text", text="TEST")),
        el("History", None, el("Item", {"Action": "A"}, el("Text", text="NM1TESTER"))),
    ]
    return notif(pnr(adult, child_pax, *legs, *extras), pnr(passenger(), flight()))


def test_rich_message_is_clean() -> None:
    push = guarded_read(rich_message())
    assert push is not None and push.warnings == []


@cache
def seeds(corpus_dir: Path) -> tuple[bytes, ...]:
    corpus = sorted((corpus_dir / "SaberLS_PNRGOV-XML-Parser").glob("*.xml"))
    return (*(p.read_bytes() for p in corpus), rich_message())


@st.composite
def damaged(draw: st.DrawFn, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        start = draw(st.integers(0, len(data) - 1))
        end = min(len(data), start + draw(st.integers(0, 64)))
        action = draw(st.sampled_from(["delete", "repeat", "replace", "truncate", "insert"]))
        if action == "delete":
            del data[start:end]
        elif action == "repeat":
            data[start:start] = data[start:end]
        elif action == "replace":
            data[start:end] = draw(st.binary(max_size=16))
        elif action == "truncate":
            del data[start:]
        else:
            data[start:start] = draw(st.sampled_from([b"<", b">", b"/>", b'"', b"&", b"<PNR>"]))
    return bytes(data)


@SETTINGS
@given(st.data())
def test_damaged_messages(corpus_dir: Path, data: st.DataObject) -> None:
    seed = data.draw(st.sampled_from(seeds(corpus_dir)))
    guarded_read(data.draw(damaged(seed)), card_check=False)


# --- (d) hostile attribute values in a well-formed message -----------------------------------

# Attribute values, not namespace declarations: `xmlns="}"` is no namespace name at all
# (Namespaces in XML 1.0 requires a URI reference), and expat rightly rejects the document.
_ATTRIBUTE_VALUE = re.compile(rb'(?<!xmlns)="[^"]*"')


@SETTINGS
@given(st.data())
def test_hostile_attribute_values(data: st.DataObject) -> None:
    declaration, body = rich_message().split(b"?>", 1)  # the XML declaration stays intact
    slots = len(_ATTRIBUTE_VALUE.findall(body))
    # A few attributes change in each example, so the rest of the message stays meaningful.
    changed = data.draw(st.dictionaries(st.integers(0, slots - 1), HOSTILE_VALUES, max_size=8))
    position = iter(range(slots))

    def swap(match: re.Match[bytes]) -> bytes:
        replacement = changed.get(next(position))
        if replacement is None:
            return match.group(0)
        return b"=" + quoteattr(replacement).encode()

    push = guarded_read(declaration + b"?>" + _ATTRIBUTE_VALUE.sub(swap, body))
    assert push is not None  # attribute values alone never make a message unreadable


@SETTINGS
@given(st.from_regex(r"[0-9]{13,19}", fullmatch=True))
def test_card_numbers_never_kept(number: str) -> None:
    push = guarded_read(notif(pnr(passenger(ticket(card=number)), flight())))

    assert push is not None
    assert number not in repr(push)
    [payment] = push.bookings[0].payments
    assert payment.card_last_four == number[-4:]
