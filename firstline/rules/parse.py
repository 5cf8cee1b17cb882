"""Reading rule packs (YAML) and checking them, every mistake reported at once with its place.

An analyst who saves a pack with three mistakes sees three messages, each saying where
(`rules[2] (cash-courier).when.all[1].value`) and what is expected, instead of fixing them one
failed import at a time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml

from firstline.rules.fields import CATALOGUE, FieldType
from firstline.rules.model import (
    CATEGORIES,
    SEVERITIES,
    Condition,
    Group,
    LookupList,
    Node,
    Rule,
    RuleError,
    RulePack,
    RuleStatus,
    RuleTests,
)
from firstline.rules.operators import OPERATORS
from firstline.texts import N_

_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{1,63}$")
_RULE_FIELDS = {
    "id", "title", "description", "category", "severity", "score", "owner", "start", "expiry",
    "status", "when", "tests",
}  # fmt: skip
_MAX_PATTERN = 200  # regular expressions are bounded: a rule must not stall evaluation
# Messages said in more than one place (the others are written where they are said).
_NOT_ONE_OF = N_("'{value}' is not one of {allowed}")
_NOT_A_DATE = N_("'{value}' is not a date (YYYY-MM-DD)")
_UNKNOWN_FIELD = N_("unknown field '{name}'")


class _Loader(yaml.SafeLoader):
    """Safe YAML with dates left as text, so that an impossible date (2026-13-01) is reported
    by the checker at its place in the rule instead of failing the whole file."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(slots=True)
class _Checker:
    lookups: set[str]
    errors: list[RuleError] = field(default_factory=list)

    def error(self, where: str, template: str, **params: object) -> None:
        """A mistake at `where`: an English template (marked with N_) and its parameters."""
        self.errors.append(RuleError(where, template, {k: str(v) for k, v in params.items()}))


def load_pack(
    text: str, *, known_lookups: set[str] | None = None
) -> tuple[RulePack, list[RuleError]]:
    """Parse a YAML rule pack; the pack holds only what is valid, errors list the rest."""
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"
        problem = str(getattr(exc, "problem", exc))  # PyYAML's own English words
        return RulePack(), [RuleError(where, N_("not valid YAML: {problem}"), {"problem": problem})]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return RulePack(), [RuleError("file", N_("expected a mapping with 'rules' and 'lookups'"))]
    pack = RulePack()
    checker = _Checker(set(known_lookups or ()))
    for key in sorted(set(data) - {"rules", "lookups"}):
        checker.error(key, N_("unknown section (expected 'rules' and 'lookups')"))
    lookups = data.get("lookups") or []
    if not isinstance(lookups, list):
        checker.error("lookups", N_("expected a list of lookup lists"))
        lookups = []
    for i, raw in enumerate(lookups):
        item = _lookup(raw, f"lookups[{i}]", checker)
        if item is not None:
            pack.lookups.append(item)
            checker.lookups.add(item.name)
    rules = data.get("rules") or []
    if not isinstance(rules, list):
        checker.error("rules", N_("expected a list of rules"))
        rules = []
    seen: set[str] = set()
    for i, raw in enumerate(rules):
        label = f"rules[{i}]"
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            label += f" ({raw['id']})"
        rule = _rule(raw, label, checker)
        if rule is None:
            continue
        if rule.key in seen:
            checker.error(
                f"{label}.id", N_("'{key}' is used by an earlier rule of this pack"), key=rule.key
            )
            continue
        seen.add(rule.key)
        pack.rules.append(rule)
    return pack, checker.errors


def parse_rule(
    raw: dict[str, Any], *, known_lookups: set[str], where: str = "rule"
) -> tuple[Rule | None, list[RuleError]]:
    """One stored rule definition (the mapping as written) back into a `Rule`."""
    checker = _Checker(set(known_lookups))
    return _rule(raw, where, checker), checker.errors


def _lookup(raw: Any, where: str, checker: _Checker) -> LookupList | None:
    if not isinstance(raw, dict):
        checker.error(where, N_("expected a mapping with name and values"))
        return None
    name = raw.get("name")
    values = raw.get("values")
    ok = True
    if not isinstance(name, str) or not _KEY.match(name):
        checker.error(f"{where}.name", N_("expected a name of lower-case letters, digits, - or _"))
        ok = False
    if not isinstance(values, list) or not values:
        checker.error(f"{where}.values", N_("expected a non-empty list of values"))
        ok = False
    if not ok:
        return None
    assert isinstance(name, str) and isinstance(values, list)
    return LookupList(
        name=name,
        values=tuple(str(v).strip() for v in values),
        kind=str(raw.get("kind") or "codes"),
        description=str(raw.get("description") or ""),
    )


