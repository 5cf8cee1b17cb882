"""List entries to and from plain JSON values (stored whole; hashed to detect changes)."""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from datetime import date
from typing import Any

import orjson

from firstline.model.watchlist import (
    EntrySchema,
    ListedDate,
    ListedDocument,
    ListedIdentifier,
    ListedName,
    ListEntry,
    NameKind,
)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def entry_to_dict(entry: ListEntry) -> dict[str, Any]:
    data = asdict(entry)
    for key in ("listed_on", "valid_from", "valid_to"):
        value = data[key]
        data[key] = value.isoformat() if value else None
    data["schema"] = str(entry.schema)
    for name in data["names"]:
        name["kind"] = str(name["kind"])
        name["parts"] = list(name["parts"])
    return data


def entry_from_dict(data: dict[str, Any]) -> ListEntry:
    return ListEntry(
        source_id=data["source_id"],
        schema=EntrySchema(data["schema"]),
        names=[
            ListedName(
                full=n["full"],
                kind=NameKind(n["kind"]),
                given=n.get("given"),
                family=n.get("family"),
                parts=tuple(n.get("parts") or ()),
                quality=n.get("quality"),
                script=n.get("script"),
            )
            for n in data.get("names", [])
        ],
        birth_dates=[ListedDate(**d) for d in data.get("birth_dates", [])],
        birth_places=list(data.get("birth_places", [])),
        nationalities=list(data.get("nationalities", [])),
        gender=data.get("gender"),
        documents=[ListedDocument(**d) for d in data.get("documents", [])],
        identifiers=[ListedIdentifier(**i) for i in data.get("identifiers", [])],
        addresses=list(data.get("addresses", [])),
        programs=list(data.get("programs", [])),
        reference=data.get("reference"),
        listed_on=_date(data.get("listed_on")),
        valid_from=_date(data.get("valid_from")),
        valid_to=_date(data.get("valid_to")),
        remarks=data.get("remarks"),
        extra=dict(data.get("extra", {})),
    )


def content_hash(data: dict[str, Any]) -> str:
    """Hash of an entry's content, independent of key order."""
    return hashlib.sha256(orjson.dumps(data, option=orjson.OPT_SORT_KEYS)).hexdigest()
