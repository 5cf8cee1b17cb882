"""The hit queue, a hit's review page, decisions (one or in bulk), the review policy."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from firstline.cases.access import Actor, Permission
from firstline.cases.workflow import OPEN_STATES, Disposition, ReviewState
from firstline.services import audit, cases
from firstline.services.workplace import local_now
from firstline.web.deps import ActorDep, SettingsDep, StoreDep, client_of, needs
from firstline.web.render import page

router = APIRouter()
Viewer = Annotated[Actor, Depends(needs(Permission.VIEW_HITS))]
Exporter = Annotated[Actor, Depends(needs(Permission.EXPORT))]
PAGE_SIZE = 50


def _queue(
    store: StoreDep,
    settings: SettingsDep,
    actor: Any,
    state: str,
    severity: str,
    category: str,
    source: str,
    assignee: str,
    flight_id: int | None,
    within_hours: int | None,
    offset: int,
    limit: int = PAGE_SIZE,
) -> tuple[list[dict[str, Any]], int]:
    states = [s.value for s in OPEN_STATES] if state in ("", "open") else [state]
    if state == "all":
        states = [s.value for s in ReviewState]
    return cases.queue(
        store, actor, states=states, severity=severity, category=category, source=source,
        assignee=assignee or None, flight_id=flight_id, within_hours=within_hours,
        now=local_now(settings.timezone), limit=limit, offset=offset,
    )  # fmt: skip


@router.get("/hits", response_class=HTMLResponse, include_in_schema=False)
def queue_page(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    actor: Viewer,
    state: str = "open",
    severity: str = "",
    category: str = "",
    source: str = "",
    assignee: str = "",
    flight_id: int | None = None,
    within_hours: int | None = None,
    offset: int = 0,
    done: str = "",
) -> HTMLResponse:
    rows, total = _queue(
        store, settings, actor, state, severity, category, source, assignee, flight_id,
        within_hours, offset,
    )  # fmt: skip
    filters = {
        "state": state, "severity": severity, "category": category, "source": source,
        "assignee": assignee, "flight_id": flight_id or "", "within_hours": within_hours or "",
    }  # fmt: skip
    context = {
        "hits": rows,
        "total": total,
        "offset": offset,
        "page_size": PAGE_SIZE,
        "filters": filters,
        "query": urlencode({k: v for k, v in filters.items() if v}),
        "counts": cases.queue_counts(store, actor),
        "policy": cases.second_review_policy(store),
        "states": [s.value for s in ReviewState],
        "dispositions": [d.value for d in Disposition],
        "done": done,
    }
    template = "_hit_rows.html" if request.headers.get("hx-request") else "hits.html"
    return page(request, template, context)


@router.post("/hits/bulk", include_in_schema=False)
def bulk_form(
    request: Request,
    store: StoreDep,
    actor: ActorDep,
    action: Annotated[str, Form()],
    hit_ids: Annotated[list[int], Form()] = [],  # noqa: B006 - FastAPI form default
    disposition: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    assignee: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "/hits",
) -> Response:
    done = cases.decide(
        store, actor, hit_ids, action, disposition=disposition or None, reason=reason or None,
        assignee=assignee or None, client=client_of(request),
    )  # fmt: skip
    target = back if back.startswith("/hits") else "/hits"
    sep = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{sep}done={len(done)}+{action}", status_code=303)


@router.get("/hits/export.csv", include_in_schema=False)
def export_queue(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    actor: Exporter,
    state: str = "open",
    severity: str = "",
    category: str = "",
    source: str = "",
) -> Response:
    """The queue as CSV (no names: ids, flight, hit facts), audited as an export."""
    rows, total = _queue(
        store, settings, actor, state, severity, category, source, "", None, None, 0, limit=100_000
    )
    out = io.StringIO()
    columns = [
        "id", "traveller_id", "flight_key", "scheduled_arrival", "source", "category",
        "severity", "score", "review_state", "status", "assignee", "first_seen_at",
    ]  # fmt: skip
    writer = csv.DictWriter(out, columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    audit.log(
        store, actor, "export", object_type="hit_queue",
        detail={"rows": len(rows), "state": state, "severity": severity}, client=client_of(request),
    )  # fmt: skip
    return Response(
        out.getvalue(),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="hit-queue.csv"'},
    )


@router.get("/hits/{hit_id}", response_class=HTMLResponse, include_in_schema=False)
def hit_page(request: Request, store: StoreDep, actor: Viewer, hit_id: int) -> HTMLResponse:
    found = cases.hit(store, actor, hit_id, client=client_of(request))
    context = {"h": found, "dispositions": [d.value for d in Disposition]}
    return page(request, "hit.html", context)


@router.post("/hits/{hit_id}/decide", include_in_schema=False)
def decide_form(
    request: Request,
    store: StoreDep,
    actor: ActorDep,
    hit_id: int,
    action: Annotated[str, Form()],
    disposition: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    assignee: Annotated[str, Form()] = "",
) -> Response:
    cases.decide(
        store, actor, [hit_id], action, disposition=disposition or None, reason=reason or None,
        assignee=assignee or None, client=client_of(request),
    )  # fmt: skip
    return RedirectResponse(f"/hits/{hit_id}", status_code=303)


@router.post("/hits/policy", include_in_schema=False)
def policy_form(
    store: StoreDep,
    actor: ActorDep,
    severities: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI form default
) -> Response:
    cases.set_second_review_policy(store, actor, severities)
    return RedirectResponse("/hits", status_code=303)


# -- JSON API ---------------------------------------------------------------------------------


@router.get("/api/v1/hits", tags=["hits"])
def queue_json(
    store: StoreDep,
    settings: SettingsDep,
    actor: Viewer,
    state: Annotated[list[str] | None, Query()] = None,
    severity: str = "",
    category: str = "",
    source: str = "",
    assignee: str = "",
    flight_id: int | None = None,
    within_hours: int | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """The hit queue: current hits in the given review states (default: every open state),
    highest severity first, then soonest arrival. `assignee` is a user name, `me` or
    `none`."""
    rows, total = cases.queue(
        store, actor, states=state, severity=severity, category=category, source=source,
        assignee=assignee or None, flight_id=flight_id, within_hours=within_hours,
        now=local_now(settings.timezone), limit=limit, offset=offset,
    )  # fmt: skip
    return {"total": total, "hits": rows}


@router.get("/api/v1/hits/{hit_id}", tags=["hits"])
def hit_json(request: Request, store: StoreDep, actor: Viewer, hit_id: int) -> dict[str, Any]:
    """A hit with its explanation, its decisions and its lookout. Audited."""
    return cases.hit(store, actor, hit_id, client=client_of(request))


class DecisionIn(BaseModel):
    hit_ids: list[int] = Field(min_length=1, max_length=500)
    action: str = Field(
        description="assign, start_review, dispose, approve, send_back or reopen",
        examples=["dispose"],
    )
    disposition: str | None = Field(
        default=None, description="for dispose: confirmed, false_positive, inconclusive"
    )
    reason: str | None = Field(default=None, description="required to decide, approve, "
                               "send back or reopen")  # fmt: skip
    assignee: str | None = Field(default=None, description="for assign: a user name or me")


@router.post("/api/v1/hits/decisions", tags=["hits"])
def decide_json(
    request: Request, store: StoreDep, actor: ActorDep, decision: DecisionIn
) -> list[dict[str, Any]]:
    """Apply one review step to one or many hits, all or none. Every step is recorded
    (who, when, what, why, the state before) and audited."""
    return cases.decide(
        store, actor, decision.hit_ids, decision.action, disposition=decision.disposition,
        reason=decision.reason, assignee=decision.assignee, client=client_of(request),
    )  # fmt: skip


class PolicyIn(BaseModel):
    severities: list[str] = Field(description="severities that need a second review")


@router.get("/api/v1/policy/second-review", tags=["hits"])
def policy_json(store: StoreDep, actor: Viewer) -> PolicyIn:
    """Which hit severities need a second officer's approval before they close."""
    return PolicyIn(severities=cases.second_review_policy(store))


@router.put("/api/v1/policy/second-review", tags=["hits"])
def set_policy_json(store: StoreDep, actor: ActorDep, policy: PolicyIn) -> PolicyIn:
    """Set the second-review policy (supervisors)."""
    cases.set_second_review_policy(store, actor, policy.severities)
    return PolicyIn(severities=cases.second_review_policy(store))
