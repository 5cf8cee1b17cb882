"""Which pushes a carrier owes for a flight, and whether they came on time (pure logic)."""

from __future__ import annotations

from datetime import datetime, timedelta

from firstline.ingest.delivery import (
    EXPECTED,
    LATE,
    MISSING,
    ON_TIME,
    PENDING,
    Arrival,
    PushStatus,
    assess,
    compliance,
    document_code,
    family_of,
)

DEPARTURE = datetime(2026, 12, 10, 12, 0)
H = timedelta(hours=1)


def pnr(hours_before: float) -> Arrival:
    return Arrival("PNRGOV", None, DEPARTURE - timedelta(hours=hours_before))


def api(code: str, hours_before: float) -> Arrival:
    return Arrival("PAXLST", code, DEPARTURE - timedelta(hours=hours_before))


def by_kind(statuses: list[PushStatus]) -> dict[str, str]:
    return {s.expected.kind: s.status for s in statuses}


def test_a_carrier_that_sends_everything_on_time() -> None:
    arrivals = [pnr(72), pnr(24.5), pnr(2), pnr(-0.25), api("745", 1.2), api("250", 1.5)]
    arrivals.append(api("266", -0.5))
    found = assess(DEPARTURE, arrivals, now=DEPARTURE + 3 * H)
    assert set(by_kind(found).values()) == {ON_TIME}
    assert [s.expected.kind for s in found] == [e.kind for e in EXPECTED]


def test_late_missing_and_pending() -> None:
    # T-72h never came, T-24h came 3 hours after its due time, no API yet, an hour to go.
    now = DEPARTURE - H
    found = assess(DEPARTURE, [pnr(21)], now=now)
    states = by_kind(found)
    assert states["pnr_72h"] == MISSING
    assert states["pnr_24h"] == LATE
    assert states["pnr_2h"] == MISSING  # due at T-2h, half an hour's tolerance is over
    assert states["pnr_close_out"] == PENDING
    assert states["api"] == PENDING  # due at T-1h, tolerance not yet over
    late = next(s for s in found if s.expected.kind == "pnr_24h")
    assert late.delay == 3 * H and late.arrived_at == DEPARTURE - 21 * H


def test_a_pnr_push_counts_for_the_nearest_expected_push() -> None:
    found = by_kind(assess(DEPARTURE, [pnr(71)], now=DEPARTURE + 5 * H))
    assert (found["pnr_72h"], found["pnr_24h"]) == (ON_TIME, MISSING)
    # 60 h before departure is nearer T-72h than T-24h: a late T-72h push.
    found = by_kind(assess(DEPARTURE, [pnr(60)], now=DEPARTURE + 5 * H))
    assert (found["pnr_72h"], found["pnr_24h"]) == (LATE, MISSING)
    found = by_kind(assess(DEPARTURE, [pnr(40)], now=DEPARTURE + 5 * H))
    # 40 h: nearer T-24h, so early for it (on time) and T-72h is missing.
    assert (found["pnr_72h"], found["pnr_24h"]) == (MISSING, ON_TIME)


def test_api_messages_say_what_they_are() -> None:
    assert family_of(api("745", 1)) == "api"
    assert family_of(api("250", 1)) == family_of(api("336", 1)) == "crew"
    assert family_of(api("266", 1)) == "api_close_out"
    assert family_of(Arrival("CUSRES", None, DEPARTURE)) is None
    found = assess(DEPARTURE, [api("745", 0.6), api("745", 0.1)], now=DEPARTURE + 4 * H)
    first = next(s for s in found if s.expected.kind == "api")
    assert (first.status, first.count) == (ON_TIME, 2)  # 24 min after check-in close
    assert by_kind(found)["api_close_out"] == MISSING


def test_document_code_from_the_first_bytes() -> None:
    assert document_code(b"UNA:+.? 'UNB+UNOA:4+X+Y'UNH+1+PAXLST:D:05B:UN:IATA'BGM+266+CLOB'") == (
        "266"
    )
    assert document_code(b"UNB\x1fUNOA\x1dBGM\x1d745\x1c") == "745"
    assert document_code(b"<IATA_PNRGOV_NotifRQ/>") is None
    assert document_code(None) is None


def test_compliance_counts_only_what_was_due() -> None:
    now = DEPARTURE + 5 * H
    flights = [
        assess(DEPARTURE, [pnr(72), pnr(24)], now=now),
        assess(DEPARTURE, [pnr(20)], now=now),
        assess(DEPARTURE + 100 * H, [], now=now),  # nothing due yet
    ]
    summary = compliance(flights)
    assert summary["pnr_72h"] == {ON_TIME: 1, LATE: 0, MISSING: 1, "due": 2, "on_time_pct": 50.0}
    assert summary["pnr_24h"][LATE] == 1 and summary["pnr_24h"]["on_time_pct"] == 50.0
