"""Managing watchlists: create, import a published file as a new version, add manual entries.

Shared by the command line and (later) the web interface. An import that yields no entry at
all changes nothing: a wrong `--format` or an empty download must not empty a list.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from firstline.exc import FirstlineError
from firstline.logs import get_logger
from firstline.model.watchlist import ListEntry, ListFileInfo, Rejection
from firstline.store.db import Store
from firstline.store.repos import cases as case_repo
from firstline.store.repos import watchlists as repo
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
) -> ImportReport:
    """Import published files as a new version of list `name` (created if new)."""
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
        for item in items:
            if isinstance(item, ListEntry):
                counted += 1
                if progress is not None and counted % 500 == 0:
                    progress(counted)
            yield item

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
