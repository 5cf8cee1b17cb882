"""Risk rules as analysts use them: import a pack, test, evaluate, back-test, measure.

Shared by the command line and (later) the web interface. A pack with any mistake is refused
whole, with every mistake listed; a rule is activated only if its own tests pass; editing a rule
makes a new version, and hits record which version fired.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import yaml
from sqlalchemy import Connection

from firstline.cases.lookout import PRODUCTIVE
from firstline.exc import FirstlineError
from firstline.logs import get_logger
from firstline.rules.compile import Matched, compile_rule, example_facts
from firstline.rules.engine import RuleHit, RuleSet
from firstline.rules.model import Rule, RuleError, RuleStatus
from firstline.rules.parse import load_pack, parse_rule
from firstline.store.db import Store
from firstline.store.repos import cases as case_repo
from firstline.store.repos import hits as hit_repo
from firstline.store.repos import rule_facts
from firstline.store.repos import rules as repo
from firstline.texts import N_, Message, listing, message

log = get_logger(__name__)

EXAMPLE_PACK = Path(__file__).resolve().parents[1] / "rules" / "packs" / "example.yaml"
NEAR_EXPIRY_DAYS = 14
QUIET_DAYS = 90
# A failing example of an active or shadow rule; `detail` says what happened (in English: the
# words of the hit explanations).
TEST_FAILS = N_("test fails: {detail}")


class RuleValidationError(FirstlineError):
    """A rule pack with mistakes; `errors` has every one, located."""

    code = "rule_validation_error"
    http_status = 422
    exit_code = 2

    def __init__(self, errors: Sequence[RuleError]) -> None:
        self.errors = list(errors)
        lines = "\n".join(f"  {e}" for e in self.errors)
        super().__init__(f"{len(self.errors)} problem(s) in the rule pack:\n{lines}")


class RuleNotFoundError(FirstlineError):
    code = "rule_not_found"
    http_status = 404
    exit_code = 2


@dataclass(slots=True)
class PackReport:
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    lookups_changed: list[str] = field(default_factory=list)


# What a rule's example that hit nothing says (the `detail` of its test result).
NOTHING_MATCHED = N_("no condition set matched")


@dataclass(slots=True)
class TestResult:
    rule: str
    example: str  # "must_hit[0]"
    passed: bool
    detail: str  # in English: the matched conditions, or that nothing matched
    # `detail` as messages (firstline.texts), one per matched condition, for pages in other
    # languages.
    why: list[Message] = field(default_factory=list)

    def failure(self) -> dict[str, object]:
        """The parameters of TEST_FAILS: the detail, in words pages translate."""
        return {"detail": listing(self.why) if self.why else self.detail}


@dataclass(slots=True)
class EvaluationSummary:
    travellers: int = 0
    new_hits: int = 0
    withdrawn_hits: int = 0
    seconds: float = 0.0


@dataclass(slots=True)
class BacktestReport:
    rule: str
    date_from: date | None
    date_to: date | None
    travellers: int = 0
    hits: int = 0
    examples: list[dict[str, Any]] = field(default_factory=list)

    @property
    def per_thousand(self) -> float:
        return 1000.0 * self.hits / self.travellers if self.travellers else 0.0


def _canonical(raw: dict[str, Any]) -> dict[str, Any]:
    # Dates from YAML and from JSON compare equal once both are ISO strings.
    loaded: dict[str, Any] = orjson.loads(orjson.dumps(raw, option=orjson.OPT_SORT_KEYS))
    return loaded


def _meta(rule: Rule) -> dict[str, Any]:
    return {
        "title": rule.title,
        "status": rule.status.value,
        "category": rule.category,
        "severity": rule.severity,
        "score": rule.score,
        "owner": rule.owner or None,
        "start": rule.start,
        "expiry": rule.expiry,
    }


def run_tests(rule: Rule, lookups: dict[str, tuple[str, ...]]) -> list[TestResult]:
    """The rule's own examples: travellers that must and must not hit."""
    compiled = compile_rule(rule, lookups)
    results = []
    for kind, expect in (("must_hit", True), ("must_not_hit", False)):
        for i, example in enumerate(getattr(rule.tests, kind)):
            matched = compiled.check(example_facts(example))
            hit = matched is not None
            detail = "; ".join(m.text for m in matched or []) if hit else NOTHING_MATCHED
            why = _conditions(matched) if matched is not None else [message(NOTHING_MATCHED)]
            results.append(TestResult(rule.key, f"{kind}[{i}]", hit == expect, detail, why))
    return results


