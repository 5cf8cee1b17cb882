"""Risk rules on real SQLite and PostgreSQL databases: packs, versions, evaluation, statistics.

The traffic is a generated synthetic day (tomorrow, so every rule of the example pack is in
force) with its planted scenarios; the packs written here use invented values only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select, update

from firstline.generate.day import DayPlan, write_day
from firstline.services import overview, scenarios
from firstline.services import rules as rule_service
from firstline.services.ingest import IngestSummary, Outcome, ingest_paths
from firstline.services.rules import (
    EXAMPLE_PACK,
    EvaluationSummary,
    Evaluator,
    RuleValidationError,
)
from firstline.store import Store, open_store
from firstline.store.repos import hits as hit_repo
from firstline.store.repos import rules as repo
from firstline.store.tables import flights, hits, lookup_lists, rule_versions, rules, travellers

EXAMPLE_KEYS = [
    "cash-courier-profile",
    "adult-with-unrelated-minors",
    "broken-travel",
    "cocaine-courier-route",
    "document-expired-at-travel",
    "group-paid-cash-shadow",
]
EXAMPLE_LOOKUPS = ["hub_airports", "cocaine_source_countries", "cocaine_source_airports"]
# Planted scenario type -> the example rule that must find it.
RULE_FOR_SCENARIO = {
    "cash_courier": "cash-courier-profile",
    "trafficking": "adult-with-unrelated-minors",
    "broken_travel": "broken-travel",
}
RUNNING = frozenset({"screening", "risk rules"})


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = open_store(database_url)
    yield opened
    opened.dispose()


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """8 flights tomorrow, with every scenario type planted (under 50 flights: once each)."""
    out = tmp_path_factory.mktemp("day")
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    summary = write_day(DayPlan(day=tomorrow, flights=8, seed=11, passengers=(20, 40)), out)
    assert summary.planted > 0
    planted = {s["type"] for s in _key(out)}
    assert set(RULE_FOR_SCENARIO) <= planted, planted
    return out


def _key(day: Path) -> list[dict[str, Any]]:
    return list(json.loads((day / "_answers" / "answer_key.json").read_text(encoding="utf-8")))


def _example() -> str:
    return EXAMPLE_PACK.read_text(encoding="utf-8")


def _ingest(store: Store, day: Path) -> tuple[IngestSummary, list[EvaluationSummary]]:
    """Ingest the day, evaluating the rules on what each delivery touched (as `ingest` does)."""
    evaluator = Evaluator(store)
    summaries: list[EvaluationSummary] = []

    def evaluate(outcome: Outcome) -> None:
        summaries.append(evaluator.evaluate_flights(outcome.flight_ids))

    ingested = ingest_paths(store, [day], on_loaded=evaluate)
    assert ingested.loaded > 0 and len(summaries) == ingested.loaded
    return ingested, summaries


def _all_hits(store: Store) -> list[dict[str, Any]]:
    with store.connect() as conn:
        return [dict(r) for r in conn.execute(select(hits).order_by(hits.c.id)).mappings()]


def _rule_hits(store: Store, key: str, *, status: str | None = None) -> list[dict[str, Any]]:
    """Current hits of one rule (any status unless one is given)."""
    return [
        h
        for h in _all_hits(store)
        if h["source"] == "rule"
        and h["source_key"] == f"rule:{key}"
        and h["current"]
        and (status is None or h["status"] == status)
    ]


def _count(store: Store, table: Any) -> int:
    with store.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _flight_ids(store: Store) -> list[int]:
    return [int(r["id"]) for r in overview.flights(store)]


def _departure_dates(store: Store) -> tuple[date, date]:
    with store.connect() as conn:
        first, last = conn.execute(
            select(func.min(flights.c.departure_date), func.max(flights.c.departure_date))
        ).one()
    assert first is not None and last is not None
    return first, last


def _scenario_travellers(store: Store, scenario: dict[str, Any]) -> list[int]:
    flight, person = scenario["flight"], scenario["traveller"]
    with store.connect() as conn:
        return hit_repo.travellers_on_flight(
            conn,
            carrier=flight["carrier"],
            number=str(flight["number"]),
            departure_date=date.fromisoformat(flight["date"]),
            surname=person["surname"],
            given_names=person.get("given_names"),
        )


def _rule_yaml(
    key: str,
    *,
    status: str = "active",
    when: str = "field: itinerary.broken_travel\n      op: is_true",
    tests: str = (
        "must_hit:\n        - itinerary.broken_travel: true\n"
        "      must_not_hit:\n        - itinerary.broken_travel: false"
    ),
    start: str = "2026-01-01",
    expiry: str = "2027-06-30",
    category: str = "other",
) -> str:
    """One rule as a pack of its own (invented id and owner)."""
    return f"""
