"""A generated day: deterministic, clean to read, and merged API+PNR once ingested."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy import text

from firstline.generate import DayPlan, write_day
from firstline.ingest.reader import read_message
from firstline.services.ingest import ingest_paths
from firstline.store import open_store

DAY = date(2030, 5, 1)
SMALL = DayPlan(
    day=DAY, airports=("FRA", "MUC"), flights=3, seed=5, passengers=(20, 40), scenarios=False
)


def _contents(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_same_seed_same_files(tmp_path: Path) -> None:
    write_day(SMALL, tmp_path / "a")
    write_day(SMALL, tmp_path / "b")
    other = DayPlan(
        day=DAY, airports=SMALL.airports, flights=3, seed=6, passengers=(20, 40), scenarios=False
    )
    write_day(other, tmp_path / "c")
    assert _contents(tmp_path / "a") == _contents(tmp_path / "b")
    assert _contents(tmp_path / "a") != _contents(tmp_path / "c")


def test_files_in_push_order_per_flight(tmp_path: Path) -> None:
    summary = write_day(SMALL, tmp_path)
    names = sorted(path.name for path in tmp_path.iterdir())
    assert (summary.files, summary.flights) == (12, 3) and len(names) == 12
    assert summary.bytes == sum(path.stat().st_size for path in tmp_path.iterdir())
    for flight in {name.split("_")[1] for name in names}:
        kinds = [name.rsplit("_", 1)[1] for name in names if f"_{flight}_" in name]
        assert kinds[:2] in (["pnr.edi", "pnr.edi"], ["pnr.edi", "pnr.xml"])
        assert kinds[2:] == ["api.edi", "crew.edi"]


def test_every_file_reads_without_warnings(tmp_path: Path) -> None:
    plan = DayPlan(day=DAY, flights=24, seed=3, passengers=(5, 60))
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
    assert kinds == {("edifact", "PNRGOV"), ("xml", "PNRGOV"), ("edifact", "PAXLST")}


def test_ingested_day_merges_api_and_pnr(tmp_path: Path) -> None:
    folder = tmp_path / "day"
    write_day(SMALL, folder)
    store = open_store(f"sqlite:///{tmp_path}/x.db")
    summary = ingest_paths(store, [folder], today=DAY)
    assert (summary.loaded, summary.quarantined, summary.warnings) == (12, 0, 0)
    with store.connect() as conn:
        rows = conn.execute(text("SELECT sources, role FROM travellers")).all()
    passengers = [json.loads(r.sources) for r in rows if r.role == "passenger"]
    crew = [json.loads(r.sources) for r in rows if r.role == "crew"]
    both = [s for s in passengers if s == ["PNR", "API"]]
    assert len(both) >= 0.9 * len(passengers) and len(passengers) >= 60
    assert crew and all(s == ["API"] for s in crew)
