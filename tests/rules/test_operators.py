"""Every operator of every field type, raw and through the compiler (normalisation)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

import pytest

from firstline.rules.compile import compile_rule, example_facts
from firstline.rules.fields import CATALOGUE, FieldType
from firstline.rules.model import Condition, Rule
from firstline.rules.operators import OPERATORS

DEPARTURE = date(2026, 11, 23)


def hit(
    field: str,
    op: str,
    value: Any = None,
    facts: dict[str, Any] | None = None,
    *,
    lookup: str | None = None,
    lookups: Mapping[str, tuple[str, ...]] | None = None,
) -> bool:
    """Compile one condition into a rule and test it on an example traveller."""
    rule = Rule(key="op-test", title="Operator test", when=Condition(field, op, value, lookup))
    compiled = compile_rule(rule, lookups or {})
    return compiled.check(example_facts(facts or {})) is not None


# -- text ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "value", "actual", "expected"),
    [
        ("equals", "garcia", "GARCIA", True),
        ("equals", "Garcia", "garcía", False),
        ("equals", "GARCIA", "GARCIAS", False),
        ("not_equals", "garcia", "GARCIA", False),
        ("not_equals", "garcia", "Lopez", True),
        ("in", ["lopez", "GARCIA"], "Garcia", True),
        ("in", ["lopez", "perez"], "Garcia", False),
        ("not_in", ["lopez", "GARCIA"], "garcia", False),
        ("not_in", ["lopez", "perez"], "Garcia", True),
        ("contains", "RCI", "garcia", True),
        ("contains", "xyz", "garcia", False),
        ("starts_with", "GAR", "garcia", True),
        ("starts_with", "cia", "garcia", False),
        ("ends_with", "CIA", "garcia", True),
        ("ends_with", "gar", "garcia", False),
        ("matches", "^gar.*a$", "GARCIA", True),
        ("matches", "^[0-9]+$", "GARCIA", False),
        ("is_empty", None, "", True),
        ("is_empty", None, "GARCIA", False),
        ("is_not_empty", None, "GARCIA", True),
        ("is_not_empty", None, "", False),
    ],
)
def test_text_operators_are_case_insensitive(
    op: str, value: Any, actual: str, expected: bool
) -> None:
    assert hit("traveller.surname", op, value, {"traveller.surname": actual}) is expected


def test_text_in_with_lookup_is_case_insensitive() -> None:
    lookups = {"names": ("Garcia", "LOPEZ")}
    facts = {"traveller.surname": "lopez"}
    assert hit("traveller.surname", "in", None, facts, lookup="names", lookups=lookups)
    facts = {"traveller.surname": "perez"}
    assert not hit("traveller.surname", "in", None, facts, lookup="names", lookups=lookups)


# -- code ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "value", "actual", "expected"),
    [
        ("equals", "bog", "BOG", True),
        ("equals", " bog ", "BOG", True),
        ("equals", "bog", "FRA", False),
        ("not_equals", "bog", "BOG", False),
        ("not_equals", "bog", "FRA", True),
        ("in", ["bog", "lim"], "LIM", True),
        ("in", ["bog", "lim"], "FRA", False),
        ("not_in", ["bog", "lim"], "LIM", False),
        ("not_in", ["bog", "lim"], "FRA", True),
        ("is_empty", None, "", True),
        ("is_empty", None, "BOG", False),
        ("is_not_empty", None, "BOG", True),
    ],
)
def test_code_operators_upper_case_the_rule_value(
    op: str, value: Any, actual: str, expected: bool
) -> None:
    assert hit("flight.origin", op, value, {"flight.origin": actual}) is expected


def test_code_facts_from_examples_are_upper_cased() -> None:
    assert hit("flight.origin", "equals", "BOG", {"flight.origin": "bog"})


def test_code_starts_with_negative() -> None:
    assert not hit("flight.origin", "starts_with", "FR", {"flight.origin": "BOG"})


def test_code_starts_with_matches() -> None:
    assert hit("flight.origin", "starts_with", "bo", {"flight.origin": "BOG"})
    assert hit("flight.origin", "starts_with", "BO", {"flight.origin": "bog"})
    assert hit("flight.origin", "starts_with", "BOG", {"flight.origin": "BOG"})


# -- number ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "value", "actual", "expected"),
    [
        ("equals", 3, 3, True),
        ("equals", 3, 3.0, True),
        ("equals", 3, 4, False),
        ("not_equals", 3, 4, True),
        ("not_equals", 3, 3, False),
        ("less_than", 48, 47.5, True),
        ("less_than", 48, 48, False),
        ("at_most", 48, 48, True),
        ("at_most", 48, 49, False),
        ("greater_than", 0, 1, True),
        ("greater_than", 0, 0, False),
        ("at_least", 2, 2, True),
        ("at_least", 2, 1, False),
        ("between", [2, 5], 2, True),
        ("between", [2, 5], 5, True),
        ("between", [2, 5], 3.5, True),
        ("between", [2, 5], 1.99, False),
        ("between", [2, 5], 6, False),
        ("between", [-10, -1], -1, True),
        ("is_empty", None, 0, False),
        ("is_not_empty", None, 0, True),
    ],
)
def test_number_operators(op: str, value: Any, actual: float, expected: bool) -> None:
    name = "booking.hours_before_departure"
    assert hit(name, op, value, {name: actual}) is expected


def test_number_zero_is_not_missing() -> None:
    assert hit("bags.count", "equals", 0, {"bags.count": 0})
    assert not hit("bags.count", "is_empty", None, {"bags.count": 0})


# -- date ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "value", "actual", "expected"),
    [
        ("equals", "2026-11-23", "2026-11-23", True),
        ("equals", date(2026, 11, 23), "2026-11-24", False),
        ("before", "2026-11-24", "2026-11-23", True),
        ("before", "2026-11-23", "2026-11-23", False),
        ("after", "2026-11-22", "2026-11-23", True),
        ("after", "2026-11-23", "2026-11-23", False),
        ("between", ["2026-11-01", "2026-11-23"], "2026-11-23", True),
        ("between", ["2026-11-23", "2026-11-30"], "2026-11-23", True),
        ("between", ["2026-11-01", "2026-11-22"], "2026-11-23", False),
        ("within_days", 0, "2026-11-23", True),
        ("is_empty", None, "2026-11-23", False),
        ("is_not_empty", None, "2026-11-23", True),
    ],
)
def test_date_operators(op: str, value: Any, actual: str, expected: bool) -> None:
    assert hit("flight.departure_date", op, value, {"flight.departure_date": actual}) is expected


def test_within_days_is_measured_from_the_departure_date_both_ways() -> None:
    within = OPERATORS[FieldType.DATE]["within_days"][0]
    assert within(date(2026, 12, 2), (DEPARTURE, 9))
    assert not within(date(2026, 12, 2), (DEPARTURE, 8))
    assert within(date(2026, 11, 14), (DEPARTURE, 9))
    assert not within(date(2026, 11, 13), (DEPARTURE, 9))
    assert within(DEPARTURE, (DEPARTURE, 0))
    assert not within(None, (DEPARTURE, 100))


def test_within_days_missing_departure_date_does_not_hit() -> None:
    assert not hit("flight.departure_date", "within_days", 5, {})


# -- boolean ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "actual", "expected"),
    [
        ("is_true", True, True),
        ("is_true", False, False),
        ("is_true", "true", True),  # example values are normalised
        ("is_true", "no", False),
        ("is_false", False, True),
        ("is_false", True, False),
        ("is_false", "false", True),
        ("is_empty", False, False),
        ("is_not_empty", False, True),
    ],
)
def test_boolean_operators(op: str, actual: Any, expected: bool) -> None:
    assert hit("payment.cash", op, None, {"payment.cash": actual}) is expected


def test_boolean_operators_need_real_booleans() -> None:
    is_true = OPERATORS[FieldType.BOOLEAN]["is_true"][0]
    is_false = OPERATORS[FieldType.BOOLEAN]["is_false"][0]
    assert not is_true(1, None)
    assert not is_false(0, None)
    assert not is_false(None, None)


# -- codes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "value", "actual", "expected"),
    [
        ("contains", "fra", ["BOG", "FRA", "IST"], True),
        ("contains", "MAD", ["BOG", "FRA", "IST"], False),
        ("contains_any", ["mad", "ist"], ["BOG", "FRA", "IST"], True),
        ("contains_any", ["mad", "lhr"], ["BOG", "FRA", "IST"], False),
        ("contains_all", ["fra", "ist"], ["BOG", "FRA", "IST"], True),
        ("contains_all", ["fra", "mad"], ["BOG", "FRA", "IST"], False),
        ("contains_none", ["mad", "lhr"], ["BOG", "FRA", "IST"], True),
        ("contains_none", ["mad", "ist"], ["BOG", "FRA", "IST"], False),
        ("contains_none", ["mad"], [], True),
        ("contains_any", ["mad"], [], False),
        ("is_empty", None, [], True),
        ("is_empty", None, ["FRA"], False),
        ("is_not_empty", None, ["FRA"], True),
        ("is_not_empty", None, [], False),
    ],
)
def test_codes_operators(op: str, value: Any, actual: list[str], expected: bool) -> None:
    assert hit("itinerary.airports", op, value, {"itinerary.airports": actual}) is expected


def test_codes_examples_may_be_space_separated_and_lower_case() -> None:
    facts = {"itinerary.airports": "bog fra ist"}
    assert hit("itinerary.airports", "contains_all", ["FRA", "IST"], facts)


def test_codes_contains_any_with_lookup() -> None:
    lookups = {"hubs": ("fra", "IST")}
    name = "itinerary.transit_airports"
    assert hit(name, "contains_any", None, {name: ["IST"]}, lookup="hubs", lookups=lookups)
    assert not hit(name, "contains_any", None, {name: ["MAD"]}, lookup="hubs", lookups=lookups)


# -- missing values --------------------------------------------------------------------------

_SAMPLE_EXPECTED: dict[str, Any] = {
    "one": "X",
    "list": frozenset({"X"}),
    "range": (1, 2),
    "regex": re.compile("x"),
    "days": (DEPARTURE, 3),
    "none": None,
}
_ALL_OPS = [(kind, op) for kind, ops in OPERATORS.items() for op in ops]


@pytest.mark.parametrize(("kind", "op"), _ALL_OPS, ids=[f"{k.value}-{o}" for k, o in _ALL_OPS])
def test_every_operator_but_is_empty_is_false_on_missing_value(kind: FieldType, op: str) -> None:
    test, shape, _words = OPERATORS[kind][op]
    assert test(None, _SAMPLE_EXPECTED[shape]) is (op == "is_empty")


def test_every_field_type_has_the_empty_operators() -> None:
    assert set(OPERATORS) == set(FieldType)
    for ops in OPERATORS.values():
        assert {"is_empty", "is_not_empty"} <= set(ops)


_RULE_VALUE: dict[tuple[FieldType, str], Any] = {
    (FieldType.TEXT, "one"): "x",
    (FieldType.TEXT, "list"): ["x"],
    (FieldType.TEXT, "regex"): "x",
    (FieldType.CODE, "one"): "X",
    (FieldType.CODE, "list"): ["X"],
    (FieldType.NUMBER, "one"): 1,
    (FieldType.NUMBER, "range"): [1, 2],
    (FieldType.DATE, "one"): "2026-11-23",
    (FieldType.DATE, "range"): ["2026-11-01", "2026-11-30"],
    (FieldType.DATE, "days"): 3,
    (FieldType.CODES, "one"): "X",
    (FieldType.CODES, "list"): ["X"],
}
_FIELD_OPS = [(name, op) for name, spec in CATALOGUE.items() for op in OPERATORS[spec.type]]


@pytest.mark.parametrize(("name", "op"), _FIELD_OPS)
def test_no_compiled_condition_fires_on_an_empty_traveller(name: str, op: str) -> None:
    """Every field of the catalogue, every operator: only is_empty holds on missing data."""
    kind = CATALOGUE[name].type
    shape = OPERATORS[kind][op][1]
    value = _RULE_VALUE.get((kind, shape))
    assert hit(name, op, value, {}) is (op == "is_empty")
