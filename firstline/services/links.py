"""Link analysis as analysts use it: a traveller's network, and links to listed persons.

A traveller who does not match any list by name may still book with a listed person's phone,
e-mail or card: that shared identifier is a hit of its own (source "link"), raised as messages
arrive, like screening and rules. The network of a traveller (`firstline links`) is walked
over the store's data for the flights asked about, with very common identifiers damped.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from firstline.exc import InvalidRequestError, NotFoundError
from firstline.graph.details import detail_pivots, sequences
from firstline.graph.export import FORMATS, write_ftm, write_graphml, write_neo4j
from firstline.graph.network import Link, LinkGraph
from firstline.graph.pivots import (
    WORDS,
    Pivot,
    card_pivot,
    document_pivot,
    email_pivot,
    phone_pivot,
)
from firstline.store.db import Store
from firstline.store.repos import hits as hit_repo
from firstline.store.repos import links as link_repo
from firstline.store.repos import watchlists as list_repo

# A shared card is near-certain: fingerprints are exact. A phone or e-mail may be a family's
# or an office's.
LINK_SCORES = {"card": 0.9, "phone": 0.8, "email": 0.8, "document": 0.95}


@dataclass(frozen=True, slots=True)
class ListedPivot:
    list_id: int
    list_name: str
    category: str
    severity: str
    entry_id: int
    source_id: str
    name: str | None


@dataclass(slots=True)
class LinkSummary:
    travellers: int = 0
    new_hits: int = 0
    withdrawn_hits: int = 0
    seconds: float = 0.0


def traveller_pivot(kind: str, value: str, country: str | None) -> Pivot | None:
    """A stored identifier as a pivot (cards are stored as fingerprints already)."""
    if kind == "card":
        return Pivot("card", value)
    if kind == "document":
        return document_pivot(value, country)
    return Pivot(kind, value) if value else None


class LinkDetector:
    """Finds travellers sharing an identifier with a listed person; one per process."""

    def __init__(self, store: Store, *, card_key: bytes) -> None:
        self.store = store
        self.card_key = card_key
        self._cached: tuple[str, dict[Pivot, list[ListedPivot]]] | None = None

    def _listed(self, conn: Connection) -> dict[Pivot, list[ListedPivot]]:
        state = list_repo.lists_state(conn)
        if self._cached is not None and self._cached[0] == state:
            return self._cached[1]
        meta = list_repo.list_metadata(conn)
        found: dict[Pivot, list[ListedPivot]] = {}
        on = datetime.now(UTC).date()
        for entry_id, list_id, entry in list_repo.active_entries(conn, on=on):
            pivots: list[Pivot | None] = []
            for ident in entry.identifiers:
                kind = ident.kind.lower()
                if kind == "phone":
                    pivots.append(phone_pivot(ident.value))
                elif kind == "email":
                    pivots.append(email_pivot(ident.value))
                elif kind in ("card_number_synthetic", "card_number", "card"):
                    pivots.append(card_pivot(ident.value, self.card_key))
            if not pivots:
                continue
            listed = ListedPivot(
                list_id=list_id,
                list_name=str(meta[list_id]["name"]),
                category=str(meta[list_id]["category"]),
                severity=str(meta[list_id]["severity"]),
                entry_id=entry_id,
                source_id=entry.source_id,
                name=entry.primary_name,
            )
            for pivot in pivots:
                if pivot is not None:
                    found.setdefault(pivot, []).append(listed)
        self._cached = (state, found)
        return found

    def evaluate_flights(self, flight_ids: Sequence[int]) -> LinkSummary:
        started = time.perf_counter()
        summary = LinkSummary()
        now = datetime.now(UTC)
        with self.store.begin() as conn:
            listed = self._listed(conn)
            if not listed:
                return summary
            held: dict[int, set[Pivot]] = {}
            travellers: set[int] = set()
            for traveller, kind, value, country in link_repo.identifier_rows(conn, flight_ids):
                travellers.add(traveller)
                pivot = traveller_pivot(kind, value, country)
                if pivot is not None and pivot in listed:
                    held.setdefault(traveller, set()).add(pivot)
            flights = link_repo.flight_of(conn, list(held)) if held else {}
            found = [
                _hit(traveller, flights[traveller], pivot, entry)
                for traveller, pivots in held.items()
                for pivot in pivots
                for entry in listed[pivot]
            ]
            changes = hit_repo.record_hits(conn, sorted(travellers), found, source="link", now=now)
        summary.travellers = len(travellers)
        summary.new_hits = changes.new
        summary.withdrawn_hits = changes.withdrawn
        summary.seconds = time.perf_counter() - started
        return summary


def _hit(traveller: int, flight: int, pivot: Pivot, entry: ListedPivot) -> hit_repo.NewHit:
    words = WORDS[pivot.kind]
    who = entry.name or entry.source_id
    summary = [
        f"The booking uses the same {words} as {who} on list '{entry.list_name}' "
        f"(entry {entry.source_id}).",
        f"Shared {words}: {pivot.shown()}.",
    ]
    return hit_repo.NewHit(
        traveller_id=traveller,
        flight_id=flight,
        source="link",
        source_key=f"link:{entry.list_id}:{entry.entry_id}:{pivot.kind}",
        title=f"{entry.list_name}: shares a {words} with {who}",
        category=entry.category,
        severity=entry.severity,
        score=LINK_SCORES[pivot.kind],
        explanation={
            "algorithm": "firstline-links-v1",
            "pivot": pivot.kind,
            "shown": pivot.shown(),
            "list": entry.list_name,
            "entry_id": entry.entry_id,
            "source_id": entry.source_id,
            "summary": summary,
        },
        watchlist_id=entry.list_id,
        entry_id=entry.entry_id,
    )


def network(
    store: Store,
    traveller_id: int,
    *,
    hops: int = 2,
    flight_ids: Sequence[int] | None = None,
    common_cap: int = 25,
) -> dict[str, Any]:
    """A traveller's connections within `hops`, and the identifiers too common to follow."""
    with store.connect() as conn:
        if not link_repo.flight_of(conn, [traveller_id]):
            raise NotFoundError(f"no traveller {traveller_id} (see firstline travellers)")
    graph = build_graph(store, flight_ids=flight_ids, common_cap=common_cap)
    links: list[Link] = graph.neighbourhood(traveller_id, hops)
    own = graph.pivots_of.get(traveller_id, set())
    return {
        "traveller_id": traveller_id,
        "hops": hops,
        "links": [
            {
                "traveller_id": link.traveller_id,
                "hops": link.hops,
                "via": link.via,
                "value": link.via_value,
            }
            for link in links
        ],  # fmt: skip
        "damped": [
            {"kind": p.kind, "value": p.shown(), "travellers": len(graph.holders[p])}
            for p in own
            if graph.damped(p)
        ],
    }