def _conditions(matched: Sequence[Matched]) -> list[Message]:
    """Matched conditions as messages, as a rule hit's explanation keeps them."""
    return [message(m.template or m.text, m.params) for m in matched]


def _stored_lookups(conn: Connection) -> dict[str, tuple[str, ...]]:
    return {row["name"]: tuple(row["values"]) for row in repo.lookups(conn)}


def import_pack(store: Store, text: str) -> PackReport:
    """Check a whole pack, then store its lookup lists and new rule versions."""
    with store.connect() as conn:
        stored = _stored_lookups(conn)
    pack, errors = load_pack(text, known_lookups=set(stored))
    lookups = stored | {item.name: item.values for item in pack.lookups}
    errors = list(errors)
    for rule in pack.rules:
        results = run_tests(rule, lookups)
        if rule.status in (RuleStatus.ACTIVE, RuleStatus.SHADOW):
            errors += [
                RuleError(f"rule {rule.key} tests.{r.example}", TEST_FAILS, r.failure())
                for r in results
                if not r.passed
            ]
    if errors:
        raise RuleValidationError(errors)
    report = PackReport()
    now = datetime.now(UTC)
    with store.begin() as conn:
        for item in pack.lookups:
            _version, changed = repo.save_lookup(
                conn,
                name=item.name,
                values=item.values,
                kind=item.kind,
                description=item.description,
                now=now,
            )
            if changed:
                report.lookups_changed.append(item.name)
        for rule in pack.rules:
            definition = _canonical(rule.definition)
            row = repo.get_rule(conn, rule.key)
            if row is not None:
                current = repo.current_definition(conn, int(row["id"]), int(row["current_version"]))
                if current is not None and _canonical(current) == definition:
                    report.unchanged.append(rule.key)
                    continue
            repo.save_version(conn, key=rule.key, definition=definition, meta=_meta(rule), now=now)
            (report.new if row is None else report.changed).append(rule.key)
    log.info(
        "rules_imported",
        new=len(report.new),
        changed=len(report.changed),
        unchanged=len(report.unchanged),
    )
    return report


def load_rules(
    conn: Connection, statuses: Sequence[str] | None = None
) -> tuple[list[tuple[Rule, int]], dict[str, tuple[str, ...]]]:
    lookups = _stored_lookups(conn)
    out = []
    for row in repo.current_rules(conn, statuses):
        rule, errors = parse_rule(dict(row["definition"]), known_lookups=set(lookups))
        if rule is None:
            # A stored rule that no longer checks (a lookup list was removed): say so, skip.
            log.warning("rule_invalid", rule=row["key"], errors=len(errors))
            continue
        out.append((rule, int(row["current_version"])))
    return out, lookups


def export_pack(store: Store) -> str:
    with store.connect() as conn:
        lookups = [
            {"name": r["name"], "kind": r["kind"], "description": r["description"] or "",
             "values": list(r["values"])}
            for r in repo.lookups(conn)
        ]  # fmt: skip
        rules = [dict(r["definition"]) for r in repo.current_rules(conn)]
    return yaml.safe_dump(
        {"lookups": lookups, "rules": rules}, sort_keys=False, allow_unicode=True, width=100
    )


def list_rules(store: Store) -> list[dict[str, Any]]:
    with store.connect() as conn:
        return [
            {k: v for k, v in dict(r).items() if k != "definition"}
            for r in repo.current_rules(conn)
        ]


def get_rule(store: Store, key: str) -> tuple[Rule, int, dict[str, tuple[str, ...]]]:
    with store.connect() as conn:
        loaded, lookups = load_rules(conn)
    for rule, version in loaded:
        if rule.key == key:
            return rule, version, lookups
    raise RuleNotFoundError(f"no rule '{key}'")


