"""What is loaded, for people to look at: flights, their travellers and bookings, quarantine.

Shared by the CLI and (later) the web pages, so both show the same thing the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection

from firstline.cases.risk import combine
from firstline.exc import NotFoundError
from firstline.store import Store
from firstline.store.repos import bookings as booking_repo
from firstline.store.repos import flights as flight_repo
from firstline.store.repos import hits as hit_repo
from firstline.store.repos import messages as message_repo
from firstline.store.repos import travellers as traveller_repo

Row = dict[str, Any]


def flights(store: Store) -> list[Row]:
    """Every flight with traveller counts and the state of its multi-part API series."""
    with store.connect() as conn:
        rows = flight_repo.list_flights(conn)
        series = flight_repo.series_status(conn)
    for row in rows:
        row["api_parts"] = series.get(int(row["id"]))
    return rows


def travellers_of(store: Store, designator: str) -> list[tuple[Row, list[Row]]]:
    """Travellers of every flight matching `designator` (id, `BA117`, `BA0117`)."""
    return _per_flight(store, designator, traveller_repo.list_travellers)


def bookings_of(store: Store, designator: str) -> list[tuple[Row, list[Row]]]:
    """Bookings pushed for every flight matching `designator`."""
    return _per_flight(store, designator, booking_repo.bookings_of_flight)


def _per_flight(
    store: Store, designator: str, fetch: Callable[[Connection, int], list[Row]]
) -> list[tuple[Row, list[Row]]]:
    with store.connect() as conn:
        found = flight_repo.find_flights(conn, designator)
        if not found:
            raise NotFoundError(f"no flight matches {designator!r}; see firstline flights")
        return [(flight, fetch(conn, int(flight["id"]))) for flight in found]


def quarantined(store: Store, *, limit: int) -> list[Row]:
    with store.connect() as conn:
        return message_repo.quarantined(conn, limit=limit)


def quarantined_message(store: Store, message_id: int) -> Row:
    with store.connect() as conn:
        found = message_repo.quarantined(conn, limit=1, message_id=message_id)
    if not found:
        raise NotFoundError(f"no quarantined message {message_id}; see firstline quarantine")
    return found[0]


def message_counts(store: Store) -> dict[str, int]:
    with store.connect() as conn:
        return message_repo.counts_by_status(conn)


def hits(
    store: Store,
    *,
    flight_id: int | None = None,
    status: str | None = None,
    limit: int | None = None,
) -> list[Row]:
    """Current hits, highest score first, with the traveller's name and the flight."""
    with store.connect() as conn:
        return [
            dict(r)
            for r in hit_repo.list_hits(conn, flight_id=flight_id, status=status, limit=limit)
        ]


def hit_counts(store: Store) -> dict[tuple[str, str], int]:
    """Current hits by (source, category)."""
    with store.connect() as conn:
        return hit_repo.counts_by_category(conn)


def risk(store: Store, *, flight_id: int | None = None, limit: int | None = None) -> list[Row]:
    """Travellers by total risk (watchlist and rule hits combined), highest first."""
    rows = hits(store, flight_id=flight_id)
    totals = combine(rows)
    people = {r["traveller_id"]: r for r in rows}
    ranked = sorted(totals.values(), key=lambda r: (-r.score, r.traveller_id))[:limit]
    return [
        {
            "traveller_id": r.traveller_id,
            "flight": people[r.traveller_id]["flight_key"],
            "surname": people[r.traveller_id]["surname"],
            "given_names": people[r.traveller_id]["given_names"],
            "score": r.score,
            "hits": [
                {
                    "hit_id": c.hit_id,
                    "source": c.source,
                    "title": c.title,
                    "weight": round(c.weight, 3),
                }
                for c in r.contributions
            ],
        }
        for r in ranked
    ]
