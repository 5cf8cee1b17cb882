"""Screening in the ingest flow and on list changes, on real SQLite and PostgreSQL databases.

The traffic is a generated synthetic day (tomorrow, so no flight has arrived yet) with its
planted scenarios and the two lists the generator writes beside it; the rest uses invented
names only.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from factory import Person, paxlst
from sqlalchemy import func, select

from firstline.generate.day import DayPlan, write_day
from firstline.screening.matcher import Query
from firstline.services import overview, scenarios
from firstline.services import watchlists as list_service
from firstline.services.ingest import Outcome, ingest_delivery, ingest_paths, make_delivery
from firstline.services.screening import DEFAULT_THRESHOLD, Screener, ScreeningSummary
from firstline.services.watchlists import WatchlistError
from firstline.store import Store, open_store
from firstline.store.repos import hits as hit_repo
from firstline.store.tables import hits, screenings, travellers

SCREENING_TYPES = {"watchlist_variant", "lost_stolen_document"}


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = open_store(database_url)
    yield opened
    opened.dispose()


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated day of 5 flights tomorrow, with scenarios, lists and deviations."""
    out = tmp_path_factory.mktemp("day")
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    summary = write_day(DayPlan(day=tomorrow, flights=5, seed=11), out)
    assert summary.planted > 0
    return out


def _key(day: Path) -> list[dict[str, Any]]:
    return list(json.loads((day / "_answers" / "answer_key.json").read_text(encoding="utf-8")))


def _import_lists(store: Store, day: Path, watchlist: Path | None = None) -> None:
    answers = day / "_answers"
    list_service.import_list(
        store,
        "synthetic",
        [watchlist or answers / "watchlist.csv"],
        "csv",
        category="terrorism",
        severity="high",
    )
    list_service.import_list(
        store,
        "lost-stolen",
        [answers / "lost_stolen_documents.csv"],
        "csv",
        category="lost_stolen",
        severity="medium",
    )


def _all_hits(store: Store) -> list[dict[str, Any]]:
    with store.connect() as conn:
        rows = conn.execute(select(hits).order_by(hits.c.id)).mappings()
        return [dict(r) for r in rows]


def _count(store: Store, table: Any) -> int:
    with store.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _screened_at(conn: Any) -> dict[int, datetime]:
    rows = conn.execute(select(screenings.c.traveller_id, screenings.c.screened_at))
    return {int(r.traveller_id): r.screened_at for r in rows}


def _scenario_hits(store: Store, scenario: dict[str, Any]) -> list[dict[str, Any]]:
    """Current and withdrawn watchlist hits of a scenario's traveller(s)."""
    flight, person = scenario["flight"], scenario["traveller"]
    with store.connect() as conn:
        ids = hit_repo.travellers_on_flight(
            conn,
            carrier=flight["carrier"],
            number=str(flight["number"]),
            departure_date=date.fromisoformat(flight["date"]),
            surname=person["surname"],
            given_names=person.get("given_names"),
        )
    return [h for h in _all_hits(store) if h["traveller_id"] in ids and h["source"] == "watchlist"]


def test_ingest_screens_travellers_and_finds_the_planted_scenarios(store: Store, day: Path) -> None:
    _import_lists(store, day)
    screener = Screener(store)
    summaries: list[ScreeningSummary] = []

    def screen(outcome: Outcome) -> None:
        summaries.append(screener.screen_pending(flight_ids=outcome.flight_ids))

    ingested = ingest_paths(store, [day], on_loaded=screen)
    assert ingested.loaded > 0 and len(summaries) == ingested.loaded
    assert sum(s.screened for s in summaries) >= _count(store, travellers)
    assert sum(s.new_hits for s in summaries) > 0
    assert _count(store, screenings) == _count(store, travellers)  # everyone screened

    results = scenarios.evaluate(store, day / "_answers" / "answer_key.json")
    planted = [r for r in results if r.type in SCREENING_TYPES]
    assert {r.type for r in planted} == SCREENING_TYPES
    assert [(r.scenario_id, r.status) for r in planted] == [
        (r.scenario_id, "found") for r in planted
    ]
    assert all(r.travellers >= 1 for r in planted)
    assert all(r.status == "found" for r in results if r.detector == "screening")

    current = overview.hits(store)
    assert current
    for hit in current:
        explanation = hit["explanation"]
        assert hit["source"] == "watchlist" and hit["current"] is True
        assert hit["score"] >= DEFAULT_THRESHOLD
        assert explanation["score"] == pytest.approx(hit["score"])
        assert explanation["threshold"] == DEFAULT_THRESHOLD
        assert explanation["list"] in {"synthetic", "lost-stolen"}
        assert explanation["source_id"] and explanation["entry_id"] == hit["entry_id"]
        assert explanation["summary"] and all(
            isinstance(line, str) and line.endswith(".") for line in explanation["summary"]
        )
        assert hit["title"].startswith(f"{explanation['list']}: ")
        assert hit["status"] == "open"
        expected = {"synthetic": ("terrorism", "high"), "lost-stolen": ("lost_stolen", "medium")}
        assert (hit["category"], hit["severity"]) == expected[explanation["list"]]

    # The planted lost/stolen passport is found by its number, on the lost/stolen list.
    for scenario in _key(day):
        if scenario["type"] != "lost_stolen_document":
            continue
        number = scenario["traveller"]["document_number"]
        found = [h for h in _scenario_hits(store, scenario) if h["current"]]
        assert any(
            h["explanation"]["list"] == "lost-stolen" and h["explanation"]["source_id"] == number
            for h in found
        ), found
        assert any("Same document number." in h["explanation"]["summary"] for h in found)

    # The same folder again: every delivery a duplicate, no screening, no new hit.
    before = [(h["id"], h["current"], h["score"]) for h in _all_hits(store)]
    calls = len(summaries)
    again = ingest_paths(store, [day], on_loaded=screen)
    assert again.loaded == 0 and again.duplicate == ingested.loaded
    assert len(summaries) == calls
    assert [(h["id"], h["current"], h["score"]) for h in _all_hits(store)] == before
    # And nothing is left to screen.
    assert screener.screen_pending().screened == 0
    assert [(h["id"], h["current"], h["score"]) for h in _all_hits(store)] == before


