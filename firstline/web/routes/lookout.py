"""The port lookout: confirmed travellers for the arrival port, and the officers' outcomes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from firstline.cases.access import Actor, Permission
from firstline.cases.lookout import LABELS, Outcome
from firstline.services import cases
from firstline.web.deps import ActorDep, StoreDep, client_of, needs
from firstline.web.render import page

router = APIRouter()
Viewer = Annotated[Actor, Depends(needs(Permission.VIEW_LOOKOUT))]
HitViewer = Annotated[Actor, Depends(needs(Permission.VIEW_HITS))]


@router.get("/lookout", response_class=HTMLResponse, include_in_schema=False)
def lookout_page(
    request: Request, store: StoreDep, actor: Viewer, port: str = "", pending: bool = False
) -> HTMLResponse:
    rows = cases.lookout(store, actor, port=port.upper() or None, pending_only=pending)
    context = {
        "rows": rows, "port": port, "pending": pending,
        "outcomes": [(o.value, LABELS[o]) for o in Outcome],
    }  # fmt: skip
    return page(request, "lookout.html", context)


@router.post("/lookout/{lookout_id}/outcome", include_in_schema=False)
def outcome_form(
    request: Request,
    store: StoreDep,
    actor: ActorDep,
    lookout_id: int,
    outcome: Annotated[str, Form()],
    note: Annotated[str, Form()] = "",
) -> Response:
    cases.record_outcome(store, actor, lookout_id, outcome, note, client=client_of(request))
    return RedirectResponse("/lookout", status_code=303)


@router.get("/api/v1/lookout", tags=["lookout"])
def lookout_json(
    store: StoreDep, actor: Viewer, port: str = "", pending: bool = False
) -> list[dict[str, Any]]:
    """Confirmed travellers on the lookout (a port officer sees their own port), with the
    outcome once recorded."""
    return cases.lookout(store, actor, port=port.upper() or None, pending_only=pending)


class OutcomeIn(BaseModel):
    outcome: str = Field(description="nothing_found, seizure, refused_entry, arrest or other")
    note: str | None = None


@router.post("/api/v1/lookout/{lookout_id}/outcome", tags=["lookout"])
def outcome_json(
    request: Request, store: StoreDep, actor: ActorDep, lookout_id: int, body: OutcomeIn
) -> dict[str, str]:
    """Record what the officers at the port found."""
    cases.record_outcome(
        store, actor, lookout_id, body.outcome, body.note, client=client_of(request)
    )
    return {"status": "recorded"}


@router.get("/api/v1/statistics/outcomes", tags=["lookout"])
def outcomes_json(actor: HitViewer, store: StoreDep) -> dict[str, Any]:
    """Port outcomes per detector (`rule:<key>`, `watchlist:<list id>`, `link:...`)."""
    return cases.outcome_statistics(store)
