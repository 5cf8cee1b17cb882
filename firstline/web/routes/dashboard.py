"""Running the unit: the dashboard page, its numbers as JSON, and CSV exports per statistic.

The charts are SVG drawn on the server (`firstline/reports/charts.py`), each followed by its
table; the JSON and the CSV carry the same numbers. The charts are drawn in the request's
language: texts translated here, numbers and days written by Babel, and the chart module's
own sentences through the `gettext` given to it.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from firstline.cases.access import Actor, Permission
from firstline.reports import charts
from firstline.services import statistics
from firstline.services.statistics import Statistic
from firstline.web.deps import SettingsDep, StoreDep, client_of, needs
from firstline.web.i18n import babel_locale
from firstline.web.i18n import gettext as _
from firstline.web.labels import label
from firstline.web.render import page

router = APIRouter()
Viewer = Annotated[Actor, Depends(needs(Permission.VIEW_DASHBOARD))]
Exporter = Annotated[Actor, Depends(needs(Permission.EXPORT))]
MAX_SERIES = 7  # carriers drawn apart in the stacked bars; the rest are "other"


@router.get("/dashboard", response_class=HTMLResponse, include_in_schema=False)
def dashboard_page(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    actor: Viewer,
    start: date | None = None,
    end: date | None = None,
) -> HTMLResponse:
    chosen = statistics.period(settings.timezone, start, end)
    found = statistics.dashboard(store, actor, chosen)
    context = {
        "period": chosen,
        "stats": found,
        "charts": _charts(found),
        "query": f"start={chosen.start.isoformat()}&end={chosen.end.isoformat()}",
    }
    return page(request, "dashboard.html", context)


@router.get("/dashboard/export/{name}.csv", include_in_schema=False)
def export_csv(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    actor: Exporter,
    name: str,
    start: date | None = None,
    end: date | None = None,
) -> Response:
    """One statistic as CSV (counts only), audited as an export."""
    chosen = statistics.period(settings.timezone, start, end)
    found = statistics.export(store, actor, chosen, name, client=client_of(request))
    out = io.StringIO()
    writer = csv.DictWriter(out, found.columns)
    writer.writeheader()
    writer.writerows(found.rows)
    filename = f"{name}-{chosen.start.isoformat()}-{chosen.end.isoformat()}.csv"
    return Response(
        out.getvalue(),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/api/v1/dashboard", tags=["dashboard"])
def dashboard_json(
    store: StoreDep,
    settings: SettingsDep,
    actor: Viewer,
    start: date | None = None,
    end: date | None = None,
) -> dict[str, Any]:
    """The dashboard's numbers for local days `start` to `end` (both included; default: the
    last 7 days and the next 3): messages per hour and carrier, travellers screened per day,
    hits per category and per rule, dispositions and port outcomes per day, rule precision.
    Counts only, no personal data."""
    chosen = statistics.period(settings.timezone, start, end)
    found = statistics.dashboard(store, actor, chosen)
    return {
        "period": chosen.as_dict(),
        "statistics": {name: stat.as_dict() for name, stat in found.items()},
    }


def _count(value: float) -> str:
    """A count (or an average) as the current language writes it: "1,234", "1 234,5"."""
    return format_decimal(value, format="#,##0.##", locale=babel_locale())


def _percent(value: float) -> str:
    return format_percent(value, locale=babel_locale())


def _speak() -> dict[str, Any]:
    """What every chart needs to write in the current language."""
    return {"gettext": _, "fmt": _count}


def _charts(found: dict[str, Statistic]) -> dict[str, Markup]:
    none = _("no data")
    speak = _speak()
    category = found["hits_by_category"].rows
    by_rule = found["hits_by_rule"].rows
    precise = [r for r in found["rule_precision"].rows if r["precision"] is not None]
    svgs = {
        "messages": _messages_chart(found["messages"], none),
        "screened": charts.bars(
            _("Travellers screened per day"),
            [_day(r["day"]) for r in found["screened"].rows],
            [charts.Series(_("travellers"), [r["travellers"] for r in found["screened"].rows])],
            empty_text=none, **speak,
        ),
        "hits_by_category": charts.hbars(
            _("Hits per category"), [label(r["category"]) for r in category],
            [r["hits"] for r in category], empty_text=none, **speak,
        ),
        "hits_by_rule": charts.hbars(
            _("Hits per rule"), [str(r["rule"]) for r in by_rule], [r["hits"] for r in by_rule],
            empty_text=none, **speak,
        ),
        "dispositions": _per_day(found["dispositions"], _("Dispositions per day"), none, True),
        "outcomes": _per_day(found["outcomes"], _("Port outcomes per day"), none, False),
        "rule_precision": charts.hbars(
            _("Rule precision"), [str(r["rule"]) for r in precise],
            [r["precision"] for r in precise], top=1.0, empty_text=none,
            **{**speak, "fmt": _percent},
        ),
    }  # fmt: skip
    # Our own SVG, every text in it escaped by the chart module.
    return {name: Markup(svg) for name, svg in svgs.items()}


def _per_day(stat: Statistic, title: str, none: str, as_lines: bool) -> str:
    labels = [_day(r["day"]) for r in stat.rows]
    series = [
        charts.Series(label(column), [r[column] for r in stat.rows])
        for column in stat.columns[1:]
        if as_lines or any(r[column] for r in stat.rows)
    ]
    draw = charts.lines if as_lines else charts.bars
    return draw(title, labels, series, empty_text=none, **_speak())


def _messages_chart(stat: Statistic, none: str) -> str:
    """Stacked bars per local hour over the days that have messages (empty hours drawn as
    gaps), one colour per carrier."""
    title = _("Messages per hour and carrier")
    if not stat.rows:
        return charts.empty(title, text=none)
    totals: dict[str, int] = {}
    for r in stat.rows:
        totals[r["carrier"]] = totals.get(r["carrier"], 0) + r["messages"]
    ranked = sorted(totals, key=lambda c: (-totals[c], c))
    shown = ranked if len(ranked) <= MAX_SERIES else ranked[: MAX_SERIES - 1]
    other = _("other")
    hours = [datetime.strptime(r["hour"], "%Y-%m-%d %H:%M") for r in stat.rows]
    # Whole local days, so a quiet night reads as a quiet night rather than as no axis.
    first = min(hours).replace(hour=0)
    last = max(hours).replace(hour=23)
    span = int((last - first).total_seconds() // 3600) + 1
    names = [c or _("no flight") for c in shown] + ([other] if len(shown) < len(ranked) else [])
    values = {name: [0.0] * span for name in names}
    for r, hour in zip(stat.rows, hours, strict=True):
        name = (r["carrier"] or _("no flight")) if r["carrier"] in shown else other
        values[name][int((hour - first).total_seconds() // 3600)] += r["messages"]
    labels = [(first + timedelta(hours=i)).strftime("%d.%m %H h") for i in range(span)]
    series = [charts.Series(name, values[name]) for name in names]
    return charts.bars(title, labels, series, empty_text=none, **_speak())


def _day(iso: str) -> str:
    """A day on a chart's axis: "Mon 07/12", "lun. 07/12"."""
    return format_date(date.fromisoformat(iso), "EEE dd/MM", locale=babel_locale())
