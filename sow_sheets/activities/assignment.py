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
``SimpleMinCostFlow`` (a C++ cost-scaling network solver, ``model/flow.py``) solves the network;
with many pairs, ``assign_scored`` solves on a subset and prices the rest with the node
potentials of ``model/flow.py`` (shared with matching).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sow_sheets.model.flow import min_cost_flow, potentials

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
    solved = _solve(pi, ai, scores, slots, held, capacity, rewards)
    used = solved.used
    pairs = sorted(zip(pi[used].tolist(), ai[used].tolist(), strict=True))
    return Assignment(pairs, int(scores[used].sum()), int(pi.size))


@dataclass(frozen=True)
class _Solved:
    """An optimal flow: its network (tails, heads, capacities, costs) and each arc's flow."""

    used: NDArray[np.bool_]  # per person → activity arc
    nodes: int
    arcs: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]
    flows: NDArray[np.int64]


def _solve(
    pi: NDArray[np.int64],
    ai: NDArray[np.int64],
    scores: NDArray[np.int64],
    slots: NDArray[np.int64],
    held: NDArray[np.int64],
    capacity: NDArray[np.int64],
    rewards: NDArray[np.int64],
) -> _Solved:
    """The min-cost flow on the given arcs; which arcs carry a suggestion."""
    people, acts = slots.size, capacity.size
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
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[source], supplies[sink] = total, -total
    flows = min_cost_flow(sink + 1, tails, heads, caps, costs, supplies)
    used = flows[slot_person.size : slot_person.size + pi.size] > 0
    return _Solved(used, sink + 1, (tails, heads, caps, costs), flows)


# --- many pairs: generate the network's arcs as they are needed -------------------------------


