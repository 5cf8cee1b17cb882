"""OFAC legacy CSV set: sdn.csv / cons_prim.csv plus alt, add and comments files.

No header, "-0-" for empty, CRLF, a Ctrl-Z line at the end. The primary file is streamed; the
three side files are small (one row per alias or address) and are read into memory keyed by
ent_num, since each primary row needs its rows from them.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path

from firstline.model.watchlist import (
    EntrySchema,
    ListedName,
    ListEntry,
    ListFileInfo,
    NameKind,
    Rejection,
)
from firstline.watchlists import ofac_remarks
from firstline.watchlists.errors import ListFormatError
from firstline.watchlists.text import join_clean

FORMAT = "ofac-csv"
_PRIMARY_NAMES = ("sdn.csv", "cons_prim.csv")
_SIDE_FILES = {"alt": "alt.csv", "add": "add.csv", "comments": "comments.csv"}
_SCHEMAS = {
    "individual": EntrySchema.PERSON,
    "vessel": EntrySchema.VESSEL,
    "aircraft": EntrySchema.UNKNOWN,
}
_ALT_KINDS = {"aka": NameKind.ALIAS, "fka": NameKind.FORMER, "nka": NameKind.ALIAS}
_VESSEL_COLUMNS = ("title", "call_sign", "vessel_type", "tonnage", "gross_tonnage", "flag", "owner")
_Rows = dict[str, list[list[str | None]]]


def read(paths: Sequence[Path]) -> tuple[ListFileInfo, Iterator[ListEntry | Rejection]]:
    """Read the primary file and whichever side files are given or lie beside it."""
    primary = _primary(paths)
    side = {kind: _side_path(paths, primary, suffix) for kind, suffix in _SIDE_FILES.items()}
    info = ListFileInfo(format=FORMAT)
    info.notes.extend(f"no {kind} file found" for kind, path in side.items() if path is None)
    alts, addresses, comments = (_grouped(side[kind]) for kind in ("alt", "add", "comments"))
    return info, _entries(primary, alts, addresses, comments)


def _primary(paths: Sequence[Path]) -> Path:
    named = [p for p in paths if p.name.lower() in _PRIMARY_NAMES]
    if len(named) == 1:
        return named[0]
    others = [p for p in paths if not any(p.name.lower().endswith(s) for s in _SIDE_FILES.values())]
    if len(others) == 1:
        return others[0]
    raise ListFormatError(
        "cannot tell which file is the OFAC primary file",
        expected="one of " + " or ".join(_PRIMARY_NAMES),
        found=", ".join(p.name for p in paths),
    )


def _side_path(paths: Sequence[Path], primary: Path, suffix: str) -> Path | None:
    for path in paths:
        if path.name.lower().endswith(suffix) and path != primary:
            return path
    # OFAC names them "alt.csv" beside "sdn.csv" and "cons_alt.csv" beside "cons_prim.csv";
    # the SDN comments file is "sdn_comments.csv".
    prefix = primary.name.lower().removesuffix("prim.csv") if "prim" in primary.name else ""
    candidates = [f"{prefix}{suffix}", suffix, f"sdn_{suffix}"]
    return next((primary.parent / c for c in candidates if (primary.parent / c).is_file()), None)


def _lines(path: Path) -> Iterator[str]:
    # OFAC files are ASCII, but older copies hold Windows-1252 bytes; decode line by line so a
    # stray byte cannot stop the import.
    with path.open("rb") as handle:
        for raw in handle:
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                yield raw.decode("cp1252", errors="replace")


def _rows(path: Path) -> Iterator[tuple[int, list[str | None]]]:
    reader = csv.reader(_lines(path))
    for row in reader:
        if not row or (len(row) == 1 and row[0].strip() in ("", "\x1a")):
            continue  # the Ctrl-Z end-of-file marker and blank lines
        yield reader.line_num, [_value(cell) for cell in row]


def _value(cell: str) -> str | None:
    text = cell.strip()
    return None if text in ("", "-0-") else text


def _grouped(path: Path | None) -> _Rows:
    grouped: _Rows = defaultdict(list)
    if path is not None:
        for _, row in _rows(path):
            if row and row[0]:
                grouped[row[0]].append(row[1:])
    return grouped


def _entries(
    primary: Path, alts: _Rows, addresses: _Rows, comments: _Rows
) -> Iterator[ListEntry | Rejection]:
    for line, row in _rows(primary):
        if len(row) != 12 or not row[0] or not row[1]:
            yield Rejection(
                location=f"{primary.name} line {line}",
                reason=f"expected 12 columns with ent_num and name, found {len(row)} columns",
                record=(row[0] or "") if row else "",
            )
            continue
        yield _entry(row, alts.get(row[0], []), addresses.get(row[0], []), comments.get(row[0], []))


def _entry(
    row: list[str | None],
    alts: list[list[str | None]],
    addresses: list[list[str | None]],
    comments: list[list[str | None]],
) -> ListEntry:
    ent_num, name = str(row[0]), str(row[1])
    schema = _SCHEMAS.get((row[2] or "").lower(), EntrySchema.ORGANIZATION)
    remarks = "".join([row[11] or "", *(c[0] or "" for c in comments if c)]) or None
    entry = ListEntry(source_id=ent_num, schema=schema, remarks=remarks)
    entry.names.append(_name(name, NameKind.PRIMARY, None, schema))
    entry.programs = [p.strip() for p in (row[3] or "").split("] [") if p.strip()]
    for key, value in zip(_VESSEL_COLUMNS, row[4:11], strict=True):
        if value:
            entry.extra[key] = value
    for alt in alts:
        if len(alt) >= 3 and alt[2]:
            kind = _ALT_KINDS.get((alt[1] or "").lower(), NameKind.ALIAS)
            entry.names.append(_name(alt[2], kind, alt[1], schema))
    entry.addresses.extend(a for add in addresses if (a := join_clean(list(add[1:]))))
    if remarks:
        ofac_remarks.apply(entry, remarks)
    return entry


def _name(text: str, kind: NameKind, quality: str | None, schema: EntrySchema) -> ListedName:
    # Only individuals are written "LAST, First"; a company name may hold a comma of its own.
    if schema is EntrySchema.PERSON and ", " in text:
        family, given = (part.strip() for part in text.split(", ", 1))
        return ListedName(full=text, kind=kind, given=given, family=family, quality=quality)
    return ListedName(full=text, kind=kind, quality=quality)
