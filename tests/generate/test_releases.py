"""Carriers push PNRGOV in different releases; each carrier always in the same one."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

from firstline.generate import NO_DEVIATIONS, DayPlan, write_day
from firstline.generate.pnrgov import RELEASES, release_of
from firstline.generate.reference import airlines
from firstline.ingest.reader import read_message

UNH = re.compile(rb"UNH\+1\+PNRGOV:(\d+):(\d+):(\w+)\+([A-Z0-9]{2})")


def test_every_release_is_used_and_11_1_most() -> None:
    seen = Counter(release_of(carrier) for carrier in airlines())
    assert set(seen) == {release for release, _ in RELEASES}
    assert seen.most_common(1)[0][0] == ("11", "1", "IA")
    # A stable hash, not Python's salted one: the same release in every run.
    assert [release_of(c) for c in ("LH", "AF")] == [("11", "1", "IA")] * 2


def test_pushes_carry_their_carriers_release_and_read_cleanly(tmp_path: Path) -> None:
    plan = DayPlan(
        day=date(2030, 5, 1),
        flights=30,
        seed=9,
        passengers=(3, 8),
        scenarios=False,
        deviations=NO_DEVIATIONS,
    )
    write_day(plan, tmp_path)
    releases = set()
    for path in sorted(tmp_path.glob("*_pnr.edi")):
        data = path.read_bytes()
        match = UNH.search(data)
        assert match is not None, path.name
        version, release, agency, carrier = (g.decode() for g in match.groups())
        assert (version, release, agency) == release_of(carrier), path.name
        assert f"+{agency}+{version}:{release}'".encode() in data  # UNG agrees
        releases.add((version, release, agency))
        result = read_message(data, today=plan.day)
        assert result.warnings == [] and all(p.warnings == [] for p in result.pushes), path.name
    assert len(releases) >= 3
