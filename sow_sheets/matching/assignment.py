"""Optimal assignment of families to volunteer slots: most families first, then total score.

A volunteer with room for c families is c identical slots. Small problems go to the dense
Hungarian solver (``linear_sum_assignment``); large ones to the sparse LAPJVsp solver
(``min_weight_full_bipartite_matching``) with one private dummy column per family, so leaving
a family unmatched is always possible. Both give the same optimum; the benchmark and the tests
check it. A best-pair-first greedy is kept as the baseline the benchmark compares against.

Many pairs (a dense town) go to ``assign_priced``: the same optimum as a min-cost flow solved on
a subset of the pairs (each family's best few), priced and grown until no left-out pair could
improve it (``model/flow.py``), so memory grows with the subset, not with all pairs.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_array
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from sow_sheets.model.flow import min_cost_flow, potentials

IntArray = npt.NDArray[np.int64]
Method = Literal["auto", "dense", "sparse"]
MAX_SCORE = 100


def _as_int(values: npt.ArrayLike) -> IntArray:
    return np.asarray(values, dtype=np.int64).reshape(-1)


def assign(
    family: npt.ArrayLike,
    volunteer: npt.ArrayLike,
    score: npt.ArrayLike,
    capacity: npt.ArrayLike,
    method: Method = "auto",
    dense_limit: int = 1_000_000,
) -> IntArray:
    """Pick candidate pairs: each family at most once, volunteer v at most capacity[v] times.

    ``family``, ``volunteer`` and ``score`` are parallel arrays (one entry per eligible pair,
    no pair twice; scores 0–100). Maximises the number of families served, then the total
    score. Returns the indices of the chosen pairs, ascending.
    """
    fam, vol, pts = _as_int(family), _as_int(volunteer), _as_int(score)
    cap = _as_int(capacity)
    usable = np.flatnonzero(cap[vol] > 0) if len(vol) else np.zeros(0, np.int64)
    if not len(usable):
        return np.zeros(0, np.int64)
    fam, vol, pts = fam[usable], vol[usable], pts[usable]
    rows, row_of = np.unique(fam, return_inverse=True)
    vols, col_of = np.unique(vol, return_inverse=True)
    slots = np.minimum(cap[vols], np.bincount(col_of, minlength=len(vols)))
    first_slot = np.concatenate([[0], np.cumsum(slots)[:-1]]).astype(np.int64)
    # Expand each pair over the volunteer's slots.
    repeat = slots[col_of]
    pair = np.repeat(np.arange(len(fam), dtype=np.int64), repeat)
    offset = np.arange(len(pair), dtype=np.int64) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    slot = first_slot[col_of[pair]] + offset
    row = row_of[pair]
    n_rows, n_slots = len(rows), int(slots.sum())
    # One more family served outweighs any difference in total score.
    bonus = MAX_SCORE * n_rows + 1
    if method == "dense" or (method == "auto" and n_rows * n_slots <= dense_limit):
        chosen_pair = _dense(row, slot, pts[pair] + bonus, n_rows, n_slots, pair)
    else:
        chosen_pair = _sparse(row, slot, pts[pair], bonus, n_rows, n_slots, pair)
    return np.sort(usable[chosen_pair])


def _dense(
    row: IntArray, slot: IntArray, benefit: IntArray, n_rows: int, n_slots: int, pair: IntArray
) -> IntArray:
    matrix = np.zeros((n_rows, n_slots), dtype=np.float64)
    matrix[row, slot] = benefit
    owner = np.full((n_rows, n_slots), -1, dtype=np.int64)
    owner[row, slot] = pair
    r, c = linear_sum_assignment(matrix, maximize=True)
    real = matrix[r, c] > 0
    return np.asarray(owner[r[real], c[real]], dtype=np.int64)


def _sparse(
    row: IntArray,
    slot: IntArray,
    score: IntArray,
    bonus: int,
    n_rows: int,
    n_slots: int,
    pair: IntArray,
) -> IntArray:
    # Costs must be non-zero: a real pair costs 1..101, a family's own dummy column costs
    # more than any real pair by ``bonus``, so serving a family always lowers the total.
    dummy_cost = bonus + MAX_SCORE + 1
    data = np.concatenate([MAX_SCORE + 1 - score, np.full(n_rows, dummy_cost)]).astype(float)
    rows = np.concatenate([row, np.arange(n_rows, dtype=np.int64)])
    cols = np.concatenate([slot, n_slots + np.arange(n_rows, dtype=np.int64)])
    graph = csr_array((data, (rows, cols)), shape=(n_rows, n_slots + n_rows))
    r, c = min_weight_full_bipartite_matching(graph)
    real = c < n_slots
    code = row * n_slots + slot
    order = np.argsort(code)
    found = order[np.searchsorted(code, r[real] * n_slots + c[real], sorter=order)]
    return np.asarray(pair[found], dtype=np.int64)


PRICE_CHUNK = 1 << 20  # pairs priced at a time (bounds the temporary arrays)
ADD_PER_FAMILY = 4  # most improving left-out pairs a family gains per round


def assign_priced(
    family: npt.ArrayLike,
    volunteer: npt.ArrayLike,
    score: npt.ArrayLike,
    capacity: npt.ArrayLike,
    start: npt.ArrayLike,
) -> IntArray:
    """``assign`` exactly, solving on a subset: the pairs ``start`` (indices) first, then every
    pair whose reduced cost shows it could still improve the optimum, until none can.

    ``family``/``volunteer``/``score`` may be compact (int32, uint8): they are only read in
    chunks. The network: source → family (serving one is worth more than any total score),
    family → volunteer (the score), volunteer → sink (its capacity), source → sink (unserved).
    """
    fam, vol, pts = np.asarray(family), np.asarray(volunteer), np.asarray(score)
    cap = np.maximum(_as_int(capacity), 0)
    if not len(fam):
        return np.zeros(0, np.int64)
    n_f, n_v = int(fam.max()) + 1, len(cap)
    source, sink = n_f + n_v, n_f + n_v + 1
    nodes = sink + 1
    bonus = MAX_SCORE * n_f + 1
    sub = np.unique(_as_int(start))
    if not cap.all() and not cap[vol].all():  # a volunteer without room takes no pair
        room = np.flatnonzero(cap[vol] > 0)
        found = assign_priced(fam[room], vol[room], pts[room], cap, np.isin(room, sub).nonzero()[0])
        return np.asarray(room[found], np.int64)
    fixed_tails = np.concatenate([np.full(n_f, source), n_f + np.arange(n_v), [source]])
    fixed_heads = np.concatenate([np.arange(n_f), np.full(n_v, sink), [sink]])
    fixed_caps = np.concatenate([np.ones(n_f, np.int64), cap, [n_f]])
    fixed_costs = np.concatenate([np.full(n_f, -bonus), np.zeros(n_v + 1, np.int64)])
    supplies = np.zeros(nodes, np.int64)
    supplies[source], supplies[sink] = n_f, -n_f
    while True:
        pf, pv = fam[sub].astype(np.int64), vol[sub].astype(np.int64)
        tails = np.concatenate([fixed_tails, pf])
        heads = np.concatenate([fixed_heads, n_f + pv])
        caps = np.concatenate([fixed_caps, np.ones(len(sub), np.int64)])
        costs = np.concatenate([fixed_costs, -pts[sub].astype(np.int64)])
        flows = min_cost_flow(nodes, tails, heads, caps, costs, supplies)
        used = flows[len(fixed_tails) :] > 0
        dist = potentials(nodes, tails, heads, caps, costs, flows)
        chosen_v = np.full(n_f, -1, np.int64)
        chosen_v[pf[used]] = pv[used]
        by_family, by_volunteer = dist[:n_f], dist[n_f : n_f + n_v]
        improving = [
            _improving(fam, vol, pts, by_family, by_volunteer, chosen_v, at)
            for at in range(0, len(fam), PRICE_CHUNK)
        ]
        add = np.concatenate([i for i, _ in improving])
        if not add.size:
            return np.sort(sub[used])
        gain = np.concatenate([g for _, g in improving])
        sub = np.concatenate([sub, add[_best_per_family(fam[add], gain, ADD_PER_FAMILY)]])


def _improving(
    fam: npt.NDArray[np.integer],
    vol: npt.NDArray[np.integer],
    pts: npt.NDArray[np.integer],
    by_family: IntArray,
    by_volunteer: IntArray,
    chosen_v: IntArray,
    at: int,
) -> tuple[IntArray, IntArray]:
    """Indices (from ``at``, one chunk) of the unused pairs with a negative reduced cost, and
    that reduced cost."""
    f, v = fam[at : at + PRICE_CHUNK], vol[at : at + PRICE_CHUNK]
    reduced = by_family[f] - by_volunteer[v] - pts[at : at + PRICE_CHUNK]
    hit = np.flatnonzero(reduced < 0)
    hit = hit[chosen_v[f[hit]] != v[hit]]
    # Each family's best few of this chunk already hold its best few of all chunks.
    hit = hit[_best_per_family(f[hit], reduced[hit], ADD_PER_FAMILY)]
    return np.asarray(at + hit, np.int64), reduced[hit]


def _best_per_family(family: npt.NDArray[np.integer], gain: IntArray, keep: int) -> IntArray:
    """Positions of each family's ``keep`` lowest gains (ties: any). One sort of packed keys:
    gains below -2**31 count as -2**31, which only blurs the order among very improving pairs."""
    low = np.clip(gain, -(2**31), -1) + 2**31  # 0 .. 2**31 - 1
    order = np.argsort((family.astype(np.int64) << 32) | low)
    grouped = family[order]
    starts = np.flatnonzero(np.concatenate([[True], grouped[1:] != grouped[:-1]]))
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.append(starts, len(order))))
    return np.asarray(order[rank < keep], np.int64)


def greedy(
    family: npt.ArrayLike, volunteer: npt.ArrayLike, score: npt.ArrayLike, capacity: npt.ArrayLike
) -> IntArray:
    """Best-pair-first baseline (not optimal): take pairs by falling score while room is left."""
    fam, vol, pts = _as_int(family), _as_int(volunteer), _as_int(score)
    room = _as_int(capacity).copy()
    taken: set[int] = set()
    chosen = []
    for index in np.lexsort((vol, fam, -pts)).tolist():
        f, v = int(fam[index]), int(vol[index])
        if f not in taken and room[v] > 0:
            taken.add(f)
            room[v] -= 1
            chosen.append(index)
    return np.sort(np.array(chosen, dtype=np.int64))
