"""Managing watchlists: create, import a published file as a new version, add manual entries.

Shared by the command line and (later) the web interface. An import that yields no entry at
all changes nothing: a wrong `--format` or an empty download must not empty a list.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from firstline.cases.access import Actor
from firstline.exc import FirstlineError, InvalidRequestError, NotFoundError
from firstline.logs import get_logger
from firstline.model.watchlist import (
    EntrySchema,
    ListedDocument,
    ListedName,
    ListEntry,
    ListFileInfo,
    Rejection,
)
from firstline.services import audit
from firstline.store.db import Store
from firstline.store.repos import cases as case_repo
from firstline.store.repos import watchlists as repo
from firstline.watchlists.countries import to_alpha3
from firstline.watchlists.dates import parse_date
from firstline.watchlists.diff import Change, EntryHistory, VersionDiff, date_text, diff_versions
from firstline.watchlists.formats import FORMATS, read_list

log = get_logger(__name__)

CATEGORIES = (
    "terrorism",
    "sanctions",
    "lost_stolen",
    "wanted",
    "missing",
    "drugs",
    "smuggling",
    "fraud",
    "other",
)
SEVERITIES = ("high", "medium", "low")


class WatchlistError(FirstlineError):
    """A list operation that cannot be done as asked (unknown list, empty import ...)."""

    code = "watchlist_error"
    http_status = 422
    exit_code = 2


@dataclass(slots=True)
class ImportReport:
    list_name: str
    version: int
    format: str
    info: ListFileInfo
    entries: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejections: list[Rejection] = field(default_factory=list)


def ensure_list(
    store: Store,
    name: str,
    *,
    category: str | None = None,
    severity: str | None = None,
    description: str | None = None,
) -> int:
    """The id of list `name`, created with the given category and severity if new."""
    _check(category, severity)
    with store.begin() as conn:
        return _list_id(conn, name, category, severity, description)


def _check(category: str | None, severity: str | None) -> None:
    if category is not None and category not in CATEGORIES:
        raise WatchlistError(f"unknown category {category!r}; use one of: {', '.join(CATEGORIES)}")
    if severity is not None and severity not in SEVERITIES:
        raise WatchlistError(f"unknown severity {severity!r}; use one of: {', '.join(SEVERITIES)}")


def _list_id(
    conn: Connection,
    name: str,
    category: str | None,
    severity: str | None,
    description: str | None = None,
) -> int:
    row = repo.get_list(conn, name)
    if row is not None:
        return int(row["id"])
    return repo.create_list(
        conn,
        name=name,
        category=category or "other",
        severity=severity or "medium",
        description=description,
        now=datetime.now(UTC),
    )


def _files(paths: Sequence[Path]) -> list[dict[str, Any]]:
    out = []
    for path in paths:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        out.append({"name": path.name, "sha256": digest.hexdigest(), "bytes": path.stat().st_size})
    return out


def import_list(
    store: Store,
    name: str,
    paths: Sequence[Path],
    format_name: str,
    *,
    category: str | None = None,
    severity: str | None = None,
    progress: Callable[[int], None] | None = None,
    on_phase: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import published files as a new version of list `name` (created if new).

    `progress` is told the entries read so far (every 500 and at the end); `on_phase`, when
    given, is told "reading" (and comparing each entry with the stored one), "comparing"
    (finding the entries no longer published) and "storing" (writing the version).
    """
    phase = on_phase or (lambda _name: None)
    if format_name not in FORMATS:
        raise WatchlistError(
            f"unknown list format {format_name!r}; use one of: {', '.join(sorted(FORMATS))}"
        )
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise WatchlistError(f"no such file: {', '.join(missing)}")
    _check(category, severity)
    info, items = read_list(list(paths), format_name)
    now = datetime.now(UTC)
    files = _files(paths)
    counted = 0

    def counting() -> Iterator[ListEntry | Rejection]:
        nonlocal counted
        phase("reading")
        for item in items:
            if isinstance(item, ListEntry):
                counted += 1
                if progress is not None and counted % 500 == 0:
                    progress(counted)
            yield item
        phase("comparing")

    # One transaction, streamed: an import that yields no entry rolls back (a new list
    # included), so a wrong `--format` or an empty download never empties or creates a list.
    with store.begin() as conn:
        watchlist_id = _list_id(conn, name, category, severity)
        version = repo.new_version(
            conn,
            watchlist_id,
            origin=format_name,
            files=files,
            published=info.published,
            notes=info.notes or None,
            now=now,
        )
        repo.apply_entries(conn, watchlist_id, version, counting(), origin=format_name, now=now)
        phase("storing")
        if version.entries == 0:
            reasons = "; ".join(r.reason for r in version.rejections[:3])
            raise WatchlistError(
                f"no entry could be read from {', '.join(p.name for p in paths)} as "
                f"{format_name}"
                + (f" ({reasons})" if reasons else "")
                + "; the list was not changed"
            )
    if progress is not None:
        progress(counted)
    log.info(
        "watchlist_imported",
        watchlist_id=watchlist_id,
        version=version.number,
        entries=version.entries,
        added=version.added,
        changed=version.changed,
        removed=version.removed,
        rejected=version.rejected,
    )
    return ImportReport(
        list_name=name,
        version=version.number,
        format=format_name,
        info=info,
        entries=version.entries,
        added=version.added,
        changed=version.changed,
        removed=version.removed,
        unchanged=version.unchanged,
        rejected=version.rejected,
        rejections=version.rejections,
    )


