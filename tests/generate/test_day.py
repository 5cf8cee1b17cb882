"""A generated day: deterministic, clean to read, and merged API+PNR once ingested."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

from sqlalchemy import text

from firstline.generate import NO_DEVIATIONS, DayPlan, write_day
from firstline.ingest.reader import read_message
from firstline.services.ingest import ingest_paths
from firstline.store import open_store

DAY = date(2030, 5, 1)
# Clean messages (deviations are tested in test_deviations).
SMALL = DayPlan(
    day=DAY,
    airports=("FRA", "MUC"),
    flights=3,
    seed=5,
    passengers=(20, 40),
    scenarios=False,
    deviations=NO_DEVIATIONS,
)


def _contents(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_same_seed_same_files(tmp_path: Path) -> None:
    # Deviations and scenarios on: the answer key and deviations.json are compared too.
    plan = DayPlan(day=DAY, airports=SMALL.airports, flights=6, seed=5, passengers=(20, 40))
    write_day(plan, tmp_path / "a")
    write_day(plan, tmp_path / "b")
    write_day(replace(plan, seed=6), tmp_path / "c")
    assert (tmp_path / "a" / "_answers" / "deviations.json").exists()
    assert _contents(tmp_path / "a") == _contents(tmp_path / "b")
    assert _contents(tmp_path / "a") != _contents(tmp_path / "c")


def test_files_in_push_order_per_flight(tmp_path: Path) -> None:
    summary = write_day(SMALL, tmp_path)
    names = sorted(path.name for path in tmp_path.iterdir())
    assert (summary.files, summary.flights) == (21, 3) and len(names) == 21
    assert summary.bytes == sum(path.stat().st_size for path in tmp_path.iterdir())
    for flight in {name.split("_")[1] for name in names}:
        kinds = [name.rsplit("_", 1)[1] for name in names if f"_{flight}_" in name]
        assert kinds[:3] in (["pnr.edi"] * 3, ["pnr.edi", "pnr.xml", "pnr.xml"])
        # Check-in close, then the close-out PNR push (10 min) and PAXLST close-out (15 min).
        assert kinds[3:5] == ["api.edi", "crew.edi"]
        assert kinds[5:] in (["pnr.edi", "clob.edi"], ["pnr.xml", "clob.edi"])


def test_every_file_reads_without_warnings(tmp_path: Path) -> None:
    plan = DayPlan(day=DAY, flights=24, seed=3, passengers=(5, 60), deviations=NO_DEVIATIONS)
    write_day(plan, tmp_path)
    kinds = set()
    for path in sorted(tmp_path.iterdir()):
        if path.is_dir():  # _answers: the answer key and lists of the planted scenarios
            continue
        result = read_message(path.read_bytes(), today=DAY)
        kinds.add((result.format, result.message_type))
        assert result.warnings == [], path.name
        assert all(m.warnings == [] for m in result.messages), path.name
        assert all(p.warnings == [] for p in result.pushes), path.name
        assert result.messages or result.pushes
    assert any(p.suffix == ".xml" for p in tmp_path.iterdir())  # some airlines push XML
    assert any(b"+01:C'" in p.read_bytes() for p in tmp_path.iterdir() if p.is_file())  # parts
    check_in = [p for p in tmp_path.iterdir() if p.is_file() and b"\r\nTRI+" in p.read_bytes()]
    assert check_in and all(p.name.endswith("_pnr.edi") for p in check_in)  # T-2 pushes
    assert all(b"BGM+266+CLOB'" in p.read_bytes() for p in tmp_path.glob("*_clob.edi"))
    assert kinds == {("edifact", "PNRGOV"), ("xml", "PNRGOV"), ("edifact", "PAXLST")}


def test_ingested_day_merges_api_and_pnr(tmp_path: Path) -> None:
    folder = tmp_path / "day"
    write_day(SMALL, folder)
    store = open_store(f"sqlite:///{tmp_path}/x.db")
    summary = ingest_paths(store, [folder], today=DAY)
    assert (summary.loaded, summary.quarantined, summary.warnings) == (21, 0, 0)
    with store.connect() as conn:
        rows = conn.execute(text("SELECT sources, role, boarded_message_id FROM travellers")).all()
        messages = conn.execute(text("SELECT COUNT(*) FROM messages")).scalar()
    passengers = [json.loads(r.sources) for r in rows if r.role == "passenger"]
    crew = [json.loads(r.sources) for r in rows if r.role == "crew"]
    both = [s for s in passengers if s == ["PNR", "API"]]
    assert len(both) >= 0.9 * len(passengers) and len(passengers) >= 60
    assert crew and all(s == ["API"] for s in crew)
    assert messages == 21
    # The close-out found the people on board by the unique passenger reference of PNR and API,
    # and added no unnamed strangers.
    boarded = [r for r in rows if r.role == "passenger" and r.boarded_message_id is not None]
    assert len(boarded) >= 0.9 * len(passengers)
    assert all(r.role in ("passenger", "crew") for r in rows)
    assert all(r.boarded_message_id is None for r in rows if r.role == "crew")