class PairScores:
    """Integer scores (0..SCORE_SCALE) of the allowed pairs, kept compactly in blocks of people.

    A block is stored dense (2 bytes a pair, -1 = not allowed) when most of its pairs are
    allowed, sparse otherwise; either way far less than the float tables the rules use.
    """

    def __init__(self, people: int, acts: int) -> None:
        self.people, self.acts = people, acts
        self.dense: list[tuple[int, NDArray[np.int16]]] = []
        self.sparse: list[tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.int16]]] = []
        self.count = 0

    def add(self, start: int, allowed: NDArray[np.bool_], score: NDArray[np.float64]) -> None:
        """Add the block of people ``start``.. (``allowed``/``score``: rows × activities)."""
        whole = integer_scores(score).astype(np.int16)
        n = int(allowed.sum())
        self.count += n
        if n * 4 >= allowed.size:
            self.dense.append((start, np.where(allowed, whole, np.int16(-1))))
        elif n:
            rows, cols = np.nonzero(allowed)
            self.sparse.append(
                ((rows + start).astype(np.int32), cols.astype(np.int32), whole[rows, cols])
            )

    def blocks(self) -> Iterator[tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]]:
        """Each block's allowed pairs as (person, activity, score) arrays, person-major."""
        for start, table in self.dense:
            rows, cols = np.nonzero(table >= 0)
            yield rows + start, cols.astype(np.int64), table[rows, cols].astype(np.int64)
        for rows32, cols32, score in self.sparse:
            yield rows32.astype(np.int64), cols32.astype(np.int64), score.astype(np.int64)

    def degrees(self) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Allowed pairs per person and per activity."""
        per_person = np.zeros(self.people, dtype=np.int64)
        per_act = np.zeros(self.acts, dtype=np.int64)
        for start, table in self.dense:
            allowed = table >= 0
            per_person[start : start + table.shape[0]] += allowed.sum(axis=1)
            per_act += allowed.sum(axis=0)
        for rows, cols, _ in self.sparse:
            per_person += np.bincount(rows, minlength=self.people)
            per_act += np.bincount(cols, minlength=self.acts)
        return per_person, per_act

    def select(
        self, bound: NDArray[np.int64], live_p: NDArray[np.bool_], live_a: NDArray[np.bool_]
    ) -> Iterator[tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]]:
        """The allowed pairs of live people and activities whose score exceeds
        ``bound[person] - bound[people + activity]`` (the pairs that price as improving)."""
        people = self.people
        for start, table in self.dense:
            end = start + table.shape[0]
            limit = bound[start:end, None] - bound[None, people : people + self.acts]
            hit = (table >= 0) & (table > limit)
            hit &= live_p[start:end, None] & live_a[None, :]
            rows, cols = np.nonzero(hit)
            if rows.size:
                yield rows + start, cols.astype(np.int64), table[rows, cols].astype(np.int64)
        for rows32, cols32, score32 in self.sparse:
            rows, cols, score = (x.astype(np.int64) for x in (rows32, cols32, score32))
            hit = live_p[rows] & live_a[cols] & (score > bound[rows] - bound[people + cols])
            if hit.any():
                yield rows[hit], cols[hit], score[hit]

    def thresholds(self, keep: NDArray[np.int64], live_p: NDArray[np.bool_]) -> NDArray[np.int64]:
        """Per activity, the highest score that at least ``keep`` live people reach (0 when
        fewer people can go): its best people are those scoring at least that."""
        top = SCORE_SCALE + 1
        counts = np.zeros(self.acts * top, dtype=np.int64)
        for pi, ai, sc in self.blocks():
            ok = live_p[pi]
            counts += np.bincount(ai[ok] * top + sc[ok], minlength=counts.size)
        per_score = counts.reshape(self.acts, top)[:, ::-1].cumsum(axis=1)  # high scores first
        reached = per_score >= keep[:, None]
        first = np.where(reached.any(axis=1), reached.argmax(axis=1), top - 1)
        return (top - 1 - first).astype(np.int64)

    def best_per_person(
        self, keep: int, live_p: NDArray[np.bool_], live_a: NDArray[np.bool_]
    ) -> Iterator[tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]]:
        """About ``keep`` of each live person's best-scoring pairs with live activities."""
        for start, table in self.dense:
            end = start + table.shape[0]
            masked = np.where(live_p[start:end, None] & live_a[None, :], table, np.int16(-1))
            k = min(keep, masked.shape[1])
            cols = np.argpartition(-masked, k - 1, axis=1)[:, :k]
            rows = np.repeat(np.arange(masked.shape[0]), k)
            cols = cols.ravel()
            score = masked[rows, cols]
            ok = score >= 0
            yield rows[ok] + start, cols[ok].astype(np.int64), score[ok].astype(np.int64)
        for rows32, cols32, score32 in self.sparse:
            rows, cols, score = (x.astype(np.int64) for x in (rows32, cols32, score32))
            ok = live_p[rows] & live_a[cols]
            rows, cols, score = rows[ok], cols[ok], score[ok]
            best = _best_per_group(rows, cols, score, keep)
            yield rows[best], cols[best], score[best]


PENDING_PAIRS = 1 << 18  # improving pairs gathered before they are cut to the best per activity


def _most_improving(
    found: list[tuple[NDArray[np.int64], ...]], keep: NDArray[np.int64]
) -> tuple[NDArray[np.int64], ...]:
    """Only each activity's ``keep`` most improving pairs (the same for any grouping of
    ``found``: the order is total), so the network grows slowly."""
    joined = tuple(np.concatenate(parts) for parts in zip(*found, strict=True))
    top = _best_per_group(joined[1], joined[0], joined[3], keep)
    return tuple(x[top] for x in joined)


