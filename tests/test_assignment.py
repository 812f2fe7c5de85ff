"""The optimal assignment: dense and sparse solvers agree with a brute-force optimum."""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sow_sheets.matching import assignment
from sow_sheets.matching.assignment import assign, assign_priced, greedy

Edges = tuple[list[int], list[int], list[int], list[int]]


@st.composite
def graphs(draw: st.DrawFn, max_f: int = 6, max_v: int = 4) -> Edges:
    n_f, n_v = draw(st.integers(1, max_f)), draw(st.integers(1, max_v))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n_f - 1), st.integers(0, n_v - 1)),
            unique=True,
            max_size=n_f * n_v,
        )
    )
    scores = draw(st.lists(st.integers(0, 100), min_size=len(pairs), max_size=len(pairs)))
    capacity = draw(st.lists(st.integers(0, 3), min_size=n_v, max_size=n_v))
    return [f for f, _ in pairs], [v for _, v in pairs], scores, capacity


def value(edges: Edges, chosen: np.ndarray) -> tuple[int, int]:
    return len(chosen), sum(edges[2][i] for i in chosen.tolist())


def check_valid(edges: Edges, chosen: np.ndarray) -> None:
    fam, vol, _, cap = edges
    assert len(set(chosen.tolist())) == len(chosen)
    assert len({fam[i] for i in chosen.tolist()}) == len(chosen)  # a family at most once
    used = Counter(vol[i] for i in chosen.tolist())
    assert all(used[v] <= cap[v] for v in used)


def brute(edges: Edges) -> tuple[int, int]:
    fam, vol, score, cap = edges
    by_family: dict[int, list[int | None]] = {}
    for i, f in enumerate(fam):
        by_family.setdefault(f, [None]).append(i)
    best = (0, 0)
    for combo in itertools.product(*by_family.values()):
        picked = [i for i in combo if i is not None]
        used = Counter(vol[i] for i in picked)
        if all(used[v] <= cap[v] for v in used):
            best = max(best, (len(picked), sum(score[i] for i in picked)))
    return best


@settings(max_examples=150, deadline=None)
@given(graphs())
def test_dense_and_sparse_are_valid_and_equal_brute_force(edges: Edges) -> None:
    best = brute(edges)
    for method in ("dense", "sparse"):
        chosen = assign(*edges, method=method)
        check_valid(edges, chosen)
        assert value(edges, chosen) == best, method
    greedy_pick = greedy(*edges)
    check_valid(edges, greedy_pick)
    assert value(edges, greedy_pick) <= best


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_dense_and_sparse_agree_on_larger_graphs(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_f, n_v = int(rng.integers(20, 80)), int(rng.integers(10, 60))
    code = np.unique(rng.integers(0, n_f * n_v, size=n_f * 4))
    fam, vol = code // n_v, code % n_v
    score = rng.integers(0, 101, size=len(code))
    cap = rng.choice([0, 1, 1, 2, 3], size=n_v)
    dense = assign(fam, vol, score, cap, method="dense")
    sparse = assign(fam, vol, score, cap, method="sparse")
    edges = (fam.tolist(), vol.tolist(), score.tolist(), cap.tolist())
    check_valid(edges, dense)
    check_valid(edges, sparse)
    assert value(edges, dense) == value(edges, sparse)
    assert value(edges, greedy(fam, vol, score, cap)) <= value(edges, sparse)


def test_serving_more_families_beats_a_higher_score() -> None:
    # Family 0 likes both volunteers; family 1 only fits volunteer 0. Best-pair-first greedy
    # gives volunteer 0 to family 0 (score 100) and leaves family 1 without anyone.
    edges: Edges = ([0, 0, 1], [0, 1, 0], [100, 10, 20], [1, 1])
    for method in ("dense", "sparse", "auto"):
        chosen = assign(*edges, method=method)
        assert value(edges, chosen) == (2, 30)
    assert value(edges, greedy(*edges)) == (1, 100)


def test_zero_score_pairs_still_count_and_capacity_above_one_is_used() -> None:
    edges: Edges = ([0, 1, 2], [0, 0, 0], [0, 0, 5], [2])
    chosen = assign(*edges, method="sparse")
    assert len(chosen) == 2 and 2 in chosen.tolist()


@pytest.mark.parametrize("method", ["dense", "sparse"])
def test_empty_and_no_capacity(method: str) -> None:
    assert len(assign([], [], [], [1, 1], method=method)) == 0  # type: ignore[arg-type]
    assert len(assign([0, 1], [0, 0], [50, 60], [0], method=method)) == 0  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 3), st.sampled_from([7, 64, 1 << 20]))
def test_priced_subset_equals_the_uncapped_solve_on_dense_cases(
    seed: int, per_family: int, chunk: int
) -> None:
    """Solving on each family's best few pairs, then pricing the rest (a chunk of pairs at a
    time), is exact."""
    rng = np.random.default_rng(seed)
    n_f, n_v = int(rng.integers(5, 60)), int(rng.integers(3, 40))
    code = np.unique(rng.integers(0, n_f * n_v, size=int(n_f * n_v * rng.uniform(0.3, 0.9))))
    fam, vol = code // n_v, code % n_v
    score = rng.integers(0, 101, size=len(code))
    cap = rng.choice([0, 1, 1, 2, 3], size=n_v)
    order = np.lexsort((vol, -score, fam))
    rank = np.arange(len(order)) - np.searchsorted(fam[order], fam[order])
    start = order[rank < per_family]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(assignment, "PRICE_CHUNK", chunk)
        priced = assign_priced(
            fam.astype(np.int32), vol.astype(np.int32), score.astype(np.uint8), cap, start
        )
    uncapped = assign(fam, vol, score, cap, method="sparse")
    edges = (fam.tolist(), vol.tolist(), score.tolist(), cap.tolist())
    check_valid(edges, priced)
    assert value(edges, priced) == value(edges, uncapped)


@settings(max_examples=100, deadline=None)
@given(graphs())
def test_priced_from_nothing_equals_brute_force(edges: Edges) -> None:
    chosen = assign_priced(*edges, start=[])
    check_valid(edges, chosen)
    assert value(edges, chosen) == brute(edges)
