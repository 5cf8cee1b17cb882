"""The rule editor's form and the rule's definition (the mapping `parse.py` reads), both ways.

The editor posts flat text fields: the metadata (`id`, `title`, ...), one `node` field per
condition or group in page order (its path, like `r-0-2`: the parent is the path without its
last part), with `kind.<path>`, `field.<path>`, `op.<path>`, `value.<path>`, `value2.<path>`
and `lookup.<path>`, and one `example` field per example traveller with
`example_kind.<id>` and `example_facts.<id>` (one `field: value` per line). This module turns
those fields into the definition and back, and says which place of the form each part of the
definition came from, so that the checker's located errors can be shown beside their input.
Nothing here validates: `parse.py` does, on the definition built here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from firstline.rules.fields import CATALOGUE, FieldType
from firstline.rules.operators import OPERATORS

META_KEYS = (
    "id", "title", "description", "category", "severity", "score", "owner", "start", "expiry",
    "status",
)  # fmt: skip
GROUP_KINDS = ("all", "any", "not")
EXAMPLE_KINDS = ("must_hit", "must_not_hit")
ROOT = "r"
_PATH = re.compile(r"^r(-[0-9a-z]{1,12})*$")
_ID = re.compile(r"^[0-9a-z]{1,12}$")
_YES = {"yes", "true", "y", "1"}
_NO = {"no", "false", "n", "0"}


@dataclass(slots=True)
class CondRow:
    """One condition as the form holds it: every value as text."""

    path: str
    field: str = ""
    op: str = ""
    value: str = ""
    value2: str = ""  # the upper end of `between`
    lookup: str = ""
    kind: str = "cond"

    @property
    def blank(self) -> bool:
        return not (self.field or self.value or self.value2 or self.lookup)


@dataclass(slots=True)
class GroupRow:
    path: str
    kind: str = "all"
    children: list[CondRow | GroupRow] = field(default_factory=list)


Row = CondRow | GroupRow


@dataclass(slots=True)
class ExampleRow:
    id: str
    kind: str = "must_hit"
    facts: str = ""  # "field: value" lines


@dataclass(slots=True)
class RuleForm:
    meta: dict[str, str] = field(default_factory=dict)
    root: GroupRow = field(default_factory=lambda: GroupRow(ROOT))
    examples: list[ExampleRow] = field(default_factory=list)

    def pairs(self) -> list[tuple[str, str]]:
        """The fields the editor page posts for this form, in page order."""
        out = [(key, self.meta.get(key, "")) for key in META_KEYS]
        out += _node_pairs(self.root)
        for example in self.examples:
            out += [
                ("example", example.id),
                (f"example_kind.{example.id}", example.kind),
                (f"example_facts.{example.id}", example.facts),
            ]
        return out


def blank_form() -> RuleForm:
    """A new rule: draft, medium, one empty condition."""
    meta = dict.fromkeys(META_KEYS, "")
    meta.update(category="other", severity="medium", score="50", status="draft")
    return RuleForm(meta, GroupRow(ROOT, "all", [CondRow(f"{ROOT}-0")]), [])


def is_path(text: str) -> bool:
    """A row's path as the editor writes it (`r`, `r-0`, `r-0-a1b2c3`)."""
    return bool(_PATH.match(text))


def shape_of(field_name: str, op: str) -> str | None:
    """How the operator takes its value (one, list, range, days, regex, none), if known."""
    spec = CATALOGUE.get(field_name)
    if spec is None:
        return None
    found = OPERATORS[spec.type].get(op)
    return found[1] if found else None


# -- definition -> form ------------------------------------------------------------------------


def from_definition(definition: Mapping[str, Any]) -> RuleForm:
    meta = {key: _text(definition.get(key)) for key in META_KEYS}
    when = definition.get("when")
    if isinstance(when, Mapping) and len(when) == 1 and ("all" in when or "any" in when):
        kind = "all" if "all" in when else "any"
        root = GroupRow(ROOT, kind, _children(when[kind], ROOT))
    elif when is None:
        root = GroupRow(ROOT, "all", [])
    else:
        root = GroupRow(ROOT, "all", [_row(when, f"{ROOT}-0")])
    return RuleForm(meta, root, _examples(definition.get("tests")))


def _children(items: Any, parent: str) -> list[Row]:
    if not isinstance(items, list):
        return []
    return [_row(item, f"{parent}-{i}") for i, item in enumerate(items)]


