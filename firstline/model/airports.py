"""Airports' time zones: schedules are local times of their airport, stored without zone.

The IANA zone of an IATA code comes from the `airportsdata` package (a table shipped in the
wheel: nothing is fetched at run time), with a small fallback for the busiest airports should
the package be missing. Unknown codes have no zone: callers show the airport code instead.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# The zones of the generator's and the busiest hubs, used only without `airportsdata`.
FALLBACK = {
    "AMS": "Europe/Amsterdam", "ATL": "America/New_York", "BCN": "Europe/Madrid",
    "BRU": "Europe/Brussels", "CDG": "Europe/Paris", "DXB": "Asia/Dubai",
    "FRA": "Europe/Berlin", "GVA": "Europe/Zurich", "HKG": "Asia/Hong_Kong",
    "IST": "Europe/Istanbul", "JFK": "America/New_York", "LHR": "Europe/London",
    "MAD": "Europe/Madrid", "MUC": "Europe/Berlin", "NRT": "Asia/Tokyo",
    "ORD": "America/Chicago", "ORY": "Europe/Paris", "SIN": "Asia/Singapore",
    "YUL": "America/Toronto", "YYZ": "America/Toronto", "ZRH": "Europe/Zurich",
}  # fmt: skip


@cache
def _table() -> dict[str, str]:
    try:
        import airportsdata
    except ImportError:  # pragma: no cover - the package is a dependency
        return dict(FALLBACK)
    return {code: row["tz"] for code, row in airportsdata.load("IATA").items() if row["tz"]}


@cache
def zone_of(iata: str | None) -> ZoneInfo | None:
    """The time zone of an airport by IATA code, or None when it is not known."""
    name = _table().get((iata or "").strip().upper())
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:
        return None


def zone_label(zone: ZoneInfo, moment: datetime) -> str:
    """The zone's abbreviation at a (naive, local) moment: "CET", "EDT", else "UTC+03"."""
    local = moment.replace(tzinfo=zone)
    name = local.tzname() or ""
    if name and name[0].isalpha():
        return name
    offset = local.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign, minutes = ("-" if minutes < 0 else "+"), abs(minutes)
    hours, rest = divmod(minutes, 60)
    return f"UTC{sign}{hours:02d}" + (f":{rest:02d}" if rest else "")