rules:
  - id: {key}
    title: Test rule {key}
    category: {category}
    severity: low
    score: 10
    owner: test-team
    start: {start}
    expiry: {expiry}
    status: {status}
    when:
      {when}
    tests:
      {tests}
"""


# -- packs and versions --------------------------------------------------------------------


def test_import_is_versioned_and_idempotent_and_export_round_trips(store: Store) -> None:
    first = rule_service.import_pack(store, _example())
    assert first.new == EXAMPLE_KEYS
    assert first.changed == [] and first.unchanged == []
    assert first.lookups_changed == EXAMPLE_LOOKUPS
    with store.connect() as conn:
        stored = {r["name"]: r for r in repo.lookups(conn)}
    assert sorted(stored) == sorted(EXAMPLE_LOOKUPS)
    assert list(stored["hub_airports"]["values"])[:3] == ["FRA", "MUC", "AMS"]
    assert all(r["version"] == 1 for r in stored.values())
    listed = {r["key"]: r for r in rule_service.list_rules(store)}
    assert sorted(listed) == sorted(EXAMPLE_KEYS)
    assert all(r["current_version"] == 1 for r in listed.values())
    assert listed["group-paid-cash-shadow"]["status"] == "shadow"
    assert listed["cash-courier-profile"]["status"] == "active"
    assert (listed["cash-courier-profile"]["owner"], listed["cash-courier-profile"]["score"]) == (
        "cash-controls-team",
        70,
    )
    assert all("definition" not in r for r in listed.values())

    # The same pack again: nothing new, no new version of anything.
    versions = _count(store, rule_versions)
    again = rule_service.import_pack(store, _example())
    assert again.new == [] and again.changed == [] and again.lookups_changed == []
    assert again.unchanged == EXAMPLE_KEYS
    assert _count(store, rule_versions) == versions == len(EXAMPLE_KEYS)

    # One value edited: that rule gets version 2, its version 1 is kept, the others untouched.
    text = _example()
    assert text.count("value: 48") == 1
    edited = rule_service.import_pack(store, text.replace("value: 48", "value: 36"))
    assert edited.changed == ["cash-courier-profile"] and edited.new == []
    assert edited.unchanged == [k for k in EXAMPLE_KEYS if k != "cash-courier-profile"]
    with store.connect() as conn:
        row = repo.get_rule(conn, "cash-courier-profile")
        assert row is not None and row["current_version"] == 2
        old, new = repo.versions_of(conn, int(row["id"]))
        other = repo.get_rule(conn, "broken-travel")
        assert other is not None and other["current_version"] == 1
        assert len(repo.versions_of(conn, int(other["id"]))) == 1
    assert (old["version"], new["version"]) == (1, 2)
    assert old["definition"]["when"]["all"][1]["value"] == 48
    assert new["definition"]["when"]["all"][1]["value"] == 36
    rule, version, _lookups = rule_service.get_rule(store, "cash-courier-profile")
    assert version == 2 and rule.title.startswith("Last-minute one-way ticket")
    assert _count(store, rule_versions) == len(EXAMPLE_KEYS) + 1

    # Export, then import what was exported: everything unchanged.
    exported = rule_service.export_pack(store)
    loaded = yaml.safe_load(exported)
    assert sorted(r["id"] for r in loaded["rules"]) == sorted(EXAMPLE_KEYS)
    assert sorted(item["name"] for item in loaded["lookups"]) == sorted(EXAMPLE_LOOKUPS)
    round_trip = rule_service.import_pack(store, exported)
    assert round_trip.new == [] and round_trip.changed == [] and round_trip.lookups_changed == []
    assert sorted(round_trip.unchanged) == sorted(EXAMPLE_KEYS)
    assert _count(store, rule_versions) == len(EXAMPLE_KEYS) + 1
    # The edited version is what was exported.
    (courier,) = [r for r in loaded["rules"] if r["id"] == "cash-courier-profile"]
    assert courier["when"]["all"][1]["value"] == 36


BROKEN_PACK = """
lookups:
  - name: test_hubs
    kind: airports
    values: [FRA, MUC]
