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
from typing import NamedTuple

from firstline.screening.memo import remember
from firstline.screening.normalize import NormalName
from firstline.screening.tokens import (
    MIN_TOKEN_SCORE,
    PREFIX,
    TokenInfo,
    compare,
    compared_tokens,
    joined_skeleton,
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


_PARTS_SIZE = 500_000
_parts: dict[tuple[str, str, str | None], NamePart] = {}


def _part(text: str, icao: str, role: str | None) -> NamePart:
    """The part for a token and role, made once: parts are immutable, and the same given names
    and surnames come back all day."""
    return remember(_parts, _PARTS_SIZE, (text, icao, role), _new_part, text, icao, role)


def _new_part(text: str, icao: str, role: str | None) -> NamePart:
    return NamePart(token_info(text, icao), role)


def name_parts(name: NormalName, roles: Sequence[str | None] | None = None) -> tuple[NamePart, ...]:
    pairs = zip(name.tokens, name.icao, strict=True)
    if roles:
        return tuple([_part(text, icao, roles[n]) for n, (text, icao) in enumerate(pairs)])
    return tuple([_part(text, icao, None) for text, icao in pairs])


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


class PreparedName(NamedTuple):
    """One side of name comparisons, worked out once.

    A traveller's name is compared with each of the few listed names stage 2 keeps, and a
    listed name with every traveller who retrieves it: what the alignment needs of one side
    alone (its texts, skeletons and joined runs) is computed here once, not per pair.
    """

    parts: tuple[NamePart, ...]
    # (text, ICAO fold, role) per part: what the comparison reads of the parts. Caches key on
    # it, since hashing tuples of strings is done in C and hashing NameParts is not.
    key: tuple[tuple[str, str, str | None], ...]
    texts: frozenset[str]
    # The texts and the skeletons of three letters or more: what a joined run may equal.
    whole: frozenset[str]
    # (start, size, joined text) for every run of 3 or 2 adjacent parts, 3 first.
    runs: tuple[tuple[int, int, str], ...]
    # Every run's joined text and its skeleton, for a traveller's name (None for a listed one,
    # compared run by run): most have no run the other side writes as one word, which one set
    # operation tells.
    run_forms: frozenset[str] | None


def prepare_name(parts: tuple[NamePart, ...], *, forms: bool = False) -> PreparedName:
    texts = [p.info.text for p in parts]
    runs: list[tuple[int, int, str]] = []
    for start in range(len(texts) - 1):
        if start + 3 <= len(texts):
            runs.append((start, 3, texts[start] + texts[start + 1] + texts[start + 2]))
        runs.append((start, 2, texts[start] + texts[start + 1]))
    unique = frozenset(texts)
    run_forms = None
    if forms:
        joined = [text for _, _, text in runs]
        skels = [joined_skeleton(texts[start : start + size]) for start, size, _ in runs]
        run_forms = frozenset(joined + skels)
    return PreparedName(
        parts=parts,
        key=tuple([(p.info.text, p.info.icao, p.role) for p in parts]),
        texts=unique,
        whole=unique.union([s for p in parts for s in p.info.skeletons if len(s) >= 3]),
        runs=tuple(runs),
        run_forms=run_forms,
    )


def _merge(side: PreparedName, other: PreparedName) -> tuple[NamePart, ...]:
    """Join adjacent parts written as one word on the other side (ABDUL RAHMAN/ABDULRAHMAN).

    Two or three parts (ABD AL RAHMAN) may join; never when a part already has its exact twin
    on the other side (OMAR DE DIJK vs OMAR DIJK).
    """
    parts = side.parts
    if len(parts) < 2 or (side.run_forms is not None and side.run_forms.isdisjoint(other.whole)):
        return parts
    texts, whole = other.texts, other.whole
    # Parts the other side has as they are: a run holding one stays apart.
    twins = [p.info.text in texts for p in parts]
    found = [
        (start, size, joined)
        for start, size, joined in side.runs
        if not any(twins[start : start + size])
        # The skeleton (a cached call) only for the runs left.
        and (joined in whole or skeleton(joined) in whole)
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
    return compare_prepared(prepare_name(query), prepare_name(listed), truncated=truncated)


_CACHE_SIZE = 200_000
_compared: dict[tuple[object, ...], NameComparison] = {}


def compare_prepared(
    query: PreparedName, listed: PreparedName, *, truncated: bool = False
) -> NameComparison:
    """`compare_names` on prepared sides (the matcher prepares each side once).

    The result is cached and shared: callers must not modify it.
    """
    cache_key = (query.key, listed.key, truncated)
    return remember(_compared, _CACHE_SIZE, cache_key, _align, query, listed, truncated)


_scores: dict[tuple[object, ...], float] = {}


def score_prepared(query: PreparedName, listed: PreparedName, *, truncated: bool = False) -> float:
    """`compare_prepared(...).score`, without the explanation: most names a traveller is
    aligned with fall under the alert threshold, and only those above it are explained."""
    cache_key = (query.key, listed.key, truncated)
    explained = _compared.get(cache_key)
    if explained is not None:
        return explained.score
    return remember(_scores, _CACHE_SIZE, cache_key, _score_only, query, listed, truncated)


def _score_only(query_side: PreparedName, listed_side: PreparedName, truncated: bool) -> float:
    return _assign(query_side, listed_side, truncated).score


class _Assignment(NamedTuple):
    score: float
    query: tuple[NamePart, ...]  # as merged
    listed: tuple[NamePart, ...]
    # (query part number, listed part number, method, score, weight) of each pair, best first.
    chosen: list[tuple[int, int, str, float, float]]
    swapped: bool


def _align(query_side: PreparedName, listed_side: PreparedName, truncated: bool) -> NameComparison:
    found = _assign(query_side, listed_side, truncated)
    query, listed = found.query, found.listed
    used_q = {i for i, *_ in found.chosen}
    used_l = {j for _, j, *_ in found.chosen}
    return NameComparison(
        score=found.score,
        pairs=[
            TokenPair(query[i].info.text, listed[j].info.text, method, round(score, 3), weight)
            for i, j, method, score, weight in found.chosen
        ],
        unmatched_query=[q.info.text for i, q in enumerate(query) if i not in used_q],
        unmatched_listed=[p.info.text for j, p in enumerate(listed) if j not in used_l],
        swapped=found.swapped,
    )


def _assign(query_side: PreparedName, listed_side: PreparedName, truncated: bool) -> _Assignment:
    query, listed = query_side.parts, listed_side.parts
    if not query or not listed:
        return _Assignment(0.0, (), (), [], False)
    query = _merge(query_side, listed_side)
    if query is not query_side.parts:
        # The listed side's runs are checked against the query as merged.
        query_side = prepare_name(query)
    listed = _merge(listed_side, query_side)
    scored: list[tuple[float, int, int, str]] = []
    last = len(query) - 1
    compared = compared_tokens()
    for i, q in enumerate(query):
        for j, lst in enumerate(listed):
            # `compare`'s own cache read first: most pairs were compared before.
            found = compared.get((q.info.text, q.info.icao, lst.info.text, lst.info.icao))
            score, method = found if found is not None else compare(q.info, lst.info)
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
    chosen: list[tuple[int, int, str, float, float]] = []
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
        chosen.append((i, j, method, score, weight))
    denominator += sum(UNMATCHED_QUERY * _weight(q) for i, q in enumerate(query) if i not in used_q)
    denominator += sum(UNMATCHED_LISTED * (PARTICLE_WEIGHT if p.info.particle else 1.0)
                       for j, p in enumerate(listed) if j not in used_l)  # fmt: skip
    score = numerator / denominator if denominator else 0.0
    return _Assignment(score, query, listed, chosen, swapped)
