"""`firstline rules ...`, in-process on real databases (and once as the installed command).

The traffic is a generated synthetic day; the packs written here use invented values only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from firstline.cli import app
from firstline.generate.day import DayPlan, write_day
from firstline.rules.fields import FIELDS
from firstline.rules.operators import OPERATORS
from firstline.services.rules import EXAMPLE_PACK, RuleNotFoundError, RuleValidationError
from firstline.settings import get_settings

EXAMPLE_KEYS = [
    "cash-courier-profile",
    "adult-with-unrelated-minors",
    "broken-travel",
    "cocaine-courier-route",
    "document-expired-at-travel",
    "group-paid-cash-shadow",
]

BROKEN_PACK = """
rules:
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
  - id: third-rule
    title: Bad severity
    severity: extreme
    status: draft
    when:
      field: payment.cash
      op: is_true
"""
BROKEN_LOCATIONS = [
    "rules[0] (first-rule).when.field",
    "rules[1] (second-rule).when.all[0].op",
    "rules[1] (second-rule).when.all[1].lookup",
    "rules[2] (third-rule).severity",
]

FAILING_DRAFT = """
rules:
  - id: unfinished-rule
    title: Examples that do not match the conditions yet
    status: draft
    when:
      field: itinerary.broken_travel
      op: is_true
    tests:
      must_hit:
        - itinerary.broken_travel: false
      must_not_hit:
        - itinerary.broken_travel: false
"""


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {"FIRSTLINE_DATABASE_URL": database_url, "FIRSTLINE_DATA_DIR": str(tmp_path / "data")}


@pytest.fixture
def runner(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small generated day tomorrow, with planted scenarios."""
    out = tmp_path_factory.mktemp("day")
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    summary = write_day(DayPlan(day=tomorrow, flights=8, seed=11, passengers=(20, 40)), out)
    assert summary.planted > 0
    return out


def _ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _json(runner: CliRunner, *args: str) -> Any:
    return json.loads(_ok(runner, *args, "--json"))


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _rule_hits(runner: CliRunner) -> list[dict[str, Any]]:
    return [h for h in _json(runner, "hits", "--limit", "100000") if h["source"] == "rule"]


def test_import_prints_counts_and_list_shows_the_rules(runner: CliRunner, tmp_path: Path) -> None:
    out = _ok(runner, "rules", "import", str(EXAMPLE_PACK))
    assert "rules: 6 new, 0 changed (new version), 0 unchanged; lookup lists changed: 3" in out
    listed_lines = [line.strip() for line in out.splitlines()[1:]]
    assert listed_lines == EXAMPLE_KEYS

    again = _ok(runner, "rules", "import", str(EXAMPLE_PACK))
    assert "rules: 0 new, 0 changed (new version), 6 unchanged; lookup lists changed: 0" in again
    assert len(again.strip().splitlines()) == 1

    rows = _json(runner, "rules", "list")
    assert [r["key"] for r in rows] == sorted(EXAMPLE_KEYS)
    by_key = {r["key"]: r for r in rows}
    courier = by_key["cash-courier-profile"]
    assert (courier["status"], courier["current_version"], courier["category"]) == (
        "active",
        1,
        "cash",
    )
    assert (courier["severity"], courier["score"], courier["owner"]) == (
        "high",
        70,
        "cash-controls-team",
    )
    assert (courier["start"], courier["expiry"]) == ("2026-01-01", "2027-06-30")
    assert by_key["group-paid-cash-shadow"]["status"] == "shadow"
    assert all("definition" not in r for r in rows)

    table = _ok(runner, "rules", "list")
    assert "Rules" in table and "cash-courier-profile" in table and "shadow" in table

    # An edited value makes a new version of that rule only.
    edited = EXAMPLE_PACK.read_text(encoding="utf-8").replace("value: 48", "value: 36")
    out = _ok(runner, "rules", "import", str(_write(tmp_path, "v2.yaml", edited)))
    assert "rules: 0 new, 1 changed (new version), 5 unchanged" in out
    assert "cash-courier-profile" in out
    versions = {r["key"]: r["current_version"] for r in _json(runner, "rules", "list")}
    assert versions == {k: 2 if k == "cash-courier-profile" else 1 for k in EXAMPLE_KEYS}


def test_a_broken_pack_lists_every_mistake(runner: CliRunner, tmp_path: Path) -> None:
    broken = _write(tmp_path, "broken.yaml", BROKEN_PACK)
    result = runner.invoke(app, ["rules", "import", str(broken)])
    # Service errors propagate out of `app` (main() turns them into a message and exit code).
    assert isinstance(result.exception, RuleValidationError)
    error = result.exception
    assert error.exit_code == 2
    text = str(error)
    assert text.startswith(f"{len(error.errors)} problem(s) in the rule pack:")
    for where in BROKEN_LOCATIONS:
        assert f"  {where}: " in text, (where, text)
    assert _json(runner, "rules", "list") == []  # nothing stored

    missing = runner.invoke(app, ["rules", "import", str(tmp_path / "none.yaml")])
    assert missing.exit_code == 2 and "does not exist" in missing.output
    assert "Traceback" not in missing.output


