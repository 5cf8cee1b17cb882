"""Jinja2 pages: one environment, filters for times, numbers, countdowns and codes in the
request's language, shared page context.

Schedules are local times of their airport, stored without zone: `{{ t|when(airport) }}`
shows one with its zone ("7 Dec 2026 14:05 CET"); `{{ t|when(zone=unit_zone) }}` a naive
local time of the unit. Times stored with a zone are shown in the unit's zone.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context

from firstline.cases.access import Actor, Permission
from firstline.model.airports import zone_label, zone_of
from firstline.web import i18n
from firstline.web.explanations import explained, hit_title, summary
from firstline.web.labels import label
from firstline.web.problems import parse_problem

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
        # A 24-hour clock in both languages: strftime, not Babel (a board shows hundreds).
        text = f"{_day(value.date(), locale)} {value:%H:%M}"
        if where is not None:
            return f"{text} {zone_label(where, value)}"
        return f"{text} {airport}" if airport else text  # an unknown airport's own time
    if isinstance(value, date):
        return _day(value, locale)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number(value)
    return str(value)


def day(value: date) -> str:
    """A day as the current language writes it ("7 Dec 2026", "7 déc. 2026")."""
    return _day(value, i18n.babel_locale())


@lru_cache(maxsize=4096)
def _day(day: date, locale: str) -> str:
    """A day as the language writes it; Babel takes some 30 µs a call and pages repeat days."""
    return format_date(day, "medium", locale=locale)


def number(value: Any, digits: int | None = None, sign: bool = False) -> str:
    """A number in the current language: `digits` fixed decimals, `sign` always shown."""
    if value is None or value == "":
        return ""
    locale = i18n.babel_locale()
    if digits is None and not isinstance(value, int):
        return format_decimal(
            value, locale=locale, format="+#,##0.###;-#,##0.###" if sign else None
        )
    # Integers and fixed decimals: Python's grouping with the language's symbols. Babel takes
    # some 100 µs a number, and the flights board shows four per flight.
    group, point = _symbols(locale)
    text = f"{value:,}" if digits is None else f"{value:,.{digits}f}"
    text = text.replace(",", "\x00").replace(".", point).replace("\x00", group)
    return f"+{text}" if sign and not text.startswith("-") else text


@lru_cache(maxsize=8)
def _symbols(locale: str) -> tuple[str, str]:
    return get_group_symbol(locale), get_decimal_symbol(locale)


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


templates.env.filters.update(
    when=when, hhmm=hhmm, countdown=countdown, label=label, number=number, problem=parse_problem,
    explained=explained, summary=summary, hit_title=hit_title,
)  # fmt: skip
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