def build_graph(
    store: Store, *, flight_ids: Sequence[int] | None = None, common_cap: int = 25
) -> LinkGraph:
    """The link graph over the stored travellers of these flights (all when None)."""
    with store.connect() as conn:
        pivots = [
            (t, p)
            for t, kind, value, country in link_repo.identifier_rows(conn, flight_ids)
            if (p := traveller_pivot(kind, value, country)) is not None
        ]
        # Agencies join the graph as pivots (damped when large); they are not identifiers a
        # traveller "shares" in rule facts.
        pivots += [(t, Pivot("agency", a)) for t, a in link_repo.agency_rows(conn, flight_ids)]
        details = list(link_repo.detail_rows(conn, flight_ids))
        pivots += [pair for t, _f, d in details for pair in detail_pivots(t, d)]
        graph = LinkGraph.build(
            pivots, link_repo.booking_rows(conn, flight_ids), common_cap=common_cap
        )
        graph.add_seats(link_repo.seat_rows(conn, flight_ids))
        graph.add_sequences(sequences(details))
        return graph


def export_graph(
    store: Store, format_name: str, path: Path, *, flight_ids: Sequence[int] | None = None
) -> tuple[int, int]:
    """Write the link graph as GraphML, Neo4j import CSVs (a folder) or FtM JSON lines."""
    graph = build_graph(store, flight_ids=flight_ids)
    if format_name == "graphml":
        return write_graphml(graph, path)
    if format_name == "neo4j":
        return write_neo4j(graph, path)
    if format_name == "ftm":
        return write_ftm(graph, path)
    raise InvalidRequestError(
        f"unknown graph format {format_name!r}; use one of {', '.join(FORMATS)}"
    )


def connection(store: Store, start: int, goal: int) -> list[dict[str, Any]] | None:
    """The shortest chain of shared bookings, seats and identifiers between two travellers."""
    with store.connect() as conn:
        known = link_repo.flight_of(conn, [start, goal])
    missing = [t for t in (start, goal) if t not in known]
    if missing:
        raise NotFoundError(f"no traveller {missing[0]} (see firstline travellers)")
    path = build_graph(store).shortest_path(start, goal)
    if path is None:
        return None
    return [
        {"traveller_id": link.traveller_id, "hops": link.hops, "via": link.via,
         "value": link.via_value}
        for link in path
    ]  # fmt: skip
