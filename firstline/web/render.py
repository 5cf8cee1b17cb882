"""Jinja2 pages: one environment, filters for times, numbers, countdowns and codes in the
request's language, shared page context.

Schedules are local times of their airport, stored without zone: `{{ t|when(airport) }}`
shows one with its zone ("7 Dec 2026 14:05 CET"); `{{ t|when(zone=unit_zone) }}` a naive
local time of the unit. Times stored with a zone are shown in the unit's zone.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context

from firstline.cases.access import Actor, Permission
from firstline.model.airports import zone_label, zone_of
from firstline.web import i18n
from firstline.web.labels import label

TEMPLATES = Path(__file__).parent / "templates"
templates = Jinja2Templates(directory=str(TEMPLATES))


def _zone(name: str | None) -> ZoneInfo | None:
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


@pass_context
def when(context: Context, value: Any, airport: str | None = None, zone: str | None = None) -> str:
    """A date, a time or a number as the current language writes them (see the module)."""
    if value is None:
        return ""
    locale = i18n.babel_locale()
    if isinstance(value, datetime):
        where = zone_of(airport) if airport else _zone(zone)
        if value.tzinfo is not None:
            where = where or _zone(context.get("unit_zone")) or ZoneInfo("UTC")
            value = value.astimezone(where).replace(tzinfo=None)
        day = format_date(value, "medium", locale=locale)
        text = f"{day} {format_time(value, 'HH:mm', locale=locale)}"
        if where is not None:
            return f"{text} {zone_label(where, value)}"
        return f"{text} {airport}" if airport else text  # an unknown airport's own time
    if isinstance(value, date):
        return format_date(value, "medium", locale=locale)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number(value)
    return str(value)


def number(value: Any, digits: int | None = None, sign: bool = False) -> str:
    """A number in the current language: `digits` fixed decimals, `sign` always shown."""
    if value is None or value == "":
        return ""
    pattern = None if digits is None else "#,##0" + ("." + "0" * digits if digits else "")
    if sign:
        pattern = f"+{pattern or '#,##0.###'};-{pattern or '#,##0.###'}"
    return format_decimal(value, format=pattern, locale=i18n.babel_locale())


def hhmm(value: Any) -> str:
    return value.strftime("%H:%M") if isinstance(value, datetime) else ""


def countdown(minutes: int | None) -> str:
    """ "3 h 05", "2 d 4 h", "40 min": how long an officer has left."""
    if minutes is None:
        return ""
    sign, minutes = ("-" if minutes < 0 else ""), abs(minutes)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        text = i18n.gettext("%(days)s d %(hours)s h") % {"days": days, "hours": hours}
    elif hours:
        text = i18n.gettext("%(hours)s h %(minutes)s") % {"hours": hours, "minutes": f"{mins:02d}"}
    else:
        text = i18n.gettext("%(minutes)s min") % {"minutes": mins}
    return f"{sign}{text}"


templates.env.filters.update(when=when, hhmm=hhmm, countdown=countdown, label=label, number=number)
templates.env.add_extension("jinja2.ext.i18n")
templates.env.install_gettext_callables(  # type: ignore[attr-defined]
    i18n.gettext, i18n.ngettext, newstyle=True
)
templates.env.globals["Permission"] = Permission
templates.env.globals["language"] = i18n.current
templates.env.globals["languages"] = i18n.LANGUAGES


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
            "unit_zone": getattr(getattr(request.app.state, "settings", None), "timezone", "UTC"),
            **context,
        },
        status_code=status_code,
    )