def test_the_installed_command_reports_pack_errors_without_a_traceback(
    env: dict[str, str], tmp_path: Path
) -> None:
    broken = _write(tmp_path, "broken.yaml", BROKEN_PACK)
    firstline = Path(sys.executable).with_name("firstline")
    run_env = os.environ | env | {"COLUMNS": "300"}
    result = subprocess.run(
        [str(firstline), "rules", "import", str(broken)],
        capture_output=True, text=True, env=run_env, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "error (rule_validation_error): 4 problem(s) in the rule pack:" in result.stderr
    for where in BROKEN_LOCATIONS:
        assert where in result.stderr, (where, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout

    unknown = subprocess.run(
        [str(firstline), "rules", "test", "no-such-rule"],
        capture_output=True, text=True, env=run_env, timeout=120, check=False,
    )  # fmt: skip
    assert unknown.returncode == 2, unknown.stderr
    assert "error (rule_not_found): no rule 'no-such-rule'" in unknown.stderr
    assert "Traceback" not in unknown.stderr + unknown.stdout


def test_fields_lists_the_catalogue(runner: CliRunner) -> None:
    rows = _json(runner, "rules", "fields")
    by_name = {r["field"]: r for r in rows}
    assert sorted(by_name) == sorted(f.name for f in FIELDS)
    for field in FIELDS:
        row = by_name[field.name]
        assert row["type"] == field.type.value
        assert row["operators"] == list(OPERATORS[field.type]) and row["operators"]
        assert row["label"] and row["description"]
    assert "is_true" in by_name["payment.cash"]["operators"]
    assert "less_than" in by_name["booking.hours_before_departure"]["operators"]
    table = _ok(runner, "rules", "fields")
    assert "Rule fields" in table and "payment.cash" in table


def test_rule_tests_pass_and_a_failing_draft_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    _ok(runner, "rules", "import", str(EXAMPLE_PACK))
    passed = _ok(runner, "rules", "test", "cash-courier-profile")
    lines = passed.strip().splitlines()
    assert [line.split(" ", 2)[:2] for line in lines] == [
        ["pass", "must_hit[0]:"],
        ["pass", "must_not_hit[0]:"],
        ["pass", "must_not_hit[1]:"],
    ]
    assert "Paid in cash is true (yes)" in lines[0]
    assert "Booked hours before departure < 48 (6)" in lines[0]
    assert lines[1].endswith("no condition set matched")

    no_tests = _ok(runner, "rules", "test", "group-paid-cash-shadow")
    assert "group-paid-cash-shadow has no tests" in no_tests

    _ok(runner, "rules", "import", str(_write(tmp_path, "draft.yaml", FAILING_DRAFT)))
    failing = runner.invoke(app, ["rules", "test", "unfinished-rule"])
    assert failing.exit_code == 1, failing.output
    assert "FAIL must_hit[0]: no condition set matched" in failing.stdout
    assert "pass must_not_hit[0]" in failing.stdout

    unknown = runner.invoke(app, ["rules", "test", "no-such-rule"])
    assert isinstance(unknown.exception, RuleNotFoundError)
    assert "no rule 'no-such-rule'" in str(unknown.exception)


def test_run_backtest_and_stats_after_an_ingest(runner: CliRunner, day: Path) -> None:
    # Ingested before any rule exists: nothing is evaluated, nothing hit.
    ingested = runner.invoke(app, ["ingest", str(day)])
    assert ingested.exit_code == 0, ingested.output
    assert _rule_hits(runner) == []
    _ok(runner, "rules", "import", str(EXAMPLE_PACK))

    nothing = runner.invoke(app, ["rules", "run"])
    assert nothing.exit_code == 2 and "give --flight ID" in nothing.output

    flights = _json(runner, "flights")
    travellers = sum(int(f["travellers"]) for f in flights)
    out = _ok(runner, "rules", "run", "--all")
    assert out.startswith("evaluated ") and "withdrawn" in out
    words = out.split()
    evaluated, new = int(words[1]), int(words[words.index("new") - 1])
    assert new > 0 and evaluated == travellers > 0
    hits = _rule_hits(runner)
    assert 0 < len(hits) <= new  # the shadow rule's hits are not among them
    assert all(h["status"] == "open" and h["explanation"]["summary"] for h in hits)
    assert "0 new hits, 0 withdrawn" in _ok(runner, "rules", "run", "--all")  # idempotent
    one = _ok(runner, "rules", "run", "--flight", str(flights[0]["id"]))
    assert "0 new hits, 0 withdrawn" in one

    tomorrow = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()
    dates = sorted({str(f["departure_date"]) for f in flights})
    backtested: list[tuple[str, int]] = []
    for key in EXAMPLE_KEYS:
        report = _json(runner, "rules", "backtest", key, "--from", dates[0], "--to", dates[-1])
        assert (report["rule"], report["from"], report["to"]) == (key, dates[0], dates[-1])
        streamed = {h["traveller_id"] for h in hits if h["source_key"] == f"rule:{key}"}
        backtested.append((key, report["hits"]))
        if key != "group-paid-cash-shadow":  # shadow hits are not in `firstline hits`
            assert report["hits"] == len(streamed), key
            assert {e["traveller_id"] for e in report["examples"]} <= streamed
        assert report["travellers"] == evaluated
        assert report["per_thousand"] == round(1000.0 * report["hits"] / evaluated, 2)
        for example in report["examples"]:
            assert example["why"] and example["flight_id"]
    assert tomorrow in dates
    text = _ok(runner, "rules", "backtest", "broken-travel", "--from", tomorrow, "--to", tomorrow)
    assert text.startswith("broken-travel: ") and "per 1,000" in text
    bad = runner.invoke(app, ["rules", "backtest", "broken-travel", "--from", "22/11/2026"])
    assert bad.exit_code == 2 and "use YYYY-MM-DD" in bad.output

    rows = _json(runner, "rules", "stats")
    by_rule = {r["rule"]: r for r in rows}
    assert sorted(by_rule) == sorted(EXAMPLE_KEYS)
    for key, row in by_rule.items():
        if row["status"] == "active":
            expected = len([h for h in hits if h["source_key"] == f"rule:{key}"])
            assert row["hits"] == expected, key
        assert row["travellers"] == evaluated, key
        assert row["per_thousand"] == round(1000.0 * row["hits"] / evaluated, 2)
        assert (row["confirmed"], row["false_positive"], row["precision"]) == (0, 0, None)
        if row["status"] == "active":
            assert "no confirmed hit in 90 days" in row["flags"]
    assert by_rule["group-paid-cash-shadow"]["flags"] == []
    assert [(key, by_rule[key]["hits"]) for key, _ in backtested] == backtested
    shadow = by_rule["group-paid-cash-shadow"]
    assert shadow["shadow_hits"] == shadow["hits"]
    assert len(hits) + shadow["shadow_hits"] == new
    table = _ok(runner, "rules", "stats")
    assert "Rule statistics" in table and "broken-travel" in table


def test_export_round_trip(runner: CliRunner, tmp_path: Path) -> None:
    _ok(runner, "rules", "import", str(EXAMPLE_PACK))
    exported = tmp_path / "exported.yaml"
    out = _ok(runner, "rules", "export", str(exported))
    assert f"written {exported}" in out.replace("\n", "")
    pack = yaml.safe_load(exported.read_text(encoding="utf-8"))
    assert [r["id"] for r in pack["rules"]] == sorted(EXAMPLE_KEYS)
    assert sorted(item["name"] for item in pack["lookups"]) == [
        "cocaine_source_airports",
        "cocaine_source_countries",
        "hub_airports",
    ]
    again = _ok(runner, "rules", "import", str(exported))
    assert "rules: 0 new, 0 changed (new version), 6 unchanged; lookup lists changed: 0" in again
    listed = _json(runner, "rules", "list")
    assert [(r["key"], r["current_version"]) for r in listed] == [
        (k, 1) for k in sorted(EXAMPLE_KEYS)
    ]
    # Exporting again gives the same file.
    second = tmp_path / "second.yaml"
    _ok(runner, "rules", "export", str(second))
    assert second.read_text(encoding="utf-8") == exported.read_text(encoding="utf-8")


def test_outcomes_feed_precision_and_risk_ranks_travellers(
    runner: CliRunner, day: Path, tmp_path: Path
) -> None:
    ingested = runner.invoke(app, ["ingest", str(day)])
    assert ingested.exit_code == 0, ingested.output
    assert runner.invoke(app, ["rules", "import", str(EXAMPLE_PACK)]).exit_code == 0
    ran = runner.invoke(app, ["rules", "run", "--from", "2000-01-01", "--to", "2100-01-01"])
    assert ran.exit_code == 0, ran.output
    hits = _json(runner, "hits", "--limit", "500")
    rule_hits = [h for h in hits if h["source"] == "rule"]
    assert rule_hits
    first, second = rule_hits[0], rule_hits[-1]
    assert (
        runner.invoke(app, ["decide", str(first["id"]), "confirmed", "--reason", "seen"]).exit_code
        == 0
    )
    if second["id"] != first["id"]:
        assert (
            runner.invoke(
                app, ["decide", str(second["id"]), "false_positive", "--reason", "homonym"]
            ).exit_code
            == 0
        )
    bad = runner.invoke(app, ["decide", str(first["id"]), "maybe", "--reason", "x"])
    assert bad.exit_code == 2
    stats = {row["rule"]: row for row in _json(runner, "rules", "stats")}
    rule = first["source_key"].removeprefix("rule:")
    assert stats[rule]["confirmed"] >= 1 and stats[rule]["precision"] is not None

    ranked = _json(runner, "risk", "--limit", "1000")
    scores = [row["score"] for row in ranked]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 100 for s in scores)
    # A hit marked false positive no longer adds to anyone's risk.
    if second["id"] != first["id"]:
        counted = {h["hit_id"] for row in ranked for h in row["hits"]}
        assert second["id"] not in counted and first["id"] in counted
