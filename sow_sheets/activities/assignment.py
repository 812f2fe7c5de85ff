"""The fair, capacity-aware assignment of activities to people, solved exactly as a min-cost flow.

The network: source → person (one arc per free suggestion slot, the k-th slot rewarded less
than the one before) → activity (the pair's score) → sink (remaining places), plus a free
source → sink arc so that slots may stay empty. Rewards drop by a fixed step per rank, and a
step larger than any total score makes the order strict: the optimum first gives as many people
as possible one suggestion, then as many as possible a second one, and so on (this
lexicographically fairest split exists because the reachable suggestion counts form a
polymatroid, and strictly decreasing rank rewards pick it out); scores only decide between
solutions with the same counts.

Scores enter as integers 0..SCORE_SCALE, so the optimum is exact for them. OR-Tools'
``SimpleMinCostFlow`` (a C++ cost-scaling network solver) solves the whole network at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python.min_cost_flow import SimpleMinCostFlow  # type: ignore[import-untyped]

SCORE_SCALE = 1000


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
    """The chosen (person, activity) index pairs, sorted, and the size of the network solved."""

    pairs: list[tuple[int, int]]
    score: int  # total of the chosen pairs' integer scores (units of 1 / SCORE_SCALE)
    arcs: int  # person → activity arcs in the network


def integer_scores(score: NDArray[np.float64]) -> NDArray[np.int64]:
    """Scores as the solver sees them: whole numbers 0..SCORE_SCALE."""
    return np.rint(np.clip(score, 0.0, 1.0) * SCORE_SCALE).astype(np.int64)


def rank_rewards(max_rank: int, step: int) -> NDArray[np.int64]:
    """Reward for a person's 1st, 2nd, ... suggestion (index 0 = 1st): strictly decreasing."""
    return np.array([(max_rank - r) * step for r in range(max_rank)], dtype=np.int64)


def rank_step(max_suggestions: int) -> int:
    """A rank step larger than the total score of any set of suggestions, so that one more
    suggestion at a better rank always outweighs every score."""
    return SCORE_SCALE * max(0, max_suggestions) + 1


def assign(problem: AssignmentProblem) -> Assignment:
    """Choose suggestions: within slots and capacity, first ones for as many people as possible,
    then second ones, and so on, then the highest total score."""
    pi, ai = np.nonzero(problem.eligible)
    return assign_pairs(
        Candidates(pi, ai, problem.score[pi, ai]),
        problem.slots,
        problem.held,
        problem.capacity,
    )


@dataclass(frozen=True)
class Candidates:
    """The allowed (person, activity) pairs as parallel arrays, and each pair's score in [0, 1].

    Sparse: memory grows with the pairs that can happen, not with people × activities.
    """

    person: NDArray[np.integer[Any]]
    activity: NDArray[np.integer[Any]]
    score: NDArray[np.floating[Any]]

    def without(self, keep: NDArray[np.bool_]) -> Candidates:
        """Only the pairs where ``keep`` is true."""
        return Candidates(self.person[keep], self.activity[keep], self.score[keep])


def assign_pairs(
    candidates: Candidates,
    slots_in: NDArray[np.int64],
    held_in: NDArray[np.int64],
    capacity_in: NDArray[np.int64],
) -> Assignment:
    """``assign`` on sparse candidates: ``slots``/``held`` per person, ``capacity`` per activity."""
    slots = np.maximum(slots_in, 0).astype(np.int64)
    held = np.maximum(held_in, 0).astype(np.int64)
    capacity = np.maximum(capacity_in, 0).astype(np.int64)
    people, acts = slots.size, capacity.size
    pi = np.asarray(candidates.person, dtype=np.int64)
    ai = np.asarray(candidates.activity, dtype=np.int64)
    allowed = (slots[pi] > 0) & (capacity[ai] > 0)
    pi, ai = pi[allowed], ai[allowed]
    if pi.size == 0:
        return Assignment([], 0, 0)
    order = np.lexsort((ai, pi))  # the network's arcs in (person, activity) order, as before
    pi, ai = pi[order], ai[order]
    # Useful slots and places: no one gets more than their allowed pairs, no activity more
    # people than may go; this keeps the network and the rank step small.
    slots = np.minimum(slots, np.bincount(pi, minlength=people))
    capacity = np.minimum(capacity, np.bincount(ai, minlength=acts))
    scores = integer_scores(np.asarray(candidates.score, dtype=np.float64)[allowed][order])
    max_rank = int((held + slots).max())
    rewards = rank_rewards(max_rank, rank_step(min(int(slots.sum()), int(capacity.sum()))))

    source, sink = people + acts, people + acts + 1
    slot_person = np.repeat(np.arange(people, dtype=np.int64), slots)
    first_slot = np.repeat(np.cumsum(slots) - slots, slots)
    slot_rank = held[slot_person] + (np.arange(slot_person.size) - first_slot)
    total = int(slots.sum())
    tails = np.concatenate(
        [np.full(slot_person.size, source), pi, people + np.arange(acts), [source]]
    )
    heads = np.concatenate([slot_person, people + ai, np.full(acts, sink), [sink]])
    caps = np.concatenate([np.ones(slot_person.size + pi.size, dtype=np.int64), capacity, [total]])
    costs = np.concatenate([-rewards[slot_rank], -scores, np.zeros(acts + 1, dtype=np.int64)])

    flow = SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), caps, costs.astype(np.int64)
    )
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[source], supplies[sink] = total, -total
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    status = flow.solve()
    if status != SimpleMinCostFlow.OPTIMAL:  # feasible by construction; anything else is a bug
        raise RuntimeError(f"activity assignment: min-cost flow ended with status {status}")
    used = flow.flows(np.arange(slot_person.size, slot_person.size + pi.size)) > 0
    pairs = sorted(zip(pi[used].tolist(), ai[used].tolist(), strict=True))
    return Assignment(pairs, int(scores[used].sum()), int(pi.size))
