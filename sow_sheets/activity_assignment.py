"""The fair, capacity-aware assignment of activities to people, solved exactly as a min-cost flow.

The network: source → person (one arc per free suggestion slot, the k-th slot rewarded less
than the one before) → activity (score of the pair) → sink (remaining places). With rewards
that drop by a fixed step per rank, the optimum first gives as many people as possible one
suggestion, then as many as possible a second one, and so on (the lexicographically fairest
split, which exists because the reachable suggestion counts form a polymatroid); scores only
decide between solutions with the same counts.

Solving: the LP of this network has an integral optimum and HiGHS dual simplex returns a vertex.
Only each person's best pairs (plus the pairs of a maximum flow) enter the LP; the duals price
every other eligible pair and improving ones are added (column generation), so the result is
optimal over all eligible pairs (unless ``max_rounds`` bounds the solves; the counts stay
exact). The rank step is first kept small (a small step makes HiGHS
several times faster); maximum flows then check that the counts are the best reachable, and
if they are not, the LP is solved again with a step large enough to make that certain.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import maximum_flow

# Scores enter the LP as integers 0..SCORE_SCALE: integer data keeps the optimum exact.
SCORE_SCALE = 1000
_FAST_STEP = 4 * SCORE_SCALE + 1  # wins any exchange that reroutes up to ~2 other people
_START_EXTRA = 1  # candidates per person in the first LP beyond their free slots
_ADD_PER_ROUND = 10  # improving pairs added per person per pricing round
_MAX_ROUNDS = 100
_LP_OPTIONS = {"simplex_dual_edge_weight_strategy": "devex"}

Pairs = tuple[NDArray[np.int64], NDArray[np.int64]]


@dataclass(frozen=True)
class AssignmentProblem:
    """Scores in [0, 1] per (person, activity); ``eligible`` marks the allowed pairs.

    ``slots[i]`` is how many new suggestions person i may get, ``held[i]`` how many they already
    have (so a person holding one gets a "second" next), ``capacity[a]`` the places left.
    """

    score: NDArray[np.float64]
    eligible: NDArray[np.bool_]
    slots: NDArray[np.int64]
    held: NDArray[np.int64]
    capacity: NDArray[np.int64]

    def __post_init__(self) -> None:
        people, acts = self.score.shape
        if self.eligible.shape != (people, acts):
            raise ValueError("eligible must have the shape of score")
        if self.slots.shape != (people,) or self.held.shape != (people,):
            raise ValueError("slots and held need one entry per person")
        if self.capacity.shape != (acts,):
            raise ValueError("capacity needs one entry per activity")


@dataclass(frozen=True)
class Assignment:
    """The chosen (person, activity) index pairs and how the solver got there."""

    pairs: list[tuple[int, int]]
    rounds: int  # LP solves in all
    columns: int  # pair variables in the last LP
    certified_fast: bool  # the small rank step already gave the best reachable counts
    score_optimal: bool  # False only when ``max_rounds`` stopped the pricing early


def rank_rewards(max_rank: int, step: int) -> NDArray[np.int64]:
    """Reward for a person's 1st, 2nd, ... suggestion (index 0 = 1st)."""
    return np.array([(max_rank - r) * step for r in range(max_rank)], dtype=np.int64)


def safe_step(people: int, activities: int) -> int:
    """A rank step larger than the total-score change of any exchange of suggestions (an
    exchange reroutes at most one suggestion per activity)."""
    return SCORE_SCALE * (2 * min(people, activities) + 2) + 1


def assign(problem: AssignmentProblem, max_rounds: int = 0) -> Assignment:
    """Choose suggestions: within slots and capacity, first ones for as many people as possible,
    then second ones, and so on, then the highest total score.

    ``max_rounds`` > 0 bounds the LP solves for large inputs: the counts stay the best
    reachable (the maximum-flow pairs are always in the LP), the total score may then fall
    short of the optimum, which ``score_optimal`` reports.
    """
    slots = np.maximum(problem.slots, 0).astype(np.int64)
    held = np.maximum(problem.held, 0).astype(np.int64)
    capacity = np.maximum(problem.capacity, 0).astype(np.int64)
    allowed = problem.eligible & (slots[:, None] > 0) & (capacity[None, :] > 0)
    if not allowed.any():
        return Assignment([], 0, 0, True, True)
    scores = np.rint(np.clip(problem.score, 0.0, 1.0) * SCORE_SCALE).astype(np.int64)
    max_rank = int((held + slots).max())

    best_counts, flow_pairs = _reachable_counts(allowed, slots, held, capacity, max_rank)
    start = _union(_top_columns(scores, allowed, slots), flow_pairs)
    limit = max_rounds if max_rounds > 0 else _MAX_ROUNDS
    x, chosen, rounds, optimal = _column_generation(
        start, scores, allowed, slots, held, capacity, rank_rewards(max_rank, _FAST_STEP), limit
    )
    certified = _counts(chosen, x, slots, held, max_rank) == best_counts
    if not certified:
        step = safe_step(*allowed.shape)
        x, chosen, more, optimal = _column_generation(
            chosen, scores, allowed, slots, held, capacity, rank_rewards(max_rank, step), limit
        )
        rounds += more
    picked = x > 0.5
    pairs = sorted(zip(chosen[0][picked].tolist(), chosen[1][picked].tolist(), strict=True))
    return Assignment(pairs, rounds, int(chosen[0].size), certified, optimal)