def add_entry(store: Store, name: str, entry: ListEntry) -> int:
    """Add (or replace) one manual entry of list `name`: a version of its own."""
    now = datetime.now(UTC)
    with store.begin() as conn:
        row = repo.get_list(conn, name)
        if row is None:
            raise WatchlistError(f"no list named {name!r}")
        version = repo.new_version(
            conn, int(row["id"]), origin="manual", files=None, published=None, notes=None, now=now
        )
        repo.apply_entries(
            conn, int(row["id"]), version, iter([entry]), origin="manual", now=now, replace=False
        )
        return version.number


def lists(store: Store) -> list[dict[str, Any]]:
    """Lists with their current version and what the port found on their confirmed hits."""
    with store.connect() as conn:
        rows = repo.all_lists(conn)
        outcomes: dict[int, dict[str, int]] = {}
        for found in case_repo.outcome_counts(conn):
            if found["source"] == "watchlist":
                list_id = int(str(found["source_key"]).split(":")[1])
                bucket = outcomes.setdefault(list_id, {})
                bucket[found["outcome"]] = bucket.get(found["outcome"], 0) + int(found["n"])
    for row in rows:
        row["outcomes"] = outcomes.get(int(row["id"]), {})
    return rows


def history(store: Store, name: str) -> Iterator[dict[str, Any]]:
    """Versions of a list, newest last, each with its changes and rejections."""
    with store.connect() as conn:
        row = repo.get_list(conn, name)
        if row is None:
            raise WatchlistError(f"no list named {name!r}")
        for version in repo.versions(conn, int(row["id"])):
            yield dict(version) | {
                "changes": [dict(c) for c in repo.version_changes(conn, int(version["id"]))],
                "rejections": [dict(r) for r in repo.rejections(conn, int(version["id"]))],
            }


def set_active(store: Store, name: str, active: bool) -> None:
    with store.begin() as conn:
        row = repo.get_list(conn, name)
        if row is None:
            raise WatchlistError(f"no list named {name!r}")
        repo.set_active(conn, int(row["id"]), active, datetime.now(UTC))


# -- the web's list manager: lists by id, entries, manual entries, versions, audit ------------

ENTRY_SEARCH_LIMIT = 5000  # candidates read for one search; more means "narrow the search"


def validity(valid_from: date | None, valid_to: date | None, today: date) -> str:
    """ "valid", "expired" or "not_yet_valid" on `today`."""
    if valid_to is not None and valid_to < today:
        return "expired"
    if valid_from is not None and valid_from > today:
        return "not_yet_valid"
    return "valid"


def list_by_id(store: Store, list_id: int) -> dict[str, Any]:
    with store.connect() as conn:
        row = repo.list_by_id(conn, list_id)
    if row is None:
        raise NotFoundError(f"no watchlist {list_id}")
    return dict(row)


def create_list(
    store: Store,
    actor: Actor,
    *,
    name: str,
    category: str,
    severity: str,
    description: str | None = None,
    client: str | None = None,
) -> int:
    """A new, empty, active list; a name already in use is refused."""
    name = " ".join(name.split())
    if not name:
        raise WatchlistError("give the list a name")
    _check(category, severity)
    with store.begin() as conn:
        if repo.get_list(conn, name) is not None:
            raise WatchlistError(f"a list named {name!r} already exists")
        list_id = _list_id(conn, name, category, severity, description or None)
        audit.record(
            conn, actor, "watchlist_create", object_type="watchlist", object_id=list_id,
            detail={"name": name, "category": category, "severity": severity}, client=client,
        )  # fmt: skip
    return list_id


