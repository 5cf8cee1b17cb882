"""The audit trail: append-only (the database refuses UPDATE and DELETE on it)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, func, insert, select

from firstline.store.tables import audit_events


def record(conn: Connection, **values: Any) -> None:
    conn.execute(insert(audit_events).values(**values))


def events(
    conn: Connection,
    *,
    actor: str | None = None,
    action: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 200,
    offset: int = 0,
) -> tuple[list[RowMapping], int]:
    """Events newest first, and how many match in all."""
    conditions = []
    if actor:
        conditions.append(audit_events.c.actor == actor)
    if action:
        conditions.append(audit_events.c.action == action)
    if object_type:
        conditions.append(audit_events.c.object_type == object_type)
    if object_id:
        conditions.append(audit_events.c.object_id == object_id)
    if since is not None:
        conditions.append(audit_events.c.at >= since)
    if until is not None:
        conditions.append(audit_events.c.at < until)
    total = conn.execute(select(func.count()).select_from(audit_events).where(*conditions))
    rows = conn.execute(
        select(audit_events)
        .where(*conditions)
        .order_by(audit_events.c.id.desc())
        .limit(limit)
        .offset(offset)
    ).mappings()
    return list(rows), int(total.scalar_one())


def actions(conn: Connection) -> list[str]:
    rows = conn.execute(select(audit_events.c.action).distinct().order_by(audit_events.c.action))
    return [r[0] for r in rows]
