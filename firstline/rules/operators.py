"""Operators, by field type: the only things a rule can ask of a fact.

Each operator is a pure function of (fact value, expected value) that is False on a missing
fact, except `is_empty`. Text compares case-insensitively; codes upper-case. The table is what
the validator offers analysts and what the compiler looks up: no name outside it is callable.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from firstline.rules.fields import FieldType

Test = Callable[[Any, Any], bool]


def _text(value: Any) -> str:
    return str(value).casefold()


def _is_empty(actual: Any, _expected: Any) -> bool:
    return actual is None or actual == "" or actual == ()


def _not_empty(actual: Any, expected: Any) -> bool:
    return not _is_empty(actual, expected)


def _eq(actual: Any, expected: Any) -> bool:
    return actual is not None and actual == expected


def _ne(actual: Any, expected: Any) -> bool:
    return actual is not None and actual != expected


def _in(actual: Any, expected: frozenset[Any]) -> bool:
    return actual is not None and actual in expected


def _not_in(actual: Any, expected: frozenset[Any]) -> bool:
    return actual is not None and actual not in expected


# Text and code comparisons ignore case on both sides (codes are stored upper-case, text as sent).
def _contains_text(actual: Any, expected: str) -> bool:
    return actual is not None and _text(expected) in _text(actual)


def _starts(actual: Any, expected: str) -> bool:
    return actual is not None and _text(actual).startswith(_text(expected))


def _ends(actual: Any, expected: str) -> bool:
    return actual is not None and _text(actual).endswith(_text(expected))


def _matches(actual: Any, expected: re.Pattern[str]) -> bool:
    return actual is not None and expected.search(str(actual)) is not None


def _lt(actual: Any, expected: Any) -> bool:
    return actual is not None and actual < expected


def _le(actual: Any, expected: Any) -> bool:
    return actual is not None and actual <= expected


def _gt(actual: Any, expected: Any) -> bool:
    return actual is not None and actual > expected


def _ge(actual: Any, expected: Any) -> bool:
    return actual is not None and actual >= expected


def _between(actual: Any, expected: tuple[Any, Any]) -> bool:
    return actual is not None and expected[0] <= actual <= expected[1]


def _within_days(actual: Any, expected: tuple[date, int]) -> bool:
    # expected = (reference date, days): the fact is at most `days` away from the reference.
    return actual is not None and abs((actual - expected[0]).days) <= expected[1]


def _true(actual: Any, _expected: Any) -> bool:
    return actual is True


def _false(actual: Any, _expected: Any) -> bool:
    return actual is False


def _has(actual: Any, expected: str) -> bool:
    return actual is not None and expected in actual


def _has_any(actual: Any, expected: frozenset[str]) -> bool:
    return actual is not None and any(a in expected for a in actual)


def _has_all(actual: Any, expected: frozenset[str]) -> bool:
    return actual is not None and expected.issubset(actual)


def _has_none(actual: Any, expected: frozenset[str]) -> bool:
    return actual is not None and not any(a in expected for a in actual)


# op name -> (test, how the expected value is given: "one", "list", "range", "none", "regex",
# "days") and the words used in explanations.
Spec = tuple[Test, str, str]
_EMPTY: dict[str, Spec] = {
    "is_empty": (_is_empty, "none", "is empty"),
    "is_not_empty": (_not_empty, "none", "is not empty"),
}
OPERATORS: dict[FieldType, dict[str, Spec]] = {
    FieldType.TEXT: {
        "equals": (_eq, "one", "is"),
        "not_equals": (_ne, "one", "is not"),
        "in": (_in, "list", "is one of"),
        "not_in": (_not_in, "list", "is none of"),
        "contains": (_contains_text, "one", "contains"),
        "starts_with": (_starts, "one", "starts with"),
        "ends_with": (_ends, "one", "ends with"),
        "matches": (_matches, "regex", "matches the pattern"),
        **_EMPTY,
    },
    FieldType.CODE: {
        "equals": (_eq, "one", "is"),
        "not_equals": (_ne, "one", "is not"),
        "in": (_in, "list", "is one of"),
        "not_in": (_not_in, "list", "is none of"),
        "starts_with": (_starts, "one", "starts with"),
        **_EMPTY,
    },
    FieldType.NUMBER: {
        "equals": (_eq, "one", "="),
        "not_equals": (_ne, "one", "is not"),
        "less_than": (_lt, "one", "<"),
        "at_most": (_le, "one", "<="),
        "greater_than": (_gt, "one", ">"),
        "at_least": (_ge, "one", ">="),
        "between": (_between, "range", "is between"),
        **_EMPTY,
    },
    FieldType.DATE: {
        "equals": (_eq, "one", "is"),
        "before": (_lt, "one", "is before"),
        "after": (_gt, "one", "is after"),
        "between": (_between, "range", "is between"),
        "within_days": (_within_days, "days", "is within"),
        **_EMPTY,
    },
    FieldType.BOOLEAN: {
        "is_true": (_true, "none", "is true"),
        "is_false": (_false, "none", "is false"),
        **_EMPTY,
    },
    FieldType.CODES: {
        "contains": (_has, "one", "contains"),
        "contains_any": (_has_any, "list", "contains one of"),
        "contains_all": (_has_all, "list", "contains all of"),
        "contains_none": (_has_none, "list", "contains none of"),
        **_EMPTY,
    },
}
