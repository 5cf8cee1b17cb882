"""Real-world deviations: recorded per file, warned about where expected, broken files
quarantined and every other file loaded."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest

from firstline.generate import DayPlan, Deviations, write_day
from firstline.generate.deviations import EXPECTED, DeviationLog, deviate, scaled
from firstline.ingest.reader import read_message
from firstline.services.ingest import ingest_paths
from firstline.store import open_store

DAY = date(2030, 5, 1)
HIGH = Deviations(
    separators=0.25, wrong_unt=0.2, line_ends=0.3, stale_header=0.25, type_b=0.2, broken=0.06
)
PLAN = DayPlan(day=DAY, flights=12, seed=11, passengers=(4, 12), scenarios=False, deviations=HIGH)


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("deviated")
    write_day(PLAN, folder)
    return folder


def _applied(day: Path) -> dict[str, list[str]]:
    document = json.loads((day / "_answers" / "deviations.json").read_text(encoding="utf-8"))
    assert document["expected"] == EXPECTED
    files: dict[str, list[str]] = document["files"]
    return files


def _codes(data: bytes) -> set[str]:
    result = read_message(data, today=DAY)
    codes = {w.code for w in result.warnings}
    codes |= {w.code for m in result.messages for w in m.warnings}
    codes |= {w.code for p in result.pushes for w in p.warnings}
    return codes


def test_every_kind_applied_and_recorded(day: Path) -> None:
    applied = _applied(day)
    files = {p.name for p in day.iterdir() if p.is_file()}
    assert set(applied) <= files
    kinds = {kind for listed in applied.values() for kind in listed}
    assert kinds == set(EXPECTED)
    for name, listed in applied.items():
        data = (day / name).read_bytes()
        if "separators" in listed and "broken" not in listed:
            assert b"UNA:*.? $" in data
        if "type_b" in listed:
            assert data.startswith(b"\x01") and (b"\x03" in data or "broken" in listed)
        if "line_ends_none" in listed:
            assert b"\n" not in data.split(b"\x02")[-1]


def test_files_warn_exactly_as_expected(day: Path) -> None:
    applied = _applied(day)
    for path in sorted(p for p in day.iterdir() if p.is_file()):
        listed = applied.get(path.name, [])
        if "broken" in listed:
            continue
        expected = {EXPECTED[kind] for kind in listed} - {None}
        assert _codes(path.read_bytes()) == expected, path.name


def test_ingest_quarantines_exactly_the_broken_files(day: Path, tmp_path: Path) -> None:
    applied = _applied(day)
    files = [p for p in day.iterdir() if p.is_file()]
    store = open_store(f"sqlite:///{tmp_path}/x.db")
    summary = ingest_paths(store, [day], today=DAY)
    assert summary.loaded + summary.quarantined == len(files) == summary.received
    broken = {name for name, listed in applied.items() if "broken" in listed}
    assert broken and {Path(source).name for source, _ in summary.quarantine_reasons} == broken
    assert all(reason for _, reason in summary.quarantine_reasons)
    assert summary.warnings > 0


def test_no_deviations_at_scale_zero_and_only_touched_files_change(tmp_path: Path) -> None:
    data = b"UNA:+.? 'UNB+UNOA:4+X+Y+300501:0900+1'UNH+1+PAXLST'BGM+745'UNT+3+1'UNZ+1+1'"
    log = DeviationLog()
    zero = scaled(Deviations(), 0)
    assert deviate(data, "x_LH1_y_api.edi", zero, random.Random(1), log) == data
    assert log.applied == {}
    every = scaled(Deviations(), 1000)
    cut = deviate(data, "20300501T0900_LH1_20300501_api.edi", every, random.Random(1), log)
    assert len(cut) < len(data) + 40 and set(log.applied["20300501T0900_LH1_20300501_api.edi"])


def test_flights_with_planted_scenarios_are_written_clean(tmp_path: Path) -> None:
    plan = DayPlan(day=DAY, flights=12, seed=11, passengers=(4, 12), deviations=HIGH)
    write_day(plan, tmp_path)
    key = json.loads((tmp_path / "_answers" / "answer_key.json").read_text(encoding="utf-8"))
    planted = {str(entry["flight"]["carrier"]) + str(entry["flight"]["number"]) for entry in key}
    applied = _applied(tmp_path)
    assert planted and applied
    assert not [name for name in applied if any(f"_{flight}_" in name for flight in planted)]
