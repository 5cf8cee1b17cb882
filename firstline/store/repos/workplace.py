"""Reads behind the analyst's pages: the flights board, a flight's manifest, a traveller.

Each read is bounded by what one page shows (a time window, one flight, one traveller), so
that the pages stay fast with millions of travellers stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, and_, func, or_, select

from firstline.store.tables import (
    booking_contacts,
    bookings,
    flights,
    hits,
    messages,
    payments,
    travel_documents,
    travellers,
)

CREW = ("crew", "in_transit_crew")


def board(
    conn: Connection,
    *,
    start: datetime,
    end: datetime,
    airports: Sequence[str] = (),
    carrier: str | None = None,
    direction: str | None = None,
    limit: int = 500,
) -> list[dict[str, Any]]:
    """Flights arriving or departing between `start` and `end` (schedule times, naive)."""
    arriving = flights.c.scheduled_arrival.between(start, end)
    departing = flights.c.scheduled_departure.between(start, end)
    if airports and direction == "arrivals":
        window = and_(arriving, flights.c.destination.in_(list(airports)))
    elif airports and direction == "departures":
        window = and_(departing, flights.c.origin.in_(list(airports)))
    elif direction == "arrivals":
        window = arriving
    elif direction == "departures":
        window = departing
    else:
        window = or_(arriving, departing)
    query = select(flights).where(window)
    if carrier:
        query = query.where(flights.c.carrier == carrier.upper())
    rows = [
        dict(r)
        for r in conn.execute(
            query.order_by(
                func.coalesce(flights.c.scheduled_arrival, flights.c.scheduled_departure),
                flights.c.id,
            ).limit(limit)
        ).mappings()
    ]
    found = _hit_counts(conn, [int(r["id"]) for r in rows])
    for row in rows:
        # Kept per flight by ingest (flights.loaded_*, with_*): no count over travellers here.
        row["passengers"] = row["loaded_passengers"]
        row["crew"] = row["loaded_crew"]
        row["api"] = row["with_api"]
        row["pnr"] = row["with_pnr"]
        row["hits"] = found.get(int(row["id"]), {})
    return rows


def _hit_counts(conn: Connection, flight_ids: list[int]) -> dict[int, dict[str, int]]:
    """Open hits per flight and severity (closed ones no longer need anyone)."""
    out: dict[int, dict[str, int]] = {}
    if not flight_ids:
        return out
    for start in range(0, len(flight_ids), 500):
        rows = conn.execute(
            select(hits.c.flight_id, hits.c.severity, func.count())
            .where(
                hits.c.flight_id.in_(flight_ids[start : start + 500]),
                hits.c.current.is_(True),
                hits.c.status != "shadow",
                hits.c.review_state != "closed",
            )
            .group_by(hits.c.flight_id, hits.c.severity)
        )
        for flight_id, severity, n in rows:
            out.setdefault(int(flight_id), {})[severity] = int(n)
    return out


def flight(conn: Connection, flight_id: int) -> RowMapping | None:
    return conn.execute(select(flights).where(flights.c.id == flight_id)).mappings().first()


def manifest(conn: Connection, flight_id: int) -> list[dict[str, Any]]:
    """The flight's travellers with their first document, booking locator and open hits."""
    rows = [
        dict(r)
        for r in conn.execute(
            select(
                travellers.c.id,
                travellers.c.role,
                travellers.c.surname,
                travellers.c.given_names,
                travellers.c.gender,
                travellers.c.date_of_birth,
                travellers.c.nationality,
                travellers.c.seat,
                travellers.c.checked_bags,
                travellers.c.sources,
                travellers.c.api_key,
                travellers.c.pnr_key,
                travellers.c.boarded_message_id,
                bookings.c.record_locator,
            )
            .outerjoin(bookings, bookings.c.id == travellers.c.booking_id)
            .where(travellers.c.flight_id == flight_id)
            .order_by(travellers.c.role, travellers.c.surname, travellers.c.given_names)
        ).mappings()
    ]
    ids = [int(r["id"]) for r in rows]
    documents = first_documents(conn, ids)
    severities: dict[int, list[str]] = {}
    for traveller_id, severity in conn.execute(
        select(hits.c.traveller_id, hits.c.severity).where(
            hits.c.flight_id == flight_id,
            hits.c.current.is_(True),
            hits.c.status != "shadow",
        )
    ):
        severities.setdefault(int(traveller_id), []).append(str(severity))
    for row in rows:
        row["document"] = documents.get(int(row["id"]))
        row["hit_severities"] = severities.get(int(row["id"]), [])
    return rows