def _row(raw: Any, path: str) -> Row:
    if not isinstance(raw, Mapping):
        return CondRow(path, value=_text(raw))
    groups = [k for k in GROUP_KINDS if k in raw]
    if groups and len(raw) == 1:
        kind = groups[0]
        if kind != "not":
            return GroupRow(path, kind, _children(raw[kind], path))
        inner = raw["not"]
        # `not: {all: [a, b]}` shows as a "not" group holding a and b directly.
        if isinstance(inner, Mapping) and list(inner) == ["all"]:
            items = inner["all"]
            if isinstance(items, list) and len(items) > 1:
                return GroupRow(path, "not", _children(items, path))
        return GroupRow(path, "not", [_row(inner, f"{path}-0")] if inner is not None else [])
    name, op = _text(raw.get("field")), _text(raw.get("op"))
    row = CondRow(path, name, op, lookup=_text(raw.get("lookup")))
    value = raw.get("value")
    shape = shape_of(name, op)
    if shape == "range" and isinstance(value, list) and len(value) == 2:
        row.value, row.value2 = _text(value[0]), _text(value[1])
    elif isinstance(value, list):
        row.value = _join(value, _type(name))
    else:
        row.value = _text(value)
    return row


def _examples(tests: Any) -> list[ExampleRow]:
    out: list[ExampleRow] = []
    if not isinstance(tests, Mapping):
        return out
    for kind in EXAMPLE_KINDS:
        examples = tests.get(kind)
        for example in examples if isinstance(examples, list) else []:
            facts = example if isinstance(example, Mapping) else {}
            lines = [f"{name}: {_fact_text(name, value)}" for name, value in facts.items()]
            out.append(ExampleRow(f"{kind[5]}{len(out)}", kind, "\n".join(lines)))
    return out


