"""The compiled loops against what they replaced: stage 1's numpy (same names, same sums,
same cut) and stage 2's rapidfuzz token_sort_ratio (same figures)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from firstline.screening.kernels import choose, sort_ratios, stage2_order, sum_top

NAMES = 40


def _slices(draw: st.DrawFn, size: int) -> tuple[list[int], list[int], list[float]]:
    starts: list[int] = []
    ends: list[int] = []
    weights: list[float] = []
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, size))
        starts.append(start)
        ends.append(draw(st.integers(start, size)))
        # Few distinct weights, so that equal sums (namesakes) are common.
        weights.append(draw(st.sampled_from([0.3, 1.1, 2.5, 4.0])))
    return starts, ends, weights


@st.composite
def _case(draw: st.DrawFn) -> tuple[np.ndarray, tuple, np.ndarray, tuple, int]:
    postings = np.array(draw(st.lists(st.integers(0, NAMES - 1), max_size=60)), dtype=np.int32)
    pairs = np.array(draw(st.lists(st.integers(0, NAMES - 1), max_size=20)), dtype=np.int32)
    return (
        postings,
        _slices(draw, len(postings)),
        pairs,
        _slices(draw, len(pairs)),
        draw(st.integers(1, 12)),
    )


def _reference(postings, slices, pairs, pair_slices, limit):  # type: ignore[no-untyped-def]
    """The numpy of before: concatenate, unique, bincount, partition."""
    arrays, per = [], []
    for source, (starts, ends, weights) in ((postings, slices), (pairs, pair_slices)):
        for a, b, w in zip(starts, ends, weights, strict=True):
            arrays.append(source[a:b])
            per.append(np.full(b - a, w))
    ids = np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.int32)
    weights = np.concatenate(per) if per else np.zeros(0)
    unique, inverse = np.unique(ids, return_inverse=True)
    totals = np.bincount(inverse, weights=weights)
    if len(unique) <= limit:
        return dict(zip(unique.tolist(), totals.tolist(), strict=True)), {}
    cut = np.partition(totals, len(totals) - limit)[len(totals) - limit]
    above = {int(n): float(t) for n, t in zip(unique, totals, strict=True) if t > cut}
    tied = {int(n): float(t) for n, t in zip(unique, totals, strict=True) if t == cut}
    return above, tied


@settings(max_examples=300, deadline=None)
@given(_case())
def test_sums_and_cut_are_those_of_numpy(case) -> None:  # type: ignore[no-untyped-def]
    postings, slices, pairs, pair_slices, limit = case
    ids, sums, above = sum_top(postings, slices, pairs, pair_slices, limit)
    want_above, want_tied = _reference(postings, slices, pairs, pair_slices, limit)
    got = dict(zip(ids.tolist(), sums.tolist(), strict=True))
    assert len(got) == len(ids)  # each name once
    if not want_tied:
        assert above == len(ids)
        assert got == want_above  # exactly equal floats: same order of addition
    else:
        assert dict(list(got.items())[:above]) == want_above
        assert dict(list(got.items())[above:]) == want_tied


def test_each_query_starts_from_empty_sums() -> None:
    postings = np.array([3, 5, 3, 7], dtype=np.int32)
    empty = np.zeros(0, dtype=np.int32)
    first = sum_top(postings, ([0], [4], [1.0]), empty, ([], [], []), 5)
    again = sum_top(postings, ([0], [4], [1.0]), empty, ([], [], []), 5)
    assert dict(zip(first[0].tolist(), first[1].tolist(), strict=True)) == {3: 2.0, 5: 1.0, 7: 1.0}
    assert again[0].tolist() == first[0].tolist() and again[1].tolist() == first[1].tolist()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 2**31 - 1), min_size=1, max_size=40),
    st.lists(st.integers(0, 39), min_size=1, max_size=400),
    st.integers(1, 30),
)
def test_sums_hold_when_names_share_slots(pool, picks, limit) -> None:  # type: ignore[no-untyped-def]
    # Names from the whole int32 range, many repeated, in tables of a few slots: names whose
    # hashes collide probe on, and the probe wraps around the table's end.
    postings = np.array([pool[i % len(pool)] for i in picks], dtype=np.int32)
    cuts = sorted({0, len(postings) // 3, len(postings) // 2, len(postings)})
    slices = (cuts[:-1], cuts[1:], [1.1, 2.5, 0.3][: len(cuts) - 1])
    empty = np.zeros(0, dtype=np.int32)
    ids, sums, above = sum_top(postings, slices, empty, ([], [], []), limit)
    want_above, want_tied = _reference(postings, slices, empty, ([], [], []), limit)
    got = dict(zip(ids.tolist(), sums.tolist(), strict=True))
    assert len(got) == len(ids)
    assert dict(list(got.items())[:above]) == want_above
    assert dict(list(got.items())[above:]) == want_tied


def _shuffled(names: np.ndarray) -> np.ndarray:
    return (names.astype(np.uint32) * np.uint32(2654435761)).astype(np.uint32)


def _reference_choice(ids, sums, above, bounds, limit):  # type: ignore[no-untyped-def]
    """The numpy of before: the tie cut by argpartition on one key, then lexsort."""
    if len(ids) > limit:
        tied = ids[above:]
        key = _shuffled(tied).astype(np.int64)
        if bounds is not None:
            key += np.rint(-bounds * 1000).astype(np.int64) * (1 << 32)
        chosen = above + np.argpartition(key, limit - above - 1)[: limit - above]
        top = np.concatenate((np.arange(above), chosen))
        ids, sums = ids[top], sums[top]
    order = np.lexsort((_shuffled(ids), -sums))
    return ids[order], sums[order]


@settings(max_examples=300, deadline=None)
@given(_case(), st.booleans(), st.randoms(use_true_random=False))
def test_choice_among_ties_is_that_of_numpy(case, with_bounds, rng) -> None:  # type: ignore[no-untyped-def]
    postings, slices, pairs, pair_slices, limit = case
    ids, sums, above = sum_top(postings, slices, pairs, pair_slices, limit)
    bounds = None
    if with_bounds and len(ids) > limit:
        # Facts' bounds: sums of adjustments in hundredths, often equal.
        bounds = np.array([rng.choice([-0.25, -0.05, 0.0, 0.03, 0.13]) for _ in ids[above:]])
    got = choose(ids, sums, above, bounds, limit)
    want = _reference_choice(ids, sums, above, bounds, limit)
    assert got[0].tolist() == want[0].tolist()
    assert got[1].tolist() == want[1].tolist()


# -- stage 2: token_sort_ratio -----------------------------------------------------------------

# Few letters, so that long common subsequences are frequent; the query often holds a letter
# no text does (code 0).
_WORDS = st.text(alphabet="abcdeé語 ", min_size=0, max_size=150)


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=8), _WORDS)
def test_sort_ratios_are_rapidfuzz_token_sort_ratio(texts: list[str], query: str) -> None:
    """The compiled Indel similarity gives rapidfuzz's float32 figures exactly, for texts
    shorter and longer than the 64 letters of one machine word (the query's bits span words)."""
    ordered = [" ".join(sorted(t.split())) for t in texts]
    letters = {c: n + 1 for n, c in enumerate(sorted(set("".join(ordered))))}
    codes = np.array([letters[c] for t in ordered for c in t], dtype=np.uint16)
    offsets = np.zeros(len(ordered) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in ordered], out=offsets[1:])
    sorted_query = " ".join(sorted(query.split()))
    coded = np.array([letters.get(c, 0) for c in sorted_query], dtype=np.uint16)
    names = np.arange(len(texts), dtype=np.int32)[::-1].copy()  # any order, any subset
    ours = sort_ratios(coded, codes, offsets, names, len(letters) + 1)
    expected = process.cdist([query], [texts[n] for n in names], scorer=fuzz.token_sort_ratio)
    assert ours.dtype == np.float32
    assert ours.tolist() == expected[0].tolist()


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([0.5, 1.0, 2.5, 3.0, 4.75]),  # few values: equal keys are common
            st.sampled_from([0.0, 40.0, 59.5, 60.0, 66.66666412353516, 100.0]),
        ),
        min_size=1,
        max_size=100,
    ),
    st.sampled_from([1.0, 3.0, 7.25]),
)
def test_stage2_order_is_the_numpy_it_replaced(
    items: list[tuple[float, float]], total: float
) -> None:
    weights = np.array([w for w, _ in items], dtype=np.float64)
    quick = np.array([q for _, q in items], dtype=np.float32)
    share = weights / total
    eligible = (share >= 0.55) | (quick >= 60.0)
    eligible[0] = True
    positions = np.flatnonzero(eligible)
    key = -(quick[positions] / 100.0 + share[positions])
    order = np.argsort(key, kind="stable")
    ours = stage2_order(weights, quick, total, 0.55, 60.0)
    assert ours[0].tolist() == positions.tolist()
    assert ours[1].tolist() == key.tolist()
    assert ours[2].tolist() == order.tolist()
