"""The rules repository on SQLite and PostgreSQL: lookup lists and their versions, the state
that tells evaluation to rebuild, and hits counted per rule version."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from factory import Person, paxlst
from sqlalchemy import Connection, insert, select

from firstline.services.ingest import ingest_delivery, make_delivery
from firstline.store import Store, open_store
from firstline.store.repos import rules as repo
from firstline.store.tables import hits, travellers

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = open_store(database_url)
    yield opened
    opened.dispose()


def test_a_lookup_list_is_versioned_only_when_its_values_change(store: Store) -> None:
    with store.begin() as conn:
        first = repo.save_lookup(
            conn, name="hubs", values=["FRA", "MUC"], kind="airports", description="", now=NOW
        )
        same = repo.save_lookup(
            conn, name="hubs", values=["FRA", "MUC"], kind="airports", description="", now=NOW
        )
        more = repo.save_lookup(
            conn, name="hubs", values=["FRA", "MUC", "IST"], kind="airports", description="",
            now=NOW,
        )  # fmt: skip
        row = repo.get_lookup(conn, "hubs")
        assert row is not None
        repo.describe_lookup(conn, int(row["id"]), kind="codes", description="Big hubs")
    assert (first, same, more) == ((1, True), (1, False), (2, True))
    with store.connect() as conn:
        row = repo.get_lookup(conn, "hubs")
        assert row is not None and repo.get_lookup(conn, "nothing") is None
        assert (row["version"], list(row["values"])) == (2, ["FRA", "MUC", "IST"])
        assert (row["kind"], row["description"]) == ("codes", "Big hubs")
        versions = repo.lookup_versions(conn, int(row["id"]))
    assert [(v["version"], list(v["values"])) for v in versions] == [
        (1, ["FRA", "MUC"]),
        (2, ["FRA", "MUC", "IST"]),
    ]


def test_the_rules_state_changes_with_every_new_list_version(store: Store) -> None:
    """Even when two saves share a timestamp (or a clock steps back): the cached rule set of
    a running evaluator must never keep a list's old values."""

    def state() -> str:
        with store.connect() as conn:
            return repo.rules_state(conn)

    seen = [state()]
    for values in (["FRA"], ["FRA", "MUC"], ["MUC"]):
        with store.begin() as conn:
            repo.save_lookup(
                conn, name="hubs", values=values, kind="codes", description="", now=NOW
            )
        seen.append(state())
    with store.begin() as conn:  # unchanged values: the same state
        repo.save_lookup(conn, name="hubs", values=["MUC"], kind="codes", description="", now=NOW)
    seen.append(state())
    assert len(set(seen[:4])) == 4 and seen[4] == seen[3]


# -- hits per rule version ----------------------------------------------------------------


def _travellers(store: Store, n: int) -> list[tuple[int, int]]:
    """(traveller id, flight id) of `n` travellers of a new flight."""
    people = [Person(f"VERSIONA{chr(65 + i)}", document=f"VX{i:05d}") for i in range(n)]
    outcome = ingest_delivery(store, make_delivery(paxlst(people), "versions"))
    assert outcome.status == "loaded", outcome
    with store.connect() as conn:
        rows = conn.execute(
            select(travellers.c.id, travellers.c.flight_id).order_by(travellers.c.id)
        ).all()
    return [(int(r.id), int(r.flight_id)) for r in rows]


def _hit(
    conn: Connection,
    who: tuple[int, int],
    *,
    key: str,
    version: int | None,
    status: str,
    current: bool = True,
    source: str = "rule",
) -> None:
    explanation: dict[str, Any] = {"rule": key, "conditions": []}
    if version is not None:
        explanation["version"] = version
    conn.execute(
        insert(hits).values(
            traveller_id=who[0], flight_id=who[1], source=source, source_key=f"{source}:{key}",
            title="t", category="other", severity="low", score=0.1, explanation=explanation,
            status=status, current=current, first_seen_at=NOW, updated_at=NOW,
        )
    )  # fmt: skip


def test_hits_are_counted_per_rule_version(store: Store) -> None:
    people = _travellers(store, 12)
    crafted = [
        # version 1 of "courier": 2 confirmed, 1 false positive, 1 open, 1 shadow ...
        (1, "confirmed"), (1, "confirmed"), (1, "false_positive"), (1, "open"), (1, "shadow"),
        # ... version 2: 1 false positive, 2 open, 1 inconclusive; version 3 nothing.
        (2, "false_positive"), (2, "open"), (2, "open"), (2, "inconclusive"),
    ]  # fmt: skip
    with store.begin() as conn:
        for who, (version, status) in zip(people, crafted, strict=False):
            _hit(conn, who, key="courier", version=version, status=status)
        spare = people[len(crafted) :]
        # Not counted: a withdrawn hit, another rule's hit, a hit naming no version, and a
        # watchlist hit of the same key.
        _hit(conn, spare[0], key="courier", version=1, status="confirmed", current=False)
        _hit(conn, spare[0], key="other", version=1, status="confirmed")
        _hit(conn, spare[1], key="courier", version=None, status="confirmed")
        _hit(conn, spare[2], key="courier", version=1, status="confirmed", source="watchlist")
    with store.connect() as conn:
        counted = repo.version_hit_counts(conn, "courier")
        assert repo.version_hit_counts(conn, "nothing") == {}
    assert counted == {
        1: {"confirmed": 2, "false_positive": 1, "open": 1, "shadow": 1},
        2: {"false_positive": 1, "open": 2, "inconclusive": 1},
    }
