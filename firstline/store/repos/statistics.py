"""Aggregates for the dashboards, counted by the database per UTC hour.

Timestamps are stored in UTC (aware values on PostgreSQL, UTC wall-clock text on SQLite), so
every series is grouped by the UTC hour it falls in; the service turns hours into the unit's
local hours and days. Truncating to the hour is dialect-specific: `date_trunc` on the UTC
value on PostgreSQL, `strftime` on SQLite.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, DateTime, func, literal_column, select, type_coerce
from sqlalchemy.sql.elements import ColumnElement

from firstline.store.tables import flights, hit_decisions, hits, lookouts, messages, rules
from firstline.store.tables import screenings as screenings_table

DISPOSITIONS = ("confirmed", "false_positive", "inconclusive")


def utc_hour(conn: Connection, column: Any) -> ColumnElement[datetime]:
    """The UTC hour a timestamp falls in, as a naive datetime on both backends."""
    if conn.dialect.name == "postgresql":
        utc = column.op("AT TIME ZONE")(literal_column("'UTC'"))
        return type_coerce(func.date_trunc("hour", utc), DateTime())
    return type_coerce(func.strftime("%Y-%m-%d %H:00:00", column), DateTime())


def messages_per_hour(
    conn: Connection, start: datetime, end: datetime
) -> list[tuple[datetime, str, int]]:
    """Loaded and quarantined deliveries per UTC hour of receipt and the flight's carrier
    (empty when the message named no flight). `start` and `end` are aware UTC times."""
    hour = utc_hour(conn, messages.c.received_at).label("hour")
    carrier = func.coalesce(flights.c.carrier, "").label("carrier")
    rows = conn.execute(
        select(hour, carrier, func.count().label("n"))
        .select_from(messages.outerjoin(flights, flights.c.id == messages.c.flight_id))
        .where(messages.c.received_at >= start, messages.c.received_at < end)
        .where(messages.c.status != "duplicate")
        .group_by(hour, carrier)
        .order_by(hour, carrier)
    )
    return [(r.hour, str(r.carrier), int(r.n)) for r in rows]


def screened_per_hour(
    conn: Connection, start: datetime, end: datetime
) -> list[tuple[datetime, int]]:
    """Travellers whose last screening fell in each UTC hour."""
    hour = utc_hour(conn, screenings_table.c.screened_at).label("hour")
    rows = conn.execute(
        select(hour, func.count().label("n"))
        .where(screenings_table.c.screened_at >= start, screenings_table.c.screened_at < end)
        .group_by(hour)
        .order_by(hour)
    )
    return [(r.hour, int(r.n)) for r in rows]


def hits_by(
    conn: Connection, start: datetime, end: datetime
) -> list[tuple[str, str, str, str, int]]:
    """Hits first raised in the window, per source, what hit (rule key, list), category and
    status; shadow hits (what a rule in trial would have raised) are left out."""
    rows = conn.execute(
        select(
            hits.c.source,
            hits.c.source_key,
            hits.c.category,
            hits.c.status,
            func.count().label("n"),
        )
        .where(hits.c.first_seen_at >= start, hits.c.first_seen_at < end)
        .where(hits.c.status != "shadow")
        .group_by(hits.c.source, hits.c.source_key, hits.c.category, hits.c.status)
    )
    return [(r.source, r.source_key, r.category, r.status, int(r.n)) for r in rows]


def rule_titles(conn: Connection) -> dict[str, str]:
    rows = conn.execute(select(rules.c.key, rules.c.title))
    return {str(key): str(title) for key, title in rows}


def dispositions_per_hour(
    conn: Connection, start: datetime, end: datetime
) -> list[tuple[datetime, str, int]]:
    """Decisions that closed a hit, per UTC hour and disposition (a reopened hit closed again
    counts again: this is the team's work, not the hits' state)."""
    hour = utc_hour(conn, hit_decisions.c.at).label("hour")
    rows = conn.execute(
        select(hour, hit_decisions.c.disposition, func.count().label("n"))
        .where(hit_decisions.c.at >= start, hit_decisions.c.at < end)
        .where(hit_decisions.c.to_state == "closed")
        .where(hit_decisions.c.disposition.in_(DISPOSITIONS))
        .group_by(hour, hit_decisions.c.disposition)
        .order_by(hour)
    )
    return [(r.hour, str(r.disposition), int(r.n)) for r in rows]


def outcomes_per_hour(
    conn: Connection, start: datetime, end: datetime
) -> list[tuple[datetime, str, int]]:
    """Port outcomes recorded per UTC hour and outcome."""
    hour = utc_hour(conn, lookouts.c.outcome_at).label("hour")
    rows = conn.execute(
        select(hour, lookouts.c.outcome, func.count().label("n"))
        .where(lookouts.c.outcome.is_not(None))
        .where(lookouts.c.outcome_at >= start, lookouts.c.outcome_at < end)
        .group_by(hour, lookouts.c.outcome)
        .order_by(hour)
    )
    return [(r.hour, str(r.outcome), int(r.n)) for r in rows]
