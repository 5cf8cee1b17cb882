"""Watchlists, their versions and entries: the SQL side of list management.

An import is a new version of one list: entries are compared with what the same origin (format)
loaded before by their publisher id and a content hash, so a version says what was added,
changed and removed, and each change is kept with the entry's data.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, Text, cast, func, insert, or_, select, update

from firstline.model.watchlist import ListEntry, Rejection
from firstline.model.watchlist_json import content_hash, entry_from_dict, entry_to_dict
from firstline.store.tables import (
    watchlist_changes,
    watchlist_entries,
    watchlist_rejections,
    watchlist_versions,
    watchlists,
)

_BATCH = 2000
MAX_STORED_REJECTIONS = 10_000  # beyond this only the count is kept


@dataclass(slots=True)
class VersionCounts:
    version_id: int
    number: int
    entries: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejections: list[Rejection] = field(default_factory=list)


def get_list(conn: Connection, name: str) -> RowMapping | None:
    return conn.execute(select(watchlists).where(watchlists.c.name == name)).mappings().first()


def create_list(
    conn: Connection,
    *,
    name: str,
    category: str,
    severity: str,
    description: str | None,
    now: datetime,
) -> int:
    result = conn.execute(
        insert(watchlists).values(
            name=name,
            category=category,
            severity=severity,
            description=description,
            active=True,
            created_at=now,
            updated_at=now,
        )
    )
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def set_active(conn: Connection, watchlist_id: int, active: bool, now: datetime) -> None:
    conn.execute(
        update(watchlists)
        .where(watchlists.c.id == watchlist_id)
        .values(active=active, updated_at=now)
    )


def all_lists(conn: Connection) -> list[dict[str, Any]]:
    """Every list with its newest version and count of current entries."""
    current = (
        select(watchlist_entries.c.watchlist_id, func.count().label("entries"))
        .where(watchlist_entries.c.removed_version_id.is_(None))
        .group_by(watchlist_entries.c.watchlist_id)
        .subquery()
    )
    newest = (
        select(
            watchlist_versions.c.watchlist_id,
            func.max(watchlist_versions.c.number).label("version"),
            func.max(watchlist_versions.c.imported_at).label("imported_at"),
        )
        .group_by(watchlist_versions.c.watchlist_id)
        .subquery()
    )
    rows = conn.execute(
        select(
            watchlists,
            func.coalesce(current.c.entries, 0).label("entries"),
            newest.c.version,
            newest.c.imported_at,
        )
        .outerjoin(current, current.c.watchlist_id == watchlists.c.id)
        .outerjoin(newest, newest.c.watchlist_id == watchlists.c.id)
        .order_by(watchlists.c.name)
    ).mappings()
    return [dict(r) for r in rows]


def new_version(
    conn: Connection,
    watchlist_id: int,
    *,
    origin: str,
    files: list[dict[str, Any]] | None,
    published: date | None,
    notes: list[str] | None,
    now: datetime,
) -> VersionCounts:
    number = (
        conn.execute(
            select(func.max(watchlist_versions.c.number)).where(
                watchlist_versions.c.watchlist_id == watchlist_id
            )
        ).scalar()
        or 0
    ) + 1
    result = conn.execute(
        insert(watchlist_versions).values(
            watchlist_id=watchlist_id,
            number=number,
            origin=origin,
            files=files,
            published=published,
            imported_at=now,
            entries=0,
            added=0,
            changed=0,
            removed=0,
            unchanged=0,
            rejected=0,
            notes=notes,
        )
    )
    conn.execute(update(watchlists).where(watchlists.c.id == watchlist_id).values(updated_at=now))
    return VersionCounts(int(result.inserted_primary_key[0]), number)  # type: ignore[index]


def apply_entries(
    conn: Connection,
    watchlist_id: int,
    version: VersionCounts,
    items: Iterable[ListEntry | Rejection],
    *,
    origin: str,
    now: datetime,
    replace: bool = True,
) -> VersionCounts:
    """Load a version's entries; with `replace`, entries of the origin not seen are removed."""
    existing: dict[str, tuple[int, str, int | None]] = {
        row.source_id: (row.id, row.content_hash, row.removed_version_id)
        for row in conn.execute(
            select(
                watchlist_entries.c.id,
                watchlist_entries.c.source_id,
                watchlist_entries.c.content_hash,
                watchlist_entries.c.removed_version_id,
            ).where(
                watchlist_entries.c.watchlist_id == watchlist_id,
                watchlist_entries.c.origin == origin,
            )
        )
    }
    seen: set[str] = set()
    inserts: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, Rejection):
            _reject(conn, version, item)
            continue
        if item.source_id in seen:
            _reject(
                conn,
                version,
                Rejection(
                    f"entry {item.source_id}",
                    "the same id appears twice in this import; the first one was kept",
                    "",
                ),
            )
            continue
        seen.add(item.source_id)
        version.entries += 1
        data = entry_to_dict(item)
        digest = content_hash(data)
        values = {
            "schema": str(item.schema),
            "name": item.primary_name,
            "data": data,
            "content_hash": digest,
            "changed_version_id": version.version_id,
            "removed_version_id": None,
            "valid_from": item.valid_from,
            "valid_to": item.valid_to,
            "updated_at": now,
        }
        known = existing.get(item.source_id)
        if known is None:
            version.added += 1
            inserts.append(
                values
                | {
                    "watchlist_id": watchlist_id,
                    "origin": origin,
                    "source_id": item.source_id,
                    "added_version_id": version.version_id,
                }
            )
            if len(inserts) >= _BATCH:
                _flush_inserts(conn, inserts, version)
        elif known[1] != digest or known[2] is not None:
            version.changed += 1
            conn.execute(
                update(watchlist_entries).where(watchlist_entries.c.id == known[0]).values(values)
            )
            changes.append(
                {
                    "version_id": version.version_id,
                    "entry_id": known[0],
                    "change": "changed",
                    "data": data,
                }
            )
        else:
            version.unchanged += 1
    _flush_inserts(conn, inserts, version)
    if replace:
        gone = [
            entry_id
            for source_id, (entry_id, _digest, removed) in existing.items()
            if source_id not in seen and removed is None
        ]
        for start in range(0, len(gone), _BATCH):
            chunk = gone[start : start + _BATCH]
            conn.execute(
                update(watchlist_entries)
                .where(watchlist_entries.c.id.in_(chunk))
                .values(removed_version_id=version.version_id, updated_at=now)
            )
            changes.extend(
                {"version_id": version.version_id, "entry_id": e, "change": "removed", "data": None}
                for e in chunk
            )
        version.removed = len(gone)
    for start in range(0, len(changes), _BATCH):
        conn.execute(insert(watchlist_changes), changes[start : start + _BATCH])
    conn.execute(
        update(watchlist_versions)
        .where(watchlist_versions.c.id == version.version_id)
        .values(
            entries=version.entries,
            added=version.added,
            changed=version.changed,
            removed=version.removed,
            unchanged=version.unchanged,
            rejected=version.rejected,
        )
    )
    return version