def first_documents(conn: Connection, traveller_ids: list[int]) -> dict[int, dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    for start in range(0, len(traveller_ids), 900):
        for r in conn.execute(
            select(travel_documents)
            .where(travel_documents.c.traveller_id.in_(traveller_ids[start : start + 900]))
            .order_by(travel_documents.c.traveller_id, travel_documents.c.sequence)
        ).mappings():
            out.setdefault(int(r["traveller_id"]), dict(r))
    return out


def traveller(conn: Connection, traveller_id: int) -> RowMapping | None:
    return (
        conn.execute(select(travellers).where(travellers.c.id == traveller_id)).mappings().first()
    )


def documents(conn: Connection, traveller_id: int) -> list[RowMapping]:
    return list(
        conn.execute(
            select(travel_documents)
            .where(travel_documents.c.traveller_id == traveller_id)
            .order_by(travel_documents.c.sequence)
        ).mappings()
    )


def message_summaries(conn: Connection, message_ids: set[int]) -> dict[int, RowMapping]:
    """Where facts came from: each message's type, source and time (not its bytes)."""
    if not message_ids:
        return {}
    rows = conn.execute(
        select(
            messages.c.id,
            messages.c.message_type,
            messages.c.format,
            messages.c.source,
            messages.c.received_at,
        ).where(messages.c.id.in_(sorted(message_ids)))
    ).mappings()
    return {int(r["id"]): r for r in rows}


def booking(conn: Connection, booking_id: int) -> dict[str, Any] | None:
    row = conn.execute(select(bookings).where(bookings.c.id == booking_id)).mappings().first()
    if row is None:
        return None
    out = dict(row)
    out["contacts"] = [
        dict(r)
        for r in conn.execute(
            select(
                booking_contacts.c.kind,
                booking_contacts.c.value,
                booking_contacts.c.traveller_ref,
            ).where(booking_contacts.c.booking_id == booking_id)
        ).mappings()
    ]
    out["payments"] = [
        dict(r)
        for r in conn.execute(
            select(
                payments.c.type,
                payments.c.card_vendor,
                payments.c.card_last_four,
                payments.c.amount,
                payments.c.currency,
            ).where(payments.c.booking_id == booking_id)
        ).mappings()
    ]
    return out


def co_travellers(conn: Connection, booking_id: int, traveller_id: int) -> list[RowMapping]:
    """Others on the same booking, on any of its flights."""
    return list(
        conn.execute(
            select(
                travellers.c.id,
                travellers.c.surname,
                travellers.c.given_names,
                travellers.c.date_of_birth,
                travellers.c.flight_id,
                flights.c.flight_key,
            )
            .join(flights, flights.c.id == travellers.c.flight_id)
            .where(travellers.c.booking_id == booking_id, travellers.c.id != traveller_id)
            .order_by(flights.c.departure_date, travellers.c.surname)
        ).mappings()
    )


def find_travellers(
    conn: Connection,
    *,
    surname: str | None = None,
    document: str | None = None,
    locator: str | None = None,
    limit: int = 100,
) -> list[RowMapping]:
    """Travellers by surname (prefix), document number or booking locator."""
    query = (
        select(
            travellers.c.id,
            travellers.c.surname,
            travellers.c.given_names,
            travellers.c.date_of_birth,
            travellers.c.nationality,
            travellers.c.role,
            flights.c.id.label("flight_id"),
            flights.c.flight_key,
            flights.c.destination,
            flights.c.scheduled_arrival,
        )
        .join(flights, flights.c.id == travellers.c.flight_id)
        .order_by(flights.c.departure_date.desc(), travellers.c.surname)
        .limit(limit)
    )
    if surname:
        query = query.where(travellers.c.surname.like(surname.upper() + "%"))
    if document:
        query = query.where(
            travellers.c.id.in_(
                select(travel_documents.c.traveller_id).where(
                    travel_documents.c.number == document.upper()
                )
            )
        )
    if locator:
        query = query.where(
            travellers.c.booking_id.in_(
                select(bookings.c.id).where(bookings.c.record_locator == locator.upper())
            )
        )
    return list(conn.execute(query).mappings())
