"""Message delivery per carrier and flight, the unit's settings and data retention."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from firstline.cases.access import Actor, Permission
from firstline.exc import FirstlineError, InvalidRequestError
from firstline.services import cases, delivery, retention, workplace
from firstline.settings import Settings
from firstline.store import Store
from firstline.web.deps import SettingsDep, StoreDep, client_of, needs
from firstline.web.i18n import gettext
from firstline.web.labels import push
from firstline.web.render import page
from firstline.web.routes.admin_kit import back, needs_any

router = APIRouter()
DeliveryViewer = Annotated[Actor, Depends(needs(Permission.VIEW_DELIVERY))]
SettingsViewer = Annotated[
    Actor, Depends(needs_any(Permission.MANAGE_USERS, Permission.MANAGE_SETTINGS))
]
SettingsManager = Annotated[Actor, Depends(needs(Permission.MANAGE_SETTINGS))]
MAX_DAYS = 31


def _report(
    store: Store,
    settings: Settings,
    actor: Actor,
    carrier: str,
    start: date | None,
    end: date | None,
) -> tuple[dict[str, Any], date, date]:
    now = workplace.local_now(settings.timezone)
    start = start or now.date() - timedelta(days=2)
    end = end or max(start, now.date()) + timedelta(days=3)
    if end < start or (end - start).days > MAX_DAYS:
        raise InvalidRequestError(f"choose a date range of at most {MAX_DAYS} days, start first")
    found = delivery.report(
        store, actor, start=start, end=end, now=now, timezone=settings.timezone, carrier=carrier
    )
    return found, start, end


@router.get("/admin/delivery", response_class=HTMLResponse, include_in_schema=False)
def delivery_page(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    actor: DeliveryViewer,
    carrier: str = "",
    start: date | None = None,
    end: date | None = None,
) -> HTMLResponse:
    found, start, end = _report(store, settings, actor, carrier, start, end)
    expected = [{**e, "label": push(e["kind"], e["label"])} for e in found["expected"]]
    context = {
        **found,
        "expected": expected,
        "filters": {"carrier": carrier, "start": start, "end": end},
    }
    return page(request, "admin/delivery.html", context)


def deployment(store: Store, settings: Settings) -> dict[str, Any]:
    """What the installation runs on, without a secret."""
    return {
        "database": "PostgreSQL" if store.is_postgres else "SQLite",
        "environment": settings.environment,
        "timezone": settings.timezone,
        "smtp": settings.notifications_enabled,
        "oidc": settings.oidc_enabled,
        "log_format": settings.log_format,
    }


@router.get("/admin/settings", response_class=HTMLResponse, include_in_schema=False)
def settings_page(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    actor: SettingsViewer,
    done: str = "",
    error: str = "",
) -> HTMLResponse:
    context = {
        "airports": workplace.home_airports(store),
        "policy": cases.second_review_policy(store),
        "severities": list(cases.SEVERITIES),
        "retention": retention.status(store, actor),
        "deployment": deployment(store, settings),
        "done": done,
        "error": error,
    }
    return page(request, "admin/settings.html", context)


@router.post("/admin/settings/airports", include_in_schema=False)
def airports_form(
    store: StoreDep, actor: SettingsManager, airports: Annotated[str, Form()] = ""
) -> Response:
    try:
        workplace.set_home_airports(store, actor, airports.replace(",", " ").split())
    except FirstlineError as exc:
        return back("/admin/settings", error=str(exc))
    return back("/admin/settings", done=gettext("home airports saved"))


@router.post("/admin/settings/review", include_in_schema=False)
def review_form(
    store: StoreDep,
    actor: SettingsManager,
    severities: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI form default
) -> Response:
    try:
        cases.set_second_review_policy(store, actor, severities)
    except FirstlineError as exc:
        return back("/admin/settings", error=str(exc))
    return back("/admin/settings", done=gettext("second-review policy saved"))


@router.post("/admin/settings/retention", include_in_schema=False)
def retention_form(
    request: Request,
    store: StoreDep,
    actor: SettingsManager,
    depersonalise: Annotated[int, Form()],
    delete: Annotated[int, Form()],
) -> Response:
    try:
        retention.set_periods(
            store, actor, depersonalise=depersonalise, delete=delete, client=client_of(request)
        )
    except FirstlineError as exc:
        return back("/admin/settings", error=str(exc))
    return back("/admin/settings", done=gettext("retention periods saved"))


# -- JSON API ---------------------------------------------------------------------------------


@router.get("/api/v1/admin/delivery", tags=["admin"])
def delivery_json(
    store: StoreDep,
    settings: SettingsDep,
    actor: DeliveryViewer,
    carrier: str = "",
    start: date | None = None,
    end: date | None = None,
) -> dict[str, Any]:
    """Per flight departing between `start` and `end` (default: two days ago to three
    days ahead), each expected push (PNR T-72h, T-24h, T-2h, close-out; API at check-in
    close and close-out; crew list) with its due time, arrival and state (on_time, late,
    missing, pending); per carrier the flights with each push on time."""
    found, _, _ = _report(store, settings, actor, carrier, start, end)
    return found


class RetentionIn(BaseModel):
    depersonalise: int = Field(ge=1, description="months after which PNR data is depersonalised")
    delete: int = Field(ge=1, description="months after which data is deleted")


class AirportsIn(BaseModel):
    airports: list[str] = Field(description="the unit's airports, IATA codes", examples=[["FRA"]])


@router.get("/api/v1/admin/settings", tags=["admin"])
def settings_json(store: StoreDep, settings: SettingsDep, actor: SettingsViewer) -> dict[str, Any]:
    """The unit's settings (home airports, second-review policy, retention periods) and the
    deployment (database, time zone, SMTP and single sign-on on or off; no secret)."""
    return {
        "home_airports": workplace.home_airports(store),
        "second_review": cases.second_review_policy(store),
        "retention_months": retention.periods(store),
        "deployment": deployment(store, settings),
    }


@router.put("/api/v1/admin/settings/home-airports", tags=["admin"])
def airports_json(store: StoreDep, actor: SettingsManager, body: AirportsIn) -> list[str]:
    """Set the unit's airports. Audited."""
    workplace.set_home_airports(store, actor, body.airports)
    return workplace.home_airports(store)


@router.put("/api/v1/admin/settings/retention", tags=["admin"])
def set_retention_json(
    request: Request, store: StoreDep, actor: SettingsManager, body: RetentionIn
) -> dict[str, int]:
    """Set the retention periods, in months. Audited."""
    return retention.set_periods(
        store,
        actor,
        depersonalise=body.depersonalise,
        delete=body.delete,
        client=client_of(request),
    )


@router.get("/api/v1/admin/retention", tags=["admin"])
def retention_json(store: StoreDep, actor: SettingsViewer) -> dict[str, Any]:
    """How many travellers, bookings and messages are within the retention periods, due for
    depersonalisation and due for deletion. No deletion job runs."""
    return retention.status(store, actor)
