"""Reading rule packs: valid packs parse, and every mistake is listed at once with its place."""

from __future__ import annotations

from datetime import date

import pytest

from firstline.rules.model import CATEGORIES, Condition, Group, RuleError, RuleStatus
from firstline.rules.parse import load_pack, parse_rule

VALID = """
lookups:
  - name: hubs
    kind: airports
    description: Connecting hubs.
    values: [FRA, " IST ", MAD]
rules:
  - id: late-cash
    title: "  Late booking paid in cash  "
    description: A test rule.
    category: cash
    severity: high
    score: 70
    owner: cash-team
    start: 2026-01-01
    expiry: 2026-12-31
    status: active
    when:
      all:
        - field: payment.cash
          op: is_true
        - any:
            - field: booking.hours_before_departure
              op: less_than
              value: 48
            - not:
                field: itinerary.transit_airports
                op: contains_any
                lookup: hubs
        - field: flight.departure_date
          op: between
          value: [2026-01-01, "2026-12-31"]
    tests:
      must_hit:
        - payment.cash: true
          booking.hours_before_departure: 6
      must_not_hit:
        - payment.cash: false
  - id: minimal_rule
    title: Minimal
    when:
      field: traveller.nationality
      op: in
      value: [col, ven]
"""


def errors_by_location(errors: list[RuleError]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for error in errors:
        found.setdefault(error.location, []).append(error.message)
    return found


def test_valid_pack_parses() -> None:
    pack, errors = load_pack(VALID)
    assert errors == []
    assert [lookup.name for lookup in pack.lookups] == ["hubs"]
    assert pack.lookups[0].values == ("FRA", "IST", "MAD")
    assert pack.lookups[0].kind == "airports"
    first, second = pack.rules
    assert first.key == "late-cash"
    assert first.title == "Late booking paid in cash"
    assert (first.category, first.severity, first.score, first.owner) == (
        "cash",
        "high",
        70,
        "cash-team",
    )
    assert first.status is RuleStatus.ACTIVE
    assert (first.start, first.expiry) == (date(2026, 1, 1), date(2026, 12, 31))
    assert isinstance(first.when, Group) and first.when.kind == "all"
    cash, any_group, between = first.when.items
    assert cash == Condition("payment.cash", "is_true", None, None)
    assert isinstance(any_group, Group) and any_group.kind == "any"
    not_group = any_group.items[1]
    assert isinstance(not_group, Group) and not_group.kind == "not"
    assert not_group.items == (
        Condition("itinerary.transit_airports", "contains_any", None, "hubs"),
    )
    assert between == Condition(
        "flight.departure_date", "between", [date(2026, 1, 1), date(2026, 12, 31)]
    )
    assert first.tests.must_hit == [{"payment.cash": True, "booking.hours_before_departure": 6}]
    assert first.tests.must_not_hit == [{"payment.cash": False}]
    # defaults
    assert second.status is RuleStatus.DRAFT
    assert (second.category, second.severity, second.score) == ("other", "medium", 50)
    assert second.start is None and second.expiry is None
    assert second.when == Condition("traveller.nationality", "in", ["col", "ven"])


def test_empty_pack_is_valid_and_empty() -> None:
    pack, errors = load_pack("")
    assert errors == [] and pack.rules == [] and pack.lookups == []


def test_known_lookups_from_the_store_are_accepted() -> None:
    text = """
rules:
  - id: r1
    title: t
    when: {field: flight.origin, op: in, lookup: stored_airports}
"""
    _pack, errors = load_pack(text)
    assert [str(e) for e in errors] == [
        "rules[0] (r1).when.lookup: no lookup list named 'stored_airports'"
    ]
    pack, errors = load_pack(text, known_lookups={"stored_airports"})
    assert errors == []
    assert pack.rules[0].when == Condition("flight.origin", "in", None, "stored_airports")


# A pack with mistakes everywhere: every one must be reported in one go.
BAD = """
extra_section: 1
lookups:
  - name: Bad Name
    values: []
  - name: ok_list
    values: [A]
rules:
  - id: good-one
    title: A valid rule among invalid ones
    when: {field: payment.cash, op: is_true}
  - id: my-rule
    title: Many condition mistakes
    colour: red
    when:
      all:
        - field: payment.cahs
          op: is_true
        - field: payment.cash
          op: equals
          value: true
        - field: flight.origin
          op: in
          value: BOG
        - field: booking.adults
          op: between
          value: [1]
        - field: booking.adults
          op: at_least
          value: "two"
        - field: flight.departure_date
          op: before
          value: "2026-02-30"
        - field: traveller.surname
          op: matches
          value: "([a-z"
        - field: traveller.surname
          op: matches
          value: "%(long)s"
        - field: flight.origin
          op: in
          lookup: no_such_list
        - field: flight.origin
          op: equals
          lookup: ok_list
        - field: payment.cash
          op: is_true
          value: yes
        - field: booking.adults
          op: between
          value: [5, 1]
        - field: flight.departure_date
          op: within_days
          value: -1
        - field: flight.origin
          op: equals
          value: BOG
          weight: 3
        - any: []
        - field: traveller.surname
          op: equals
          value: [a, b]
  - description: no id, no title, no when
  - id: Bad Id!
    title: t
    when: {field: payment.cash, op: is_true}
  - id: good-one
    title: Duplicate id
    when: {field: payment.cash, op: is_false}
  - id: bad-meta
    title: "   "
    category: gossip
    severity: extreme
    score: 101
    status: live
    when: {field: payment.cash, op: is_true}
  - id: active-no-dates
    title: Active without dates
    status: active
    when: {field: payment.cash, op: is_true}
  - id: backwards
    title: Expiry before start
    start: 2026-06-01
    expiry: 2026-01-01
    when: {field: payment.cash, op: is_true}
  - id: bad-tests
    title: Tests name unknown fields
    when: {field: payment.cash, op: is_true}
    tests:
      must_hit:
        - payment.cash: true
          payment.nope: 1
      must_not_hit:
        - not a mapping
  - id: bad-date
    title: Start is not a date
    start: "2026-13-01"
    when: {field: payment.cash, op: is_true}
  - just a string
""".replace("%(long)s", "a" * 201)


@pytest.fixture(scope="module")
def bad() -> tuple[list[str], dict[str, list[str]]]:
    pack, errors = load_pack(BAD)
    return [rule.key for rule in pack.rules], errors_by_location(errors)


def _one(found: dict[str, list[str]], location: str) -> str:
    assert location in found, f"{location} not in {sorted(found)}"
    assert len(found[location]) == 1, found[location]
    return found[location][0]


def test_valid_rules_survive_next_to_invalid_ones(
    bad: tuple[list[str], dict[str, list[str]]],
) -> None:
    keys, _found = bad
    # Only the valid rule is kept; the duplicate is dropped, invalid rules are left out.
    assert keys == ["good-one"]


def test_all_errors_listed_at_once(bad: tuple[list[str], dict[str, list[str]]]) -> None:
    _keys, found = bad
    expected_locations = {
        "extra_section",
        "lookups[0].name",
        "lookups[0].values",
        "rules[1] (my-rule).colour",
        *(
            f"rules[1] (my-rule).when.all[{i}].{part}"
            for i, part in [
                (0, "field"),
                (1, "op"),
                (2, "value"),
                (3, "value"),
                (4, "value"),
                (5, "value"),
                (6, "value"),
                (7, "value"),
                (8, "lookup"),
                (9, "lookup"),
                (10, "value"),
                (11, "value"),
                (12, "value"),
                (13, "weight"),
                (14, "any"),
                (15, "value"),
            ]
        ),  # fmt: skip
        "rules[2].id",
        "rules[2].title",
        "rules[2].when",
        "rules[3] (Bad Id!).id",
        "rules[4] (good-one).id",
        "rules[5] (bad-meta).title",
        "rules[5] (bad-meta).category",
        "rules[5] (bad-meta).severity",
        "rules[5] (bad-meta).score",
        "rules[5] (bad-meta).status",
        "rules[6] (active-no-dates)",
        "rules[7] (backwards).expiry",
        "rules[8] (bad-tests).tests.must_hit[0].payment.nope",
        "rules[8] (bad-tests).tests.must_not_hit[0]",
        "rules[9] (bad-date).start",
        "rules[10]",
    }
    assert set(found) == expected_locations


def test_unknown_field_suggests_the_nearest(bad: tuple[list[str], dict[str, list[str]]]) -> None:
    message = _one(bad[1], "rules[1] (my-rule).when.all[0].field")
    assert message == "unknown field 'payment.cahs'; did you mean payment.cash?"


def test_unknown_field_without_near_name_has_no_suggestion() -> None:
    _pack, errors = load_pack(
        "rules: [{id: r1, title: t, when: {field: zzzzzz, op: equals, value: 1}}]"
    )
    assert [str(e) for e in errors] == ["rules[0] (r1).when.field: unknown field 'zzzzzz'"]


def test_operator_not_for_field_type_lists_valid_ones(
    bad: tuple[list[str], dict[str, list[str]]],
) -> None:
    message = _one(bad[1], "rules[1] (my-rule).when.all[1].op")
    assert message == (
        "'equals' does not apply to boolean field payment.cash; "
        "use one of: is_true, is_false, is_empty, is_not_empty"
    )


@pytest.mark.parametrize(
    ("index", "part", "fragment"),
    [
        (2, "value", "expected a non-empty list of values (or a lookup)"),
        (3, "value", "expected two values: [from, to]"),
        (4, "value", "'two' is not a number"),
        (5, "value", "'2026-02-30' is not a date (YYYY-MM-DD)"),
        (6, "value", "not a valid pattern:"),
        (7, "value", "expected a pattern of 1 to 200 characters"),
        (8, "lookup", "no lookup list named 'no_such_list'"),
        (9, "lookup", "'equals' takes no lookup list"),
        (10, "value", "this operator takes no value"),
        (11, "value", "the first value must not be above the second"),
        (12, "value", "expected a number of days (0 or more)"),
        (13, "weight", "unknown key; a condition has field, op, value or lookup"),
        (14, "any", "expected a non-empty list of conditions"),
        (15, "value", "expected a single value"),
    ],
)
def test_condition_value_errors(
    bad: tuple[list[str], dict[str, list[str]]], index: int, part: str, fragment: str
) -> None:
    message = _one(bad[1], f"rules[1] (my-rule).when.all[{index}].{part}")
    assert fragment in message


@pytest.mark.parametrize(
    ("location", "fragment"),
    [
        ("extra_section", "unknown section"),
        ("lookups[0].name", "expected a name of lower-case letters"),
        ("lookups[0].values", "expected a non-empty list of values"),
        ("rules[1] (my-rule).colour", "unknown key; a rule has:"),
        ("rules[2].id", "expected an id of lower-case letters, digits, - or _ (2-64 characters)"),
        ("rules[2].title", "a rule needs a title"),
        ("rules[2].when", "a rule needs conditions under 'when'"),
        ("rules[3] (Bad Id!).id", "expected an id of lower-case letters"),
        ("rules[4] (good-one).id", "'good-one' is used by an earlier rule of this pack"),
        ("rules[5] (bad-meta).title", "a rule needs a title"),
        ("rules[5] (bad-meta).category", "'gossip' is not one of terrorism, drugs"),
        ("rules[5] (bad-meta).severity", "'extreme' is not one of high, medium, low"),
        ("rules[5] (bad-meta).score", "expected a whole number from 0 to 100"),
        ("rules[5] (bad-meta).status", "'live' is not one of draft, shadow, active, retired"),
        ("rules[6] (active-no-dates)", "an active rule needs both a start and an expiry date"),
        ("rules[7] (backwards).expiry", "expiry is before start"),
        ("rules[8] (bad-tests).tests.must_hit[0].payment.nope", "unknown field 'payment.nope'"),
        ("rules[8] (bad-tests).tests.must_not_hit[0]", "expected field: value pairs"),
        ("rules[9] (bad-date).start", "'2026-13-01' is not a date (YYYY-MM-DD)"),
        ("rules[10]", "expected a mapping (id, title, when, ...)"),
    ],
)
def test_rule_and_pack_errors(
    bad: tuple[list[str], dict[str, list[str]]], location: str, fragment: str
) -> None:
    assert fragment in _one(bad[1], location)


def test_error_str_joins_location_and_message() -> None:
    assert str(RuleError("rules[1] (x).when.op", "bad")) == "rules[1] (x).when.op: bad"


def test_errors_keep_their_english_template_and_its_parameters_apart() -> None:
    """The pages translate the template, then fill it in (firstline/web/problems.py); the
    message is the English, as the command line and the API say it."""
    text = (
        "rules:\n  - id: x1\n    title: T\n    score: 500\n    category: spying\n"
        "    when: {field: traveller.surnam, op: equals, value: X}\n"
    )
    _pack, errors = load_pack(text)
    found = {e.location: e for e in errors}
    category = found["rules[0] (x1).category"]
    assert category.template == "'{value}' is not one of {allowed}"
    assert category.params == {"value": "spying", "allowed": ", ".join(CATEGORIES)}
    assert category.message == f"'spying' is not one of {', '.join(CATEGORIES)}"
    field = found["rules[0] (x1).when.field"]
    assert field.message == "unknown field 'traveller.surnam'; did you mean traveller.surname?"
    score = found["rules[0] (x1).score"]
    assert score.params == {} and score.message == score.template
    assert str(score) == "rules[0] (x1).score: expected a whole number from 0 to 100"


@pytest.mark.parametrize("score", ["50", 50.0, True, -1])
def test_score_must_be_a_whole_number_in_range(score: object) -> None:
    rule, errors = parse_rule(
        {
            "id": "r1",
            "title": "t",
            "score": score,
            "when": {"field": "payment.cash", "op": "is_true"},
        },
        known_lookups=set(),
    )
    assert rule is None
    assert [(e.location, e.message) for e in errors] == [
        ("rule.score", "expected a whole number from 0 to 100")
    ]


def test_group_must_be_alone_in_its_mapping() -> None:
    rule, errors = parse_rule(
        {
            "id": "r1",
            "title": "t",
            "when": {"all": [{"field": "payment.cash", "op": "is_true"}], "field": "x"},
        },
        known_lookups=set(),
        where="stored",
    )
    assert rule is None
    assert [str(e) for e in errors] == ["stored.when: a 'all' group must be alone in its mapping"]


def test_nested_errors_have_full_paths() -> None:
    rule, errors = parse_rule(
        {
            "id": "r1",
            "title": "t",
            "when": {
                "any": [
                    {"not": {"field": "flight.origin", "op": "less_than", "value": 1}},
                    {"all": [{"field": "bags.count", "op": "at_least", "value": "x"}]},
                ]
            },
        },
        known_lookups=set(),
    )
    assert rule is None
    assert [e.location for e in errors] == [
        "rule.when.any[0].not.op",
        "rule.when.any[1].all[0].value",
    ]


def test_parse_rule_resolves_known_lookups() -> None:
    raw = {
        "id": "r1",
        "title": "t",
        "when": {"field": "itinerary.airports", "op": "contains_any", "lookup": "hubs"},
    }
    rule, errors = parse_rule(raw, known_lookups={"hubs"})
    assert errors == [] and rule is not None
    assert rule.when == Condition("itinerary.airports", "contains_any", None, "hubs")


def test_invalid_yaml_reports_line_and_column() -> None:
    _pack, errors = load_pack("rules:\n  - id: a\n    title: [unclosed\n")
    assert len(errors) == 1
    assert errors[0].location.startswith("line ")
    assert ", column " in errors[0].location
    assert errors[0].message.startswith("not valid YAML")


def test_invalid_yaml_location_is_the_problem_line() -> None:
    _pack, errors = load_pack("rules:\n  - id: a\n\tbad: tab\n")
    assert len(errors) == 1
    assert errors[0].location == "line 3, column 1"


@pytest.mark.parametrize("text", ["- a\n- b\n", "just text", "42"])
def test_top_level_must_be_a_mapping(text: str) -> None:
    pack, errors = load_pack(text)
    assert pack.rules == []
    assert [str(e) for e in errors] == ["file: expected a mapping with 'rules' and 'lookups'"]


def test_rules_and_lookups_must_be_lists() -> None:
    _pack, errors = load_pack("rules: {a: 1}\nlookups: 3\n")
    assert errors_by_location(errors) == {
        "lookups": ["expected a list of lookup lists"],
        "rules": ["expected a list of rules"],
    }


def test_unquoted_impossible_date_is_an_error_not_a_crash() -> None:
    # YAML itself reads unquoted dates; an impossible one fails inside yaml.safe_load.
    pack, errors = load_pack(
        "rules:\n  - id: r1\n    title: t\n    start: 2026-13-01\n"
        "    when: {field: payment.cash, op: is_true}\n"
    )
    assert pack.rules == []
    assert len(errors) == 1
    assert errors[0].location == "rules[0] (r1).start"
    assert "'2026-13-01' is not a date" in errors[0].message


@pytest.mark.parametrize(
    ("raw", "location", "message"),
    [
        (
            {"id": "r1", "title": "t", "when": {"field": "payment.cash", "op": ["is_true"]}},
            "rule.when.op",
            "'['is_true']' does not apply to boolean field payment.cash; "
            "use one of: is_true, is_false, is_empty, is_not_empty",
        ),
        (
            {
                "id": "r1",
                "title": "t",
                "status": ["active"],
                "when": {"field": "payment.cash", "op": "is_true"},
            },
            "rule.status",
            "'['active']' is not one of draft, shadow, active, retired",
        ),
        (
            {
                "id": "r1",
                "title": "t",
                "when": {"field": "flight.origin", "op": "in", "lookup": ["a"]},
            },
            "rule.when.lookup",
            "expected the name of a lookup list",
        ),
    ],
)
def test_list_where_a_name_is_expected_is_an_error_not_a_crash(
    raw: dict[str, object], location: str, message: str
) -> None:
    rule, errors = parse_rule(raw, known_lookups=set())
    assert rule is None
    assert [(e.location, e.message) for e in errors] == [(location, message)]