def _fact_text(name: str, value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    return _text(value)


def _type(name: str) -> FieldType | None:
    spec = CATALOGUE.get(name)
    return spec.type if spec else None


def _join(values: list[Any], kind: FieldType | None) -> str:
    # Text values may hold commas: one per line. Codes read better on one line.
    return ("\n" if kind is FieldType.TEXT else ", ").join(_text(v) for v in values)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# -- form fields -> form -------------------------------------------------------------------------


def parse_form(pairs: Iterable[tuple[str, str]]) -> RuleForm:
    """The editor's posted fields (in page order) as a form; unknown fields are ignored."""
    items = [(k, v.replace("\r\n", "\n")) for k, v in pairs]
    first: dict[str, str] = {}
    for key, value in items:
        first.setdefault(key, value)
    meta = {key: first.get(key, "") for key in META_KEYS}
    root = GroupRow(ROOT, first.get(f"kind.{ROOT}", "all"))
    nodes: dict[str, GroupRow] = {ROOT: root}
    for key, path in items:
        if key != "node" or path == ROOT or not is_path(path):
            continue
        parent = nodes.get(path.rsplit("-", 1)[0], root)
        kind = first.get(f"kind.{path}", "cond")
        if kind in GROUP_KINDS:
            group = GroupRow(path, kind)
            nodes[path] = group
            parent.children.append(group)
        else:
            parent.children.append(
                CondRow(path, *(first.get(f"{part}.{path}", "").strip()
                                for part in ("field", "op", "value", "value2", "lookup")))
            )  # fmt: skip
    examples = [
        ExampleRow(
            ident,
            first.get(f"example_kind.{ident}", "must_hit"),
            first.get(f"example_facts.{ident}", ""),
        )
        for key, ident in items
        if key == "example" and _ID.match(ident)
    ]
    return RuleForm(meta, root, examples)


def _node_pairs(node: Row) -> list[tuple[str, str]]:
    out = [("node", node.path), (f"kind.{node.path}", node.kind)]
    if isinstance(node, GroupRow):
        for child in node.children:
            out += _node_pairs(child)
        return out
    return out + [
        (f"field.{node.path}", node.field),
        (f"op.{node.path}", node.op),
        (f"value.{node.path}", node.value),
        (f"value2.{node.path}", node.value2),
        (f"lookup.{node.path}", node.lookup),
    ]


# -- form -> definition ------------------------------------------------------------------------


@dataclass(slots=True)
class Built:
    """A definition and, for each place in it (`when.all[1]`), the form's row or field."""

    definition: dict[str, Any]
    places: dict[str, str]

    def place_of(self, location: str) -> str:
        """The form place of a checker's location (`rule.when.all[1].op` -> `r-1`); `rule`
        when it names no part of the form."""
        where = _PREFIX.sub("", location, count=1)
        best = ""
        for place in self.places:
            inside = where == place or where.startswith((place + ".", place + "["))
            if inside and len(place) > len(best):
                best = place
        return self.places.get(best, "rule")


# "rule.when...", "rule KEY tests...", "rules[0] (KEY).when...": where the checker starts.
_PREFIX = re.compile(r"^(?:rules\[\d+\](?: \([^)]*\))?|rule(?: [^ .]+)?)[. ]?")


def to_definition(form: RuleForm) -> Built:
    places: dict[str, str] = {}
    out: dict[str, Any] = {}
    for key in META_KEYS:
        text = form.meta.get(key, "")
        if key == "id":
            text = text.strip()
        if not text.strip():
            continue
        places[key] = key
        out[key] = _number(text.strip()) if key == "score" else text
    root = form.root
    kept = [c for c in root.children if not (isinstance(c, CondRow) and c.blank)]
    if root.kind == "all" and len(kept) == 1:
        out["when"] = _node(kept[0], "when", places)
    else:
        out["when"] = _node(GroupRow(ROOT, root.kind, kept), "when", places)
    tests = _tests(form.examples, places)
    if tests:
        out["tests"] = tests
    return Built(out, places)


def _node(row: Row, where: str, places: dict[str, str]) -> Any:
    places[where] = row.path
    if isinstance(row, CondRow):
        return _condition(row)
    kept = [c for c in row.children if not (isinstance(c, CondRow) and c.blank)]
    if row.kind == "not":
        if len(kept) == 1:
            return {"not": _node(kept[0], f"{where}.not", places)}
        places[f"{where}.not"] = row.path
        if not kept:
            return {"not": None}
        items = [_node(c, f"{where}.not.all[{i}]", places) for i, c in enumerate(kept)]
        return {"not": {"all": items}}
    kind = row.kind if row.kind in GROUP_KINDS else "all"
    return {kind: [_node(c, f"{where}.{kind}[{i}]", places) for i, c in enumerate(kept)]}


def _condition(row: CondRow) -> dict[str, Any]:
    out: dict[str, Any] = {"field": row.field, "op": row.op}
    kind = _type(row.field)
    shape = shape_of(row.field, row.op)
    if row.lookup and shape in ("list", None):
        out["lookup"] = row.lookup
        return out
    if shape == "none":
        return out
    if shape == "list":
        out["value"] = _split(row.value, kind)
    elif shape == "range":
        out["value"] = [_scalar(row.value, kind), _scalar(row.value2, kind)]
    elif shape == "days":
        out["value"] = _number(row.value) if row.value else None
    elif row.value:
        out["value"] = row.value if shape == "regex" else _scalar(row.value, kind)
    return {k: v for k, v in out.items() if v is not None}


def _split(text: str, kind: FieldType | None) -> list[Any]:
    parts = text.split("\n") if kind is FieldType.TEXT else re.split(r"[,\n]", text)
    return [_scalar(p.strip(), kind) for p in parts if p.strip()]


def _scalar(text: str, kind: FieldType | None) -> Any:
    if not text:
        return None
    if kind is FieldType.NUMBER:
        return _number(text)
    if kind in (FieldType.CODE, FieldType.CODES):
        return text.upper()
    return text


def _number(text: str) -> Any:
    """A whole number or a decimal; anything else stays text for the checker to report."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def _tests(examples: list[ExampleRow], places: dict[str, str]) -> dict[str, Any]:
    out: dict[str, list[dict[str, Any]]] = {}
    for example in examples:
        facts = _facts(example.facts)
        if not facts:
            continue
        kind = example.kind if example.kind in EXAMPLE_KINDS else "must_hit"
        bucket = out.setdefault(kind, [])
        places[f"tests.{kind}[{len(bucket)}]"] = f"example-{example.id}"
        bucket.append(facts)
    return {kind: out[kind] for kind in EXAMPLE_KINDS if kind in out}


def _facts(text: str) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    for line in text.splitlines():
        name, sep, value = line.partition(":")
        if not name.strip():
            continue
        facts[name.strip()] = _fact(name.strip(), value.strip()) if sep else None
    return facts


def _fact(name: str, text: str) -> Any:
    kind = _type(name)
    if not text:
        return [] if kind is FieldType.CODES else None
    if kind is FieldType.BOOLEAN:
        low = text.lower()
        return True if low in _YES else False if low in _NO else text
    if kind is FieldType.CODES:
        return [p.strip().upper() for p in text.split(",") if p.strip()]
    return _scalar(text, kind)