def test_a_list_change_rescreens_flights_still_to_come(
    store: Store, day: Path, tmp_path: Path
) -> None:
    screener = Screener(store)
    summaries: list[ScreeningSummary] = []
    ingested = ingest_paths(
        store,
        [day],
        on_loaded=lambda o: summaries.append(screener.screen_pending(flight_ids=o.flight_ids)),
    )
    assert ingested.loaded > 0
    # No list yet: nothing screened, nobody marked screened, no hit.
    assert all(s.screened == 0 and s.new_hits == 0 for s in summaries)
    assert _count(store, screenings) == 0 and _all_hits(store) == []

    _import_lists(store, day)
    now = datetime.now(UTC)
    first = Screener(store).screen_pending(arriving_after=now)
    assert first.screened == _count(store, travellers)  # tomorrow's flights have not arrived
    assert first.new_hits > 0 and first.withdrawn_hits == 0
    results = scenarios.evaluate(store, day / "_answers" / "answer_key.json")
    assert all(r.status == "found" for r in results if r.type in SCREENING_TYPES)

    variant = next(s for s in _key(day) if s["type"] == "watchlist_variant")
    # The hit on the listed entry the answer key names ("Listed as ... (SYN-00002)").
    planted_hits = [
        h
        for h in _scenario_hits(store, variant)
        if h["current"] and f"({h['explanation']['source_id']})" in variant["why"]
    ]
    assert planted_hits
    listed_id = planted_hits[0]["explanation"]["source_id"]

    # A new version of the list without the planted person's row.
    source = day / "_answers" / "watchlist.csv"
    rows = list(csv.DictReader(io.StringIO(source.read_text(encoding="utf-8"))))
    assert any(r["entry_id"] == listed_id for r in rows)
    edited = tmp_path / "watchlist-v2.csv"
    with edited.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(r for r in rows if r["entry_id"] != listed_id)
    report = list_service.import_list(store, "synthetic", [edited], "csv")
    assert (report.version, report.removed, report.added, report.changed) == (2, 1, 0, 0)

    second = Screener(store).screen_pending(arriving_after=datetime.now(UTC))
    assert second.screened == _count(store, travellers)  # the lists changed: all again
    assert second.withdrawn_hits >= len(planted_hits) and second.new_hits == 0
    stored = {h["id"]: h for h in _all_hits(store)}
    shown = {h["id"] for h in overview.hits(store)}
    for hit in planted_hits:
        assert stored[hit["id"]]["current"] is False  # kept, with the officer's status
        assert stored[hit["id"]]["status"] == "open"
        assert hit["id"] not in shown
    # Hits of the other entries are kept as they were (same ids, still current).
    others = [
        h for h in _all_hits(store) if h["explanation"]["source_id"] != listed_id and h["current"]
    ]
    assert others and all(h["id"] in shown for h in others)