def _member(codes: NDArray[np.int64], sorted_set: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Whether each code is in ``sorted_set`` (sorted ascending)."""
    if not sorted_set.size:
        return np.zeros(codes.size, dtype=bool)
    at = np.minimum(np.searchsorted(sorted_set, codes), sorted_set.size - 1)
    return np.asarray(sorted_set[at] == codes)


def _best_per_group(
    group: NDArray[np.int64],
    other: NDArray[np.int64],
    value: NDArray[np.int64],
    keep: int | NDArray[np.int64],
) -> NDArray[np.bool_]:
    """The ``keep`` (per group, or for all) highest-``value`` entries of each group, ties by
    ``other``. One sort of packed keys when the three fit in 63 bits (they do at national
    scale), else a lexsort: the same order either way."""
    order = None
    if group.size:
        low = int(value.min())
        widths = [int(x).bit_length() for x in (group.max(), other.max(), int(value.max()) - low)]
        if group.min() >= 0 and other.min() >= 0 and sum(widths) <= 63:
            rank = (int(value.max()) - value).astype(np.int64)  # highest value first
            key = (group << (widths[1] + widths[2])) | (rank << widths[1]) | other
            order = np.argsort(key)
    if order is None:
        order = np.lexsort((other, -value, group))
    sorted_group = group[order]
    starts = np.flatnonzero(np.concatenate([[True], sorted_group[1:] != sorted_group[:-1]]))
    first = np.repeat(starts, np.diff(np.append(starts, group.size)))
    limit = keep if isinstance(keep, int) else keep[sorted_group]
    mask = np.zeros(group.size, dtype=bool)
    mask[order[(np.arange(group.size) - first) < limit]] = True
    return mask


def assign_scored(
    table: PairScores,
    slots_in: NDArray[np.int64],
    held_in: NDArray[np.int64],
    capacity_in: NDArray[np.int64],
    start_per_person: int = 2,
    per_activity: int = 4,
) -> Assignment:
    """``assign`` on every allowed pair of ``table``, exactly, without building the network of
    all of them: solve on a subset, then price every other pair with node potentials of the
    solution (shortest distances in its residual network) and add the pairs that could still
    improve it; when none can, the subset's optimum is the optimum of all pairs."""
    acts = table.acts
    held = np.maximum(held_in, 0).astype(np.int64)
    per_person, per_act = table.degrees()
    slots = np.minimum(np.maximum(slots_in, 0).astype(np.int64), per_person)
    capacity = np.minimum(np.maximum(capacity_in, 0).astype(np.int64), per_act)
    if not slots.any() or not capacity.any():
        return Assignment([], 0, 0)
    max_rank = int((held + slots).max())
    rewards = rank_rewards(max_rank, rank_step(min(int(slots.sum()), int(capacity.sum()))))
    live_p, live_a = slots > 0, capacity > 0

    people = table.people
    # Start from each person's best pairs and each activity's best people (a few times its
    # places): most of the optimum is there, and pricing finds the rest.
    parts = list(table.best_per_person(int(start_per_person), live_p, live_a))
    if per_activity:
        bound = np.zeros(people + acts, dtype=np.int64)
        bound[people:] = 1 - table.thresholds(per_activity * capacity + per_activity, live_p)
        parts += list(table.select(bound, live_p, live_a))
    pi = np.concatenate([p[0] for p in parts])
    ai = np.concatenate([p[1] for p in parts])
    sc = np.concatenate([p[2] for p in parts])
    while True:
        _, first = np.unique(pi * acts + ai, return_index=True)  # sorted, person-major
        pi, ai, sc = pi[first], ai[first], sc[first]
        solved = _solve(pi, ai, sc, slots, held, capacity, rewards)
        dist = potentials(solved.nodes, *solved.arcs, solved.flows)
        # Arcs in the network price as non-improving, except those carrying a suggestion.
        taken = np.sort(pi[solved.used] * acts + ai[solved.used])
        keep = 4 * np.maximum(capacity, 1)
        found: list[tuple[NDArray[np.int64], ...]] = []
        pending = 0
        for bp, ba, bs in table.select(dist, live_p, live_a):
            new = ~_member(bp * acts + ba, taken)
            gain = bs - (dist[bp] - dist[people + ba])
            found.append((bp[new], ba[new], bs[new], gain[new]))
            pending += int(new.sum())
            if pending > PENDING_PAIRS:  # keep the gathered pairs small while reading
                found = [_most_improving(found, keep)]
                pending = found[0][0].size
        best = _most_improving(found, keep) if found else None
        if best is None or not best[0].size:
            break
        pi = np.concatenate([pi, best[0]])
        ai = np.concatenate([ai, best[1]])
        sc = np.concatenate([sc, best[2]])
    used = solved.used
    pairs = sorted(zip(pi[used].tolist(), ai[used].tolist(), strict=True))
    return Assignment(pairs, int(sc[used].sum()), int(pi.size))