def set_list_active(
    store: Store, actor: Actor, list_id: int, active: bool, *, client: str | None = None
) -> None:
    """Switch screening against a list on or off (its entries and history stay)."""
    with store.begin() as conn:
        if repo.list_by_id(conn, list_id) is None:
            raise NotFoundError(f"no watchlist {list_id}")
        repo.set_active(conn, list_id, active, datetime.now(UTC))
        audit.record(
            conn, actor, "watchlist_activate" if active else "watchlist_deactivate",
            object_type="watchlist", object_id=list_id, client=client,
        )  # fmt: skip


def _entry_row(row: Any, today: date) -> dict[str, Any]:
    data = row["data"]
    return {
        "id": int(row["id"]),
        "source_id": row["source_id"],
        "origin": row["origin"],
        "schema": row["schema"],
        "name": row["name"],
        "aliases": [n["full"] for n in data.get("names", []) if n.get("kind") != "primary"],
        "birth_dates": [date_text(d) for d in data.get("birth_dates", [])],
        "nationalities": list(data.get("nationalities", [])),
        "documents": [d["number"] for d in data.get("documents", [])],
        "valid_from": row["valid_from"],
        "valid_to": row["valid_to"],
        "validity": validity(row["valid_from"], row["valid_to"], today),
        "removed": row["removed_version_id"] is not None,
    }


def _folded(text: str) -> str:
    return "".join(text.split()).replace("-", "").casefold()


def entry_matches(data: dict[str, Any], text: str) -> bool:
    """Whether `text` is part of an entry's publisher id, one of its names or one of its
    document numbers (case, spaces and dashes ignored)."""
    wanted = _folded(text)
    if not wanted:
        return True
    names = data.get("names", [])
    values = [data.get("source_id") or ""]
    values += [n.get(k) or "" for n in names for k in ("full", "given", "family")]
    values += [d.get("number") or "" for d in data.get("documents", [])]
    return any(wanted in _folded(str(v)) for v in values)


