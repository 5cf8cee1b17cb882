"""Ingest end to end on real SQLite and PostgreSQL databases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from factory import Person, paxlst
from sqlalchemy import func, select

from firstline.services.ingest import ingest_delivery, ingest_paths, make_delivery
from firstline.store import Store, open_store
from firstline.store.repos import flights as flight_repo
from firstline.store.repos import messages as message_repo
from firstline.store.repos import travellers as traveller_repo
from firstline.store.tables import messages, traveller_changes, travellers


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = open_store(database_url)
    yield opened
    opened.dispose()


def _count(store: Store, table: object, *where: object) -> int:
    with store.connect() as conn:
        query = select(func.count()).select_from(table)  # type: ignore[arg-type]
        for clause in where:
            query = query.where(clause)  # type: ignore[arg-type]
        return int(conn.execute(query).scalar_one())


def test_schema_is_created_on_an_empty_database(store: Store) -> None:
    with store.connect() as conn:
        assert message_repo.counts_by_status(conn) == {}
        assert flight_repo.counts(conn) == {"flights": 0, "travellers": 0, "documents": 0}


def test_same_bytes_twice_load_once(store: Store) -> None:
    raw = paxlst([Person("ALPHA", reference="P1"), Person("BRAVO", reference="P2")])
    first = ingest_delivery(store, make_delivery(raw, "push-1"))
    second = ingest_delivery(store, make_delivery(raw, "push-1-again"))
    assert first.status == "loaded" and first.travellers_added == 2
    assert second.status == "duplicate"
    assert _count(store, travellers) == 2
    with store.connect() as conn:
        assert message_repo.counts_by_status(conn) == {"loaded": 1, "duplicate": 1}
        dup = conn.execute(select(messages).where(messages.c.status == "duplicate")).one()
    assert dup.duplicate_of == first.message_id


def test_later_push_updates_travellers_and_records_changes(store: Store) -> None:
    early = paxlst([Person("ALPHA", reference="P1", seat=None), Person("BRAVO", reference="P2")])
    late = paxlst(
        [
            Person("ALPHA", reference="P1", seat="12A"),
            Person("BRAVO", reference="P2", document="Y7654321"),
            Person("CHARLIE", reference="P3"),
        ],
        reference="REF2",
    )
    ingest_delivery(store, make_delivery(early, "t-24"))
    outcome = ingest_delivery(store, make_delivery(late, "close-out"))
    assert (outcome.travellers_added, outcome.travellers_updated) == (1, 2)
    assert _count(store, travellers) == 3
    with store.connect() as conn:
        changes = conn.execute(
            select(
                traveller_changes.c.field,
                traveller_changes.c.old_value,
                traveller_changes.c.new_value,
            ).order_by(traveller_changes.c.id)
        ).all()
        flights = flight_repo.list_flights(conn)
    assert ("seat", None, "12A") in changes
    assert any(f == "documents" and "X1234567" in o and "Y7654321" in n for f, o, n in changes)
    assert len(flights) == 1 and flights[0]["travellers"] == 3


def test_unchanged_resend_with_new_envelope_changes_nothing(store: Store) -> None:
    people = [Person("ALPHA", reference="P1")]
    ingest_delivery(store, make_delivery(paxlst(people, reference="A"), "a"))
    outcome = ingest_delivery(store, make_delivery(paxlst(people, reference="B"), "b"))
    assert outcome.status == "loaded"
    assert (outcome.travellers_added, outcome.travellers_updated) == (0, 0)
    assert _count(store, traveller_changes) == 0


def test_malformed_message_is_quarantined_whole_and_ingest_goes_on(
    store: Store, tmp_path: Path
) -> None:
    tmp_path = tmp_path / "inbox"
    tmp_path.mkdir()
    good = paxlst([Person("ALPHA")])
    broken = b"UNA:+.?'UNB+UNOA:4+X+Y'"  # a UNA of five characters and no message at all
    (tmp_path / "1-broken.edi").write_bytes(broken)
    (tmp_path / "2-good.edi").write_bytes(good)
    (tmp_path / "3-xml.xml").write_bytes(b"<IATA_PNRGOV_NotifRQ/>")
    summary = ingest_paths(store, [tmp_path])
    assert (summary.received, summary.loaded, summary.quarantined) == (3, 1, 2)
    with store.connect() as conn:
        rows = message_repo.quarantined(conn)
        raw = message_repo.raw_of(conn, int(rows[-1]["id"]))
    assert raw == broken  # kept byte for byte
    reasons = {Path(r["source"]).name: r for r in rows}
    assert reasons["1-broken.edi"]["reason_detail"]["expected"] == "UNH"
    assert reasons["3-xml.xml"]["reason_detail"]["code"] == "parse_error"
    assert "PNR" in reasons["3-xml.xml"]["reason"]


def test_message_without_flight_identification_is_quarantined(store: Store) -> None:
    raw = paxlst([Person("ALPHA")], flight="", carrier="", origin="", departure="")
    outcome = ingest_delivery(store, make_delivery(raw, "x"))
    assert outcome.status == "quarantined"
    assert "no flight identification" in (outcome.reason or "")


def test_quarantined_bytes_are_retried_not_called_duplicates(store: Store) -> None:
    raw = b"UNH+1+CUSRES:D:05B:UN'BGM+962'UNT+3+1'"
    first = ingest_delivery(store, make_delivery(raw, "a"))
    second = ingest_delivery(store, make_delivery(raw, "a"))
    assert first.status == second.status == "quarantined"


def test_multipart_series_loads_into_one_flight(store: Store, corpus_dir: Path) -> None:
    folder = corpus_dir / "deyoz_astra"
    parts = [folder / f"apis_edi_file_test7_multipart_part{n}.edi" for n in (3, 1, 2)]
    summary = ingest_paths(store, parts)
    assert summary.loaded == 3
    with store.connect() as conn:
        flights = flight_repo.list_flights(conn)
        assert len(flights) == 1
        names = sorted(r["surname"] for r in traveller_repo.list_travellers(conn, flights[0]["id"]))
        part_numbers = sorted(
            conn.execute(select(messages.c.part_number).where(messages.c.status == "loaded"))
            .scalars()
            .all()
        )
    assert names == ["KOVACS", "LESKA", "PUTIN", "PUTINA", "STRANSKY"]
    assert flights[0]["declared_passengers"] == 5
    assert part_numbers == [1, 2, 3]


def test_corpus_accounts_for_every_message(store: Store, corpus_dir: Path) -> None:
    first = ingest_paths(store, [corpus_dir])
    second = ingest_paths(store, [corpus_dir])
    files = sum(1 for p in corpus_dir.rglob("*") if p.is_file())
    for summary in (first, second):
        assert summary.received == files
        assert summary.loaded + summary.duplicate + summary.quarantined == summary.received
    assert second.loaded == 0 and second.duplicate == first.loaded
    with store.connect() as conn:
        by_status = message_repo.counts_by_status(conn)
    assert sum(by_status.values()) == 2 * files
    # IG examples 5.1 (passenger) and 5.2 (crew) describe the same flight ZZ123 SYD-HNL.
    with store.connect() as conn:
        zz = flight_repo.find_flights(conn, "ZZ123")
        roles = sorted(r["role"] for r in traveller_repo.list_travellers(conn, zz[0]["id"]))
    assert roles == ["crew", "passenger"]


def test_close_out_marks_listed_travellers_boarded(store: Store) -> None:
    ingest_delivery(
        store,
        make_delivery(
            paxlst([Person("ALPHA", reference="P1"), Person("BRAVO", reference="P2")]), "list"
        ),
    )
    close_out = paxlst(
        [
            Person("", given="", dob="", document=None, reference="P1", role="ZZZ"),
            Person("", given="", dob="", document=None, reference="P9", role="ZZZ"),
        ],
        document_code="266+CLOB",
        reference="CLOSE",
    )
    outcome = ingest_delivery(store, make_delivery(close_out, "close-out"))
    assert outcome.status == "loaded"
    with store.connect() as conn:
        rows = {
            r.identity_key: r
            for r in conn.execute(
                select(
                    travellers.c.identity_key,
                    travellers.c.surname,
                    travellers.c.role,
                    travellers.c.boarded_message_id,
                )
            )
        }
    assert rows["ref:P1"].surname == "ALPHA"  # the close-out did not erase the name
    assert rows["ref:P1"].boarded_message_id == outcome.message_id
    assert rows["ref:P2"].boarded_message_id is None
    assert rows["ref:P9"].role == "unnamed"  # unknown reference kept as evidence


def test_series_status_reports_missing_parts(store: Store, corpus_dir: Path) -> None:
    folder = corpus_dir / "deyoz_astra"
    ingest_paths(store, [folder / f"apis_edi_file_test7_multipart_part{n}.edi" for n in (1, 3)])
    with store.connect() as conn:
        assert list(flight_repo.series_status(conn).values()) == ["2/3 (missing 2)"]
    ingest_paths(store, [folder / "apis_edi_file_test7_multipart_part2.edi"])
    with store.connect() as conn:
        assert list(flight_repo.series_status(conn).values()) == ["3/3"]
