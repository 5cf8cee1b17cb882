"""Planted scenarios: deterministic, all types present, and the key matches the messages."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from firstline.generate import NO_DEVIATIONS, DayPlan, write_day
from firstline.generate.scenario_lists import SIDE_FILES
from firstline.generate.scenarios import TYPES
from firstline.ingest.reader import read_message
from firstline.services.ingest import ingest_paths
from firstline.store import open_store

DAY = date(2030, 5, 1)
# Clean messages: these tests look for the planted facts in the bytes (deviations: test_deviations).
PLAN = DayPlan(
    day=DAY, airports=("FRA",), flights=12, seed=7, passengers=(5, 25), deviations=NO_DEVIATIONS
)


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("day")
    summary = write_day(PLAN, out)
    assert summary.planted == len(TYPES)
    return out


def _key(folder: Path) -> list[dict[str, Any]]:
    text = (folder / "_answers" / "answer_key.json").read_text("utf-8")
    data: list[dict[str, Any]] = json.loads(text)
    return data


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _bookings(folder: Path, entry: dict[str, Any]) -> list[Any]:
    """The bookings of the entry's flight in its last PNR push."""
    flight = entry["flight"]
    name = f"_{flight['carrier']}{flight['number']}_{flight['date'].replace('-', '')}_pnr"
    last = sorted(p for p in folder.iterdir() if name in p.name)[-1]
    result = read_message(last.read_bytes(), today=DAY)
    return [b for push in result.pushes for b in push.bookings]


def _booking(folder: Path, entry: dict[str, Any]) -> Any:
    found = [
        b
        for b in _bookings(folder, entry)
        if any(loc.locator == entry["booking_locator"] for loc in b.locators)
    ]
    assert len(found) == 1, entry["scenario_id"]
    return found[0]


def _traveller(booking: Any, person: dict[str, str]) -> Any:
    for t in booking.travellers:
        numbers = [d.number for d in t.documents]
        if (
            t.surname == person["surname"]
            and t.given_names == person["given_names"]
            and t.date_of_birth == date.fromisoformat(person["date_of_birth"])
            and person["document_number"] in numbers
        ):
            return t
    raise AssertionError(f"{person['surname']} not in booking")


def test_same_seed_same_key_and_lists(day: Path, tmp_path: Path) -> None:
    write_day(PLAN, tmp_path)
    for name in SIDE_FILES:
        assert (tmp_path / "_answers" / name).read_bytes() == (day / "_answers" / name).read_bytes()
    off = write_day(DayPlan(day=DAY, flights=2, seed=7, scenarios=False), tmp_path / "off")
    assert off.planted == 0 and not (tmp_path / "off" / "_answers" / "answer_key.json").exists()


def test_every_type_planted_and_found_in_messages(day: Path) -> None:
    key = _key(day)
    assert sorted(entry["type"] for entry in key) == sorted(TYPES)
    assert len({entry["scenario_id"] for entry in key}) == len(key)
    for entry in key:
        assert entry["why"] and entry["expected_signals"]
        _traveller(_booking(day, entry), entry["traveller"])


def test_watchlist_variant_and_lost_document(day: Path) -> None:
    listed = _rows(day / "_answers" / "watchlist.csv")
    assert len(listed) > 200
    lost = {row["document_number"] for row in _rows(day / "_answers" / "lost_stolen_documents.csv")}
    for entry in _key(day):
        person = entry["traveller"]
        if entry["type"] == "watchlist_variant":
            row = next(r for r in listed if r["note"].endswith(entry["scenario_id"]))
            listed_name = (row["surname"], row["given_names"])
            assert listed_name != (person["surname"], person["given_names"])
            assert person["date_of_birth"].startswith(row["date_of_birth"])
        if entry["type"] == "lost_stolen_document":
            assert person["document_number"] in lost
            traveller = _traveller(_booking(day, entry), person)
            assert person["document_number"] in [d.number for d in traveller.documents]


def test_cash_courier_and_trafficking_bookings(day: Path) -> None:
    for entry in _key(day):
        if entry["type"] == "cash_courier":
            booking = _booking(day, entry)
            assert {p.type for p in booking.payments} == {"CA"}
            flight_day = date.fromisoformat(entry["flight"]["date"])
            assert booking.created_at is not None
            assert booking.created_at.date() >= flight_day - timedelta(days=2)
        if entry["type"] == "trafficking":
            booking = _booking(day, entry)
            surnames = {t.surname for t in booking.travellers}
            assert len(booking.travellers) >= 4 and len(surnames) == len(booking.travellers)
            assert {p.type for p in booking.payments} == {"CC"}


def test_day_ingests_without_quarantine(day: Path, tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path}/x.db")
    messages = [p for p in sorted(day.iterdir()) if p.is_file()]
    summary = ingest_paths(store, [day], today=DAY)  # the folder: _answers is skipped
    assert (summary.quarantined, summary.warnings) == (0, 0)
    assert summary.loaded == len(messages)
