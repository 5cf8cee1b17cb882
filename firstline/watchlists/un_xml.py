"""UN Security Council Consolidated List (official XML, sc-sanctions.xsd).

Name parts FIRST..FOURTH_NAME carry no given/family roles (their order follows the person's
culture), so they are kept as `parts` only. Alias QUALITY is the UN's own strength label.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from xml.etree.ElementTree import Element

from firstline.model.watchlist import (
    EntrySchema,
    ListedDate,
    ListedDocument,
    ListedName,
    ListEntry,
    ListFileInfo,
    NameKind,
    Rejection,
)
from firstline.watchlists.countries import to_alpha3
from firstline.watchlists.dates import parse_date, parse_iso_day
from firstline.watchlists.documents import normalise_type
from firstline.watchlists.text import clean, join_clean
from firstline.watchlists.xmlstream import child_text, children, local, open_list

FORMAT = "un-xml"
_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
_QUALITY = {
    "good": NameKind.ALIAS,
    "a.k.a.": NameKind.ALIAS,
    "low": NameKind.WEAK_ALIAS,
    "f.k.a.": NameKind.FORMER,
}
_GENDER = {"male": "M", "female": "F"}


def read(paths: Sequence[Path]) -> tuple[ListFileInfo, Iterator[ListEntry | Rejection]]:
    """Read one UN consolidated list file."""
    if len(paths) != 1:
        raise ValueError(f"{FORMAT} reads exactly one file, got {len(paths)}")
    top, records = open_list(
        paths[0], root="CONSOLIDATED_LIST", records=frozenset({"INDIVIDUAL", "ENTITY"})
    )
    info = ListFileInfo(format=FORMAT, published=parse_iso_day(top.get("dateGenerated")))
    return info, _entries(records)


def _entries(records: Iterator[Element | Rejection]) -> Iterator[ListEntry | Rejection]:
    ordinal = 0
    for record in records:
        if isinstance(record, Rejection):
            yield record
            continue
        ordinal += 1
        source_id = clean(child_text(record, "DATAID"))
        if source_id is None:
            yield Rejection(
                location=f"{local(record.tag)} #{ordinal}",
                reason="no DATAID",
                record=clean(child_text(record, "REFERENCE_NUMBER")) or "",
            )
            continue
        yield _entry(record, source_id)


def _entry(record: Element, source_id: str) -> ListEntry:
    person = local(record.tag) == "INDIVIDUAL"
    entry = ListEntry(
        source_id=source_id,
        schema=EntrySchema.PERSON if person else EntrySchema.ORGANIZATION,
        reference=clean(child_text(record, "REFERENCE_NUMBER")),
        listed_on=parse_iso_day(child_text(record, "LISTED_ON")),
        programs=[p for p in [clean(child_text(record, "UN_LIST_TYPE"))] if p],
        remarks=clean(child_text(record, "COMMENTS1")),
        gender=_GENDER.get((clean(child_text(record, "GENDER")) or "").lower()),
    )
    entry.names.extend(_names(record))
    for element in children(record, "NATIONALITY"):
        _nationalities(entry, element)
    for element in children(record, "INDIVIDUAL_DATE_OF_BIRTH"):
        _birth_date(entry, element)
    for element in children(record, "INDIVIDUAL_PLACE_OF_BIRTH"):
        if place := _place(element):
            entry.birth_places.append(place)
    for tag in ("INDIVIDUAL_ADDRESS", "ENTITY_ADDRESS"):
        for element in children(record, tag):
            if address := _place(element, with_street=True):
                entry.addresses.append(address)
    for element in children(record, "INDIVIDUAL_DOCUMENT"):
        if document := _document(element):
            entry.documents.append(document)
    _designations(entry, record)
    return entry


def _names(record: Element) -> Iterator[ListedName]:
    parts = tuple(p for tag in _PARTS if (p := clean(child_text(record, tag))))
    if parts:
        yield ListedName(full=" ".join(parts), parts=parts)
    for tag in ("INDIVIDUAL_ALIAS", "ENTITY_ALIAS"):
        for alias in children(record, tag):
            name = clean(child_text(alias, "ALIAS_NAME"))
            if name is None:
                continue  # the UN writes <QUALITY/><ALIAS_NAME/> for "no alias"
            quality = clean(child_text(alias, "QUALITY"))
            kind = _QUALITY.get((quality or "").lower(), NameKind.ALIAS)
            yield ListedName(full=name, kind=kind, quality=quality)
    if original := clean(child_text(record, "NAME_ORIGINAL_SCRIPT")):
        yield ListedName(full=original, kind=NameKind.ORIGINAL_SCRIPT)


def _nationalities(entry: ListEntry, element: Element) -> None:
    for value in children(element, "VALUE"):
        text = clean(value.text)
        if text is None:
            continue
        code = to_alpha3(text)
        if code is None:
            _note(entry, "nationality", text)
        elif code not in entry.nationalities:
            entry.nationalities.append(code)


def _birth_date(entry: ListEntry, element: Element) -> None:
    kind = (clean(child_text(element, "TYPE_OF_DATE")) or "").upper()
    first, last = child_text(element, "FROM_YEAR"), child_text(element, "TO_YEAR")
    text = clean(child_text(element, "DATE")) or clean(child_text(element, "YEAR"))
    try:
        if first and last:
            listed = ListedDate(int(first), to_year=int(last), approximate=kind == "APPROXIMATELY")
        elif text is not None:
            parsed = parse_date(text)
            listed = ListedDate(
                parsed.year, parsed.month, parsed.day, parsed.to_year, kind == "APPROXIMATELY"
            )
        else:
            return  # an empty <INDIVIDUAL_DATE_OF_BIRTH/>: no date given
    except ValueError:
        _note(entry, "date_of_birth_unparsed", text or f"{first}-{last}")
        return
    if listed not in entry.birth_dates:
        entry.birth_dates.append(listed)


def _place(element: Element, *, with_street: bool = False) -> str | None:
    tags = ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY", "NOTE")
    kept = tags if with_street else tags[1:]
    return join_clean([child_text(element, tag) for tag in kept])


def _document(element: Element) -> ListedDocument | None:
    number = clean(child_text(element, "NUMBER"))
    if number is None:
        return None
    country = clean(child_text(element, "ISSUING_COUNTRY")) or clean(
        child_text(element, "COUNTRY_OF_ISSUE")
    )
    kind = normalise_type(child_text(element, "TYPE_OF_DOCUMENT"))
    note = join_clean(
        [
            child_text(element, "TYPE_OF_DOCUMENT2"),
            None if to_alpha3(country) or not country else f"issued in {country}",
            child_text(element, "CITY_OF_ISSUE"),
            _issued(child_text(element, "DATE_OF_ISSUE")),
            child_text(element, "NOTE"),
        ],
        sep="; ",
    )
    return ListedDocument(number=number, type=kind, country=to_alpha3(country), note=note)


def _issued(text: str | None) -> str | None:
    return f"issued {value}" if (value := clean(text)) else None


def _designations(entry: ListEntry, record: Element) -> None:
    for tag, key in (("DESIGNATION", "designation"), ("TITLE", "title")):
        for element in children(record, tag):
            for value in children(element, "VALUE"):
                if text := clean(value.text):
                    _note(entry, key, text)


def _note(entry: ListEntry, key: str, value: str) -> None:
    # Several values of one kind share a key; "; " keeps them readable for the analyst.
    entry.extra[key] = f"{entry.extra[key]}; {value}" if key in entry.extra else value
