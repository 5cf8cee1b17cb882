"""Aligning the parts of two names and scoring the alignment.

The weighting follows nomenklatura's logic-v2, whose choices are documented and tested on
analyst judgements: a query part left unmatched costs much (weight 0.8: the traveller has a name
part the list does not know), a listed part left unmatched costs little (0.2: lists carry
middle names, patronymics and tribal names that travel documents omit), family names count 1.3,
particles (AL, BIN, VAN) and initials count less. Alignment is order-free because surname and
given name are swapped often at check-in; a swap the roles reveal costs 5 %.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from firstline.screening.normalize import NormalName
from firstline.screening.tokens import (
    MIN_TOKEN_SCORE,
    PREFIX,
    TokenInfo,
    compare,
    skeleton,
    token_info,
)

FAMILY_WEIGHT = 1.3
PARTICLE_WEIGHT = 0.3
INITIAL_WEIGHT = 0.5
UNMATCHED_QUERY = 0.8
UNMATCHED_LISTED = 0.2
SWAP_FACTOR = 0.95


@dataclass(frozen=True, slots=True)
class NamePart:
    info: TokenInfo
    role: str | None = None  # "family", "given" or None when the source does not say

    def __hash__(self) -> int:
        return hash((self.info.text, self.info.icao, self.role))


@dataclass(slots=True)
class TokenPair:
    query: str
    listed: str
    method: str
    score: float
    weight: float


@dataclass(slots=True)
class NameComparison:
    score: float
    pairs: list[TokenPair] = field(default_factory=list)
    unmatched_query: list[str] = field(default_factory=list)
    unmatched_listed: list[str] = field(default_factory=list)
    swapped: bool = False


def name_parts(name: NormalName, roles: Sequence[str | None] | None = None) -> tuple[NamePart, ...]:
    return tuple(
        NamePart(token_info(text, icao), roles[i] if roles else None)
        for i, (text, icao) in enumerate(zip(name.tokens, name.icao, strict=True))
    )


def with_roles(family: NormalName, given: NormalName) -> tuple[NamePart, ...]:
    """Parts of a name whose family and given names are known apart (API/PNR, OFAC XML)."""
    return name_parts(given, ["given"] * len(given.tokens)) + name_parts(
        family, ["family"] * len(family.tokens)
    )


def _weight(part: NamePart) -> float:
    weight = FAMILY_WEIGHT if part.role == "family" else 1.0
    if part.info.particle:
        weight *= PARTICLE_WEIGHT
    return weight


@lru_cache(maxsize=200_000)
def _joins(parts: tuple[NamePart, ...]) -> tuple[tuple[int, int, str, str], ...]:
    """(start, size, joined text, its skeleton) for every run of 3 or 2 adjacent parts."""
    out = []
    for start in range(len(parts)):
        for size in (3, 2):
            group = parts[start : start + size]
            if len(group) == size:
                joined = "".join(p.info.text for p in group)
                out.append((start, size, joined, skeleton(joined)))
    return tuple(out)


@lru_cache(maxsize=200_000)
def _targets(parts: tuple[NamePart, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """Texts of the parts, and texts plus skeletons (3 letters or more) a join may equal."""
    texts = frozenset(p.info.text for p in parts)
    return texts, texts | {s for p in parts for s in p.info.skeletons if len(s) >= 3}


def _merge(parts: tuple[NamePart, ...], other: tuple[NamePart, ...]) -> tuple[NamePart, ...]:
    """Join adjacent parts written as one word on the other side (ABDUL RAHMAN/ABDULRAHMAN).

    Two or three parts (ABD AL RAHMAN) may join; never when a part already has its exact twin
    on the other side (OMAR DE DIJK vs OMAR DIJK).
    """
    if len(parts) < 2:
        return parts
    texts, whole = _targets(other)
    found = [
        (start, size, joined)
        for start, size, joined, skel in _joins(parts)
        if (joined in whole or skel in whole)
        and not any(p.info.text in texts for p in parts[start : start + size])
    ]
    if not found:
        return parts
    merged: list[NamePart] = []
    i = 0
    while i < len(parts):
        join = next(((size, text) for start, size, text in found if start == i), None)
        if join is None:
            merged.append(parts[i])
            i += 1
            continue
        size, text = join
        role = next((p.role for p in parts[i : i + size] if p.role), None)
        merged.append(NamePart(token_info(text), role))
        i += size
    return tuple(merged)


def compare_names(
    query: tuple[NamePart, ...], listed: tuple[NamePart, ...], *, truncated: bool = False
) -> NameComparison:
    """Align query parts with listed parts and score the alignment in [0, 1].

    The result is cached and shared: callers must not modify it.
    """
    return _compare_names(query, listed, truncated)


@lru_cache(maxsize=200_000)
def _compare_names(
    query: tuple[NamePart, ...], listed: tuple[NamePart, ...], truncated: bool
) -> NameComparison:
    if not query or not listed:
        return NameComparison(0.0)
    query = _merge(query, listed)
    listed = _merge(listed, query)
    scored: list[tuple[float, int, int, str]] = []
    last = len(query) - 1
    for i, q in enumerate(query):
        for j, lst in enumerate(listed):
            score, method = compare(q.info, lst.info)
            if (
                truncated
                and i == last
                and score < PREFIX
                and len(q.info.text) >= 3
                and lst.info.text.startswith(q.info.text)
            ):
                score, method = PREFIX, "cut-off start (MRZ field full)"
            if score >= MIN_TOKEN_SCORE:
                scored.append((score, i, j, method))
    # Greedy best-first assignment; ties prefer parts in the same position.
    scored.sort(key=lambda item: (-item[0], abs(item[1] - item[2])))
    used_q: set[int] = set()
    used_l: set[int] = set()
    pairs: list[TokenPair] = []
    numerator = denominator = 0.0
    swapped = False
    for score, i, j, method in scored:
        if i in used_q or j in used_l:
            continue
        used_q.add(i)
        used_l.add(j)
        q, lst = query[i], listed[j]
        weight = _weight(q)
        if q.info.initial or lst.info.initial:
            weight *= INITIAL_WEIGHT
        if q.role and lst.role and q.role != lst.role:
            score *= SWAP_FACTOR
            swapped = True
        numerator += weight * score
        denominator += weight
        pairs.append(TokenPair(q.info.text, lst.info.text, method, round(score, 3), weight))
    unmatched_q = [q for i, q in enumerate(query) if i not in used_q]
    unmatched_l = [p for j, p in enumerate(listed) if j not in used_l]
    denominator += sum(UNMATCHED_QUERY * _weight(q) for q in unmatched_q)
    denominator += sum(UNMATCHED_LISTED * (PARTICLE_WEIGHT if p.info.particle else 1.0)
                       for p in unmatched_l)  # fmt: skip
    return NameComparison(
        score=numerator / denominator if denominator else 0.0,
        pairs=pairs,
        unmatched_query=[q.info.text for q in unmatched_q],
        unmatched_listed=[p.info.text for p in unmatched_l],
        swapped=swapped,
    )
