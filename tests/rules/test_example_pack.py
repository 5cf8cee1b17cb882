"""The example rule pack shipped with firstline: valid, self-tested, owned, dated."""

from __future__ import annotations

import pytest

from firstline.rules.compile import example_facts
from firstline.rules.engine import RuleSet
from firstline.rules.model import Rule, RulePack, RuleStatus
from firstline.rules.parse import load_pack
from firstline.services.rules import EXAMPLE_PACK, run_tests

PLANTED = ("cash-courier-profile", "adult-with-unrelated-minors", "broken-travel")


@pytest.fixture(scope="module")
def pack() -> RulePack:
    parsed, errors = load_pack(EXAMPLE_PACK.read_text(encoding="utf-8"))
    assert errors == []
    return parsed


@pytest.fixture(scope="module")
def lookups(pack: RulePack) -> dict[str, tuple[str, ...]]:
    return {item.name: item.values for item in pack.lookups}


def _rules(pack: RulePack) -> dict[str, Rule]:
    return {rule.key: rule for rule in pack.rules}


def test_example_pack_parses_without_errors(pack: RulePack) -> None:
    assert len(pack.rules) >= 5
    assert {item.name for item in pack.lookups} >= {"hub_airports"}
    raw_ids = [
        line.split(":", 1)[1].strip()
        for line in EXAMPLE_PACK.read_text(encoding="utf-8").splitlines()
        if line.startswith("  - id:")
    ]
    assert [rule.key for rule in pack.rules] == raw_ids  # nothing dropped


def test_every_rule_has_tests_and_they_pass(
    pack: RulePack, lookups: dict[str, tuple[str, ...]]
) -> None:
    for rule in pack.rules:
        results = run_tests(rule, lookups)
        if rule.status is RuleStatus.ACTIVE:
            assert rule.tests.must_hit and rule.tests.must_not_hit, rule.key
        failed = [(r.example, r.detail) for r in results if not r.passed]
        assert failed == [], rule.key


def test_every_rule_has_owner_start_and_expiry(pack: RulePack) -> None:
    for rule in pack.rules:
        assert rule.owner, rule.key
        assert rule.start is not None and rule.expiry is not None, rule.key
        assert rule.start < rule.expiry, rule.key
        assert rule.title and rule.category and rule.severity, rule.key


def test_planted_profile_rules_exist_and_are_active(pack: RulePack) -> None:
    rules = _rules(pack)
    for key in PLANTED:
        assert key in rules
        assert rules[key].status is RuleStatus.ACTIVE
        assert rules[key].in_force(rules[key].start)  # type: ignore[arg-type]


def test_example_pack_has_a_shadow_rule(pack: RulePack) -> None:
    assert any(rule.status is RuleStatus.SHADOW for rule in pack.rules)


@pytest.mark.parametrize(
    ("key", "traveller"),
    [
        (
            "cash-courier-profile",
            {
                "payment.cash": True,
                "booking.hours_before_departure": 20,
                "itinerary.one_way": True,
                "itinerary.transit_airports": ["ist"],
            },
        ),
        (
            "adult-with-unrelated-minors",
            {
                "traveller.minor": False,
                "booking.adults": 1,
                "booking.unrelated_minors": 2,
                "payment.third_party": True,
            },
        ),
        ("broken-travel", {"itinerary.broken_travel": True}),
    ],
)
def test_planted_profiles_are_found_by_the_pack(
    pack: RulePack, lookups: dict[str, tuple[str, ...]], key: str, traveller: dict[str, object]
) -> None:
    """A synthetic traveller of each planted profile is hit by its rule, through the engine."""
    ruleset = RuleSet.build([(rule, 1) for rule in pack.rules], lookups)
    facts = example_facts(traveller)
    hits = ruleset.evaluate(facts)
    assert key in {hit.rule.key for hit in hits}
    assert not next(h for h in hits if h.rule.key == key).shadow
    assert {h.rule.key for h in hits} == {h.rule.key for h in ruleset.evaluate_all(facts)}


def test_ordinary_traveller_hits_nothing(
    pack: RulePack, lookups: dict[str, tuple[str, ...]]
) -> None:
    ruleset = RuleSet.build([(rule, 1) for rule in pack.rules], lookups)
    facts = example_facts(
        {
            "traveller.minor": False,
            "payment.cash": False,
            "booking.hours_before_departure": 700,
            "booking.days_before_departure": 29,
            "booking.adults": 2,
            "booking.unrelated_minors": 0,
            "itinerary.one_way": False,
            "itinerary.broken_travel": False,
            "itinerary.transit_airports": ["FRA"],
            "flight.origin_country": "DEU",
            "document.expires_in_days": 900,
            "booking.group": False,
        }
    )
    assert ruleset.evaluate(facts) == []
