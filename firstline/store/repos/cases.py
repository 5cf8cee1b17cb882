"""The review of hits: their state, decisions (append-only), lookouts, notes, settings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, Select, case, func, insert, select, update
from sqlalchemy.orm import aliased

from firstline.store.tables import (
    app_settings,
    flights,
    hit_decisions,
    hits,
    lookouts,
    notes,
    travellers,
    users,
)
from firstline.store.upsert import upsert_many

# The hit status a confirmed disposition leaves: only such hits keep their lookout.
CONFIRMED = "confirmed"
SEVERITY_ORDER = case({"high": 3, "medium": 2, "low": 1}, value=hits.c.severity, else_=0)


# What an officer sees of a hit's traveller and flight, in the queue and on the hit's page.
_SEEN_WITH_HIT = (
    travellers.c.surname,
    travellers.c.given_names,
    travellers.c.date_of_birth,
    travellers.c.nationality,
    flights.c.flight_key,
    flights.c.carrier,
    flights.c.number,
    flights.c.origin,
    flights.c.destination,
    flights.c.scheduled_departure,
    flights.c.scheduled_arrival,
)


# A link hit's title as a template and its parameters (inside the explanation), for pages in
# other languages; read for link hits only, so that the queue parses no other explanation.
_IS_LINK = hits.c.source == "link"
_TITLE_TEMPLATE = case(
    (_IS_LINK, hits.c.explanation["title_template"].as_string()), else_=None
).label("title_template")
_TITLE_PARAMS = case((_IS_LINK, hits.c.explanation["title_params"]), else_=None).label(
    "title_params"
)


def _with_people(*columns: Any) -> Select[Any]:
    """`columns` of hits joined to their traveller, flight and assignee."""
    assignee = aliased(users)
    return (
        select(*columns, *_SEEN_WITH_HIT, assignee.c.username.label("assignee"))
        .join(travellers, travellers.c.id == hits.c.traveller_id)
        .join(flights, flights.c.id == hits.c.flight_id)
        .outerjoin(assignee, assignee.c.id == hits.c.assignee_id)
    )


def hit_row(conn: Connection, hit_id: int) -> RowMapping | None:
    """A hit with its traveller's name and its flight."""
    return conn.execute(_with_people(hits).where(hits.c.id == hit_id)).mappings().first()


def queue(
    conn: Connection,
    *,
    states: Sequence[str],
    severity: str | None = None,
    category: str | None = None,
    source: str | None = None,
    assignee_id: int | None = None,
    unassigned: bool = False,
    flight_id: int | None = None,
    arriving_before: datetime | None = None,
    now: datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[RowMapping], int]:
    """Current hits in `states`, highest severity first, then soonest arrival; flights that
    have already arrived (before `now`) come after those still to come."""
    conditions: list[Any] = [
        hits.c.current.is_(True),
        hits.c.status != "shadow",
        hits.c.review_state.in_(list(states)),
    ]
    if severity:
        conditions.append(hits.c.severity == severity)
    if category:
        conditions.append(hits.c.category == category)
    if source:
        conditions.append(hits.c.source == source)
    if assignee_id is not None:
        conditions.append(hits.c.assignee_id == assignee_id)
    if unassigned:
        conditions.append(hits.c.assignee_id.is_(None))
    if flight_id is not None:
        conditions.append(hits.c.flight_id == flight_id)
    if arriving_before is not None:
        conditions.append(flights.c.scheduled_arrival <= arriving_before)
    base = _with_people(
        hits.c.id,
        hits.c.traveller_id,
        hits.c.flight_id,
        hits.c.source,
        hits.c.title,
        hits.c.category,
        hits.c.severity,
        hits.c.score,
        hits.c.status,
        hits.c.review_state,
        hits.c.first_seen_at,
        _TITLE_TEMPLATE,
        _TITLE_PARAMS,
    ).where(*conditions)
    total = conn.execute(
        select(func.count())
        .select_from(hits.join(flights, flights.c.id == hits.c.flight_id))
        .where(*conditions)
    ).scalar_one()
    rows = conn.execute(
        base.order_by(
            SEVERITY_ORDER.desc(),
            case((flights.c.scheduled_arrival < (now or datetime.max), 1), else_=0),
            flights.c.scheduled_arrival.is_(None),
            flights.c.scheduled_arrival,
            hits.c.score.desc(),
            hits.c.id,
        )
        .limit(limit)
        .offset(offset)
    ).mappings()
    return list(rows), int(total)


def queue_counts(conn: Connection) -> dict[tuple[str, str], int]:
    """Current hits by (review state, severity)."""
    rows = conn.execute(
        select(hits.c.review_state, hits.c.severity, func.count())
        .where(hits.c.current.is_(True), hits.c.status != "shadow")
        .group_by(hits.c.review_state, hits.c.severity)
    )
    return {(r[0], r[1]): int(r[2]) for r in rows}


