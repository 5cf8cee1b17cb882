"""The audit trail and the hit decisions are append-only: the database itself refuses UPDATE
and DELETE (triggers of migration 0006), whatever SQL the application sends."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from factory import Person, paxlst
from sqlalchemy import Table, delete, func, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from firstline.services.ingest import ingest_delivery, make_delivery
from firstline.store import Store, open_store
from firstline.store.tables import audit_events, hit_decisions, hits

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = open_store(database_url)
    assert ingest_delivery(opened, make_delivery(paxlst([Person("QUORVAN")]), "t")).status == (
        "loaded"
    )
    with opened.begin() as conn:
        traveller_id, flight_id = conn.execute(text("SELECT id, flight_id FROM travellers")).one()
        hit_id = conn.execute(
            insert(hits)
            .values(
                traveller_id=traveller_id,
                flight_id=flight_id,
                source="watchlist",
                source_key="watchlist:1:1",
                title="listed",
                category="terrorism",
                severity="high",
                score=0.9,
                explanation={},
                status="open",
                current=True,
                first_seen_at=NOW,
                updated_at=NOW,
            )
            .returning(hits.c.id)
        ).scalar_one()
        conn.execute(
            insert(hit_decisions).values(
                hit_id=hit_id, actor="a", action="dispose", from_state="new",
                to_state="closed", disposition="confirmed", reason="r", at=NOW,
            )
        )  # fmt: skip
        conn.execute(insert(audit_events).values(at=NOW, actor="a", action="view_hit"))
    yield opened
    opened.dispose()


def _count(store: Store, table: Table) -> int:
    with store.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


@pytest.mark.parametrize("table", [audit_events, hit_decisions], ids=lambda t: t.name)
def test_rows_can_be_added(store: Store, table: Table) -> None:
    assert _count(store, table) == 1


@pytest.mark.parametrize("table", [audit_events, hit_decisions], ids=lambda t: t.name)
def test_update_is_refused(store: Store, table: Table) -> None:
    with pytest.raises(DBAPIError, match="append-only"), store.begin() as conn:
        conn.execute(update(table).values(actor="someone else"))
    with store.connect() as conn:
        assert conn.execute(select(table.c.actor)).scalars().all() == ["a"]


@pytest.mark.parametrize("table", [audit_events, hit_decisions], ids=lambda t: t.name)
def test_delete_is_refused(store: Store, table: Table) -> None:
    with pytest.raises(DBAPIError, match="append-only"), store.begin() as conn:
        conn.execute(delete(table))
    assert _count(store, table) == 1


def test_raw_sql_is_refused_too(store: Store) -> None:
    for statement in ("UPDATE audit_events SET reason = 'x'", "DELETE FROM hit_decisions"):
        with pytest.raises(DBAPIError, match="append-only"), store.begin() as conn:
            conn.execute(text(statement))
