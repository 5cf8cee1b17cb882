"""Combining a traveller's hits into one risk score."""

from __future__ import annotations

from typing import Any

import pytest

from firstline.cases.risk import combine, hit_weight


def _hit(hit_id: int, traveller: int, source: str, score: float, **extra: Any) -> dict[str, Any]:
    return {
        "id": hit_id,
        "traveller_id": traveller,
        "source": source,
        "score": score,
        "severity": extra.get("severity", "high"),
        "status": extra.get("status", "open"),
        "title": extra.get("title", f"hit {hit_id}"),
    }


def test_one_hit_is_its_own_weight() -> None:
    risk = combine([_hit(1, 10, "rule", 0.7)])[10]
    assert risk.score == 70.0


def test_watchlist_scores_are_weighted_by_list_severity() -> None:
    assert hit_weight(_hit(1, 1, "watchlist", 0.9, severity="high")) == pytest.approx(0.9)
    assert hit_weight(_hit(1, 1, "watchlist", 0.9, severity="low")) == pytest.approx(0.54)
    # A rule's score already says how much it matters.
    assert hit_weight(_hit(1, 1, "rule", 0.5, severity="low")) == pytest.approx(0.5)


def test_two_hits_outrank_one_and_never_reach_certainty() -> None:
    one = combine([_hit(1, 10, "rule", 0.5)])[10].score
    two = combine([_hit(1, 10, "rule", 0.5), _hit(2, 10, "watchlist", 0.5)])[10].score
    many = combine([_hit(n, 10, "rule", 0.3) for n in range(10)])[10].score
    assert one == 50.0 and two == 75.0
    assert two > one and many < 100.0


def test_order_does_not_matter_and_contributions_are_ranked() -> None:
    hits = [_hit(1, 10, "rule", 0.2), _hit(2, 10, "watchlist", 0.95), _hit(3, 10, "rule", 0.6)]
    forward, backward = combine(hits)[10], combine(list(reversed(hits)))[10]
    assert forward.score == backward.score
    assert [c.hit_id for c in forward.contributions] == [2, 3, 1]


def test_false_positives_and_shadow_hits_do_not_count() -> None:
    hits = [
        _hit(1, 10, "rule", 0.8, status="false_positive"),
        _hit(2, 10, "rule", 0.8, status="shadow"),
        _hit(3, 10, "rule", 0.3, status="confirmed"),
        _hit(4, 11, "rule", 0.9, status="false_positive"),
    ]
    totals = combine(hits)
    assert totals[10].score == 30.0 and [c.hit_id for c in totals[10].contributions] == [3]
    assert 11 not in totals
