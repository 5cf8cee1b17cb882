"""Compiling rules: nested logic, explanations, lookups, descriptions, example facts."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from firstline.rules.compile import (
    Matched,
    compile_node,
    compile_rule,
    describe,
    example_facts,
    normalise,
)
from firstline.rules.fields import CATALOGUE, FieldType
from firstline.rules.model import Condition, Group, Rule
from firstline.rules.parse import load_pack
from firstline.texts import message, said

A = Condition("payment.cash", "is_true")
B = Condition("itinerary.one_way", "is_true")
C = Condition("booking.group", "is_true")
NAMES = {A.field: "a", B.field: "b", C.field: "c"}


def facts_for(a: bool, b: bool, c: bool) -> dict[str, object]:
    return example_facts({A.field: a, B.field: b, C.field: c})


# (node, python equivalent)
LOGIC = [
    (Group("all", (A, B, C)), lambda a, b, c: a and b and c),
    (Group("any", (A, B, C)), lambda a, b, c: a or b or c),
    (Group("not", (A,)), lambda a, b, c: not a),
    (Group("all", (A, Group("any", (B, C)))), lambda a, b, c: a and (b or c)),
    (Group("any", (A, Group("all", (B, C)))), lambda a, b, c: a or (b and c)),
    (Group("all", (A, Group("not", (B,)))), lambda a, b, c: a and not b),
    (Group("not", (Group("any", (A, B)),)), lambda a, b, c: not (a or b)),
    (Group("not", (Group("all", (A, B, C)),)), lambda a, b, c: not (a and b and c)),
    (
        Group("any", (Group("all", (A, Group("not", (C,)))), Group("all", (B, C)))),
        lambda a, b, c: (a and not c) or (b and c),
    ),
    (Group("not", (Group("not", (A,)),)), lambda a, b, c: a),
]


@pytest.mark.parametrize(("node", "truth"), LOGIC, ids=[describe(n) for n, _ in LOGIC])
def test_nested_logic_truth_table(node: Group, truth: object) -> None:
    check = compile_node(node, {})
    for a, b, c in itertools.product([False, True], repeat=3):
        expected = truth(a, b, c)  # type: ignore[operator]
        assert (check(facts_for(a, b, c)) is not None) is expected, (a, b, c)


def test_missing_fact_inside_not_makes_not_true() -> None:
    """`not` of a condition on missing data holds: missing data never satisfies the inner."""
    check = compile_node(Group("not", (A,)), {})
    assert check(example_facts({})) is not None


def test_all_collects_every_matched_condition_in_order() -> None:
    node = Group("all", (A, Group("any", (B, C))))
    matched = compile_node(node, {})(facts_for(True, False, True))
    assert matched is not None
    assert [m.field for m in matched] == [A.field, C.field]


def test_any_explains_the_first_branch_that_held() -> None:
    matched = compile_node(Group("any", (A, B)), {})(facts_for(True, True, False))
    assert matched is not None and [m.field for m in matched] == [A.field]


def test_matched_text_mentions_label_expected_value_and_traveller_value() -> None:
    cond = Condition("booking.hours_before_departure", "less_than", 48)
    matched = compile_node(cond, {})(example_facts({cond.field: 6}))
    assert matched == [
        Matched(
            "booking.hours_before_departure",
            "less_than",
            "48",
            "6",
            "Booked hours before departure < 48 (6)",
        )
    ]


@pytest.mark.parametrize(
    ("cond", "facts", "text"),
    [
        (
            Condition("flight.origin", "equals", "BOG"),
            {"flight.origin": "BOG"},
            "Origin airport is BOG (BOG)",
        ),
        (
            Condition("traveller.nationality", "in", ["VEN", "COL"]),
            {"traveller.nationality": "COL"},
            "Nationality is one of COL, VEN (COL)",
        ),
        (
            Condition("payment.cash", "is_true"),
            {"payment.cash": True},
            "Paid in cash is true (yes)",
        ),
        (
            Condition("booking.agency_id", "is_empty"),
            {},
            "Agency is empty (nothing)",
        ),
        (
            Condition("payment.amount", "between", [1000, 2000]),
            {"payment.amount": 1250.0},
            "Amount paid is between 1000, 2000 (1250)",
        ),
        (
            Condition("itinerary.airports", "contains_all", ["FRA", "BOG"]),
            {"itinerary.airports": ["IST", "BOG", "FRA"]},
            "Airports of the journey contains all of BOG, FRA (BOG, FRA, IST)",
        ),
        (
            Condition("flight.departure_date", "within_days", 3),
            {"flight.departure_date": "2026-11-23"},
            "Departure date is within 3 days of departure (2026-11-23)",
        ),
        (
            Condition("flight.departure_date", "before", date(2026, 12, 1)),
            {"flight.departure_date": "2026-11-23"},
            "Departure date is before 2026-12-01 (2026-11-23)",
        ),
    ],
)
def test_explanation_texts(cond: Condition, facts: dict[str, object], text: str) -> None:
    matched = compile_node(cond, {})(example_facts(facts))
    assert matched is not None
    assert [m.text for m in matched] == [text]
    # The same as a template and parameters (pages in other languages translate those).
    assert [said(message(m.template, m.params)) for m in matched] == [text]


def test_not_explanation() -> None:
    node = Group("not", (Condition("flight.origin", "in", ["BOG", "LIM"]),))
    matched = compile_node(node, {})(example_facts({"flight.origin": "FRA"}))
    summary = "Origin airport is one of BOG, LIM"
    assert matched == [Matched("", "not", summary, "", f"not ({summary})")]
    assert said(message(matched[0].template, matched[0].params)) == f"not ({summary})"
    assert compile_node(node, {})(example_facts({"flight.origin": "LIM"})) is None


def test_lookup_lists_are_resolved_and_named_in_the_explanation() -> None:
    cond = Condition("itinerary.transit_airports", "contains_any", None, "hubs")
    check = compile_node(cond, {"hubs": ("fra", "IST")})
    matched = check(example_facts({cond.field: ["MAD", "FRA"]}))
    assert matched is not None
    assert matched[0].expected == "list 'hubs'"
    assert matched[0].text == "Transit airports contains one of list 'hubs' (FRA, MAD)"
    assert check(example_facts({cond.field: ["MAD"]})) is None


def test_lookup_is_read_at_compile_time() -> None:
    cond = Condition("flight.origin", "in", None, "src")
    before = compile_node(cond, {"src": ("BOG",)})
    after = compile_node(cond, {"src": ("LIM",)})
    facts = example_facts({"flight.origin": "LIM"})
    assert before(facts) is None
    assert after(facts) is not None


def test_unknown_lookup_fails_at_compile() -> None:
    with pytest.raises(KeyError):
        compile_node(Condition("flight.origin", "in", None, "missing"), {})


def test_compile_rule_keeps_rule_and_version() -> None:
    rule = Rule(key="r1", title="t", when=A)
    compiled = compile_rule(rule, {}, version=7)
    assert compiled.rule is rule and compiled.version == 7
    assert compiled.check(facts_for(True, False, False)) is not None


def test_compile_from_parsed_pack() -> None:
    pack, errors = load_pack(
        """