def _rule(raw: Any, where: str, checker: _Checker) -> Rule | None:
    if not isinstance(raw, dict):
        checker.error(where, N_("expected a mapping (id, title, when, ...)"))
        return None
    before = len(checker.errors)
    for key in sorted(set(raw) - _RULE_FIELDS):
        checker.error(
            f"{where}.{key}",
            N_("unknown key; a rule has: {keys}"),
            keys=", ".join(sorted(_RULE_FIELDS)),
        )
    key = raw.get("id")
    if not isinstance(key, str) or not _KEY.match(key):
        checker.error(
            f"{where}.id",
            N_("expected an id of lower-case letters, digits, - or _ (2-64 characters)"),
        )
    title = raw.get("title")
    if not isinstance(title, str) or not title.strip():
        checker.error(f"{where}.title", N_("a rule needs a title"))
    category = raw.get("category", "other")
    if not isinstance(category, str) or category not in CATEGORIES:
        checker.error(
            f"{where}.category", _NOT_ONE_OF, value=category, allowed=", ".join(CATEGORIES)
        )
    severity = raw.get("severity", "medium")
    if not isinstance(severity, str) or severity not in SEVERITIES:
        checker.error(
            f"{where}.severity", _NOT_ONE_OF, value=severity, allowed=", ".join(SEVERITIES)
        )
    score = raw.get("score", 50)
    if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= 100:
        checker.error(f"{where}.score", N_("expected a whole number from 0 to 100"))
    status = raw.get("status", "draft")
    if not isinstance(status, str) or status not in {s.value for s in RuleStatus}:
        statuses = ", ".join(s.value for s in RuleStatus)
        checker.error(f"{where}.status", _NOT_ONE_OF, value=status, allowed=statuses)
    start = _date(raw.get("start"), f"{where}.start", checker)
    expiry = _date(raw.get("expiry"), f"{where}.expiry", checker)
    if status == "active" and (start is None or expiry is None):
        checker.error(where, N_("an active rule needs both a start and an expiry date"))
    if start and expiry and expiry < start:
        checker.error(f"{where}.expiry", N_("expiry is before start"))
    when = raw.get("when")
    node = _node(when, f"{where}.when", checker) if when is not None else None
    if when is None:
        checker.error(f"{where}.when", N_("a rule needs conditions under 'when'"))
    tests = _tests(raw.get("tests"), f"{where}.tests", checker)
    if len(checker.errors) > before or node is None:
        return None
    return Rule(
        key=str(key),
        title=str(title).strip(),
        when=node,
        category=str(category),
        severity=str(severity),
        score=int(score),
        description=str(raw.get("description") or "").strip(),
        owner=str(raw.get("owner") or ""),
        start=start,
        expiry=expiry,
        status=RuleStatus(status),
        tests=tests,
        definition=dict(raw),
    )


def _date(value: Any, where: str, checker: _Checker) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        checker.error(where, _NOT_A_DATE, value=value)
        return None


def _node(raw: Any, where: str, checker: _Checker) -> Node | None:
    if not isinstance(raw, dict):
        checker.error(where, N_("expected a condition (field, op, value) or a group (all/any/not)"))
        return None
    groups = [k for k in ("all", "any", "not") if k in raw]
    if groups:
        if len(raw) != 1:
            checker.error(
                where, N_("a '{group}' group must be alone in its mapping"), group=groups[0]
            )
            return None
        kind = groups[0]
        items = raw[kind]
        if kind == "not":
            inner = _node(items, f"{where}.not", checker)
            return Group("not", (inner,)) if inner is not None else None
        if not isinstance(items, list) or not items:
            checker.error(f"{where}.{kind}", N_("expected a non-empty list of conditions"))
            return None
        nodes = [_node(item, f"{where}.{kind}[{i}]", checker) for i, item in enumerate(items)]
        if any(n is None for n in nodes):
            return None
        return Group(kind, tuple(n for n in nodes if n is not None))
    return _condition(raw, where, checker)


