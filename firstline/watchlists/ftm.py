"""FollowTheMoney entities as JSON lines (OpenSanctions exports, yente datasets).

Only schemata that can be screened against (persons, organisations, vessels) become entries;
the rest (Address, Sanction, Identification, ...) are skipped and counted in the file notes,
because in a flat export their facts are already folded into the target's properties.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

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
from firstline.watchlists.text import clean

FORMAT = "ftm"
_SCHEMAS = {
    "Person": EntrySchema.PERSON,
    "Organization": EntrySchema.ORGANIZATION,
    "Company": EntrySchema.ORGANIZATION,
    "LegalEntity": EntrySchema.ORGANIZATION,
    "PublicBody": EntrySchema.ORGANIZATION,
    "Vessel": EntrySchema.VESSEL,
}
_NAME_KINDS = (
    ("alias", NameKind.ALIAS),
    ("weakAlias", NameKind.WEAK_ALIAS),
    ("previousName", NameKind.FORMER),
)
_DOCUMENTS = (("passportNumber", "passport"), ("idNumber", "national_id"))
_IDENTIFIERS = (
    ("taxNumber", "tax_id"),
    ("registrationNumber", "registration"),
    ("innCode", "tax_id"),
    ("leiCode", "lei"),
    ("swiftBic", "swift_bic"),
    ("imoNumber", "imo"),
    ("email", "email"),
    ("phone", "phone"),
    ("website", "website"),
)
_GENDER = {"male": "M", "female": "F"}
_Props = dict[str, list[str]]


def read(paths: Sequence[Path]) -> tuple[ListFileInfo, Iterator[ListEntry | Rejection]]:
    """Read one or more FtM JSON-lines files."""
    info = ListFileInfo(format=FORMAT)
    return info, _all(info, paths)


def _all(info: ListFileInfo, paths: Sequence[Path]) -> Iterator[ListEntry | Rejection]:
    skipped: Counter[str] = Counter()
    for path in paths:
        yield from _file(path, skipped)
    info.notes.extend(
        f"skipped {count} {schema} entities" for schema, count in sorted(skipped.items())
    )


def _file(path: Path, skipped: Counter[str]) -> Iterator[ListEntry | Rejection]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            location = f"{path.name} line {number}"
            try:
                data = json.loads(line)
            except json.JSONDecodeError as error:
                reason = f"not valid JSON at column {error.colno}: {error.msg}"
                yield Rejection(location, reason, line[:200].rstrip())
                continue
            if not isinstance(data, dict) or not data.get("id") or not data.get("schema"):
                yield Rejection(location, "not an entity: no id or schema", line[:200].rstrip())
                continue
            schema = _SCHEMAS.get(str(data["schema"]))
            if schema is None:
                skipped[str(data["schema"])] += 1
                continue
            yield _entry(str(data["id"]), schema, _props(data.get("properties")))


def _props(raw: Any) -> _Props:
    # FtM values are always lists of strings; tolerate a bare string from hand-made files.
    if not isinstance(raw, dict):
        return {}
    props: _Props = {}
    for key, value in raw.items():
        values = value if isinstance(value, list) else [value]
        props[str(key)] = [text for v in values if isinstance(v, str) and (text := clean(v))]
    return props


def _entry(entity_id: str, schema: EntrySchema, props: _Props) -> ListEntry:
    entry = ListEntry(source_id=entity_id, schema=schema)
    _names(entry, props)
    for text in props.get("birthDate", []):
        try:
            entry.birth_dates.append(parse_date(text))
        except ValueError:
            entry.extra["invalid_birthDate"] = text
    entry.birth_places.extend(props.get("birthPlace", []))
    for text in props.get("nationality", []) + props.get("citizenship", []):
        code = to_alpha3(text)
        if code and code not in entry.nationalities:
            entry.nationalities.append(code)
        elif code is None:
            entry.extra["nationality"] = text
    entry.gender = next(
        (_GENDER[g.lower()] for g in props.get("gender", []) if g.lower() in _GENDER), None
    )
    for key, kind in _DOCUMENTS:
        entry.documents.extend(ListedDocument(number, kind) for number in props.get(key, []))
    for key, kind in _IDENTIFIERS:
        entry.identifiers.extend(ListedIdentifier(kind, value) for value in props.get(key, []))
    entry.addresses.extend(props.get("address", []))
    entry.programs.extend(props.get("program", []) + props.get("topics", []))
    entry.remarks = " ".join(props.get("notes", [])) or None
    return entry


def _names(entry: ListEntry, props: _Props) -> None:
    given = " ".join(props.get("firstName", []) + props.get("middleName", [])) or None
    family = " ".join(props.get("lastName", [])) or None
    names = props.get("name", [])
    if not names and (given or family):
        names = [" ".join(p for p in (given, family) if p)]
    for index, full in enumerate(names):
        # FtM lists several equal names; the first is shown as primary, the others as aliases.
        kind = NameKind.PRIMARY if index == 0 else NameKind.ALIAS
        entry.names.append(
            ListedName(full, kind, given if index == 0 else None, family if index == 0 else None)
        )
    for key, kind in _NAME_KINDS:
        entry.names.extend(ListedName(full, kind, quality=key) for full in props.get(key, []))
