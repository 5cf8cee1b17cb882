"""Flights and their legs: the natural key, declared totals, and what is loaded per flight."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, case, func, select

from firstline.model.travel import Flight
from firstline.store.tables import flight_legs, flights, messages, travel_documents, travellers


def upsert_flight(
    conn: Connection,
    flight: Flight,
    now: datetime,
    *,
    declared_passengers: int | None = None,
    declared_crew: int | None = None,
) -> int:
    """Id of `flight`, created or refreshed (callers check `Flight.is_identified` first)."""
    values: dict[str, Any] = {
        "carrier": flight.carrier,
        "number": flight.number,
        "origin": flight.origin,
        "destination": flight.destination,
        "departure_date": flight.departure_date,
        "scheduled_departure": flight.scheduled_departure,
        "scheduled_arrival": flight.scheduled_arrival,
        "updated_at": now,
    }
    if declared_crew is not None:
        values["declared_crew"] = declared_crew
    if declared_passengers is not None:
        values["declared_passengers"] = declared_passengers
    key = flight.key()
    existing = conn.execute(select(flights.c.id).where(flights.c.flight_key == key)).first()
    if existing is not None:
        flight_id = int(existing.id)
        values = {k: v for k, v in values.items() if v is not None}
        conn.execute(flights.update().where(flights.c.id == flight_id).values(**values))
        conn.execute(flight_legs.delete().where(flight_legs.c.flight_id == flight_id))
    else:
        inserted = conn.execute(
            flights.insert()
            .values(flight_key=key, created_at=now, **values)
            .returning(flights.c.id)
        )
        flight_id = int(inserted.scalar_one())
    _write_legs(conn, flight_id, flight)
    return flight_id


def _write_legs(conn: Connection, flight_id: int, flight: Flight) -> None:
    rows = [
        {
            "flight_id": flight_id,
            "sequence": position,
            "carrier": leg.carrier,
            "flight_designator": leg.flight_designator,
            "departure_airport": leg.departure_airport,
            "arrival_airport": leg.arrival_airport,
            "scheduled_departure": leg.scheduled_departure,
            "scheduled_arrival": leg.scheduled_arrival,
        }
        for position, leg in enumerate(flight.legs, start=1)
    ]
    if rows:
        conn.execute(flight_legs.insert(), rows)


def list_flights(conn: Connection) -> list[dict[str, Any]]:
    """Flights with traveller counts by role and the parts of their API series."""
    counts = (
        select(
            travellers.c.flight_id,
            func.count().label("travellers"),
            func.sum(case((travellers.c.role.in_(["crew", "in_transit_crew"]), 1), else_=0)).label(
                "crew"
            ),
        )
        .group_by(travellers.c.flight_id)
        .subquery()
    )
    message_counts = (
        select(messages.c.flight_id, func.count().label("messages"))
        .where(messages.c.status == "loaded")
        .group_by(messages.c.flight_id)
        .subquery()
    )
    rows = conn.execute(
        select(
            flights,
            func.coalesce(counts.c.travellers, 0).label("travellers"),
            func.coalesce(counts.c.crew, 0).label("crew"),
            func.coalesce(message_counts.c.messages, 0).label("messages"),
        )
        .select_from(
            flights.outerjoin(counts, counts.c.flight_id == flights.c.id).outerjoin(
                message_counts, message_counts.c.flight_id == flights.c.id
            )
        )
        .order_by(flights.c.scheduled_departure, flights.c.carrier, flights.c.number)
    )
    return [dict(row._mapping) for row in rows]


def series_status(conn: Connection) -> dict[int, str]:
    """Per flight, the state of its multi-part API series: `3/3`, or `1,3 of 3 (missing 2)`."""
    rows = conn.execute(
        select(
            messages.c.flight_id,
            messages.c.series_key,
            messages.c.part_number,
            messages.c.is_last_part,
        ).where(messages.c.status == "loaded", messages.c.series_key.is_not(None))
    )
    series: dict[tuple[int, str], tuple[set[int], int | None]] = {}
    for flight_id, key, part, is_last in rows:
        parts, final = series.get((flight_id, key), (set(), None))
        parts.add(int(part or 0))
        series[(flight_id, key)] = (parts, int(part or 0) if is_last else final)
    status: dict[int, str] = {}
    for (flight_id, _key), (parts, final) in sorted(series.items()):
        top = final or max(parts)
        missing = sorted(set(range(1, top + 1)) - parts)
        text = f"{len(parts)}/{final}" if final else f"{len(parts)}/? (no final part)"
        if missing:
            text += " (missing " + ",".join(map(str, missing)) + ")"
        status[flight_id] = text if flight_id not in status else status[flight_id] + "; " + text
    return status


def find_flights(conn: Connection, designator: str) -> list[dict[str, Any]]:
    """Flights whose carrier+number or id matches `designator` (e.g. `BA117`, `BA0117`, `42`)."""
    query = select(flights)
    if designator.isdigit():
        query = query.where(flights.c.id == int(designator))
    else:
        cleaned = designator.upper().replace(" ", "")
        carrier, number = cleaned[:2], cleaned[2:].lstrip("0")
        query = query.where(flights.c.carrier == carrier, flights.c.number == number)
    return [dict(row._mapping) for row in conn.execute(query.order_by(flights.c.id))]


def counts(conn: Connection) -> dict[str, int]:
    return {
        "flights": int(conn.execute(select(func.count()).select_from(flights)).scalar_one()),
        "travellers": int(conn.execute(select(func.count()).select_from(travellers)).scalar_one()),
        "documents": int(
            conn.execute(select(func.count()).select_from(travel_documents)).scalar_one()
        ),
    }


CREW_ROLES = ("crew", "in_transit_crew")


def refresh_counts(conn: Connection, flight_id: int) -> None:
    """Recount who is loaded for a flight (one flight's rows, through its index)."""
    crew = case((travellers.c.role.in_(CREW_ROLES), 1), else_=0)
    row = conn.execute(
        select(
            func.count(),
            func.coalesce(func.sum(crew), 0),
            func.coalesce(func.sum(case((travellers.c.api_key.is_not(None), 1), else_=0)), 0),
            func.coalesce(func.sum(case((travellers.c.pnr_key.is_not(None), 1), else_=0)), 0),
        ).where(travellers.c.flight_id == flight_id)
    ).one()
    conn.execute(
        flights.update()
        .where(flights.c.id == flight_id)
        .values(
            loaded_passengers=int(row[0]) - int(row[1]),
            loaded_crew=int(row[1]),
            with_api=int(row[2]),
            with_pnr=int(row[3]),
        )
    )