def _condition(raw: dict[str, Any], where: str, checker: _Checker) -> Condition | None:
    unknown = set(raw) - {"field", "op", "value", "lookup"}
    for key in sorted(unknown):
        checker.error(
            f"{where}.{key}", N_("unknown key; a condition has field, op, value or lookup")
        )
    name = raw.get("field")
    spec = CATALOGUE.get(name) if isinstance(name, str) else None
    if spec is None:
        near = _suggest(str(name))
        if near:
            hint = N_("unknown field '{name}'; did you mean {near}?")
            checker.error(f"{where}.field", hint, name=name, near=near)
        else:
            checker.error(f"{where}.field", _UNKNOWN_FIELD, name=name)
        return None
    op = raw.get("op")
    operators = OPERATORS[spec.type]
    if not isinstance(op, str) or op not in operators:
        checker.error(
            f"{where}.op",
            N_("'{op}' does not apply to {type} field {field}; use one of: {operators}"),
            op=op,
            type=spec.type.value,
            field=spec.name,
            operators=", ".join(operators),
        )
        return None
    shape = operators[op][1]
    value = raw.get("value")
    lookup = raw.get("lookup")
    if lookup is not None:
        if not isinstance(lookup, str):
            checker.error(f"{where}.lookup", N_("expected the name of a lookup list"))
            return None
        if shape != "list":
            checker.error(f"{where}.lookup", N_("'{op}' takes no lookup list"), op=op)
            return None
        if lookup not in checker.lookups:
            checker.error(f"{where}.lookup", N_("no lookup list named '{lookup}'"), lookup=lookup)
            return None
        return Condition(spec.name, str(op), None, str(lookup))
    checked = _value(spec.type, shape, value, f"{where}.value", checker)
    if checked is _INVALID:
        return None
    return Condition(spec.name, str(op), checked, None)


_INVALID = object()


def _value(kind: FieldType, shape: str, value: Any, where: str, checker: _Checker) -> Any:
    if shape == "none":
        if value is not None:
            checker.error(where, N_("this operator takes no value"))
            return _INVALID
        return None
    if shape == "list":
        if not isinstance(value, list) or not value:
            checker.error(where, N_("expected a non-empty list of values (or a lookup)"))
            return _INVALID
        items = [_scalar(kind, v, f"{where}[{i}]", checker) for i, v in enumerate(value)]
        return _INVALID if any(i is _INVALID for i in items) else items
    if shape == "range":
        if not isinstance(value, list) or len(value) != 2:
            checker.error(where, N_("expected two values: [from, to]"))
            return _INVALID
        low = _scalar(kind, value[0], f"{where}[0]", checker)
        high = _scalar(kind, value[1], f"{where}[1]", checker)
        if low is _INVALID or high is _INVALID:
            return _INVALID
        if high < low:
            checker.error(where, N_("the first value must not be above the second"))
            return _INVALID
        return [low, high]
    if shape == "days":
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            checker.error(where, N_("expected a number of days (0 or more)"))
            return _INVALID
        return value
    if shape == "regex":
        if not isinstance(value, str) or not value or len(value) > _MAX_PATTERN:
            checker.error(
                where, N_("expected a pattern of 1 to {most} characters"), most=_MAX_PATTERN
            )
            return _INVALID
        try:
            re.compile(value)
        except re.error as exc:
            checker.error(where, N_("not a valid pattern: {problem}"), problem=exc)
            return _INVALID
        return value
    return _scalar(kind, value, where, checker)


def _scalar(kind: FieldType, value: Any, where: str, checker: _Checker) -> Any:
    if value is None:
        checker.error(where, N_("a value is needed"))
        return _INVALID
    if kind is FieldType.NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float):
            checker.error(where, N_("'{value}' is not a number"), value=value)
            return _INVALID
        return value
    if kind is FieldType.DATE:
        try:
            return value if isinstance(value, date) else date.fromisoformat(str(value))
        except ValueError:
            checker.error(where, _NOT_A_DATE, value=value)
            return _INVALID
    if isinstance(value, dict | list):
        checker.error(where, N_("expected a single value"))
        return _INVALID
    return str(value)


def _suggest(name: str) -> str | None:
    import difflib

    found = difflib.get_close_matches(name, list(CATALOGUE), n=1, cutoff=0.6)
    return found[0] if found else None


def _tests(raw: Any, where: str, checker: _Checker) -> RuleTests:
    tests = RuleTests()
    if raw is None:
        return tests
    if not isinstance(raw, dict) or set(raw) - {"must_hit", "must_not_hit"}:
        checker.error(
            where, N_("expected must_hit and/or must_not_hit lists of example travellers")
        )
        return tests
    for kind in ("must_hit", "must_not_hit"):
        examples = raw.get(kind) or []
        if not isinstance(examples, list):
            checker.error(f"{where}.{kind}", N_("expected a list of example travellers"))
            continue
        for i, example in enumerate(examples):
            if not isinstance(example, dict):
                checker.error(f"{where}.{kind}[{i}]", N_("expected field: value pairs"))
                continue
            for name in example:
                if name not in CATALOGUE:
                    checker.error(f"{where}.{kind}[{i}].{name}", _UNKNOWN_FIELD, name=name)
            getattr(tests, kind).append(dict(example))
    return tests