class Evaluator:
    """Evaluates the active and shadow rules on stored travellers; one per process."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._cached: tuple[str, RuleSet] | None = None

    def _ruleset(self, conn: Connection) -> RuleSet:
        today = datetime.now(UTC).date()
        state = f"{repo.rules_state(conn)}:{today}"
        if self._cached is None or self._cached[0] != state:
            loaded, lookups = load_rules(conn, statuses=("active", "shadow"))
            self._cached = (state, RuleSet.build(loaded, lookups, on=today))
        return self._cached[1]

    def evaluate_flights(
        self, flight_ids: Sequence[int], *, related: bool = True
    ) -> EvaluationSummary:
        """Evaluate every traveller of these flights (their facts may have changed), and with
        `related` of the flights sharing a booking with them."""
        started = time.perf_counter()
        summary = EvaluationSummary()
        now = datetime.now(UTC)
        with self.store.begin() as conn:
            ruleset = self._ruleset(conn)
            if not ruleset.rules:
                return summary
            if related:
                flight_ids = repo.related_flights(conn, flight_ids)
            links = any(name.startswith("links.") for name in ruleset.fields)
            facts = rule_facts.facts_for_flights(conn, flight_ids, links=links)
            found = [_hit(f, hit) for f in facts for hit in ruleset.evaluate(f)]
            ids = [_traveller_id(f) for f in facts]
            changes = hit_repo.record_hits(conn, ids, found, source="rule", now=now)
        summary.travellers = len(ids)
        summary.new_hits = changes.new
        summary.withdrawn_hits = changes.withdrawn
        summary.seconds = time.perf_counter() - started
        return summary


def _traveller_id(facts: Mapping[str, Any]) -> int:
    return int(facts["_traveller_id"])


def _hit(facts: Mapping[str, Any], hit: RuleHit) -> hit_repo.NewHit:
    rule = hit.rule
    return hit_repo.NewHit(
        traveller_id=_traveller_id(facts),
        flight_id=int(facts["_flight_id"]),
        source="rule",
        source_key=f"rule:{rule.key}",
        title=f"Rule: {rule.title}",
        category=rule.category,
        severity=rule.severity,
        score=rule.score / 100.0,
        explanation=hit.explanation(),
        status="shadow" if hit.shadow else "open",
    )


def backtest(
    store: Store,
    key: str,
    *,
    date_from: date | None,
    date_to: date | None,
    examples: int = 20,
) -> BacktestReport:
    """What a rule (in any status) would have hit on stored travellers between two dates."""
    rule, version, lookups = get_rule(store, key)
    return _backtest(store, rule, version, lookups, date_from, date_to, examples)


def _backtest(
    store: Store,
    rule: Rule,
    version: int,
    lookups: dict[str, tuple[str, ...]],
    date_from: date | None,
    date_to: date | None,
    examples: int,
) -> BacktestReport:
    ruleset = RuleSet([compile_rule(rule, lookups, version)])
    report = BacktestReport(rule=rule.key, date_from=date_from, date_to=date_to)
    with store.connect() as conn:
        links = any(name.startswith("links.") for name in ruleset.fields)
        for facts in rule_facts.iter_facts(
            conn, departure_from=date_from, departure_to=date_to, links=links
        ):
            report.travellers += 1
            hits = ruleset.evaluate(facts)
            if hits:
                report.hits += 1
                if len(report.examples) < examples:
                    report.examples.append(
                        {
                            "traveller_id": facts["_traveller_id"],
                            "flight_id": facts["_flight_id"],
                            "flight": f"{facts.get('flight.carrier') or ''}"
                            f"{facts.get('flight.number') or ''}",
                            "departure": facts.get("flight.departure_date"),
                            "why": [m.text for m in hits[0].matched],
                            # `why` as messages, for pages in other languages.
                            "conditions": _conditions(hits[0].matched),
                        }
                    )
    return report


def stats(store: Store, *, today: date | None = None) -> list[dict[str, Any]]:
    """Per rule: hits, hits per 1,000 travellers evaluated, outcomes, precision, flags."""
    today = today or datetime.now(UTC).date()
    with store.connect() as conn:
        rows = repo.current_rules(conn)
        counts = repo.hit_counts(conn)
        confirmed_at = repo.last_confirmed(conn)
        outcomes = _outcomes_by_rule(conn)
        audience = {
            row["key"]: repo.travellers_departing(conn, row["start"], row["expiry"]) for row in rows
        }
    out = []
    for row in rows:
        counted = _counted(counts.get(row["key"], {}))
        total = counted["hits"]
        evaluated = audience[row["key"]]
        flags = []
        if row["expiry"] is not None and row["status"] in ("active", "shadow"):
            if row["expiry"] < today:
                flags.append("expired")
            elif row["expiry"] <= today + timedelta(days=NEAR_EXPIRY_DAYS):
                flags.append(f"expires within {NEAR_EXPIRY_DAYS} days")
        last = confirmed_at.get(row["key"])
        if row["status"] == "active" and (
            last is None or last.date() < today - timedelta(days=QUIET_DAYS)
        ):
            flags.append(f"no confirmed hit in {QUIET_DAYS} days")
        out.append(
            {
                "rule": row["key"],
                "title": row["title"],
                "status": row["status"],
                "version": row["current_version"],
                "hits": total,
                "shadow_hits": counted["shadow_hits"],
                "travellers": evaluated,
                "per_thousand": round(1000.0 * total / evaluated, 2) if evaluated else 0.0,
                "confirmed": counted["confirmed"],
                "false_positive": counted["false_positive"],
                "precision": counted["precision"],
                # What the port found on this rule's confirmed travellers.
                "outcomes": outcomes.get(row["key"], {}),
                "productive": sum(
                    n for o, n in outcomes.get(row["key"], {}).items() if o in PRODUCTIVE
                ),
                "flags": flags,
            }
        )
    return out


def _counted(by_status: Mapping[str, int]) -> dict[str, Any]:
    """Hits by status as the statistics count them (per rule and per version): shadow hits
    are what the rule would have raised, counted apart and never as alerts; precision is
    confirmed out of decided (confirmed and false positive) hits, None before any decision."""
    confirmed = by_status.get("confirmed", 0)
    false_positive = by_status.get("false_positive", 0)
    decided = confirmed + false_positive
    return {
        "hits": sum(n for status, n in by_status.items() if status != "shadow"),
        "shadow_hits": by_status.get("shadow", 0),
        "confirmed": confirmed,
        "false_positive": false_positive,
        "precision": round(confirmed / decided, 3) if decided else None,
    }


def _outcomes_by_rule(conn: Connection) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for row in case_repo.outcome_counts(conn):
        if row["source"] == "rule":
            key = str(row["source_key"]).removeprefix("rule:")
            bucket = out.setdefault(key, {})
            bucket[row["outcome"]] = bucket.get(row["outcome"], 0) + int(row["n"])
    return out


# -- the web editor: rules checked, tested and back-tested before they are stored ---------------


def check_definition(
    store: Store, definition: dict[str, Any]
) -> tuple[Rule | None, list[RuleError], list[TestResult]]:
    """One rule's definition checked against the stored lookup lists, and its own examples
    run when it is valid. Nothing is stored."""
    with store.connect() as conn:
        lookups = _stored_lookups(conn)
    rule, errors = parse_rule(definition, known_lookups=set(lookups))
    if rule is None:
        return None, errors, []
    return rule, errors, run_tests(rule, lookups)


def backtest_definition(
    store: Store,
    definition: dict[str, Any],
    *,
    date_from: date | None,
    date_to: date | None,
    examples: int = 20,
) -> BacktestReport:
    """`backtest` for a rule not stored yet (or an unsaved edit): nothing is stored."""
    with store.connect() as conn:
        lookups = _stored_lookups(conn)
    rule, errors = parse_rule(definition, known_lookups=set(lookups))
    if rule is None:
        raise RuleValidationError(errors)
    return _backtest(store, rule, 0, lookups, date_from, date_to, examples)


def save_definition(store: Store, definition: dict[str, Any]) -> tuple[PackReport, int]:
    """Store one rule as `import_pack` would (a new version only when it changed; an active
    or shadow rule only when its tests pass). Returns the report and the current version."""
    report = import_pack(store, yaml.safe_dump({"rules": [definition]}, sort_keys=False))
    with store.connect() as conn:
        row = repo.get_rule(conn, str(definition.get("id")))
    return report, int(row["current_version"]) if row else 0


def versions(store: Store, key: str) -> list[dict[str, Any]]:
    """Every version of a rule, oldest first: number, status, date, definition, and the
    current hits each found, counted as `stats` counts a rule's (hits, shadow hits,
    confirmed, false positives, precision). A hit found again by a later version counts for
    the later one: its explanation names the version that last found it."""
    with store.connect() as conn:
        row = repo.get_rule(conn, key)
        if row is None:
            raise RuleNotFoundError(f"no rule '{key}'")
        counts = repo.version_hit_counts(conn, key)
        return [
            {
                "version": int(v["version"]),
                "status": v["status"],
                "created_at": v["created_at"],
                "definition": dict(v["definition"]),
                **_counted(counts.get(int(v["version"]), {})),
            }
            for v in repo.versions_of(conn, int(row["id"]))
        ]


def lookup_lists(store: Store) -> dict[str, tuple[str, ...]]:
    """The stored lookup lists rules may name: name -> values."""
    with store.connect() as conn:
        return _stored_lookups(conn)
