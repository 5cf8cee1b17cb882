"""Lookup lists in the browser: the lists with the rules using them, a list's values and
versions (two compared: values added and removed), and the form that creates a list or edits
its values; each with its `/api/v1/lookups` JSON.

Seeing them needs `rules:view`; saving needs `rules:manage`, as saving a rule does, and is
audited (`lookup_saved`). A list's pages sit one level below `/rules/{key}/...` so that no
list name can shadow a rule's page: `/rules/lookups/{name}/versions`, `.../edit`.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from firstline.cases.access import Actor, Permission
from firstline.services import lookups as lookup_service
from firstline.web.deps import StoreDep, client_of, needs
from firstline.web.render import page

router = APIRouter()
Viewer = Annotated[Actor, Depends(needs(Permission.VIEW_RULES))]
Manager = Annotated[Actor, Depends(needs(Permission.MANAGE_RULES))]


@router.get("/rules/lookups", response_class=HTMLResponse, include_in_schema=False)
def lists_page(request: Request, store: StoreDep, actor: Viewer) -> HTMLResponse:
    return page(request, "lookups.html", {"lists": lookup_service.lists(store)})


@router.get("/rules/lookups/new", response_class=HTMLResponse, include_in_schema=False)
def new_page(request: Request, actor: Manager) -> HTMLResponse:
    return _form(request, {"name": "", "kind": "codes", "description": "", "values": ""})


@router.post("/rules/lookups/new", include_in_schema=False)
def create_form(
    request: Request,
    store: StoreDep,
    actor: Manager,
    name: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "codes",
    description: Annotated[str, Form()] = "",
    values: Annotated[str, Form()] = "",
) -> Response:
    given = {"name": name, "kind": kind, "description": description, "values": values}
    return _save(request, store, actor, given, creating=True)


@router.get("/rules/lookups/{name}/edit", response_class=HTMLResponse, include_in_schema=False)
def edit_page(request: Request, store: StoreDep, actor: Manager, name: str) -> HTMLResponse:
    found = lookup_service.detail(store, name)
    given = {**found, "values": "\n".join(found["values"]), "base_version": found["version"]}
    return _form(request, given, editing=name)


@router.post("/rules/lookups/{name}/edit", include_in_schema=False)
def edit_form(
    request: Request,
    store: StoreDep,
    actor: Manager,
    name: str,
    kind: Annotated[str, Form()] = "codes",
    description: Annotated[str, Form()] = "",
    values: Annotated[str, Form()] = "",
    base_version: Annotated[int | None, Form()] = None,
) -> Response:
    lookup_service.detail(store, name)  # an unknown list: 404, not a new one
    given = {"name": name, "kind": kind, "description": description, "values": values,
             "base_version": base_version}  # fmt: skip
    return _save(request, store, actor, given, editing=name)


def _save(
    request: Request,
    store: StoreDep,
    actor: Actor,
    given: dict[str, Any],
    *,
    creating: bool = False,
    editing: str = "",
) -> Response:
    try:
        saved = lookup_service.save(
            store, actor, name=given["name"], values=given["values"], kind=given["kind"],
            description=given["description"], creating=creating,
            base_version=given.get("base_version"), client=client_of(request),
        )  # fmt: skip
    except lookup_service.LookupValidationError as exc:
        return _form(
            request, given, editing=editing, problems=exc.problems, failures=exc.failures,
            status_code=422,
        )  # fmt: skip
    note = "saved" if saved.changed else "described" if saved.described else "unchanged"
    previous = f"&a={saved.version - 1}" if saved.changed and saved.version > 1 else ""
    return RedirectResponse(
        f"/rules/lookups/{quote(saved.name)}/versions?note={note}&b={saved.version}{previous}",
        status_code=303,
    )


def _form(
    request: Request,
    given: dict[str, Any],
    *,
    editing: str = "",
    problems: dict[str, str] | None = None,
    failures: list[lookup_service.ExampleFailure] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = {
        "given": given,
        "editing": editing,
        "problems": problems or {},
        "failures": failures or [],
        "kinds": lookup_service.KINDS,
    }
    return page(request, "lookup_form.html", context, status_code=status_code)


@router.get("/rules/lookups/{name}/versions", response_class=HTMLResponse, include_in_schema=False)
def list_page(
    request: Request,
    store: StoreDep,
    actor: Viewer,
    name: str,
    a: int | None = None,
    b: int | None = None,
    note: str = "",
) -> HTMLResponse:
    """A list's values, the rules using it, its versions, and two versions compared (by
    default the latest with the one before)."""
    found = lookup_service.detail(store, name)
    numbers = [v["version"] for v in found["versions"]]
    right = b if b is not None and b in numbers else max(numbers, default=0)
    earlier = max([n for n in numbers if n < right], default=0)
    left = a if a is not None and (a == 0 or a in numbers) else earlier  # 0: the empty list
    context = {
        "lookup": found,
        "diff": lookup_service.compare(found["versions"], left, right),
        "note": note,
    }
    return page(request, "lookup.html", context)


# -- JSON API ---------------------------------------------------------------------------------


class LookupIn(BaseModel):
    values: list[str] = Field(
        description="The values, in order; codes are upper-cased, blanks and repeats dropped"
    )
    kind: str | None = Field(
        default=None,
        description=f"One of {', '.join(lookup_service.KINDS)}; unchanged (else codes) if absent",
    )
    description: str | None = Field(default=None, description="Unchanged if left out")


@router.get("/api/v1/lookups", tags=["rules"])
def lists_json(store: StoreDep, actor: Viewer) -> list[dict[str, Any]]:
    """Every lookup list rules may name: kind, description, number of values, current
    version, last change and the rules whose current version uses it."""
    return lookup_service.lists(store)


@router.get("/api/v1/lookups/{name}", tags=["rules"])
def list_json(store: StoreDep, actor: Viewer, name: str) -> dict[str, Any]:
    """One lookup list: its values and every version (oldest first) with its values and
    what it added and removed."""
    return lookup_service.detail(store, name)


@router.put("/api/v1/lookups/{name}", tags=["rules"])
def save_json(
    request: Request, store: StoreDep, actor: Manager, name: str, body: LookupIn
) -> dict[str, Any]:
    """Create a lookup list or replace its values (needs `rules:manage`): a new version
    only when the values changed. Refused (422) for an invalid name or no value. Audited."""
    saved = lookup_service.save(
        store, actor, name=name, values=body.values, kind=body.kind,
        description=body.description, client=client_of(request),
    )  # fmt: skip
    return {
        "name": saved.name, "version": saved.version, "new": saved.new,
        "changed": saved.changed, "added": saved.added, "removed": saved.removed,
    }  # fmt: skip
