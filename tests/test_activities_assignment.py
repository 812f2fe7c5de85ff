"""The min-cost-flow assignment: feasibility, lexicographic fairness, optimality vs a full LP."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_flow

from sow_sheets.activity_assignment import (
    SCORE_SCALE,
    AssignmentProblem,
    _solve,
    assign,
    rank_rewards,
    safe_step,
)


@st.composite
def problems(draw: st.DrawFn) -> AssignmentProblem:
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    people, acts = draw(st.integers(1, 25)), draw(st.integers(1, 12))
    return AssignmentProblem(
        score=rng.random((people, acts)),
        eligible=rng.random((people, acts)) < draw(st.floats(0.1, 1.0)),
        slots=rng.integers(0, 4, people).astype(np.int64),
        held=rng.integers(0, 2, people).astype(np.int64),
        capacity=rng.integers(0, 5, acts).astype(np.int64),
    )


def max_flow_value(p: AssignmentProblem, caps: NDArray[np.int64]) -> int:
    people, acts = p.eligible.shape
    pi, ai = np.nonzero(p.eligible)
    n = people + acts + 2
    graph = csr_matrix(
        (
            np.concatenate([caps, np.ones(pi.size, dtype=np.int64), p.capacity]).astype(np.int32),
            (
                np.concatenate([np.full(people, n - 2), pi, people + np.arange(acts)]),
                np.concatenate([np.arange(people), people + ai, np.full(acts, n - 1)]),
            ),
        ),
        shape=(n, n),
    )
    return int(maximum_flow(graph, n - 2, n - 1).flow_value)


@settings(max_examples=60, deadline=None)
@given(problems())
def test_assignment_respects_eligibility_slots_capacity_and_no_repeat(
    p: AssignmentProblem,
) -> None:
    pairs = assign(p).pairs
    assert len(set(pairs)) == len(pairs)
    people, acts = p.eligible.shape
    for i, j in pairs:
        assert p.eligible[i, j]
    assert (np.bincount([i for i, _ in pairs], minlength=people) <= p.slots).all()
    assert (np.bincount([j for _, j in pairs], minlength=acts) <= p.capacity).all()


@settings(max_examples=60, deadline=None)
@given(problems())
def test_counts_are_lexicographically_best(p: AssignmentProblem) -> None:
    """For every rank k: as many suggestions counting towards "at least k" as any flow allows."""
    given_ = np.bincount([i for i, _ in assign(p).pairs], minlength=p.slots.size)
    for k in range(1, int((p.slots + p.held).max()) + 1):
        caps = np.minimum(p.slots, np.maximum(0, k - p.held))
        assert int(np.minimum(given_, caps).sum()) == max_flow_value(p, caps)


@settings(max_examples=40, deadline=None)
@given(problems(), st.sampled_from([0, 1]))
def test_matches_the_lp_over_all_pairs(p: AssignmentProblem, rounds: int) -> None:
    """Column generation ends at the optimum of the LP that has every allowed pair."""
    result = assign(p, max_rounds=rounds)
    allowed = p.eligible & (p.slots[:, None] > 0) & (p.capacity[None, :] > 0)
    if not allowed.any():
        assert result.pairs == []
        return
    scores = np.rint(p.score * SCORE_SCALE).astype(np.int64)
    max_rank = int((p.slots + p.held).max())
    rewards = rank_rewards(max_rank, safe_step(*allowed.shape))
    pi, ai = np.nonzero(allowed)
    x, _, _ = _solve(
        (pi.astype(np.int64), ai.astype(np.int64)), scores, p.slots, p.held, p.capacity, rewards
    )
    assert np.allclose(x, np.rint(x))  # the network LP has an integral vertex optimum

    def value(pairs: list[tuple[int, int]]) -> int:
        count = np.bincount([i for i, _ in pairs], minlength=p.slots.size)
        reward = sum(
            int(rewards[p.held[i] : p.held[i] + count[i]].sum()) for i in range(count.size)
        )
        return reward + sum(int(scores[i, j]) for i, j in pairs)

    full = [(int(i), int(j)) for i, j, v in zip(pi, ai, x, strict=True) if v > 0.5]
    if result.score_optimal:
        assert value(result.pairs) == value(full)
    else:
        assert value(result.pairs) <= value(full)


def test_first_suggestions_beat_second_ones() -> None:
    """One scarce place each: two people get one each, not one person two."""
    p = AssignmentProblem(
        score=np.array([[1.0, 1.0], [0.0, 0.0]]),
        eligible=np.ones((2, 2), dtype=bool),
        slots=np.array([3, 3]),
        held=np.array([0, 0]),
        capacity=np.array([1, 1]),
    )
    pairs = assign(p).pairs
    assert sorted(i for i, _ in pairs) == [0, 1]


def test_person_holding_a_suggestion_yields_a_place_to_one_without() -> None:
    p = AssignmentProblem(
        score=np.array([[1.0], [0.0]]),
        eligible=np.ones((2, 1), dtype=bool),
        slots=np.array([2, 2]),
        held=np.array([1, 0]),
        capacity=np.array([1]),
    )
    assert assign(p).pairs == [(1, 0)]


def test_higher_score_wins_between_equal_counts() -> None:
    p = AssignmentProblem(
        score=np.array([[0.2, 0.9], [0.8, 0.3]]),
        eligible=np.ones((2, 2), dtype=bool),
        slots=np.array([1, 1]),
        held=np.array([0, 0]),
        capacity=np.array([1, 1]),
    )
    assert assign(p).pairs == [(0, 1), (1, 0)]
