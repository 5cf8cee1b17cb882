"""What changed in a list between two of its versions, from the entries' recorded changes.

Each entry's history is the list of its changes (version number, added / changed / removed,
the entry's data as stored with the change). Replaying a history up to a version gives the
entry as that version saw it; comparing two replays says whether the entry was added,
removed or changed between them, and which fields changed. No database here: the store
hands in the histories.

Older versions recorded an addition without its data. When such an entry was never changed
afterwards its current data is the data it was added with; otherwise the data as added is
unknown and a change against it is shown without fields (`before_known` false).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# Fields of a stored ListEntry in the order an analyst reads them; others follow by name.
FIELD_ORDER = (
    "schema",
    "names",
    "birth_dates",
    "birth_places",
    "nationalities",
    "gender",
    "documents",
    "identifiers",
    "addresses",
    "programs",
    "reference",
    "listed_on",
    "valid_from",
    "valid_to",
    "remarks",
    "extra",
)


@dataclass(frozen=True, slots=True)
class Change:
    version: int
    kind: str  # "added", "changed", "removed"
    data: Mapping[str, Any] | None


@dataclass(slots=True)
class EntryHistory:
    entry_id: int
    source_id: str
    name: str | None
    current: Mapping[str, Any]
    changes: Sequence[Change]


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    before: str
    after: str


@dataclass(slots=True)
class EntryDiff:
    entry_id: int
    source_id: str
    name: str | None
    kind: str  # "added", "removed", "changed"
    fields: list[FieldChange] = field(default_factory=list)
    before_known: bool = True


@dataclass(slots=True)
class VersionDiff:
    low: int
    high: int
    added: list[EntryDiff] = field(default_factory=list)
    removed: list[EntryDiff] = field(default_factory=list)
    changed: list[EntryDiff] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _State:
    present: bool
    data: Mapping[str, Any] | None  # None: not known


def state_at(history: EntryHistory, version: int) -> _State:
    """The entry as version `version` of its list saw it."""
    present, data = False, None
    ever_changed = any(c.kind == "changed" for c in history.changes)
    for change in sorted(history.changes, key=lambda c: c.version):
        if change.version > version:
            break
        if change.kind == "removed":
            present = False
        elif change.kind == "added" and change.data is None:
            present, data = True, None if ever_changed else history.current
        else:
            present, data = True, change.data
    return _State(present, data)


def diff_versions(histories: Iterable[EntryHistory], low: int, high: int) -> VersionDiff:
    """Entries added, removed and changed from version `low` to version `high`."""
    if low > high:
        low, high = high, low
    out = VersionDiff(low, high)
    for history in histories:
        before, after = state_at(history, low), state_at(history, high)
        base = (history.entry_id, history.source_id, history.name)
        if after.present and not before.present:
            out.added.append(EntryDiff(*base, "added"))
        elif before.present and not after.present:
            out.removed.append(EntryDiff(*base, "removed"))
        elif before.present and after.present:
            if before.data is None or after.data is None:
                out.changed.append(EntryDiff(*base, "changed", before_known=False))
            elif fields := field_changes(before.data, after.data):
                out.changed.append(EntryDiff(*base, "changed", fields))
    return out


def field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[FieldChange]:
    """The fields whose value differs, each shown as text before and after."""
    keys = [k for k in FIELD_ORDER if k in before or k in after]
    keys += sorted((set(before) | set(after)) - set(FIELD_ORDER) - {"source_id"})
    return [
        FieldChange(key, describe(key, before.get(key)), describe(key, after.get(key)))
        for key in keys
        if _empty(before.get(key)) != _empty(after.get(key))
    ]


def _empty(value: Any) -> Any:
    """Missing, None, "" and empty collections are the same absence."""
    return None if value in (None, "", [], {}) else value


def describe(key: str, value: Any) -> str:
    """A field's value as an analyst reads it."""
    if _empty(value) is None:
        return ""
    if key == "names":
        return "; ".join(_name(n) for n in value)
    if key == "birth_dates":
        return "; ".join(date_text(d) for d in value)
    if key == "documents":
        return "; ".join(_document(d) for d in value)
    if key == "identifiers":
        return "; ".join(f"{i.get('kind')}: {i.get('value')}" for i in value)
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {v}" for k, v in sorted(value.items()))
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def _name(name: Mapping[str, Any]) -> str:
    kind = str(name.get("kind") or "primary").replace("_", " ")
    return f"{name.get('full')} ({kind})"


def _document(document: Mapping[str, Any]) -> str:
    details = ", ".join(str(document[k]) for k in ("type", "country") if document.get(k))
    return f"{document.get('number')}" + (f" ({details})" if details else "")


def date_text(value: Mapping[str, Any]) -> str:
    """A stored ListedDate as the list gives it: 1970, 1970-03, 1970-03-12, 1961-1963."""
    year, month, day = value.get("year"), value.get("month"), value.get("day")
    to_year = value.get("to_year")
    if to_year is not None and to_year != year:
        text = f"{year}-{to_year}"
    elif month is None:
        text = f"{year:04d}"
    elif day is None:
        text = f"{year:04d}-{month:02d}"
    else:
        text = f"{year:04d}-{month:02d}-{day:02d}"
    return f"circa {text}" if value.get("approximate") else text
