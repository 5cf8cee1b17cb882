"""Comparing the facts beside a name: date of birth, nationality, gender, documents.

Each comparison returns a score adjustment and a sentence an analyst reads. Graded, never a
silent clear: list dates of birth are often wrong or approximate, so even a date years apart
only lowers the score; dual nationals are common, so a different nationality costs little.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from firstline.model.watchlist import ListedDate
from firstline.watchlists.countries import to_alpha3

# Adjustments, added to 0.9 x the name score. An exact name with the same date of birth and
# nationality reaches 1.0. A year apart is only slightly negative (list dates are often a year
# off); two or more years apart is strong evidence of two people, which is what keeps homonyms
# out of the alert queue, but never a clear on its own. A year-only list date is weaker
# evidence either way. bench/screening_quality.py measures what these give.
DOB_EXACT = 0.10
DOB_MONTH = 0.06
DOB_SWAP = 0.05
DOB_YEAR = 0.04
DOB_RANGE = 0.03
DOB_SAME_YEAR_OTHER_DAY = -0.03
DOB_ONE_YEAR = -0.05
DOB_FEW_YEARS = -0.15
DOB_FAR = -0.25
# The same gaps against a year-only (or approximate) list date.
DOB_ROUGH_ONE_YEAR = -0.03
DOB_ROUGH_FEW_YEARS = -0.10
DOB_ROUGH_FAR = -0.20
NAT_SAME = 0.03
NAT_OTHER = -0.05
GENDER_OTHER = -0.05


@dataclass(slots=True)
class Fact:
    field: str  # "date_of_birth", "nationality", "gender", "document"
    outcome: str  # "same", "close", "different", "unknown", ...
    adjustment: float
    text: str


def _is_dummy(value: ListedDate) -> bool:
    # 1 January and 1 July stand in for unknown days on many documents and lists.
    return value.day == 1 and value.month in (1, 7)


def compare_birth_dates(query: date | ListedDate | None, listed: Sequence[ListedDate]) -> Fact:
    if query is None or not listed:
        side = "traveller" if query is None else "list entry"
        return Fact("date_of_birth", "unknown", 0.0, f"date of birth not compared (no {side} date)")
    best: Fact | None = None
    for item in listed:
        fact = _compare_one(query, item)
        if best is None or fact.adjustment > best.adjustment:
            best = fact
    assert best is not None
    return best


def _compare_one(query: date | ListedDate, item: ListedDate) -> Fact:
    qy: int = query.year
    qm: int | None = query.month
    qd: int | None = query.day
    shown = str(item)
    if item.to_year is not None and item.to_year != item.year or item.approximate:
        low, high = item.year, item.last_year
        if item.approximate:
            low, high = low - 1, high + 1
        if low <= qy <= high:
            return Fact("date_of_birth", "in range", DOB_RANGE, f"born {qy}, list gives {shown}")
        gap = low - qy if qy < low else qy - high
        return _years_apart(gap, f"born {qy}, list gives {shown}", rough=True)
    year_only = item.month is None or (item.day is not None and _is_dummy(item))
    query_dummy = qd == 1 and qm in (1, 7)
    if year_only or qm is None or query_dummy:
        if qy == item.year:
            return Fact("date_of_birth", "same year", DOB_YEAR, f"same year of birth ({shown})")
        return _years_apart(abs(qy - item.year), f"born {qy}, list gives {shown}", rough=True)
    if item.day is None or qd is None:
        if qy == item.year and qm == item.month:
            return Fact("date_of_birth", "same month", DOB_MONTH, f"same month of birth ({shown})")
    elif (qy, qm, qd) == (item.year, item.month, item.day):
        return Fact("date_of_birth", "same", DOB_EXACT, f"same date of birth ({shown})")
    elif qy == item.year and (qm, qd) == (item.day, item.month):
        return Fact("date_of_birth", "day/month swapped", DOB_SWAP,
                    f"same date of birth with day and month swapped ({shown})")  # fmt: skip
    if qy == item.year:
        what = "different month" if qm != item.month else "different day"
        return Fact(
            "date_of_birth",
            "same year",
            DOB_SAME_YEAR_OTHER_DAY,
            f"same year of birth, {what} (list gives {shown})",
        )
    return _years_apart(abs(qy - item.year), f"list gives {shown}")


def _years_apart(gap: int, detail: str, *, rough: bool = False) -> Fact:
    plural = "year" if gap == 1 else "years"
    text = f"dates of birth {gap} {plural} apart ({detail})"
    if gap <= 1:
        return Fact("date_of_birth", "close", DOB_ROUGH_ONE_YEAR if rough else DOB_ONE_YEAR, text)
    if gap <= 3:
        adjustment = DOB_ROUGH_FEW_YEARS if rough else DOB_FEW_YEARS
        return Fact("date_of_birth", "different", adjustment, text)
    return Fact("date_of_birth", "far apart", DOB_ROUGH_FAR if rough else DOB_FAR, text)


def compare_nationality(query: str | None, listed: Sequence[str]) -> Fact:
    code = _alpha3(query)
    listed = [c for c in (_alpha3(n) for n in listed) if c]
    if not code or not listed:
        return Fact("nationality", "unknown", 0.0, "nationality not compared")
    query = code
    if query in listed:
        return Fact("nationality", "same", NAT_SAME, f"same nationality ({query.upper()})")
    return Fact(
        "nationality",
        "different",
        NAT_OTHER,
        f"nationality {query.upper()}, list gives {', '.join(listed)}",
    )


def _alpha3(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().upper()
    return (to_alpha3(value) or value) if len(value) == 2 else value


def compare_gender(query: str | None, listed: str | None) -> Fact:
    if not query or not listed or query[0].upper() not in "MF" or listed[0].upper() not in "MF":
        return Fact("gender", "unknown", 0.0, "gender not compared")
    if query[0].upper() == listed[0].upper():
        return Fact("gender", "same", 0.0, "same gender")
    return Fact("gender", "different", GENDER_OTHER, "different gender")
