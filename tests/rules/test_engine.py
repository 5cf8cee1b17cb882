"""The rule engine: anchored evaluation equals testing every rule; status, dates, explanations."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest

from firstline.rules.compile import describe, describe_message, example_facts
from firstline.rules.engine import ALGORITHM, RuleHit, RuleSet, _anchor
from firstline.rules.fields import CATALOGUE, FIELDS, FieldType
from firstline.rules.model import Condition, Group, Node, Rule, RuleStatus
from firstline.rules.operators import OPERATORS
from firstline.texts import said

CODES = ["BOG", "FRA", "IST", "COL", "DEU", "P", "M", "F", "LH", "CA", "CC"]
TEXTS = ["Garcia", "GARCIA", "maria jose", "1234", "23A", "x1234567"]
PATTERNS = ["^gar", "a$", "[0-9]+", "^x", "jose"]
DAY0 = date(2026, 1, 1)
LOOKUPS: dict[str, tuple[str, ...]] = {
    "hubs": ("FRA", "IST"),
    "south": ("BOG", "COL", "CA"),
    "names": ("garcia", "MARIA JOSE"),
}


def random_value(rng: random.Random, kind: FieldType) -> Any:
    """A fact value as the facts builder holds it (None now and then)."""
    if rng.random() < 0.15:
        return None
    if kind is FieldType.TEXT:
        return rng.choice(TEXTS + [""])
    if kind is FieldType.CODE:
        return rng.choice(CODES)
    if kind is FieldType.NUMBER:
        return rng.choice([rng.randint(-3, 12), rng.randint(0, 10) + 0.5])
    if kind is FieldType.DATE:
        return DAY0 + timedelta(days=rng.randint(0, 30))
    if kind is FieldType.BOOLEAN:
        return rng.random() < 0.5
    return tuple(sorted(rng.sample(CODES, rng.randint(0, 4))))


def random_facts(rng: random.Random) -> dict[str, Any]:
    return {f.name: random_value(rng, f.type) for f in FIELDS}


def _scalar(rng: random.Random, kind: FieldType) -> Any:
    if kind is FieldType.TEXT:
        return rng.choice(TEXTS)
    if kind in (FieldType.CODE, FieldType.CODES):
        return rng.choice(CODES)
    if kind is FieldType.NUMBER:
        return rng.randint(-3, 12)
    return DAY0 + timedelta(days=rng.randint(0, 30))


def random_condition(rng: random.Random, *, field: str | None = None) -> Condition:
    spec = CATALOGUE[field] if field else rng.choice(FIELDS)
    op = rng.choice(list(OPERATORS[spec.type]))
    shape = OPERATORS[spec.type][op][1]
    if shape == "none":
        return Condition(spec.name, op)
    if shape == "list":
        if spec.type is not FieldType.NUMBER and rng.random() < 0.25:
            name = "names" if spec.type is FieldType.TEXT else rng.choice(["hubs", "south"])
            return Condition(spec.name, op, None, name)
        # distinct values: duplicated values are covered by their own (xfail) test below
        pool = TEXTS if spec.type is FieldType.TEXT else CODES
        return Condition(spec.name, op, rng.sample(pool, rng.randint(1, 3)))
    if shape == "range":
        low, high = sorted([_scalar(rng, spec.type), _scalar(rng, spec.type)])
        return Condition(spec.name, op, [low, high])
    if shape == "days":
        return Condition(spec.name, op, rng.randint(0, 10))
    if shape == "regex":
        return Condition(spec.name, op, rng.choice(PATTERNS))
    return Condition(spec.name, op, _scalar(rng, spec.type))


_ANCHOR_FIELDS = [f.name for f in FIELDS if f.type in (FieldType.CODE, FieldType.BOOLEAN)]


def random_node(rng: random.Random, depth: int = 0) -> Node:
    if depth >= 2 or rng.random() < 0.5:
        # bias towards codes and booleans so that many rules get anchors
        field = rng.choice(_ANCHOR_FIELDS) if rng.random() < 0.6 else None
        return random_condition(rng, field=field)
    kind = rng.choice(["all", "all", "any", "not"])
    if kind == "not":
        return Group("not", (random_node(rng, depth + 1),))
    return Group(kind, tuple(random_node(rng, depth + 1) for _ in range(rng.randint(1, 4))))


def anchor_candidate(rng: random.Random) -> Condition:
    """A condition the engine may index on (code equals/in, boolean is_true/is_false)."""
    while True:
        cond = random_condition(rng, field=rng.choice(_ANCHOR_FIELDS))
        if cond.op in ("equals", "in", "is_true", "is_false"):
            return cond


def random_rule(rng: random.Random, i: int) -> Rule:
    if rng.random() < 0.7:
        items = [random_node(rng, 1) for _ in range(rng.randint(1, 4))]
        if rng.random() < 0.5:
            items.insert(rng.randint(0, len(items)), anchor_candidate(rng))
        when: Node = Group("all", tuple(items))
    else:
        when = random_node(rng)
    status = rng.choice([RuleStatus.ACTIVE, RuleStatus.SHADOW])
    return Rule(key=f"rule-{i}", title=f"Rule {i}", when=when, status=status)


def hit_keys(hits: list[RuleHit]) -> Counter[tuple[str, int, tuple[Any, ...]]]:
    return Counter((h.rule.key, h.version, tuple(h.matched)) for h in hits)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_anchored_evaluation_equals_testing_every_rule(seed: int) -> None:
    rng = random.Random(seed)
    rules = [(random_rule(rng, i), rng.randint(1, 3)) for i in range(200)]
    ruleset = RuleSet.build(rules, LOOKUPS)
    assert len(ruleset.rules) == 200
    assert 0.3 < ruleset.anchored_share < 1.0  # both paths are exercised
    anchored = {rule.key for rule, _version in rules if _anchor(rule) is not None}
    total = anchored_hits = 0
    for _ in range(400):
        facts = random_facts(rng)
        indexed, reference = ruleset.evaluate(facts), ruleset.evaluate_all(facts)
        assert hit_keys(indexed) == hit_keys(reference)
        total += len(reference)
        anchored_hits += sum(h.rule.key in anchored for h in reference)
    # the generated traffic does hit, anchored rules included
    assert total > 400 and anchored_hits > 50, (total, anchored_hits)


def test_anchored_evaluation_on_targeted_traffic() -> None:
    """Facts that satisfy a rule's anchor, so anchored rules actually get to fire."""
    rng = random.Random(42)
    rules = [(random_rule(rng, i), 1) for i in range(200)]
    ruleset = RuleSet.build(rules, LOOKUPS)
    anchored_hits = 0
    for rule, _version in rules:
        for _ in range(3):
            facts = random_facts(rng)
            items = rule.when.items if isinstance(rule.when, Group) else (rule.when,)
            for cond in items:
                if isinstance(cond, Condition) and cond.op in ("equals", "in", "is_true"):
                    kind = CATALOGUE[cond.field].type
                    if kind is FieldType.CODE and cond.lookup is None:
                        value = cond.value if cond.op == "equals" else rng.choice(cond.value)
                        facts[cond.field] = str(value).upper()
                    elif kind is FieldType.BOOLEAN:
                        facts[cond.field] = True
            indexed, reference = ruleset.evaluate(facts), ruleset.evaluate_all(facts)
            assert hit_keys(indexed) == hit_keys(reference)
            anchored_hits += len(reference)
    assert anchored_hits > 0


