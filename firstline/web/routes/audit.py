"""The audit trail, for auditors only; nothing here (or anywhere) edits it."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from firstline.cases.access import Actor, Permission
from firstline.services import audit
from firstline.web.deps import StoreDep, client_of, needs
from firstline.web.render import page

router = APIRouter()
Auditor = Annotated[Actor, Depends(needs(Permission.VIEW_AUDIT))]
PAGE_SIZE = 100


@router.get("/audit", response_class=HTMLResponse, include_in_schema=False)
def audit_page(
    request: Request,
    store: StoreDep,
    actor: Auditor,
    user: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    offset: int = 0,
) -> HTMLResponse:
    events, total = audit.trail(
        store, actor, limit=PAGE_SIZE, offset=offset, client=client_of(request),
        user=user or None, action=action or None, object_type=object_type or None,
        object_id=object_id or None,
    )  # fmt: skip
    filters = {"user": user, "action": action, "object_type": object_type, "object_id": object_id}
    context = {
        "events": events, "total": total, "offset": offset, "page_size": PAGE_SIZE,
        "filters": filters, "actions": audit.actions(store),
        "query": urlencode({k: v for k, v in filters.items() if v}),
    }  # fmt: skip
    return page(request, "audit.html", context)


@router.get("/api/v1/audit", tags=["audit"])
def audit_json(
    request: Request,
    store: StoreDep,
    actor: Auditor,
    user: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    limit: Annotated[int, Query(ge=1, le=1000)] = PAGE_SIZE,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """Audit events, newest first (auditors only). Reading the trail is itself recorded."""
    events, total = audit.trail(
        store, actor, limit=limit, offset=offset, client=client_of(request),
        user=user or None, action=action or None, object_type=object_type or None,
        object_id=object_id or None,
    )  # fmt: skip
    return {"total": total, "events": events}
