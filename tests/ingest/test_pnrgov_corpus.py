"""Every PNRGOV EDIFACT message in the shared sample corpus, values checked against the files.

The expected values were read from the corpus files by hand (corpus/INDEX.md gives their
provenance). Dates in PNRGOV are DDMMYY: `270513` is 27 May 2013.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from firstline.ingest.edifact.envelope import read_interchange
from firstline.ingest.options import ParseOptions
from firstline.ingest.pnrgov import map_pnrgov
from firstline.model.booking import PnrPush

TODAY = date(2025, 1, 1)
IG_SQ602 = "adamf_jetway/pnrgov_IG14_1_appendixB_example1_SQ602_trimmedLTS.edi"
UAE_BA3401 = "Mandeepsheoran_IBM-MQ-Message-Automation/src_test_resources_inputmessage_file.txt"


def read(corpus_dir: Path, name: str) -> PnrPush:
    interchange = read_interchange((corpus_dir / name).read_bytes())
    (message,) = interchange.messages
    return map_pnrgov(message, interchange.source, options=ParseOptions(today=TODAY))


@pytest.fixture(scope="module")
def sq602(corpus_dir: Path) -> PnrPush:
    return read(corpus_dir, IG_SQ602)


@pytest.fixture(scope="module")
def ba3401(corpus_dir: Path) -> PnrPush:
    return read(corpus_dir, UAE_BA3401)


# --- IG 14.1 Appendix B example 1: SQ602 SIN-ICN, an adult and an infant -------------------


def test_ig_header(sq602: PnrPush) -> None:
    assert sq602.header.message_type == "PNRGOV"
    assert sq602.header.directory == "11:1"
    assert sq602.header.common_access_reference == "270513/0649/SQ/602"
    assert sq602.header.extra["message_function"] == "22"
    assert (sq602.sender, sq602.header.extra["sender_location"]) == ("1A", "MUC")
    assert sq602.declared_bookings == 1
    flight = sq602.flight
    assert flight is not None
    assert (flight.carrier, flight.number, flight.origin, flight.destination) == (
        "SQ",
        "602",
        "SIN",
        "ICN",
    )
    assert flight.scheduled_departure == datetime(2013, 5, 27, 14, 30)
    assert flight.scheduled_arrival == datetime(2013, 5, 27, 22, 5)


def test_ig_booking(sq602: PnrPush) -> None:
    (booking,) = sq602.bookings
    (locator,) = booking.locators  # the RCI under the TVL repeats it
    assert (locator.system, locator.locator) == ("1A", "3PGZOV")
    assert locator.created_at == booking.created_at == datetime(2013, 3, 19, 13, 54)
    assert booking.last_modified == datetime(2013, 5, 27, 5, 59)
    assert booking.key() == "1A|3PGZOV|2013-03-19"
    assert booking.segment_index == 7


def test_ig_agency(sq602: PnrPush) -> None:
    agency = sq602.bookings[0].agency
    assert agency is not None
    assert (agency.system, agency.location, agency.agency_number, agency.office_id) == (
        "1A",
        "NCE",
        "32393340",
        "SINSQ08AA",
    )
    assert (agency.company, agency.originator_type, agency.country) == ("SQ", "A", "SG")
    assert (agency.agent_sign, agency.duty_code, agency.currency) == ("ELPD", "9C", None)


def test_ig_adult_with_title_docs_and_frequent_flyer(sq602: PnrPush) -> None:
    isabelle, _ = sq602.bookings[0].travellers
    assert (isabelle.surname, isabelle.given_names, isabelle.title) == ("BELT", "ISABELLE", "MRS")
    assert (isabelle.passenger_type, isabelle.reference, isabelle.infant_of) == ("A", "2", None)
    assert isabelle.unique_reference == "001C451486DFF0CC"
    assert (isabelle.date_of_birth, isabelle.gender, isabelle.nationality) == (
        date(1978, 7, 1),
        "F",
        "GBR",
    )
    # Sent at name level and again under the leg: one document.
    (passport,) = isabelle.documents
    assert (passport.type, passport.number, passport.issuing_country) == ("P", "509229987", "GBR")
    assert passport.expiry_date == date(2022, 11, 12)
    (ff,) = isabelle.frequent_flyers
    assert (ff.airline, ff.number, ff.tier, ff.traveller_ref) == ("SQ", "8794285757", None, "2")


def test_ig_infant_sophy(sq602: PnrPush) -> None:
    _, sophy = sq602.bookings[0].travellers
    assert (sophy.surname, sophy.given_names, sophy.title) == ("BELT", "SOPHY", None)
    assert (sophy.passenger_type, sophy.reference, sophy.infant_of) == ("IN", "3", "2")
    # 20SEP12 read against the 2013 flight: born 2012, not 1912.
    assert (sophy.date_of_birth, sophy.gender, sophy.nationality) == (
        date(2012, 9, 20),
        "FI",
        "GBR",
    )
    (passport,) = sophy.documents  # her DOCS sits under the adult and points at ref 2
    assert (passport.number, passport.expiry_date) == ("512731999", date(2017, 10, 25))


def test_ig_itinerary(sq602: PnrPush) -> None:
    (leg,) = sq602.bookings[0].itinerary
    assert (leg.marketing_carrier, leg.marketing_number, leg.booking_class) == ("SQ", "602", "D")
    assert (leg.departure_airport, leg.arrival_airport) == ("SIN", "ICN")
    assert (leg.departure, leg.arrival) == (
        datetime(2013, 5, 27, 14, 30),
        datetime(2013, 5, 27, 22, 5),
    )
    assert (leg.party_size, leg.status, leg.equipment) == (1, "HK", "333")
    assert (leg.operating_carrier, leg.is_pushed_flight) == (None, True)
    (inft,) = sq602.bookings[0].special_requests
    assert (inft.code, inft.status, inft.carrier, inft.text) == (
        "INFT",
        "HK",
        "SQ",
        "BELT/SOPHY 20SEP12",
    )
    assert (inft.traveller_ref, inft.leg_ref) == ("2", "SIN-ICN")


def test_ig_check_in_seat_and_bags(sq602: PnrPush) -> None:
    booking = sq602.bookings[0]
    adult, infant = booking.check_ins
    assert (adult.traveller_ref, adult.boarding_number, adult.seat, adult.cabin) == (
        "2",
        "SIN-168",
        "011D",
        "J",
    )
    assert (adult.bag_pieces, adult.bag_weight, adult.bag_weight_unit) == (3, 33.0, "700")
    assert adult.leg_ref == infant.leg_ref == "SIN-ICN"
    assert adult.bag_pool_head == "SIN-168"
    assert [(r.carrier_code, r.first_serial, r.count, r.destination) for r in adult.bag_tags] == [
        ("618", "0123456789", 2, "ICN"),
        ("618", "0123456788", 3, "ICN"),
        ("618", "0123456787", 722356, "ICN"),  # as printed in the IG; flagged
    ]
    assert (infant.traveller_ref, infant.boarding_number, infant.seat, infant.bag_tags) == (
        "3",
        "SIN-169",
        "011D",
        [],
    )
    assert [(t.checked_in, t.seat) for t in booking.travellers] == [
        (True, "011D"),
        (True, "011D"),
    ]


def test_ig_history_line(sq602: PnrPush) -> None:
    (entry,) = sq602.bookings[0].history
    assert entry.text == "0/O/NM/BELT/ISABELLE MRS(ADT)(INF/SOPHY/20SEP12)"
    assert (entry.action, entry.office, entry.at) == (None, None, None)


def test_ig_warnings(sq602: PnrPush) -> None:
    (warning,) = sq602.warnings
    assert (warning.code, warning.segment, warning.line, warning.element, warning.component) == (
        "implausible_value",
        "TBD",
        31,
        7,
        3,
    )
    assert warning.found == "722356"


# --- UAE test harness: BA3401 DXB-LHR, two PNRs, UNA with `*`, UNT 824 ----------------------


def test_uae_header(ba3401: PnrPush) -> None:
    assert ba3401.header.common_access_reference == "BA3401/060717/1745"
    assert ba3401.sender == "BA"
    assert ba3401.declared_bookings == 2
    flight = ba3401.flight
    assert flight is not None
    assert (flight.designator, flight.origin, flight.destination) == ("BA3401", "DXB", "LHR")
    # TVL 160123 is DDMMYY: 16 January 2023.
    assert flight.scheduled_departure == datetime(2023, 1, 16, 16, 40)
    assert flight.scheduled_arrival == datetime(2023, 1, 16, 17, 45)


def test_uae_bookings_one_and_two(ba3401: PnrPush) -> None:
    one, two = ba3401.bookings
    assert [(x.system, x.locator, x.kind, x.created_at) for x in one.locators] == [
        ("BA", "ONE", "1", datetime(2013, 11, 12, 4, 41, 0))
    ]
    assert [(x.system, x.locator, x.kind, x.created_at) for x in two.locators] == [
        ("BA", "TWO", "1", datetime(2013, 11, 12, 23, 58, 0))
    ]
    assert (one.last_modified, two.last_modified) == (
        datetime(2013, 11, 15, 21, 40),
        datetime(2013, 11, 15, 22, 0),
    )
    assert one.agency is not None and one.agency.system == "BA"
    for booking, party in ((one, 2), (two, 3)):
        (leg,) = booking.itinerary
        assert (leg.marketing_carrier, leg.marketing_number, leg.equipment) == ("BA", "3401", "330")
        assert (leg.party_size, leg.status, leg.is_pushed_flight) == (party, "HK", True)


def test_uae_titles_run_into_names(ba3401: PnrPush) -> None:
    (lal,) = ba3401.bookings[0].travellers
    (shyam,) = ba3401.bookings[1].travellers
    assert (lal.surname, lal.given_names, lal.title, lal.reference) == ("KUMAR", "LAL", "MS", "1")
    assert (shyam.surname, shyam.given_names, shyam.title) == ("SUNDER", "SHYAM", "MR")


def test_uae_docs_with_two_letter_countries(ba3401: PnrPush) -> None:
    (lal,) = ba3401.bookings[0].travellers
    (shyam,) = ba3401.bookings[1].travellers
    assert (lal.date_of_birth, lal.gender, lal.nationality) == (date(1967, 12, 12), "F", "PH")
    assert [(d.type, d.number, d.issuing_country, d.expiry_date) for d in lal.documents] == [
        ("P", "XX8898996", "PH", date(2015, 1, 4))  # expired before the flight; kept
    ]
    assert (shyam.date_of_birth, shyam.gender) == (date(1975, 12, 9), "M")
    assert [(d.number, d.expiry_date) for d in shyam.documents] == [
        ("EB8091899", date(2015, 2, 22))
    ]


def test_uae_warnings(ba3401: PnrPush) -> None:
    assert [(w.code, w.segment, w.line, w.found) for w in ba3401.warnings] == [
        ("two_letter_country", "SSR", 14, "PH"),
        ("two_letter_country", "SSR", 14, "PH"),
        ("two_letter_country", "SSR", 23, "PH"),
        ("two_letter_country", "SSR", 23, "PH"),
        ("unt_count", "UNT", 27, "824"),
    ]


def test_every_corpus_pnrgov_maps_without_mapping_errors(corpus_dir: Path) -> None:
    for path in sorted(corpus_dir.rglob("*")):
        if not path.is_file() or path.name == "INDEX.md":
            continue
        data = path.read_bytes()
        if b"PNRGOV" not in data or data.lstrip().startswith(b"<"):
            continue
        interchange = read_interchange(data)
        for message in interchange.messages:
            push = map_pnrgov(message, interchange.source, options=ParseOptions(today=TODAY))
            assert push.bookings and push.flight is not None
            assert "mapping_error" not in [w.code for w in push.warnings]
