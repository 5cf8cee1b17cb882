"""The rule editor's form and the rule definition, both ways (firstline/rules/form.py)."""

from __future__ import annotations

from typing import Any

import pytest

from firstline.rules.fields import FIELDS, FieldType
from firstline.rules.form import (
    CondRow,
    GroupRow,
    RuleForm,
    blank_form,
    from_definition,
    parse_form,
    to_definition,
)
from firstline.rules.parse import load_pack, parse_rule
from firstline.services.rules import EXAMPLE_PACK

PACK, _ERRORS = load_pack(EXAMPLE_PACK.read_text(encoding="utf-8"))
LOOKUPS = {item.name for item in PACK.lookups}


def _round_trip(definition: dict[str, Any]) -> dict[str, Any]:
    """Definition -> form -> the fields the page posts -> form -> definition."""
    posted = from_definition(definition).pairs()
    return to_definition(parse_form(posted)).definition


def _rule(when: Any, **extra: Any) -> dict[str, Any]:
    return {"id": "r1", "title": "A rule", "status": "draft", "when": when, **extra}


@pytest.mark.parametrize("rule", PACK.rules, ids=lambda r: r.key)
def test_every_rule_of_the_example_pack_survives_the_editor(rule: Any) -> None:
    assert rule.definition and not _ERRORS
    assert _round_trip(rule.definition) == rule.definition


# One condition per field type and operator shape, as an analyst would write it.
CONDITIONS: list[dict[str, Any]] = [
    {"field": "traveller.surname", "op": "equals", "value": "Garcia"},
    {"field": "traveller.surname", "op": "in", "value": ["Garcia, jr", "Smith"]},
    {"field": "traveller.surname", "op": "matches", "value": "^MC[A-Z]+$"},
    {"field": "traveller.nationality", "op": "in", "value": ["COL", "PER"]},
    {"field": "traveller.nationality", "op": "not_in", "lookup": "cocaine_source_countries"},
    {"field": "flight.origin", "op": "starts_with", "value": "BO"},
    {"field": "traveller.age", "op": "between", "value": [18, 25]},
    {"field": "payment.amount", "op": "greater_than", "value": 1250.5},
    {"field": "booking.days_before_departure", "op": "at_most", "value": 3},
    {"field": "flight.departure_date", "op": "before", "value": "2026-12-24"},
    {"field": "flight.departure_date", "op": "between", "value": ["2026-12-01", "2026-12-31"]},
    {"field": "flight.departure_date", "op": "within_days", "value": 7},
    {"field": "payment.cash", "op": "is_true"},
    {"field": "payment.third_party", "op": "is_false"},
    {"field": "document.number", "op": "is_empty"},
    {"field": "itinerary.transit_airports", "op": "contains", "value": "FRA"},
    {"field": "itinerary.transit_airports", "op": "contains_any", "lookup": "hub_airports"},
    {"field": "payment.forms", "op": "contains_all", "value": ["CA", "MS"]},
    {"field": "itinerary.countries", "op": "contains_none", "value": ["DEU"]},
]


@pytest.mark.parametrize("condition", CONDITIONS, ids=lambda c: f"{c['field']}-{c['op']}")
def test_each_field_type_and_operator_round_trips(condition: dict[str, Any]) -> None:
    definition = _rule(condition)
    assert _round_trip(definition) == definition
    rule, errors = parse_rule(definition, known_lookups=LOOKUPS)
    assert rule is not None, errors


def test_the_conditions_cover_every_field_type() -> None:
    types = {f.type for f in FIELDS if any(c["field"] == f.name for c in CONDITIONS)}
    assert types == set(FieldType)


def test_nested_groups_round_trip() -> None:
    when = {
        "any": [
            {"field": "payment.cash", "op": "is_true"},
            {
                "all": [
                    {"field": "traveller.age", "op": "less_than", "value": 30},
                    {"not": {"field": "traveller.nationality", "op": "in", "value": ["DEU"]}},
                    {
                        "not": {
                            "all": [
                                {"field": "booking.group", "op": "is_true"},
                                {"any": [{"field": "bags.count", "op": "at_least", "value": 2}]},
                            ]
                        }
                    },
                ]
            },
        ]
    }
    definition = _rule(when, tests={"must_hit": [{"payment.cash": True}]})
    assert _round_trip(definition) == definition
    form = from_definition(definition)
    assert form.root.kind == "any"
    inner = form.root.children[1]
    assert isinstance(inner, GroupRow) and inner.kind == "all"
    # `not` over several conditions shows them directly in the "not" group.
    negation = inner.children[2]
    assert isinstance(negation, GroupRow) and negation.kind == "not"
    assert len(negation.children) == 2


