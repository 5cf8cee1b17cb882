"""Builders for synthetic watchlist entries used by the screening tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from firstline.model.watchlist import (
    EntrySchema,
    ListedDate,
    ListedDocument,
    ListedName,
    ListEntry,
)

EntryFactory = Callable[..., ListEntry]


def entry(
    source_id: str,
    *names: str | ListedName,
    documents: Sequence[tuple[str, str | None]] = (),
    birth_dates: Sequence[ListedDate] = (),
    nationalities: Sequence[str] = (),
    gender: str | None = None,
) -> ListEntry:
    """A person entry; plain strings become primary names without roles."""
    return ListEntry(
        source_id=source_id,
        schema=EntrySchema.PERSON,
        names=[ListedName(n) if isinstance(n, str) else n for n in names],
        documents=[ListedDocument(number, country=country) for number, country in documents],
        birth_dates=list(birth_dates),
        nationalities=list(nationalities),
        gender=gender,
    )


@pytest.fixture
def make_entry() -> EntryFactory:
    return entry