def test_explanations_as_templates_read_as_the_english() -> None:
    """Every condition, line and rule description of generated rules, filled from its
    template and parameters, is the English text the explanation holds."""
    rng = random.Random(7)
    rules = [(random_rule(rng, i), 1) for i in range(200)]
    for rule, _version in rules:
        assert said(describe_message(rule.when)) == describe(rule.when)
    ruleset = RuleSet.build(rules, LOOKUPS)
    explained = 0
    for _ in range(300):
        for hit in ruleset.evaluate(random_facts(rng)):
            explanation = hit.explanation()
            assert [said(line) for line in explanation["sentences"]] == explanation["summary"]
            for condition in explanation["conditions"]:
                assert said(condition) == condition["text"]
            explained += 1
    assert explained > 100


def _active(key: str, when: Node, **kw: Any) -> Rule:
    return Rule(key=key, title=key, when=when, status=RuleStatus.ACTIVE, **kw)


def test_repeated_anchor_values_hit_once() -> None:
    rule = _active("r1", Condition("flight.origin", "in", ["BOG", "bog"]))
    ruleset = RuleSet.build([(rule, 1)], {})
    facts = example_facts({"flight.origin": "BOG"})
    assert hit_keys(ruleset.evaluate(facts)) == hit_keys(ruleset.evaluate_all(facts))


def test_anchor_value_is_normalised_like_the_condition() -> None:
    rule = _active("r1", Condition("flight.origin", "equals", " bog"))
    ruleset = RuleSet.build([(rule, 1)], {})
    facts = example_facts({"flight.origin": "BOG"})
    assert len(ruleset.evaluate_all(facts)) == 1
    assert hit_keys(ruleset.evaluate(facts)) == hit_keys(ruleset.evaluate_all(facts))


def test_anchor_is_used_and_lookup_conditions_are_not_anchors() -> None:
    anchored = _active(
        "anchored",
        Group(
            "all",
            (Condition("payment.cash", "is_true"), Condition("flight.origin", "equals", "BOG")),
        ),
    )
    free = _active("free", Condition("flight.origin", "in", None, "south"))
    ruleset = RuleSet.build([(anchored, 1), (free, 1)], LOOKUPS)
    assert ruleset.anchored_share == 0.5
    facts = example_facts({"payment.cash": True, "flight.origin": "BOG"})
    assert sorted(h.rule.key for h in ruleset.evaluate(facts)) == ["anchored", "free"]
    facts = example_facts({"payment.cash": True, "flight.origin": "FRA"})
    assert ruleset.evaluate(facts) == []