rules:
  - id: fine-rule
    title: A rule without a mistake
    status: draft
    when:
      field: itinerary.transit_airports
      op: contains_any
      lookup: test_hubs
  - id: first-rule
    title: Unknown field
    status: draft
    when:
      field: traveller.shoe_size
      op: equals
      value: 44
  - id: second-rule
    title: Wrong operator and unknown list
    status: draft
    when:
      all:
        - field: booking.hours_before_departure
          op: before
          value: 48
        - field: itinerary.transit_airports
          op: contains_any
          lookup: no_such_list
  - id: Bad Id
    severity: extreme
    score: 150
    status: active
    when:
      field: payment.cash
      op: is_true
"""
BROKEN_LOCATIONS = [
    "rules[1] (first-rule).when.field",
    "rules[2] (second-rule).when.all[0].op",
    "rules[2] (second-rule).when.all[1].lookup",
    "rules[3] (Bad Id).id",
    "rules[3] (Bad Id).title",
    "rules[3] (Bad Id).severity",
    "rules[3] (Bad Id).score",
]


def test_a_pack_with_mistakes_is_refused_whole_with_every_mistake(store: Store) -> None:
    with pytest.raises(RuleValidationError) as caught:
        rule_service.import_pack(store, BROKEN_PACK)
    error = caught.value
    locations = [e.location for e in error.errors]
    for where in BROKEN_LOCATIONS:
        assert where in locations, (where, locations)
    assert "rules[3] (Bad Id)" in locations  # an active rule needs start and expiry
    messages = {e.location: e.message for e in error.errors}
    assert "traveller.shoe_size" in messages["rules[1] (first-rule).when.field"]
    assert (
        "'before' does not apply to number field"
        in messages["rules[2] (second-rule).when.all[0].op"]
    )
    assert "no_such_list" in messages["rules[2] (second-rule).when.all[1].lookup"]
    assert not any("fine-rule" in where for where in locations)
    text = str(error)
    assert text.startswith(f"{len(error.errors)} problem(s) in the rule pack:")
    assert all(str(e) in text for e in error.errors)
    assert (error.code, error.exit_code) == ("rule_validation_error", 2)
    # Nothing stored: not the valid rule, not the lookup list.
    assert _count(store, rules) == 0 and _count(store, rule_versions) == 0
    assert _count(store, lookup_lists) == 0
    assert rule_service.list_rules(store) == []


FAILING_TESTS = (
    "must_hit:\n        - itinerary.broken_travel: false\n"
    "      must_not_hit:\n        - itinerary.broken_travel: false"
)


def test_an_active_rule_whose_tests_fail_is_refused_and_a_draft_accepted(store: Store) -> None:
    active = _rule_yaml("wrong-examples", tests=FAILING_TESTS)
    with pytest.raises(RuleValidationError) as caught:
        rule_service.import_pack(store, active)
    (error,) = caught.value.errors
    assert error.location == "rule wrong-examples tests.must_hit[0]"
    assert "test fails" in error.message
    assert "wrong-examples" in str(caught.value) and "must_hit[0]" in str(caught.value)
    assert _count(store, rules) == 0

    shadow = _rule_yaml("wrong-examples", status="shadow", tests=FAILING_TESTS)
    with pytest.raises(RuleValidationError, match=r"rule wrong-examples tests\.must_hit\[0\]"):
        rule_service.import_pack(store, shadow)

    draft = _rule_yaml("wrong-examples", status="draft", tests=FAILING_TESTS)
    report = rule_service.import_pack(store, draft)
    assert report.new == ["wrong-examples"]
    (listed,) = rule_service.list_rules(store)
    assert (listed["key"], listed["status"], listed["current_version"]) == (
        "wrong-examples",
        "draft",
        1,
    )
    rule, version, lookups = rule_service.get_rule(store, "wrong-examples")
    results = rule_service.run_tests(rule, lookups)
    assert version == 1
    assert [(r.example, r.passed) for r in results] == [
        ("must_hit[0]", False),
        ("must_not_hit[0]", True),
    ]
    # A draft is never evaluated on traffic.
    with store.connect() as conn:
        loaded, _ = rule_service.load_rules(conn, statuses=("active", "shadow"))
    assert loaded == []


# -- evaluation ----------------------------------------------------------------------------


def test_ingest_evaluates_rules_and_finds_the_planted_scenarios(store: Store, day: Path) -> None:
    rule_service.import_pack(store, _example())
    _ingested, summaries = _ingest(store, day)
    assert sum(s.new_hits for s in summaries) > 0
    assert sum(s.travellers for s in summaries) >= _count(store, travellers)

    results = scenarios.evaluate(store, day / "_answers" / "answer_key.json", running=RUNNING)
    planted = [r for r in results if r.type in RULE_FOR_SCENARIO]
    assert {r.type for r in planted} == set(RULE_FOR_SCENARIO)
    assert [(r.scenario_id, r.status) for r in planted] == [
        (r.scenario_id, "found") for r in planted
    ]
    assert all(r.detector == "risk rules" and r.travellers >= 1 for r in planted)

    # Each planted traveller holds a current, open hit from the rule that describes them.
    for scenario in _key(day):
        if scenario["type"] not in RULE_FOR_SCENARIO:
            continue
        key = RULE_FOR_SCENARIO[scenario["type"]]
        ids = set(_scenario_travellers(store, scenario))
        assert ids
        found = [h for h in _rule_hits(store, key) if h["traveller_id"] in ids]
        assert found, (scenario["scenario_id"], scenario["type"], key)
        assert all(h["status"] == "open" for h in found)

    current = [h for h in overview.hits(store) if h["source"] == "rule"]
    assert current
    for hit in current:
        explanation = hit["explanation"]
        key = hit["source_key"].removeprefix("rule:")
        assert hit["current"] is True and hit["status"] == "open"
        assert explanation["rule"] == key and explanation["version"] == 1
        assert explanation["shadow"] is False
        assert hit["title"] == f"Rule: {explanation['title']}"
        assert hit["score"] == pytest.approx(explanation["score"] / 100.0)
        assert explanation["rule_text"]
        assert explanation["conditions"]
        for condition in explanation["conditions"]:
            assert {"field", "op", "expected", "actual", "text"} <= condition.keys()
            assert condition["field"] and condition["text"]
        summary = explanation["summary"]
        assert summary[0] == f"Rule '{explanation['title']}' matched."
        assert len(summary) == len(explanation["conditions"]) + 1
        assert all(isinstance(line, str) and line.endswith(".") for line in summary)
    fields = {
        c["field"]
        for h in current
        if h["source_key"] == "rule:cash-courier-profile"
        for c in h["explanation"]["conditions"]
    }
    assert {"payment.cash", "booking.hours_before_departure", "itinerary.one_way"} <= fields


def test_shadow_rule_hits_are_recorded_but_not_shown(store: Store, day: Path) -> None:
    rule_service.import_pack(store, _example())
    shadow = _rule_yaml("broken-travel-watch", status="shadow", category="fraud")
    assert rule_service.import_pack(store, shadow).new == ["broken-travel-watch"]
    _ingest(store, day)

    recorded = _rule_hits(store, "broken-travel-watch")
    assert recorded
    assert all(h["status"] == "shadow" for h in recorded)
    assert all(h["explanation"]["shadow"] is True for h in recorded)
    # Same conditions as the active broken-travel rule: the same travellers.
    assert {h["traveller_id"] for h in recorded} == {
        h["traveller_id"] for h in _rule_hits(store, "broken-travel")
    }

    shown = overview.hits(store)
    assert shown and all(h["status"] != "shadow" for h in shown)
    assert all(h["source_key"] != "rule:broken-travel-watch" for h in shown)
    assert ("rule", "fraud") not in overview.hit_counts(store)
    asked = overview.hits(store, status="shadow")
    assert {h["id"] for h in asked} >= {h["id"] for h in recorded}

    by_rule = {row["rule"]: row for row in rule_service.stats(store)}
    watch = by_rule["broken-travel-watch"]
    assert watch["status"] == "shadow"
    # Shadow hits are counted apart from the alerts a rule raised.
    assert watch["shadow_hits"] == len(recorded) and watch["hits"] == 0
    assert by_rule["broken-travel"]["shadow_hits"] == 0
    assert "no confirmed hit in 90 days" not in " ".join(watch["flags"])  # only active rules


def test_backtest_equals_streaming_evaluation(store: Store, day: Path) -> None:
    rule_service.import_pack(store, _example())
    _ingest(store, day)
    first, last = _departure_dates(store)
    active = [r["key"] for r in rule_service.list_rules(store) if r["status"] == "active"]
    assert len(active) == 5
    total = _count(store, travellers)
    some = 0
    for key in active:
        streamed = {h["traveller_id"] for h in _rule_hits(store, key)}
        report = rule_service.backtest(store, key, date_from=first, date_to=last, examples=10**6)
        backtested = {int(e["traveller_id"]) for e in report.examples}
        assert backtested == streamed, key
        assert report.hits == len(report.examples) == len(backtested), key
        assert report.travellers == total
        assert report.per_thousand == pytest.approx(1000.0 * report.hits / total)
        some += len(streamed)
    assert some > 0
    # Back-testing stores nothing, and a period without flights has no travellers.
    before = _all_hits(store)
    empty = rule_service.backtest(
        store, "broken-travel", date_from=first - timedelta(days=30), date_to=first - timedelta(1)
    )
    assert (empty.travellers, empty.hits, empty.examples, empty.per_thousand) == (0, 0, [], 0.0)
    assert _all_hits(store) == before


def test_stats_counts_precision_and_flags(store: Store, day: Path) -> None:
    rule_service.import_pack(store, _example())
    today = datetime.now(UTC).date()
    soon = today + timedelta(days=5)
    # Broad on purpose (every adult): whatever day the generator draws, one rule has the two
    # hits the precision check below decides on.
    near = _rule_yaml(
        "expiring-soon",
        start=(today - timedelta(days=30)).isoformat(),
        expiry=soon.isoformat(),
        when="field: traveller.minor\n      op: is_false",
        tests=(
            "must_hit:\n        - traveller.minor: false\n"
            "      must_not_hit:\n        - traveller.minor: true"
        ),
    )
    assert rule_service.import_pack(store, near).new == ["expiring-soon"]
    _ingest(store, day)

    total = _count(store, travellers)
    counts = {key: len(_rule_hits(store, key)) for key in [*EXAMPLE_KEYS, "expiring-soon"]}
    busiest = max(counts, key=lambda k: counts[k])
    assert counts[busiest] >= 2, counts
    decided = _rule_hits(store, busiest)[:2]
    with store.begin() as conn:
        conn.execute(update(hits).where(hits.c.id == decided[0]["id"]).values(status="confirmed"))
        conn.execute(
            update(hits).where(hits.c.id == decided[1]["id"]).values(status="false_positive")
        )

    rows = rule_service.stats(store)
    by_rule = {row["rule"]: row for row in rows}
    assert sorted(by_rule) == sorted([*EXAMPLE_KEYS, "expiring-soon"])
    for key, row in by_rule.items():
        assert row["hits"] == counts[key], key
        assert row["travellers"] == total  # every flight departs within each rule's dates
        assert row["per_thousand"] == round(1000.0 * counts[key] / total, 2)
        assert row["version"] == 1
        if key != busiest:
            assert (row["confirmed"], row["false_positive"], row["precision"]) == (0, 0, None)
    busy = by_rule[busiest]
    assert (busy["confirmed"], busy["false_positive"], busy["precision"]) == (1, 1, 0.5)
    assert busy["per_thousand"] > 0

    quiet = "no confirmed hit in 90 days"
    expiring = "expires within 14 days"
    assert quiet not in busy["flags"]  # it has a confirmed hit now
    for key, row in by_rule.items():
        if row["status"] == "active" and key != busiest:
            assert quiet in row["flags"], key
    assert expiring in by_rule["expiring-soon"]["flags"]
    assert by_rule["group-paid-cash-shadow"]["flags"] == []
    assert all(expiring not in by_rule[k]["flags"] for k in EXAMPLE_KEYS)
    # Seen after its expiry the same rule is flagged expired.
    later = {r["rule"]: r for r in rule_service.stats(store, today=soon + timedelta(days=1))}
    assert "expired" in later["expiring-soon"]["flags"]


def test_evaluating_the_same_flights_again_changes_nothing(store: Store, day: Path) -> None:
    rule_service.import_pack(store, _example())
    _ingest(store, day)
    before = [(h["id"], h["source_key"], h["current"], h["status"]) for h in _all_hits(store)]
    assert any(h[1].startswith("rule:") for h in before)
    ids = _flight_ids(store)
    evaluator = Evaluator(store)
    for _ in range(2):
        again = evaluator.evaluate_flights(ids)
        assert (again.new_hits, again.withdrawn_hits) == (0, 0)
        assert again.travellers == _count(store, travellers)
    assert Evaluator(store).evaluate_flights(ids).new_hits == 0  # a fresh evaluator too
    after = [(h["id"], h["source_key"], h["current"], h["status"]) for h in _all_hits(store)]
    assert after == before


def test_no_rules_means_nothing_evaluated(store: Store, day: Path) -> None:
    _ingested, summaries = _ingest(store, day)
    assert all(s == EvaluationSummary() for s in summaries)
    assert _all_hits(store) == []
    # Rules imported afterwards evaluate the stored flights on demand.
    rule_service.import_pack(store, _example())
    result = Evaluator(store).evaluate_flights(_flight_ids(store))
    assert result.travellers == _count(store, travellers) and result.new_hits > 0
    assert result.new_hits == len([h for h in _all_hits(store) if h["source"] == "rule"])
