"""Rule facts read from a real store (SQLite and PostgreSQL) loaded with a generated day."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, insert

from firstline.generate import NO_DEVIATIONS, DayPlan, write_day
from firstline.rules.fields import FIELDS
from firstline.services.ingest import ingest_paths
from firstline.store import open_store
from firstline.store.repos.rule_facts import facts_for_flights, facts_for_travellers, iter_facts
from firstline.store.tables import hits, travel_documents

DAY = date(2030, 5, 1)
PLAN = DayPlan(
    day=DAY, airports=("FRA",), flights=12, seed=7, passengers=(5, 25), deviations=NO_DEVIATIONS
)
KEYS = {f.name for f in FIELDS} | {"_traveller_id", "_flight_id", "_booking_id"}


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("day")
    write_day(PLAN, out)
    return out


@pytest.fixture
def conn(database_url: str, day: Path) -> Iterator[Connection]:
    store = open_store(database_url)
    try:
        ingest_paths(store, [day], today=DAY)
        with store.connect() as connection:
            yield connection
    finally:
        store.dispose()


def _key(day: Path) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(
        (day / "_answers" / "answer_key.json").read_text("utf-8")
    )
    return data


def _find(facts: list[dict[str, object]], entry: dict[str, Any]) -> dict[str, object]:
    flight, person = entry["flight"], entry["traveller"]
    found = [
        f
        for f in facts
        if f["flight.carrier"] == flight["carrier"]
        and f["flight.number"] == str(flight["number"])
        and f["flight.departure_date"] == date.fromisoformat(flight["date"])
        and f["traveller.surname"] == person["surname"]
        and f["traveller.given_names"] == person["given_names"]
    ]
    assert len(found) == 1, entry["scenario_id"]
    return found[0]


def test_every_traveller_has_exactly_the_catalogue(conn: Connection) -> None:
    facts = list(iter_facts(conn))
    assert facts
    for fact in facts:
        assert set(fact) == KEYS
        for name in ("itinerary.airports", "payment.forms", "traveller.sources"):
            value = fact[name]
            assert value is None or (isinstance(value, tuple) and all(v.isupper() for v in value))
        assert fact["flight.departure_date"] == DAY
    ids = [int(str(f["_traveller_id"])) for f in facts]
    assert len(ids) == len(set(ids))
    # The other entry points agree with the back-test iterator.
    flight_ids = sorted({int(str(f["_flight_id"])) for f in facts})
    assert facts_for_flights(conn, flight_ids) == facts
    some = ids[5:9][::-1] + [10**9]
    assert [f["_traveller_id"] for f in facts_for_travellers(conn, some)] == some[:-1]
    assert list(iter_facts(conn, departure_from=DAY.replace(day=2))) == []
    assert list(iter_facts(conn, departure_to=DAY, batch_flights=5)) == facts


def test_planted_profiles(conn: Connection, day: Path) -> None:
    facts = list(iter_facts(conn))
    planted: dict[str, list[dict[str, object]]] = {}
    for entry in _key(day):
        fact = _find(facts, entry)
        planted.setdefault(entry["type"], []).append(fact)
        if entry["type"] == "cash_courier":
            assert fact["payment.cash"] is True
            assert fact["itinerary.one_way"] is True
            booked_hours = fact["booking.hours_before_departure"]
            assert isinstance(booked_hours, int) and 0 <= booked_hours < 48
            assert fact["itinerary.transit"] is True  # via the hub
        if entry["type"] == "trafficking":
            unrelated = fact["booking.unrelated_minors"]
            assert isinstance(unrelated, int) and unrelated >= 2
            assert fact["booking.adults"] == 1
            assert fact["payment.third_party"] is True
        if entry["type"] == "broken_travel":
            assert fact["itinerary.broken_travel"] is True
    assert {"cash_courier", "trafficking", "broken_travel"} <= set(planted)

    # How many ordinary travellers look the same (reported, not asserted: it is the noise
    # a rule built on these facts would raise).
    # Ordinary: not on any planted booking (a trafficking booking's minors are planted too).
    booked = {f["_booking_id"] for found in planted.values() for f in found}
    ordinary = [f for f in facts if f["_booking_id"] is None or f["_booking_id"] not in booked]

    def hours(f: dict[str, object]) -> int:
        value = f["booking.hours_before_departure"]
        return value if isinstance(value, int) else 10**6

    def count(f: dict[str, object], name: str) -> int:
        value = f[name]
        return value if isinstance(value, int) else 0

    shares = {
        "cash_courier": sum(
            1
            for f in ordinary
            if f["payment.cash"] is True and f["itinerary.one_way"] is True and hours(f) < 48
        ),
        "trafficking": sum(
            1
            for f in ordinary
            if count(f, "booking.unrelated_minors") >= 2
            and f["booking.adults"] == 1
            and f["payment.third_party"] is True
        ),
        "broken_travel": sum(1 for f in ordinary if f["itinerary.broken_travel"] is True),
    }
    print(f"ordinary travellers {len(ordinary)} sharing the planted values: {shares}")


def test_history_counts_earlier_trips_and_their_hits(conn: Connection) -> None:
    facts = list(iter_facts(conn))
    repeat = next(f for f in facts if f["history.previous_trips"] == 1)
    # The earlier trip: the same document on another flight departing earlier.
    earlier = next(
        f
        for f in facts
        if f["document.number"] == repeat["document.number"]
        and f["_traveller_id"] != repeat["_traveller_id"]
    )
    assert earlier["history.previous_trips"] == 0
    now = datetime.now(UTC)
    row = {
        "traveller_id": earlier["_traveller_id"],
        "flight_id": earlier["_flight_id"],
        "source": "rule",
        "title": "test",
        "category": "test",
        "severity": "low",
        "score": 1.0,
        "explanation": {},
        "status": "open",
        "first_seen_at": now,
        "updated_at": now,
    }
    conn.execute(insert(hits), [{**row, "source_key": "rule:a", "current": True}])
    conn.execute(insert(hits), [{**row, "source_key": "rule:b", "current": False}])
    again = facts_for_travellers(conn, [int(str(repeat["_traveller_id"]))])[0]
    assert (again["history.previous_trips"], again["history.previous_hits"]) == (1, 1)
    # Hits on the later trip do not count for the earlier one.
    before = facts_for_travellers(conn, [int(str(earlier["_traveller_id"]))])[0]
    assert before["history.previous_hits"] == 0


def test_history_matches_on_name_and_birth_date(conn: Connection) -> None:
    facts = list(iter_facts(conn))
    repeat = next(f for f in facts if f["history.previous_trips"] == 1)
    # Without the shared document the person is still found by name and birth date.
    earlier_ids = [
        f["_traveller_id"]
        for f in facts
        if f["document.number"] == repeat["document.number"] and f is not repeat
    ]
    conn.execute(
        travel_documents.update()
        .where(travel_documents.c.traveller_id.in_(earlier_ids))
        .values(number="CHANGED1")
    )
    again = facts_for_travellers(conn, [int(str(repeat["_traveller_id"]))])[0]
    assert again["history.previous_trips"] == 1
