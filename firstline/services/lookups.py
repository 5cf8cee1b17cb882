"""Lookup lists as analysts keep them in the browser or the API: checked, normalised, saved as
a new version only when the values change, audited; and what each version changed.

A list saved here is one a rule pack could carry (`firstline rules export` writes it, `rules
import` reads it back): its name and values pass the pack checker. Values are stored as rules
compare them, codes upper-case, so the page shows what evaluation uses. Evaluation picks a
changed list up by itself (`Evaluator` rebuilds when `rules_state` changes).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import yaml
from sqlalchemy import Connection

from firstline.cases.access import Actor, Permission
from firstline.exc import FirstlineError, NotFoundError
from firstline.rules.parse import load_pack
from firstline.services import audit
from firstline.services import rules as rule_service
from firstline.services.access import require
from firstline.store.db import Store
from firstline.store.repos import rules as repo

# What a list's values are (rules/model.py LookupList.kind). Text is compared ignoring case
# and kept as typed; every other kind holds codes, compared upper-case.
KINDS = ("airports", "countries", "agencies", "codes", "text")
TEXT = "text"
_SEPARATORS = re.compile(r"[\n,;]")

# Problem codes by field, with the English the API and the command line show (pages translate
# the codes themselves).
PROBLEMS = {
    "name_invalid": "expected a name of 2 to 64 lower-case letters, digits, - or _, starting "
    "with a letter or digit",
    "name_taken": "a lookup list with this name exists already: edit it instead",
    "kind_unknown": f"expected one of: {', '.join(KINDS)}",
    "values_empty": "give at least one value",
    "tests_fail": "with these values, the own examples of active or shadow rules using the "
    "list would fail",
    "stale": "the list was saved by someone else since this form was opened: reload it",
}


@dataclass(frozen=True, slots=True)
class ExampleFailure:
    """A rule's own example that the list's new values would make fail."""

    rule: str
    example: str  # "must_hit[0]"
    detail: str


class LookupValidationError(FirstlineError):
    """A list that cannot be saved as given; `problems` maps each field to a problem code."""

    code = "lookup_validation_error"
    http_status = 422
    exit_code = 2

    def __init__(
        self, problems: Mapping[str, str], failures: Sequence[ExampleFailure] = ()
    ) -> None:
        self.problems = dict(problems)
        self.failures = list(failures)
        text = "; ".join(f"{where}: {PROBLEMS[code]}" for where, code in self.problems.items())
        text += "".join(f"\n  {f.rule} tests.{f.example}: {f.detail}" for f in self.failures)
        super().__init__(text)


@dataclass(slots=True)
class Saved:
    name: str
    version: int
    new: bool  # the list did not exist
    changed: bool  # a new version of the values
    described: bool  # kind or description changed (not versioned)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def normalise(values: str | Iterable[str], kind: str) -> list[str]:
    """Values as rules compare them, in the order given, each once.

    Text (a string) is one value per line; codes may also be separated by commas or
    semicolons (no code holds one). Codes are stripped and upper-cased; text is stripped,
    and two values equal but for case are one."""
    if isinstance(values, str):
        values = values.split("\n")
    if kind != TEXT:
        values = [part for raw in values for part in _SEPARATORS.split(str(raw))]
    seen: dict[str, str] = {}
    for raw in values:
        value = str(raw).strip()
        if kind != TEXT:
            value = value.upper()
        if value:
            seen.setdefault(value.casefold() if kind == TEXT else value, value)
    return list(seen.values())


def check(name: str, kind: str, values: Sequence[str]) -> dict[str, str]:
    """Problems by field ("name", "kind", "values"), as the rule pack checker sees them."""
    problems: dict[str, str] = {}
    if kind not in KINDS:
        problems["kind"] = "kind_unknown"
    pack = yaml.safe_dump({"lookups": [{"name": name, "kind": kind, "values": list(values)}]})
    _pack, errors = load_pack(pack)
    for error in errors:
        if error.location.endswith(".name"):
            problems["name"] = "name_invalid"
        elif error.location.endswith(".values"):
            problems["values"] = "values_empty"
    return problems


def save(
    store: Store,
    actor: Actor,
    *,
    name: str,
    values: str | Iterable[str],
    kind: str | None = None,
    description: str | None = None,
    creating: bool = False,
    base_version: int | None = None,
    client: str | None = None,
) -> Saved:
    """Create or change a list (`rules:manage`). A new version only when the values changed;
    kind and description (kept as they are when None) are not versioned. `creating` refuses
    a name in use, `base_version` a list saved by someone else since the form was read.
    Audited as `lookup_saved` in the same transaction."""
    require(actor, Permission.MANAGE_RULES.value)
    name = name.strip()
    with store.begin() as conn:
        row = repo.get_lookup(conn, name)
        kind = kind if kind is not None else str(row["kind"]) if row is not None else "codes"
        if description is None:
            description = str(row["description"] or "") if row is not None else ""
        description = " ".join(description.split())
        cleaned = normalise(values, kind)
        problems = check(name, kind, cleaned)
        if row is not None and creating:
            problems["name"] = "name_taken"
        elif row is not None and base_version is not None and row["version"] != base_version:
            problems["form"] = "stale"
        if problems:
            raise LookupValidationError(problems)
        failures = _failing_examples(conn, name, cleaned)
        if failures:
            raise LookupValidationError({"values": "tests_fail"}, failures)
        before = list(row["values"]) if row is not None else []
        version, changed = repo.save_lookup(
            conn, name=name, values=cleaned, kind=kind, description=description,
            now=datetime.now(UTC),
        )  # fmt: skip
        described = False
        if row is not None and not changed:
            described = (row["kind"], row["description"] or "") != (kind, description)
            if described:
                repo.describe_lookup(conn, int(row["id"]), kind=kind, description=description)
        saved = Saved(name, version, row is None, changed, described)
        saved.added, saved.removed = _difference(before, cleaned)
        if changed or described:
            audit.record(
                conn, actor, "lookup_saved", object_type="lookup_list", object_id=name,
                client=client,
                detail={"version": version, "new": saved.new, "kind": kind,
                        "added": saved.added, "removed": saved.removed},
            )  # fmt: skip
    return saved


def _failing_examples(conn: Connection, name: str, values: Sequence[str]) -> list[ExampleFailure]:
    """The examples of the active and shadow rules using list `name` that fail with these
    values: such a rule is stored only while its examples pass, and so is its list."""
    loaded, lookups = rule_service.load_rules(conn, statuses=("active", "shadow"))
    lookups = {**lookups, name: tuple(values)}
    return [
        ExampleFailure(rule.key, result.example, result.detail)
        for rule, _version in loaded
        if name in lookup_names(rule.definition)
        for result in rule_service.run_tests(rule, lookups)
        if not result.passed
    ]


def _difference(old: Sequence[str], new: Sequence[str]) -> tuple[list[str], list[str]]:
    """(added, removed), each sorted."""
    return sorted(set(new) - set(old)), sorted(set(old) - set(new))


def lookup_names(definition: Mapping[str, Any]) -> set[str]:
    """The lookup lists a rule definition (as written) names anywhere in its conditions."""
    found: set[str] = set()
    stack: list[Any] = [definition.get("when")]
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            if isinstance(node.get("lookup"), str):
                found.add(node["lookup"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _users(rules: Iterable[Mapping[Any, Any]]) -> dict[str, list[dict[str, str]]]:
    """List name -> the rules whose current version uses it (key, title, status)."""
    out: dict[str, list[dict[str, str]]] = {}
    for rule in rules:
        for name in lookup_names(rule["definition"]):
            out.setdefault(name, []).append(
                {"key": rule["key"], "title": rule["title"], "status": rule["status"]}
            )
    return out


def _summary(row: Mapping[Any, Any], users: Mapping[str, list[dict[str, str]]]) -> dict[str, Any]:
    return {
        "name": row["name"],
        "kind": row["kind"],
        "description": row["description"] or "",
        "count": len(row["values"]),
        "version": int(row["version"]),
        "updated_at": row["updated_at"],
        "used_by": users.get(row["name"], []),
    }


def lists(store: Store) -> list[dict[str, Any]]:
    """Every list: name, kind, description, number of values, version, last change, and the
    rules using it."""
    with store.connect() as conn:
        users = _users(repo.current_rules(conn))
        return [_summary(row, users) for row in repo.lookups(conn)]


def detail(store: Store, name: str) -> dict[str, Any]:
    """One list with its values and every version (oldest first), each with what it added
    and removed from the one before."""
    with store.connect() as conn:
        row = repo.get_lookup(conn, name)
        if row is None:
            raise NotFoundError(f"no lookup list '{name}'")
        users = _users(repo.current_rules(conn))
        stored = repo.lookup_versions(conn, int(row["id"]))
    versions: list[dict[str, Any]] = []
    before: list[str] = []
    for v in stored:
        values = list(v["values"])
        added, removed = _difference(before, values)
        versions.append(
            {"version": int(v["version"]), "created_at": v["created_at"], "values": values,
             "count": len(values), "added": added, "removed": removed}
        )  # fmt: skip
        before = values
    return {**_summary(row, users), "values": list(row["values"]), "versions": versions}


def compare(versions: Sequence[Mapping[str, Any]], a: int, b: int) -> dict[str, Any]:
    """What version `b` of a list has that version `a` has not (added), and the reverse."""
    by_number = {int(v["version"]): list(v["values"]) for v in versions}
    added, removed = _difference(by_number.get(a, []), by_number.get(b, []))
    return {"a": a, "b": b, "added": added, "removed": removed}
