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
