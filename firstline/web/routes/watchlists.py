"""The watchlist manager: lists, their entries, manual entries, imports with progress, versions
and the difference between two versions (issue 9). Pages and their `/api/v1` JSON.

Analysts see (VIEW_WATCHLISTS); supervisors change (MANAGE_WATCHLISTS). Every change and every
search of entries is audited by the service.
"""

from __future__ import annotations

import tempfile
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from firstline.cases.access import Actor, Permission
from firstline.exc import InvalidRequestError
from firstline.model.watchlist_json import entry_from_dict
from firstline.services import watchlists as list_service
from firstline.services.workplace import local_now
from firstline.settings import Settings
from firstline.watchlists.formats import FORMATS
from firstline.web.deps import SettingsDep, StoreDep, client_of, needs
from firstline.web.i18n import gettext, ngettext
from firstline.web.imports import ImportJob, jobs_of, rescreen
from firstline.web.render import page
from firstline.web.routes.admin_kit import back

router = APIRouter()
Viewer = Annotated[Actor, Depends(needs(Permission.VIEW_WATCHLISTS))]
Manager = Annotated[Actor, Depends(needs(Permission.MANAGE_WATCHLISTS))]
PAGE_SIZE = 50
FORMAT_NAMES = sorted(FORMATS)


def _today(settings: Settings) -> date:
    return local_now(settings.timezone).date()


# -- pages ------------------------------------------------------------------------------------


@router.get("/watchlists", response_class=HTMLResponse, include_in_schema=False)
def lists_page(request: Request, store: StoreDep, actor: Viewer, done: str = "") -> HTMLResponse:
    context = {
        "lists": list_service.lists(store),
        "categories": list_service.CATEGORIES,
        "severities": list_service.SEVERITIES,
        "done": done,
    }
    return page(request, "watchlists.html", context)


@router.post("/watchlists", include_in_schema=False)
def create_form(
    request: Request,
    store: StoreDep,
    actor: Manager,
    name: Annotated[str, Form()],
    category: Annotated[str, Form()],
    severity: Annotated[str, Form()],
    description: Annotated[str, Form()] = "",
) -> Response:
    list_id = list_service.create_list(
        store, actor, name=name, category=category, severity=severity,
        description=description, client=client_of(request),
    )  # fmt: skip
    return RedirectResponse(f"/watchlists/{list_id}", status_code=303)


@router.post("/watchlists/{list_id}/active", include_in_schema=False)
def active_form(
    request: Request,
    store: StoreDep,
    actor: Manager,
    list_id: int,
    active: Annotated[bool, Form()],
) -> Response:
    list_service.set_list_active(store, actor, list_id, active, client=client_of(request))
    return back("/watchlists", done=gettext("activated") if active else gettext("deactivated"))


@router.get("/watchlists/import", response_class=HTMLResponse, include_in_schema=False)
def import_page(
    request: Request, store: StoreDep, actor: Manager, list_id: int | None = None
) -> HTMLResponse:
    context = {"lists": list_service.lists(store), "formats": FORMAT_NAMES, "list_id": list_id}
    return page(request, "watchlist_import.html", context)


@router.post("/watchlists/import", include_in_schema=False)
async def import_form(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    actor: Manager,
    list_id: Annotated[int, Form()],
    format: Annotated[str, Form()],
    files: Annotated[list[UploadFile], File()],
) -> Response:
    job = await _start_import(request, store, settings, actor, list_id, format, files)
    return RedirectResponse(f"/watchlists/imports/{job.id}", status_code=303)


@router.get("/watchlists/imports/{job_id}", response_class=HTMLResponse, include_in_schema=False)
def import_progress_page(request: Request, actor: Manager, job_id: str) -> HTMLResponse:
    job = jobs_of(request.app).get(job_id, actor)
    template = "_watchlist_import_status.html" if request.headers.get("hx-request") else (
        "watchlist_import_status.html"
    )  # fmt: skip
    return page(request, template, {"job": job})


@router.get("/watchlists/{list_id}", response_class=HTMLResponse, include_in_schema=False)
def list_page(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    actor: Viewer,
    list_id: int,
    q: str = "",
    offset: Annotated[int, Query(ge=0)] = 0,
    done: str = "",
) -> HTMLResponse:
    listed = list_service.list_by_id(store, list_id)
    rows, total = list_service.search_entries(
        store, actor, list_id, text=q, today=_today(settings), limit=PAGE_SIZE, offset=offset,
        client=client_of(request),
    )  # fmt: skip
    context = {
        "wl": listed, "entries": rows, "total": total, "q": q, "offset": offset,
        "page_size": PAGE_SIZE, "done": done,
    }  # fmt: skip
    return page(request, "watchlist.html", context)


