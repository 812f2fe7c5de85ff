"""The min-cost-flow assignment: feasibility, lexicographic fairness, and the same optimum as a
brute force (tiny cases) and as the full LP solved by HiGHS (small cases)."""

from __future__ import annotations

from itertools import combinations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import maximum_flow

from sow_sheets.activities.assignment import (
    AssignmentProblem,
    PairScores,
    assign,
    assign_scored,
    integer_scores,
    rank_rewards,
    rank_step,
)

Key = tuple[int, ...]


def random_problem(
    seed: int, people: int, acts: int, density: float, max_slots: int = 4, max_cap: int = 5
) -> AssignmentProblem:
    rng = np.random.default_rng(seed)
    return AssignmentProblem(
        score=rng.random((people, acts)),
        eligible=rng.random((people, acts)) < density,
        slots=rng.integers(0, max_slots, people).astype(np.int64),
        held=rng.integers(0, 2, people).astype(np.int64),
        capacity=rng.integers(0, max_cap, acts).astype(np.int64),
    )


@st.composite
def problems(draw: st.DrawFn, max_people: int = 25, max_acts: int = 12) -> AssignmentProblem:
    return random_problem(
        draw(st.integers(0, 2**32 - 1)),
        draw(st.integers(1, max_people)),
        draw(st.integers(1, max_acts)),
        draw(st.floats(0.1, 1.0)),
    )


def key(p: AssignmentProblem, pairs: list[tuple[int, int]]) -> Key:
    """What the assignment maximises, in order: per rank k the new suggestions that count
    towards people having at least k, then the total integer score."""
    given_ = np.bincount([i for i, _ in pairs], minlength=p.slots.size)
    max_rank = int((p.slots + p.held).max(initial=0))
    counts = [
        int(np.minimum(given_, np.minimum(p.slots, np.maximum(0, k - p.held))).sum())
        for k in range(1, max_rank + 1)
    ]
    scores = integer_scores(p.score)
    return (*counts, sum(int(scores[i, j]) for i, j in pairs))


def feasible(p: AssignmentProblem, pairs: list[tuple[int, int]]) -> bool:
    people, acts = p.eligible.shape
    return (
        len(set(pairs)) == len(pairs)
        and all(p.eligible[i, j] for i, j in pairs)
        and bool((np.bincount([i for i, _ in pairs], minlength=people) <= p.slots).all())
        and bool((np.bincount([j for _, j in pairs], minlength=acts) <= p.capacity).all())
    )


def brute_force_best(p: AssignmentProblem) -> Key:
    candidates = [(int(i), int(j)) for i, j in zip(*np.nonzero(p.eligible), strict=True)]
    best: Key = key(p, [])
    for size in range(1, len(candidates) + 1):
        for subset in combinations(candidates, size):
            chosen = list(subset)
            if feasible(p, chosen):
                best = max(best, key(p, chosen))
    return best


def lp_best(p: AssignmentProblem) -> list[tuple[int, int]]:
    """The same network as an LP over every allowed pair, solved by HiGHS (integral vertex)."""
    slots = p.slots
    allowed = p.eligible & (slots[:, None] > 0) & (p.capacity[None, :] > 0)
    pi, ai = np.nonzero(allowed)
    if pi.size == 0:
        return []
    people, acts = allowed.shape
    max_rank = int((p.held + slots).max())
    rewards = rank_rewards(max_rank, rank_step(int(slots.sum())))
    slot_person = np.repeat(np.arange(people), slots)
    first = np.repeat(np.cumsum(slots) - slots, slots)
    slot_rank = p.held[slot_person] + (np.arange(slot_person.size) - first)
    n_pairs, n_slots = pi.size, slot_person.size
    cost = np.concatenate([-integer_scores(p.score)[pi, ai], -rewards[slot_rank]]).astype(float)
    eq = coo_matrix(
        (
            np.concatenate([np.ones(n_pairs), -np.ones(n_slots)]),
            (np.concatenate([pi, slot_person]), np.arange(n_pairs + n_slots)),
        ),
        shape=(people, n_pairs + n_slots),
    )
    ub = coo_matrix((np.ones(n_pairs), (ai, np.arange(n_pairs))), shape=(acts, n_pairs + n_slots))
    result = linprog(
        cost,
        A_ub=ub.tocsr(),
        b_ub=p.capacity.astype(float),
        A_eq=eq.tocsr(),
        b_eq=np.zeros(people),
        bounds=(0.0, 1.0),
        method="highs-ds",
    )
    assert result.status == 0
    x = np.asarray(result.x[:n_pairs])
    assert np.allclose(x, np.rint(x))  # the network LP has an integral vertex optimum
    return [(int(i), int(j)) for i, j, v in zip(pi, ai, x, strict=True) if v > 0.5]


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
    result = assign(p)
    assert feasible(p, result.pairs)
    assert result.pairs == sorted(result.pairs)
    assert result.score == key(p, result.pairs)[-1]


