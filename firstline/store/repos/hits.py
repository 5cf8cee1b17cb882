"""Hits (shared by watchlist screening and risk rules) and the screening bookkeeping."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, RowMapping, func, or_, select, update

from firstline.store.tables import flights, hits, screenings, travel_documents, travellers
from firstline.store.upsert import upsert_many


@dataclass(slots=True)
class NewHit:
    traveller_id: int
    flight_id: int
    source: str
    source_key: str
    title: str
    category: str
    severity: str
    score: float
    explanation: dict[str, Any]
    watchlist_id: int | None = None
    entry_id: int | None = None
    status: str = "open"  # "shadow" for what a shadow rule would have hit


@dataclass(slots=True)
class HitChanges:
    new: int = 0
    updated: int = 0
    withdrawn: int = 0


def record_screening(
    conn: Connection,
    traveller_ids: Sequence[int],
    found: Sequence[NewHit],
    *,
    source: str,
    state: str,
    now: datetime,
    query_hashes: dict[int, str] | None = None,
) -> HitChanges:
    """Store what screening `traveller_ids` found, and when they were screened against what."""
    changes = record_hits(conn, traveller_ids, found, source=source, now=now)
    if traveller_ids:
        upsert_many(
            conn,
            screenings,
            [
                {
                    "traveller_id": t,
                    "screened_at": now,
                    "lists_state": state,
                    "query_hash": (query_hashes or {}).get(t),
                }
                for t in traveller_ids
            ],
            keys=("traveller_id",),
            update=("screened_at", "lists_state", "query_hash"),
        )
    return changes


def record_hits(
    conn: Connection,
    traveller_ids: Sequence[int],
    found: Sequence[NewHit],
    *,
    source: str,
    now: datetime,
) -> HitChanges:
    """Store what one detector found on `traveller_ids`, replacing its earlier results.

    A hit found again keeps its id, status and first-seen time; one no longer found stays, with
    `current` false, so that an officer's decision on it is not lost.
    """
    changes = HitChanges()
    if not traveller_ids:
        return changes
    existing: dict[tuple[int, str], int] = {}
    found_keys = {(h.traveller_id, h.source_key) for h in found}
    for start in range(0, len(traveller_ids), 900):
        chunk = list(traveller_ids[start : start + 900])
        for row in conn.execute(
            select(hits.c.id, hits.c.traveller_id, hits.c.source_key, hits.c.current).where(
                hits.c.traveller_id.in_(chunk), hits.c.source == source
            )
        ):
            existing[(row.traveller_id, row.source_key)] = row.id
            if row.current and (row.traveller_id, row.source_key) not in found_keys:
                conn.execute(
                    update(hits).where(hits.c.id == row.id).values(current=False, updated_at=now)
                )
                changes.withdrawn += 1
    rows = []
    for hit in found:
        if (hit.traveller_id, hit.source_key) in existing:
            changes.updated += 1
        else:
            changes.new += 1
        rows.append(
            {
                "traveller_id": hit.traveller_id,
                "flight_id": hit.flight_id,
                "source": hit.source,
                "source_key": hit.source_key,
                "watchlist_id": hit.watchlist_id,
                "entry_id": hit.entry_id,
                "title": hit.title,
                "category": hit.category,
                "severity": hit.severity,
                "score": hit.score,
                "explanation": hit.explanation,
                "status": hit.status,
                "current": True,
                "first_seen_at": now,
                "updated_at": now,
            }
        )
    upsert_many(
        conn,
        hits,
        rows,
        keys=("traveller_id", "source_key"),
        update=("score", "explanation", "title", "category", "severity", "current", "updated_at"),
    )
    return changes


def touch_screenings(conn: Connection, traveller_ids: Sequence[int], now: datetime) -> None:
    """Mark travellers screened without re-screening: what screening reads did not change."""
    for start in range(0, len(traveller_ids), 900):
        chunk = list(traveller_ids[start : start + 900])
        conn.execute(
            update(screenings).where(screenings.c.traveller_id.in_(chunk)).values(screened_at=now)
        )


def travellers_to_screen(
    conn: Connection,
    *,
    state: str,
    flight_ids: Sequence[int] | None = None,
    arriving_after: datetime | None = None,
) -> list[RowMapping]:
    """Travellers never screened, changed since, or screened against other lists.

    With `arriving_after`, only flights whose scheduled arrival is later (or unknown): a list
    change re-screens who is still to come, not the archive.
    """
    query = (
        select(
            travellers.c.id,
            travellers.c.flight_id,
            travellers.c.surname,
            travellers.c.given_names,
            travellers.c.date_of_birth,
            travellers.c.nationality,
            travellers.c.gender,
            screenings.c.lists_state,
            screenings.c.query_hash,
        )
        .outerjoin(screenings, screenings.c.traveller_id == travellers.c.id)
        .where(
            or_(
                screenings.c.traveller_id.is_(None),
                screenings.c.screened_at < travellers.c.updated_at,
                screenings.c.lists_state != state,
            )
        )
        .order_by(travellers.c.id)
    )
    if flight_ids is not None:
        query = query.where(travellers.c.flight_id.in_(list(flight_ids)))
    if arriving_after is not None:
        query = query.join(flights, flights.c.id == travellers.c.flight_id).where(
            or_(
                flights.c.scheduled_arrival.is_(None),
                # Schedules are local times: a day's margin keeps every time zone in.
                flights.c.scheduled_arrival
                >= arriving_after.replace(tzinfo=None) - timedelta(days=1),
            )
        )
    return list(conn.execute(query).mappings())


def documents_of(conn: Connection, traveller_ids: Sequence[int]) -> dict[int, list[RowMapping]]:
    out: dict[int, list[RowMapping]] = {}
    for start in range(0, len(traveller_ids), 900):
        chunk = list(traveller_ids[start : start + 900])
        for row in conn.execute(
            select(
                travel_documents.c.traveller_id,
                travel_documents.c.number,
                travel_documents.c.issuing_country,
            ).where(
                travel_documents.c.traveller_id.in_(chunk),
                travel_documents.c.number.is_not(None),
            )
        ).mappings():
            out.setdefault(row.traveller_id, []).append(row)
    return out


def list_hits(
    conn: Connection,
    *,
    flight_id: int | None = None,
    status: str | None = None,
    current_only: bool = True,
    limit: int | None = None,
) -> list[RowMapping]:
    query = (
        select(
            hits,
            travellers.c.surname,
            travellers.c.given_names,
            travellers.c.date_of_birth,
            flights.c.flight_key,
        )
        .join(travellers, travellers.c.id == hits.c.traveller_id)
        .join(flights, flights.c.id == hits.c.flight_id)
        .order_by(hits.c.score.desc(), hits.c.id)
    )
    if flight_id is not None:
        query = query.where(hits.c.flight_id == flight_id)
    if status is not None:
        query = query.where(hits.c.status == status)
    else:
        # What a shadow rule would have hit is for the rule's author, not the officers' queue.
        query = query.where(hits.c.status != "shadow")
    if current_only:
        query = query.where(hits.c.current.is_(True))
    if limit is not None:
        query = query.limit(limit)
    return list(conn.execute(query).mappings())


def counts_by_category(conn: Connection) -> dict[tuple[str, str], int]:
    rows = conn.execute(
        select(hits.c.source, hits.c.category, func.count())
        .where(hits.c.current.is_(True), hits.c.status != "shadow")
        .group_by(hits.c.source, hits.c.category)
    )
    return {(r[0], r[1]): r[2] for r in rows}


def travellers_on_flight(
    conn: Connection,
    *,
    carrier: str,
    number: str,
    departure_date: Any,
    surname: str,
    given_names: str | None,
) -> list[int]:
    """Ids of travellers of a flight with this name (answer-key look-up for the demo)."""
    query = (
        select(travellers.c.id)
        .join(flights, flights.c.id == travellers.c.flight_id)
        .where(
            flights.c.carrier == carrier,
            flights.c.number == number,
            flights.c.departure_date == departure_date,
            travellers.c.surname == surname,
        )
    )
    if given_names:
        query = query.where(travellers.c.given_names == given_names)
    return [int(r[0]) for r in conn.execute(query)]


def current_hits_of(conn: Connection, traveller_ids: Sequence[int]) -> list[RowMapping]:
    if not traveller_ids:
        return []
    return list(
        conn.execute(
            select(hits.c.traveller_id, hits.c.source, hits.c.category, hits.c.score).where(
                hits.c.traveller_id.in_(list(traveller_ids)), hits.c.current.is_(True)
            )
        ).mappings()
    )


HIT_STATUSES = ("open", "confirmed", "false_positive", "closed")


def set_status(conn: Connection, hit_id: int, status: str, now: datetime) -> bool:
    """An officer's outcome on a hit; False when there is no such hit."""
    result = conn.execute(
        update(hits).where(hits.c.id == hit_id).values(status=status, updated_at=now)
    )
    return bool(result.rowcount)