@router.post("/watchlists/{list_id}/entries", include_in_schema=False)
def manual_entry_form(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    actor: Manager,
    list_id: int,
    surname: Annotated[str, Form()] = "",
    given_names: Annotated[str, Form()] = "",
    date_of_birth: Annotated[str, Form()] = "",
    nationality: Annotated[str, Form()] = "",
    document: Annotated[str, Form()] = "",
    valid_from: Annotated[str, Form()] = "",
    valid_to: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    entry = list_service.manual_entry(
        entry_id=None, surname=surname, given_names=given_names, date_of_birth=date_of_birth,
        nationality=nationality, document=document, valid_from=_day(valid_from, "valid from"),
        valid_to=_day(valid_to, "valid to"), note=note,
    )  # fmt: skip
    version = list_service.add_manual_entry(store, actor, list_id, entry, client=client_of(request))
    screened = rescreen(store, settings)
    new_hits = int(screened["new_hits"])
    done = ngettext(
        "entry %(entry)s saved as version %(version)s; %(hits)s new hits",
        "entry %(entry)s saved as version %(version)s; %(hits)s new hits",
        new_hits,
    ) % {"entry": entry.source_id, "version": version, "hits": new_hits}
    return back(f"/watchlists/{list_id}", done=done)


def _day(text: str, what: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InvalidRequestError(f"{what} {text!r}: use YYYY-MM-DD") from exc


@router.get(
    "/watchlists/{list_id}/entries/{entry_id}", response_class=HTMLResponse,
    include_in_schema=False,
)  # fmt: skip
def entry_page(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    actor: Viewer,
    list_id: int,
    entry_id: int,
) -> HTMLResponse:
    listed = list_service.list_by_id(store, list_id)
    found = list_service.entry_detail(
        store, actor, list_id, entry_id, today=_today(settings), client=client_of(request)
    )
    context = {"wl": listed, "e": found, "entry": entry_from_dict(found["data"])}
    return page(request, "watchlist_entry.html", context)


@router.get("/watchlists/{list_id}/versions", response_class=HTMLResponse, include_in_schema=False)
def versions_page(
    request: Request,
    store: StoreDep,
    actor: Viewer,
    list_id: int,
    low: Annotated[int | None, Query(alias="from")] = None,
    high: Annotated[int | None, Query(alias="to")] = None,
    rejected: int | None = None,
) -> HTMLResponse:
    listed = list_service.list_by_id(store, list_id)
    versions = list_service.list_versions(store, list_id)
    diff = None
    if versions:
        high = int(versions[0]["number"]) if high is None else high
        low = max(0, high - 1) if low is None else low
        diff = list_service.compare_versions(store, list_id, low, high)
    context = {
        "wl": listed, "versions": versions, "diff": diff, "low": low, "high": high,
        "rejected": rejected,
        "rejections": list_service.version_rejections(store, list_id, rejected)
        if rejected is not None else [],
    }  # fmt: skip
    return page(request, "watchlist_versions.html", context)


# -- JSON API ---------------------------------------------------------------------------------


class ListIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    category: str = Field(description=", ".join(list_service.CATEGORIES))
    severity: str = Field(description="high, medium or low")
    description: str | None = None


class ActiveIn(BaseModel):
    active: bool


class EntryIn(BaseModel):
    entry_id: str | None = Field(default=None, description="your id; made up when empty")
    surname: str | None = None
    given_names: str | None = None
    date_of_birth: str | None = Field(default=None, description="YYYY-MM-DD, YYYY-MM or YYYY")
    nationality: str | None = Field(default=None, description="country name or ISO code")
    document: str | None = Field(default=None, description="travel document number")
    valid_from: date | None = None
    valid_to: date | None = None
    note: str | None = None


@router.get("/api/v1/watchlists", tags=["watchlists"])
def lists_json(store: StoreDep, actor: Viewer) -> list[dict[str, Any]]:
    """Every list: category, severity, active, current version, entries, last import and
    what the port found on its confirmed hits."""
    return list_service.lists(store)


@router.post("/api/v1/watchlists", tags=["watchlists"], status_code=201)
def create_json(request: Request, store: StoreDep, actor: Manager, body: ListIn) -> dict[str, Any]:
    """Create an empty, active list (supervisors). Audited."""
    list_id = list_service.create_list(
        store, actor, name=body.name, category=body.category, severity=body.severity,
        description=body.description, client=client_of(request),
    )  # fmt: skip
    return list_service.list_by_id(store, list_id)


@router.put("/api/v1/watchlists/{list_id}/active", tags=["watchlists"])
def active_json(
    request: Request, store: StoreDep, actor: Manager, list_id: int, body: ActiveIn
) -> dict[str, Any]:
    """Switch screening against a list on or off (supervisors). Audited."""
    list_service.set_list_active(store, actor, list_id, body.active, client=client_of(request))
    return list_service.list_by_id(store, list_id)


@router.get("/api/v1/watchlists/{list_id}/entries", tags=["watchlists"])
def entries_json(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    actor: Viewer,
    list_id: int,
    q: str = "",
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """A list's current entries, or those whose name, publisher id or document number
    contains `q`, with their validity (`valid`, `expired`, `not_yet_valid`). A search is
    audited."""
    rows, total = list_service.search_entries(
        store, actor, list_id, text=q, today=_today(settings), limit=limit, offset=offset,
        client=client_of(request),
    )  # fmt: skip
    return {"total": total, "entries": rows}


@router.get("/api/v1/watchlists/{list_id}/entries/{entry_id}", tags=["watchlists"])
def entry_json(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    actor: Viewer,
    list_id: int,
    entry_id: int,
) -> dict[str, Any]:
    """One entry as stored (every name, date, document, validity) and the versions that
    added or changed it. Audited."""
    return list_service.entry_detail(
        store, actor, list_id, entry_id, today=_today(settings), client=client_of(request)
    )


@router.post("/api/v1/watchlists/{list_id}/entries", tags=["watchlists"], status_code=201)
def add_entry_json(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    actor: Manager,
    list_id: int,
    body: EntryIn,
) -> dict[str, Any]:
    """Add (or replace, same `entry_id`) a manual entry: a version of its own; travellers of
    flights not yet arrived are re-screened. Audited."""
    entry = list_service.manual_entry(**body.model_dump())
    version = list_service.add_manual_entry(store, actor, list_id, entry, client=client_of(request))
    return {"entry_id": entry.source_id, "version": version, "rescreen": rescreen(store, settings)}


@router.post("/api/v1/watchlists/{list_id}/imports", tags=["watchlists"], status_code=202)
async def import_json(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    actor: Manager,
    list_id: int,
    format: Annotated[str, Form(description=", ".join(FORMAT_NAMES))],
    files: Annotated[list[UploadFile], File()],
) -> dict[str, Any]:
    """Start importing uploaded list files as a new version (multipart form: `files`,
    `format`). Follow it at `/api/v1/watchlists/imports/{job}`."""
    job = await _start_import(request, store, settings, actor, list_id, format, files)
    return job.as_json()


@router.get("/api/v1/watchlists/imports/{job_id}", tags=["watchlists"])
def import_status_json(request: Request, actor: Manager, job_id: str) -> dict[str, Any]:
    """An import started by you: phase (reading, comparing, storing, re-screening, done,
    failed), records read, then the report with the rejected records."""
    return jobs_of(request.app).get(job_id, actor).as_json()


@router.get("/api/v1/watchlists/{list_id}/versions", tags=["watchlists"])
def versions_json(store: StoreDep, actor: Viewer, list_id: int) -> list[dict[str, Any]]:
    """A list's versions, newest first: number, date, origin (format or manual), files and
    counts."""
    return list_service.list_versions(store, list_id)


@router.get("/api/v1/watchlists/{list_id}/versions/{number}/rejections", tags=["watchlists"])
def rejections_json(
    store: StoreDep, actor: Viewer, list_id: int, number: int
) -> list[dict[str, Any]]:
    """Records a version could not read, with their location and reason."""
    return list_service.version_rejections(store, list_id, number)


@router.get("/api/v1/watchlists/{list_id}/diff", tags=["watchlists"])
def diff_json(
    store: StoreDep,
    actor: Viewer,
    list_id: int,
    low: Annotated[int, Query(alias="from", ge=0)],
    high: Annotated[int, Query(alias="to", ge=0)],
) -> dict[str, Any]:
    """Entries added, removed and changed between two versions, changed fields before and
    after."""
    return asdict(list_service.compare_versions(store, list_id, low, high))


# -- the upload -------------------------------------------------------------------------------


async def _start_import(
    request: Request,
    store: StoreDep,
    settings: Settings,
    actor: Actor,
    list_id: int,
    format_name: str,
    files: list[UploadFile],
) -> ImportJob:
    """Save the upload to a temporary folder (the importer reads files, some beside each
    other) and start the import thread, which removes the folder when done."""
    if format_name not in FORMATS:
        raise InvalidRequestError(f"unknown list format {format_name!r}")
    list_service.list_by_id(store, list_id)
    named = [f for f in files if f.filename]
    if not named:
        raise InvalidRequestError("choose at least one file to import")
    folder = Path(tempfile.mkdtemp(prefix="firstline-list-"))
    paths = []
    for number, upload in enumerate(named):
        name = Path(str(upload.filename)).name or f"upload-{number}"
        path = folder / name
        with path.open("wb") as out:
            while block := await upload.read(1 << 20):
                out.write(block)
        paths.append(path)
    return jobs_of(request.app).start(
        store, settings, actor, list_id=list_id, format_name=format_name, folder=folder,
        paths=paths, client=client_of(request),
    )  # fmt: skip
