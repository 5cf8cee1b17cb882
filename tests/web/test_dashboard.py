"""The dashboard: SVG charts with their tables, the same numbers as JSON, CSV exports per
statistic (audited, supervisors only), on both backends.

The expected numbers are counted here from the raw rows (timestamps bucketed in Python), not
through the repository's SQL grouping, so the two ways of counting check each other.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, select
from webkit import Officer, World

from firstline.cases.access import Actor
from firstline.services import statistics
from firstline.store.tables import audit_events, flights, hit_decisions, hits, lookouts, messages
from firstline.store.tables import screenings as screenings_table

SVG = re.compile(r"<svg\b.*?</svg>", re.S)
_rules = itertools.count(1)


def _window(zone: str = "UTC") -> tuple[date, date, datetime, datetime]:
    today = datetime.now(ZoneInfo(zone)).date()
    start, end = today - timedelta(days=7), today + timedelta(days=3)
    first = datetime.combine(start, datetime.min.time(), ZoneInfo(zone)).astimezone(UTC)
    after = datetime.combine(end + timedelta(days=1), datetime.min.time(), ZoneInfo(zone))
    return start, end, first, after.astimezone(UTC)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _inside(value: datetime | None, first: datetime, after: datetime) -> bool:
    return value is not None and first <= _utc(value) < after


def _expected(world: World, zone: str = "UTC") -> dict[str, Any]:
    """Every statistic counted from raw rows."""
    _, _, first, after = _window(zone)

    def day(value: datetime) -> str:
        return _utc(value).astimezone(ZoneInfo(zone)).date().isoformat()

    with world.store.connect() as conn:
        sent = conn.execute(
            select(messages.c.received_at, messages.c.status, flights.c.carrier).select_from(
                messages.outerjoin(flights, flights.c.id == messages.c.flight_id)
            )
        ).all()
        screened = conn.execute(select(screenings_table.c.screened_at)).scalars().all()
        raised = conn.execute(
            select(hits.c.first_seen_at, hits.c.category, hits.c.status, hits.c.source)
        ).all()
        decided = conn.execute(
            select(hit_decisions.c.at, hit_decisions.c.disposition, hit_decisions.c.to_state)
        ).all()
        found = conn.execute(select(lookouts.c.outcome_at, lookouts.c.outcome)).all()
    return {
        "messages": Counter(
            r.carrier or "" for r in sent
            if r.status != "duplicate" and _inside(r.received_at, first, after)
        ),
        "screened": Counter(day(t) for t in screened if _inside(t, first, after)),
        "categories": Counter(
            r.category for r in raised
            if r.status != "shadow" and _inside(r.first_seen_at, first, after)
        ),
        "dispositions": Counter(
            (day(r.at), r.disposition) for r in decided
            if r.to_state == "closed" and r.disposition and _inside(r.at, first, after)
        ),
        "outcomes": Counter(
            (day(r.outcome_at), r.outcome) for r in found
            if r.outcome and _inside(r.outcome_at, first, after)
        ),
    }  # fmt: skip


def _close_and_find(world: World, officers: dict[str, Officer]) -> None:
    """A fresh flight: one hit confirmed (then met at the port), one a false positive."""
    flight = world.flight(medium=2)
    supervisor = officers["supervisor"]
    for hit_id, disposition in zip(flight.medium, ("confirmed", "false_positive"), strict=True):
        body = {"hit_ids": [hit_id], "action": "dispose", "disposition": disposition,
                "reason": "checked the listing"}  # fmt: skip
        assert supervisor.send("POST", "/api/v1/hits/decisions", body).status_code == 200
    lookout = next(
        r for r in supervisor.get("/api/v1/lookout").json() if r["hit_id"] == flight.medium[0]
    )
    url = f"/api/v1/lookout/{lookout['id']}/outcome"
    assert officers["port_officer"].send("POST", url, {"outcome": "seizure"}).status_code == 200


def _stats(officer: Officer, query: str = "") -> dict[str, Any]:
    answer = officer.get(f"/api/v1/dashboard{query}")
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()["statistics"]
    return found


def test_the_page_draws_every_chart_as_svg(world: World, officers: dict[str, Officer]) -> None:
    world.flight(high=1)
    page = officers["analyst"].get("/dashboard")
    assert page.status_code == 200
    assert 'href="/dashboard" class="on"' in page.text
    svgs = SVG.findall(page.text)
    assert len(svgs) == len(statistics.NAMES)
    for svg in svgs:
        root = ET.fromstring(svg)
        assert root.get("role") == "img" and root.get("aria-label")
        assert root.find("{http://www.w3.org/2000/svg}title") is not None
    assert "<script" not in "".join(svgs)
    for name in statistics.NAMES:
        assert f'id="stat-{name}"' in page.text
    assert "/dashboard/export/" not in page.text  # analysts do not export


def test_the_numbers_are_what_the_store_holds(world: World, officers: dict[str, Officer]) -> None:
    _close_and_find(world, officers)
    expected = _expected(world)
    found = _stats(officers["supervisor"])
    start, end, _, _ = _window()

    carriers: Counter[str] = Counter()
    for row in found["messages"]["rows"]:
        carriers[row["carrier"]] += row["messages"]
    assert carriers == expected["messages"] and sum(carriers.values()) > 0

    days = [r["day"] for r in found["screened"]["rows"]]
    assert days[0] == start.isoformat() and days[-1] == end.isoformat() and len(days) == 11
    assert {r["day"]: r["travellers"] for r in found["screened"]["rows"] if r["travellers"]} == (
        dict(expected["screened"])
    )
    categories = {r["category"]: r["hits"] for r in found["hits_by_category"]["rows"]}
    assert categories == dict(expected["categories"])

    dispositions = {
        (r["day"], kind): r[kind]
        for r in found["dispositions"]["rows"]
        for kind in ("confirmed", "false_positive", "inconclusive")
        if r[kind]
    }
    assert dispositions == dict(expected["dispositions"])
    assert sum(n for (_, kind), n in dispositions.items() if kind == "confirmed") >= 1
    outcomes = {
        (r["day"], kind): r[kind]
        for r in found["outcomes"]["rows"]
        for kind in found["outcomes"]["columns"][1:]
        if r[kind]
    }
    assert outcomes == dict(expected["outcomes"]) and outcomes


def test_days_are_the_units_local_days(world: World, officers: dict[str, Officer]) -> None:
    """Grouped by UTC hour in the database, counted by local day: 14 hours ahead of UTC the
    day boundaries move, and the counts move with them."""
    zone = "Pacific/Kiritimati"
    _close_and_find(world, officers)
    actor = Actor(None, "analyst", "analyst", frozenset(world.permissions["analyst"]))
    found = statistics.dashboard(world.store, actor, statistics.period(zone))
    expected = _expected(world, zone)
    screened = {r["day"]: r["travellers"] for r in found["screened"].rows if r["travellers"]}
    assert screened == dict(expected["screened"])
    confirmed = {r["day"]: r["confirmed"] for r in found["dispositions"].rows if r["confirmed"]}
    assert confirmed == {d: n for (d, k), n in expected["dispositions"].items() if k == "confirmed"}


def test_rule_hits_and_precision(world: World, officers: dict[str, Officer]) -> None:
    flight = world.flight(medium=1)
    key = f"dashboard-test-{next(_rules)}"
    now = datetime.now(UTC)
    rows = [
        {"traveller_id": traveller, "flight_id": flight.id, "source": "rule",
         "source_key": f"rule:{key}", "title": "test rule", "category": "drugs",
         "severity": "low", "score": 10.0, "explanation": {}, "status": status,
         "current": True, "first_seen_at": now, "updated_at": now}
        for traveller, status in zip(
            flight.traveller_ids, ("confirmed", "false_positive"), strict=True
        )
    ]  # fmt: skip
    with world.store.begin() as conn:
        conn.execute(insert(hits), rows)
    found = _stats(officers["analyst"])
    by_rule = {r["rule"]: r["hits"] for r in found["hits_by_rule"]["rows"]}
    assert by_rule[key] == 2
    precision = next(r for r in found["rule_precision"]["rows"] if r["rule"] == key)
    assert (precision["confirmed"], precision["false_positive"]) == (1, 1)
    assert precision["precision"] == 0.5


def test_csv_exports_are_audited(world: World, officers: dict[str, Officer]) -> None:
    supervisor = officers["supervisor"]
    start, end, _, _ = _window()
    query = f"?start={start.isoformat()}&end={end.isoformat()}"
    json_rows = _stats(supervisor, query)
    for name in statistics.NAMES:
        answer = supervisor.get(f"/dashboard/export/{name}.csv{query}")
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(answer.text)))
        assert len(rows) == len(json_rows[name]["rows"])
        assert list(rows[0] if rows else json_rows[name]["columns"]) == json_rows[name]["columns"]
        for got, want in zip(rows, json_rows[name]["rows"], strict=True):
            assert got == {k: "" if v is None else str(v) for k, v in want.items()}
        with world.store.connect() as conn:
            event = (
                conn.execute(
                    select(audit_events)
                    .where(audit_events.c.action == "export", audit_events.c.object_id == name)
                    .order_by(audit_events.c.id.desc())
                )
                .mappings()
                .first()
            )
        assert event is not None and event["actor"] == "supervisor"
        assert event["object_type"] == "statistics"
        assert event["detail"]["rows"] == len(rows) and event["detail"]["start"] == str(start)
    assert supervisor.get(f"/dashboard/export/nothing.csv{query}").status_code == 404


@pytest.mark.parametrize("username", ["port_officer", "auditor"])
def test_who_may_not_see_it(officers: dict[str, Officer], username: str) -> None:
    officer = officers[username]
    assert officer.get("/dashboard").status_code == 403
    assert officer.get("/api/v1/dashboard").status_code == 403
    assert 'href="/dashboard"' not in officer.get("/dashboard").text


def test_only_exporters_export(officers: dict[str, Officer]) -> None:
    assert officers["analyst"].get("/dashboard/export/screened.csv").status_code == 403
    assert officers["administrator"].get("/api/v1/dashboard").status_code == 200
    assert officers["administrator"].get("/dashboard/export/screened.csv").status_code == 403


def test_a_period_is_checked(officers: dict[str, Officer]) -> None:
    analyst = officers["analyst"]
    backwards = analyst.get("/api/v1/dashboard?start=2026-05-02&end=2026-05-01")
    assert backwards.status_code == 422
    assert analyst.get("/api/v1/dashboard?start=2025-01-01&end=2026-01-01").status_code == 422
    chosen = analyst.get("/api/v1/dashboard?start=2026-05-01&end=2026-05-03").json()
    assert chosen["period"]["start"] == "2026-05-01"
    assert [r["day"] for r in chosen["statistics"]["screened"]["rows"]] == [
        "2026-05-01", "2026-05-02", "2026-05-03",
    ]  # fmt: skip