lookups:
  - {name: src, values: [col, ven]}
rules:
  - id: r1
    title: t
    when:
      all:
        - {field: traveller.nationality, op: in, lookup: src}
        - {field: traveller.surname, op: matches, value: "^gar"}
        - not: {field: bags.count, op: at_least, value: 1}
"""
    )
    assert errors == []
    lookups = {item.name: item.values for item in pack.lookups}
    check = compile_rule(pack.rules[0], lookups).check
    base = {"traveller.nationality": "VEN", "traveller.surname": "Garcia", "bags.count": 0}
    assert check(example_facts(base)) is not None
    assert check(example_facts(base | {"bags.count": 2})) is None
    assert check(example_facts(base | {"traveller.nationality": "DEU"})) is None
    assert check(example_facts(base | {"traveller.surname": "Lopez"})) is None


# -- describe --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("node", "text"),
    [
        (Condition("payment.cash", "is_true"), "Paid in cash is true"),
        (Condition("flight.origin", "equals", "BOG"), "Origin airport is BOG"),
        (Condition("flight.origin", "in", None, "src"), "Origin airport is one of list 'src'"),
        (Condition("booking.adults", "at_least", 2), "Adults in the booking >= 2"),
        (Condition("traveller.minor", "is_false"), "Minor is false"),
        (
            Group("all", (A, Group("any", (B, Group("not", (C,)))))),
            "(Paid in cash is true and (One-way is true or not (Group booking is true)))",
        ),
    ],
)
def test_describe(node: Condition | Group, text: str) -> None:
    assert describe(node) == text


# -- normalisation of examples ---------------------------------------------------------------


def test_example_facts_fill_every_field_and_normalise() -> None:
    facts = example_facts(
        {
            "flight.origin": " bog ",
            "traveller.surname": "Garcia",
            "itinerary.airports": "bog fra",
            "payment.forms": ["ca", "cc"],
            "flight.departure_date": "2026-11-23",
            "payment.cash": "yes",
            "frequent_flyer.member": "false",
            "booking.adults": 2,
            "not.a_field": 1,
        }
    )
    assert set(facts) == set(CATALOGUE)
    assert facts["flight.origin"] == "BOG"
    assert facts["traveller.surname"] == "Garcia"
    assert facts["itinerary.airports"] == ("BOG", "FRA")
    assert facts["payment.forms"] == ("CA", "CC")
    assert facts["flight.departure_date"] == date(2026, 11, 23)
    assert facts["payment.cash"] is True
    assert facts["frequent_flyer.member"] is False
    assert facts["booking.adults"] == 2
    assert facts["traveller.age"] is None


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        (FieldType.CODE, "col", "COL"),
        (FieldType.CODE, 12, "12"),
        (FieldType.TEXT, 12, "12"),
        (FieldType.CODES, "a b", ("A", "B")),
        (FieldType.CODES, ("x",), ("X",)),
        (FieldType.DATE, date(2026, 1, 2), date(2026, 1, 2)),
        (FieldType.DATE, "2026-01-02", date(2026, 1, 2)),
        (FieldType.BOOLEAN, "TRUE", True),
        (FieldType.BOOLEAN, "1", True),
        (FieldType.BOOLEAN, "no", False),
        (FieldType.NUMBER, 3.5, 3.5),
        (FieldType.NUMBER, None, None),
        (FieldType.CODE, None, None),
    ],
)
def test_normalise(kind: FieldType, value: object, expected: object) -> None:
    assert normalise(kind, value) == expected