def _flush_inserts(conn: Connection, rows: list[dict[str, Any]], version: VersionCounts) -> None:
    if not rows:
        return
    conn.execute(insert(watchlist_entries), rows)
    ids = conn.execute(
        select(watchlist_entries.c.id, watchlist_entries.c.data).where(
            watchlist_entries.c.added_version_id == version.version_id,
            watchlist_entries.c.source_id.in_([r["source_id"] for r in rows]),
        )
    ).all()
    conn.execute(
        insert(watchlist_changes),
        [
            # The data as added, so that a later change can be shown against it.
            {"version_id": version.version_id, "entry_id": r.id, "change": "added", "data": r.data}
            for r in ids
        ],
    )
    rows.clear()


def _reject(conn: Connection, version: VersionCounts, rejection: Rejection) -> None:
    version.rejected += 1
    if version.rejected <= MAX_STORED_REJECTIONS:
        version.rejections.append(rejection)
        conn.execute(
            insert(watchlist_rejections).values(
                version_id=version.version_id,
                location=rejection.location,
                reason=rejection.reason,
                record=rejection.record[:2000],
            )
        )


def active_entries(
    conn: Connection, *, on: date, list_ids: Sequence[int] | None = None
) -> Iterator[tuple[int, int, ListEntry]]:
    """(entry id, list id, entry) of every current, valid entry of the active lists."""
    query = (
        select(watchlist_entries.c.id, watchlist_entries.c.watchlist_id, watchlist_entries.c.data)
        .join(watchlists, watchlists.c.id == watchlist_entries.c.watchlist_id)
        .where(
            watchlists.c.active.is_(True),
            watchlist_entries.c.removed_version_id.is_(None),
            or_(watchlist_entries.c.valid_from.is_(None), watchlist_entries.c.valid_from <= on),
            or_(watchlist_entries.c.valid_to.is_(None), watchlist_entries.c.valid_to >= on),
        )
        .order_by(watchlist_entries.c.id)
    )
    if list_ids is not None:
        query = query.where(watchlist_entries.c.watchlist_id.in_(list(list_ids)))
    for row in conn.execute(query.execution_options(yield_per=5000)):
        yield row.id, row.watchlist_id, entry_from_dict(row.data)


def lists_state(conn: Connection) -> str:
    """A token that changes whenever what screening sees of the lists changes."""
    versions = conn.execute(select(func.max(watchlist_versions.c.id))).scalar() or 0
    lists = conn.execute(
        select(func.count(), func.max(watchlists.c.updated_at)).where(watchlists.c.active.is_(True))
    ).one()
    return f"v{versions}:l{lists[0]}:{lists[1].isoformat() if lists[1] else '-'}"


def list_metadata(conn: Connection) -> dict[int, RowMapping]:
    return {row.id: row for row in conn.execute(select(watchlists)).mappings()}


def versions(conn: Connection, watchlist_id: int) -> list[RowMapping]:
    return list(
        conn.execute(
            select(watchlist_versions)
            .where(watchlist_versions.c.watchlist_id == watchlist_id)
            .order_by(watchlist_versions.c.number)
        ).mappings()
    )


