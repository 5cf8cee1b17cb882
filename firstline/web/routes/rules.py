"""Risk rules: the list with statistics, the editor (conditions, examples, back-test, YAML),
saving as a new version, and versions side by side; each with its `/api/v1` JSON.

The editor is one form; its htmx buttons post the whole form to small endpoints that answer
with a fragment (a condition row, the YAML, the test results, the back-test). Nothing is
stored until "save", which needs `rules:manage` and is audited; so does "retire" (with a
reason), which stores the rule as a new, retired version: kept with its history, no longer
evaluated.
"""

from __future__ import annotations

import difflib
import secrets
from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Annotated, Any
from urllib.parse import quote

import yaml
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from firstline.cases.access import Actor, Permission
from firstline.rules import form as rule_form
from firstline.rules.fields import FIELDS, FieldType
from firstline.rules.model import CATEGORIES, SEVERITIES, RuleError, RuleStatus
from firstline.rules.operators import OPERATORS
from firstline.rules.parse import _Loader
from firstline.services import audit
from firstline.services import rules as rule_service
from firstline.store import Store
from firstline.web.deps import StoreDep, client_of, needs
from firstline.web.i18n import N_
from firstline.web.labels import field_description, field_label, operator
from firstline.web.problems import rule_problem
from firstline.web.render import page

router = APIRouter()
Viewer = Annotated[Actor, Depends(needs(Permission.VIEW_RULES))]
Manager = Annotated[Actor, Depends(needs(Permission.MANAGE_RULES))]
NEAR_EXPIRY_DAYS = rule_service.NEAR_EXPIRY_DAYS


async def posted(request: Request) -> list[tuple[str, str]]:
    """The posted form's fields in page order (files ignored)."""
    data = await request.form()
    return [(k, v) for k, v in data.multi_items() if isinstance(v, str)]


Posted = Annotated[list[tuple[str, str]], Depends(posted)]


def _field_groups() -> list[tuple[str, list[Any]]]:
    groups: dict[str, list[Any]] = {}
    for item in FIELDS:
        groups.setdefault(item.group, []).append(item)
    return list(groups.items())


def _operators(name: str) -> list[tuple[str, str, str]]:
    """(op, label in the current language, shape) for a field, in the catalogue's order."""
    spec = next((f for f in FIELDS if f.name == name), None)
    if spec is None:
        return []
    return [
        (op, operator(op), shape) for op, (_test, shape, _words) in OPERATORS[spec.type].items()
    ]


def _shared(store: Store) -> dict[str, Any]:
    """What every editor fragment needs to draw rows."""
    return {
        "field_groups": _field_groups(),
        "catalogue": {f.name: f for f in FIELDS},
        "operators_of": _operators,
        "field_label": field_label,
        "field_description": field_description,
        "shape_of": rule_form.shape_of,
        "lookups": sorted(rule_service.lookup_lists(store)),
        "FieldType": FieldType,
    }


