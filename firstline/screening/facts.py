"""Comparing the facts beside a name: date of birth, nationality, gender, documents.

Each comparison returns a score adjustment and a sentence an analyst reads. Graded, never a
silent clear: list dates of birth are often wrong or approximate, so even a date years apart
only lowers the score; dual nationals are common, so a different nationality costs little.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from firstline.model.watchlist import ListedDate
from firstline.screening.kernels import upper_bounds
from firstline.texts import N_, fill
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

# The facts in words: English templates (firstline.texts) filled from the compared values.
NO_TRAVELLER_DATE = N_("date of birth not compared (no traveller date)")
NO_LISTED_DATE = N_("date of birth not compared (no list entry date)")
BORN_LIST_GIVES = N_("born {year}, list gives {listed}")
LIST_GIVES = N_("list gives {listed}")
SAME_YEAR = N_("same year of birth ({listed})")
SAME_MONTH = N_("same month of birth ({listed})")
SAME_DATE = N_("same date of birth ({listed})")
SWAPPED = N_("same date of birth with day and month swapped ({listed})")
OTHER_MONTH = N_("same year of birth, different month (list gives {listed})")
OTHER_DAY = N_("same year of birth, different day (list gives {listed})")
YEAR_APART = N_("dates of birth {gap} year apart ({detail})")
YEARS_APART = N_("dates of birth {gap} years apart ({detail})")
CIRCA = N_("circa {date}")  # a listed date known only roughly (ListedDate.approximate)
NAT_UNKNOWN = N_("nationality not compared")
SAME_NATIONALITY = N_("same nationality ({nationality})")
OTHER_NATIONALITY = N_("nationality {nationality}, list gives {listed}")
GENDER_UNKNOWN = N_("gender not compared")
SAME_GENDER = N_("same gender")
OTHER_GENDER = N_("different gender")


@dataclass(slots=True)
class Fact:
    field: str  # "date_of_birth", "nationality", "gender", "document"
    outcome: str  # "same", "close", "different", "unknown", ...
    adjustment: float
    # The sentence an analyst reads, as an English template and its parameters
    # (firstline.texts), so that pages can translate it. Facts are compared for every
    # candidate of a screening, and read only for the few that are explained: `text` is
    # filled in when asked for, and a listed date stays a ListedDate until then.
    template: str
    params: dict[str, object] | None = None

    @property
    def text(self) -> str:
        return fill(self.template, self.params)


def _is_dummy(value: ListedDate) -> bool:
    # 1 January and 1 July stand in for unknown days on many documents and lists.
    return value.day == 1 and value.month in (1, 7)


def compare_birth_dates(query: date | ListedDate | None, listed: Sequence[ListedDate]) -> Fact:
    if query is None or not listed:
        template = NO_TRAVELLER_DATE if query is None else NO_LISTED_DATE
        return Fact("date_of_birth", "unknown", 0.0, template)
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
    shown: dict[str, object] = {"listed": item}
    if item.to_year is not None and item.to_year != item.year or item.approximate:
        low, high = item.year, item.last_year
        if item.approximate:
            low, high = low - 1, high + 1
        born: dict[str, object] = {"year": qy, "listed": item}
        if low <= qy <= high:
            return Fact("date_of_birth", "in range", DOB_RANGE, BORN_LIST_GIVES, born)
        gap = low - qy if qy < low else qy - high
        return _years_apart(gap, BORN_LIST_GIVES, born, rough=True)
    year_only = item.month is None or (item.day is not None and _is_dummy(item))
    query_dummy = qd == 1 and qm in (1, 7)
    if year_only or qm is None or query_dummy:
        if qy == item.year:
            return Fact("date_of_birth", "same year", DOB_YEAR, SAME_YEAR, shown)
        born_year: dict[str, object] = {"year": qy, "listed": item}
        return _years_apart(abs(qy - item.year), BORN_LIST_GIVES, born_year, rough=True)
    if item.day is None or qd is None:
        if qy == item.year and qm == item.month:
            return Fact("date_of_birth", "same month", DOB_MONTH, SAME_MONTH, shown)
    elif (qy, qm, qd) == (item.year, item.month, item.day):
        return Fact("date_of_birth", "same", DOB_EXACT, SAME_DATE, shown)
    elif qy == item.year and (qm, qd) == (item.day, item.month):
        return Fact("date_of_birth", "day/month swapped", DOB_SWAP, SWAPPED, shown)
    if qy == item.year:
        template = OTHER_MONTH if qm != item.month else OTHER_DAY
        return Fact("date_of_birth", "same year", DOB_SAME_YEAR_OTHER_DAY, template, shown)
    return _years_apart(abs(qy - item.year), LIST_GIVES, shown)


def _years_apart(gap: int, detail: str, params: dict[str, object], *, rough: bool = False) -> Fact:
    template = YEAR_APART if gap == 1 else YEARS_APART
    said: dict[str, object] = {"gap": gap, "detail": {"template": detail, "params": params}}
    if gap <= 1:
        adjustment = DOB_ROUGH_ONE_YEAR if rough else DOB_ONE_YEAR
        return Fact("date_of_birth", "close", adjustment, template, said)
    if gap <= 3:
        adjustment = DOB_ROUGH_FEW_YEARS if rough else DOB_FEW_YEARS
        return Fact("date_of_birth", "different", adjustment, template, said)
    adjustment = DOB_ROUGH_FAR if rough else DOB_FAR
    return Fact("date_of_birth", "far apart", adjustment, template, said)


def compare_nationality(query: str | None, listed: Sequence[str]) -> Fact:
    code = _alpha3(query)
    listed = [c for c in (_alpha3(n) for n in listed) if c]
    if not code or not listed:
        return Fact("nationality", "unknown", 0.0, NAT_UNKNOWN)
    query = code
    if query in listed:
        return Fact(
            "nationality", "same", NAT_SAME, SAME_NATIONALITY, {"nationality": query.upper()}
        )
    return Fact(
        "nationality",
        "different",
        NAT_OTHER,
        OTHER_NATIONALITY,
        {"nationality": query.upper(), "listed": ", ".join(listed)},
    )


def _alpha3(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().upper()
    return (to_alpha3(value) or value) if len(value) == 2 else value


def compare_gender(query: str | None, listed: str | None) -> Fact:
    if not query or not listed or query[0].upper() not in "MF" or listed[0].upper() not in "MF":
        return Fact("gender", "unknown", 0.0, GENDER_UNKNOWN)
    if query[0].upper() == listed[0].upper():
        return Fact("gender", "same", 0.0, SAME_GENDER)
    return Fact("gender", "different", GENDER_OTHER, OTHER_GENDER)


def fact_params(fact: Fact) -> dict[str, object] | None:
    """A fact's parameters as stored with a hit (JSON): a listed date as the list gives it,
    "circa" apart so that pages translate it."""
    return _stored(fact.params) if fact.params else None


def _stored(params: dict[str, object]) -> dict[str, object]:
    out: dict[str, object] = {}
    for name, value in params.items():
        if isinstance(value, ListedDate):
            text = str(value)
            out[name] = (
                {"template": CIRCA, "params": {"date": text.removeprefix("circa ")}}
                if value.approximate
                else text
            )
        elif isinstance(value, dict):
            inner = value.get("params")
            out[name] = {**value, "params": _stored(inner)} if isinstance(inner, dict) else value
        else:
            out[name] = value
    return out


class FactBounds:
    """The most the facts could add to each list entry's score.

    Screening a traveller who is not listed ends, for most candidate names, in the exact
    pruning of the matcher: with these facts (a date of birth years apart, another nationality)
    even a perfect name could not reach the alert threshold. Comparing the facts entry by entry
    (with their sentences) was a large part of the cost of screening; this keeps per entry a
    few numbers (the hull of its years of birth, one nationality code, the gender) and gives an
    upper bound of `compare_birth_dates + compare_nationality + compare_gender` from them, so
    that only the entries the bound cannot rule out have their facts compared. The bound is
    never below the true adjustment (a test compares them), so results are unchanged.
    Compact arrays, not objects: a million entries cost 14 MB.
    """

    def __init__(self) -> None:
        # Hull of the listed years of birth, ranges and "circa" widened as `_compare_one`
        # widens them; -1: no date.
        self.low = array("i")
        self.high = array("i")
        self.rough = array("b")  # a date only roughly known: far apart costs less
        self.nationality = array("i")  # code number; -1 none, -2 several
        self.gender = array("b")  # 0 unknown, 1 M, 2 F
        self._codes: dict[str, int] = {}

    def add(
        self, birth_dates: Sequence[ListedDate], nationalities: Sequence[str], gender: str | None
    ) -> None:
        lows, highs, rough = [], [], False
        for item in birth_dates:
            widen = 1 if item.approximate else 0
            lows.append(min(item.year, item.last_year) - widen)
            highs.append(max(item.year, item.last_year) + widen)
            rough = rough or (
                item.approximate
                or item.last_year != item.year
                or item.month is None
                or (item.day is not None and _is_dummy(item))
            )
        self.low.append(min(lows) if lows else -1)
        self.high.append(max(highs) if highs else -1)
        self.rough.append(rough)
        codes = {c for c in (_alpha3(n) for n in nationalities) if c}
        if not codes:
            self.nationality.append(-1)
        elif len(codes) > 1:
            self.nationality.append(-2)
        else:
            self.nationality.append(self._codes.setdefault(codes.pop(), len(self._codes)))
        self.gender.append(_gender_code(gender))

    def packed(self) -> npt.NDArray[np.int64]:
        """Every subject's numbers packed in one int64 (years +1 in 16 bits each, rough, gender,
        nationality +2): `upper_packed` then reads one array, one memory access per name, which
        matters when thousands of homonyms are ranked per traveller."""
        low = np.frombuffer(self.low, dtype=np.int32).astype(np.int64) + 1
        high = np.frombuffer(self.high, dtype=np.int32).astype(np.int64) + 1
        rough = np.frombuffer(self.rough, dtype=np.int8).astype(np.int64)
        gender = np.frombuffer(self.gender, dtype=np.int8).astype(np.int64)
        nationality = np.frombuffer(self.nationality, dtype=np.int32).astype(np.int64) + 2
        years = np.clip(low, 0, 0xFFFF) | (np.clip(high, 0, 0xFFFF) << 16)
        return years | (rough << 32) | (gender << 33) | (nationality << 35)

    def upper_packed(
        self,
        packed: npt.NDArray[np.int64],
        birth: date | ListedDate | None,
        nationality: str | None,
        gender: str | None,
        picks: npt.NDArray[np.int32] | None = None,
    ) -> npt.NDArray[np.float64]:
        """Per subject, the highest adjustment its facts could give this query, from the
        subjects' `packed` numbers (only those at `picks`, when given), in one compiled loop:
        it runs for most travellers, over thousands of namesakes at the stage-1 cut and for the
        few names of stage 3 (faster than a Python loop even for six)."""
        code = _alpha3(nationality)
        return upper_bounds(
            packed,
            np.arange(len(packed), dtype=np.int32) if picks is None else picks,
            birth.year if birth is not None else -1,
            birth is not None
            and (birth.month is None or (birth.day == 1 and birth.month in (1, 7))),
            self._codes.get(code, -3) if code else -4,  # -4: no nationality to compare
            _gender_code(gender),
            _DOB_BOUNDS,
            (NAT_SAME, NAT_OTHER, GENDER_OTHER),
        )


# The best a date comparison can give at a gap of 0, 1, 2, 3 and 4+ years from the listed
# years, against exact (row 0) and rough (row 1) dates.
_DOB_BOUNDS = np.array(
    [
        [DOB_EXACT, max(DOB_ONE_YEAR, DOB_ROUGH_ONE_YEAR),
         max(DOB_FEW_YEARS, DOB_ROUGH_FEW_YEARS), max(DOB_FEW_YEARS, DOB_ROUGH_FEW_YEARS), DOB_FAR],
        [DOB_EXACT, max(DOB_ONE_YEAR, DOB_ROUGH_ONE_YEAR),
         max(DOB_FEW_YEARS, DOB_ROUGH_FEW_YEARS), max(DOB_FEW_YEARS, DOB_ROUGH_FEW_YEARS),
         DOB_ROUGH_FAR],
    ]
)  # fmt: skip


def _gender_code(value: str | None) -> int:
    if not value:
        return 0
    return {"M": 1, "F": 2}.get(value[0].upper(), 0)
