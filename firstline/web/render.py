"""Jinja2 pages: one environment, filters for times and countdowns, shared page context."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from firstline.cases.access import Actor, Permission
from firstline.web import i18n

TEMPLATES = Path(__file__).parent / "templates"
templates = Jinja2Templates(directory=str(TEMPLATES))


def when(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def hhmm(value: Any) -> str:
    return value.strftime("%H:%M") if isinstance(value, datetime) else ""


def countdown(minutes: int | None) -> str:
    """ "in 3 h 05 min", "landed 40 min ago": how long an officer has left."""
    if minutes is None:
        return ""
    sign, minutes = ("-" if minutes < 0 else ""), abs(minutes)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    text = f"{days} d {hours} h" if days else f"{hours} h {mins:02d}" if hours else f"{mins} min"
    return f"{sign}{text}"


def label(value: Any) -> str:
    return "" if value is None else str(value).replace("_", " ")


templates.env.filters.update(when=when, hhmm=hhmm, countdown=countdown, label=label)
templates.env.add_extension("jinja2.ext.i18n")
templates.env.install_gettext_callables(  # type: ignore[attr-defined]
    i18n.gettext, i18n.ngettext, newstyle=True
)
templates.env.globals["Permission"] = Permission


def page(
    request: Request, template: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    actor: Actor | None = getattr(request.state, "actor", None)
    return templates.TemplateResponse(
        request,
        template,
        {
            "actor": actor,
            "csrf_token": getattr(request.state, "csrf_token", ""),
            "is_htmx": request.headers.get("hx-request") == "true",
            **context,
        },
        status_code=status_code,
    )
