"""Which deliveries arrived for which flights: the raw material of the delivery report."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select

from firstline.store.tables import flights, messages

HEAD_BYTES = 512  # enough for the UNB, UNH and BGM of a PAXLST


def flights_departing(
    conn: Connection, *, start: date, end: date, carrier: str | None = None, limit: int = 2000
) -> list[dict[str, Any]]:
    """Flights whose (local) departure date is between `start` and `end`, inclusive."""
    query = (
        select(
            flights.c.id,
            flights.c.carrier,
            flights.c.number,
            flights.c.origin,
            flights.c.destination,
            flights.c.scheduled_departure,
            flights.c.departure_date,
        )
        .where(flights.c.departure_date.between(start, end))
        .order_by(flights.c.carrier, flights.c.scheduled_departure, flights.c.id)
        .limit(limit)
    )
    if carrier:
        query = query.where(flights.c.carrier == carrier.upper())
    return [dict(r) for r in conn.execute(query).mappings()]


def arrivals(conn: Connection, flight_ids: list[int]) -> list[dict[str, Any]]:
    """Loaded deliveries of these flights: type, time and the first bytes (for a PAXLST's
    document code), oldest first."""
    if not flight_ids:
        return []
    query = (
        select(
            messages.c.flight_id,
            messages.c.message_type,
            messages.c.received_at,
            func.substr(messages.c.raw, 1, HEAD_BYTES).label("head"),
        )
        .where(messages.c.flight_id.in_(flight_ids), messages.c.status == "loaded")
        .order_by(messages.c.received_at, messages.c.id)
    )
    return [dict(r) for r in conn.execute(query).mappings()]


def carriers(conn: Connection) -> list[str]:
    query = select(flights.c.carrier).where(flights.c.carrier.is_not(None)).distinct()
    return sorted(str(r[0]) for r in conn.execute(query))
