"""A traveller's total risk: every current hit, watchlist or rule, combined into one score.

Hits are combined as independent pieces of evidence (1 - product of (1 - p)), so two
medium hits outrank one, no number of weak hits reaches certainty, and the order in which
hits arrive does not matter. A hit an officer marked false positive no longer counts; a
shadow rule's hit never does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# A watchlist score says how sure the match is; the list's severity says how much it matters.
SEVERITY_WEIGHT = {"high": 1.0, "medium": 0.8, "low": 0.6}
NOT_COUNTED = ("false_positive", "shadow")


@dataclass(slots=True)
class Contribution:
    hit_id: int
    source: str
    title: str
    weight: float  # this hit's share of evidence, 0-1


@dataclass(slots=True)
class TravellerRisk:
    traveller_id: int
    score: float = 0.0  # 0-100
    contributions: list[Contribution] = field(default_factory=list)


def hit_weight(hit: Mapping[str, Any]) -> float:
    """Evidence one hit gives: rule scores are already 0-1; a watchlist match is weighted
    by its list's severity."""
    score = float(hit["score"])
    if hit["source"] == "watchlist":
        score *= SEVERITY_WEIGHT.get(str(hit["severity"]), 0.8)
    return max(0.0, min(score, 1.0))


def combine(hits: Iterable[Mapping[str, Any]]) -> dict[int, TravellerRisk]:
    """Total risk per traveller from their hits (rows with traveller_id, id, source, score,
    severity, status, title)."""
    out: dict[int, TravellerRisk] = {}
    for hit in hits:
        if hit["status"] in NOT_COUNTED:
            continue
        risk = out.setdefault(int(hit["traveller_id"]), TravellerRisk(int(hit["traveller_id"])))
        weight = hit_weight(hit)
        risk.contributions.append(Contribution(int(hit["id"]), hit["source"], hit["title"], weight))
    for risk in out.values():
        remaining = 1.0
        for part in risk.contributions:
            remaining *= 1.0 - part.weight
        risk.score = round(100.0 * (1.0 - remaining), 1)
        risk.contributions.sort(key=lambda c: -c.weight)
    return out