def search_entries(
    store: Store,
    actor: Actor,
    list_id: int,
    *,
    text: str = "",
    today: date,
    limit: int = 50,
    offset: int = 0,
    client: str | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """A page of a list's current entries, or of those matching `text` (name, publisher id,
    document number). A search is audited with its terms."""
    text = text.strip()
    with store.begin() as conn:
        if repo.list_by_id(conn, list_id) is None:
            raise NotFoundError(f"no watchlist {list_id}")
        if not text:
            rows, total = repo.current_entries(conn, list_id, limit=limit, offset=offset)
            return [_entry_row(r, today) for r in rows], total
        candidates = repo.entry_candidates(conn, list_id, _folded(text), limit=ENTRY_SEARCH_LIMIT)
        found = [r for r in candidates if entry_matches(r["data"], text)]
        audit.record(
            conn, actor, "watchlist_search", object_type="watchlist", object_id=list_id,
            detail={"terms": text, "found": len(found)}, client=client,
        )  # fmt: skip
    return [_entry_row(r, today) for r in found[offset : offset + limit]], len(found)


def entry_detail(
    store: Store,
    actor: Actor,
    list_id: int,
    entry_id: int,
    *,
    today: date,
    client: str | None = None,
) -> dict[str, Any]:
    """One entry with every name, date, document and the versions that added or changed it.
    Audited as a view."""
    with store.begin() as conn:
        row = repo.entry_by_id(conn, list_id, entry_id)
        if row is None:
            raise NotFoundError(f"no entry {entry_id} in watchlist {list_id}")
        changes = [
            {k: c[k] for k in ("change", "number", "origin", "imported_at")}
            for c in repo.entry_changes(conn, [entry_id])
        ]
        audit.record(
            conn, actor, "view", object_type="watchlist_entry", object_id=entry_id,
            detail={"watchlist": list_id}, client=client,
        )  # fmt: skip
    return _entry_row(row, today) | {"data": row["data"], "changes": changes}


def manual_entry(
    *,
    entry_id: str | None,
    surname: str | None,
    given_names: str | None,
    date_of_birth: str | None = None,
    nationality: str | None = None,
    document: str | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
    note: str | None = None,
) -> ListEntry:
    """A manual entry from what an officer typed, each mistake said in words."""
    surname, given_names = _clean(surname), _clean(given_names)
    document = _clean(document)
    if not surname and not given_names and not document:
        raise InvalidRequestError("give a surname, given names or a document number")
    if valid_from and valid_to and valid_to < valid_from:
        raise InvalidRequestError("the entry cannot end before it starts: check valid from/to")
    names = []
    if surname or given_names:
        full = " ".join(p for p in (given_names, surname) if p)
        names.append(ListedName(full, given=given_names, family=surname))
    births = []
    if text := _clean(date_of_birth):
        try:
            births.append(parse_date(text))
        except ValueError as exc:
            raise InvalidRequestError(
                f"date of birth {text!r}: use YYYY-MM-DD, YYYY-MM or YYYY"
            ) from exc
    nationalities = []
    if text := _clean(nationality):
        code = to_alpha3(text)
        if code is None:
            raise InvalidRequestError(f"nationality {text!r}: give a country name or ISO code")
        nationalities.append(code)
    return ListEntry(
        source_id=_clean(entry_id) or f"manual-{secrets.token_hex(4)}",
        schema=EntrySchema.PERSON if names else EntrySchema.DOCUMENT,
        names=names,
        birth_dates=births,
        nationalities=nationalities,
        documents=[ListedDocument(document)] if document else [],
        valid_from=valid_from,
        valid_to=valid_to,
        remarks=_clean(note),
    )


def _clean(text: str | None) -> str | None:
    return " ".join(text.split()) or None if text else None


def add_manual_entry(
    store: Store, actor: Actor, list_id: int, entry: ListEntry, *, client: str | None = None
) -> int:
    """Add a manual entry to a list as a version of its own (as `firstline watchlist add`);
    the caller re-screens. Audited."""
    listed = list_by_id(store, list_id)
    version = add_entry(store, str(listed["name"]), entry)
    audit.log(
        store, actor, "watchlist_entry_add", object_type="watchlist", object_id=list_id,
        detail={"entry": entry.source_id, "version": version}, client=client,
    )  # fmt: skip
    return version


def audit_import(
    store: Store, actor: Actor, list_id: int, report: ImportReport, *, client: str | None = None
) -> None:
    audit.log(
        store, actor, "watchlist_import", object_type="watchlist", object_id=list_id,
        detail={
            "version": report.version, "format": report.format, "entries": report.entries,
            "added": report.added, "changed": report.changed, "removed": report.removed,
            "rejected": report.rejected,
        },
        client=client,
    )  # fmt: skip


def list_versions(store: Store, list_id: int) -> list[dict[str, Any]]:
    """A list's versions, newest first, with their counts and files."""
    with store.connect() as conn:
        if repo.list_by_id(conn, list_id) is None:
            raise NotFoundError(f"no watchlist {list_id}")
        return [dict(v) for v in reversed(repo.versions(conn, list_id))]


def version_rejections(store: Store, list_id: int, number: int) -> list[dict[str, Any]]:
    """The records a version could not read: location, reason, raw record."""
    with store.connect() as conn:
        for version in repo.versions(conn, list_id):
            if int(version["number"]) == number:
                return [dict(r) for r in repo.rejections(conn, int(version["id"]))]
    raise NotFoundError(f"no version {number} of watchlist {list_id}")


def compare_versions(store: Store, list_id: int, low: int, high: int) -> VersionDiff:
    """Entries added, removed and changed between two versions of a list."""
    low, high = min(low, high), max(low, high)
    with store.connect() as conn:
        if repo.list_by_id(conn, list_id) is None:
            raise NotFoundError(f"no watchlist {list_id}")
        rows = repo.entries_changed_between(conn, list_id, low, high)
        changes: dict[int, list[Change]] = {}
        for c in repo.entry_changes(conn, [int(r["id"]) for r in rows]):
            changes.setdefault(int(c["entry_id"]), []).append(
                Change(int(c["number"]), str(c["change"]), c["data"])
            )
    histories = [
        EntryHistory(int(r["id"]), str(r["source_id"]), r["name"], r["data"],
                     changes.get(int(r["id"]), []))
        for r in rows
    ]  # fmt: skip
    return diff_versions(histories, low, high)
