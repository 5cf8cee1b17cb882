"""Values as PNRGOV EDIFACT writes them: DDMMYY dates, DDMMMYY dates in SSR text, amounts,
flight numbers, names with titles run into them, card numbers hidden in free text.

Pure functions: a value that cannot be read gives None (or DateValueError for dates, so the
caller can say what was expected); nothing here knows about segments or warnings.
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime

from firstline.ingest.edifact.dates import DateValueError

MONTHS = {
    name: number
    for number, name in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1
    )
}
_DDMMMYY = re.compile(r"(\d{1,2})([A-Z]{3})(\d{2}|\d{4})")
_COUNT = re.compile(r"[0-9]{1,9}")
_AMOUNT = re.compile(r"-?[0-9]{1,12}(?:[.,][0-9]{1,6})?")
_FLIGHT_NUMBER = re.compile(r"0*([0-9]{1,5}[A-Z]?)")
# A run of digits, possibly grouped by single spaces or hyphens, that may be a card number.
_CARD_RUN = re.compile(r"(?<![0-9])(?:[0-9][ -]?){13,}[0-9](?![0-9])")
_LONG_DIGITS = re.compile(r"[0-9]{12,}")
_DIGITS = re.compile(r"[0-9]+")

# Titles airlines append to given names (IATA reservations practice). Only these are split
# off when they stand as a separate last word.
TITLES = frozenset(
    {"MR", "MRS", "MS", "MISS", "MSTR", "MASTER", "DR", "PROF", "REV", "SIR", "LADY", "MME"}
    | {"MLLE", "MX", "CHD", "INF", "CAPT"}
)
# Titles that are also found glued to the given name (`ANNMS`), longest first so that
# `...MRS` is not read as `...MR` + `S`.
_GLUED = ("MSTR", "MISS", "MRS", "CHD", "INF", "MR", "MS", "DR")
# A glued DR is only split with a document to confirm it: too many names end in -DR
# (ALEKSANDR, ISKANDR). Given names that end like a title are kept whole.
_NEEDS_EVIDENCE = frozenset({"DR"})
_NAMES_ENDING_LIKE_TITLES = frozenset(
    {"ADAMS", "WILLIAMS", "ABRAHAMS", "SIMS", "SIMMS", "HELMS", "AMR", "AAMR", "OMR", "SAMR"}
)
_VOWELS = frozenset("AEIOUY")


def parse_ddmmyy(value: str) -> date:
    """A PNRGOV date, `270513` = 27 May 2013 (day first, unlike PAXLST's YYMMDD).

    Two-digit years 00-68 are 20xx, 69-99 19xx (booking and travel dates, not birth dates).
    """
    cleaned = value.strip()
    if len(cleaned) != 6 or not (cleaned.isascii() and cleaned.isdigit()):
        raise DateValueError("date as DDMMYY")
    two_digit = int(cleaned[4:6])
    year = (2000 if two_digit < 69 else 1900) + two_digit
    try:
        return date(year, int(cleaned[2:4]), int(cleaned[0:2]))
    except ValueError as exc:
        raise DateValueError("a valid date as DDMMYY") from exc


# A push repeats its dates and times (the flight's, ticketing at the same hour ...): well over
# half of the calls in a push are repeats. Bad values raise, and exceptions are not cached.
@functools.lru_cache(maxsize=4096)
def parse_ddmmyy_time(day: str, time: str) -> datetime:
    """A DDMMYY date with an optional HHMM or HHMMSS time."""
    base = parse_ddmmyy(day)
    cleaned = time.strip()
    if not cleaned:
        return datetime(base.year, base.month, base.day)
    if len(cleaned) not in (4, 6) or not (cleaned.isascii() and cleaned.isdigit()):
        raise DateValueError("time as HHMM or HHMMSS")
    try:
        return datetime(
            base.year,
            base.month,
            base.day,
            int(cleaned[0:2]),
            int(cleaned[2:4]),
            int(cleaned[4:6]) if len(cleaned) == 6 else 0,
        )
    except ValueError as exc:
        raise DateValueError("a valid time as HHMM[SS]") from exc


def parse_ssr_date(value: str, *, reference: date, kind: str) -> date:
    """A date in SSR free text: `20SEP12` (DDMMMYY), `20SEP2012` or `200912` (DDMMYY).

    Two-digit years are placed against the travel date `reference`: a birth or issue date
    (`kind` "past") in the century that keeps it on or before the reference; an expiry
    (`kind` "expiry") from 30 years before to 69 years after it, so a recent passport is not
    pushed a century away and an expired one stays expired.
    """
    cleaned = value.strip().upper()
    match = _DDMMMYY.fullmatch(cleaned)
    if match is not None:
        day_text, month_text, year_text = match.groups()
        month = MONTHS.get(month_text)
        if month is None:
            raise DateValueError("month as JAN..DEC")
    elif len(cleaned) == 6 and cleaned.isascii() and cleaned.isdigit():
        day_text, month, year_text = cleaned[0:2], int(cleaned[2:4]), cleaned[4:6]
    else:
        raise DateValueError("date as DDMMMYY")
    day = int(day_text)
    if len(year_text) == 4:
        return _date_in(int(year_text), month, day)
    two_digit = int(year_text)
    if kind == "expiry":
        earliest = reference.year - 30
        return _date_in(earliest + (two_digit - earliest) % 100, month, day)
    year = 2000 + two_digit if 2000 + two_digit <= reference.year else 1900 + two_digit
    parsed = _date_in(year, month, day)
    return _date_in(year - 100, month, day) if parsed > reference else parsed


def _date_in(year: int, month: int, day: int) -> date:
    """The date, validated in a leap year first so 29 February becomes the 28th, not an error."""
    try:
        date(2000, month, day)
    except ValueError as exc:
        raise DateValueError("a valid date") from exc
    if not 1800 <= year <= 2199:
        raise DateValueError("a year from 1800 to 2199")
    try:
        return date(year, month, day)
    except ValueError:
        return date(year, 2, 28)


def parse_count(value: str) -> int | None:
    """A plain count of at most nine ASCII digits (int() also takes '²', '1_0' and ' 1')."""
    cleaned = value.strip()
    return int(cleaned) if _COUNT.fullmatch(cleaned) else None


def parse_amount(value: str) -> float | None:
    """A money amount with `.` or `,` as decimal mark (UNA may declare either)."""
    cleaned = value.strip()
    return float(cleaned.replace(",", ".")) if _AMOUNT.fullmatch(cleaned) else None


def flight_number(raw: str) -> str | None:
    """Flight number without leading zeros, suffix letter kept: `0602` → `602`, `12A`."""
    cleaned = raw.replace(" ", "").upper()
    if not cleaned:
        return None
    match = _FLIGHT_NUMBER.fullmatch(cleaned)
    return match.group(1) if match else cleaned


def is_alpha_code(value: str, *lengths: int) -> bool:
    """An upper-case ASCII letter code of one of `lengths` (airports, countries, currencies)."""
    return len(value) in lengths and value.isascii() and value.isalpha() and value.isupper()


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        number = ord(char) - 48
        if position % 2:
            number = number * 2 - 9 if number > 4 else number * 2
        total += number
    return total % 10 == 0


def mask_cards(text: str) -> str:
    """`text` with every plausible card number (14-19 digits passing Luhn) masked.

    Thirteen-digit runs are left alone: they are mostly ticket numbers (TKNE), and no card
    issued today has thirteen digits. The last four digits stay, as on a receipt.
    """
    if len(text) < 14:
        return text
    return _CARD_RUN.sub(_mask_match, text)


def _mask_match(match: re.Match[str]) -> str:
    """Mask the card numbers inside a run of digit groups (`4111 1111 1111 1111 20` holds
    one followed by another number): every span of whole groups of 14 to 19 digits that
    passes Luhn, keeping separators and the span's last four digits."""
    run = match.group(0)
    groups = [(m.start(), m.end()) for m in _DIGITS.finditer(run)]
    masked = list(run)
    first = 0
    while first < len(groups):
        last = _card_end(run, groups, first)
        if last is None:
            start, end = groups[first]
            glued = _glued_card(run[start:end])
            if glued:
                _mask_span(masked, start, start + glued)
            first += 1
            continue
        _mask_span(masked, groups[first][0], groups[last][1])
        first = last + 1
    return "".join(masked)


def _card_end(run: str, groups: list[tuple[int, int]], first: int) -> int | None:
    """The last group of a card number starting at group `first`, if one does."""
    digits = ""
    for last in range(first, len(groups)):
        digits += run[groups[last][0] : groups[last][1]]
        if len(digits) > 19:
            return None
        if len(digits) >= 14 and luhn_valid(digits):
            return last
    return None


def _glued_card(digits: str) -> int:
    """The length of a card number written with its expiry glued on (`41111111111111111227`
    is a card and 12/27), or 0: the longest start of 14 to 19 digits passing Luhn with at
    most four digits after it."""
    for length in range(min(19, len(digits) - 1), 13, -1):
        if len(digits) - length <= 4 and luhn_valid(digits[:length]):
            return length
    return 0


def _mask_span(chars: list[str], start: int, end: int) -> None:
    positions = [i for i in range(start, end) if chars[i].isdigit()]
    for i in positions[:-4]:
        chars[i] = "X"


def mask_long_digits(text: str) -> str:
    """Every run of twelve or more digits masked, Luhn or not (payment segments, warnings)."""
    if len(text) < 12:  # most values are short codes: no regex call
        return text
    return _LONG_DIGITS.sub(lambda m: "X" * (len(m.group(0)) - 4) + m.group(0)[-4:], text)


# Called for every TIF and check-in TIF, and given names repeat within a push and across
# pushes: cached. Pure, and the result is an immutable tuple.
@functools.lru_cache(maxsize=4096)
def split_title(raw: str | None, *, evidence: str | None = None) -> tuple[str | None, str | None]:
    """Given names and title from a TIF given-name field.

    The rule: a known title standing as the last word is split off (`ISABELLE MRS`,
    `LAL MS`). A title glued to the last word (`ANNMS`) is split off only when what remains
    is still a plausible name: at least two letters with a vowel, the whole word not a given
    name that happens to end like a title (WILLIAMS, ADAMS, AMR), and for DR only with a
    document to confirm it. `evidence`, the given name from the traveller's SSR DOCS,
    decides either way when present: it keeps `WILLIAMS` whole and splits `JOHNDR`.
    """
    words = (raw or "").upper().split()
    if not words:
        return None, None
    if words[-1] in TITLES:
        return (" ".join(words[:-1]) or None), words[-1]
    last = words[-1]
    proof = (evidence or "").upper().split()
    for title in _GLUED:
        stem = last[: -len(title)]
        if not last.endswith(title) or not _plausible_stem(stem):
            continue
        if proof:
            if proof[0] == last:
                break
            if proof[0] != stem:
                continue
        elif title in _NEEDS_EVIDENCE or last in _NAMES_ENDING_LIKE_TITLES:
            break
        return " ".join([*words[:-1], stem]), title
    return " ".join(words), None


def _plausible_stem(stem: str) -> bool:
    return (
        len(stem) >= 2
        and stem.isascii()
        and stem.isalpha()
        and any(char in _VOWELS for char in stem)
    )