def test_is_false_anchor() -> None:
    rule = _active("minor-false", Condition("traveller.minor", "is_false"))
    ruleset = RuleSet.build([(rule, 1)], {})
    assert ruleset.anchored_share == 1.0
    assert [h.rule.key for h in ruleset.evaluate(example_facts({"traveller.minor": False}))] == [
        "minor-false"
    ]
    assert ruleset.evaluate(example_facts({"traveller.minor": True})) == []
    assert ruleset.evaluate(example_facts({})) == []


def test_empty_ruleset() -> None:
    ruleset = RuleSet([])
    assert ruleset.anchored_share == 0.0
    assert ruleset.evaluate(example_facts({})) == []


# -- status and dates ------------------------------------------------------------------------

CASH = Condition("payment.cash", "is_true")


def _rule(key: str, status: RuleStatus, **kw: Any) -> Rule:
    return Rule(key=key, title=key, when=CASH, status=status, **kw)


def test_build_keeps_active_and_shadow_only() -> None:
    rules = [(_rule(s.value, s), 1) for s in RuleStatus]
    ruleset = RuleSet.build(rules, {})
    assert sorted(item.rule.key for item in ruleset.rules) == ["active", "shadow"]
    hits = {h.rule.key: h for h in ruleset.evaluate(example_facts({"payment.cash": True}))}
    assert set(hits) == {"active", "shadow"}
    assert hits["shadow"].shadow is True
    assert hits["active"].shadow is False


def test_build_with_explicit_statuses() -> None:
    rules = [(_rule(s.value, s), 1) for s in RuleStatus]
    ruleset = RuleSet.build(rules, {}, statuses=[RuleStatus.DRAFT])
    assert [item.rule.key for item in ruleset.rules] == ["draft"]


def test_build_keeps_rules_in_force_on_the_date() -> None:
    rules = [
        (_rule("open", RuleStatus.ACTIVE), 1),
        (_rule("current", RuleStatus.ACTIVE, start=date(2026, 1, 1), expiry=date(2026, 6, 30)), 1),
        (_rule("future", RuleStatus.ACTIVE, start=date(2026, 7, 1)), 1),
        (_rule("expired", RuleStatus.ACTIVE, expiry=date(2025, 12, 31)), 1),
    ]

    def keys(on: date | None) -> list[str]:
        return sorted(item.rule.key for item in RuleSet.build(rules, {}, on=on).rules)

    assert keys(None) == ["current", "expired", "future", "open"]
    assert keys(date(2026, 3, 1)) == ["current", "open"]
    assert keys(date(2026, 1, 1)) == ["current", "open"]  # start day included
    assert keys(date(2026, 6, 30)) == ["current", "open"]  # expiry day included
    assert keys(date(2026, 7, 1)) == ["future", "open"]
    assert keys(date(2025, 12, 31)) == ["expired", "open"]


def test_in_force() -> None:
    rule = _rule("r", RuleStatus.ACTIVE, start=date(2026, 1, 1), expiry=date(2026, 1, 31))
    assert not rule.in_force(date(2025, 12, 31))
    assert rule.in_force(date(2026, 1, 1))
    assert rule.in_force(date(2026, 1, 31))
    assert not rule.in_force(date(2026, 2, 1))


# -- explanation -----------------------------------------------------------------------------


def test_hit_explanation() -> None:
    rule = Rule(
        key="late-cash",
        title="Late cash",
        when=Group(
            "all",
            (
                CASH,
                Condition("booking.hours_before_departure", "less_than", 48),
                Group("not", (Condition("flight.origin", "in", ["FRA"]),)),
            ),
        ),
        score=70,
        status=RuleStatus.SHADOW,
    )
    ruleset = RuleSet.build([(rule, 4)], {})
    facts = example_facts(
        {"payment.cash": True, "booking.hours_before_departure": 6, "flight.origin": "BOG"}
    )
    (hit,) = ruleset.evaluate(facts)
    explained = hit.explanation()
    # The lines and conditions as templates (for pages in other languages) read as the text.
    sentences = explained.pop("sentences")
    assert [said(line) for line in sentences] == explained["summary"]
    for condition in explained["conditions"]:
        template = {"template": condition.pop("template"), "params": condition.pop("params")}
        assert said(template) == condition["text"]
    assert explained == {
        "algorithm": ALGORITHM,
        "rule": "late-cash",
        "version": 4,
        "title": "Late cash",
        "rule_text": "(Paid in cash is true and Booked hours before departure < 48 and "
        "not (Origin airport is one of FRA))",
        "score": 70,
        "shadow": True,
        "conditions": [
            {
                "field": "payment.cash",
                "op": "is_true",
                "expected": "nothing",
                "actual": "yes",
                "text": "Paid in cash is true (yes)",
            },
            {
                "field": "booking.hours_before_departure",
                "op": "less_than",
                "expected": "48",
                "actual": "6",
                "text": "Booked hours before departure < 48 (6)",
            },
            {
                "field": "",
                "op": "not",
                "expected": "Origin airport is one of FRA",
                "actual": "",
                "text": "not (Origin airport is one of FRA)",
            },
        ],
        "summary": [
            "Rule 'Late cash' matched.",
            "Paid in cash is true (yes).",
            "Booked hours before departure < 48 (6).",
            "Not (Origin airport is one of FRA).",
        ],
    }
