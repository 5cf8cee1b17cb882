"""Screening travellers against the active watchlists, in the ingest flow and on demand.

The matcher is built in memory from the current entries of the active lists and rebuilt when
their state changes (a new version, a list switched on or off). Each traveller is screened when
first loaded, again when a later message changes them, and again when the lists change while
their flight has not yet arrived. Results are stored as hits, one per traveller and list entry.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection

from firstline.logs import get_logger
from firstline.screening.matcher import Match, Matcher, Query
from firstline.store.db import Store
from firstline.store.repos import hits as hit_repo
from firstline.store.repos import watchlists as list_repo

log = get_logger(__name__)

# The alert threshold, chosen from bench/screening_quality.py (docs/screening.md says why).
DEFAULT_THRESHOLD = 0.70
HITS_PER_TRAVELLER = 5
# A traveller's name is screened against people (and entries of unknown kind), never against
# companies or vessels; a document number is screened against every entry holding it.
TRAVELLER_SCHEMAS = frozenset({"person", "unknown"})


@dataclass(slots=True)
class ScreeningSummary:
    screened: int = 0
    new_hits: int = 0
    updated_hits: int = 0
    withdrawn_hits: int = 0
    seconds: float = 0.0
    lists_state: str = ""


@dataclass(slots=True)
class ListedMatch:
    """A match with what the analyst needs of its list."""

    match: Match
    list_name: str
    category: str
    severity: str
    entry_id: int
    entry_name: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class Screener:
    """Holds the in-memory matcher for a store; one per process."""

    def __init__(self, store: Store, *, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.store = store
        self.threshold = threshold
        self._matchers: dict[tuple[int, ...] | None, tuple[str, Matcher | None]] = {}
        self._lists: dict[int, Any] = {}
        self._names: dict[int, str | None] = {}

    def _matcher(
        self, conn: Connection, list_ids: Sequence[int] | None = None
    ) -> tuple[Matcher | None, str]:
        today = datetime.now(UTC).date()
        state = f"{list_repo.lists_state(conn)}:{today.isoformat()}"
        key = tuple(sorted(list_ids)) if list_ids is not None else None
        cached = self._matchers.get(key)
        if cached is not None and cached[0] == state:
            return cached[1], state
        started = time.perf_counter()
        self._lists = dict(list_repo.list_metadata(conn))
        entries = list(list_repo.active_entries(conn, on=today, list_ids=list_ids))
        for entry_id, _list_id, entry in entries:
            self._names[entry_id] = entry.primary_name
        matcher = Matcher.from_entries(entries) if entries else None
        count = len(entries)
        del entries
        # The index is millions of long-lived objects: keep the cyclic garbage collector from
        # walking them again on every full collection (pauses of hundreds of milliseconds).
        gc.collect()
        gc.freeze()
        self._matchers[key] = (state, matcher)
        log.info(
            "screening_index_built",
            entries=count,
            seconds=round(time.perf_counter() - started, 3),
        )
        return matcher, state

    def _listed(self, match: Match) -> ListedMatch:
        meta = self._lists[match.subject.list_key]
        return ListedMatch(
            match=match,
            list_name=meta["name"],
            category=meta["category"],
            severity=meta["severity"],
            entry_id=match.subject.key,
            entry_name=self._names.get(match.subject.key),
        )

    def screen_query(
        self,
        query: Query,
        *,
        list_names: Sequence[str] | None = None,
        top: int = 10,
        min_score: float = 0.0,
    ) -> list[ListedMatch]:
        with self.store.connect() as conn:
            matcher, _state = self._matcher(conn, self._list_ids(conn, list_names))
        if matcher is None:
            return []
        return [self._listed(m) for m in matcher.screen(query, top=top, min_score=min_score)]

    def prepared(
        self, *, list_names: Sequence[str] | None = None
    ) -> Callable[[Query, int, float], list[ListedMatch]]:
        """A screening function that needs no database: the index and list metadata are
        resolved now, so it can run in worker processes forked afterwards."""
        with self.store.connect() as conn:
            matcher, _state = self._matcher(conn, self._list_ids(conn, list_names))

        def screen(query: Query, top: int, min_score: float) -> list[ListedMatch]:
            if matcher is None:
                return []
            return [self._listed(m) for m in matcher.screen(query, top=top, min_score=min_score)]

        return screen

    def screen_many(
        self,
        queries: Sequence[Query],
        *,
        list_names: Sequence[str] | None = None,
        top: int = 10,
        min_score: float = 0.0,
    ) -> list[list[ListedMatch]]:
        with self.store.connect() as conn:
            matcher, _state = self._matcher(conn, self._list_ids(conn, list_names))
        if matcher is None:
            return [[] for _ in queries]
        return [
            [self._listed(m) for m in matcher.screen(q, top=top, min_score=min_score)]
            for q in queries
        ]

    def _list_ids(self, conn: Connection, names: Sequence[str] | None) -> list[int] | None:
        if not names:
            return None
        ids = []
        for name in names:
            row = list_repo.get_list(conn, name)
            if row is None:
                from firstline.services.watchlists import WatchlistError

                raise WatchlistError(f"no list named {name!r}")
            ids.append(int(row["id"]))
        return ids

    def screen_pending(
        self,
        *,
        flight_ids: Sequence[int] | None = None,
        arriving_after: datetime | None = None,
    ) -> ScreeningSummary:
        """Screen every traveller not yet screened against the lists as they are now."""
        started = time.perf_counter()
        summary = ScreeningSummary()
        now = datetime.now(UTC)
        with self.store.begin() as conn:
            matcher, state = self._matcher(conn)
            summary.lists_state = state
            if matcher is None:
                # Nothing to screen against: travellers stay "never screened" and are
                # picked up when a list is imported.
                return summary
            rows = hit_repo.travellers_to_screen(
                conn, state=state, flight_ids=flight_ids, arriving_after=arriving_after
            )
            if not rows:
                return summary
            documents = hit_repo.documents_of(conn, [int(r["id"]) for r in rows])
            found: list[hit_repo.NewHit] = []
            hashes: dict[int, str] = {}
            unchanged: list[int] = []
            for row in rows:
                traveller_id = int(row["id"])
                query = traveller_query(row, documents.get(traveller_id, []))
                digest = query.digest()
                if row["lists_state"] == state and row["query_hash"] == digest:
                    unchanged.append(traveller_id)
                    continue
                hashes[traveller_id] = digest
                for match in matcher.screen(
                    query, top=HITS_PER_TRAVELLER, min_score=self.threshold
                ):
                    found.append(self._hit(row, match))
            hit_repo.touch_screenings(conn, unchanged, now)
            changes = hit_repo.record_screening(
                conn,
                list(hashes),
                found,
                source="watchlist",
                state=state,
                now=now,
                query_hashes=hashes,
            )
        summary.screened = len(hashes)
        summary.new_hits = changes.new
        summary.updated_hits = changes.updated
        summary.withdrawn_hits = changes.withdrawn
        summary.seconds = time.perf_counter() - started
        log.info(
            "screened",
            travellers=summary.screened,
            new_hits=summary.new_hits,
            withdrawn=summary.withdrawn_hits,
            seconds=round(summary.seconds, 3),
        )
        return summary

    def _hit(self, row: Any, match: Match) -> hit_repo.NewHit:
        listed = self._listed(match)
        subject = match.subject
        title = f"{listed.list_name}: {listed.entry_name or subject.source_id}"
        explanation = match.explanation() | {
            "list": listed.list_name,
            "entry_id": subject.key,
            "source_id": subject.source_id,
            "threshold": self.threshold,
        }
        return hit_repo.NewHit(
            traveller_id=int(row["id"]),
            flight_id=int(row["flight_id"]),
            source="watchlist",
            source_key=f"watchlist:{subject.list_key}:{subject.key}",
            title=title,
            category=listed.category,
            severity=listed.severity,
            score=match.score,
            explanation=explanation,
            watchlist_id=subject.list_key,
            entry_id=subject.key,
        )


def traveller_query(row: Any, documents: Sequence[Any]) -> Query:
    """The screening query for a stored traveller."""
    birth: date | None = row["date_of_birth"]
    return Query(
        family=row["surname"],
        given=row["given_names"],
        birth_date=birth,
        nationality=row["nationality"],
        gender=row["gender"],
        documents=tuple((d["number"], d["issuing_country"]) for d in documents),
        schemas=TRAVELLER_SCHEMAS,
    )
