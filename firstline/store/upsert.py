"""Dialect-aware upsert (SQLite and PostgreSQL both speak ON CONFLICT)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite


def upsert_many(
    conn: Connection,
    table: Table,
    rows: list[dict[str, Any]],
    *,
    keys: tuple[str, ...],
    update: tuple[str, ...] = (),
) -> None:
    """Insert `rows`; where one conflicts on `keys`, overwrite its `update` columns (or skip)."""
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table)
    if update:
        statement = statement.on_conflict_do_update(
            index_elements=list(keys), set_={c: statement.excluded[c] for c in update}
        )
    else:
        statement = statement.on_conflict_do_nothing(index_elements=list(keys))
    conn.execute(statement, rows)