@settings(max_examples=60, deadline=None)
@given(problems())
def test_counts_are_lexicographically_best(p: AssignmentProblem) -> None:
    """For every rank k: as many suggestions counting towards "at least k" as any flow allows."""
    given_ = np.bincount([i for i, _ in assign(p).pairs], minlength=p.slots.size)
    for k in range(1, int((p.slots + p.held).max()) + 1):
        caps = np.minimum(p.slots, np.maximum(0, k - p.held))
        assert int(np.minimum(given_, caps).sum()) == max_flow_value(p, caps)


@settings(max_examples=40, deadline=None)
@given(problems(max_people=3, max_acts=3))
def test_same_optimum_as_brute_force(p: AssignmentProblem) -> None:
    assert key(p, assign(p).pairs) == brute_force_best(p)


@settings(max_examples=30, deadline=None)
@given(problems())
def test_same_optimum_as_the_full_lp(p: AssignmentProblem) -> None:
    assert key(p, assign(p).pairs) == key(p, lp_best(p))


def test_same_optimum_as_the_full_lp_on_a_larger_scarce_instance() -> None:
    for seed in range(3):
        p = random_problem(seed, people=150, acts=25, density=0.5, max_slots=4, max_cap=6)
        result = assign(p)
        assert feasible(p, result.pairs)
        assert key(p, result.pairs) == key(p, lp_best(p))


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
    result = assign(p)
    assert result.pairs == [(0, 1), (1, 0)]
    assert result.score == 1700 and result.arcs == 4


def test_nothing_allowed_gives_nothing() -> None:
    p = AssignmentProblem(
        score=np.ones((2, 2)),
        eligible=np.ones((2, 2), dtype=bool),
        slots=np.array([1, 1]),
        held=np.array([0, 0]),
        capacity=np.array([0, 0]),
    )
    assert assign(p).pairs == []


def scored(p: AssignmentProblem, block: int = 7) -> PairScores:
    """The problem's allowed pairs as compact scores, in blocks of ``block`` people."""
    table = PairScores(*p.score.shape)
    for start in range(0, p.score.shape[0], block):
        end = start + block
        table.add(start, p.eligible[start:end].copy(), p.score[start:end])
    return table


@settings(max_examples=40, deadline=None)
@given(problems(max_people=40, max_acts=12), st.integers(1, 3))
def test_generated_arcs_reach_the_same_optimum_as_the_whole_network(
    p: AssignmentProblem, start: int
) -> None:
    """Solving on a few pairs per person and adding the pairs priced as improving (node
    potentials) ends at the optimum of the whole network."""
    result = assign_scored(scored(p), p.slots, p.held, p.capacity, start_per_person=start)
    assert feasible(p, result.pairs)
    assert key(p, result.pairs) == key(p, assign(p).pairs)


def test_generated_arcs_on_a_larger_dense_instance() -> None:
    for seed in range(3):
        p = random_problem(seed, people=600, acts=40, density=0.85, max_slots=3, max_cap=9)
        result = assign_scored(scored(p, 50), p.slots, p.held, p.capacity, start_per_person=1)
        assert result.arcs < int(p.eligible.sum()) // 2  # far fewer arcs than pairs
        assert key(p, result.pairs) == key(p, assign(p).pairs)
