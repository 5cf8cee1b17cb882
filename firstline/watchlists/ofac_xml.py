"""OFAC SDN / Consolidated list XML (sanctionslistservice export, namespaced).

Names: OFAC gives a real lastName/firstName split. `full` follows OFAC's own "LAST, First"
rendering so that the same entry read from the CSV (where that is the published text) and from
the XML has the same full name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from xml.etree.ElementTree import Element

from firstline.model.watchlist import (
    EntrySchema,
    ListedDocument,
    ListedIdentifier,
    ListedName,
    ListEntry,
    ListFileInfo,
    NameKind,
    Rejection,
)
from firstline.watchlists.countries import to_alpha3
from firstline.watchlists.dates import parse_date
from firstline.watchlists.ofac_ids import IdRole, classify
from firstline.watchlists.text import clean, join_clean
from firstline.watchlists.xmlstream import child_text, children, open_list

FORMAT = "ofac-xml"
_SCHEMAS = {
    "individual": EntrySchema.PERSON,
    "entity": EntrySchema.ORGANIZATION,
    "vessel": EntrySchema.VESSEL,
    "aircraft": EntrySchema.UNKNOWN,
}
_GENDER = {"male": "M", "female": "F"}


def read(paths: Sequence[Path]) -> tuple[ListFileInfo, Iterator[ListEntry | Rejection]]:
    """Read one OFAC XML file; `published`/`record_count` are filled as the header is read."""
    if len(paths) != 1:
        raise ValueError(f"{FORMAT} reads exactly one file, got {len(paths)}")
    _, records = open_list(
        paths[0], root="sdnList", records=frozenset({"sdnEntry", "publshInformation"})
    )
    info = ListFileInfo(format=FORMAT)
    return info, _entries(info, records)


def _entries(
    info: ListFileInfo, records: Iterator[Element | Rejection]
) -> Iterator[ListEntry | Rejection]:
    unknown: Counter[str] = Counter()
    ordinal = 0
    for record in records:
        if isinstance(record, Rejection):
            yield record
        elif record.tag.endswith("publshInformation"):
            _header(info, record)
        else:
            ordinal += 1
            uid = clean(child_text(record, "uid"))
            if uid is None:
                yield Rejection(f"sdnEntry #{ordinal}", "no uid", "")
                continue
            yield _entry(record, uid, unknown)
    for id_type, count in sorted(unknown.items()):
        info.notes.append(f"unknown idType {id_type!r} kept as identifier ({count})")


def _header(info: ListFileInfo, element: Element) -> None:
    published = clean(child_text(element, "Publish_Date"))
    if published:
        info.published = _us_date(published)
    count = clean(child_text(element, "Record_Count"))
    if count and count.isdigit():
        info.record_count = int(count)


def _us_date(text: str) -> date | None:
    try:
        return datetime.strptime(text, "%m/%d/%Y").date()
    except ValueError:
        return None


def _entry(record: Element, uid: str, unknown: Counter[str]) -> ListEntry:
    sdn_type = (clean(child_text(record, "sdnType")) or "").lower()
    entry = ListEntry(
        source_id=uid,
        schema=_SCHEMAS.get(sdn_type, EntrySchema.UNKNOWN),
        remarks=clean(child_text(record, "remarks")),
    )
    entry.names.append(_name(record, NameKind.PRIMARY, None))
    for container in children(record, "programList"):
        entry.programs.extend(p for e in children(container, "program") if (p := clean(e.text)))
    for container in children(record, "akaList"):
        entry.names.extend(_alias(aka) for aka in children(container, "aka"))
    _facts(entry, record)
    for container in children(record, "idList"):
        for element in children(container, "id"):
            _id(entry, element, unknown)
    return entry


def _name(element: Element, kind: NameKind, quality: str | None) -> ListedName:
    family = clean(child_text(element, "lastName"))
    given = clean(child_text(element, "firstName"))
    full = f"{family}, {given}" if family and given else (family or given or "")
    return ListedName(full=full, kind=kind, given=given, family=family, quality=quality)


def _alias(aka: Element) -> ListedName:
    alias_type = (clean(child_text(aka, "type")) or "").lower()
    category = (clean(child_text(aka, "category")) or "").lower()
    if alias_type == "f.k.a.":
        kind = NameKind.FORMER
    elif category == "weak":
        kind = NameKind.WEAK_ALIAS
    else:
        kind = NameKind.ALIAS
    return _name(aka, kind, category or alias_type or None)


def _facts(entry: ListEntry, record: Element) -> None:
    for container in children(record, "dateOfBirthList"):
        for item in children(container, "dateOfBirthItem"):
            text = clean(child_text(item, "dateOfBirth"))
            if text is None:
                continue
            try:
                entry.birth_dates.append(parse_date(text))
            except ValueError:
                entry.extra["date_of_birth_unparsed"] = text
    for container in children(record, "placeOfBirthList"):
        for item in children(container, "placeOfBirthItem"):
            if place := clean(child_text(item, "placeOfBirth")):
                entry.birth_places.append(place)
    for list_tag, tag in (("nationalityList", "nationality"), ("citizenshipList", "citizenship")):
        for container in children(record, list_tag):
            for item in children(container, tag):
                _country(entry, clean(child_text(item, "country")), tag)
    for container in children(record, "addressList"):
        for item in children(container, "address"):
            tags = ("address1", "address2", "address3", "city", "stateOrProvince")
            parts = [child_text(item, t) for t in (*tags, "postalCode", "country")]
            if address := join_clean(parts):
                entry.addresses.append(address)


def _country(entry: ListEntry, text: str | None, key: str) -> None:
    if text is None:
        return
    code = to_alpha3(text)
    if code is None:
        entry.extra[key] = text
    elif code not in entry.nationalities:
        entry.nationalities.append(code)


def _id(entry: ListEntry, element: Element, unknown: Counter[str]) -> None:
    id_type = clean(child_text(element, "idType")) or ""
    number = clean(child_text(element, "idNumber"))
    if number is None:
        return
    country_text = clean(child_text(element, "idCountry"))
    mapping = classify(id_type)
    if mapping.role is IdRole.DOCUMENT:
        note = None if to_alpha3(country_text) or not country_text else country_text
        entry.documents.append(ListedDocument(number, mapping.kind, to_alpha3(country_text), note))
    elif mapping.role is IdRole.IDENTIFIER or mapping.role is IdRole.UNKNOWN:
        entry.identifiers.append(ListedIdentifier(mapping.kind, number))
        if mapping.role is IdRole.UNKNOWN:
            unknown[mapping.kind] += 1
    elif mapping.role is IdRole.GENDER:
        entry.gender = _GENDER.get(number.lower(), entry.gender)
    else:
        value = f"{number} ({country_text})" if country_text else number
        key = mapping.kind
        entry.extra[key] = f"{entry.extra[key]}; {value}" if key in entry.extra else value
