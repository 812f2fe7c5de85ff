"""First choices for requests for help, chosen together: an exact min-cost flow.

The network: source → request (capacity 1) → helper-week (capacity 1 per allowed pair) →
sink (the helper's room left that week), plus a free source → sink arc so that a request may
stay without a helper. Serving a request earns a reward; the cost of a pair is its distance.
The rewards are lexicographic: one more request served outweighs any gain in urgency, one
more `vandaag` request served outweighs any number of `deze week` ones (at the same count),
one more `deze week` outweighs any distance. So the optimum first serves as many requests as
possible, then the most urgent, then keeps the total distance as short as possible.

Every quantity is a whole number, so the optimum is exact for them. OR-Tools'
``SimpleMinCostFlow`` needs every cost times the number of nodes to fit in 64 bits; when the
rewards would not, distances are counted in coarser units (they only break ties).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sow_sheets.model.flow import min_cost_flow

COST_LIMIT = 2**62


@dataclass(frozen=True)
class FirstChoiceProblem:
    """Requests with an urgency ``tier`` (0 = most urgent), allowed pairs (request, slot) with
    a whole-number distance ``cost``, and the ``capacity`` of every slot (a helper's week)."""

    tier: NDArray[np.int64]
    pair_request: NDArray[np.int64]
    pair_slot: NDArray[np.int64]
    pair_cost: NDArray[np.int64]
    capacity: NDArray[np.int64]

    def __post_init__(self) -> None:
        size = self.pair_request.shape
        if self.pair_slot.shape != size or self.pair_cost.shape != size:
            raise ValueError("pair_request, pair_slot and pair_cost need one entry per pair")
        if size[0] and (self.pair_cost.min() < 0 or self.tier.min() < 0):
            raise ValueError("costs and tiers must not be negative")


def rewards(tier: NDArray[np.int64], most_distance: int) -> NDArray[np.int64]:
    """The reward for serving each request: strictly lexicographic in (served, tier), and
    larger than ``most_distance``, the largest total distance any solution can have."""
    tiers = int(tier.max()) + 1 if tier.size else 1
    counts = np.bincount(tier, minlength=tiers)
    bonus = np.zeros(tiers, dtype=object)  # Python integers: no overflow while sizing
    below = most_distance
    for t in range(tiers - 1, -1, -1):
        bonus[t] = 0 if t == tiers - 1 else below + 1
        below += int(counts[t]) * bonus[t]
    served = below + 1
    reward = [served + bonus[t] for t in tier.tolist()]
    if max(reward, default=0) >= COST_LIMIT:
        raise OverflowError("too many requests for exact integer rewards")
    return np.array(reward, dtype=np.int64)


def first_choices(problem: FirstChoiceProblem) -> NDArray[np.int64]:
    """Indices of the chosen pairs: at most one per request, within every slot's capacity,
    optimal for (requests served, served per tier from the most urgent, -total distance)."""
    capacity = np.maximum(problem.capacity, 0).astype(np.int64)
    usable = capacity[problem.pair_slot] > 0
    if not usable.any():
        return np.zeros(0, dtype=np.int64)
    index = np.nonzero(usable)[0]
    req_ids, req = np.unique(problem.pair_request[index], return_inverse=True)
    slot_ids, slot = np.unique(problem.pair_slot[index], return_inverse=True)
    n, m = req_ids.size, slot_ids.size
    nodes = n + m + 2
    cost = problem.pair_cost[index].astype(np.int64)
    tier = problem.tier[req_ids].astype(np.int64)
    while True:
        reward = rewards(tier, int(cost.max(initial=0)) * n)
        if int(reward.max()) * (nodes + 1) < COST_LIMIT:
            break
        if not cost.any():
            raise OverflowError("too many requests for an exact first-choice assignment")
        cost = cost // 10  # coarser distances; they only break ties
    source, sink = n + m, n + m + 1
    tails = np.concatenate([np.full(n, source), req, n + np.arange(m), [source]])
    heads = np.concatenate([np.arange(n), n + slot, np.full(m, sink), [sink]])
    caps = np.concatenate(
        [np.ones(n + index.size, dtype=np.int64), capacity[slot_ids], [n]]
    ).astype(np.int64)
    costs = np.concatenate([-reward, cost, np.zeros(m + 1, dtype=np.int64)]).astype(np.int64)
    supplies = np.zeros(nodes, dtype=np.int64)
    supplies[source], supplies[sink] = n, -n
    flows = min_cost_flow(nodes, tails, heads, caps, costs, supplies)
    used = flows[n : n + index.size] > 0
    return np.sort(index[used]).astype(np.int64)
