"""Person identity across flights on real stores, and the name rule on its own."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from firstline.exc import NotFoundError
from firstline.generate.day import DayPlan, write_day
from firstline.services import identity
from firstline.services.ingest import ingest_paths
from firstline.store import Store, open_store
from firstline.store.repos.identity import _Known, _match, _parts
from firstline.store.tables import person_links


@pytest.fixture
def store(database_url: str) -> Store:
    return open_store(database_url)


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("identity") / "day"
    plan = DayPlan(day=date.today() + timedelta(days=1), airports=("FRA",), flights=12, seed=4)
    write_day(plan, out)
    return out


def _links(store: Store) -> list[tuple[int, int, str]]:
    with store.connect() as conn:
        rows = conn.execute(
            select(person_links.c.traveller_id, person_links.c.person_id, person_links.c.reason)
        ).all()
    return [(int(r[0]), int(r[1]), str(r[2])) for r in rows]


def test_connecting_travellers_are_one_person_by_document(store: Store, day: Path) -> None:
    ingest_paths(store, [day], on_loaded=lambda o: identity.resolve(store, o.flight_ids))
    links = _links(store)
    reasons = Counter(reason for _, _, reason in links)
    assert reasons["same travel document"] > 0 and reasons["first seen"] > 0
    per_person = Counter(person for _, person, _ in links)
    shared = [p for p, n in per_person.items() if n > 1]
    assert shared
    traveller = next(t for t, p, _ in links if p == shared[0])
    trips = identity.history(store, traveller)["trips"]
    assert len(trips) == per_person[shared[0]] and len({t["flight_key"] for t in trips}) == len(
        trips
    )
    # Resolving again links nobody twice.
    assert identity.resolve(store).linked == 0


def test_merge_and_split_are_recorded_and_kept(store: Store, day: Path) -> None:
    ingest_paths(store, [day])
    identity.resolve(store)
    links = _links(store)
    (a, person_a, _), (b, person_b, _) = links[0], next(x for x in links if x[1] != links[0][1])
    assert person_a != person_b
    merged = identity.merge(store, a, b, note="same person: analyst checked photos")
    assert merged == person_a
    assert identity.history(store, b)["person_id"] == person_a
    alone = identity.split(store, b, note="different people after all")
    assert alone not in (person_a, person_b)
    assert identity.history(store, b)["person_id"] == alone
    assert identity.resolve(store).linked == 0  # automatic linking never undoes a decision
    made = identity.decisions(store)
    assert [(d["kind"], d["traveller_ids"]) for d in made] == [("merge", [a, b]), ("split", [b])]
    assert made[0]["note"] == "same person: analyst checked photos"
    with pytest.raises(NotFoundError):
        identity.history(store, 10**9)


def _row(surname: str, given: str, born: date) -> SimpleNamespace:
    return SimpleNamespace(surname=surname, given_names=given, date_of_birth=born)


def test_same_birth_date_and_a_name_spelled_another_way_is_the_same_person() -> None:
    born = date(1971, 4, 2)
    known = _Known(by_birth={born: [(7, _parts("MÜLLER", "JÜRGEN"))]})
    assert _match(known, [], _row("MUELLER", "JURGEN", born))[:2] == (
        7,
        "same date of birth and name",
    )
    # Given and family names swapped at check-in.
    assert _match(known, [], _row("JURGEN", "MUELLER", born))[0] == 7
    # Another name, or another date, is another person.
    assert _match(known, [], _row("SCHMIDT", "JURGEN", born))[0] is None
    assert _match(known, [], _row("MUELLER", "JURGEN", date(1971, 4, 3)))[0] is None


def test_a_document_wins_over_names() -> None:
    known = _Known(by_document={"DOC:DEU:C01X00T47": 3, "FF:AZ12345678": 4})
    row = _row("X", "Y", date(1990, 1, 1))
    assert _match(known, ["DOC:DEU:C01X00T47"], row) == (3, "same travel document", 1.0)
    assert _match(known, ["FF:AZ12345678"], row) == (4, "same frequent-flyer number", 1.0)


def test_history_lists_who_a_person_travels_with(store: Store, day: Path) -> None:
    ingest_paths(store, [day])
    identity.resolve(store)
    with store.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT booking_id FROM travellers WHERE booking_id IS NOT NULL "
            "GROUP BY booking_id HAVING COUNT(DISTINCT id) >= 2 ORDER BY booking_id LIMIT 1"
        ).one()
        members = [
            int(r[0])
            for r in conn.exec_driver_sql(
                f"SELECT id FROM travellers WHERE booking_id = {int(row[0])} ORDER BY id"
            )
        ]
    found = identity.history(store, members[0])
    others = {identity.history(store, t)["person_id"] for t in members[1:]}
    others.discard(found["person_id"])
    assert others <= {m["person_id"] for m in found["co_travellers"]}
    assert all(m["flights_together"] >= 1 for m in found["co_travellers"])
