"""Checking detection against a generated day's answer key: planted scenarios found x of y.

The generator plants scenarios and says which signal should reveal each (`expected_signals`:
`watchlist:*` and `document:*` for screening, `rule:*` for risk rules, shared contacts for
link analysis). A scenario counts as found when its traveller holds a current hit from the
detector its signals call for; a scenario whose detector does not exist yet is reported as
waiting for it, not as missed, so the figure stays honest as capabilities land.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from firstline.store.db import Store
from firstline.store.repos import hits as hit_repo

# The detectors a scenario can call for; link analysis is not built yet.
DETECTORS = ("screening", "risk rules", "link analysis")


@dataclass(slots=True)
class ScenarioResult:
    scenario_id: str
    type: str
    detector: str
    status: str  # "found", "missed", "waiting" (its detector does not exist yet)
    travellers: int  # travellers of the scenario found in the store
    why: str


def detector_for(signals: list[str]) -> str:
    if any(s.startswith("watchlist:shared_") for s in signals):
        return "link analysis"
    if any(s.startswith(("watchlist:", "document:")) for s in signals):
        return "screening"
    return "risk rules"


def evaluate(
    store: Store, answer_key: Path, *, running: frozenset[str] = frozenset({"screening"})
) -> list[ScenarioResult]:
    """Which planted scenarios hold a hit from their detector; `running` says which ran."""
    scenarios: list[dict[str, Any]] = json.loads(answer_key.read_text(encoding="utf-8"))
    results = []
    with store.connect() as conn:
        for item in scenarios:
            detector = detector_for(item.get("expected_signals", []))
            flight, person = item["flight"], item["traveller"]
            ids = hit_repo.travellers_on_flight(
                conn,
                carrier=flight["carrier"],
                number=str(flight["number"]),
                departure_date=date.fromisoformat(flight["date"]),
                surname=person["surname"],
                given_names=person.get("given_names"),
            )
            found = [
                h
                for h in hit_repo.current_hits_of(conn, ids)
                if (detector == "screening" and h["source"] == "watchlist")
                or (detector == "risk rules" and h["source"] == "rule")
                or (detector == "link analysis" and h["source"] == "link")
            ]
            if found:
                status = "found"
            elif detector not in running:
                status = "waiting"
            else:
                status = "missed"
            results.append(
                ScenarioResult(
                    scenario_id=item["scenario_id"],
                    type=item["type"],
                    detector=detector,
                    status=status,
                    travellers=len(ids),
                    why=item.get("why", ""),
                )
            )
    return results
