"""The generic watchlist CSV documented in docs/watchlists.md (header row, named columns).

It serves hand-made national lists, lost/stolen document lists and the synthetic lists the
traffic generator writes. Columns are found by header name; a column the importer does not know
goes to `extra` so that nothing a list owner wrote is lost.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

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
from firstline.watchlists.documents import normalise_type
from firstline.watchlists.errors import ListFormatError
from firstline.watchlists.text import clean

FORMAT = "csv"
_KNOWN = frozenset(
    "id entry_id name surname given_names aliases date_of_birth nationality gender"
    " document_number document_type document_country issuing_country schema type"
    " valid_from valid_to note phone email card_last_four card_number_synthetic".split()
)
_SCHEMAS = {
    "person": EntrySchema.PERSON,
    "individual": EntrySchema.PERSON,
    "organization": EntrySchema.ORGANIZATION,
    "organisation": EntrySchema.ORGANIZATION,
    "company": EntrySchema.ORGANIZATION,
    "entity": EntrySchema.ORGANIZATION,
    "vessel": EntrySchema.VESSEL,
    "document": EntrySchema.DOCUMENT,
}
_GENDER = {"m": "M", "male": "M", "f": "F", "female": "F"}
_IDENTIFIERS = ("phone", "email", "card_last_four", "card_number_synthetic")
_Row = dict[str, str]


def read(paths: Sequence[Path]) -> tuple[ListFileInfo, Iterator[ListEntry | Rejection]]:
    """Read one or more generic CSV files (each with its own header)."""
    info = ListFileInfo(format=FORMAT)
    for path in paths:
        _check_header(path)
    return info, (item for path in paths for item in _file(path))


def _check_header(path: Path) -> None:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), [])
    columns = {column.strip().lower() for column in header}
    if not columns & {"name", "surname", "document_number"}:
        raise ListFormatError(
            f"{path.name}: header has no name, surname or document_number column",
            line=1,
            expected="a header with name, surname or document_number",
            found=",".join(header)[:200],
        )


def _file(path: Path) -> Iterator[ListEntry | Rejection]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, restval="", restkey="_overflow")
        for raw in reader:
            row = {
                (key or "").strip().lower(): (v if isinstance(v, str) else ";".join(v)).strip()
                for key, v in raw.items()
            }
            yield from _row(row, f"{path.name} line {reader.line_num}")


def _row(row: _Row, location: str) -> Iterator[ListEntry | Rejection]:
    number = row.get("document_number", "")
    names = list(_names(row))
    if not names and not number:
        yield _reject(location, "name", "no name and no document number", row)
        return
    source_id = row.get("id") or row.get("entry_id") or number
    if not source_id:
        yield _reject(location, "id", "no id and no document number to stand for it", row)
        return
    entry = ListEntry(source_id=source_id, schema=_schema(row, names), names=names)
    problems = _fill(entry, row, number)
    yield entry
    # A bad value costs only itself: the entry is imported without it, the value is kept in
    # `extra` for the analyst, and a Rejection tells the administrator where it was.
    for column, value in problems:
        entry.extra[f"invalid_{column}"] = value
        yield Rejection(
            location=f"{location}, column {column}",
            reason=f"{column} not understood; entry {source_id} imported without it",
            record=value,
        )


def _names(row: _Row) -> Iterator[ListedName]:
    family, given = clean(row.get("surname")), clean(row.get("given_names"))
    if name := clean(row.get("name")):
        yield ListedName(full=name, given=given, family=family)
    elif family or given:
        full = " ".join(p for p in (given, family) if p)
        yield ListedName(full=full, given=given, family=family)
    for alias in row.get("aliases", "").split(";"):
        if text := clean(alias):
            yield ListedName(full=text, kind=NameKind.ALIAS)


def _schema(row: _Row, names: list[ListedName]) -> EntrySchema:
    declared = (row.get("schema") or row.get("type") or "").lower()
    if declared:
        return _SCHEMAS.get(declared, EntrySchema.UNKNOWN)
    # A row with only a document number is a lost/stolen list entry: a document, no holder.
    return EntrySchema.PERSON if names else EntrySchema.DOCUMENT


def _fill(entry: ListEntry, row: _Row, number: str) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if text := row.get("date_of_birth"):
        try:
            entry.birth_dates.append(parse_date(text))
        except ValueError:
            problems.append(("date_of_birth", text))
    for value in row.get("nationality", "").split(";"):
        if value.strip():
            if code := to_alpha3(value):
                entry.nationalities.append(code)
            else:
                problems.append(("nationality", value.strip()))
    entry.gender = _GENDER.get(row.get("gender", "").lower())
    if number:
        country = row.get("document_country") or row.get("issuing_country") or ""
        code = to_alpha3(country)
        kind = normalise_type(row.get("document_type"))
        entry.documents.append(
            ListedDocument(number, kind, code, country if country and not code else None)
        )
    entry.identifiers.extend(ListedIdentifier(k, row[k]) for k in _IDENTIFIERS if row.get(k))
    for column in ("valid_from", "valid_to"):
        if text := row.get(column):
            try:
                setattr(entry, column, date.fromisoformat(text))
            except ValueError:
                problems.append((column, text))
    entry.remarks = clean(row.get("note"))
    entry.extra.update({k: v for k, v in row.items() if k not in _KNOWN and v})
    return problems


def _reject(location: str, column: str, reason: str, row: _Row) -> Rejection:
    # The record is stored for the administrator, never logged.
    record = ",".join(f"{key}={value}" for key, value in row.items() if value)
    return Rejection(location=f"{location}, column {column}", reason=reason, record=record[:300])