def test_unchanged_travellers_are_not_screened_again(store: Store, tmp_path: Path) -> None:
    listed = tmp_path / "national.csv"
    listed.write_text(
        "id,surname,given_names,date_of_birth,nationality,document_number\n"
        "WL-1,QUORVAN,TESSALY,1971-04-02,FRA,QX100001\n",
        encoding="utf-8",
    )
    list_service.import_list(store, "national", [listed], "csv")
    screener = Screener(store)

    def load(raw: bytes, source: str, updated: int = 0) -> ScreeningSummary:
        outcome = ingest_delivery(store, make_delivery(raw, source))
        assert outcome.status == "loaded" and outcome.travellers_updated == updated
        return screener.screen_pending(flight_ids=outcome.flight_ids)

    quorvan = Person("QUORVAN", given="TESSALY", dob="710402", document="ZX7000001", reference="P1")
    other = Person("PELLINGRAY", given="ODO", dob="880808", document="ZX7000002", reference="P2")
    first = load(paxlst([quorvan, other]), "t-24")
    assert (first.screened, first.new_hits) == (2, 1)
    (hit,) = _all_hits(store)
    assert hit["explanation"]["source_id"] == "WL-1" and hit["current"] is True

    assert screener.screen_pending().screened == 0  # nothing changed

    # A later message changes the seats only: the travellers are updated, but what
    # screening reads of them is the same, so they are not screened again.
    with store.connect() as conn:
        before = _screened_at(conn)
    seated = [
        Person("QUORVAN", given="TESSALY", dob="710402", document="ZX7000001", reference="P1",
               seat="12A"),
        Person("PELLINGRAY", given="ODO", dob="880808", document="ZX7000002", reference="P2",
               seat="12B"),
    ]  # fmt: skip
    outcome_seats = load(paxlst(seated, reference="REF2"), "close-out", updated=2)
    assert outcome_seats.screened == 0 and outcome_seats.new_hits == 0
    with store.connect() as conn:
        after = _screened_at(conn)
    assert after.keys() == before.keys()
    assert all(after[t] > before[t] for t in before)  # marked screened again, not re-screened
    assert [(h["id"], h["current"], h["score"]) for h in _all_hits(store)] == [
        (hit["id"], True, hit["score"])
    ]

    # A new document number is something screening reads: that traveller only.
    renewed = Person("PELLINGRAY", given="ODO", dob="880808", document="ZX7000099", reference="P2")
    changed = load(paxlst([seated[0], renewed], reference="REF3"), "later", updated=1)
    assert changed.screened == 1 and changed.new_hits == 0


def test_a_list_change_leaves_arrived_flights_alone(store: Store, tmp_path: Path) -> None:
    past = paxlst(
        [Person("QUORVAN", given="TESSALY", dob="710402", document="ZX7000001", reference="P1")],
        departure="2601101030",
        arrival="2601101400",
    )
    assert ingest_delivery(store, make_delivery(past, "archive")).status == "loaded"
    listed = tmp_path / "national.csv"
    listed.write_text(
        "id,surname,given_names,date_of_birth\nWL-1,QUORVAN,TESSALY,1971-04-02\n",
        encoding="utf-8",
    )
    list_service.import_list(store, "national", [listed], "csv")
    screener = Screener(store)
    assert screener.screen_pending(arriving_after=datetime.now(UTC)).screened == 0
    assert _all_hits(store) == []
    everyone = screener.screen_pending()
    assert (everyone.screened, everyone.new_hits) == (1, 1)


def test_screen_query_by_list(store: Store, tmp_path: Path) -> None:
    header = "id,surname,given_names,date_of_birth,nationality\n"
    (tmp_path / "a.csv").write_text(
        header + "A-1,QUORVAN,TESSALY,1971-04-02,FRA\n", encoding="utf-8"
    )
    (tmp_path / "b.csv").write_text(
        header + "B-1,QUORVAN,TESSALY,1971-04-02,FRA\nB-2,MELLISANDRO,KORVI,1960,PRT\n",
        encoding="utf-8",
    )
    list_service.import_list(store, "alpha", [tmp_path / "a.csv"], "csv")
    list_service.import_list(store, "bravo", [tmp_path / "b.csv"], "csv")
    screener = Screener(store)
    query = Query(name="Tessaly Quorvan", birth_date=date(1971, 4, 2), nationality="FRA")

    def found(**kwargs: Any) -> list[tuple[str, str]]:
        return sorted(
            (m.list_name, m.match.subject.source_id)
            for m in screener.screen_query(query, min_score=0.5, **kwargs)
        )

    assert found() == [("alpha", "A-1"), ("bravo", "B-1")]
    assert found(list_names=["alpha"]) == [("alpha", "A-1")]
    assert found(list_names=["bravo"]) == [("bravo", "B-1")]
    assert found(list_names=["alpha", "bravo"]) == [("alpha", "A-1"), ("bravo", "B-1")]
    (best,) = screener.screen_query(query, list_names=["alpha"], min_score=0.5)
    assert best.match.score >= DEFAULT_THRESHOLD and best.category == "other"
    assert best.entry_name and "QUORVAN" in best.entry_name
    assert best.match.explanation()["summary"]

    batch = screener.screen_many(
        [query, Query(family="MELLISANDRO", given="KORVI")], list_names=["bravo"], min_score=0.5
    )
    assert [[m.match.subject.source_id for m in matches] for matches in batch] == [
        ["B-1"],
        ["B-2"],
    ]
    with pytest.raises(WatchlistError, match="no list named 'charlie'"):
        screener.screen_query(query, list_names=["alpha", "charlie"])
    with pytest.raises(WatchlistError, match="no list named 'charlie'"):
        screener.screen_many([query], list_names=["charlie"])