def test_tests_of_every_type_round_trip() -> None:
    tests = {
        "must_hit": [
            {
                "payment.cash": True,
                "booking.hours_before_departure": 6,
                "payment.amount": 99.5,
                "itinerary.transit_airports": ["FRA", "IST"],
                "traveller.nationality": "COL",
                "traveller.surname": "Garcia: the second",
                "flight.departure_date": "2026-12-01",
            }
        ],
        "must_not_hit": [{"payment.cash": False, "document.expires_in_days": -3}],
    }
    definition = _rule({"field": "payment.cash", "op": "is_true"}, tests=tests)
    assert _round_trip(definition) == definition


def test_the_form_as_posted_builds_the_definition() -> None:
    posted = [
        ("id", " late-cash "), ("title", "Late cash"), ("description", "Why\r\nit exists"),
        ("category", "cash"), ("severity", "high"), ("score", "70"), ("owner", ""),
        ("start", "2026-01-01"), ("expiry", "2027-01-01"), ("status", "draft"),
        ("kind.r", "all"),
        ("node", "r-a1"), ("kind.r-a1", "cond"), ("field.r-a1", "payment.cash"),
        ("op.r-a1", "is_true"),
        ("node", "r-b2"), ("kind.r-b2", "any"),
        ("node", "r-b2-c3"), ("kind.r-b2-c3", "cond"), ("field.r-b2-c3", "flight.origin"),
        ("op.r-b2-c3", "in"), ("value.r-b2-c3", "bog, lim\ngru"), ("lookup.r-b2-c3", ""),
        ("node", "r-b2-d4"), ("kind.r-b2-d4", "cond"), ("field.r-b2-d4", ""),
        ("op.r-b2-d4", ""), ("value.r-b2-d4", ""),
        ("example", "e1"), ("example_kind.e1", "must_not_hit"),
        ("example_facts.e1", "payment.cash: no\r\n\r\nflight.origin: bog"),
        ("backtest_from", "2026-01-01"), ("csrf_token", "x"),
    ]  # fmt: skip
    built = to_definition(parse_form(posted))
    assert built.definition == {
        "id": "late-cash", "title": "Late cash", "description": "Why\nit exists",
        "category": "cash", "severity": "high", "score": 70, "start": "2026-01-01",
        "expiry": "2027-01-01", "status": "draft",
        "when": {"all": [
            {"field": "payment.cash", "op": "is_true"},
            {"any": [{"field": "flight.origin", "op": "in", "value": ["BOG", "LIM", "GRU"]}]},
        ]},
        "tests": {"must_not_hit": [{"payment.cash": False, "flight.origin": "BOG"}]},
    }  # fmt: skip
    # The checker's locations lead back to the form's rows and fields.
    assert built.place_of("rule.when.all[1].any[0].value[2]") == "r-b2-c3"
    assert built.place_of("rule.when.all[1]") == "r-b2"
    assert built.place_of("rules[0] (late-cash).title") == "title"
    assert built.place_of("rule late-cash tests.must_not_hit[0]") == "example-e1"
    assert built.place_of("rule") == "rule"


def test_mistakes_stay_for_the_checker_to_locate() -> None:
    form = RuleForm(
        {"id": "x1", "title": "T", "score": "lots"},
        GroupRow("r", "all", [CondRow("r-0", "traveller.age", "less_than", "young")]),
    )
    built = to_definition(form)
    assert built.definition["score"] == "lots"
    assert built.definition["when"] == {"field": "traveller.age", "op": "less_than",
                                        "value": "young"}  # fmt: skip
    rule, errors = parse_rule(built.definition, known_lookups=set())
    assert rule is None
    places = {built.place_of(e.location) for e in errors}
    assert places == {"score", "r-0"}


def test_a_blank_form_is_a_draft_with_one_empty_condition() -> None:
    form = blank_form()
    assert form.meta["status"] == "draft" and len(form.root.children) == 1
    built = to_definition(form)
    # The empty row is left out: the checker asks for conditions.
    assert built.definition["when"] == {"all": []}
    _rule, errors = parse_rule(built.definition, known_lookups=set())
    assert any(e.location == "rule.when.all" for e in errors)


def test_a_single_condition_under_a_not_group_and_an_empty_not() -> None:
    definition = _rule({"not": {"field": "payment.cash", "op": "is_true"}})
    assert _round_trip(definition) == definition
    form = RuleForm({"id": "x1"}, GroupRow("r", "all", [GroupRow("r-0", "not", [])]))
    assert to_definition(form).definition["when"] == {"not": None}
