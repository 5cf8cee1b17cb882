"""Which hits the duty team has been told about, per channel.

One row per hit and channel: `sent`, or `failed` with the reason. A failed row is overwritten by
the next attempt, so `created_at` is the time of the latest attempt.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, RowMapping, and_, or_, select

from firstline.store.tables import flights, hits, notifications
from firstline.store.upsert import upsert_many


@dataclass(frozen=True, slots=True)
class PendingHit:
    """What a notification may say about a hit: no traveller data, by construction."""

    id: int
    source: str
    category: str
    severity: str
    score: float
    carrier: str | None
    number: str | None
    origin: str | None
    destination: str | None
    scheduled_arrival: datetime | None
    retry: bool  # an earlier attempt failed


def pending_hits(
    conn: Connection,
    *,
    channel: str,
    severities: Collection[str],
    arriving_after: datetime | None = None,
) -> list[PendingHit]:
    """Open, current hits of `severities` not yet sent on `channel` (never tried, or failed).

    Shadow hits (status "shadow") and hits an officer already decided are left out: nobody
    needs to be called to them. With `arriving_after`, so are hits on flights that landed
    before it: switching notifications on must not mail the archive's backlog.
    """
    sent = notifications.alias("sent")
    statement = (
        select(
            hits.c.id,
            hits.c.source,
            hits.c.category,
            hits.c.severity,
            hits.c.score,
            flights.c.carrier,
            flights.c.number,
            flights.c.origin,
            flights.c.destination,
            flights.c.scheduled_arrival,
            sent.c.status.label("previous"),
        )
        .join(flights, flights.c.id == hits.c.flight_id)
        .outerjoin(sent, and_(sent.c.hit_id == hits.c.id, sent.c.channel == channel))
        .where(
            hits.c.current.is_(True),
            hits.c.status == "open",
            hits.c.severity.in_(sorted(severities)),
            or_(sent.c.id.is_(None), sent.c.status == "failed"),
        )
        .order_by(flights.c.scheduled_arrival, hits.c.score.desc(), hits.c.id)
    )
    if arriving_after is not None:
        statement = statement.where(
            or_(
                flights.c.scheduled_arrival.is_(None),
                # Schedules are local times: a day's margin keeps every time zone in.
                flights.c.scheduled_arrival
                >= arriving_after.replace(tzinfo=None) - timedelta(days=1),
            )
        )
    return [_pending(row) for row in conn.execute(statement).mappings()]


def _pending(row: RowMapping) -> PendingHit:
    values = dict(row)
    previous = values.pop("previous")
    return PendingHit(**values, retry=previous == "failed")


def record(
    conn: Connection,
    hit_ids: Sequence[int],
    *,
    channel: str,
    recipients: Sequence[str],
    status: str,
    error: str | None,
    now: datetime,
) -> None:
    """Record one attempt for each of `hit_ids`, replacing an earlier failed attempt."""
    rows = [
        {
            "hit_id": hit_id,
            "channel": channel,
            "recipients": list(recipients),
            "status": status,
            "error": error,
            "created_at": now,
        }
        for hit_id in hit_ids
    ]
    upsert_many(
        conn,
        notifications,
        rows,
        keys=("hit_id", "channel"),
        update=("recipients", "status", "error", "created_at"),
    )