def _caps_for_rank(slots: NDArray[np.int64], held: NDArray[np.int64], k: int) -> NDArray[np.int64]:
    """New suggestions that count towards "at least k" for each person."""
    return np.minimum(slots, np.maximum(0, k - held))


def _reachable_counts(
    allowed: NDArray[np.bool_],
    slots: NDArray[np.int64],
    held: NDArray[np.int64],
    capacity: NDArray[np.int64],
    max_rank: int,
) -> tuple[list[int], Pairs]:
    """Per rank k, the most new suggestions that count towards people having at least k, and
    the pairs of one flow that reaches all of them at once.

    Maximum flows, one per rank, each augmenting the previous one: an augmenting path never
    takes a suggestion away from a person, so what rank k reached stays reached.
    """
    people, acts = allowed.shape
    pi, ai = np.nonzero(allowed)
    source, sink = people + acts, people + acts + 1
    size = sink + 1
    on_pair = np.zeros(pi.size, dtype=np.int32)
    from_source = np.zeros(people, dtype=np.int64)
    into_sink = np.zeros(acts, dtype=np.int64)
    best: list[int] = []
    for k in range(1, max_rank + 1):
        # Residual network of the current flow; arcs back into the source are left out.
        rows = np.concatenate([np.full(people, source), pi, people + ai, people + np.arange(acts)])
        cols = np.concatenate([np.arange(people), people + ai, pi, np.full(acts, sink)])
        caps = np.concatenate(
            [
                _caps_for_rank(slots, held, k) - from_source,
                1 - on_pair,
                on_pair,
                capacity - into_sink,
            ]
        ).astype(np.int32)
        keep = caps > 0
        graph = csr_matrix((caps[keep], (rows[keep], cols[keep])), shape=(size, size))
        result = maximum_flow(graph, source, sink, method="dinic")
        flow = result.flow.tocsr()
        along = _entries(flow, pi, people + ai)
        on_pair = (on_pair + (along > 0) - (along < 0)).astype(np.int32)
        from_source = np.bincount(pi[on_pair > 0], minlength=people)
        into_sink = np.bincount(ai[on_pair > 0], minlength=acts)
        best.append(int(on_pair.sum()))
    used = on_pair > 0
    return best, (pi[used].astype(np.int64), ai[used].astype(np.int64))


def _entries(
    matrix: csr_matrix, rows: NDArray[np.int64], cols: NDArray[np.int64]
) -> NDArray[np.int64]:
    """matrix[rows[t], cols[t]] for every t, as a dense vector."""
    picked = matrix[rows, cols]
    dense = picked.toarray() if hasattr(picked, "toarray") else picked
    return np.asarray(dense, dtype=np.int64).ravel()


def _counts(
    chosen: Pairs,
    x: NDArray[np.float64],
    slots: NDArray[np.int64],
    held: NDArray[np.int64],
    max_rank: int,
) -> list[int]:
    """Per rank k, the new suggestions in a solution that count towards "at least k"."""
    given = np.bincount(chosen[0][x > 0.5], minlength=slots.size)
    return [
        int(np.minimum(given, _caps_for_rank(slots, held, k)).sum()) for k in range(1, max_rank + 1)
    ]


def _union(a: Pairs, b: Pairs) -> Pairs:
    both = np.unique(np.stack([np.concatenate([a[0], b[0]]), np.concatenate([a[1], b[1]])]), axis=1)
    return both[0].astype(np.int64), both[1].astype(np.int64)


