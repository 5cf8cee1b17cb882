"""PNRGOV XML: the corpus files (values read from the files by hand) and synthetic messages.

Corpus: corpus/INDEX.md section 5 (SaberLS). Synthetic documents come from
`tests/pnr_xml_factory.py`; their names and numbers are made up.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from pnr_xml_factory import (
    CARD,
    NS,
    check_in,
    contact,
    doc_ssr,
    el,
    flight,
    leg,
    loyalty,
    minimal_push,
    notif,
    passenger,
    pnr,
    ssr,
    ticket,
)

from firstline.exc import ParseError, UnsupportedMessageError
from firstline.ingest.options import ParseOptions
from firstline.ingest.pnrgov_xml import read_pnrgov_xml
from firstline.model.booking import Booking, PnrPush, PnrTraveller
from firstline.model.travel import Address, TravelDocument
from firstline.model.values import card_fingerprint

OPTIONS = ParseOptions(today=date(2025, 1, 1), card_key=b"test-key")
SABER = "SaberLS_PNRGOV-XML-Parser"


def read(data: bytes) -> PnrPush:
    return read_pnrgov_xml(data, options=OPTIONS)


def codes(push: PnrPush) -> list[str]:
    return [w.code for w in push.warnings]


def by_surname(booking: Booking, surname: str, given: str | None = None) -> PnrTraveller:
    found = [
        t
        for t in booking.travellers
        if t.surname == surname and (given is None or t.given_names == given)
    ]
    assert len(found) == 1, [t.surname for t in booking.travellers]
    return found[0]


# --- corpus ------------------------------------------------------------------------------------


def test_corpus_two_passengers_two_flights_with_check_in(corpus_dir: Path) -> None:
    push = read((corpus_dir / SABER / "test_pnr_2.xml").read_bytes())

    assert push.format == "xml"
    assert push.header.message_type == "PNRGOV" and push.header.directory == "XML"
    assert push.header.extra["root"] == "DaneXML"
    [booking] = push.bookings
    assert [(r.system, r.locator, r.kind) for r in booking.locators] == [
        ("1A", "Q3BQ9I", None),
        ("F1", "RQAX6T", "O"),
    ]
    assert booking.locators[0].created_at == datetime(2020, 8, 2, 15, 9)
    assert booking.record_locator == "Q3BQ9I"
    assert booking.created_at == datetime(2020, 8, 2, 15, 9)
    assert booking.last_modified == datetime(2020, 8, 3, 12, 0)
    assert booking.number_in_party == 2
    assert booking.segment_index == 2  # the PNR start tag's line

    nowacki, zielinski = booking.travellers
    assert (nowacki.surname, nowacki.given_names, nowacki.reference) == ("NOWACKI", "TOMASZ", "1")
    assert nowacki.unique_reference == "20058F6D0002E3B8"
    assert (zielinski.surname, zielinski.given_names) == ("ZIELINSKI", "PAWEL")
    assert zielinski.unique_reference == "20058F6D0002E3B9"
    assert nowacki.documents == [] and nowacki.gender is None  # a traveller without DOCS

    emails = [(c.kind, c.value, c.raw, c.traveller_ref) for c in booking.contacts]
    assert emails == [
        ("email", "redacted1@example.invalid", "E+REDACTED1@EXAMPLE.INVALID", "1"),
        ("email", "redacted2@example.invalid", "E+REDACTED2@EXAMPLE.INVALID", "2"),
    ]

    mad_fra, fra_wro = booking.itinerary
    assert (mad_fra.marketing_carrier, mad_fra.marketing_number) == ("LH", "1149")
    assert (mad_fra.departure_airport, mad_fra.arrival_airport) == ("MAD", "FRA")
    assert mad_fra.departure == datetime(2020, 8, 3, 13, 0)
    assert mad_fra.arrival == datetime(2020, 8, 3, 15, 55)
    assert (fra_wro.marketing_carrier, fra_wro.marketing_number) == ("LH", "1374")
    assert (fra_wro.departure_airport, fra_wro.arrival_airport) == ("FRA", "WRO")
    assert fra_wro.departure == datetime(2020, 8, 3, 21, 30)
    assert fra_wro.arrival == datetime(2020, 8, 3, 22, 40)
    assert {leg.booking_class for leg in booking.itinerary} == {"V"}
    assert {leg.status for leg in booking.itinerary} == {"HK"}
    assert [leg.party_size for leg in booking.itinerary] == [2, 2]
    assert (mad_fra.equipment, fra_wro.equipment) == (None, "CR9")

    # No FlightLeg: the pushed flight is the leg with check-in data.
    assert (push.flight.carrier, push.flight.number) == ("LH", "1374")
    assert (push.flight.origin, push.flight.destination) == ("FRA", "WRO")
    assert push.flight.scheduled_departure == datetime(2020, 8, 3, 21, 30)
    assert [leg.is_pushed_flight for leg in booking.itinerary] == [False, True]
    assert [(c.traveller_ref, c.boarding_number, c.seat, c.cabin) for c in booking.check_ins] == [
        ("1", "FRA-032", "006F", "M"),
        ("2", "FRA-033", "006D", "M"),
    ]
    assert {c.checked_in_at for c in booking.check_ins} == {datetime(2020, 8, 3, 9, 16)}
    assert (nowacki.seat, nowacki.checked_in) == ("006F", True)
    assert (zielinski.seat, zielinski.checked_in) == ("006D", True)
    assert codes(push) == ["nonstandard_root", "no_flight_header"]
    assert push.sender is None and push.declared_bookings is None


def test_corpus_three_passengers_docs_and_ssrs(corpus_dir: Path) -> None:
    push = read((corpus_dir / SABER / "test_pnr.xml").read_bytes())

    [booking] = push.bookings
    assert [(r.system, r.locator) for r in booking.locators] == [("ENT", "00A234B")]
    assert booking.number_in_party == 3
    anna = by_surname(booking, "KOWALSKA")
    adam = by_surname(booking, "KOWALSKI", "ADAM")
    jan = by_surname(booking, "KOWALSKI", "JAN")
    assert [t.reference for t in (anna, adam, jan)] == ["20000000", "20000001", "20000002"]
    assert [t.unique_reference for t in (anna, adam, jan)] == ["20000000", "20000001", "20000002"]

    # Structured DOCS (gender only, missing for ADAM) merged with the free-text DOCS on the
    # flight, which are tied to the passengers by RPH.
    assert anna.documents == [
        TravelDocument(
            type="P", number="BA5345321", issuing_country="POL", expiry_date=date(2027, 8, 30)
        )
    ]
    assert (anna.gender, anna.date_of_birth, anna.nationality) == ("F", date(2002, 12, 30), "POL")
    assert adam.documents[0].number == "ZC9038023"
    assert adam.documents[0].expiry_date == date(2026, 2, 11)
    assert (adam.gender, adam.date_of_birth) == ("M", date(2022, 12, 30))
    assert jan.documents[0].number == "AB1324659"
    assert (jan.gender, jan.date_of_birth) == ("M", date(2002, 12, 30))
    assert jan.documents[0].expiry_date == date(2025, 11, 21)

    [entry] = booking.itinerary
    assert (entry.marketing_carrier, entry.marketing_number) == ("ENT", "1234")
    assert (entry.departure_airport, entry.arrival_airport) == ("LHR", "WAW")
    assert entry.departure == datetime(2024, 1, 1, 10, 15)
    assert entry.arrival == datetime(2024, 1, 1, 14, 20)
    assert entry.party_size == 167 and entry.is_pushed_flight
    assert push.flight.designator == "ENT1234" and push.flight.origin == "LHR"

    requests = [(r.code, r.traveller_ref, r.carrier, r.leg_ref) for r in booking.special_requests]
    assert requests == [("CHLD", "20000001", "ENT", "1"), ("SEAT", "20000002", "ENT", "1")]
    assert adam.passenger_type == "C"  # from SSR CHLD
    assert anna.passenger_type is None
    # The file's PNR_TransDate (02:40) precedes its PNR_CreationDate (04:40).
    warning = next(w for w in push.warnings if w.code == "modified_before_created")
    assert (warning.segment, warning.line) == ("PNR", 2)
    assert codes(push) == ["nonstandard_root", "modified_before_created", "no_flight_header"]


def test_corpus_fragment_without_pnr_is_refused_with_reason(corpus_dir: Path) -> None:
    with pytest.raises(ParseError) as caught:
        read((corpus_dir / SABER / "test_pnr_3.xml").read_bytes())

    error = caught.value
    assert type(error) is ParseError
    assert error.reason.startswith("no PNR element")
    assert "no single root" in error.reason
    assert (error.segment, error.line, error.expected) == ("Flight", 1, "PNR")
    assert error.found == "Flight, Flight"


# --- header, several PNRs, code-share ----------------------------------------------------------


def test_flight_leg_header_and_originator() -> None:
    push = read(minimal_push())

    assert (push.sender, push.header.sender) == ("ZZ", "ZZ")
    assert push.header.extra["originator_system"] == "1Z"
    assert push.header.prepared_at == "2030-05-01T06:00:00"
    assert push.header.message_reference == "T1"
    assert push.header.extra["version"] == "1.0"
    assert (push.flight.carrier, push.flight.number) == ("ZZ", "123")  # "0123" as sent
    assert (push.flight.origin, push.flight.destination) == ("AMS", "LIS")
    assert push.flight.scheduled_arrival == datetime(2030, 5, 1, 12, 30)
    assert push.declared_bookings == 1
    assert push.bookings[0].itinerary[0].is_pushed_flight
    assert push.warnings == []


def test_several_pnrs_and_declared_count() -> None:
    pnrs = [pnr(passenger(surname=f"TESTER{n}"), flight(), locator=f"ZZLOC{n}") for n in range(3)]
    push = read(notif(*pnrs))

    assert [b.record_locator for b in push.bookings] == ["ZZLOC0", "ZZLOC1", "ZZLOC2"]
    assert [b.travellers[0].surname for b in push.bookings] == ["TESTER0", "TESTER1", "TESTER2"]
    assert push.declared_bookings == 3 and push.warnings == []

    split = read(notif(*pnrs, number_of_pnrs="40"))
    [warning] = split.warnings
    assert (warning.code, warning.expected, warning.found) == ("booking_count_mismatch", "40", "3")


def test_code_share_matches_the_header_on_the_operating_flight() -> None:
    push = read(
        notif(
            pnr(passenger(), flight(carrier="ZZ", number="123", operating=("YY", "0456"))),
            flight_leg=leg(carrier="YY", number="456"),
        )
    )

    [entry] = push.bookings[0].itinerary
    assert (entry.marketing_carrier, entry.marketing_number) == ("ZZ", "123")
    assert (entry.operating_carrier, entry.operating_number) == ("YY", "456")
    assert entry.is_pushed_flight and push.flight.designator == "YY456"
    assert push.warnings == []


def test_operating_airline_same_as_marketing_is_not_a_code_share() -> None:
    push = read(minimal_push().replace(b"</Flight>", b'<OperatingAirline Code="ZZ"/></Flight>'))

    [entry] = push.bookings[0].itinerary
    assert entry.operating_carrier is None and entry.operating_number is None


def test_code_share_without_header_takes_the_operating_flight() -> None:
    data = notif(
        pnr(passenger(), flight(carrier="ZZ", number="123", operating=("YY", "456"))),
        flight_leg="",
    )
    push = read(data)

    assert push.flight.designator == "YY456"
    assert codes(push) == ["no_flight_header"]


def test_stale_flight_leg_yields_to_the_itinerary() -> None:
    data = notif(
        pnr(passenger(), flight(departure="2030-05-02T10:00:00", arrival="2030-05-02T12:30:00")),
        flight_leg=leg(departure="2030-05-01T10:00:00"),
    )
    push = read(data)

    [warning] = push.warnings
    assert warning.code == "header_flight_mismatch"
    assert (warning.segment, warning.found) == ("FlightLeg", "ZZ123 2030-05-01 AMS")
    assert warning.expected == "ZZ123 2030-05-02"
    assert push.flight.scheduled_departure == datetime(2030, 5, 2, 10, 0)
    assert push.bookings[0].itinerary[0].is_pushed_flight


def test_pushed_flight_marked_in_every_booking_and_missing_one_warned() -> None:
    connecting = pnr(
        passenger(), flight(number="900", board="LIS", off="AMS"), flight(), locator="ZZCON1"
    )
    elsewhere = pnr(passenger(), flight(number="777", board="MAD", off="LIS"), locator="ZZOTH1")
    push = read(notif(connecting, elsewhere))

    assert [leg.is_pushed_flight for leg in push.bookings[0].itinerary] == [False, True]
    assert push.bookings[1].itinerary[0].is_pushed_flight is False
    [warning] = push.warnings
    assert (warning.code, warning.expected) == ("booking_without_pushed_flight", "ZZ123")


def test_empty_push_is_not_an_error() -> None:
    push = read(notif(number_of_pnrs="0"))

    assert push.bookings == [] and push.declared_bookings == 0
    assert push.flight.designator == "ZZ123"
    assert push.warnings == []


# --- travellers -------------------------------------------------------------------------------


def test_title_glued_to_given_name_is_split() -> None:
    push = read(
        notif(
            pnr(
                passenger(given="BRAVO MRS", surname="TESTER"),
                passenger(rph="2", given="CHARLIE", title="mr", surname="TESTER"),
                flight(),
            )
        )
    )

    bravo, charlie = push.bookings[0].travellers
    assert (bravo.given_names, bravo.title) == ("BRAVO", "MRS")
    assert (charlie.given_names, charlie.title) == ("CHARLIE", "MR")


def test_loyalty_fare_and_boarding_status() -> None:
    traveller_xml = passenger(
        loyalty(),
        el("FareInfo", {"FareBasisCode": "YOWZZ"}),
        boarding="Boarded",
        kind="ADT",
    )
    push = read(notif(pnr(traveller_xml, flight())))

    [traveller] = push.bookings[0].travellers
    [card] = traveller.frequent_flyers
    assert (card.airline, card.number, card.tier, card.traveller_ref) == (
        "ZZ",
        "ZZ9990001",
        "GOLD",
        "1",
    )
    assert traveller.fare_basis == "YOWZZ"
    assert (traveller.boarding_status, traveller.checked_in) == ("Boarded", True)
    assert traveller.passenger_type == "A"


def test_infant_passenger_linked_to_accompanying_adult() -> None:
    push = read(
        notif(
            pnr(
                passenger(rph="1", given="ALPHA", infant=True),
                passenger(rph="2", given="BABY", kind="INF"),
                flight(),
            )
        )
    )

    adult, infant = push.bookings[0].travellers
    assert infant.passenger_type == "IN" and infant.infant_of == "1"
    assert adult.infant_of is None and push.warnings == []


def test_infant_docs_under_adult_creates_the_infant() -> None:
    infant_docs = doc_ssr(
        "DOCS",
        {
            "DocType": "P",
            "DocID": "INF0001",
            "DocIssueCountry": "NLD",
            "BirthDate": "2029-09-20",
            "Gender": "FI",
            "Surname": "TESTER",
            "FirstGivenName": "BABY",
        },
    )
    push = read(notif(pnr(passenger(infant_docs, infant=True), flight())))

    adult, infant = push.bookings[0].travellers
    assert adult.documents == [] and adult.gender is None
    assert (infant.surname, infant.given_names, infant.passenger_type) == ("TESTER", "BABY", "IN")
    assert (infant.infant_of, infant.gender) == ("1", "FI")
    assert infant.date_of_birth == date(2029, 9, 20)
    assert infant.documents[0].number == "INF0001"
    assert push.warnings == []


def test_infant_from_ssr_inft_and_missing_infant_warned() -> None:
    push = read(
        notif(
            pnr(
                passenger(ssr("INFT", "TESTER/BABY 20SEP29"), rph="1", infant=True),
                passenger(rph="2", given="BRAVO", infant=True),
                flight(),
            )
        )
    )

    booking = push.bookings[0]
    infant = next(t for t in booking.travellers if t.passenger_type == "IN")
    assert (infant.given_names, infant.infant_of) == ("BABY", "1")
    assert infant.date_of_birth == date(2029, 9, 20)
    [warning] = push.warnings
    assert (warning.code, warning.segment) == ("infant_not_listed", "Passenger")


def test_structured_docs_doca_doco() -> None:
    items = [
        doc_ssr(
            "DOCS",
            {
                "DocType": "P",
                "DocID": "X1234567",
                "DocIssueCountry": "NLD",
                "DocHolderNationality": "NLD",
                "BirthDate": "1980-01-01",
                "Gender": "M",
                "ExpiryDate": "2031-02-03",
                "Surname": "TESTER",
                "FirstGivenName": "ALPHA",
            },
        ),
        doc_ssr(
            "DOCA",
            {
                "AddressType": "R",
                "Country": "NLD",
                "Address": "1 TEST STREET",
                "City": "TESTVILLE",
                "PostalCode": "1000",
            },
        ),
        doc_ssr(
            "DOCO",
            {
                "DocType": "V",
                "DocID": "V998877",
                "PlaceOfIssue": "TESTVILLE",
                "IssueDate": "2029-01-05",
                "ApplicableCountry": "PRT",
            },
        ),
    ]
    push = read(notif(pnr(passenger(*items), flight())))

    [traveller] = push.bookings[0].travellers
    assert traveller.documents == [
        TravelDocument(
            type="P", number="X1234567", issuing_country="NLD", expiry_date=date(2031, 2, 3)
        ),
        TravelDocument(
            type="V",
            number="V998877",
            issuing_country="PRT",
            issuing_place="TESTVILLE",
            issue_date=date(2029, 1, 5),
        ),
    ]
    assert (traveller.date_of_birth, traveller.gender, traveller.nationality) == (
        date(1980, 1, 1),
        "M",
        "NLD",
    )
    assert traveller.addresses == [
        Address(street="1 TEST STREET", city="TESTVILLE", postcode="1000", country="NLD")
    ]
    assert traveller.country_of_residence == "NLD"
    assert push.warnings == []


def test_free_text_docs_doca_doco_in_passenger_ssrs() -> None:
    items = [
        ssr("DOCS", "HK1/P/NLD/X7654321/NLD/01JAN80/F/03FEB31/TESTER/ALPHA/MARIA"),
        ssr("DOCA", "/D/PRT/2 RUA TESTE/LISBOA//1000-001"),
        ssr("DOCO", "/TESTVILLE/V/V112233/TESTVILLE/05JAN29/PRT"),
    ]
    push = read(notif(pnr(passenger(*items), flight())))

    booking = push.bookings[0]
    [traveller] = booking.travellers
    passport, visa = traveller.documents
    assert (passport.type, passport.number, passport.issuing_country) == ("P", "X7654321", "NLD")
    assert passport.expiry_date == date(2031, 2, 3)
    assert (visa.type, visa.number, visa.issue_date) == ("V", "V112233", date(2029, 1, 5))
    assert (traveller.date_of_birth, traveller.gender) == (date(1980, 1, 1), "F")
    assert traveller.addresses == [
        Address(street="2 RUA TESTE", city="LISBOA", postcode="1000-001", country="PRT")
    ]
    assert traveller.country_of_residence is None  # a destination address, not residence
    assert booking.special_requests == []  # API data goes to the traveller only


def test_flight_level_docs_without_rph_matched_by_name() -> None:
    docs_text = "/P/NLD/X5555555/NLD/02FEB90/M/03FEB31/TESTER/BRAVO"
    push = read(
        notif(
            pnr(
                passenger(rph="1", given="ALPHA"),
                passenger(rph="2", given="BRAVO"),
                flight(ssr("DOCS", docs_text)),
            )
        )
    )

    alpha, bravo = push.bookings[0].travellers
    assert alpha.documents == [] and bravo.documents[0].number == "X5555555"


def test_docs_for_unknown_passenger_warned() -> None:
    push = read(
        notif(
            pnr(
                passenger(rph="1"),
                passenger(rph="2", given="BRAVO"),
                flight(ssr("DOCS", "/P/NLD/X1/NLD/01JAN80/M/01JAN31/OTHER/PERSON", rph="9")),
            )
        )
    )

    assert codes(push) == ["unmatched_ssr"]
    assert all(t.documents == [] for t in push.bookings[0].travellers)


# --- contacts, agency, tickets, payments ------------------------------------------------------


def test_contacts_phone_email_and_agency() -> None:
    pos = el(
        "POS",
        None,
        el(
            "Source",
            {
                "AgentSine": "ZZ01AB",
                "PseudoCityCode": "AMSZZ08AA",
                "ISOCountry": "NL",
                "ISOCurrency": "EUR",
                "AirlineVendorID": "ZZ",
                "AirportCode": "AMS",
            },
            el("RequestorID", {"ID": "99999999"}),
        ),
    )
    info = el(
        "ContactInfo",
        None,
        el("Telephone", {"PhoneNumber": "020 555 0100"}),
        el("Email", text="Alpha..Tester//Example.Invalid"),
    )
    push = read(notif(pnr(pos, info, contact(PhoneNumber="M+31205550101"), passenger(), flight())))

    booking = push.bookings[0]
    assert booking.agency is not None
    assert (booking.agency.agent_sign, booking.agency.office_id) == ("ZZ01AB", "AMSZZ08AA")
    assert (booking.agency.country, booking.agency.currency) == ("NL", "EUR")
    assert (booking.agency.system, booking.agency.location) == ("ZZ", "AMS")
    assert booking.agency.agency_number == "99999999"
    assert [(c.kind, c.value, c.normalised) for c in booking.contacts] == [
        ("phone", "+31205550100", True),  # national number read with the agency's country
        ("email", "alpha_tester@example.invalid", True),
        ("phone", "+31205550101", True),
    ]
    assert all(c.source == "XML ContactInfo" and c.traveller_ref is None for c in booking.contacts)


def test_ticket_and_card_payment_keep_no_card_number() -> None:
    remark = el("Remark", None, el("Text", text=f"FOP CC VI {CARD} EXP 1232"))
    push = read(notif(pnr(passenger(ticket()), remark, flight())))

    booking = push.bookings[0]
    [issued] = booking.tickets
    assert (issued.number, issued.type, issued.issued_on) == (
        "9991234567890",
        "Ticket",
        date(2030, 4, 2),
    )
    assert (issued.total_amount, issued.base_amount, issued.currency) == (250.0, 207.5, "EUR")
    assert [(t.code, t.amount) for t in issued.taxes] == [("YQ", 30.0), ("XT", 12.5)]
    assert issued.traveller_ref == "1"
    [payment] = booking.payments
    assert (payment.type, payment.card_vendor, payment.card_last_four) == ("CC", "VI", "1111")
    assert payment.card_fingerprint == card_fingerprint(CARD, OPTIONS.card_key)
    assert (payment.card_expiry, payment.card_holder) == ("1232", "ALPHA TESTER")
    assert (payment.amount, payment.currency, payment.traveller_ref) == (250.0, "EUR", "1")
    assert payment.billing_address == Address(
        street="1 TEST STREET", city="TESTVILLE", postcode="1000", country="NL"
    )
    assert booking.remarks == ["FOP CC VI XXXXXXXXXXXX1111 EXP 1232"]
    assert CARD not in repr(push)


def test_masked_card_has_last_four_but_no_fingerprint() -> None:
    push = read(notif(pnr(passenger(ticket(card="XXXXXXXXXXXX4242")), flight())))

    [payment] = push.bookings[0].payments
    assert (payment.card_last_four, payment.card_fingerprint) == ("4242", None)


def test_bags_and_pnr_level_ssr() -> None:
    items = [
        el("PrepaidBag", {"Quantity": "1", "UnitOfMeasure": "KG", "Weight": "23"}),
        ssr("OTHS", "TEST REMARK", rph="1"),
    ]
    traveller_xml = passenger(el("ExcessBaggage", {"Quantity": "2"}))
    push = read(notif(pnr(traveller_xml, flight(), *items)))

    requests = [(r.code, r.quantity, r.traveller_ref) for r in push.bookings[0].special_requests]
    assert requests == [("EBD", "2", "1"), ("PDBG", "1", None), ("OTHS", "1", "1")]


def test_pnr_level_ssr_names_its_leg_by_airports() -> None:
    seat = el("SSR", {"SSRCode": "NSST", "RPH": "1", "BoardPoint": "LIS", "OffPoint": "OPO"})
    legs = [flight(), flight(number="124", board="LIS", off="OPO")]
    push = read(notif(pnr(seat, passenger(), *legs)))  # the SSR comes before the flights

    [request] = push.bookings[0].special_requests
    assert (request.code, request.traveller_ref, request.leg_ref) == ("NSST", "1", "2")


# --- check-in ---------------------------------------------------------------------------------


def test_check_in_matched_by_name_with_bags() -> None:
    bags = el(
        "Baggage",
        {"Quantity": "2", "Weight": "31", "UnitOfMeasure": "KG"},
        el(
            "BagTag",
            {"CarrierCode": "999", "Number": "123456", "Quantity": "2", "Destination": "LIS"},
        ),
    )
    push = read(
        notif(
            pnr(
                passenger(rph="1", given="ALPHA"),
                passenger(rph="2", given="BRAVO"),
                flight(check_in(rph=None, names=("BRAVO", "TESTER"), seat="14c", bags=bags)),
            )
        )
    )

    booking = push.bookings[0]
    [done] = booking.check_ins
    assert (done.traveller_ref, done.seat, done.bag_pieces, done.bag_weight) == (
        "2",
        "14C",
        2,
        31.0,
    )
    [run] = done.bag_tags
    assert (run.carrier_code, run.first_serial, run.count, run.destination) == (
        "999",
        "123456",
        2,
        "LIS",
    )
    alpha, bravo = booking.travellers
    assert (alpha.checked_in, bravo.checked_in, bravo.seat) == (False, True, "14C")


def test_check_in_on_another_leg_is_dropped() -> None:
    push = read(
        notif(pnr(passenger(), flight(), flight(check_in(), number="124", board="LIS", off="OPO")))
    )

    booking = push.bookings[0]
    assert booking.check_ins == [] and booking.travellers[0].seat is None
    assert codes(push) == ["check_in_other_leg"]


# --- namespaces, roots, fragments -------------------------------------------------------------


def test_prefixed_namespace_reads_the_same() -> None:
    plain = minimal_push()
    prefixed = (
        plain.decode()
        .replace(f'xmlns="{NS}"', f'xmlns:iata="{NS}"')
        .replace("<", "<iata:")
        .replace("<iata:/", "</iata:")
        .replace("<iata:?xml", "<?xml")
    )
    assert read(prefixed.encode()) == read(plain)


def test_fragment_of_pnrs_without_root_is_read() -> None:
    body = pnr(passenger(), flight(), locator="ZZFRA1") + "\n" + pnr(passenger(), flight())
    push = read(body.encode())

    assert [b.record_locator for b in push.bookings] == ["ZZFRA1", "ZZA1B2"]
    assert codes(push) == ["no_root_element", "no_flight_header"]


# --- bad content: warnings, not errors --------------------------------------------------------


def test_bad_values_are_warnings_with_lines() -> None:
    data = notif(
        pnr(
            passenger(),
            flight(departure="2030-13-01T10:00:00", party="many"),
            created="yesterday",
        )
    ).replace(b"><", b">\n<")
    push = read(data)

    booking = push.bookings[0]
    assert booking.created_at is None and booking.itinerary[0].departure is None
    assert booking.itinerary[0].party_size is None
    created, departure, party = push.warnings
    assert (created.code, created.segment, created.found) == ("bad_date", "PNR", "yesterday")
    assert (departure.code, departure.segment) == ("bad_date", "Flight")
    assert departure.found == "2030-13-01T10:00:00"
    assert (party.code, party.segment, party.found) == ("bad_number", "Flight", "many")
    lines = data.decode().splitlines()
    assert lines[created.line - 1].startswith("<PNR ")
    assert lines[departure.line - 1].startswith("<Flight ") and party.line == departure.line
    assert booking.travellers[0].surname == "TESTER"


def test_unknown_elements_warned_once_per_pnr() -> None:
    push = read(minimal_push(el("Hotel", {"Name": "X"}), el("Hotel", {"Name": "Y"})))

    assert codes(push) == ["unexpected_element"]


# --- refused input ----------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<IATA_PNRGOV_NotifRQ><PNRs><PNR>&lol3;</PNR></PNRs></IATA_PNRGOV_NotifRQ>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY ext SYSTEM "file:///etc/passwd">]>
<IATA_PNRGOV_NotifRQ><PNRs><PNR><Remark><Text>&ext;</Text></Remark></PNR></PNRs></IATA_PNRGOV_NotifRQ>"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE IATA_PNRGOV_NotifRQ SYSTEM "http://example.invalid/pnr.dtd">
<IATA_PNRGOV_NotifRQ/>"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD])
def test_entities_and_dtds_refused(data: bytes) -> None:
    with pytest.raises(ParseError) as caught:
        read(data)

    assert "DTDForbidden" in caught.value.reason
    assert caught.value.line == 2


@pytest.mark.parametrize(
    ("data", "line", "reason"),
    [
        (b"<IATA_PNRGOV_NotifRQ>\n<PNRs>\n</PNR>", 3, "mismatched tag"),
        (b"not xml at all", 1, "syntax error"),
        (b"<a/>\n<b>\n</c>", 3, "mismatched tag"),
    ],
)
def test_malformed_xml_refused_with_position(data: bytes, line: int, reason: str) -> None:
    with pytest.raises(ParseError) as caught:
        read(data)

    assert caught.value.line == line and reason in caught.value.reason
    assert not isinstance(caught.value, UnsupportedMessageError)


def test_empty_input_refused() -> None:
    with pytest.raises(ParseError, match="empty"):
        read(b"  \n")


def test_other_xml_is_unsupported() -> None:
    with pytest.raises(UnsupportedMessageError) as caught:
        read(b"<OTA_AirAvailRQ><Origin/></OTA_AirAvailRQ>")

    assert caught.value.found == "OTA_AirAvailRQ"


def test_pnr_like_xml_without_pnr_is_a_parse_error() -> None:
    with pytest.raises(ParseError) as caught:
        read(b"<DaneXML><Passenger><Surname>TESTER</Surname></Passenger></DaneXML>")

    assert type(caught.value) is ParseError
    assert caught.value.reason == "no PNR element: DaneXML holds PNRGOV elements but no PNR"
