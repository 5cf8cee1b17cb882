"""The Alembic migrations build exactly the schema that `tables.py` describes."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from firstline.store.db import current_revision, head_revision, open_store
from firstline.store.tables import metadata


def test_migrations_match_tables(database_url: str) -> None:
    store = open_store(database_url)
    try:
        assert current_revision(store) == head_revision()
        with store.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
    finally:
        store.dispose()


def test_open_store_twice_is_idempotent(database_url: str) -> None:
    first = open_store(database_url)
    first.dispose()
    second = open_store(database_url)
    try:
        assert current_revision(second) == head_revision()
    finally:
        second.dispose()


def test_upgrade_keeps_travellers_loaded_under_the_first_schema(database_url: str) -> None:
    import sys
    from pathlib import Path

    from sqlalchemy import select

    from firstline.services.ingest import ingest_delivery, make_delivery
    from firstline.store.db import upgrade
    from firstline.store.tables import travellers

    sys.path.insert(0, str(Path(__file__).parents[1]))
    from factory import Person, paxlst

    store = open_store(database_url, migrate=False)
    try:
        upgrade(store, "0001")
        with store.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO messages (sha256, source, received_at, size, format, status) "
                "VALUES ('x', 'old', CURRENT_TIMESTAMP, 1, 'edifact', 'loaded')"
            )
            conn.exec_driver_sql(
                "INSERT INTO flights (carrier, number, departure_date, created_at, updated_at,"
                " flight_key) VALUES ('ZZ', '123', '2026-12-01', CURRENT_TIMESTAMP,"
                " CURRENT_TIMESTAMP, 'ZZ|123|2026-12-01|AAA')"
            )
            conn.exec_driver_sql(
                "INSERT INTO travellers (flight_id, identity_key, role, surname,"
                " first_message_id, last_message_id, created_at, updated_at)"
                " VALUES (1, 'ref:P1', 'passenger', 'ALPHA', 1, 1, CURRENT_TIMESTAMP,"
                " CURRENT_TIMESTAMP)"
            )
        upgrade(store)
        with store.connect() as conn:
            row = conn.execute(select(travellers.c.api_key, travellers.c.sources)).one()
        assert (row.api_key, row.sources) == ("ref:P1", ["API"])
        # The API traveller is found again by its key after the upgrade, not duplicated.
        outcome = ingest_delivery(
            store, make_delivery(paxlst([Person("ALPHA", reference="P1")]), "new")
        )
        assert (outcome.travellers_added, outcome.status) == (0, "loaded")
    finally:
        store.dispose()
