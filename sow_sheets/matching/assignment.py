"""Optimal assignment of families to volunteer slots: most families first, then total score.

A volunteer with room for c families is c identical slots. Small problems go to the dense
Hungarian solver (``linear_sum_assignment``); large ones to the sparse LAPJVsp solver
(``min_weight_full_bipartite_matching``) with one private dummy column per family, so leaving
a family unmatched is always possible. Both give the same optimum; the benchmark and the tests
check it. A best-pair-first greedy is kept as the baseline the benchmark compares against.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_array
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

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
