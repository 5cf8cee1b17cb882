"""The delivery report: per carrier and flight, which pushes arrived and when, against what
is expected (`firstline/ingest/delivery.py`), and each carrier's compliance."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from firstline.cases.access import Actor, Permission
from firstline.ingest.delivery import (
    EXPECTED,
    Arrival,
    PushStatus,
    assess,
    compliance,
    document_code,
)
from firstline.services.access import require
from firstline.store import Store
from firstline.store.repos import delivery as repo

Row = dict[str, Any]


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    """A stored UTC time as a naive local time, comparable with schedules."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone).replace(tzinfo=None)


def report(
    store: Store,
    actor: Actor,
    *,
    start: date,
    end: date,
    now: datetime,
    timezone: str,
    carrier: str = "",
) -> Row:
    """Flights departing between `start` and `end` with the state of each expected push,
    and per carrier the share of flights with each push on time.

    Schedules are local times without a zone; arrival times are converted to the unit's
    zone (`timezone`), exact for flights leaving the unit's airports and off by the zone
    difference for others. `now` is naive local time.
    """
    require(actor, Permission.VIEW_DELIVERY)
    zone = ZoneInfo(timezone)
    with store.connect() as conn:
        flights = [
            f
            for f in repo.flights_departing(conn, start=start, end=end, carrier=carrier or None)
            if f["scheduled_departure"] is not None
        ]
        found = repo.arrivals(conn, [int(f["id"]) for f in flights])
        carriers = repo.carriers(conn)
    by_flight: dict[int, list[Arrival]] = defaultdict(list)
    for row in found:
        head = row["head"]
        by_flight[int(row["flight_id"])].append(
            Arrival(
                row["message_type"],
                document_code(bytes(head) if head is not None else None),
                _local(row["received_at"], zone),
            )
        )
    per_carrier: dict[str, list[list[PushStatus]]] = defaultdict(list)
    for flight in flights:
        statuses = assess(flight["scheduled_departure"], by_flight[int(flight["id"])], now)
        per_carrier[flight["carrier"] or "?"].append(statuses)
        flight["pushes"] = [_push(s) for s in statuses]
    return {
        "expected": [{"kind": e.kind, "label": e.label} for e in EXPECTED],
        "flights": flights,
        "carriers": {c: compliance(rows) for c, rows in sorted(per_carrier.items())},
        "known_carriers": carriers,
    }


def _push(status: PushStatus) -> Row:
    delay = status.delay
    return {
        "kind": status.expected.kind,
        "label": status.expected.label,
        "status": status.status,
        "due": status.due,
        "arrived_at": status.arrived_at,
        "count": status.count,
        "delay_minutes": None if delay is None else int(delay.total_seconds() // 60),
    }
