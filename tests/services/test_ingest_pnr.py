"""PNR ingest end to end, and one traveller per flight across API and PNR."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from factory import Person, PnrPerson, paxlst, pnrgov
from sqlalchemy import select

from firstline.services.ingest import ingest_delivery, ingest_paths, make_delivery
from firstline.store import Store, open_store
from firstline.store.repos import bookings as booking_repo
from firstline.store.repos import flights as flight_repo
from firstline.store.repos import messages as message_repo
from firstline.store.repos import travellers as traveller_repo
from firstline.store.tables import booking_contacts, bookings, messages, traveller_changes

ALEX_DOCS = "P/FRA/X1234567/FRA/01JAN80/M/01JAN30/ALPHA/ALEX"


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = open_store(database_url)
    yield opened
    opened.dispose()


def _travellers(store: Store) -> list[dict[str, object]]:
    with store.connect() as conn:
        flights = flight_repo.list_flights(conn)
        assert len(flights) == 1, flights
        return traveller_repo.list_travellers(conn, int(flights[0]["id"]))


def _load(store: Store, raw: bytes, source: str) -> None:
    outcome = ingest_delivery(store, make_delivery(raw, source))
    assert outcome.status == "loaded", outcome.reason


def test_api_then_pnr_gives_one_traveller_with_both_sources(store: Store) -> None:
    _load(store, paxlst([Person("ALPHA", given="ALEX", document="X1234567")]), "api")
    _load(store, pnrgov([("ABC123", [PnrPerson("ALPHA", docs=ALEX_DOCS)])]), "pnr")
    (traveller,) = _travellers(store)
    assert traveller["sources"] == ["API", "PNR"]
    assert traveller["booking_reference"] == "ABC123"
    assert traveller["booking_id"] is not None
    assert traveller["given_names"] == "ALEX"  # the API's value, title split off in PNR
    with store.connect() as conn:
        changes = traveller_repo.traveller_changes_of(conn, int(traveller["id"]))
    assert [(c["field"], c["new_value"]) for c in changes] == [("merged", "PNR by document")]
    # The role came with the API list (message 1), the booking locator with the PNR (2).
    assert traveller_repo.source_of(traveller, "role") == traveller["first_message_id"]
    assert traveller_repo.source_of(traveller, "booking_reference") == traveller["last_message_id"]
    assert traveller["first_message_id"] != traveller["last_message_id"]


def test_pnr_then_api_merges_the_other_way(store: Store) -> None:
    _load(store, pnrgov([("ABC123", [PnrPerson("ALPHA", docs=ALEX_DOCS)])]), "pnr")
    _load(store, paxlst([Person("ALPHA", given="ALEX", document="X1234567")]), "api")
    (traveller,) = _travellers(store)
    assert traveller["sources"] == ["PNR", "API"]
    assert traveller["nationality"] == "FRA"


def test_pnr_without_docs_merges_by_name_within_booking(store: Store) -> None:
    api = Person("BRAVO", given="BEA", document="Y7654321", extra=["RFF+AVF:XYZ789"])
    _load(store, paxlst([api]), "api")
    _load(store, pnrgov([("XYZ789", [PnrPerson("BRAVO", given="BEA MS")])]), "pnr")
    (traveller,) = _travellers(store)
    assert traveller["sources"] == ["API", "PNR"]
    with store.connect() as conn:
        changes = traveller_repo.traveller_changes_of(conn, int(traveller["id"]))
    assert ("merged", "PNR by name_booking") in [(c["field"], c["new_value"]) for c in changes]


def test_same_name_in_another_booking_stays_apart(store: Store) -> None:
    api = Person("BRAVO", given="BEA", document="Y7654321", extra=["RFF+AVF:XYZ789"])
    _load(store, paxlst([api]), "api")
    _load(store, pnrgov([("OTHER1", [PnrPerson("BRAVO", given="BEA MS")])]), "pnr")
    assert len(_travellers(store)) == 2


def test_successive_pushes_update_the_booking_and_record_changes(store: Store) -> None:
    _load(store, pnrgov([("ABC123", [PnrPerson("ALPHA")])], last_change="201126:1000"), "t-72")
    later = pnrgov(
        [
            (
                "ABC123",
                [
                    PnrPerson("ALPHA", seat="012C"),
                    PnrPerson("ALPHA", given="AMY MS", reference="2"),
                ],
            )
        ],
        last_change="291126:1000",
        reference="PNR2",
    )
    _load(store, later, "t-24")
    people = _travellers(store)
    assert sorted(str(p["given_names"]) for p in people) == ["ALEX", "AMY"]
    assert {p["seat"] for p in people} == {"012C", None}
    with store.connect() as conn:
        (booking_id,) = conn.execute(select(bookings.c.id)).scalars().all()
        fields = {c["field"] for c in booking_repo.booking_changes_of(conn, booking_id)}
        seat_changes = conn.execute(
            select(traveller_changes.c.field, traveller_changes.c.new_value)
        ).all()
    assert {"travellers", "check_ins"} <= fields
    assert ("seat", "012C") in [tuple(r) for r in seat_changes]


def test_an_older_push_does_not_roll_a_booking_back(store: Store) -> None:
    _load(
        store,
        pnrgov([("ABC123", [PnrPerson("ALPHA", seat="012C")])], last_change="291126:1000"),
        "new",
    )
    old = pnrgov([("ABC123", [PnrPerson("ALPHA")])], last_change="201126:1000", reference="OLD")
    outcome = ingest_delivery(store, make_delivery(old, "late"))
    assert outcome.status == "loaded" and outcome.stale_bookings == 1
    (traveller,) = _travellers(store)
    assert traveller["seat"] == "012C"


def test_stale_header_flight_still_loads_on_the_itinerary_flight(store: Store) -> None:
    raw = pnrgov([("ABC123", [PnrPerson("ALPHA")])], header_date="151126")
    outcome = ingest_delivery(store, make_delivery(raw, "stale-header"))
    assert outcome.status == "loaded"
    with store.connect() as conn:
        flights = flight_repo.list_flights(conn)
        warnings = conn.execute(select(messages.c.warnings)).scalar_one()
    assert [str(f["departure_date"]) for f in flights] == ["2026-12-01"]
    assert any(w["code"] == "header_flight_mismatch" for w in warnings)


def test_sensitive_requests_are_removed_and_counted(store: Store) -> None:
    raw = pnrgov(
        [("ABC123", [PnrPerson("ALPHA")])],
        extra=["SSR+KSML:HK:1:ZZ", "SSR+WCHR:HK:1:ZZ", "IFT+4:28+PAX NEEDS OXYGEN"],
    )
    _load(store, raw, "pnr")
    with store.connect() as conn:
        removed = conn.execute(select(messages.c.sensitive_removed)).scalar_one()
        details = conn.execute(select(bookings.c.details)).scalar_one()
    assert removed == 3
    stored = str(details)
    assert "KSML" not in stored and "WCHR" not in stored and "OXYGEN" not in stored


def test_duplicate_pnr_is_idempotent(store: Store) -> None:
    raw = pnrgov([("ABC123", [PnrPerson("ALPHA")])])
    _load(store, raw, "a")
    assert ingest_delivery(store, make_delivery(raw, "a")).status == "duplicate"
    assert len(_travellers(store)) == 1


def test_corpus_pnr_messages_load(store: Store, corpus_dir: Path) -> None:
    files = [
        corpus_dir / "adamf_jetway" / "pnrgov_IG14_1_appendixB_example1_SQ602_trimmedLTS.edi",
        corpus_dir
        / "Mandeepsheoran_IBM-MQ-Message-Automation"
        / "src_test_resources_inputmessage_file.txt",
        corpus_dir / "SaberLS_PNRGOV-XML-Parser" / "test_pnr.xml",
        corpus_dir / "SaberLS_PNRGOV-XML-Parser" / "test_pnr_2.xml",
        corpus_dir / "SaberLS_PNRGOV-XML-Parser" / "test_pnr_3.xml",
    ]
    summary = ingest_paths(store, files)
    assert (summary.loaded, summary.quarantined) == (4, 1)
    with store.connect() as conn:
        flights = {f"{f['carrier']}{f['number']}": f for f in flight_repo.list_flights(conn)}
        sq602 = traveller_repo.list_travellers(conn, int(flights["SQ602"]["id"]))
        contacts = conn.execute(select(booking_contacts.c.kind, booking_contacts.c.value)).all()
        quarantined = message_repo.quarantined(conn)
    assert sorted(str(t["given_names"]) for t in sq602) == ["ISABELLE", "SOPHY"]
    assert {"BA3401", "SQ602"} <= set(flights)
    assert ("email", "redacted1@example.invalid") in [tuple(c) for c in contacts]
    assert quarantined[0]["source"].endswith("test_pnr_3.xml")


def test_close_out_finds_a_pnr_only_traveller_by_unique_reference(store: Store) -> None:
    push = pnrgov([("ABC123", [PnrPerson("ALPHA")])], extra=[])
    # The booking's REF (unique passenger reference) is what RFF+ABO quotes at close-out.
    push = push.replace(b"TIF+ALPHA+ALEX MR:A:1'\n", b"TIF+ALPHA+ALEX MR:A:1'\nREF+:0012AB'\n")
    _load(store, push, "pnr")
    close_out = paxlst(
        [Person("", given="", dob="", document=None, reference="0012AB", role="ZZZ")],
        document_code="266+CLOB",
        reference="CLOSE",
    )
    outcome = ingest_delivery(store, make_delivery(close_out, "close-out"))
    (traveller,) = _travellers(store)
    assert traveller["surname"] == "ALPHA"
    assert traveller["boarded_message_id"] == outcome.message_id
