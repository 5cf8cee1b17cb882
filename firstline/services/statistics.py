"""The dashboards' numbers for a period: traffic, screening, hits, decisions, outcomes.

The database counts per UTC hour (`store/repos/statistics.py`); here hours become the unit's
local hours and days (`Settings.timezone`), and each statistic becomes a small table (named
columns, one dict per row) that the page charts, the API returns and the CSV export writes.
Only counts leave this module: no traveller appears in a statistic.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from firstline.cases.access import Actor, Permission
from firstline.cases.lookout import Outcome
from firstline.cases.workflow import Disposition
from firstline.exc import InvalidRequestError, NotFoundError
from firstline.services import audit
from firstline.services.access import require
from firstline.store import Store
from firstline.store.repos import statistics as repo

DAYS_BEFORE, DAYS_AFTER = 7, 3  # the default window: last week and the traffic to come
MAX_DAYS = 92
DISPOSITIONS = tuple(d.value for d in Disposition)
OUTCOMES = tuple(o.value for o in Outcome)
NAMES = (
    "messages",
    "screened",
    "hits_by_category",
    "hits_by_rule",
    "dispositions",
    "outcomes",
    "rule_precision",
)


@dataclass(frozen=True, slots=True)
class Period:
    """Local days `start` to `end`, both included, in the unit's time zone."""

    start: date
    end: date
    timezone: str

    def bounds(self) -> tuple[datetime, datetime]:
        """The period as aware UTC times, end excluded."""
        zone = ZoneInfo(self.timezone)
        first = datetime.combine(self.start, time(), zone)
        after = datetime.combine(self.end + timedelta(days=1), time(), zone)
        return first.astimezone(UTC), after.astimezone(UTC)

    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    def local(self, utc_hour: datetime) -> datetime:
        """A naive UTC hour from the database as a naive local time."""
        zone = ZoneInfo(self.timezone)
        return utc_hour.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)

    def as_dict(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(),
                "timezone": self.timezone}  # fmt: skip


def period(timezone: str, start: date | None = None, end: date | None = None) -> Period:
    """The chosen period, or by default the last 7 days and the next 3 (traffic is pushed
    up to 72 hours before departure, so the coming days already have messages and hits)."""
    today = datetime.now(ZoneInfo(timezone)).date()
    start = start or today - timedelta(days=DAYS_BEFORE)
    end = end or max(start, today + timedelta(days=DAYS_AFTER))
    if end < start:
        raise InvalidRequestError("the period ends before it starts")
    if (end - start).days + 1 > MAX_DAYS:
        raise InvalidRequestError(f"a period is at most {MAX_DAYS} days")
    return Period(start, end, timezone)


@dataclass(slots=True)
class Statistic:
    """One table of numbers: named columns and one dict per row."""

    name: str
    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"columns": self.columns, "rows": self.rows}


def dashboard(store: Store, actor: Actor, chosen: Period) -> dict[str, Statistic]:
    """Every statistic of the dashboard for the period, by name (see `NAMES`)."""
    require(actor, Permission.VIEW_DASHBOARD)
    start, end = chosen.bounds()
    with store.connect() as conn:
        messages = repo.messages_per_hour(conn, start, end)
        screened = repo.screened_per_hour(conn, start, end)
        hits = repo.hits_by(conn, start, end)
        titles = repo.rule_titles(conn)
        decided = repo.dispositions_per_hour(conn, start, end)
        outcomes = repo.outcomes_per_hour(conn, start, end)
    out = [
        _messages(chosen, messages),
        _screened(chosen, screened),
        _hits_by_category(hits),
        _hits_by_rule(hits, titles),
        _per_day(chosen, "dispositions", DISPOSITIONS, decided),
        _per_day(chosen, "outcomes", OUTCOMES, outcomes),
        _precision(hits, titles),
    ]
    return {s.name: s for s in out}