def _top_columns(
    scores: NDArray[np.int64], allowed: NDArray[np.bool_], slots: NDArray[np.int64]
) -> Pairs:
    """Each person's best few allowed pairs."""
    keep = min(int(slots.max()) + _START_EXTRA, scores.shape[1])
    masked = np.where(allowed, scores, -1)
    top = np.argpartition(-masked, keep - 1, axis=1)[:, :keep]
    rows = np.broadcast_to(np.arange(scores.shape[0])[:, None], top.shape)
    ok = masked[rows, top] >= 0
    return rows[ok].astype(np.int64), top[ok].astype(np.int64)


def _column_generation(
    chosen: Pairs,
    scores: NDArray[np.int64],
    allowed: NDArray[np.bool_],
    slots: NDArray[np.int64],
    held: NDArray[np.int64],
    capacity: NDArray[np.int64],
    rewards: NDArray[np.int64],
    limit: int,
) -> tuple[NDArray[np.float64], Pairs, int, bool]:
    """Solve the LP over ``chosen``, add improving pairs, repeat until none is left (then the
    solution is optimal over all allowed pairs) or ``limit`` solves were made."""
    rounds = 0
    while True:
        rounds += 1
        x, person_price, act_price = _solve(chosen, scores, slots, held, capacity, rewards)
        extra = _improving_columns(scores, allowed, chosen, person_price, act_price)
        if extra is None or rounds >= limit:
            return x, chosen, rounds, extra is None
        chosen = (np.concatenate([chosen[0], extra[0]]), np.concatenate([chosen[1], extra[1]]))


def _improving_columns(
    scores: NDArray[np.int64],
    allowed: NDArray[np.bool_],
    chosen: Pairs,
    person_price: NDArray[np.float64],
    act_price: NDArray[np.float64],
) -> Pairs | None:
    """Pairs left out of the LP whose reduced profit is positive, best few per person."""
    profit = scores - person_price[:, None] - act_price[None, :]
    candidate = allowed & (profit > 0.5)  # integer data: anything below is solver noise
    candidate[chosen[0], chosen[1]] = False
    if not candidate.any():
        return None
    masked = np.where(candidate, profit, -np.inf)
    take = min(_ADD_PER_ROUND, masked.shape[1])
    top = np.argpartition(-masked, take - 1, axis=1)[:, :take]
    rows = np.broadcast_to(np.arange(masked.shape[0])[:, None], top.shape)
    ok = candidate[rows, top]
    return rows[ok].astype(np.int64), top[ok].astype(np.int64)


def _solve(
    chosen: Pairs,
    scores: NDArray[np.int64],
    slots: NDArray[np.int64],
    held: NDArray[np.int64],
    capacity: NDArray[np.int64],
    rewards: NDArray[np.int64],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Solve the network LP over the chosen pairs; return pair flows and the duals as prices
    (per person the value of one more suggestion, per activity the value of one more place)."""
    people, acts = scores.shape
    pi, ai = chosen
    n_pairs = pi.size
    # Slot variables: person i's slots are ranks held[i]+1 .. held[i]+slots[i].
    slot_person = np.repeat(np.arange(people), slots)
    first = np.repeat(np.cumsum(slots) - slots, slots)
    slot_rank = held[slot_person] + (np.arange(slot_person.size) - first)
    n_slots = slot_person.size

    cost = np.concatenate([-scores[pi, ai], -rewards[slot_rank]]).astype(np.float64)
    # Flow conservation per person: pairs out minus slots in = 0.
    eq = coo_matrix(
        (
            np.concatenate([np.ones(n_pairs), -np.ones(n_slots)]),
            (np.concatenate([pi, slot_person]), np.arange(n_pairs + n_slots)),
        ),
        shape=(people, n_pairs + n_slots),
    ).tocsr()
    ub = coo_matrix(
        (np.ones(n_pairs), (ai, np.arange(n_pairs))), shape=(acts, n_pairs + n_slots)
    ).tocsr()
    result = linprog(
        cost,
        A_ub=ub,
        b_ub=capacity.astype(np.float64),
        A_eq=eq,
        b_eq=np.zeros(people),
        bounds=(0.0, 1.0),
        method="highs-ds",
        options=_LP_OPTIONS,
    )
    if result.status != 0:  # the LP is always feasible and bounded; anything else is a bug
        raise RuntimeError(f"activity assignment LP failed: {result.message}")
    # linprog minimises and reports d(cost)/d(rhs); as prices these flip sign.
    person_price = -np.asarray(result.eqlin.marginals, dtype=np.float64)
    act_price = -np.asarray(result.ineqlin.marginals, dtype=np.float64)
    return np.asarray(result.x[:n_pairs]), person_price, act_price
