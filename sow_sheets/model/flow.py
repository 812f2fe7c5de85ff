"""Exact min-cost flow, and the node potentials that let an engine solve on a subset of arcs.

Both assignment engines (matching, activities) are min-cost flows with far more possible arcs
than the optimum uses. They solve on a subset, then price every left-out arc with the potentials
of the subset's optimum: an arc whose reduced cost ``cost + d[tail] - d[head]`` is negative
could still improve it and joins the subset; when none can, the subset's optimum is the optimum
of all arcs. OR-Tools' ``SimpleMinCostFlow`` (C++ cost scaling) solves each subset exactly.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python.min_cost_flow import SimpleMinCostFlow  # type: ignore[import-untyped]

IntArray = NDArray[np.int64]


def min_cost_flow(
    nodes: int,
    tails: IntArray,
    heads: IntArray,
    caps: IntArray,
    costs: IntArray,
    supplies: IntArray,
) -> IntArray:
    """The flow on each arc of an optimal solution (integers; must be feasible)."""
    flow = SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.asarray(tails, np.int32),
        np.asarray(heads, np.int32),
        np.asarray(caps, np.int64),
        np.asarray(costs, np.int64),
    )
    flow.set_nodes_supplies(np.arange(nodes, dtype=np.int32), np.asarray(supplies, np.int64))
    status = flow.solve()
    if status != SimpleMinCostFlow.OPTIMAL:  # feasible by construction; anything else is a bug
        raise RuntimeError(f"min-cost flow ended with status {status}")
    return np.asarray(flow.flows(np.arange(len(tails), dtype=np.int32)), np.int64)


def potentials(
    nodes: int, tails: IntArray, heads: IntArray, caps: IntArray, costs: IntArray, flows: IntArray
) -> IntArray:
    """Shortest distances in the residual network of an optimal flow, from a virtual root joined
    to every node at cost 0 (Bellman–Ford): for every residual arc u → v of cost c,
    ``d[v] <= d[u] + c``."""
    fwd, back = flows < caps, flows > 0
    t = np.concatenate([tails[fwd], heads[back]])
    h = np.concatenate([heads[fwd], tails[back]])
    c = np.concatenate([costs[fwd], -costs[back]])
    order = np.argsort(h, kind="stable")
    t, h, c = t[order], h[order], c[order]
    dist = np.zeros(nodes, dtype=np.int64)
    if not h.size:
        return dist
    starts = np.flatnonzero(np.concatenate([[True], h[1:] != h[:-1]]))
    targets = h[starts]
    for _ in range(nodes + 1):
        best = np.minimum.reduceat(dist[t] + c, starts)
        improve = best < dist[targets]
        if not improve.any():
            return dist
        dist[targets[improve]] = best[improve]
    raise RuntimeError("min-cost flow: the solution has a negative cycle")  # a bug
