"""Received messages: every delivery kept whole with its hash, status and reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from firstline.store.tables import messages


@dataclass(slots=True, frozen=True)
class Delivery:
    """Bytes as received, with where they came from."""

    raw: bytes
    sha256: str
    source: str
    format: str


def find_loaded(conn: Connection, sha256: str) -> int | None:
    """Id of an earlier delivery of the same bytes that *loaded*.

    Only a successful load makes a later copy a duplicate: a message quarantined by an older
    parser must be retried when it comes again (GTAS rejected such retries as duplicates).
    """
    row = conn.execute(
        select(messages.c.id)
        .where(messages.c.sha256 == sha256, messages.c.status == "loaded")
        .order_by(messages.c.id)
        .limit(1)
    ).first()
    return None if row is None else int(row.id)


def record(
    conn: Connection,
    delivery: Delivery,
    *,
    status: str,
    keep_raw: bool = True,
    **values: Any,
) -> int:
    """Insert one delivery row and return its id."""
    row = {
        "sha256": delivery.sha256,
        "source": delivery.source,
        "received_at": datetime.now(UTC),
        "size": len(delivery.raw),
        "format": delivery.format,
        "status": status,
        "raw": delivery.raw if keep_raw else None,
        **values,
    }
    result = conn.execute(messages.insert().values(**row).returning(messages.c.id))
    return int(result.scalar_one())


def update(conn: Connection, message_id: int, **values: Any) -> None:
    conn.execute(messages.update().where(messages.c.id == message_id).values(**values))


def counts_by_status(conn: Connection) -> dict[str, int]:
    rows = conn.execute(select(messages.c.status, func.count()).group_by(messages.c.status))
    return {str(status): int(count) for status, count in rows}


def quarantined(
    conn: Connection, *, limit: int = 200, message_id: int | None = None
) -> list[dict[str, Any]]:
    """Quarantined deliveries (or just `message_id`), newest first, with their reasons
    (never their content)."""
    query = (
        select(
            messages.c.id,
            messages.c.source,
            messages.c.received_at,
            messages.c.size,
            messages.c.sha256,
            messages.c.message_type,
            messages.c.reason,
            messages.c.reason_detail,
        )
        .where(messages.c.status == "quarantined")
        .order_by(messages.c.id.desc())
        .limit(limit)
    )
    if message_id is not None:
        query = query.where(messages.c.id == message_id)
    return [dict(row._mapping) for row in conn.execute(query)]


def raw_of(conn: Connection, message_id: int) -> bytes | None:
    row = conn.execute(select(messages.c.raw).where(messages.c.id == message_id)).first()
    return None if row is None else row.raw


def message(conn: Connection, message_id: int) -> dict[str, Any] | None:
    """One delivery's facts and status (never its content)."""
    row = conn.execute(
        select(
            messages.c.id,
            messages.c.source,
            messages.c.received_at,
            messages.c.size,
            messages.c.sha256,
            messages.c.format,
            messages.c.message_type,
            messages.c.status,
            messages.c.reason,
            messages.c.reason_detail,
            messages.c.duplicate_of,
            messages.c.flight_id,
            messages.c.traveller_count,
        ).where(messages.c.id == message_id)
    ).first()
    return None if row is None else dict(row._mapping)


def quarantined_ids(conn: Connection) -> list[int]:
    """Ids of every quarantined delivery, oldest first."""
    query = select(messages.c.id).where(messages.c.status == "quarantined").order_by(messages.c.id)
    return [int(r.id) for r in conn.execute(query)]
