"""Values of PNRGOV XML read leniently: dates, numbers, amounts, flight numbers, names.

Every reader takes the element it reads from, so a bad value becomes a warning that points
at the element's line; none of them raises on content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from xml.etree.ElementTree import Element

from firstline.ingest.options import ParseOptions
from firstline.ingest.pnrgov_xml_tree import XmlDocument, attr, child, local_name, text, value
from firstline.model.message import ParseWarning

MAX_FOUND = 60  # warnings quote at most this much of a bad value

# ISO 8601 as xs:dateTime / xs:date write it; checked before fromisoformat, which also
# accepts forms no feed should send (week dates, ordinal days).
_ISO = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?(?:Z|[+-]\d{2}:?\d{2})?"
)
_DDMMMYY = re.compile(r"(\d{2})([A-Z]{3})(\d{2}|\d{4})")
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1
    )
}
_NUMBER = re.compile(r"[0-9]{1,9}")
_AMOUNT = re.compile(r"-?[0-9]{1,12}(?:[.,][0-9]{1,6})?")
_FLIGHT_NUMBER = re.compile(r"(?:[A-Z0-9]{2}[A-Z]?)??0*([0-9]{1,5}[A-Z]?)")
_TITLES = frozenset(
    {"MR", "MRS", "MS", "MISS", "MSTR", "MASTER", "DR", "PROF", "REV", "SIR", "LADY", "MME"}
)
_CARD_RUN = re.compile(r"(?<![0-9])(?:[0-9][ -]?){13,18}[0-9](?![0-9])")


@dataclass(slots=True)
class Context:
    """What every mapping step shares: the document, options, warnings, the reading date."""

    doc: XmlDocument
    options: ParseOptions
    warnings: list[ParseWarning]
    reference: date  # flight date (else today), against which two-digit birth years are read

    def warn(
        self,
        element: Element | None,
        code: str,
        message: str,
        *,
        expected: str | None = None,
        found: str | None = None,
    ) -> None:
        """A warning at `element`: its local name as the segment, its start tag's line.

        The value quoted in `found` is cut short and masked where it looks like a card.
        """
        line, column = self.doc.line_of(element) if element is not None else (None, None)
        self.warnings.append(
            ParseWarning(
                code=code,
                message=message,
                segment=local_name(element.tag) if element is not None else None,
                line=line,
                column=column,
                expected=expected,
                found=scrub_card_numbers(found[:MAX_FOUND]) if found is not None else None,
            )
        )


def _named(element: Element | None, names: tuple[str, ...]) -> str:
    """Which of `names` `element` actually carries, for a warning (only run on failures)."""
    for name in names:
        if attr(element, name) is not None or (
            element is not None and text(child(element, name)) is not None
        ):
            return name
    return names[0]


def parse_iso_datetime(raw: str) -> datetime | None:
    """An xs:dateTime or xs:date as local wall-clock time (any offset is dropped)."""
    cleaned = raw.strip()
    if not _ISO.fullmatch(cleaned):
        return None
    try:
        parsed = datetime.fromisoformat(cleaned)
    except ValueError:
        return None
    return parsed.replace(tzinfo=None)


def parse_ddmmmyy(raw: str, *, reference: date | None = None) -> date | None:
    """`30DEC02` as SSR DOCS writes dates.

    With a `reference` (birth dates) a two-digit year is put in the century that keeps the
    date on or before the reference; without one (expiry and issue dates) 70-99 is 19xx.
    """
    match = _DDMMMYY.fullmatch(raw.strip().upper())
    if match is None or match.group(2) not in _MONTHS:
        return None
    day, month, year = int(match.group(1)), _MONTHS[match.group(2)], int(match.group(3))
    if len(match.group(3)) == 2:
        if reference is None:
            year += 1900 if year >= 70 else 2000
        else:
            year += 2000 if 2000 + year <= reference.year else 1900
    try:
        parsed = date(year, month, day)
    except ValueError:
        return None
    if reference is not None and len(match.group(3)) == 2 and parsed > reference:
        try:
            parsed = parsed.replace(year=parsed.year - 100)
        except ValueError:  # 29 February
            parsed = parsed.replace(year=parsed.year - 100, day=28)
    return parsed


def read_datetime(ctx: Context, element: Element | None, *names: str) -> datetime | None:
    raw = value(element, *names)
    if raw is None:
        return None
    parsed = parse_iso_datetime(raw)
    if parsed is None:
        ctx.warn(
            element,
            "bad_date",
            f"{_named(element, names)} is not a date-time",
            expected="YYYY-MM-DDThh:mm[:ss]",
            found=raw,
        )
    return parsed


def read_date(
    ctx: Context, element: Element | None, *names: str, birth: bool = False
) -> date | None:
    """An ISO date (a time part is ignored) or a DDMMMYY one."""
    raw = value(element, *names)
    if raw is None:
        return None
    parsed_dt = parse_iso_datetime(raw)
    if parsed_dt is not None:
        return parsed_dt.date()
    parsed = parse_ddmmmyy(raw, reference=ctx.reference if birth else None)
    if parsed is None:
        ctx.warn(
            element,
            "bad_date",
            f"{_named(element, names)} is not a date",
            expected="YYYY-MM-DD or DDMMMYY",
            found=raw,
        )
    return parsed


def read_int(ctx: Context, element: Element | None, *names: str) -> int | None:
    raw = value(element, *names)
    if raw is None:
        return None
    if not _NUMBER.fullmatch(raw):
        ctx.warn(
            element,
            "bad_number",
            f"{_named(element, names)} is not a count",
            expected="digits",
            found=raw,
        )
        return None
    return int(raw)


def read_amount(ctx: Context, element: Element | None, *names: str) -> float | None:
    """A money amount; OTA `DecimalPlaces` shifts an integer amount (`12345`, 2 → 123.45)."""
    raw = value(element, *names)
    if raw is None:
        return None
    if not _AMOUNT.fullmatch(raw):
        ctx.warn(
            element,
            "bad_amount",
            f"{_named(element, names)} is not an amount",
            expected="123.45",
            found=raw,
        )
        return None
    amount = float(raw.replace(",", "."))
    places = attr(element, "DecimalPlaces")
    if places is not None and places.isascii() and places.isdigit() and len(places) == 1:
        if "." not in raw and "," not in raw:
            amount /= 10 ** int(places)
    return amount


def read_flight_number(ctx: Context, element: Element, *names: str) -> str | None:
    """Flight number without leading zeros (`0400` → `400`, `LH0400` → `400`, `12A` kept)."""
    raw = value(element, *names)
    if raw is None:
        return None
    cleaned = raw.replace(" ", "").upper()
    match = _FLIGHT_NUMBER.fullmatch(cleaned)
    if match is None:
        ctx.warn(
            element,
            "bad_flight_number",
            "flight number not in IATA form; kept as sent",
            expected="1 to 4 digits and an optional suffix letter",
            found=raw,
        )
        return cleaned or None
    return match.group(1)


def read_code(element: Element | None, *names: str) -> str | None:
    """A code value, upper-cased."""
    found = value(element, *names)
    return found.upper() if found is not None else None


def split_title(given: str | None) -> tuple[str | None, str | None]:
    """`LAL MS` → (`LAL`, `MS`): a title run on to the given names is split off."""
    if not given:
        return None, None
    tokens = given.split()
    if tokens and tokens[-1].upper().rstrip(".") in _TITLES:
        return " ".join(tokens[:-1]) or None, tokens[-1].upper().rstrip(".")
    return " ".join(tokens) or None, None


def name_key(surname: str | None, given: str | None) -> tuple[str, str]:
    """Surname and first given name, upper-case without titles: how names are matched."""
    first, _ = split_title(given)
    tokens = (first or "").upper().split()
    return (surname or "").upper().strip(), tokens[0] if tokens else ""


def scrub_card_numbers(text: str) -> str:
    """Free text with anything that looks like a card number masked to its last four."""
    return _CARD_RUN.sub(_mask_if_card, text) if any(c.isdigit() for c in text) else text


def _mask_if_card(match: re.Match[str]) -> str:
    digits = [c for c in match.group(0) if c.isdigit()]
    return "X" * (len(digits) - 4) + "".join(digits[-4:]) if _luhn(digits) else match.group(0)


def _luhn(digits: list[str]) -> bool:
    total = 0
    for position, digit in enumerate(reversed(digits)):
        number = int(digit)
        if position % 2 == 1:
            number = number * 2 - 9 if number > 4 else number * 2
        total += number
    return total % 10 == 0
