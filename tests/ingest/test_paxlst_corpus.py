"""Every PAXLST in the shared sample corpus, read with values checked against the files.

The expected values below were read from the corpus files by hand (see corpus/INDEX.md for
provenance). `TODAY` is fixed so that century inference does not depend on the test date.
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime
from pathlib import Path

import pytest

from firstline.exc import UnsupportedMessageError
from firstline.ingest.edifact.envelope import read_interchange
from firstline.ingest.edifact.lexer import tokenize
from firstline.ingest.multipart import reassemble
from firstline.ingest.reader import ReadResult, read_message
from firstline.model.message import ParseWarning
from firstline.model.serialize import passenger_list_view
from firstline.model.travel import PassengerList, TravelDocument, Traveller, TravellerRole

TODAY = date(2025, 1, 1)

MILYN = "codehaus_milyn/d03b_PAXLST_message_01.edi"
MILYN_TWIN = "codehaus_milyn/smooks-examples_unedifact_to-xml_PAXLST.edi"
SMOOKS = "smooks_smooks/edi-test_unedifact_d03b_PAXLST.edi"
IG_5_1 = "adamf_jetway/paxlst_IG_example_5_1_single_sector_1pax_D15B.edi"
IG_5_2 = "adamf_jetway/paxlst_IG_example_5_2_crew_D15B.edi"
IG_5_3 = "adamf_jetway/paxlst_IG_example_5_3_progressive_2legs_2pax_D15B.edi"
ASTRA_BODY = "deyoz_astra/apis_edi_file_test1_3pax_body.edi"
ASTRA_EMPTY = "deyoz_astra/apis_edi_file_test2_minimal_empty_values.edi"
ASTRA_OVERLONG = "deyoz_astra/apis_edi_file_test3_overlong_values.edi"
ASTRA_PARTS = [f"deyoz_astra/apis_edi_file_test7_multipart_part{n}.edi" for n in (1, 2, 3)]
CZECH_FULL = "deyoz_astra/czech_police_test1_full_interchange_3pax.edi"
CZECH_MINIMAL = "deyoz_astra/czech_police_test2_minimal_full_interchange.edi"

CONCRETE_PAXLST = [
    MILYN,
    MILYN_TWIN,
    SMOOKS,
    IG_5_1,
    IG_5_2,
    IG_5_3,
    ASTRA_BODY,
    ASTRA_EMPTY,
    ASTRA_OVERLONG,
    *ASTRA_PARTS,
    CZECH_FULL,
    CZECH_MINIMAL,
]

# China iAPI PAXLST templates: number -> (travellers, CNT+42, BGM document id, RFF+TN).
CHINA_PAXLST = {
    "01": (2, 2, None, "0000100"),
    "03": (2, 2, None, "0000100"),
    "05": (1, 1, None, "0000100"),
    "07": (1, 1, "CP", "0000103"),
    "09": (2, 2, None, "0000100"),
    "11": (1, 1, None, "0000100"),
    "13": (2, 2, None, "0000100"),
    "15": (1, 1, None, "0000100"),
    "21": (1, 1, None, "0000100"),
    "23": (1, 1, None, "0000100"),
    "25": (2, 2, None, "0000100"),
    "27": (2, 2, None, "0000100"),
    "29": (10, 10, None, "0000100"),
    "30": (1, 1, None, "0000102"),
    "33": (2, 2, None, "0000100"),
    "34": (2, 2, None, "0000102"),
    "35": (2, 2, "CP", "0000103"),
    "36": (2, 2, "CP", "0000105"),
    "37": (2, 2, "CP", "0000107"),
    "40": (1, 1, None, "0000100"),
    "42": (1, 1, None, "0000102"),
}
CHINA_CUSRES = [
    "02", "04", "06", "08", "10", "12", "14", "16", "17", "18", "19",
    "20", "22", "24", "26", "28", "31", "32", "38", "39", "41", "43",
]  # fmt: skip
PNRGOV_EDIFACT = [
    "adamf_jetway/pnrgov_IG14_1_appendixB_example1_SQ602_trimmedLTS.edi",
    "Mandeepsheoran_IBM-MQ-Message-Automation/src_test_resources_inputmessage_file.txt",
]
PNRGOV_XML = [
    "SaberLS_PNRGOV-XML-Parser/test_pnr.xml",
    "SaberLS_PNRGOV-XML-Parser/test_pnr_2.xml",
    "SaberLS_PNRGOV-XML-Parser/test_pnr_3.xml",
]


def china(number: str, kind: str = "PAXLST") -> str:
    return f"deyoz_astra/iapi_china_ts_{number}_{kind}.template.txt"


ALL_PAXLST = CONCRETE_PAXLST + [china(n) for n in CHINA_PAXLST]
UNSUPPORTED = [china(n, "CUSRES") for n in CHINA_CUSRES]
NOT_PAXLST = UNSUPPORTED + PNRGOV_EDIFACT + PNRGOV_XML


def read(corpus_dir: Path, name: str, today: date = TODAY) -> ReadResult:
    return read_message((corpus_dir / name).read_bytes(), today=today)


def single(corpus_dir: Path, name: str, today: date = TODAY) -> PassengerList:
    result = read(corpus_dir, name, today)
    assert result.format == "edifact"
    assert len(result.messages) == 1
    return result.messages[0]


def codes(warnings: list[ParseWarning]) -> list[str]:
    return [w.code for w in warnings]


def where(warning: ParseWarning) -> tuple[object, ...]:
    """The parts of a warning a test pins down: what, where, and expected against found."""
    return (
        warning.code,
        warning.segment,
        warning.line,
        warning.element,
        warning.component,
        warning.expected,
        warning.found,
    )


def names(travellers: list[Traveller]) -> list[tuple[str | None, str | None]]:
    return [(t.surname, t.given_names) for t in travellers]


def document(doc: TravelDocument) -> tuple[object, ...]:
    return (doc.type, doc.number, doc.issuing_country, doc.expiry_date)


# --- the corpus as a whole -----------------------------------------------------------------


def test_corpus_holds_the_files_this_module_knows(corpus_dir: Path) -> None:
    present = {str(p.relative_to(corpus_dir)) for p in corpus_dir.rglob("*") if p.is_file()} - {
        "INDEX.md"
    }
    assert present == set(ALL_PAXLST) | set(NOT_PAXLST)
    assert len(present) == 62  # as INDEX.md counts them, itself not included


@pytest.mark.parametrize("name", ALL_PAXLST)
def test_every_paxlst_parses_with_travellers(corpus_dir: Path, name: str) -> None:
    message = single(corpus_dir, name)
    assert message.header.message_type == "PAXLST"
    assert message.travellers
    assert all(t.surname for t in message.travellers)


@pytest.mark.parametrize("name", UNSUPPORTED)
def test_cusres_is_unsupported(corpus_dir: Path, name: str) -> None:
    with pytest.raises(UnsupportedMessageError) as caught:
        read(corpus_dir, name)
    assert caught.value.code == "unsupported_message"
    assert caught.value.expected == "PAXLST or PNRGOV"


@pytest.mark.parametrize("number", CHINA_CUSRES)
def test_cusres_template_names_its_type(corpus_dir: Path, number: str) -> None:
    with pytest.raises(UnsupportedMessageError) as caught:
        read(corpus_dir, china(number, "CUSRES"))
    assert caught.value.found == "CUSRES"
    assert caught.value.segment == "UNH"
    assert caught.value.line == 3


def test_pnrgov_is_read_as_pnr_not_as_api(corpus_dir: Path) -> None:
    for name in PNRGOV_EDIFACT + PNRGOV_XML[:2]:
        result = read(corpus_dir, name)
        assert result.messages == [] and len(result.pushes) == 1


@pytest.mark.parametrize("name", ALL_PAXLST)
def test_json_view_is_serialisable(corpus_dir: Path, name: str) -> None:
    for message in read(corpus_dir, name).messages:
        view = passenger_list_view(message)
        text = json.dumps(view, allow_nan=False)
        again = json.loads(text)
        assert again["type"] == "PAXLST"
        assert len(again["travellers"]) == len(message.travellers)
        assert again["warnings"] == [w.as_dict() for w in message.warnings]


def test_json_view_of_reassembled_series_is_serialisable(corpus_dir: Path) -> None:
    parts = [single(corpus_dir, name) for name in ASTRA_PARTS]
    (merged,) = reassemble(parts)
    view = json.loads(json.dumps(passenger_list_view(merged), allow_nan=False))
    assert view["parts"] == [1, 2, 3]
    assert [t["surname"] for t in view["travellers"]] == [
        "STRANSKY",
        "KOVACS",
        "LESKA",
        "PUTIN",
        "PUTINA",
    ]


# --- IG worked examples (adamf/jetway) -----------------------------------------------------


def test_ig_5_1_single_sector(corpus_dir: Path) -> None:
    message = single(corpus_dir, IG_5_1)
    assert message.warnings == []
    assert message.header.directory == "D:15B"
    assert message.header.profile == "IATA"
    assert message.header.sender == "ZZAIRLINE"
    assert message.header.recipient == "CUSTOMS"
    assert message.header.message_reference == "PAX001"
    assert message.document_code == "745"
    assert message.transaction_reference == "1234567890"
    assert message.reporting_party.name == "DAVIDSON ROBERT"
    assert [(c.kind, c.value) for c in message.reporting_party.contacts] == [
        ("phone", "202 628 9292"),
        ("fax", "202 628 4998"),
        ("email", "DAVIDSONR.AT. IATA.ORG"),
    ]
    flight = message.flight
    assert flight is not None
    assert (flight.carrier, flight.number, flight.designator) == ("ZZ", "123", "ZZ123")
    assert (flight.origin, flight.destination) == ("SYD", "HNL")
    assert flight.scheduled_departure == datetime(2013, 6, 21, 9, 0)
    # The guide's own typo `DTM+232: 1306212200:201` (leading space) still decodes.
    assert flight.scheduled_arrival == datetime(2013, 6, 21, 22, 0)
    assert len(flight.legs) == 1
    # CNT+42 is the flight total: 160 declared while the message carries one passenger.
    assert message.declared_passengers == 160
    assert message.declared_crew is None
    (person,) = message.travellers
    assert person.role is TravellerRole.PASSENGER
    assert (person.surname, person.given_names) == ("WILLIAMS", "JOHN DONALD")
    assert person.gender == "M"
    assert person.date_of_birth == date(1972, 9, 7)
    assert person.nationality == "GBR"
    assert person.country_of_residence == "GBR"
    assert person.place_of_birth == "AMBER HILL GBR"
    assert person.place_of_clearance == "HNL"
    assert (person.port_of_embarkation, person.port_of_debarkation) == ("SYD", "HNL")
    assert person.checked_bags == 2
    assert [(b.first_tag, b.count) for b in person.bag_tags] == [("ZZ012345", 3)]
    assert person.document_verified is False  # GEI+4+174
    assert (person.booking_reference, person.passenger_reference) == ("TYR123", "ABC123")
    assert [(c.kind, c.value) for c in person.contacts] == [("phone", "44 188 84 14151")]
    assert person.address is not None
    assert person.address.street == "235 WESTERN ROAD SUITE 203"
    assert person.address.city == "SLEAFORD"
    assert person.address.region == "LINCS"
    assert person.address.postcode == "PE224T5"
    assert person.address.country == "GBR"
    assert [document(d) for d in person.documents] == [("P", "MB140241", "GBR", date(2015, 12, 31))]


def test_ig_5_1_birth_century_is_inferred_from_the_flight_date(corpus_dir: Path) -> None:
    # DTM+329:720907 on a 2013 flight: 1972 even when "today" is in 2090.
    message = single(corpus_dir, IG_5_1, today=date(2090, 1, 1))
    assert message.travellers[0].date_of_birth == date(1972, 9, 7)


def test_ig_5_2_crew_list(corpus_dir: Path) -> None:
    message = single(corpus_dir, IG_5_2)
    assert message.document_code == "250"
    assert message.is_crew_list
    assert message.reporting_party.party_id == "USD090746"
    assert message.reporting_party.name is None
    assert message.declared_crew == 8  # CNT+41:8
    assert message.declared_passengers is None
    (person,) = message.travellers
    assert person.role is TravellerRole.CREW
    assert (person.surname, person.given_names) == ("CLARK", "MICHAEL")
    assert person.gender == "M"
    assert person.date_of_birth == date(1972, 9, 7)
    assert person.nationality == "CAN"
    # Leading spaces in the guide's address fields are trimmed.
    assert person.address is not None
    assert person.address.street == "2365 KAANAPALI HIGHWAY"
    assert person.address.city == "LAHAINA"
    assert person.address.region == "HI"
    assert person.address.postcode == "96761"
    assert [document(d) for d in person.documents] == [("P", "MB140241", "CAN", date(2015, 10, 21))]
    flight = message.flight
    assert flight is not None
    assert (flight.designator, flight.origin, flight.destination) == ("ZZ123", "SYD", "HNL")


def test_ig_5_2_unt_count_defect_is_a_warning(corpus_dir: Path) -> None:
    message = single(corpus_dir, IG_5_2)
    # The guide declares 20 segments for 21 (UNH..UNT): line 23 of the file, element 1.
    assert [where(w) for w in message.warnings] == [("unt_count", "UNT", 23, 1, None, "21", "20")]
    assert message.warnings[0].segment_index == 23
    assert message.warnings[0].column == 5


def test_ig_5_3_progressive_flight_has_two_legs(corpus_dir: Path) -> None:
    message = single(corpus_dir, IG_5_3)
    assert message.transaction_reference == "BART34567890"
    assert message.header.extra["transaction_revision"] == "1"  # RFF+TN:BART34567890:::1
    assert message.reporting_party.name == "XYZ PSGR SYSTEMS"
    flight = message.flight
    assert flight is not None
    assert (flight.carrier, flight.number) == ("XZ", "877")
    assert (flight.origin, flight.destination) == ("BCN", "SFO")
    assert flight.scheduled_departure == datetime(2014, 7, 8, 11, 0)
    assert flight.scheduled_arrival == datetime(2014, 7, 8, 23, 30)
    legs = [
        (
            leg.flight_designator,
            leg.carrier,
            leg.departure_airport,
            leg.arrival_airport,
            leg.scheduled_departure,
            leg.scheduled_arrival,
        )
        for leg in flight.legs
    ]
    assert legs == [
        ("XZ877", "XZ", "BCN", "IAD", datetime(2014, 7, 8, 11, 0), datetime(2014, 7, 8, 17, 0)),
        ("ZX877", "XZ", "IAD", "SFO", datetime(2014, 7, 8, 19, 30), datetime(2014, 7, 8, 23, 30)),
    ]
    # The second TDT's flight id does not start with its carrier: kept, and flagged.
    assert [where(w) for w in message.warnings] == [
        ("flight_carrier_mismatch", "TDT", 13, 2, None, "XZ", "ZX877")
    ]
    assert message.declared_passengers == 2
    assert names(message.travellers) == [
        ("MARTINEZ", "JULIO XAVIER"),
        ("MARTINEZ", "SORINA MARIA"),
    ]
    julio, sorina = message.travellers
    assert (julio.gender, sorina.gender) == ("M", "F")
    assert julio.date_of_birth == date(1968, 2, 23)
    assert sorina.date_of_birth == date(1969, 6, 6)
    assert julio.nationality == sorina.nationality == "ESP"
    assert julio.place_of_clearance == "IAD"
    assert (julio.port_of_embarkation, julio.port_of_debarkation) == ("BCN", "SFO")
    assert (julio.booking_reference, julio.passenger_reference) == ("GJO3RT", "XZ877001")
    assert sorina.passenger_reference == "XZ877002"
    assert [document(d) for d in julio.documents] == [("P", "YY3478621", "ESP", date(2018, 12, 30))]
    assert [document(d) for d in sorina.documents] == [("P", "TRQWE9980", "ESP", date(2017, 9, 16))]


# --- US CBP ACE truck manifests (Milyn / Smooks) -------------------------------------------


def test_ace_truck_release_characters_and_repetition(corpus_dir: Path) -> None:
    message = single(corpus_dir, MILYN)
    assert message.header.directory == "D:03B"
    assert message.header.profile is None  # PAXLST:D:03B:UN, no :IATA
    assert message.header.syntax == "UNOA:4"
    assert message.header.message_reference == "PAXLST16"
    assert message.header.application_reference == "ACE"
    assert message.document_code == "10"
    assert message.document_id == "LOCKKH04103101"
    assert message.header.extra["message_function"] == "4"
    (driver,) = message.travellers
    assert driver.role is TravellerRole.OTHER  # NAD+VW
    assert (driver.surname, driver.given_names) == ("AOMAD", "CHRIS")
    # `?'` decodes to an apostrophe inside the street.
    assert driver.address is not None
    assert driver.address.street == "11107 SUNSET HILL'S ROAD"
    assert (driver.address.city, driver.address.region) == ("RESTON", "VA")
    assert driver.address.postcode == "20190"
    # ATT+2++M*M*M*M*M: `*` is the syntax-4 repetition separator.
    assert driver.gender == "M"
    assert driver.date_of_birth == date(1935, 9, 19)  # format 102, four-digit year
    assert driver.nationality == "US"
    assert [(d.type, d.number, d.issuing_country, d.issuing_place) for d in driver.documents] == [
        ("5K", "P100971204141", "US", "VA"),
        ("39", "15504141", "US", None),
    ]
    flight = message.flight
    assert flight is not None
    assert flight.carrier == "LOCK"  # TDT+11++++LOCK:172, road transport
    assert flight.scheduled_departure == datetime(2004, 12, 30)  # DTM+132 format 102
    assert [where(w) for w in message.warnings] == [
        ("missing_flight", "TDT", 1, 2, None, "flight id, e.g. BA0117", "")
    ]


def test_ace_truck_segments_decode_escapes(corpus_dir: Path) -> None:
    interchange = read_interchange((corpus_dir / MILYN).read_bytes())
    segments = {seg.tag: seg for seg in interchange.messages[0].segments}
    att = segments["ATT"]
    assert att.occurrences(3) == [["M"]] * 5
    assert att.get(3) == "M"
    assert interchange.warnings == []
    assert len(interchange.messages) == 1
    assert len(interchange.messages[0].segments) == 16  # UNT+16


def test_ace_truck_ung_keeps_escaped_plus(corpus_dir: Path) -> None:
    interchange = read_interchange((corpus_dir / MILYN).read_bytes())
    segments = tokenize(interchange.source.text, interchange.source.chars)
    ung = segments[1]
    assert ung.tag == "UNG"
    assert ung.element(3) == ["CBP-A+CE-TEST", "02"]
    assert [s.tag for s in segments][-3:] == ["UNT", "UNE", "UNZ"]
    assert len(segments) == 20


@pytest.mark.parametrize("name", [MILYN_TWIN, SMOOKS])
def test_ace_truck_twins_match_except_the_escapes(corpus_dir: Path, name: str) -> None:
    original = passenger_list_view(single(corpus_dir, MILYN))
    twin = passenger_list_view(single(corpus_dir, name))
    assert twin["travellers"][0]["address"]["street"] == "11107 SUNSET HILLS ROAD"
    twin["travellers"][0]["address"]["street"] = "11107 SUNSET HILL'S ROAD"
    assert twin["travellers"] == original["travellers"]
    assert twin["flight"] == original["flight"]
    assert codes(single(corpus_dir, name).warnings) == ["missing_flight"]


# --- deyoz/astra unit-test outputs ---------------------------------------------------------

ASTRA_THREE = [
    ("STRANSKY", "JAROSLAV VICTOROVICH"),
    ("KOVACS", "PETR"),
    ("LESKA", "PAVEL"),
]


def assert_astra_flight(message: PassengerList) -> None:
    flight = message.flight
    assert flight is not None
    assert (flight.carrier, flight.number) == ("OK", "688")
    assert (flight.origin, flight.destination) == ("PRG", "BCN")
    assert flight.scheduled_departure == datetime(2007, 10, 8, 10, 45)
    assert flight.scheduled_arrival == datetime(2007, 10, 8, 13, 10)


def assert_astra_three(message: PassengerList) -> None:
    assert names(message.travellers) == ASTRA_THREE
    stransky, kovacs, leska = message.travellers
    assert [t.gender for t in message.travellers] == ["M", "M", "M"]
    assert [t.date_of_birth for t in message.travellers] == [
        date(1967, 6, 10),
        date(1969, 12, 9),
        date(1976, 5, 2),
    ]
    assert [t.nationality for t in message.travellers] == ["CZE", "CZE", "CZE"]
    assert [t.booking_reference for t in message.travellers] == ["Z9WKH", "Z9WJK", "Z57L3"]
    assert (stransky.port_of_embarkation, stransky.port_of_debarkation) == ("ZDN", "BCN")
    assert leska.port_of_embarkation == "VIE"
    # DOC+I:110:111 (US-style qualifier suffix) keeps only the type; one DOC+P has LOC+91
    # and no DTM+36, the other DTM+36 and no LOC+91.
    assert [document(d) for d in stransky.documents] == [("I", "102865098", None, None)]
    assert [document(d) for d in kovacs.documents] == [("P", "35485167", None, date(2008, 9, 11))]
    assert [document(d) for d in leska.documents] == [("P", "34356146", "RUS", None)]


def test_astra_body_only_message(corpus_dir: Path) -> None:
    result = read(corpus_dir, ASTRA_BODY)
    # No UNA/UNB/UNG, yet a stray UNE+1+1 at the end.
    assert [where(w) for w in result.warnings] == [("stray_une", "UNE", 38, None, None, None, None)]
    (message,) = result.messages
    assert message.warnings == []
    assert message.header.sender is None
    assert message.header.syntax is None
    assert message.header.common_access_reference == "OK688/071008/1310"
    assert (message.header.part_number, message.header.is_last_part) == (1, True)
    assert message.reporting_party.name == "CDGKOAF"
    assert message.declared_passengers == 3
    assert_astra_flight(message)
    assert_astra_three(message)
    assert reassemble([message]) == [message]  # `01:F` is a complete message


def test_astra_minimal_empty_values(corpus_dir: Path) -> None:
    message = single(corpus_dir, ASTRA_EMPTY)
    assert message.header.common_access_reference is None  # UNH+1+...++01:F
    assert [where(w) for w in message.warnings] == [
        ("missing_flight", "TDT", 4, 2, None, "flight id, e.g. BA0117", ""),
        ("missing_given_name", "NAD", 9, 4, 2, "given name", ""),
        ("empty_value", "DTM", 11, 1, 2, "date", ""),
    ]
    flight = message.flight
    assert flight is not None
    assert (flight.carrier, flight.number) == (None, None)
    assert (flight.origin, flight.destination) == ("PRG", "BCN")
    assert flight.scheduled_departure == datetime(2007, 10, 8, 10, 45)
    (person,) = message.travellers
    assert (person.surname, person.given_names) == ("STRANSKY", None)
    assert person.gender == "M"
    assert person.date_of_birth is None
    assert person.documents == []
    assert message.declared_passengers == 1


def test_astra_overlong_values_warn_precisely_and_still_load(corpus_dir: Path) -> None:
    message = single(corpus_dir, ASTRA_OVERLONG)
    airport = "airport code"
    gender = "M, F, U or X"
    assert [where(w) for w in message.warnings] == [
        ("bad_code", "LOC", 6, 2, None, airport, "PRGXXXXXXXXXXXXXXXXXXXXXX"),
        ("bad_code", "LOC", 8, 2, None, airport, "BCNXXXXXXXXXXXXXXXXXXXXXX"),
        ("bad_code", "LOC", 13, 2, None, airport, "ZDNXXXXXXXXXXXXXXXXXXXXXX"),
        ("bad_code", "LOC", 14, 2, None, airport, "BCNXXXXXXXXXXXXXXXXXXXXXX"),
        ("unknown_document_type", "DOC", 16, 1, None, None, "IXX"),
        ("bad_code", "ATT", 18, 3, None, gender, "MXXXXXXXXXXXXXXXX"),
        ("bad_code", "LOC", 20, 2, None, airport, "ZDNXXXXXXXXXXXXXXXXXXXXXX"),
        ("bad_code", "LOC", 21, 2, None, airport, "BCNXXXXXXXXXXXXXXXXXXXXXX"),
        ("unknown_document_type", "DOC", 24, 1, None, None, "PXX"),
        ("bad_code", "ATT", 27, 3, None, gender, "MXXXXXXXXXXXXXXXX"),
        ("bad_code", "LOC", 29, 2, None, airport, "VIEXXXXXXXXXXXXXXXXXXXXXX"),
        ("bad_code", "LOC", 30, 2, None, airport, "BCNXXXXXXXXXXXXXXXXXXXXXX"),
        ("unknown_document_type", "DOC", 33, 1, None, None, "PXX"),
    ]
    # Columns point at the value: `LOC+125+` is 8 characters, `LOC+87+` 7.
    assert [w.column for w in message.warnings[:2]] == [9, 8]
    assert names(message.travellers) == [
        ("STRANSKYXXXXXXXXXXXXXXXXXXXXXXXXXXX", "JAROSLAV VICTOROVICHXXXXXXXXXXXXXXX"),
        ("KOVACSXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "PETRXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"),
        ("LESKAXXXXXXXXXXXXXXXXXXXXXDXXXXXXXX", "PAVELXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"),
    ]
    # Each padded name is exactly the an..35 maximum, so no value_too_long.
    assert {len(t.surname or "") for t in message.travellers} == {35}
    assert [t.gender for t in message.travellers] == ["M", None, None]
    assert [t.nationality for t in message.travellers] == ["CZE", "CZE", "RUS"]
    assert [t.date_of_birth for t in message.travellers] == [
        date(1967, 6, 10),
        date(1969, 12, 9),
        date(1976, 5, 2),
    ]
    assert [[d.type for d in t.documents] for t in message.travellers] == [
        ["IXX"],
        ["PXX"],
        ["PXX"],
    ]
    leska = message.travellers[2]
    assert leska.address is not None
    assert leska.address.street == "ARBATXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
    assert leska.address.city == "MOSCOWXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
    flight = message.flight
    assert flight is not None
    assert flight.legs[0].flight_designator == "OK688XXXXXXXXXXXX"
    assert message.declared_passengers == 3


# --- multipart series (astra test7) --------------------------------------------------------

SERIES_NAMES = ["STRANSKY", "KOVACS", "LESKA", "PUTIN", "PUTINA"]


def astra_parts(corpus_dir: Path) -> list[PassengerList]:
    return [single(corpus_dir, name) for name in ASTRA_PARTS]


def test_multipart_parts_read_alone(corpus_dir: Path) -> None:
    parts = astra_parts(corpus_dir)
    assert [(p.header.part_number, p.header.is_last_part) for p in parts] == [
        (1, False),
        (2, False),
        (3, True),
    ]
    assert {p.header.common_access_reference for p in parts} == {"OK688/071008/1310"}
    assert [len(p.travellers) for p in parts] == [2, 2, 1]
    # CNT+42:5 is the whole-flight total, repeated in every part.
    assert [p.declared_passengers for p in parts] == [5, 5, 5]
    for part in parts:
        assert_astra_flight(part)


def test_multipart_reassembled_in_order(corpus_dir: Path) -> None:
    (merged,) = reassemble(astra_parts(corpus_dir))
    assert merged.parts == [1, 2, 3]
    assert [t.surname for t in merged.travellers] == SERIES_NAMES
    assert merged.warnings == []
    assert merged.header.is_last_part
    assert merged.declared_passengers == 5
    assert len(merged.travellers) == merged.declared_passengers
    putin, putina = merged.travellers[3:]
    assert (putin.given_names, putin.gender, putin.nationality) == ("VOVA", "M", "RUS")
    assert putin.date_of_birth == date(1952, 5, 2)  # 52 on a 2007 flight: 1952
    assert (putina.given_names, putina.gender) == ("LUDA", "F")
    assert putina.date_of_birth == date(1955, 5, 10)
    assert [document(d) for d in putina.documents] == [("P", "000002", "RUS", None)]
    assert_astra_flight(merged)


@pytest.mark.parametrize("seed", range(6))
def test_multipart_reassembled_from_shuffled_input(corpus_dir: Path, seed: int) -> None:
    parts = astra_parts(corpus_dir)
    random.Random(seed).shuffle(parts)
    (merged,) = reassemble(parts)
    assert merged.parts == [1, 2, 3]
    assert [t.surname for t in merged.travellers] == SERIES_NAMES
    assert merged.warnings == []


def test_multipart_missing_middle_part(corpus_dir: Path) -> None:
    first, _, last = astra_parts(corpus_dir)
    (merged,) = reassemble([last, first])
    assert merged.parts == [1, 3]
    assert [t.surname for t in merged.travellers] == ["STRANSKY", "KOVACS", "PUTINA"]
    assert [where(w) for w in merged.warnings] == [
        ("missing_parts", None, None, None, None, "1, 2, 3", "1, 3")
    ]


def test_multipart_without_final_part(corpus_dir: Path) -> None:
    first, second, _ = astra_parts(corpus_dir)
    (merged,) = reassemble([second, first])
    assert merged.parts == [1, 2]
    assert [t.surname for t in merged.travellers] == SERIES_NAMES[:4]
    assert not merged.header.is_last_part
    assert [where(w) for w in merged.warnings] == [
        ("incomplete_series", None, None, None, None, "a part flagged F", "1, 2")
    ]


def test_multipart_duplicate_part(corpus_dir: Path) -> None:
    first, second, third = astra_parts(corpus_dir)
    (merged,) = reassemble([first, second, third, second])
    assert merged.parts == [1, 2, 3]
    assert [t.surname for t in merged.travellers] == SERIES_NAMES
    assert codes(merged.warnings) == ["duplicate_part"]
    assert merged.warnings[0].found == "2"


def test_multipart_keeps_single_messages_apart(corpus_dir: Path) -> None:
    body = single(corpus_dir, ASTRA_BODY)
    out = reassemble([*astra_parts(corpus_dir), body])
    assert [len(m.travellers) for m in out] == [3, 5]
    assert out[0] is body


# --- Czech police interchanges -------------------------------------------------------------


def test_czech_police_full_interchange(corpus_dir: Path) -> None:
    result = read(corpus_dir, CZECH_FULL)
    assert result.warnings == []
    (message,) = result.messages
    header = message.header
    assert header.syntax == "UNOA:4"
    assert (header.sender, header.recipient) == ("1H", "CZAPIS")
    assert header.prepared_at == "110407:1200"
    assert header.interchange_reference == "REF0001"
    assert header.application_reference == "APIS"
    assert header.directory == "D:02B"
    # A single message flagged `01:C` (first, not final).
    assert (header.part_number, header.is_last_part) == (1, False)
    # The old generator counted UNB and UNG too: 39 declared, 37 UNH..UNT.
    assert [where(w) for w in message.warnings] == [("unt_count", "UNT", 40, 1, None, "37", "39")]
    assert message.declared_passengers == 3
    assert_astra_flight(message)
    assert_astra_three(message)
    (alone,) = reassemble([message])
    assert codes(alone.warnings) == ["unt_count", "incomplete_series"]


def test_czech_police_minimal_interchange(corpus_dir: Path) -> None:
    message = single(corpus_dir, CZECH_MINIMAL)
    assert (message.header.sender, message.header.recipient) == ("1H", "CZAPIS")
    assert [where(w) for w in message.warnings] == [
        ("unt_count", "UNT", 16, 1, None, "13", "15"),
        ("missing_flight", "TDT", 7, 2, None, "flight id, e.g. BA0117", ""),
        ("empty_value", "LOC", 8, 2, None, "airport code", ""),
        ("empty_value", "DTM", 9, 1, 2, "date", ""),
        ("empty_value", "LOC", 10, 2, None, "airport code", ""),
        ("empty_value", "DTM", 11, 1, 2, "date", ""),
        ("missing_given_name", "NAD", 12, 4, 2, "given name", ""),
        ("empty_value", "ATT", 13, 3, None, "M, F, U or X", ""),
        ("empty_value", "DTM", 14, 1, 2, "date", ""),
    ]
    (person,) = message.travellers
    assert (person.surname, person.given_names) == ("STRANSKY", None)
    assert (person.gender, person.date_of_birth) == (None, None)
    flight = message.flight
    assert flight is not None
    assert len(flight.legs) == 1
    assert (flight.origin, flight.destination, flight.scheduled_departure) == (None, None, None)
    assert message.declared_passengers == 1


# --- China iAPI PAXLST templates -----------------------------------------------------------


def placeholder_date_lines(text: str) -> list[int]:
    """Lines (one segment each in the templates) of DTM segments holding a `$(...)`."""
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if line.startswith("DTM+") and "$(" in line
    ]


@pytest.mark.parametrize("number", sorted(CHINA_PAXLST))
def test_china_template(corpus_dir: Path, number: str) -> None:
    travellers, declared, document_id, transaction = CHINA_PAXLST[number]
    name = china(number)
    result = read(corpus_dir, name)
    # No UNA and no `'` anywhere: the `"` ending each line is taken as the terminator.
    guessed = result.warnings[0]
    assert (guessed.code, guessed.expected, guessed.found) == ("terminator_guessed", "'", '"')
    (message,) = result.messages
    assert len(message.travellers) == travellers
    assert message.declared_passengers == declared
    assert message.document_code == "745"
    assert message.document_id == document_id
    assert message.header.syntax == "SIRE:4"
    assert message.header.directory == "D:05B"
    assert message.transaction_reference == transaction
    assert message.reporting_party.name == "SIRENA-TRAVEL"
    # A `bad_date` warning exactly where a placeholder sits in a DTM, and nowhere else.
    bad_dates = [w for w in message.warnings if w.code == "bad_date"]
    text = (corpus_dir / name).read_text()
    assert [w.line for w in bad_dates] == placeholder_date_lines(text)
    assert all(w.segment == "DTM" and w.found and "$(" in w.found for w in bad_dates)
    assert set(codes(message.warnings)) == {"bad_date"}
    for person in message.travellers:
        assert person.document_verified is True  # GEI+4+173
        assert person.documents and person.documents[0].issuing_country == "CHN"
        assert person.ticket_number and person.ticket_number[-2] == "C"  # RFF+YZY


def test_china_template_29_ten_passengers(corpus_dir: Path) -> None:
    message = single(corpus_dir, china("29"))
    assert names(message.travellers) == [
        ("ONE", "TWO WI"),
        ("ZHANG", "DING YI"),
        ("ZHANG", "ZHAO"),
        ("XING", "YA WEI"),
        ("QI", "HUAN HUAN"),
        ("KIM", "HUI HSIN"),
        ("JAMES", "SHUMIT"),
        ("ADACHI", "AYUM"),
        ("RAUL", "GONZALEZ BLANCO"),
        ("ONE", "NNN NN"),
    ]
    assert [t.gender for t in message.travellers] == list("MMMMFFFFFM")
    assert [t.nationality for t in message.travellers] == [
        "CHN", "CHN", "CHN", "CHN", "CHN", "KOR", "USA", "JPN", "ESP", "CHN",
    ]  # fmt: skip
    # The flight dates are placeholders, so the reference for the century is `today`.
    assert [t.date_of_birth for t in message.travellers] == [
        date(1956, 6, 20),
        date(1986, 10, 20),
        date(1984, 6, 20),
        date(1986, 10, 25),
        date(1988, 6, 16),
        date(1963, 3, 11),
        date(1963, 3, 11),
        date(1963, 3, 11),
        date(1963, 3, 11),
        date(2001, 1, 1),
    ]
    kim = message.travellers[5]
    assert [(d.type, d.number) for d in kim.documents] == [("P", "4825552122"), ("V", "C7155231")]
    assert kim.ticket_number == "7812315763805C1"
    assert kim.booking_reference == "MLCKPM"
    assert kim.passenger_reference == "$(get pax_id_06)"  # placeholder kept as sent
    flight = message.flight
    assert flight is not None
    assert (flight.designator, flight.origin, flight.destination) == ("CA339", "ICN", "CAN")
    assert flight.scheduled_departure is None


def test_china_template_birth_century_follows_today(corpus_dir: Path) -> None:
    # DTM+329:010101 and no usable flight date: 2001 seen from 2025, 1901 seen from 2000.
    early = single(corpus_dir, china("29"), today=date(2000, 6, 1))
    assert early.travellers[-1].date_of_birth == date(1901, 1, 1)
    late = single(corpus_dir, china("29"), today=date(2025, 1, 1))
    assert late.travellers[-1].date_of_birth == date(2001, 1, 1)


def test_china_template_born_in_2000(corpus_dir: Path) -> None:
    people = [
        t
        for number in CHINA_PAXLST
        for t in single(corpus_dir, china(number)).travellers
        if t.date_of_birth and t.date_of_birth.year in (1999, 2000)
    ]
    assert sorted({t.date_of_birth for t in people if t.date_of_birth}) == [
        date(1999, 10, 24),
        date(2000, 3, 11),
    ]


def test_china_template_two_legs(corpus_dir: Path) -> None:
    message = single(corpus_dir, china("11"))
    flight = message.flight
    assert flight is not None
    assert [(leg.departure_airport, leg.arrival_airport) for leg in flight.legs] == [
        ("SSN", "ICN"),
        ("ICN", "CAN"),
    ]


def test_china_template_comment_is_junk_between_segments(corpus_dir: Path) -> None:
    result = read(corpus_dir, china("40"))
    # `ATT+2++U"  ### !!! F` on line 14: the DSL comment after the terminator is skipped.
    junk = [w for w in result.warnings if w.code == "junk_between_segments"]
    assert [(w.line, w.column, w.found) for w in junk] == [(14, 12, "### !!! F")]
    (person,) = result.messages[0].travellers
    assert person.gender == "U"
    assert person.date_of_birth == date(1963, 3, 11)
    assert [(d.type, d.number) for d in person.documents] == [
        ("P", "4825552122"),
        ("V", "C7155231"),
    ]
