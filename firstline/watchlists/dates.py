"""Dates of birth in the spellings lists use, kept at the precision they are given.

A year-only date stays year-only and a range stays a range: padding to 1 January would make
every traveller born on a 1 January agree with the list.
"""

from __future__ import annotations

import re
from datetime import date

from firstline.model.watchlist import ListedDate

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_RANGE = re.compile(r"(\d{4})\s*(?:-|to|–)\s*(\d{4})")
_WRITTEN = re.compile(r"(?:(\d{1,2}) )?([A-Za-z]{3})[a-z]*\.? (\d{4})")
_CIRCA = re.compile(r"^(?:circa|approx(?:imately)?\.?|about|ca\.?)\s+", re.IGNORECASE)


def parse_date(text: str) -> ListedDate:
    """Parse "1970", "1970-03", "1970-03-12", "12 Mar 1970", "Mar 1970", "1961 to 1963",
    "1961-1963" and any of them after "circa". Raises ValueError for anything else."""
    value = " ".join(text.split()).rstrip(".")
    approximate = False
    match_circa = _CIRCA.match(value)
    if match_circa:
        approximate = True
        value = value[match_circa.end() :]
    listed = _parse_plain(value)
    if approximate:
        return ListedDate(listed.year, listed.month, listed.day, listed.to_year, approximate=True)
    return listed


def _parse_plain(value: str) -> ListedDate:
    if match := _RANGE.fullmatch(value):
        first, last = int(match[1]), int(match[2])
        if last < first:
            raise ValueError(f"date range ends before it starts: {value!r}")
        return ListedDate(first, to_year=last)
    if match := _ISO.fullmatch(value):
        return _checked(int(match[1]), _int(match[2]), _int(match[3]))
    if match := _WRITTEN.fullmatch(value):
        month = _MONTHS.get(match[2].lower())
        if month is None:
            raise ValueError(f"unknown month in date: {value!r}")
        return _checked(int(match[3]), month, _int(match[1]))
    raise ValueError(f"unrecognised date: {value!r}")


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def _checked(year: int, month: int | None, day: int | None) -> ListedDate:
    # Validating through `date` rejects 31 Feb and month 13 with one rule.
    date(year, month or 1, day or 1)
    if year < 1800:
        raise ValueError(f"implausible year of birth: {year}")
    return ListedDate(year, month, day)


def parse_iso_day(text: str | None) -> date | None:
    """A plain YYYY-MM-DD (a listing or validity date); the time part of a timestamp is dropped."""
    if not text or not text.strip():
        return None
    return date.fromisoformat(text.strip()[:10])