def version_changes(conn: Connection, version_id: int) -> list[RowMapping]:
    return list(
        conn.execute(
            select(
                watchlist_changes.c.change,
                watchlist_entries.c.source_id,
                watchlist_entries.c.name,
            )
            .join(watchlist_entries, watchlist_entries.c.id == watchlist_changes.c.entry_id)
            .where(watchlist_changes.c.version_id == version_id)
            .order_by(watchlist_changes.c.id)
        ).mappings()
    )


def rejections(conn: Connection, version_id: int) -> list[RowMapping]:
    return list(
        conn.execute(
            select(watchlist_rejections)
            .where(watchlist_rejections.c.version_id == version_id)
            .order_by(watchlist_rejections.c.id)
        ).mappings()
    )


# -- the web's list manager ------------------------------------------------------------------


def list_by_id(conn: Connection, watchlist_id: int) -> RowMapping | None:
    return (
        conn.execute(select(watchlists).where(watchlists.c.id == watchlist_id)).mappings().first()
    )


_ENTRY_COLUMNS = (
    watchlist_entries.c.id,
    watchlist_entries.c.origin,
    watchlist_entries.c.source_id,
    watchlist_entries.c.schema,
    watchlist_entries.c.name,
    watchlist_entries.c.data,
    watchlist_entries.c.valid_from,
    watchlist_entries.c.valid_to,
    watchlist_entries.c.removed_version_id,
)


def current_entries(
    conn: Connection, watchlist_id: int, *, limit: int, offset: int
) -> tuple[list[RowMapping], int]:
    """A page of a list's current entries by name, and how many there are."""
    where = (
        watchlist_entries.c.watchlist_id == watchlist_id,
        watchlist_entries.c.removed_version_id.is_(None),
    )
    total = conn.execute(select(func.count()).select_from(watchlist_entries).where(*where)).scalar()
    rows = conn.execute(
        select(*_ENTRY_COLUMNS)
        .where(*where)
        .order_by(watchlist_entries.c.name, watchlist_entries.c.id)
        .limit(limit)
        .offset(offset)
    ).mappings()
    return list(rows), int(total or 0)


def entry_candidates(
    conn: Connection, watchlist_id: int, text: str, *, limit: int
) -> list[RowMapping]:
    """Current entries whose id or stored data contains `text` (lower case, without spaces and
    dashes, compared with the data likewise folded): a coarse filter the caller refines to
    names and document numbers."""
    escaped = text.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    pattern = f"%{escaped}%"

    def folded(column: Any) -> Any:
        return func.replace(func.replace(func.lower(column), " ", ""), "-", "")

    rows = conn.execute(
        select(*_ENTRY_COLUMNS)
        .where(
            watchlist_entries.c.watchlist_id == watchlist_id,
            watchlist_entries.c.removed_version_id.is_(None),
            or_(
                folded(watchlist_entries.c.source_id).like(pattern, escape="!"),
                folded(cast(watchlist_entries.c.data, Text)).like(pattern, escape="!"),
            ),
        )
        .order_by(watchlist_entries.c.name, watchlist_entries.c.id)
        .limit(limit)
    ).mappings()
    return list(rows)


def entry_by_id(conn: Connection, watchlist_id: int, entry_id: int) -> RowMapping | None:
    return (
        conn.execute(
            select(*_ENTRY_COLUMNS).where(
                watchlist_entries.c.watchlist_id == watchlist_id,
                watchlist_entries.c.id == entry_id,
            )
        )
        .mappings()
        .first()
    )


def entry_changes(conn: Connection, entry_ids: Sequence[int]) -> list[RowMapping]:
    """Every change of these entries with its version's number, date and origin, oldest
    first."""
    if not entry_ids:
        return []
    return list(
        conn.execute(
            select(
                watchlist_changes.c.entry_id,
                watchlist_changes.c.change,
                watchlist_changes.c.data,
                watchlist_versions.c.number,
                watchlist_versions.c.origin,
                watchlist_versions.c.imported_at,
            )
            .join(watchlist_versions, watchlist_versions.c.id == watchlist_changes.c.version_id)
            .where(watchlist_changes.c.entry_id.in_(list(entry_ids)))
            .order_by(watchlist_versions.c.number, watchlist_changes.c.id)
        ).mappings()
    )


def entries_changed_between(
    conn: Connection, watchlist_id: int, after: int, upto: int
) -> list[RowMapping]:
    """Entries (id, source id, name, current data) with a change in versions `after` <
    number <= `upto` of a list."""
    touched = (
        select(watchlist_changes.c.entry_id)
        .join(watchlist_versions, watchlist_versions.c.id == watchlist_changes.c.version_id)
        .where(
            watchlist_versions.c.watchlist_id == watchlist_id,
            watchlist_versions.c.number > after,
            watchlist_versions.c.number <= upto,
        )
    )
    return list(
        conn.execute(
            select(
                watchlist_entries.c.id,
                watchlist_entries.c.source_id,
                watchlist_entries.c.name,
                watchlist_entries.c.data,
            )
            .where(watchlist_entries.c.id.in_(touched))
            .order_by(watchlist_entries.c.name, watchlist_entries.c.id)
        ).mappings()
    )
