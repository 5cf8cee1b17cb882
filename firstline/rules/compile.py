"""Turning a checked rule into a predicate that also says why it fired.

Values are normalised once here (codes upper-case, text case-folded, lists to sets, lookup
lists resolved, patterns compiled), so evaluating a traveller is a few dictionary reads and
comparisons per condition. A predicate returns None (no hit) or the matched conditions with the
traveller's values: the explanation an analyst reads on the hit.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from firstline.rules.fields import CATALOGUE, FieldType
from firstline.rules.model import Condition, Node, Rule
from firstline.rules.operators import OPERATORS
from firstline.texts import N_, Message, message

Facts = Mapping[str, Any]

# Conditions in words, by their operator's words (operators.py): English templates
# (firstline.texts) that pages translate, the field's label and the values as parameters.
# Templates of signs only are not for translating.
SENTENCES: dict[str, str] = {
    "is": N_("{field} is {expected}"),
    "is not": N_("{field} is not {expected}"),
    "is one of": N_("{field} is one of {expected}"),
    "is none of": N_("{field} is none of {expected}"),
    "contains": N_("{field} contains {expected}"),
    "starts with": N_("{field} starts with {expected}"),
    "ends with": N_("{field} ends with {expected}"),
    "matches the pattern": N_("{field} matches the pattern {expected}"),
    "=": "{field} = {expected}",
    "<": "{field} < {expected}",
    "<=": "{field} <= {expected}",
    ">": "{field} > {expected}",
    ">=": "{field} >= {expected}",
    "is between": N_("{field} is between {expected}"),
    "is before": N_("{field} is before {expected}"),
    "is after": N_("{field} is after {expected}"),
    "is within": N_("{field} is within {expected}"),
    "contains one of": N_("{field} contains one of {expected}"),
    "contains all of": N_("{field} contains all of {expected}"),
    "contains none of": N_("{field} contains none of {expected}"),
    # Operators without a value.
    "is empty": N_("{field} is empty"),
    "is not empty": N_("{field} is not empty"),
    "is true": N_("{field} is true"),
    "is false": N_("{field} is false"),
}
WITHOUT_VALUE = frozenset({"is empty", "is not empty", "is true", "is false"})
WITH_ACTUAL = "{condition} ({actual})"  # what the traveller had, in brackets
NOT = N_("not ({condition})")
ALL = N_("{first} and {rest}")
ANY = N_("{first} or {rest}")
GROUP = "({conditions})"
LOOKUP = N_("list '{name}'")
DAYS = N_("{days} days of departure")
NOTHING, YES, NO = N_("nothing"), N_("yes"), N_("no")


@dataclass(frozen=True, slots=True)
class Matched:
    """One condition that held, with what the traveller had."""

    field: str
    op: str
    expected: str
    actual: str
    text: str
    # `text` as a template and its parameters, for pages in other languages.
    template: str = dataclasses.field(default="", compare=False)
    params: dict[str, object] | None = dataclasses.field(default=None, compare=False)


Check = Callable[[Facts], list[Matched] | None]


def _shown(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, tuple | list | frozenset | set):
        return ", ".join(sorted(str(v) for v in value)) or "nothing"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _said(value: Any) -> object:
    """`_shown`, with its words (nothing, yes, no) as messages for translation."""
    if value is None or (isinstance(value, tuple | list | frozenset | set) and not value):
        return message(NOTHING)
    if isinstance(value, bool):
        return message(YES if value else NO)
    return _shown(value)


def _sentence(label: str, words: str, expected: object | None) -> Message:
    """A condition in words as a message: "{field} is one of {expected}"."""
    if expected is None:
        template = SENTENCES[words] if words in WITHOUT_VALUE else f"{{field}} {words}"
        return message(template, {"field": message(label)})
    template = SENTENCES.get(words, f"{{field}} {words} {{expected}}")
    return message(template, {"field": message(label), "expected": expected})


def normalise(kind: FieldType, value: Any) -> Any:
    """A value as facts hold it for this field type (used for expectations and examples)."""
    if value is None:
        return None
    if kind is FieldType.CODE:
        return str(value).strip().upper()
    if kind is FieldType.TEXT:
        return str(value)
    if kind is FieldType.CODES:
        items = value if isinstance(value, list | tuple) else str(value).split()
        return tuple(str(v).strip().upper() for v in items)
    if kind is FieldType.DATE:
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    if kind is FieldType.BOOLEAN:
        return value if isinstance(value, bool) else str(value).lower() in ("true", "yes", "1")
    return value


def _expected(kind: FieldType, shape: str, value: Any, lookup: tuple[str, ...] | None) -> Any:
    element = FieldType.CODE if kind is FieldType.CODES else kind
    if shape == "list":
        items = lookup if lookup is not None else value
        if element is FieldType.TEXT:
            return frozenset(str(v).casefold() for v in items)
        return frozenset(normalise(element, v) for v in items)
    if shape == "range":
        return (normalise(element, value[0]), normalise(element, value[1]))
    if shape == "regex":
        return re.compile(value, re.IGNORECASE)
    if shape == "none":
        return None
    if shape == "days":
        return value
    if element is FieldType.TEXT:
        return str(value).casefold()
    return normalise(element, value)


def compile_node(node: Node, lookups: Mapping[str, tuple[str, ...]]) -> Check:
    if isinstance(node, Condition):
        return _condition(node, lookups)
    checks = [compile_node(item, lookups) for item in node.items]
    if node.kind == "all":

        def all_(facts: Facts) -> list[Matched] | None:
            found: list[Matched] = []
            for check in checks:
                result = check(facts)
                if result is None:
                    return None
                found.extend(result)
            return found

        return all_
    if node.kind == "any":

        def any_(facts: Facts) -> list[Matched] | None:
            for check in checks:
                result = check(facts)
                if result is not None:
                    return result
            return None

        return any_
    inner = checks[0]
    summary = describe(node.items[0])
    said: dict[str, object] = {"condition": describe_message(node.items[0])}

    def not_(facts: Facts) -> list[Matched] | None:
        if inner(facts) is not None:
            return None
        return [Matched("", "not", summary, "", f"not ({summary})", NOT, said)]

    return not_


Test = Callable[[Facts], bool]


def compile_test(node: Node, lookups: Mapping[str, tuple[str, ...]]) -> Test:
    """The same logic as `compile_node`, answering only yes or no.

    Evaluation runs this on every candidate traveller and builds the explanation only for the
    few that hit: most conditions fail, and building `Matched` records for them is wasted work.
    """
    if isinstance(node, Condition):
        return _condition_test(node, lookups)
    tests = [compile_test(item, lookups) for item in node.items]
    if node.kind == "all":
        if len(tests) == 2:
            first, second = tests
            return lambda facts: first(facts) and second(facts)

        def all_(facts: Facts) -> bool:
            for test in tests:
                if not test(facts):
                    return False
            return True

        return all_
    if node.kind == "any":

        def any_(facts: Facts) -> bool:
            for test in tests:
                if test(facts):
                    return True
            return False

        return any_
    inner = tests[0]
    return lambda facts: not inner(facts)


def _condition_test(node: Condition, lookups: Mapping[str, tuple[str, ...]]) -> Test:
    spec = CATALOGUE[node.field]
    test, shape, _words = OPERATORS[spec.type][node.op]
    listed = lookups[node.lookup] if node.lookup is not None else None
    expected = _expected(spec.type, shape, node.value, listed)
    name = spec.name
    if shape == "days":
        return lambda facts: test(facts.get(name), (facts.get("flight.departure_date"), expected))
    if spec.type is FieldType.TEXT:

        def text_test(facts: Facts) -> bool:
            actual = facts.get(name)
            return test(actual.casefold() if isinstance(actual, str) else actual, expected)

        return text_test
    return lambda facts: test(facts.get(name), expected)


def _condition(node: Condition, lookups: Mapping[str, tuple[str, ...]]) -> Check:
    spec = CATALOGUE[node.field]
    test, shape, words = OPERATORS[spec.type][node.op]
    listed = lookups[node.lookup] if node.lookup is not None else None
    expected = _expected(spec.type, shape, node.value, listed)
    name, label, kind = spec.name, spec.label, spec.type
    expected_said: object
    if node.lookup is not None:
        shown = f"list '{node.lookup}'"
        expected_said = message(LOOKUP, {"name": node.lookup})
    elif shape == "days":
        shown = f"{node.value} days of departure"
        expected_said = message(DAYS, {"days": node.value})
    elif kind in (FieldType.CODE, FieldType.CODES) and node.value is not None:
        # Shown as compared: codes upper-case ("is BOG (BOG)", not "is bog (BOG)").
        values = node.value if isinstance(node.value, list) else [node.value]
        upper = [str(v).strip().upper() for v in values]
        shown, expected_said = _shown(upper), _said(upper)
    else:
        shown, expected_said = _shown(node.value), _said(node.value)
    # The words are set at compile time; a hit adds only what the traveller had.
    sentence = _sentence(label, words, None if shape == "none" else expected_said)
    text_field = kind is FieldType.TEXT

    def check(facts: Facts) -> list[Matched] | None:
        actual = facts.get(name)
        probe = actual.casefold() if text_field and isinstance(actual, str) else actual
        if shape == "days":
            ok = test(probe, (facts.get("flight.departure_date"), expected))
        else:
            ok = test(probe, expected)
        if not ok:
            return None
        found = _shown(actual)
        text = f"{label} {words}" + ("" if shape == "none" else f" {shown}") + f" ({found})"
        said: dict[str, object] = {"condition": sentence, "actual": _said(actual)}
        return [Matched(name, node.op, shown, found, text, WITH_ACTUAL, said)]

    return check


def describe(node: Node) -> str:
    """A node in words, for explanations and listings."""
    if isinstance(node, Condition):
        spec = CATALOGUE[node.field]
        words = OPERATORS[spec.type][node.op][2]
        if node.lookup is not None:
            return f"{spec.label} {words} list '{node.lookup}'"
        if node.value is None:
            return f"{spec.label} {words}"
        return f"{spec.label} {words} {_shown(node.value)}"
    if node.kind == "not":
        return f"not ({describe(node.items[0])})"
    joiner = " and " if node.kind == "all" else " or "
    return "(" + joiner.join(describe(item) for item in node.items) + ")"


def describe_message(node: Node) -> Message:
    """`describe` as a message (firstline.texts), for pages in other languages."""
    if isinstance(node, Condition):
        spec = CATALOGUE[node.field]
        words = OPERATORS[spec.type][node.op][2]
        if node.lookup is not None:
            return _sentence(spec.label, words, message(LOOKUP, {"name": node.lookup}))
        return _sentence(spec.label, words, None if node.value is None else _said(node.value))
    if node.kind == "not":
        return message(NOT, {"condition": describe_message(node.items[0])})
    joiner = ALL if node.kind == "all" else ANY
    items = [describe_message(item) for item in node.items]
    chained: object = items[-1] if items else ""
    for item in reversed(items[:-1]):
        chained = message(joiner, {"first": item, "rest": chained})
    return message(GROUP, {"conditions": chained})


@dataclass(slots=True)
class CompiledRule:
    rule: Rule
    version: int
    check: Check  # hit or not, with the explanation
    test: Test  # hit or not, nothing else: the fast path


def compile_rule(
    rule: Rule, lookups: Mapping[str, tuple[str, ...]], version: int = 1
) -> CompiledRule:
    return CompiledRule(
        rule, version, compile_node(rule.when, lookups), compile_test(rule.when, lookups)
    )


def example_facts(example: Mapping[str, Any]) -> dict[str, Any]:
    """An example traveller of a rule test as facts (every other field empty)."""
    facts: dict[str, Any] = dict.fromkeys(CATALOGUE)
    for name, value in example.items():
        spec = CATALOGUE.get(name)
        if spec is not None:
            facts[name] = normalise(spec.type, value)
    return facts


def fields_of(node: Node) -> set[str]:
    """Every field a rule's conditions read."""
    if isinstance(node, Condition):
        return {node.field}
    return {name for item in node.items for name in fields_of(item)}