def apply_step(
    conn: Connection,
    hit_id: int,
    *,
    values: dict[str, Any],
    decision: dict[str, Any],
) -> bool:
    """Move the hit on and record the decision, if the hit is still in the state the
    decision was taken from; False (nothing written) when someone moved it meanwhile."""
    moved = conn.execute(
        update(hits)
        .where(hits.c.id == hit_id, hits.c.review_state == decision["from_state"])
        .values(**values)
    )
    if not moved.rowcount:
        return False
    conn.execute(insert(hit_decisions).values(hit_id=hit_id, **decision))
    return True


def decisions_of(conn: Connection, hit_id: int) -> list[RowMapping]:
    return list(
        conn.execute(
            select(hit_decisions)
            .where(hit_decisions.c.hit_id == hit_id)
            .order_by(hit_decisions.c.id)
        ).mappings()
    )


def hits_of_traveller(conn: Connection, traveller_id: int) -> list[RowMapping]:
    assignee = aliased(users)
    return list(
        conn.execute(
            select(hits, assignee.c.username.label("assignee"))
            .outerjoin(assignee, assignee.c.id == hits.c.assignee_id)
            .where(hits.c.traveller_id == traveller_id, hits.c.status != "shadow")
            .order_by(hits.c.current.desc(), SEVERITY_ORDER.desc(), hits.c.score.desc())
        ).mappings()
    )


def add_lookout(conn: Connection, **values: Any) -> None:
    upsert_many(conn, lookouts, [values], keys=("hit_id",), update=())


def lookout_list(
    conn: Connection,
    *,
    port: str | None = None,
    pending_only: bool = False,
    hit_id: int | None = None,
    limit: int = 200,
) -> list[RowMapping]:
    query = (
        select(
            lookouts,
            hits.c.title,
            _TITLE_TEMPLATE,
            _TITLE_PARAMS,
            hits.c.category,
            hits.c.severity,
            hits.c.score,
            travellers.c.surname,
            travellers.c.given_names,
            travellers.c.date_of_birth,
            travellers.c.nationality,
            travellers.c.seat,
            flights.c.flight_key,
            flights.c.carrier,
            flights.c.number,
            flights.c.origin,
            flights.c.destination,
            flights.c.scheduled_arrival,
        )
        .join(hits, hits.c.id == lookouts.c.hit_id)
        .join(travellers, travellers.c.id == lookouts.c.traveller_id)
        .join(flights, flights.c.id == lookouts.c.flight_id)
        .where(hits.c.status == CONFIRMED)  # a reopened hit's lookout is withdrawn
        .order_by(
            lookouts.c.outcome.is_not(None),
            flights.c.scheduled_arrival.is_(None),
            flights.c.scheduled_arrival,
            lookouts.c.id,
        )
        .limit(limit)
    )
    if port:
        query = query.where(lookouts.c.port == port)
    if pending_only:
        query = query.where(lookouts.c.outcome.is_(None))
    if hit_id is not None:
        query = query.where(lookouts.c.hit_id == hit_id)
    return list(conn.execute(query).mappings())


def lookout_row(conn: Connection, lookout_id: int) -> RowMapping | None:
    """A lookout that stands: its hit is (still) confirmed."""
    return (
        conn.execute(
            select(lookouts)
            .join(hits, hits.c.id == lookouts.c.hit_id)
            .where(lookouts.c.id == lookout_id, hits.c.status == CONFIRMED)
        )
        .mappings()
        .first()
    )


def record_outcome(conn: Connection, lookout_id: int, **values: Any) -> None:
    conn.execute(update(lookouts).where(lookouts.c.id == lookout_id).values(**values))


def outcome_counts(conn: Connection) -> list[RowMapping]:
    """Outcomes per hit source (rule key or watchlist) for statistics."""
    return list(
        conn.execute(
            select(hits.c.source, hits.c.source_key, lookouts.c.outcome, func.count().label("n"))
            .join(hits, hits.c.id == lookouts.c.hit_id)
            .where(lookouts.c.outcome.is_not(None))
            .group_by(hits.c.source, hits.c.source_key, lookouts.c.outcome)
        ).mappings()
    )


def add_note(conn: Connection, **values: Any) -> None:
    conn.execute(insert(notes).values(**values))


def notes_of(conn: Connection, traveller_id: int) -> list[RowMapping]:
    return list(
        conn.execute(
            select(notes).where(notes.c.traveller_id == traveller_id).order_by(notes.c.id)
        ).mappings()
    )


def get_setting(conn: Connection, key: str) -> Any:
    row = conn.execute(select(app_settings.c.value).where(app_settings.c.key == key)).first()
    return None if row is None else row[0]


def put_setting(conn: Connection, key: str, value: Any, *, now: datetime, by: str) -> None:
    upsert_many(
        conn,
        app_settings,
        [{"key": key, "value": value, "updated_at": now, "updated_by": by}],
        keys=("key",),
        update=("value", "updated_at", "updated_by"),
    )
