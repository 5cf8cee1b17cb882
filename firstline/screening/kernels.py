"""Compiled loops of stage 1: summing the postings a query reaches, and the facts' upper bound.

Against a million entries a traveller's name reads some 2,700 postings through 36 posting
slices. In numpy that took a dozen array operations per query (concatenate, unique, bincount,
partition...), each cheap alone but together most of the time of screening, and
`np.partition` slows down on the many equal sums namesakes make. These loops touch each posting
once: a sum per name in a small hash table, then a bounded heap for the cut. Numba compiles
them on first use (cached on disk beside the module).

The results are exactly those of the numpy code they replace: sums are added in the same order
(the postings' slices, then the pair index's), so equal evidence gives equal floats.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba
import numpy as np
import numpy.typing as npt

_F = TypeVar("_F", bound=Callable[..., Any])


def _compiled(fn: _F) -> _F:
    # nogil: screening threads of the web application run these loops in parallel.
    try:
        return cast(_F, numba.njit(cache=True, nogil=True)(fn))
    except RuntimeError:
        # No writable place for the cache (a read-only install and no writable home, or
        # NUMBA_CACHE_DIR unset): compiled anew by each process, about a second.
        return cast(_F, numba.njit(cache=False, nogil=True)(fn))


# Fibonacci hashing: name numbers of one token's postings are often close together, and the
# multiplication spreads them over the table's slots.
_GOLDEN = 2654435769


@_compiled
def _add(
    source: npt.NDArray[np.int32],
    starts: npt.NDArray[np.int64],
    ends: npt.NDArray[np.int64],
    weights: npt.NDArray[np.float64],
    names: npt.NDArray[np.int32],
    sums: npt.NDArray[np.float64],
    seen: npt.NDArray[np.int64],
    count: int,
) -> int:
    """Add each slice's weight to its names' sums in an open-addressing table (`names` holds
    -1 in a free slot); the slot of a name seen for the first time is appended to `seen` from
    `count` on. Returns the new count."""
    mask = len(names) - 1
    for s in range(len(starts)):
        weight = weights[s]
        for k in range(starts[s], ends[s]):
            name = source[k]
            slot = np.int64((np.uint32(name) * np.uint32(_GOLDEN)) >> np.uint32(8)) & mask
            while True:
                held = names[slot]
                if held == name:
                    sums[slot] += weight
                    break
                if held == -1:
                    names[slot] = name
                    sums[slot] = weight
                    seen[count] = slot
                    count += 1
                    break
                slot = (slot + 1) & mask
    return count


@_compiled
def _sum_top(
    postings: npt.NDArray[np.int32],
    starts: npt.NDArray[np.int64],
    ends: npt.NDArray[np.int64],
    weights: npt.NDArray[np.float64],
    pair_names: npt.NDArray[np.int32],
    pair_starts: npt.NDArray[np.int64],
    pair_ends: npt.NDArray[np.int64],
    pair_weights: npt.NDArray[np.float64],
    limit: int,
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float64], int]:
    size = np.sum(ends - starts) + np.sum(pair_ends - pair_starts)
    # The sums live in a table of at least twice as many slots as postings, not in an array
    # the size of the name table: a query's 2,700 postings scatter over a million names, and
    # each would be a read from main memory (13 MB); the table stays in the core's own cache.
    slots = 64
    while slots < 2 * size:
        slots *= 2
    names = np.full(slots, -1, dtype=np.int32)
    table = np.empty(slots, dtype=np.float64)
    seen = np.empty(size, dtype=np.int64)
    count = _add(postings, starts, ends, weights, names, table, seen, 0)
    count = _add(pair_names, pair_starts, pair_ends, pair_weights, names, table, seen, count)
    # In the order first seen (as the numpy code it replaced left them).
    reached = np.empty(count, dtype=np.int32)
    totals = np.empty(count, dtype=np.float64)
    for i in range(count):
        reached[i] = names[seen[i]]
        totals[i] = table[seen[i]]
    if count <= limit:
        return reached, totals, count
    # The `limit`-th largest sum (counting equal sums): a min-heap of the `limit` largest.
    heap = totals[:limit].copy()
    no_payload = np.zeros(0, dtype=np.int64)
    _heapify(heap, no_payload)
    for i in range(limit, count):
        if totals[i] > heap[0]:
            heap[0] = totals[i]
            _sift(heap, no_payload, 0)
    cut = heap[0]
    # Names above the cut first, then every name at it (the caller chooses among those).
    above = np.sum(totals > cut)
    tied = np.sum(totals == cut)
    ids = np.empty(above + tied, dtype=np.int32)
    sums = np.empty(above + tied, dtype=np.float64)
    a = 0
    t = above
    for i in range(count):
        if totals[i] > cut:
            ids[a] = reached[i]
            sums[a] = totals[i]
            a += 1
        elif totals[i] == cut:
            ids[t] = reached[i]
            sums[t] = totals[i]
            t += 1
    return ids, sums, above


@_compiled
def _sift(heap: npt.NDArray[Any], payload: npt.NDArray[np.int64], at: int) -> None:
    """Min-heap sift-down from `at`; `payload` (empty, or one per entry) moves along."""
    size = len(heap)
    while True:
        low = at
        left = 2 * at + 1
        right = left + 1
        if left < size and heap[left] < heap[low]:
            low = left
        if right < size and heap[right] < heap[low]:
            low = right
        if low == at:
            return
        heap[at], heap[low] = heap[low], heap[at]
        if len(payload):
            payload[at], payload[low] = payload[low], payload[at]
        at = low


@_compiled
def _heapify(heap: npt.NDArray[Any], payload: npt.NDArray[np.int64]) -> None:
    for i in range(len(heap) // 2 - 1, -1, -1):
        _sift(heap, payload, i)


def sum_top(
    postings: npt.NDArray[np.int32],
    slices: tuple[list[int], list[int], list[float]],
    pair_names: npt.NDArray[np.int32],
    pair_slices: tuple[list[int], list[int], list[float]],
    limit: int,
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float64], int]:
    """Each name reached by the posting slices (start, end, weight) once, with the sum of its
    weights; when more than `limit` names are reached, only those whose sum is above the
    `limit`-th largest, then all those equal to it. Returns (names, sums, how many are
    above); the order within each group is unspecified."""
    starts, ends, weights = slices
    pair_starts, pair_ends, pair_weights = pair_slices
    ids, sums, above = _sum_top(
        postings,
        np.array(starts, dtype=np.int64),
        np.array(ends, dtype=np.int64),
        np.array(weights, dtype=np.float64),
        pair_names,
        np.array(pair_starts, dtype=np.int64),
        np.array(pair_ends, dtype=np.int64),
        np.array(pair_weights, dtype=np.float64),
        limit,
    )
    return ids, sums, int(above)


@_compiled
def _upper_bounds(
    packed: npt.NDArray[np.int64],
    picks: npt.NDArray[np.int32],
    year: int,
    query_rough: bool,
    code: int,
    gender: int,
    dob_bounds: npt.NDArray[np.float64],
    nat_same: float,
    nat_other: float,
    gender_other: float,
) -> npt.NDArray[np.float64]:
    out = np.zeros(len(picks), dtype=np.float64)
    for i in range(len(picks)):
        value = packed[picks[i]]
        bound = 0.0
        low = (value & 0xFFFF) - 1
        if year >= 0 and low >= 0:
            high = ((value >> 16) & 0xFFFF) - 1
            gap = max(low - year, year - high, 0)
            gap = min(gap, 4)
            row = 1 if query_rough else (value >> 32) & 1
            bound = dob_bounds[row, gap]
        if code != -4:
            listed = ((value >> 35) & 0xFFFFF) - 2
            if listed == -2 or listed == code:
                bound += nat_same
            elif listed != -1:
                bound += nat_other
        if gender:
            listed_gender = (value >> 33) & 3
            if listed_gender != 0 and listed_gender != gender:
                bound += gender_other
        out[i] = bound
    return out


def upper_bounds(
    packed: npt.NDArray[np.int64],
    picks: npt.NDArray[np.int32],
    year: int,
    query_rough: bool,
    code: int,
    gender: int,
    dob_bounds: npt.NDArray[np.float64],
    adjustments: tuple[float, float, float],
) -> npt.NDArray[np.float64]:
    """The facts' upper bound (`FactBounds.upper_packed`) of the subjects `packed[picks]`:
    `year` -1 when the query has no date of birth, `code` -4 when it has no nationality,
    `gender` 0 when unknown; `adjustments` are same nationality, other nationality, other
    gender."""
    same, other, gender_other = adjustments
    return _upper_bounds(
        packed, picks, year, query_rough, code, gender, dob_bounds, same, other, gender_other
    )


@_compiled
def _shuffled_key(name: int) -> np.uint64:
    # A fixed pseudo-random order of name numbers (Knuth's multiplicative hash, modulo 2**32):
    # ties are not broken in favour of the entries listed first.
    return (np.uint64(name) * np.uint64(2654435761)) & np.uint64(0xFFFFFFFF)


@_compiled
def _choose(
    names: npt.NDArray[np.int32],
    sums: npt.NDArray[np.float64],
    above: int,
    bounds: npt.NDArray[np.float64],
    limit: int,
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float64]]:
    count = len(names)
    if count > limit:
        # Among the names tied at the cut, the `limit - above` of smallest key: the bound in
        # thousandths (higher first), then the fixed order. Keys are distinct (the order is a
        # bijection of name numbers), so the choice does not depend on the names' order. A
        # min-heap of the negated keys keeps the smallest seen so far.
        want = limit - above
        keys = np.empty(count - above, dtype=np.int64)
        for i in range(above, count):
            level = np.int64(np.rint(-bounds[i - above] * 1000.0)) if len(bounds) else 0
            keys[i - above] = -(level * 4294967296 + np.int64(_shuffled_key(names[i])))
        heap = keys[:want].copy()
        where = np.arange(above, above + want)
        _heapify(heap, where)
        for i in range(want, len(keys)):
            if keys[i] > heap[0]:
                heap[0] = keys[i]
                where[0] = above + i
                _sift(heap, where, 0)
        chosen = np.concatenate((np.arange(above), where))
    else:
        chosen = np.arange(count)
    # Best first, equal sums in the fixed order: a stable sort by sum after one by the order.
    order = np.empty(len(chosen), dtype=np.int64)
    for i in range(len(chosen)):
        order[i] = _shuffled_key(names[chosen[i]])
    by_order = chosen[np.argsort(order, kind="mergesort")]
    negative = np.empty(len(by_order), dtype=np.float64)
    for i in range(len(by_order)):
        negative[i] = -sums[by_order[i]]
    final = by_order[np.argsort(negative, kind="mergesort")]
    return names[final], sums[final]


def choose(
    names: npt.NDArray[np.int32],
    sums: npt.NDArray[np.float64],
    above: int,
    bounds: npt.NDArray[np.float64] | None,
    limit: int,
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float64]]:
    """`sum_top`'s names cut to `limit` and ordered, best sum first. Names tied at the cut
    (from `above` on) are chosen by their `bounds` (higher first, in thousandths; one per tied
    name, or None), then in a fixed pseudo-random order (`_shuffled_key`), which also orders
    equal sums."""
    empty = np.zeros(0, dtype=np.float64)
    return _choose(names, sums, above, empty if bounds is None else bounds, limit)


# -- stage 2: rapidfuzz's token_sort_ratio on the names' texts, without their Python strings --


@_compiled
def _popcount(word: np.uint64) -> int:
    word = word - ((word >> np.uint64(1)) & np.uint64(0x5555555555555555))
    word = (word & np.uint64(0x3333333333333333)) + (
        (word >> np.uint64(2)) & np.uint64(0x3333333333333333)
    )
    word = (word + (word >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return int((word * np.uint64(0x0101010101010101)) >> np.uint64(56))


@_compiled
def sort_ratios(
    query: npt.NDArray[Any],
    codes: npt.NDArray[Any],
    offsets: npt.NDArray[np.int64],
    names: npt.NDArray[np.int32],
    alphabet: int,
) -> npt.NDArray[np.float32]:
    """rapidfuzz's `fuzz.token_sort_ratio` of a query against each of `names`, the texts
    given as letter codes with their tokens already sorted (`codes[offsets[n]:offsets[n+1]]`
    for name n; the query's letters coded alike, 0 for a letter no name holds).

    The same figures as rapidfuzz, to the last bit of its float32 output: the ratio is the
    Indel similarity, whose distance is the total length less twice the longest common
    subsequence, found 64 letters at a time (Hyyrö 2004)."""
    m = len(query)
    words = (m + 63) // 64
    # Where each letter stands in the query, as bits (Hyyrö's bit-parallel LCS).
    positions = np.zeros((alphabet, max(words, 1)), dtype=np.uint64)
    for i in range(m):
        positions[query[i], i // 64] |= np.uint64(1) << np.uint64(i % 64)
    out = np.empty(len(names), dtype=np.float32)
    full = ~np.uint64(0)
    # The names' texts lie anywhere in a large array. Their bounds, then their first letters,
    # are read in loops of their own, whose reads do not wait on each other: the memory
    # fetches overlap instead of each stalling the bit-parallel loop in turn (7 us instead of
    # 18 for the hundred names of a query against a million entries).
    starts = np.empty(len(names), dtype=np.int64)
    ends = np.empty(len(names), dtype=np.int64)
    for k in range(len(names)):
        starts[k] = offsets[names[k]]
        ends[k] = offsets[names[k] + 1]
    if words <= 1:
        # The usual case, a query of 64 letters or fewer: one word, no carry between words.
        single = positions[:, 0].copy()
        mask = full if m >= 64 else (np.uint64(1) << np.uint64(m)) - np.uint64(1)
        first = np.empty(len(names), dtype=np.uint64)
        for k in range(len(names)):
            row = full
            if ends[k] > starts[k]:
                u = row & single[codes[starts[k]]]
                row = (row + u) | (row - u)
            first[k] = row
        for k in range(len(names)):
            row = first[k]
            for j in range(starts[k] + 1, ends[k]):
                u = row & single[codes[j]]
                row = (row + u) | (row - u)
            out[k] = _ratio(_popcount(~row & mask), m, ends[k] - starts[k])
        return out
    rows = np.empty(words, dtype=np.uint64)
    for k in range(len(names)):
        start = starts[k]
        end = ends[k]
        for w in range(words):
            rows[w] = full
        for j in range(start, end):
            carry = np.uint64(0)
            for w in range(words):
                match = positions[codes[j], w]
                row = rows[w]
                u = row & match
                t = row + carry
                c1 = np.uint64(1) if t < carry else np.uint64(0)
                x = t + u
                c2 = np.uint64(1) if x < u else np.uint64(0)
                carry = c1 | c2
                rows[w] = x | (row - u)
        common = 0
        for w in range(words):
            bits = m - 64 * w
            mask = full if bits >= 64 else (np.uint64(1) << np.uint64(bits)) - np.uint64(1)
            common += _popcount(~rows[w] & mask)
        out[k] = _ratio(common, m, end - start)
    return out


@_compiled
def _ratio(common: int, m: int, n: int) -> np.float32:
    """As rapidfuzz computes it: 100 x (1 - Indel distance / total length), in float32."""
    total = m + n
    if total == 0:
        return np.float32(100.0)
    distance = total - 2 * common
    return np.float32((1.0 - distance / total) * 100.0)


@_compiled
def stage2_order(
    weights: npt.NDArray[np.float64],
    quick: npt.NDArray[np.float32],
    total: float,
    share_min: float,
    cut: float,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """Stage 2's choice: the names holding at least `share_min` of the query's retrieval
    weight (`weights / total`) or a quick similarity of at least `cut`, and the first always;
    returns their positions, their keys (lower is better: -(quick / 100 + share)) and the
    stable order of the keys."""
    n = len(weights)
    positions = np.empty(n, dtype=np.int64)
    keys = np.empty(n, dtype=np.float64)
    count = 0
    for i in range(n):
        share = weights[i] / total
        if i == 0 or share >= share_min or quick[i] >= cut:
            positions[count] = i
            # As numpy computes -(quick / 100.0 + share) on a float32 array: the division in
            # float32, the sum in float64.
            keys[count] = -(np.float64(quick[i] / np.float32(100.0)) + share)
            count += 1
    # Stable insertion sort: a hundred names at most.
    order = np.arange(count)
    for i in range(1, count):
        item = order[i]
        j = i - 1
        while j >= 0 and keys[order[j]] > keys[item]:
            order[j + 1] = order[j]
            j -= 1
        order[j + 1] = item
    return positions[:count].copy(), keys[:count].copy(), order
