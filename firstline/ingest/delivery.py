"""Message delivery: which pushes a carrier owes for a flight, and whether they came on time.

A carrier sends PNR data at about 72, 24 and 2 hours before departure and a close-out after
it; API data (the passenger list) when check-in closes and a close-out after departure; and
a crew list. Each expected push has a due time relative to the scheduled departure and a
tolerance:

- **on time**: a push of its kind arrived no later than due + tolerance;
- **late**: the first one arrived after due + tolerance;
- **missing**: due + tolerance has passed and nothing arrived;
- **pending**: nothing yet, and it is not due yet.

PNR pushes are not labelled by the carrier: each is counted for the expected PNR push whose
due time is nearest to its arrival. API messages say what they are (`BGM`): a crew list
(250, 336), a close-out (266), otherwise a passenger list. Pure logic: no SQL, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

ON_TIME, LATE, MISSING, PENDING = "on_time", "late", "missing", "pending"
CREW_CODES = frozenset({"250", "336"})
CLOSE_OUT_CODE = "266"
PNR, API, CLOSE_OUT, CREW = "pnr", "api", "api_close_out", "crew"


@dataclass(frozen=True, slots=True)
class Expected:
    """One push a carrier owes for each flight."""

    kind: str  # pnr_72h, pnr_24h, pnr_2h, pnr_close_out, api, api_close_out, crew
    label: str
    family: str  # pnr, api, api_close_out, crew: which arrivals may fill it
    offset: timedelta  # due time relative to scheduled departure
    tolerance: timedelta


_H = timedelta(hours=1)
EXPECTED: tuple[Expected, ...] = (
    Expected("pnr_72h", "PNR T-72h", PNR, -72 * _H, 2 * _H),
    Expected("pnr_24h", "PNR T-24h", PNR, -24 * _H, 2 * _H),
    Expected("pnr_2h", "PNR T-2h", PNR, -2 * _H, _H / 2),
    Expected("pnr_close_out", "PNR close-out", PNR, _H / 2, _H),
    Expected("api", "API at check-in close", API, -_H, _H / 2),
    Expected("api_close_out", "API close-out", CLOSE_OUT, _H / 2, _H),
    Expected("crew", "crew list", CREW, -_H, _H),
)


@dataclass(frozen=True, slots=True)
class Arrival:
    """A delivery that loaded for a flight."""

    message_type: str | None  # PAXLST, PNRGOV
    document_code: str | None  # BGM code of a PAXLST
    received_at: datetime


@dataclass(frozen=True, slots=True)
class PushStatus:
    expected: Expected
    due: datetime
    status: str
    arrived_at: datetime | None = None
    count: int = 0  # arrivals counted for this push

    @property
    def delay(self) -> timedelta | None:
        return None if self.arrived_at is None else self.arrived_at - self.due


def family_of(arrival: Arrival) -> str | None:
    """Which kind of push an arrival is, or None for messages no one owes (CUSRES ...)."""
    if arrival.message_type == "PNRGOV":
        return PNR
    if arrival.message_type != "PAXLST":
        return None
    if arrival.document_code in CREW_CODES:
        return CREW
    return CLOSE_OUT if arrival.document_code == CLOSE_OUT_CODE else API


_BGM = re.compile(rb"BGM([+\x1d|])(\d{1,3})")


def document_code(head: bytes | None) -> str | None:
    """The PAXLST document code (`BGM+745`) from the first bytes of a message; None when
    there is no BGM (PNRGOV, XML) in them."""
    found = _BGM.search(head or b"")
    return found.group(2).decode("ascii") if found else None


def assess(
    departure: datetime,
    arrivals: Iterable[Arrival],
    now: datetime,
    expected: Sequence[Expected] = EXPECTED,
) -> list[PushStatus]:
    """Each expected push of a flight departing at `departure`, in the order of `expected`.

    `departure`, the arrival times and `now` must be comparable (all naive or all aware, in
    the same zone).
    """
    slots: dict[str, list[datetime]] = {e.kind: [] for e in expected}
    for arrival in arrivals:
        family = family_of(arrival)
        candidates = [e for e in expected if e.family == family]
        if candidates:
            nearest = min(
                candidates, key=lambda e: abs(arrival.received_at - (departure + e.offset))
            )
            slots[nearest.kind].append(arrival.received_at)
    return [_status(e, departure + e.offset, sorted(slots[e.kind]), now) for e in expected]


def _status(expected: Expected, due: datetime, times: list[datetime], now: datetime) -> PushStatus:
    if times:
        state = ON_TIME if times[0] <= due + expected.tolerance else LATE
        return PushStatus(expected, due, state, times[0], len(times))
    return PushStatus(expected, due, MISSING if now > due + expected.tolerance else PENDING)


def compliance(flights: Iterable[Sequence[PushStatus]]) -> dict[str, dict[str, int | float]]:
    """Per expected push: flights for which it was due, on time, late, missing, and the
    share on time (of those due or arrived; pending ones are not counted)."""
    out: dict[str, dict[str, int | float]] = {}
    for statuses in flights:
        for s in statuses:
            row = out.setdefault(s.expected.kind, {ON_TIME: 0, LATE: 0, MISSING: 0, "due": 0})
            if s.status != PENDING:
                row[s.status] += 1
                row["due"] += 1
    for row in out.values():
        row["on_time_pct"] = round(100 * row[ON_TIME] / row["due"], 1) if row["due"] else 0.0
    return out