def _errors_by_place(built: rule_form.Built, errors: list[RuleError]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for error in errors:
        where = built.place_of(error.location)
        out.setdefault(where, []).append(f"{error.location}: {rule_problem(error)}")
    return out


def _editor(
    request: Request,
    store: Store,
    form: rule_form.RuleForm,
    *,
    editing: str = "",
    version: int | None = None,
    errors: list[RuleError] | None = None,
    yaml_text: str | None = None,
    status: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    built = rule_form.to_definition(form)
    context = {
        **_shared(store),
        "form": form,
        "editing": editing,
        "version": version,
        "status": status,
        "errors": _errors_by_place(built, errors or []),
        "error_list": errors or [],
        "yaml_text": yaml_text if yaml_text is not None else _yaml(built.definition),
        "categories": CATEGORIES,
        "severities": SEVERITIES,
        "statuses": [s.value for s in RuleStatus],
    }
    return page(request, "rule_editor.html", context, status_code=status_code)


def _yaml(definition: dict[str, Any]) -> str:
    shown = dict(definition)
    for key in ("start", "expiry"):  # unquoted dates read better
        try:
            shown[key] = date.fromisoformat(str(shown[key]))
        except (KeyError, ValueError):
            pass
    return yaml.safe_dump(shown, sort_keys=False, allow_unicode=True, width=100)


def _form(pairs: list[tuple[str, str]]) -> rule_form.RuleForm:
    form = rule_form.parse_form(pairs)
    editing = dict(pairs).get("editing", "")
    if editing:
        form.meta["id"] = editing  # an edit never renames a rule
    return form


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


# -- pages ------------------------------------------------------------------------------------


@router.get("/rules", response_class=HTMLResponse, include_in_schema=False)
def rules_page(
    request: Request,
    store: StoreDep,
    actor: Viewer,
    saved: str = "",
    note: str = "",
    version: int | None = None,
) -> HTMLResponse:
    rows = _rules(store)
    top = max([r["hits"] + r["shadow_hits"] for r in rows] + [1])
    context = {"rules": rows, "top": top, "saved": saved, "note": note, "version": version}
    return page(request, "rules.html", context)


def _rules(store: Store) -> list[dict[str, Any]]:
    today = datetime.now(UTC).date()
    listed = {r["key"]: r for r in rule_service.list_rules(store)}
    out = []
    for row in rule_service.stats(store, today=today):
        meta = listed.get(row["rule"], {})
        expiry = meta.get("expiry")
        days = (expiry - today).days if isinstance(expiry, date) else None
        out.append(
            {
                **row,
                "owner": meta.get("owner"),
                "start": meta.get("start"),
                "expiry": expiry,
                "expires_in": days,
                "expiry_warning": days is not None and days <= NEAR_EXPIRY_DAYS,
            }
        )
    return out


@router.get("/rules/new", response_class=HTMLResponse, include_in_schema=False)
def new_page(request: Request, store: StoreDep, actor: Viewer) -> HTMLResponse:
    return _editor(request, store, rule_form.blank_form())


@router.get("/rules/{key}/edit", response_class=HTMLResponse, include_in_schema=False)
def edit_page(request: Request, store: StoreDep, actor: Viewer, key: str) -> HTMLResponse:
    versions = rule_service.versions(store, key)
    current = versions[-1]
    form = rule_form.from_definition(current["definition"])
    return _editor(
        request, store, form, editing=key, version=current["version"], status=current["status"]
    )


@router.post("/rules/editor/row", response_class=HTMLResponse, include_in_schema=False)
def row_fragment(request: Request, store: StoreDep, actor: Viewer, pairs: Posted) -> HTMLResponse:
    """A condition row: a new one under `parent`, or row `row` redrawn for its chosen field
    (its operators and the input its type and operator need)."""
    given = dict(pairs)
    path = given.get("row", "")
    if not rule_form.is_path(path):
        path = _child(given.get("parent", ""))
        return _fragment(request, store, rule_form.CondRow(path))
    row = rule_form.CondRow(
        path, *(given.get(f"{part}.{path}", "").strip()
                for part in ("field", "op", "value", "value2", "lookup"))
    )  # fmt: skip
    ops = [op for op, _label, _shape in _operators(row.field)]
    if row.op not in ops:
        row.op = ops[0] if ops else ""
    if rule_form.shape_of(row.field, row.op) != "list":
        row.lookup = ""
    return _fragment(request, store, row)


@router.post("/rules/editor/group", response_class=HTMLResponse, include_in_schema=False)
def group_fragment(request: Request, store: StoreDep, actor: Viewer, pairs: Posted) -> HTMLResponse:
    """A new group (any, all or not) under `parent`, with one empty condition."""
    given = dict(pairs)
    path = _child(given.get("parent", ""))
    kind = given.get("kind", "any")
    group = rule_form.GroupRow(path, kind if kind in rule_form.GROUP_KINDS else "any")
    group.children.append(rule_form.CondRow(_child(path)))
    return _fragment(request, store, group)


@router.post("/rules/editor/example", response_class=HTMLResponse, include_in_schema=False)
def example_fragment(
    request: Request, store: StoreDep, actor: Viewer, pairs: Posted
) -> HTMLResponse:
    """A new example traveller row."""
    kind = dict(pairs).get("example_kind", "must_hit")
    example = rule_form.ExampleRow(secrets.token_hex(3), kind)
    return page(request, "_rule_example.html", {"example": example, "errors": {}})


def _child(parent: str) -> str:
    return f"{parent if rule_form.is_path(parent) else rule_form.ROOT}-{secrets.token_hex(3)}"


def _fragment(request: Request, store: Store, row: rule_form.Row) -> HTMLResponse:
    context = {**_shared(store), "row": row, "errors": {}}
    return page(request, "_rule_node.html", context)


@router.post("/rules/editor/yaml", response_class=HTMLResponse, include_in_schema=False)
def yaml_fragment(request: Request, store: StoreDep, actor: Viewer, pairs: Posted) -> HTMLResponse:
    """The rule as YAML, as it would be stored, with the checker's mistakes."""
    built = rule_form.to_definition(_form(pairs))
    _rule, errors, _results = rule_service.check_definition(store, built.definition)
    context = {"yaml_text": _yaml(built.definition), "problems": _located(built, errors)}
    return page(request, "_rule_yaml.html", context)


def _located(built: rule_form.Built, errors: list[RuleError]) -> list[dict[str, str]]:
    return [
        {"location": e.location, "message": rule_problem(e), "place": built.place_of(e.location)}
        for e in errors
    ]


@router.post("/rules/editor/test", response_class=HTMLResponse, include_in_schema=False)
def test_fragment(request: Request, store: StoreDep, actor: Viewer, pairs: Posted) -> HTMLResponse:
    """The rule's own examples run: which must hit, which must not, and what happened."""
    built = rule_form.to_definition(_form(pairs))
    _rule, errors, results = rule_service.check_definition(store, built.definition)
    context = {
        "problems": _located(built, errors),
        "results": [
            {**asdict(r), "place": built.place_of(f"rule KEY tests.{r.example}")} for r in results
        ],
    }
    return page(request, "_rule_tests.html", context)


@router.post("/rules/editor/backtest", response_class=HTMLResponse, include_in_schema=False)
def backtest_fragment(
    request: Request, store: StoreDep, actor: Viewer, pairs: Posted
) -> HTMLResponse:
    """What the rule as edited would have hit on stored travellers (nothing is stored)."""
    given = dict(pairs)
    built = rule_form.to_definition(_form(pairs))
    context: dict[str, Any] = {"report": None, "problems": []}
    try:
        context["report"] = rule_service.backtest_definition(
            store,
            built.definition,
            date_from=_date(given.get("backtest_from", "")),
            date_to=_date(given.get("backtest_to", "")),
            examples=20,
        )
    except rule_service.RuleValidationError as exc:
        context["problems"] = _located(built, exc.errors)
    return page(request, "_rule_backtest.html", context)


@router.post("/rules/editor/from-yaml", response_class=HTMLResponse, include_in_schema=False)
def from_yaml_page(request: Request, store: StoreDep, actor: Viewer, pairs: Posted) -> HTMLResponse:
    """ "Edit as YAML": the text read back into the editor, its mistakes shown."""
    given = dict(pairs)
    text = given.get("yaml_text", "")
    editing = given.get("editing", "")
    definition, problem = _read_yaml(text)
    if definition is None:
        return _editor(
            request, store, _form(pairs), editing=editing, yaml_text=text, status_code=422,
            errors=[problem] if problem else [],
        )  # fmt: skip
    form = rule_form.from_definition(definition)
    if editing:
        form.meta["id"] = editing
    built = rule_form.to_definition(form)
    _rule, errors, _results = rule_service.check_definition(store, built.definition)
    return _editor(request, store, form, editing=editing, errors=errors, yaml_text=text)


def _read_yaml(text: str) -> tuple[dict[str, Any] | None, RuleError | None]:
    """One rule's mapping from YAML text: the rule itself, a list, or a pack's first rule."""
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - the checker's SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"yaml line {mark.line + 1}, column {mark.column + 1}" if mark else "yaml"
        problem = {"problem": str(getattr(exc, "problem", exc))}
        return None, RuleError(where, N_("not valid YAML: {problem}"), problem)
    if isinstance(data, dict) and isinstance(data.get("rules"), list):
        data = data["rules"]
    if isinstance(data, list) and data:
        data = data[0]
    if not isinstance(data, dict):
        return None, RuleError("yaml", N_("expected one rule: a mapping with id, title, when ..."))
    return data, None


@router.post("/rules/save", include_in_schema=False)
def save_form(request: Request, store: StoreDep, actor: Manager, pairs: Posted) -> Response:
    """Save the edited rule as a new version (draft, shadow or active); refused, with the
    mistakes beside their place, when it does not check or (shadow, active) its tests fail."""
    given = dict(pairs)
    form = _form(pairs)
    editing = given.get("editing", "")
    status = given.get("save_as", "")
    if status in {s.value for s in RuleStatus}:
        form.meta["status"] = status
    built = rule_form.to_definition(form)
    try:
        result = _save(store, actor, built.definition, editing=editing, client=client_of(request))
    except rule_service.RuleValidationError as exc:
        return _editor(request, store, form, editing=editing, errors=exc.errors, status_code=422)
    key, version, changed = result
    return _listed(key, "saved" if changed else "unchanged", version)


def _listed(key: str, note: str, version: int) -> RedirectResponse:
    """Back to the list, which says what became of the rule."""
    return RedirectResponse(
        f"/rules?saved={quote(key)}&note={note}&version={version}", status_code=303
    )


@router.post("/rules/{key}/retire", include_in_schema=False)
def retire_form(
    request: Request,
    store: StoreDep,
    actor: Manager,
    key: str,
    reason: Annotated[str, Form()] = "",
) -> Response:
    """Retire a rule (supervisors, with a reason): its current definition stored again as a
    new version with status retired, audited as `rule_retired`. A retired rule is kept with
    its history and no longer evaluated; saving it as draft, shadow or active brings it back."""
    current = rule_service.versions(store, key)[-1]
    definition = {**current["definition"], "id": key, "status": RuleStatus.RETIRED.value}
    if not reason.strip():
        form = rule_form.from_definition(current["definition"])
        problem = RuleError("rule", N_("give the reason for retiring the rule"))
        return _editor(
            request, store, form, editing=key, version=current["version"], errors=[problem],
            status=current["status"], status_code=422,
        )  # fmt: skip
    try:
        _key, version, changed = _save(
            store, actor, definition, editing=key, client=client_of(request),
            action="rule_retired", reason=reason.strip(),
        )  # fmt: skip
    except rule_service.RuleValidationError as exc:
        form = rule_form.from_definition(current["definition"])
        return _editor(
            request, store, form, editing=key, version=current["version"], errors=exc.errors,
            status=current["status"], status_code=422,
        )  # fmt: skip
    return _listed(key, "retired" if changed else "unchanged", version)


def _save(
    store: Store,
    actor: Actor,
    definition: dict[str, Any],
    *,
    editing: str,
    client: str | None,
    action: str = "rule_saved",
    reason: str | None = None,
) -> tuple[str, int, bool]:
    """Check, refuse or store, audit as `action`. (key, version, whether a new version was
    made)"""
    _rule, errors, results = rule_service.check_definition(store, definition)
    key = str(definition.get("id", ""))
    if not editing and key in {r["key"] for r in rule_service.list_rules(store)}:
        exists = N_("a rule '{key}' exists already: edit it instead")
        errors.append(RuleError("rule.id", exists, {"key": key}))
    if definition.get("status") in ("active", "shadow"):
        errors += [
            RuleError(f"rule {key} tests.{r.example}", rule_service.TEST_FAILS, r.failure())
            for r in results
            if not r.passed
        ]
    if errors:
        raise rule_service.RuleValidationError(errors)
    report, version = rule_service.save_definition(store, definition)
    changed = not report.unchanged
    if changed:
        audit.log(
            store, actor, action, object_type="rule", object_id=key, client=client, reason=reason,
            detail={"version": version, "status": definition.get("status", "draft"),
                    "new": bool(report.new)},
        )  # fmt: skip
    return key, version, changed


@router.get("/rules/{key}/versions", response_class=HTMLResponse, include_in_schema=False)
def versions_page(
    request: Request,
    store: StoreDep,
    actor: Viewer,
    key: str,
    a: int | None = None,
    b: int | None = None,
) -> HTMLResponse:
    versions = rule_service.versions(store, key)
    numbers = [v["version"] for v in versions]
    right = b if b in numbers else numbers[-1]
    left = a if a in numbers else (numbers[-2] if len(numbers) > 1 else numbers[-1])
    by_number = {v["version"]: v for v in versions}
    rows = side_by_side(_yaml(by_number[left]["definition"]), _yaml(by_number[right]["definition"]))
    context = {"key": key, "versions": versions, "a": left, "b": right, "rows": rows}
    return page(request, "rule_versions.html", context)


def side_by_side(old: str, new: str) -> list[dict[str, Any]]:
    """Two texts as aligned rows (left, right, how they differ: same, changed, removed,
    added), as difflib matches their lines."""
    left, right = old.splitlines(), new.splitlines()
    rows: list[dict[str, Any]] = []
    matcher = difflib.SequenceMatcher(None, left, right, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        kind = {"equal": "same", "replace": "changed", "delete": "removed", "insert": "added"}
        for k in range(max(i2 - i1, j2 - j1)):
            rows.append(
                {
                    "left": left[i1 + k] if i1 + k < i2 else None,
                    "left_no": i1 + k + 1 if i1 + k < i2 else None,
                    "right": right[j1 + k] if j1 + k < j2 else None,
                    "right_no": j1 + k + 1 if j1 + k < j2 else None,
                    "kind": kind[tag],
                }
            )
    return rows


# -- JSON API ---------------------------------------------------------------------------------


class DefinitionIn(BaseModel):
    definition: dict[str, Any] = Field(
        description="One rule as written in a pack (id, title, when, tests ...): docs/rules.md"
    )


class BacktestIn(DefinitionIn):
    date_from: date | None = None
    date_to: date | None = None
    examples: int = Field(default=20, ge=0, le=200)


def _errors_json(errors: list[RuleError]) -> list[dict[str, str]]:
    return [{"location": e.location, "message": e.message} for e in errors]


@router.get("/api/v1/rules", tags=["rules"])
def rules_json(store: StoreDep, actor: Viewer) -> list[dict[str, Any]]:
    """Every rule with status, version, owner, dates and statistics: hits, per 1,000
    travellers, shadow hits, confirmed, false positives, precision, port outcomes, flags."""
    return _rules(store)


@router.get("/api/v1/rules/fields", tags=["rules"])
def fields_json(actor: Viewer) -> list[dict[str, Any]]:
    """The field catalogue rules are written against, with each type's operators."""
    return [
        {
            "name": f.name, "group": f.group, "type": f.type.value, "label": f.label,
            "description": f.description, "example": f.example,
            "operators": [op for op, _label, _shape in _operators(f.name)],
        }
        for f in FIELDS
    ]  # fmt: skip


@router.get("/api/v1/rules/{key}", tags=["rules"])
def rule_json(store: StoreDep, actor: Viewer, key: str) -> dict[str, Any]:
    """A rule's current version: its definition as written, and as YAML."""
    current = rule_service.versions(store, key)[-1]
    return {"key": key, **current, "yaml": _yaml(current["definition"])}


@router.get("/api/v1/rules/{key}/versions", tags=["rules"])
def versions_json(store: StoreDep, actor: Viewer, key: str) -> list[dict[str, Any]]:
    """Every version of a rule, oldest first, with its definition."""
    return rule_service.versions(store, key)


@router.post("/api/v1/rules/check", tags=["rules"])
def check_json(store: StoreDep, actor: Viewer, body: DefinitionIn) -> dict[str, Any]:
    """Check a rule without storing it: its mistakes, located, and its examples' results."""
    _rule, errors, results = rule_service.check_definition(store, body.definition)
    return {
        "valid": not errors,
        "errors": _errors_json(errors),
        "tests": [asdict(r) for r in results],
    }


@router.post("/api/v1/rules/backtest", tags=["rules"])
def backtest_json(store: StoreDep, actor: Viewer, body: BacktestIn) -> dict[str, Any]:
    """What a rule, stored or not, would have hit on the stored travellers whose flight
    departs between the dates: travellers, hits, per 1,000 and examples. Nothing is stored."""
    report = rule_service.backtest_definition(
        store, body.definition, date_from=body.date_from, date_to=body.date_to,
        examples=body.examples,
    )  # fmt: skip
    return {**asdict(report), "per_thousand": round(report.per_thousand, 2)}


@router.put("/api/v1/rules/{key}", tags=["rules"])
def save_json(
    request: Request, store: StoreDep, actor: Manager, key: str, body: DefinitionIn
) -> dict[str, Any]:
    """Create or change a rule (supervisors): a new version when the definition changed.
    Refused (422, every mistake located) when it does not check or when an active or shadow
    rule's own tests fail."""
    definition = {**body.definition, "id": key}
    exists = key in {r["key"] for r in rule_service.list_rules(store)}
    saved, version, changed = _save(
        store, actor, definition, editing=key if exists else "", client=client_of(request)
    )
    return {"key": saved, "version": version, "changed": changed}
