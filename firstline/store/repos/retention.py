"""How much stored data is older than given ages: the data-retention status."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Connection, Table, func, select

from firstline.store.tables import bookings, messages, travellers

# What each kind of data is dated by: when it reached firstline.
DATED: dict[str, tuple[Table, Column[datetime]]] = {
    "travellers": (travellers, travellers.c.created_at),
    "bookings": (bookings, bookings.c.created),
    "messages": (messages, messages.c.received_at),
}


def counts_older_than(conn: Connection, cutoffs: list[datetime]) -> dict[str, list[int]]:
    """Per kind of data: the total, then how many rows are older than each cutoff."""
    out: dict[str, list[int]] = {}
    for name, (table, column) in DATED.items():
        total = int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        older = [
            int(conn.execute(select(func.count()).where(column < cutoff)).scalar_one())
            for cutoff in cutoffs
        ]
        out[name] = [total, *older]
    return out
