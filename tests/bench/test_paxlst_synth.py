"""The benchmark generator: deterministic, and clean PAXLST that reads without warnings."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from firstline.ingest.multipart import reassemble
from firstline.ingest.reader import read_message

SYNTH = Path(__file__).resolve().parents[2] / "bench" / "paxlst_synth.py"


@pytest.fixture(scope="module")
def synth() -> ModuleType:
    spec = importlib.util.spec_from_file_location("paxlst_synth", SYNTH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_same_arguments_same_bytes(synth: ModuleType) -> None:
    assert synth.make_paxlst(50, 3) == synth.make_paxlst(50, 3)
    assert synth.make_paxlst(50, 3) != synth.make_paxlst(50, 4)


def test_single_message_reads_cleanly(synth: ModuleType) -> None:
    data = synth.make_paxlst(400, 11)
    assert b"\r\n" in data and b"?'" in data  # CRLF line ends, escaped apostrophes
    result = read_message(data, today=date(2025, 6, 1))
    assert result.warnings == []
    (message,) = result.messages
    assert message.warnings == []
    assert len(message.travellers) == message.declared_passengers == 400
    assert any("'" in (t.surname or "") for t in message.travellers)
    assert any(len(t.documents) == 2 for t in message.travellers)
    assert len({t.identity_key() for t in message.travellers}) == 400


def test_parts_reassemble(synth: ModuleType) -> None:
    result = read_message(synth.make_paxlst(130, 5, parts_of=40), today=date(2025, 6, 1))
    assert [m.header.part_number for m in result.messages] == [1, 2, 3, 4]
    assert [m.header.is_last_part for m in result.messages] == [False, False, False, True]
    (merged,) = reassemble(result.messages)
    assert merged.parts == [1, 2, 3, 4]
    assert merged.warnings == []
    assert len(merged.travellers) == 130


def test_write_files_gives_distinct_flights(synth: ModuleType, tmp_path: Path) -> None:
    paths = synth.write_files(tmp_path, 4, 20, seed=100)
    assert len(paths) == 4
    flights = set()
    for path in paths:
        (message,) = read_message(path.read_bytes(), today=date(2025, 6, 1)).messages
        assert len(message.travellers) == 20
        assert message.flight is not None
        flights.add((message.flight.designator, message.flight.scheduled_departure))
    assert len(flights) == 4
