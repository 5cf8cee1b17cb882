"""Quarantine: what was set aside and why, a message's stored bytes, re-processing."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from firstline.cases.access import Actor, Permission
from firstline.exc import FirstlineError
from firstline.services import quarantine
from firstline.services.notifications import notify_if_enabled
from firstline.settings import Settings
from firstline.store import Store
from firstline.web.deps import SettingsDep, StoreDep, client_of, needs
from firstline.web.i18n import gettext, ngettext
from firstline.web.labels import label
from firstline.web.problems import parse_problem
from firstline.web.render import page
from firstline.web.routes.admin_kit import back

router = APIRouter()
Viewer = Annotated[Actor, Depends(needs(Permission.VIEW_QUARANTINE))]
Reprocessor = Annotated[Actor, Depends(needs(Permission.REPROCESS_QUARANTINE))]


def _run(
    store: Store,
    settings: Settings,
    actor: Actor,
    ids: list[int] | None,
    reason: str,
    client: str | None,
) -> list[quarantine.Retried]:
    """Re-process `ids` (or every message failing with `reason`) with the ingest detectors,
    then tell the duty team of new hits as ingest does."""
    options = settings.parse_options()
    after = quarantine.detectors(store, options)
    if ids is None:
        done = quarantine.reprocess_reason(
            store, actor, reason, options=options, after_load=after, client=client
        )
    else:
        done = quarantine.reprocess(
            store, actor, ids, options=options, after_load=after, client=client
        )
    if any(r.new_hits for r in done):
        notify_if_enabled(store, settings)
    return done


def _said(done: list[quarantine.Retried]) -> str:
    """What re-processing did, in the officer's language (the flash of the next page)."""
    loaded = sum(r.status == "loaded" for r in done)
    duplicate = sum(r.status == "duplicate" for r in done)
    kept = len(done) - loaded - duplicate
    text = ngettext(
        "re-processed %(count)s: %(loaded)s loaded, %(duplicate)s duplicate, "
        "%(kept)s still quarantined",
        "re-processed %(count)s: %(loaded)s loaded, %(duplicate)s duplicate, "
        "%(kept)s still quarantined",
        len(done),
    )
    return text % {"count": len(done), "loaded": loaded, "duplicate": duplicate, "kept": kept}


@router.get("/admin/quarantine", response_class=HTMLResponse, include_in_schema=False)
def quarantine_page(
    request: Request,
    store: StoreDep,
    actor: Viewer,
    reason: str = "",
    done: str = "",
    error: str = "",
) -> HTMLResponse:
    rows, kinds, details = quarantine.overview(store, actor, reason=reason)
    context = {
        "messages": rows, "kinds": kinds, "details": details, "reason": reason, "done": done,
        "error": error,
        "adapters": quarantine.adapters(actor),
    }  # fmt: skip
    return page(request, "admin/quarantine.html", context)


@router.get("/admin/quarantine/{message_id}", response_class=HTMLResponse, include_in_schema=False)
def message_page(
    request: Request,
    store: StoreDep,
    actor: Viewer,
    message_id: int,
    done: str = "",
    error: str = "",
) -> HTMLResponse:
    found = quarantine.message(store, actor, message_id, client=client_of(request))
    return page(request, "admin/message.html", {"m": found, "done": done, "error": error})


@router.post("/admin/quarantine/{message_id}/reprocess", include_in_schema=False)
def reprocess_form(
    request: Request, store: StoreDep, settings: SettingsDep, actor: Reprocessor, message_id: int
) -> Response:
    target = f"/admin/quarantine/{message_id}"
    try:
        done = _run(store, settings, actor, [message_id], "", client_of(request))
    except FirstlineError as exc:
        return back(target, error=str(exc))
    (retried,) = done
    if retried.status == "quarantined":
        reason = parse_problem(retried.detail, "reason", retried.reason or "")
        return back(target, error=gettext("still quarantined: %(reason)s") % {"reason": reason})
    return back(
        target, done=gettext("re-processed: %(status)s") % {"status": label(retried.status)}
    )


@router.post("/admin/quarantine/reprocess", include_in_schema=False)
def reprocess_reason_form(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    actor: Reprocessor,
    reason: Annotated[str, Form()],
) -> Response:
    try:
        done = _run(store, settings, actor, None, reason, client_of(request))
    except FirstlineError as exc:
        return back("/admin/quarantine", error=str(exc))
    return back("/admin/quarantine", done=_said(done))


# -- JSON API ---------------------------------------------------------------------------------


@router.get("/api/v1/admin/quarantine", tags=["admin"])
def quarantine_json(store: StoreDep, actor: Viewer, reason: str = "") -> dict[str, Any]:
    """Quarantined messages, newest first (only those failing with `reason` when given),
    with the precise detail (segment, position, expected, found), and counts per reason."""
    rows, kinds = quarantine.listing(store, actor, reason=reason)
    return {"messages": rows, "reasons": [{"reason": k, "messages": n} for k, n in kinds]}


@router.get("/api/v1/admin/quarantine/{message_id}", tags=["admin"])
def message_json(
    request: Request, store: StoreDep, actor: Viewer, message_id: int
) -> dict[str, Any]:
    """A message's status, reason and detail, and its first 4 KB as text. Audited."""
    return quarantine.message(store, actor, message_id, client=client_of(request))


@router.post("/api/v1/admin/quarantine/{message_id}/reprocess", tags=["admin"])
def reprocess_json(
    request: Request, store: StoreDep, settings: SettingsDep, actor: Reprocessor, message_id: int
) -> dict[str, Any]:
    """Run the stored bytes through today's parsers and loader: the message becomes loaded
    (its travellers screened and evaluated as in ingest) or duplicate, or stays quarantined
    with today's reason. Audited."""
    (retried,) = _run(store, settings, actor, [message_id], "", client_of(request))
    return retried.as_dict()


class ReasonIn(BaseModel):
    reason: str = Field(description="a reason as listed by GET /api/v1/admin/quarantine")


@router.post("/api/v1/admin/quarantine/reprocess", tags=["admin"])
def reprocess_reason_json(
    request: Request, store: StoreDep, settings: SettingsDep, actor: Reprocessor, body: ReasonIn
) -> list[dict[str, Any]]:
    """Re-process every quarantined message failing with `reason`. Audited per message."""
    done = _run(store, settings, actor, None, body.reason, client_of(request))
    return [r.as_dict() for r in done]
