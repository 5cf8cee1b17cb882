"""EU Financial Sanctions File (FSF) XML: `export` root, one `sanctionEntity` per entry.

Built from the published FSF schema (no sample ships with the repository); every element is
matched by local name because the namespace carries the schema version and changes with it.
The FSF marks no primary name: the first `nameAlias` is taken as primary, the others as aliases,
and `strong="false"` makes an alias weak.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from xml.etree.ElementTree import Element

from firstline.model.watchlist import (
    EntrySchema,
    ListedDate,
    ListedDocument,
    ListedIdentifier,
    ListedName,
    ListEntry,
    ListFileInfo,
    NameKind,
    Rejection,
)
from firstline.watchlists.countries import to_alpha3
from firstline.watchlists.dates import parse_iso_day
from firstline.watchlists.text import clean, join_clean
from firstline.watchlists.xmlstream import children, open_list

FORMAT = "eu-xml"
_SCHEMAS = {"person": EntrySchema.PERSON, "enterprise": EntrySchema.ORGANIZATION}
_DOCUMENT_CODES = {"passport": "passport", "id": "national_id"}
_GENDER = {"m": "M", "f": "F", "male": "M", "female": "F"}


def read(paths: Sequence[Path]) -> tuple[ListFileInfo, Iterator[ListEntry | Rejection]]:
    """Read one FSF XML file."""
    if len(paths) != 1:
        raise ValueError(f"{FORMAT} reads exactly one file, got {len(paths)}")
    top, records = open_list(paths[0], root="export", records=frozenset({"sanctionEntity"}))
    info = ListFileInfo(format=FORMAT, published=_day(top.get("generationDate")))
    return info, _entries(records)


def _day(text: str | None) -> date | None:
    try:
        return parse_iso_day(text)
    except ValueError:
        return None


def _entries(records: Iterator[Element | Rejection]) -> Iterator[ListEntry | Rejection]:
    ordinal = 0
    for record in records:
        if isinstance(record, Rejection):
            yield record
            continue
        ordinal += 1
        logical_id = clean(record.get("logicalId"))
        if logical_id is None:
            yield Rejection(f"sanctionEntity #{ordinal}", "no logicalId", "")
            continue
        try:
            yield _entry(record, logical_id)
        except ValueError as error:
            yield Rejection(f"sanctionEntity #{ordinal} (logicalId {logical_id})", str(error), "")


def _entry(record: Element, logical_id: str) -> ListEntry:
    subject = next(children(record, "subjectType"), None)
    code = (subject.get("code") or "").lower() if subject is not None else ""
    entry = ListEntry(
        source_id=logical_id,
        schema=_SCHEMAS.get(code, EntrySchema.UNKNOWN),
        reference=clean(record.get("euReferenceNumber")),
        listed_on=parse_iso_day(record.get("designationDate")),
        remarks=join_clean([r.text for r in children(record, "remark")], sep=" "),
    )
    for regulation in children(record, "regulation"):
        programme = clean(regulation.get("programme"))
        if programme and programme not in entry.programs:
            entry.programs.append(programme)
        if entry.listed_on is None:
            entry.listed_on = parse_iso_day(regulation.get("publicationDate"))
    _names(entry, record)
    for element in children(record, "citizenship"):
        _country(entry, element)
    for element in children(record, "birthdate"):
        _birth(entry, element)
    for element in children(record, "identification"):
        _identification(entry, element)
    for element in children(record, "address"):
        tags = ("street", "poBox", "city", "zipCode", "region", "place", "countryDescription")
        if address := join_clean([element.get(t) for t in tags]):
            entry.addresses.append(address)
    return entry


def _names(entry: ListEntry, record: Element) -> None:
    for element in children(record, "nameAlias"):
        given = join_clean([element.get("firstName"), element.get("middleName")], sep=" ")
        family = clean(element.get("lastName"))
        full = clean(element.get("wholeName")) or join_clean([given, family], sep=" ")
        if full is None:
            continue
        strong = (element.get("strong") or "true").lower() != "false"
        kind = NameKind.PRIMARY if not entry.names else NameKind.ALIAS
        if kind is NameKind.ALIAS and not strong:
            kind = NameKind.WEAK_ALIAS
        entry.names.append(
            ListedName(
                full=full,
                kind=kind,
                given=given,
                family=family,
                quality="strong" if strong else "weak",
                script=clean(element.get("nameLanguage")),
            )
        )
        gender = _GENDER.get((element.get("gender") or "").lower())
        entry.gender = entry.gender or gender


def _iso(element: Element) -> str | None:
    # The FSF writes "00" for "country unknown".
    code = clean(element.get("countryIso2Code")) or clean(element.get("countryIso3Code"))
    return None if code in (None, "00", "000") else to_alpha3(code)


def _country(entry: ListEntry, element: Element) -> None:
    code = _iso(element)
    if code and code not in entry.nationalities:
        entry.nationalities.append(code)


def _birth(entry: ListEntry, element: Element) -> None:
    try:
        _birth_date(entry, element)
    except ValueError:
        # A bad date must not cost the entry its names: keep it and tell the analyst.
        raw = " ".join(f"{k}={v}" for k, v in sorted(element.attrib.items()) if "ear" in k)
        entry.extra["date_of_birth_unparsed"] = raw or "birthdate"
    place = [element.get("city"), element.get("place"), element.get("countryDescription")]
    if text := join_clean(place):
        entry.birth_places.append(text)


def _birth_date(entry: ListEntry, element: Element) -> None:
    circa = (element.get("circa") or "").lower() == "true"
    full, year = clean(element.get("birthdate")), _int(element, "year")
    first, last = _int(element, "yearRangeFrom"), _int(element, "yearRangeTo")
    if full:
        exact = parse_iso_day(full)
        assert exact is not None  # a non-empty text parses or raises
        listed = ListedDate(exact.year, exact.month, exact.day, approximate=circa)
    elif first is not None and last is not None:
        listed = ListedDate(first, to_year=last, approximate=circa)
    elif year is not None:
        month = _int(element, "monthOfYear") or _int(element, "month")
        day = _int(element, "dayOfMonth") or _int(element, "day")
        listed = ListedDate(year, month, day if month else None, approximate=circa)
    else:
        listed = None
    if listed is not None and listed not in entry.birth_dates:
        entry.birth_dates.append(listed)


def _int(element: Element, name: str) -> int | None:
    text = clean(element.get(name))
    if text is None:
        return None
    if not text.isdigit():
        raise ValueError(f"birthdate {name} is not a number: {text!r}")
    return int(text) or None


def _identification(entry: ListEntry, element: Element) -> None:
    number = clean(element.get("number")) or clean(element.get("latinNumber"))
    if number is None:
        return
    code = (clean(element.get("identificationTypeCode")) or "other").lower()
    if code in _DOCUMENT_CODES:
        note = clean(element.get("identificationTypeDescription"))
        entry.documents.append(ListedDocument(number, _DOCUMENT_CODES[code], _iso(element), note))
    else:
        entry.identifiers.append(ListedIdentifier(code, number))
