"""The PNRGOV benchmark generator: deterministic, realistic, and clean (no warnings)."""

from __future__ import annotations

import importlib.util
import random
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest
from pnr_factory import read_push

from firstline.ingest.pnrgov_values import luhn_valid

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def synth() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pnrgov_synth", BENCH / "pnrgov_synth.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # it puts bench/ on sys.path for paxlst_synth's lists
    return module


def test_same_arguments_same_bytes(synth: ModuleType) -> None:
    assert synth.make_pnrgov(30, 3) == synth.make_pnrgov(30, 3)
    assert synth.make_pnrgov(30, 3) != synth.make_pnrgov(30, 4)


def test_generated_pushes_read_cleanly(synth: ModuleType) -> None:
    for seed in range(3):
        push = read_push(synth.make_pnrgov(120, seed), today=date(2025, 1, 1))
        assert push.warnings == []
        assert len(push.bookings) == push.declared_bookings == 120
        travellers = [t for b in push.bookings for t in b.travellers]
        assert all(1 <= len(b.travellers) <= 7 for b in push.bookings)  # 6 and an infant
        assert any(t.documents for t in travellers) and any(not t.documents for t in travellers)
        assert any(t.checked_in for t in travellers)
        assert any(t.passenger_type == "IN" and t.infant_of for t in travellers)
        assert all(any(leg.is_pushed_flight for leg in b.itinerary) for b in push.bookings)
        legs = [leg for b in push.bookings for leg in b.itinerary]
        assert any(leg.operating_carrier and leg.operating_number for leg in legs)
        payments = [p for b in push.bookings for p in b.payments]
        assert any(p.card_fingerprint for p in payments)
        assert all(c.normalised for b in push.bookings for c in b.contacts)


def test_cards_pass_luhn(synth: ModuleType) -> None:
    rng = random.Random(1)
    assert all(luhn_valid(synth.luhn_card(rng)) for _ in range(200))


def test_write_pnr_files(synth: ModuleType, tmp_path: Path) -> None:
    paths = synth.write_pnr_files(tmp_path, 3, 10, 5)
    assert [p.name for p in paths] == [
        "pnrgov_000005.edi",
        "pnrgov_000006.edi",
        "pnrgov_000007.edi",
    ]
    assert paths[0].read_bytes() == synth.make_pnrgov(10, 5)
