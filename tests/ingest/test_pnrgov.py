"""PNRGOV EDIFACT mapping on synthetic messages: one test group per trigger segment, then the
deviations real feeds show (FORMATS.md §1.7, §3). Synthetic names (ALPHA, BRAVO ...) only."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from pnr_factory import (
    CARD,
    HEADER_TVL,
    KEY,
    LEG,
    booking,
    codes,
    only_booking,
    pnrgov,
    read_push,
    traveller,
)

from firstline.ingest import pnrgov as pnrgov_module
from firstline.ingest.pnrgov_flight import parse_reference
from firstline.ingest.pnrgov_values import mask_cards, parse_ssr_date
from firstline.model.values import card_fingerprint

# --- header: MSG, ORG, TVL, EQN ------------------------------------------------------------


def test_header_gives_sender_flight_and_declared_count() -> None:
    push = read_push(pnrgov([booking(["TIF+ALPHA+BRAVO MR:A:1"])]))
    assert push.sender == "ZZ"
    assert push.header.extra["sender_location"] == "AAA"
    assert push.header.extra["message_function"] == "22"
    assert push.declared_bookings == 1
    flight = push.flight
    assert flight is not None
    assert (flight.designator, flight.origin, flight.destination) == ("ZZ123", "AAA", "BBB")
    # DDMMYY, unlike PAXLST: 010625 is 1 June 2025.
    assert flight.scheduled_departure == datetime(2025, 6, 1, 10, 30)
    assert flight.scheduled_arrival == datetime(2025, 6, 1, 14, 0)
    assert codes(push) == []


def test_header_flight_number_loses_leading_zeros() -> None:
    header = ["MSG+:22", "ORG+ZZ", "TVL+010625:1030:010625:1400+AAA+BBB+ZZ+0123", "EQN+1"]
    push = read_push(pnrgov([booking(["TIF+ALPHA+BRAVO:A:1"])], header=header))
    assert push.flight is not None and push.flight.number == "123"
    assert only_booking(push).itinerary[0].is_pushed_flight


def test_eqn_zero_does_not_crash() -> None:
    header = ["MSG+:22", "ORG+ZZ", HEADER_TVL, "EQN+0"]
    empty = read_push(pnrgov([], header=header))
    assert empty.declared_bookings == 0 and empty.bookings == []
    assert empty.flight is not None and empty.flight.designator == "ZZ123"
    assert codes(empty) == []
    one = read_push(pnrgov([booking(["TIF+ALPHA+BRAVO:A:1"])], header=header))
    assert len(one.bookings) == 1
    (warning,) = one.warnings
    assert (warning.code, warning.segment, warning.expected, warning.found) == (
        "booking_count",
        "EQN",
        "1",
        "0",
    )


def test_missing_msg_and_org_still_load() -> None:
    push = read_push(pnrgov([booking(["TIF+ALPHA+BRAVO:A:1"])], header=[HEADER_TVL]))
    assert len(only_booking(push).travellers) == 1
    assert push.sender == "ZZAIR"  # the UNB sender stands in
    assert [(w.code, w.expected) for w in push.warnings] == [
        ("missing_segment", "MSG"),
        ("missing_segment", "ORG"),
    ]


@pytest.mark.parametrize("version", ["10:1:IA", "11:1:IA", "13:1:XS", "14:1:IA", "16:1:IA"])
def test_supported_releases_read_without_warning(version: str) -> None:
    push = read_push(pnrgov([booking(["TIF+ALPHA+BRAVO:A:1"])], version=version))
    assert codes(push) == []


def test_other_release_or_agency_is_read_with_a_warning() -> None:
    push = read_push(pnrgov([booking(["TIF+ALPHA+BRAVO:A:1"])], version="21:1:ZZ"))
    assert len(only_booking(push).travellers) == 1
    assert [(w.code, w.found) for w in push.warnings] == [
        ("unsupported_version", "21:1"),
        ("unexpected_agency", "ZZ"),
    ]


# --- booking level: SRC, RCI, DAT, IFT, ORG, ADD, EBD, SSR ---------------------------------


def test_rci_several_locators_with_creation_time() -> None:
    push = read_push(
        pnrgov([["SRC", "RCI+ZZ:ABC123::150525:093015+1A:QWERTY:O+YY:XYZ987", "TIF+A+B:A:1", LEG]])
    )
    item = only_booking(push)
    assert [(x.system, x.locator, x.kind) for x in item.locators] == [
        ("ZZ", "ABC123", None),
        ("1A", "QWERTY", "O"),
        ("YY", "XYZ987", None),
    ]
    assert item.created_at == datetime(2025, 5, 15, 9, 30, 15)
    assert item.record_locator == "ABC123"
    assert item.key() == "ZZ|ABC123|2025-05-15"


def test_dat_last_change_and_ticketing() -> None:
    push = read_push(pnrgov([booking(["DAT+700:200525:1100+710:180525:0800", "DAT+999:200525"])]))
    item = only_booking(push)
    assert item.last_modified == datetime(2025, 5, 20, 11, 0)
    assert item.ticketed_at == datetime(2025, 5, 18, 8, 0)
    assert [(w.code, w.found) for w in push.warnings] == [("unknown_qualifier", "999")]


def test_ift_remarks_and_contacts_hidden_in_text() -> None:
    push = read_push(
        pnrgov(
            [
                booking(
                    [
                        "IFT+4:28::ZZ+CTCM 447400123456",
                        "IFT+4:28::ZZ+CTCE ALPHA..BRAVO//EXAMPLE.COM",
                        "IFT+4:63::ZZ+PLEASE CALL BEFORE DEPARTURE",
                        "IFT+4:63::ZZ",
                    ]
                )
            ]
        )
    )
    item = only_booking(push)
    assert item.remarks == [
        "CTCM 447400123456",
        "CTCE ALPHA..BRAVO//EXAMPLE.COM",
        "PLEASE CALL BEFORE DEPARTURE",
    ]
    assert [(c.kind, c.value, c.raw, c.source, c.normalised) for c in item.contacts] == [
        ("phone", "+447400123456", "447400123456", "IFT", True),
        ("email", "alpha_bravo@example.com", "ALPHA..BRAVO//EXAMPLE.COM", "IFT", True),
    ]


def test_booking_org_is_the_agency_and_gives_the_phone_region() -> None:
    push = read_push(
        pnrgov(
            [
                booking(
                    [
                        "ORG+1A:PAR+12345675:PARXX0001+CDG+ZZ:CDG+T+FR:EUR+1234AB+T1+SU",
                        "IFT+4:28::ZZ+CTCM 0612345678",
                    ]
                )
            ]
        )
    )
    item = only_booking(push)
    agency = item.agency
    assert agency is not None
    assert (agency.system, agency.location, agency.agency_number, agency.office_id) == (
        "1A",
        "CDG",
        "12345675",
        "PARXX0001",
    )
    assert (agency.company, agency.originator_type, agency.country, agency.currency) == (
        "ZZ",
        "T",
        "FR",
        "EUR",
    )
    assert (agency.agent_sign, agency.duty_code) == ("1234AB", "SU")
    # A national French number read with the agency's country.
    assert [(c.value, c.normalised) for c in item.contacts] == [("+33612345678", True)]


def test_add_address_and_phone_at_booking_and_traveller_level() -> None:
    push = read_push(
        pnrgov(
            [
                booking(
                    [
                        "ADD++700:1 HIGH STREET:SPRINGFIELD:XX:GB:AB1 2CD:02079460000",
                        "TIF+ALPHA+BRAVO MR:A:1",
                        "ADD++701:2 MAIN ROAD:RIVERSIDE::US:12345:ALPHA//EXAMPLE.ORG",
                    ]
                )
            ]
        )
    )
    item = only_booking(push)
    (address,) = item.addresses
    assert (address.street, address.city, address.region, address.country, address.postcode) == (
        "1 HIGH STREET",
        "SPRINGFIELD",
        "XX",
        "GB",
        "AB1 2CD",
    )
    person = traveller(item, "BRAVO")
    assert [a.city for a in person.addresses] == ["RIVERSIDE"]
    assert [(c.kind, c.value, c.source, c.traveller_ref) for c in item.contacts] == [
        ("phone", "+442079460000", "ADD", None),
        ("email", "alpha@example.org", "ADD", "1"),
    ]


def test_ebd_excess_bag_is_kept() -> None:
    push = read_push(pnrgov([booking(["TIF+ALPHA+BRAVO:A:1", "EBD+EUR:45.00+2::N"])]))
    (request,) = only_booking(push).special_requests
    assert (request.code, request.text, request.traveller_ref) == ("EBD", "EUR:45.00+2::N", "1")


def test_unknown_segment_is_skipped_with_a_warning() -> None:
    push = read_push(pnrgov([booking(["XYZ+1", "TIF+ALPHA+BRAVO:A:1"])]))
    assert len(only_booking(push).travellers) == 1
    (warning,) = push.warnings
    assert (warning.code, warning.segment, warning.found) == ("unexpected_segment", "XYZ", "XYZ")


# --- travellers: TIF, FTI, REF, FAR -------------------------------------------------------


def test_travellers_exist_from_tif_alone() -> None:
    push = read_push(
        pnrgov([booking(["TIF+ALPHA+BRAVO MR:A:1", "TIF+ALPHA+CHARLIE:C:2", "TIF+DELTA+:A:3"])])
    )
    people = only_booking(push).travellers
    assert [(t.surname, t.given_names, t.title, t.passenger_type, t.reference) for t in people] == [
        ("ALPHA", "BRAVO", "MR", "A", "1"),
        ("ALPHA", "CHARLIE", None, "C", "2"),
        ("DELTA", None, None, "A", "3"),
    ]
    assert all(not t.documents for t in people)


def test_tif_repetitions_are_several_travellers() -> None:
    push = read_push(pnrgov([booking(["TIF+ALPHA+BRAVO MR:A:1*CHARLIE MRS:A:2"])]))
    people = only_booking(push).travellers
    assert [(t.surname, t.given_names, t.title) for t in people] == [
        ("ALPHA", "BRAVO", "MR"),
        ("ALPHA", "CHARLIE", "MRS"),
    ]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("ECHO MRS", ("ECHO", "MRS")),
        ("ECHO FOXTROT MISS", ("ECHO FOXTROT", "MISS")),
        ("ANNMS", ("ANN", "MS")),  # glued title, plausible name left
        ("ANNMRS", ("ANN", "MRS")),
        ("TOMMSTR", ("TOM", "MSTR")),
        ("WILLIAMS", ("WILLIAMS", None)),  # a name that ends like a title stays whole
        ("ALEKSANDR", ("ALEKSANDR", None)),  # glued DR needs a document to confirm it
        ("AMR", ("AMR", None)),  # nothing plausible left
        ("MR", (None, "MR")),
    ],
)
def test_title_rule(given: str, expected: tuple[str | None, str | None]) -> None:
    push = read_push(pnrgov([booking([f"TIF+ALPHA+{given}:A:1"])]))
    (person,) = only_booking(push).travellers
    assert (person.given_names, person.title) == expected


def test_glued_title_decided_by_the_docs_name() -> None:
    docs = "SSR+DOCS:HK:1:ZZ:::::/P/GBR/X1234567/GBR/01JAN80/M/01JAN30/ALPHA/{given}"
    push = read_push(
        pnrgov(
            [
                booking(["TIF+ALPHA+JOHNDR:A:1", docs.format(given="JOHN")], locator="AAA111"),
                booking(["TIF+ALPHA+ERIKMS:A:1", docs.format(given="ERIKMS")], locator="BBB222"),
            ]
        )
    )
    first, second = (b.travellers[0] for b in push.bookings)
    assert (first.given_names, first.title) == ("JOHN", "DR")
    assert (second.given_names, second.title) == ("ERIKMS", None)


def test_infant_tied_to_the_flagged_adult() -> None:
    push = read_push(
        pnrgov(
            [
                booking(
                    [
                        "TIF+ALPHA+BRAVO MR:A:1",
                        "TIF+ALPHA+CHARLIE MRS:A:2:1",
                        "TIF+ALPHA+DELTA:IN:3",
                    ]
                )
            ]
        )
    )
    infant = traveller(push, "DELTA")
    assert (infant.passenger_type, infant.infant_of) == ("IN", "2")
    assert traveller(push, "BRAVO").infant_of is None


def test_fti_ref_far_on_the_open_traveller() -> None:
    push = read_push(
        pnrgov(
            [
                booking(
                    [
                        "TIF+ALPHA+BRAVO:A:1",
                        "FTI+ZZ:123456789:::::G+YY:987654",
                        "REF+:0001ABCDEF",
                        "FAR+N+++++YLOWFARE",
                        "TIF+ALPHA+CHARLIE:A:2",
                        "REF+:0002ABCDEF",
                    ]
                )
            ]
        )
    )
    first, second = only_booking(push).travellers
    assert [(f.airline, f.number, f.tier, f.traveller_ref) for f in first.frequent_flyers] == [
        ("ZZ", "123456789", "G", "1"),
        ("YY", "987654", None, "1"),
    ]
    assert (first.unique_reference, first.fare_basis) == ("0001ABCDEF", "YLOWFARE")
    assert (second.unique_reference, second.frequent_flyers) == ("0002ABCDEF", [])


def test_travellers_sent_after_the_itinerary_still_count() -> None:
    push = read_push(
        pnrgov(
            [
                booking(
                    [
                        "TIF+ALPHA+BRAVO MR:A:1",
                        LEG,
                        "TIF+ALPHA+BRAVO MR:A:1",  # named again under the leg: no one new
                        "TIF+ALPHA+CHARLIE MRS:A:2",  # out of the IG order, but a traveller
                        "SSR+DOCS:HK:1:ZZ:::::/P/FRA/X1/FRA/01JAN80/F/01JAN30/ALPHA/CHARLIE",
                    ],
                    leg=None,
                )
            ]
        )
    )
    item = only_booking(push)
    assert [t.given_names for t in item.travellers] == ["BRAVO", "CHARLIE"]
    assert [d.number for d in traveller(item, "CHARLIE").documents] == ["X1"]
    assert traveller(item, "BRAVO").checked_in is False  # a bare TIF is no check-in
    assert codes(push) == []


def test_traveller_segment_before_any_tif_is_an_orphan() -> None:
    push = read_push(pnrgov([booking(["FTI+ZZ:123456789"])]))
    assert [(w.code, w.found) for w in push.warnings] == [("orphan_segment", "FTI")]


# --- SSR ------------------------------------------------------------------------------------

DOCS_BRAVO = "/P/FRA/X1000001/FRA/12MAR81/M/01JAN30/ALPHA/BRAVO"
DOCS_CHARLIE = "/P/DEU/X2000002/DEU/05MAY85/F/02FEB29/ALPHA/CHARLIE"


def test_docs_by_traveller_reference() -> None:
    push = read_push(
        pnrgov(
            [
                booking(
                    [
                        "TIF+ALPHA+BRAVO MR:A:1",
                        "TIF+ALPHA+CHARLIE MRS:A:2",
                        f"SSR+DOCS:HK:1:ZZ:::::{DOCS_CHARLIE}+::2",
                    ]
                )
            ]
        )
    )
    charlie = traveller(push, "CHARLIE")
    (document,) = charlie.documents
    assert (document.type, document.number, document.issuing_country) == ("P", "X2000002", "DEU")
    assert document.expiry_date == date(2029, 2, 2)
    assert (charlie.date_of_birth, charlie.gender, charlie.nationality) == (
        date(1985, 5, 5),
        "F",
        "DEU",
    )
    assert traveller(push, "BRAVO").documents == []


def test_docs_by_name_when_it_sits_under_another_traveller() -> None:
    push = read_push(
        pnrgov(
            [
                booking(
                    [
                        "TIF+ALPHA+BRAVO MR:A:1",
                        f"SSR+DOCS:HK:1:ZZ:::::{DOCS_CHARLIE}",
                        f"SSR+DOCS:HK:1:ZZ:::::{DOCS_BRAVO}",
                        "TIF+ALPHA+CHARLIE MRS:A:2",
                    ]
                )
            ]
        )
    )
    assert [d.number for d in traveller(push, "BRAVO").documents] == ["X1000001"]
    assert [d.number for d in traveller(push, "CHARLIE").documents] == ["X2000002"]


def test_docs_by_context_then_single_traveller() -> None:
    other_name = "/P/FRA/X3000003/FRA/12MAR81/M/01JAN30/ZULU/YANKEE"
    push = read_push(
        pnrgov(
            [
                booking(
                    [
                        "TIF+ALPHA+BRAVO:A:1",
                        "TIF+ALPHA+CHARLIE:A:2",
                        f"SSR+DOCS:HK:1:ZZ:::::{other_name}",
                    ],
                    locator="AAA111",
                ),
                booking([f"SSR+DOCS:HK:1:ZZ:::::{other_name}", "TIF+ALPHA+BRAVO:A:1"]),
            ]
        )
    )
    context, single = push.bookings
    assert [d.number for d in traveller(context, "CHARLIE").documents] == ["X3000003"]
    assert [d.number for d in traveller(single, "BRAVO").documents] == ["X3000003"]
    assert codes(push) == ["ssr_name_mismatch", "ssr_name_mismatch"]


def test_unmatched_docs_is_kept_as_a_booking_request() -> None:
    push = read_push(
        pnrgov(
            [
                booking(
                    [
                        f"SSR+DOCS:HK:1:ZZ:::::{DOCS_BRAVO.replace('BRAVO', 'XRAY')}",
                        "TIF+ALPHA+BRAVO:A:1",
                        "TIF+ALPHA+CHARLIE:A:2",
                    ]
                )
            ]
        )
    )
    item = only_booking(push)
    assert all(not t.documents for t in item.travellers)
    assert [r.code for r in item.special_requests] == ["DOCS"]
    assert codes(push) == ["unassigned_ssr"]


def test_docs_two_letter_countries_and_century_from_travel_date() -> None:
    docs = "SSR+DOCS:HK:1:ZZ:::::/P/PH/X4000004/PH/20SEP24/MI/25OCT34/ALPHA/BRAVO"
    push = read_push(pnrgov([booking(["TIF+ALPHA+BRAVO:IN:1", docs])]), today=date(2000, 1, 1))
    (person,) = only_booking(push).travellers
    # Born in 2024 (before the 2025 flight), not 1924; expiry 2034 after it. `today` is not used.
    assert person.date_of_birth == date(2024, 9, 20)
    assert person.documents[0].expiry_date == date(2034, 10, 25)
    assert (person.nationality, person.gender) == ("PH", "MI")
    assert codes(push) == ["infant_without_adult", "two_letter_country", "two_letter_country"]


def test_docs_with_bad_date_keeps_the_rest() -> None:
    docs = "SSR+DOCS:HK:1:ZZ:::::/P/FRA/X5000005/FRA/31FOO81/M/01JAN30/ALPHA/BRAVO"
    push = read_push(pnrgov([booking(["TIF+ALPHA+BRAVO:A:1", docs])]))
    (person,) = only_booking(push).travellers
    assert person.date_of_birth is None
    assert [d.number for d in person.documents] == ["X5000005"]
    (warning,) = push.warnings
    assert (warning.code, warning.element, warning.component, warning.found) == (
        "bad_date",
        1,
        9,
        "31FOO81",
    )


def test_doca_doco_foid() -> None:
    push = read_push(
        pnrgov(
            [
                booking(
                    [
                        "TIF+ALPHA+BRAVO:A:1",
                        "SSR+DOCA:HK:1:ZZ:::::/R/FRA/1 RUE HAUTE/PARIS//75001+::1",
                        "SSR+DOCA:HK:1:ZZ:::::/D/USA/2 MAIN ST/NEW YORK/NY/10001+::1",
                        "SSR+DOCO:HK:1:ZZ:::::/PARIS/V/V9000009/LONDON/01FEB25/USA+::1",
                        "SSR+FOID:HK:1:ZZ:::::NI12345678+::1",
                    ]
                )
            ]
        )
    )
    (person,) = only_booking(push).travellers
    assert [(a.street, a.city, a.region, a.postcode, a.country) for a in person.addresses] == [
        ("1 RUE HAUTE", "PARIS", None, "75001", "FRA"),
        ("2 MAIN ST", "NEW YORK", "NY", "10001", "USA"),
    ]
    assert person.country_of_residence == "FRA"
    visa, national_id = person.documents
    assert (visa.type, visa.number, visa.issuing_country, visa.issuing_place, visa.issue_date) == (
        "V",
        "V9000009",
        "USA",
        "LONDON",
        date(2025, 2, 1),
    )
    assert (national_id.type, national_id.number) == ("NI", "12345678")
    assert only_booking(push).special_requests == []


def test_inft_creates_the_infant_when_no_tif_names_it() -> None:
    push = read_push(
        pnrgov(
            [
                booking(
                    [
                        "TIF+ALPHA+BRAVO MRS:A:1",
                        "TIF+ALPHA+CHARLIE MR:A:2",
                        "SSR+INFT:HK:1:ZZ:::AAA:BBB:ALPHA/DELTA 20SEP24+::1",
                    ]
                )
            ]
        )
    )
    infant = traveller(push, "DELTA")
    assert (infant.surname, infant.passenger_type, infant.infant_of) == ("ALPHA", "IN", "1")
    assert infant.date_of_birth == date(2024, 9, 20)
    (request,) = only_booking(push).special_requests
    assert (request.code, request.traveller_ref, request.leg_ref) == ("INFT", "1", "AAA-BBB")


def test_infant_docs_pointing_at_the_adult_goes_to_the_infant() -> None:
    infant_docs = "/P/GBR/X6000006/GBR/20SEP24/FI/25OCT29/ALPHA/DELTA"
    push = read_push(
        pnrgov(
            [
                booking(
                    [
                        "TIF+ALPHA+BRAVO MRS:A:1:1",
                        "TIF+ALPHA+DELTA:IN:2",
                        LEG,
                        f"SSR+DOCS:HK:1:ZZ:::AAA:BBB:{infant_docs}+::1",
                    ],
                    leg=None,
                )
            ]
        )
    )
    assert traveller(push, "BRAVO").documents == []
    infant = traveller(push, "DELTA")
    assert ([d.number for d in infant.documents], infant.gender) == (["X6000006"], "FI")
    assert infant.infant_of == "1"


def test_contact_ssrs() -> None:
    push = read_push(
        pnrgov(
            [
                booking(
                    [
                        "TIF+ALPHA+BRAVO:A:1",
                        "SSR+CTCE:HK:1:ZZ:::::ALPHA..B//EXAMPLE.NET/EN",
                        "SSR+CTCM:HK:1:ZZ:::::/33612345678/FR",
                        "SSR+CTCR:HK:1:ZZ:::::REFUSED",
                    ]
                )
            ]
        )
    )
    item = only_booking(push)
    assert [(c.kind, c.value, c.source, c.traveller_ref) for c in item.contacts] == [
        ("email", "alpha_b@example.net", "SSR CTCE", "1"),
        ("phone", "+33612345678", "SSR CTCM", "1"),
    ]
    assert [(r.code, r.text) for r in item.special_requests] == [("CTCR", "REFUSED")]


def test_other_ssrs_are_kept_with_traveller_and_leg() -> None:
    push = read_push(
        pnrgov(
            [
                booking(
                    [
                        "TIF+ALPHA+BRAVO:A:1",
                        "TIF+ALPHA+CHARLIE:A:2",
                        LEG,
                        "SSR+PETC:HK:1:ZZ:::AAA:BBB:CAT IN CABIN+::2",
                        "SSR+OTHS:HK:1:ZZ:::::CARD 4111 1111 1111 1111 ON FILE",
                    ],
                    leg=None,
                )
            ]
        )
    )
    pet, other = only_booking(push).special_requests
    assert (pet.code, pet.status, pet.quantity, pet.carrier) == ("PETC", "HK", "1", "ZZ")
    assert (pet.text, pet.traveller_ref, pet.leg_ref) == ("CAT IN CABIN", "2", "AAA-BBB")
    assert (other.text, other.traveller_ref, other.leg_ref) == (
        "CARD XXXX XXXX XXXX 1111 ON FILE",
        None,
        "AAA-BBB",
    )


def test_seat_ssr_on_the_pushed_leg() -> None:
    push = read_push(
        pnrgov(
            [
                booking(
                    [
                        "TIF+ALPHA+BRAVO:A:1",
                        LEG,
                        "SSR+SEAT:HK:1:ZZ:::AAA:BBB+012C::1",
                        "TVL+050625:0900:050625:1200+BBB+AAA+ZZ+124",
                        "SSR+SEAT:HK:1:ZZ:::BBB:AAA+030A::1",
                    ],
                    leg=None,
                )
            ]
        )
    )
    assert traveller(push, "BRAVO").seat == "12C"
    assert [r.code for r in only_booking(push).special_requests] == ["SEAT", "SEAT"]


# --- tickets and payment: TKT, MON, PTK, TXD, FOP ---------------------------------------


def test_ticket_with_amounts_and_taxes() -> None:
    push = read_push(
        pnrgov(
            [
                booking(
                    [
                        "TIF+ALPHA+BRAVO:A:1",
                        "TKT+9991234567890:T:1",
                        "MON+B:500.00:EUR+T:623.40:EUR+E:540.00:USD",
                        "PTK+NR++150525+ZZ++PAR",
                        "TXD++23.40::EUR:FR+100.00::EUR:YQ",
                        "DAT+710:150525:1015",
                    ]
                )
            ]
        )
    )
    item = only_booking(push)
    (ticket,) = item.tickets
    assert (ticket.number, ticket.type, ticket.coupons, ticket.traveller_ref) == (
        "9991234567890",
        "T",
        "1",
        "1",
    )
    assert (ticket.base_amount, ticket.total_amount, ticket.currency) == (500.0, 623.4, "EUR")
    assert (ticket.issued_on, ticket.issue_place) == (date(2025, 5, 15), "PAR")
    assert [(t.code, t.amount, t.currency) for t in ticket.taxes] == [
        ("FR", 23.4, "EUR"),
        ("YQ", 100.0, "EUR"),
    ]
    assert item.ticketed_at == datetime(2025, 5, 15, 10, 15)


def test_ticket_details_without_tkt_are_orphans() -> None:
    push = read_push(pnrgov([booking(["MON+T:1.00:EUR"])]))
    assert [(w.code, w.found) for w in push.warnings] == [("orphan_segment", "MON")]


def test_fop_keeps_only_last_four_and_fingerprint() -> None:
    push = read_push(
        pnrgov(
            [
                booking(
                    [
                        "TIF+ALPHA+BRAVO:A:1",
                        "TKT+9991234567890:T:1",
                        f"FOP+CC::623.40:VI:{CARD}:1227",
                        "IFT+4:10::ZZ+PAID BY " + CARD,
                        "ADD++702:3 CARD STREET:BILLTOWN::FR:75002",
                        "FOP+CA::10.00",
                    ]
                )
            ]
        )
    )
    item = only_booking(push)
    card, cash = item.payments
    assert (card.type, card.card_vendor, card.card_last_four, card.card_expiry) == (
        "CC",
        "VI",
        "1111",
        "1227",
    )
    assert card.card_fingerprint == card_fingerprint(CARD, KEY)
    assert (card.amount, card.traveller_ref) == (623.4, "1")
    assert card.billing_address is not None and card.billing_address.city == "BILLTOWN"
    assert (cash.type, cash.amount, cash.card_last_four, cash.billing_address) == (
        "CA",
        10.0,
        None,
        None,
    )
    assert item.remarks == ["PAID BY XXXXXXXXXXXX1111"]
    assert CARD not in repr(push)


def test_card_number_never_reaches_warnings_or_history() -> None:
    push = read_push(
        pnrgov(
            [
                booking(
                    [
                        "TIF+ALPHA+BRAVO:A:1",
                        f"FOP+CC::{CARD}:VI",  # number in the amount position
                        "ABI+1:AGENT+OFFICE",
                        f"FOP+CC::1.00:VI:{CARD}:1227",
                        f"LTS+0/FP CCVI{CARD}/1227",
                        "FOP+CC::1.00:VI:4222222222222:1227",  # thirteen digits
                    ]
                )
            ]
        )
    )
    text = repr(push)
    assert CARD not in text and "4222222222222" not in text
    assert only_booking(push).payments[0].card_last_four == "1111"


# --- itinerary: TVL, TRA, RPI, APD --------------------------------------------------------


def test_itinerary_with_code_share() -> None:
    push = read_push(
        pnrgov(
            [
                booking(
                    [
                        "TIF+ALPHA+BRAVO:A:1",
                        "TVL+310525:2200:010625:0600+CCC+AAA+YY:XX+0456:J",
                        "RPI+2+HK",
                        "APD+789",
                        LEG,
                        "TRA+ZZ+123:Y",
                        "TVL+050625:0900:050625:1200+BBB+CCC+YY+4567:Y",
                        "TRA+ZZ+987:Y",
                    ],
                    leg=None,
                )
            ]
        )
    )
    first, second, third = only_booking(push).itinerary
    assert (first.marketing_carrier, first.marketing_number) == ("YY", "456")
    assert (first.operating_carrier, first.operating_number) == ("XX", None)
    assert (first.booking_class, first.status, first.party_size, first.equipment) == (
        "J",
        "HK",
        2,
        "789",
    )
    assert first.arrival == datetime(2025, 6, 1, 6, 0)
    assert not first.is_pushed_flight
    assert (second.operating_carrier, second.operating_number) == (None, None)  # TRA = itself
    assert second.is_pushed_flight
    assert (third.marketing_number, third.operating_carrier, third.operating_number) == (
        "4567",
        "ZZ",
        "987",
    )
    assert only_booking(push).number_in_party == 2


def test_marketing_leg_of_a_code_share_matches_the_operating_header() -> None:
    header = ["MSG+:22", "ORG+ZZ", HEADER_TVL, "EQN+1"]
    leg = "TVL+010625:1030:010625:1400+AAA+BBB+YY:ZZ+7123:Y"
    push = read_push(
        pnrgov([booking(["TIF+ALPHA+BRAVO:A:1", leg, "TRA+ZZ+123"], leg=None)], header=header)
    )
    (booked,) = only_booking(push).itinerary
    assert booked.is_pushed_flight
    assert push.flight is not None and push.flight.designator == "ZZ123"
    assert codes(push) == []


# --- check-in: DAT, ORG, TRI, TIF, SSD, TBD -----------------------------------------------


def test_check_in_group_under_the_pushed_leg() -> None:
    push = read_push(
        pnrgov(
            [
                booking(
                    [
                        "TIF+ALPHA+BRAVO MR:A:1",
                        "TIF+ALPHA+CHARLIE MRS:A:2",
                        LEG,
                        "DAT+2:010625:0815",
                        "ORG+ZZ++++A",
                        "TRI++AAA-042:::1",
                        "TIF+ALPHA+BRAVO MR:A:1",
                        "SSD+023A++++Y",
                        "TBD++2:31.5:700++HP:AAA-042+999:0012345678:2:BBB",
                        "DAT",
                        "ORG+ZZ++++A",
                        "TRI++AAA-043",
                        "TIF+ALPHA+CHARLIE MRS",
                        "SSD+023B++++Y",
                        "TBD++1:12:700++MP:AAA-042+999:0012345680:1:BBB",
                    ],
                    leg=None,
                )
            ]
        )
    )
    item = only_booking(push)
    first, second = item.check_ins
    assert (first.traveller_ref, first.boarding_number, first.seat, first.cabin) == (
        "1",
        "AAA-042",
        "023A",
        "Y",
    )
    assert first.checked_in_at == datetime(2025, 6, 1, 8, 15)
    assert (first.bag_pieces, first.bag_weight, first.bag_weight_unit, first.bag_pool_head) == (
        2,
        31.5,
        "700",
        "AAA-042",
    )
    assert [(r.carrier_code, r.first_serial, r.count, r.destination) for r in first.bag_tags] == [
        ("999", "0012345678", 2, "BBB")
    ]
    assert (second.traveller_ref, second.boarding_number) == ("2", "AAA-043")  # by name
    assert second.bag_pool_head == "AAA-042"
    bravo, charlie = item.travellers
    assert (bravo.checked_in, bravo.seat, charlie.checked_in, charlie.seat) == (
        True,
        "023A",
        True,
        "023B",
    )
    assert codes(push) == []


def test_check_in_under_another_leg_is_not_the_travellers_status() -> None:
    push = read_push(
        pnrgov(
            [
                booking(
                    [
                        "TIF+ALPHA+BRAVO:A:1",
                        "TVL+310525:0800:310525:0900+CCC+AAA+ZZ+100",
                        "TRI++CCC-001:::1",
                        "SSD+001A",
                        LEG,
                    ],
                    leg=None,
                )
            ]
        )
    )
    person = traveller(push, "BRAVO")
    assert (person.checked_in, person.seat) == (False, None)
    (check_in,) = only_booking(push).check_ins  # kept, and says which leg it is about
    assert (check_in.leg_ref, check_in.seat) == ("CCC-AAA", "001A")
    assert codes(push) == ["checkin_other_flight"]


# --- split and history -----------------------------------------------------------------------


def test_split_pnr() -> None:
    push = read_push(
        pnrgov([booking(["TIF+ALPHA+BRAVO:A:1", "EQN+1", "RCI+ZZ:OLD123::100525:0800"])])
    )
    item = only_booking(push)
    assert [loc.locator for loc in item.locators] == ["ABC123"]
    assert [(loc.locator, loc.created_at) for loc in item.split_from] == [
        ("OLD123", datetime(2025, 5, 10, 8, 0))
    ]


def test_history_never_overwrites_the_booking() -> None:
    push = read_push(
        pnrgov(
            [
                booking(
                    [
                        "TIF+ALPHA+BRAVO MR:A:1",
                        f"SSR+DOCS:HK:1:ZZ:::::{DOCS_BRAVO}+::1",
                        LEG,
                        "ABI+1:AB12+PARXX0001",
                        "DAT+ZZ:140525:1200",
                        "SAC+++X",
                        "TIF+ALPHA+ZULU MR:A:1",
                        "SSR+DOCS:HK:1:ZZ:::::/P/FRA/X9/FRA/01JAN99/M/01JAN30/ALPHA/ZULU+::1",
                        "TVL+020625:1030:020625:1400+AAA+BBB+ZZ+123",
                        "ABI+1:CD34+PARXX0002",
                        "SAC+++A",
                        "IFT+4:28::ZZ+CTCM 447700900999",
                        "TBD++9:99:700",
                        "LTS+0/O/NM/ALPHA/BRAVO MR",
                    ],
                    leg=None,
                )
            ]
        )
    )
    item = only_booking(push)
    (person,) = item.travellers
    assert (person.given_names, person.date_of_birth) == ("BRAVO", date(1981, 3, 12))
    assert [d.number for d in person.documents] == ["X1000001"]
    assert len(item.itinerary) == 1 and item.contacts == [] and item.check_ins == []
    assert [(h.action, h.office, h.agent, h.at, h.text) for h in item.history] == [
        ("X", "PARXX0001", "AB12", datetime(2025, 5, 14, 12, 0), "TIF ALPHA+ZULU MR:A:1"),
        (
            "X",
            "PARXX0001",
            "AB12",
            datetime(2025, 5, 14, 12, 0),
            "SSR DOCS:HK:1:ZZ:::::/P/FRA/X9/FRA/01JAN99/M/01JAN30/ALPHA/ZULU+::1",
        ),
        (
            "X",
            "PARXX0001",
            "AB12",
            datetime(2025, 5, 14, 12, 0),
            "TVL 020625:1030:020625:1400+AAA+BBB+ZZ+123",
        ),
        ("A", "PARXX0002", "CD34", None, "IFT 4:28::ZZ+CTCM 447700900999"),
        ("A", "PARXX0002", "CD34", None, "TBD +9:99:700"),
        ("A", "PARXX0002", "CD34", None, "0/O/NM/ALPHA/BRAVO MR"),
    ]


def test_non_air_product_is_skipped() -> None:
    push = read_push(
        pnrgov(
            [
                booking(
                    [
                        "TIF+ALPHA+BRAVO:A:1",
                        LEG,
                        "MSG+:HTL",
                        "TVL+010625::050625+BBB+++GRAND HOTEL",
                        "IFT+4:28::ZZ+HOTEL NOTE",
                        "TIF+ALPHA+CHARLIE:A:2",
                    ],
                    leg=None,
                )
            ]
        )
    )
    item = only_booking(push)
    assert len(item.itinerary) == 1 and item.remarks == []
    assert [t.given_names for t in item.travellers] == ["BRAVO", "CHARLIE"]
    assert codes(push) == ["non_air_skipped"]


# --- which flight ----------------------------------------------------------------------------


def test_stale_header_flight_gives_way_to_the_itineraries() -> None:
    header = ["MSG+:22", "ORG+ZZ", "TVL+010124:0700:010124:0900+XXX+YYY+QQ+999", "EQN+2"]
    push = read_push(
        pnrgov(
            [
                booking(["TIF+ALPHA+BRAVO:A:1"], locator="AAA111"),
                booking(["TIF+ALPHA+CHARLIE:A:1"], locator="BBB222"),
            ],
            header=header,
            common_access="",
        )
    )
    assert len(push.bookings) == 2
    flight = push.flight
    assert flight is not None
    assert (flight.designator, flight.origin, flight.scheduled_departure) == (
        "ZZ123",
        "AAA",
        datetime(2025, 6, 1, 10, 30),
    )
    assert all(b.itinerary[0].is_pushed_flight for b in push.bookings)
    (warning,) = push.warnings
    assert (warning.code, warning.segment, warning.expected, warning.found) == (
        "header_flight_mismatch",
        "TVL",
        "ZZ123 010625 AAA",
        "QQ999 010124 XXX",
    )


def test_missing_header_flight_taken_from_check_in_leg() -> None:
    other = "TVL+020625:0800:020625:0900+BBB+CCC+ZZ+200"
    push = read_push(
        pnrgov(
            [booking(["TIF+ALPHA+BRAVO:A:1", LEG, other, "TRI++BBB-001:::1"], leg=None)],
            header=["MSG+:22", "ORG+ZZ", "EQN+1"],
            common_access="",
        )
    )
    assert push.flight is not None and push.flight.designator == "ZZ200"
    first, second = only_booking(push).itinerary
    assert (first.is_pushed_flight, second.is_pushed_flight) == (False, True)
    assert traveller(push, "BRAVO").checked_in
    assert [(w.code, w.found) for w in push.warnings] == [
        ("missing_header_flight", "ZZ200 020625 BBB")
    ]


def test_flight_from_the_common_access_reference_as_a_last_resort() -> None:
    push = read_push(
        pnrgov(
            [booking(["TIF+ALPHA+BRAVO:A:1"], leg=None)],
            header=["MSG+:22", "ORG+ZZ", "EQN+1"],
            common_access="010625/0800/ZZ/0123",
        )
    )
    flight = push.flight
    assert flight is not None and (flight.carrier, flight.number) == ("ZZ", "123")
    assert [(w.code, w.found) for w in push.warnings] == [
        ("missing_header_flight", "ZZ123 010625 ?")
    ]


def test_reference_naming_another_flight_is_flagged() -> None:
    push = read_push(pnrgov([booking(["TIF+ALPHA+BRAVO:A:1"])], common_access="QQ999/010625"))
    assert push.flight is not None and push.flight.designator == "ZZ123"
    assert codes(push) == ["reference_flight_mismatch"]


def test_booking_without_the_pushed_flight_is_flagged() -> None:
    other = "TVL+020625:0800:020625:0900+BBB+CCC+ZZ+200"
    push = read_push(
        pnrgov(
            [
                booking(["TIF+ALPHA+BRAVO:A:1"], locator="AAA111"),
                booking(["TIF+ALPHA+CHARLIE:A:1", other], locator="BBB222", leg=None),
            ]
        )
    )
    assert len(push.bookings) == 2
    (warning,) = push.warnings
    assert (warning.code, warning.segment, warning.expected) == (
        "booking_without_pushed_flight",
        "SRC",
        "ZZ123 010625 AAA",
    )


# --- syntax deviations ------------------------------------------------------------------------


def test_custom_una_separators() -> None:
    # Component |, element *, release ?, no repetition separator, terminator $.
    text = (
        "UNA|*.? $UNB*IATA|1*ZZAIR*GOVPNR*250601|0800*REF1$"
        "UNH*1*PNRGOV|11|1|IA$MSG*|22$ORG*ZZ$TVL*010625|1030|010625|1400*AAA*BBB*ZZ*123$EQN*1$"
        "SRC$RCI*ZZ|ABC123$TIF*ALPHA*BRAVO?*MR|A|1$"
        "SSR*DOCS|HK|1|ZZ|||||/P/FRA/X7/FRA/01JAN80/M/01JAN30$"
        "TVL*010625|1030|010625|1400*AAA*BBB*ZZ*123$UNT*11*1$UNZ*1*REF1$"
    )
    push = read_push(text.encode())
    item = only_booking(push)
    (person,) = item.travellers
    # `?*` is an escaped element separator inside the given name.
    assert (person.given_names, person.title, person.documents[0].number) == (
        "BRAVO*MR",
        None,
        "X7",
    )
    assert item.locators[0].locator == "ABC123"
    assert item.itinerary[0].is_pushed_flight
    assert push.flight is not None and push.flight.designator == "ZZ123"
    assert codes(push) == []


def test_wrong_unt_count_is_only_a_warning() -> None:
    push = read_push(pnrgov([booking(["TIF+ALPHA+BRAVO:A:1"])], unt=824))
    assert len(only_booking(push).travellers) == 1
    (warning,) = push.warnings
    assert (warning.code, warning.found) == ("unt_count", "824")


def test_indentation_and_crlf() -> None:
    data = pnrgov([booking(["TIF+ALPHA+BRAVO MR:A:1"])], line_end="\r\n\t  ")
    push = read_push(data)
    assert traveller(push, "BRAVO").title == "MR"
    assert codes(push) == []


def test_empty_values_are_warnings_not_errors() -> None:
    push = read_push(
        pnrgov(
            [
                [
                    "SRC",
                    "RCI+ZZ",
                    "TIF+",
                    "TIF+ALPHA+:A:1",
                    "SSR+",
                    "SSR+DOCS",
                    "FTI+",
                    "TKT+",
                    "FOP+",
                    "TVL+",
                    "RPI+",
                    "TRI+",
                    "TBD+",
                    "DAT+",
                    "EQN+",
                ]
            ]
        )
    )
    item = only_booking(push)
    assert [t.surname for t in item.travellers] == [None, "ALPHA"]
    assert "mapping_error" not in codes(push)


def test_one_broken_pnr_does_not_lose_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object) -> None:
        raise RuntimeError("simulated defect")

    # A defect in one handler (simulated on FTI) costs its segment only.
    monkeypatch.setitem(pnrgov_module._HANDLERS, "FTI", broken)
    push = read_push(
        pnrgov(
            [
                booking(["TIF+ALPHA+BRAVO:A:1"], locator="AAA111"),
                booking(
                    [
                        "TIF+KILO+LIMA:A:1",
                        "FTI+ZZ:1",
                        "SSR+DOCS:HK:1:ZZ:::::/P/FRA/X8/FRA/99XXX99/M/01JAN30/KILO/LIMA",
                        "DAT+700:991399:2599",
                        "TVL+320625:2500:010625:1400+A1+B+ZZ+ABC",
                        "TBD++X:Y:Z",
                        "QQQ+1",
                    ],
                    locator="BBB222",
                ),
                booking(["TIF+MIKE+NOVEMBER:A:1"], locator="CCC333"),
            ]
        )
    )
    assert [b.record_locator for b in push.bookings] == ["AAA111", "BBB222", "CCC333"]
    assert [len(b.travellers) for b in push.bookings] == [1, 1, 1]
    assert push.bookings[1].travellers[0].documents[0].number == "X8"
    assert {"mapping_error", "bad_date", "unexpected_segment", "bad_code"} <= set(codes(push))
    error = next(w for w in push.warnings if w.code == "mapping_error")
    assert (error.segment, error.found) == ("FTI", "RuntimeError")
    assert all(b.itinerary[0].is_pushed_flight for b in (push.bookings[0], push.bookings[2]))


def test_booking_segments_before_src_open_a_booking() -> None:
    push = read_push(pnrgov([["RCI+ZZ:ABC123", "TIF+ALPHA+BRAVO:A:1", LEG]]))
    assert only_booking(push).record_locator == "ABC123"
    assert codes(push) == ["missing_src"]


# --- value helpers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BA3401/060717/1745", ("BA", "3401", date(2017, 7, 6))),
        ("270513/0649/SQ/602", ("SQ", "602", date(2013, 5, 27))),
        ("EK0160/290825/1435", ("EK", "160", date(2025, 8, 29))),
        ("", None),
        ("NOTHING/HERE", None),
    ],
)
def test_common_access_reference(text: str, expected: tuple[str, str, date] | None) -> None:
    reference = parse_reference(text)
    found = None if reference is None else (reference.carrier, reference.number, reference.day)
    assert found == expected


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"FP CCVI{CARD}/1227", "FP CCVIXXXXXXXXXXXX1111/1227"),
        (f"FP CCVI{CARD}1227", "FP CCVIXXXXXXXXXXXX11111227"),  # the expiry glued on
        (f"FP CCVI{CARD}12", "FP CCVIXXXXXXXXXXXX111112"),
        ("4111 1111 1111 1111 20SEP", "XXXX XXXX XXXX 1111 20SEP"),
        ("TKNE 6182345678901C1", "TKNE 6182345678901C1"),  # a ticket number stays
        ("PHONE 33612345678", "PHONE 33612345678"),
        ("4111111111111112", "4111111111111112"),  # fails Luhn
    ],
)
def test_card_masking_in_free_text(text: str, masked: str) -> None:
    assert mask_cards(text) == masked


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        ("20SEP12", "past", date(2012, 9, 20)),
        ("20SEP30", "past", date(1930, 9, 20)),
        ("200930", "past", date(1930, 9, 20)),
        ("20SEP2030", "past", date(2030, 9, 20)),
        ("25OCT17", "expiry", date(2017, 10, 25)),  # expired before travel: stays expired
        ("25OCT94", "expiry", date(2094, 10, 25)),
        ("25OCT95", "expiry", date(1995, 10, 25)),  # window: 30 years back, 69 ahead
        ("29FEB23", "past", date(2023, 2, 28)),
    ],
)
def test_ssr_dates_against_the_travel_date(value: str, kind: str, expected: date) -> None:
    assert parse_ssr_date(value, reference=date(2025, 6, 1), kind=kind) == expected
