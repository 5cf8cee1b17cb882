"""Person identity across flights: which per-flight travellers are one person, and why.

Each traveller is linked to a person as they arrive: by the same travel document (number and
issuing country), else by the same date of birth and a name the screening matcher scores 0.9
or more (so MUELLER/MÜLLER and swapped given and family names still meet), else as a new
person. Every link keeps its reason and score. Analysts merge and split; their decisions are
recorded append-only and never undone by the automatic linking (which only links travellers
not linked yet).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from firstline.store.db import Store
from firstline.store.repos import identity as repo
from firstline.store.repos.identity import IdentitySummary

__all__ = ["IdentitySummary", "decisions", "history", "merge", "resolve", "split"]


def resolve(store: Store, flight_ids: Sequence[int] | None = None) -> IdentitySummary:
    with store.begin() as conn:
        return repo.resolve(conn, flight_ids)


def history(store: Store, traveller_id: int) -> dict[str, Any]:
    with store.connect() as conn:
        return repo.history(conn, traveller_id)


def merge(store: Store, keep: int, other: int, note: str | None = None) -> int:
    with store.begin() as conn:
        return repo.merge(conn, keep, other, note)


def split(store: Store, traveller_id: int, note: str | None = None) -> int:
    with store.begin() as conn:
        return repo.split(conn, traveller_id, note)


def decisions(store: Store) -> list[dict[str, Any]]:
    with store.connect() as conn:
        return repo.decisions(conn)