def export(
    store: Store, actor: Actor, chosen: Period, name: str, *, client: str | None = None
) -> Statistic:
    """One statistic for a CSV export, audited with its name, period and row count."""
    require(actor, Permission.EXPORT)
    if name not in NAMES:
        raise NotFoundError(f"no statistic {name!r}: {', '.join(NAMES)}")
    found = dashboard(store, actor, chosen)[name]
    audit.log(
        store, actor, "export", object_type="statistics", object_id=name,
        detail={"statistic": name, "rows": len(found.rows), **chosen.as_dict()}, client=client,
    )  # fmt: skip
    return found


def _messages(chosen: Period, rows: list[tuple[datetime, str, int]]) -> Statistic:
    counts: dict[tuple[datetime, str], int] = defaultdict(int)
    for hour, carrier, n in rows:
        counts[(chosen.local(hour), carrier)] += n
    out = Statistic("messages", ["hour", "carrier", "messages"])
    for (hour, carrier), n in sorted(counts.items()):
        out.rows.append(
            {"hour": hour.strftime("%Y-%m-%d %H:00"), "carrier": carrier, "messages": n}
        )
    return out


def _screened(chosen: Period, rows: list[tuple[datetime, int]]) -> Statistic:
    per_day: dict[date, int] = defaultdict(int)
    for hour, n in rows:
        per_day[chosen.local(hour).date()] += n
    out = Statistic("screened", ["day", "travellers"])
    out.rows = [{"day": d.isoformat(), "travellers": per_day.get(d, 0)} for d in chosen.days()]
    return out


def _hits_by_category(hits: list[tuple[str, str, str, str, int]]) -> Statistic:
    per: dict[str, int] = defaultdict(int)
    for _, _, category, _, n in hits:
        per[category] += n
    out = Statistic("hits_by_category", ["category", "hits"])
    out.rows = [{"category": c, "hits": n} for c, n in sorted(per.items(), key=_biggest)]
    return out


def _rule_counts(hits: list[tuple[str, str, str, str, int]]) -> dict[str, dict[str, int]]:
    per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for source, key, _, status, n in hits:
        if source == "rule":
            per[key.removeprefix("rule:")][status] += n
    return per


def _hits_by_rule(hits: list[tuple[str, str, str, str, int]], titles: dict[str, str]) -> Statistic:
    totals = {key: sum(s.values()) for key, s in _rule_counts(hits).items()}
    out = Statistic("hits_by_rule", ["rule", "title", "hits"])
    out.rows = [
        {"rule": key, "title": titles.get(key, ""), "hits": n}
        for key, n in sorted(totals.items(), key=_biggest)
    ]
    return out


def _precision(hits: list[tuple[str, str, str, str, int]], titles: dict[str, str]) -> Statistic:
    """Of a rule's hits raised in the period and since decided, the share confirmed
    (inconclusive ones are shown but do not count either way)."""
    columns = ["rule", "title", "confirmed", "false_positive", "inconclusive", "open", "precision"]
    out = Statistic("rule_precision", columns)
    for key, by_status in sorted(_rule_counts(hits).items()):
        confirmed, false_positive = (
            by_status.get("confirmed", 0),
            by_status.get("false_positive", 0),
        )
        inconclusive = by_status.get("inconclusive", 0)
        decided = confirmed + false_positive
        out.rows.append({
            "rule": key, "title": titles.get(key, ""), "confirmed": confirmed,
            "false_positive": false_positive, "inconclusive": inconclusive,
            "open": sum(by_status.values()) - decided - inconclusive,
            "precision": round(confirmed / decided, 3) if decided else None,
        })  # fmt: skip
    return out


def _per_day(
    chosen: Period, name: str, kinds: tuple[str, ...], rows: list[tuple[datetime, str, int]]
) -> Statistic:
    per: dict[date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(kinds, 0))
    for hour, kind, n in rows:
        if kind in kinds:
            per[chosen.local(hour).date()][kind] += n
    out = Statistic(name, ["day", *kinds])
    out.rows = [{"day": d.isoformat(), **per[d]} for d in chosen.days()]
    return out


def _biggest(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])
