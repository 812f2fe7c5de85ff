"""Benchmark bonus-grandparent matching on synthetic populations; prints one JSON line per size.

Usage: python scripts/bench_matching.py [N ...] [--city]   (default: 300 2000 10000 per side)

``--city`` adds the dense city: 2,500 volunteers and 4,000 families in one 5 × 5 km town, where
nearly every pair is in reach; it reports CPU seconds, the extra memory (tracemalloc peak of the
Python and numpy arrays, and the growth of the process's peak RSS during the first plan, which
also counts the solver's C++ memory) and whether the plan equals the uncapped solve (the
assignment over every candidate pair at once).

People are spread uniformly over a square that grows with n (constant density, about that of
a Dutch town's volunteer pool), with realistic attributes and constraints. For each size:
seconds and peak memory from records to proposals (``plan_matching``), families matched and
total score; the best-pair-first greedy baseline on the same candidate pairs; the dense
solver's optimum where it fits (n <= 2,000) to show the sparse path is exact; and the maximum
number of families any assignment could serve (Hopcroft–Karp), to show the count is optimal.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import resource
import sys
import time
import tracemalloc
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_array
from scipy.sparse.csgraph import maximum_bipartite_matching

from sow_sheets.matching.assignment import assign, greedy
from sow_sheets.matching.engine import (
    MatchingPlan,
    MatchingSettings,
    available_people,
    plan_matching,
)
from sow_sheets.matching.proposals import run_lifecycle
from sow_sheets.matching.scoring import Candidates, build_candidates
from sow_sheets.model.geo import Point
from sow_sheets.model.records import Family, Records, Volunteer

TODAY = dt.date(2026, 3, 1)
DENSITY_PER_KM2 = 1.0  # people per km² on each side
DENSE_MAX_N = 2000
INTERESTS = (
    "wandelen",
    "koken",
    "bakken",
    "tuinieren",
    "voorlezen",
    "knutselen",
    "muziek",
    "zingen",
    "schaken",
    "spelletjes",
    "fietsen",
    "natuur",
    "dieren",
    "techniek",
    "sport",
)
KINDS = ("thuis", "buiten", "uitjes", "oppassen", "huiswerk")
EXTRA_LANGUAGES = ("engels", "arabisch", "turks", "pools", "tigrinya", "papiaments")
FREQUENCIES = ("wekelijks", "tweewekelijks", "maandelijks")
AGE_RANGES = ((0, 4), (0, 12), (0, 12), (4, 12), (0, 18), (6, 16))


def _point(rng: random.Random, side_km: float) -> Point:
    x, y = rng.uniform(0, side_km), rng.uniform(0, side_km)
    return Point(52.0 + y / 111.2, 4.3 + x / (111.32 * math.cos(math.radians(52.0))))


def _common(rng: random.Random) -> dict[str, object]:
    languages = {"nederlands"} if rng.random() > 0.03 else set()
    if rng.random() < 0.2 or not languages:
        languages.add(rng.choice(EXTRA_LANGUAGES))
    return dict(
        organisation="Present",
        status=rng.choices(("actief", "pauze", "gestopt"), (90, 5, 5))[0],
        consent=rng.random() < 0.92,
        frequency=rng.choice(FREQUENCIES) if rng.random() < 0.9 else None,
        contact_kinds=frozenset(rng.sample(KINDS, rng.randint(1, 2))),
        days=frozenset(rng.sample(range(7), rng.randint(1, 4))),
        languages=frozenset(languages),
        interests=frozenset(rng.sample(INTERESTS, rng.randint(1, 4))),
    )


CITY = (2500, 4000, 5.0)  # volunteers, families, side of the town in km


def population(
    n: int, seed: int = 1, families_n: int | None = None, side_km: float | None = None
) -> Records:
    """n volunteers and n (or ``families_n``) families, uniformly over a square with constant
    density (or of side ``side_km``)."""
    rng = random.Random(seed)
    side = side_km or math.sqrt(n / DENSITY_PER_KM2)
    volunteers = [
        Volunteer(
            id=f"GO-{i:05d}",
            row=i + 2,
            name="x",
            intake_date=TODAY - dt.timedelta(days=rng.randint(0, 700)),
            point=_point(rng, side),
            birth_year=rng.randint(1940, 1965),
            vog_date=None if rng.random() < 0.08 else TODAY - dt.timedelta(rng.randint(0, 1200)),
            max_km=rng.choice((3.0, 5.0, 5.0, 5.0, 8.0, 10.0)),
            max_families=rng.choices((1, 2, 3), (7, 2, 1))[0],
            child_ages=None if rng.random() < 0.1 else rng.choice(AGE_RANGES),
            pets=rng.random() < 0.3,
            smokes=rng.random() < 0.12,
            **_common(rng),  # type: ignore[arg-type]
        )
        for i in range(n)
    ]
    families = [
        Family(
            id=f"GZ-{i:05d}",
            row=i + 2,
            name="x",
            intake_date=TODAY - dt.timedelta(days=rng.randint(0, 400)),
            point=_point(rng, side),
            children=tuple(sorted(rng.randint(0, 14) for _ in range(rng.randint(1, 3)))),
            no_pets=rng.random() < 0.2,
            smoke_free=rng.random() < 0.6,
            **_common(rng),  # type: ignore[arg-type]
        )
        for i in range(n if families_n is None else families_n)
    ]
    return Records(volunteers=volunteers, families=families)


def _max_families(fam: np.ndarray, vol: np.ndarray, room: np.ndarray) -> int:
    """Largest number of families any capacity-respecting assignment can serve."""
    slots = np.minimum(room, np.bincount(vol, minlength=len(room)))
    first = np.concatenate([[0], np.cumsum(slots)[:-1]])
    rows, cols = [], []
    for k in range(int(slots.max(initial=0))):
        keep = slots[vol] > k
        rows.append(fam[keep])
        cols.append(first[vol[keep]] + k)
    r, c = np.concatenate(rows), np.concatenate(cols)
    shape = (int(fam.max(initial=-1)) + 1, int(slots.sum()))
    graph = csr_array((np.ones(len(r)), (r, c)), shape=shape)
    return int((maximum_bipartite_matching(graph, perm_type="column") >= 0).sum())


class Measured(NamedTuple):
    """One ``plan_matching`` from records to proposals, measured."""

    plan: MatchingPlan
    total: int  # the proposals' total score
    seconds: float
    cpu_seconds: float
    rss_extra_mb: float  # growth of the process's peak RSS (the solver's C++ memory too)
    peak_mb: float  # tracemalloc peak of a second, identical run (Python and numpy)


def measured_plan(records: Records, settings: MatchingSettings) -> Measured:
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start, cpu = time.perf_counter(), time.process_time()
    plan = plan_matching(records, [], TODAY, settings)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    rss_extra = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - rss_before
    tracemalloc.start()
    plan_matching(records, [], TODAY, settings)
    peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    total = sum(int(str(row["score"])) for row in plan.proposals.values())
    return Measured(plan, total, seconds, cpu_seconds, rss_extra, peak_mb)


def candidates(
    records: Records, settings: MatchingSettings
) -> tuple[Candidates, NDArray[np.int64], int]:
    """The candidate pairs plan_matching starts from, each volunteer's room, and how many
    families are available."""
    life = run_lifecycle(records, [], TODAY, settings)
    volunteers, room_list, families = available_people(records, life, TODAY, settings)
    found = build_candidates(volunteers, families, TODAY, settings, life.excluded)
    return found, np.array(room_list, dtype=np.int64), len(families)


def bench(n: int) -> dict[str, object]:
    records = population(n)
    settings = MatchingSettings()
    plan, total, seconds, _, _, peak_mb = measured_plan(records, settings)
    start = time.perf_counter()
    found, room, families_n = candidates(records, settings)
    candidate_seconds = time.perf_counter() - start
    start = time.perf_counter()
    picked = greedy(found.family, found.volunteer, found.score, room)
    greedy_seconds = candidate_seconds + time.perf_counter() - start
    result: dict[str, object] = {
        "n": n,
        "seconds": round(seconds, 3),
        "peak_mb": round(peak_mb, 1),
        "candidate_pairs": len(found),
        "families_available": families_n,
        "families_matched": plan.new_proposals,
        "total_score": total,
        "max_families_possible": _max_families(found.family, found.volunteer, room),
        "greedy": {
            "seconds": round(greedy_seconds, 3),
            "families_matched": len(picked),
            "total_score": int(found.score[picked].sum()),
        },
    }
    result["greedy_unmatched_extra_pct"] = round(
        100 * (plan.new_proposals - len(picked)) / max(plan.new_proposals, 1), 2
    )
    if n <= DENSE_MAX_N:
        start = time.perf_counter()
        dense = assign(found.family, found.volunteer, found.score, room, method="dense")
        dense_seconds = time.perf_counter() - start
        sparse = assign(found.family, found.volunteer, found.score, room, method="sparse")
        dense_value = (len(dense), int(found.score[dense].sum()))
        result["dense"] = {
            "seconds": round(dense_seconds, 3),
            "families_matched": dense_value[0],
            "total_score": dense_value[1],
        }
        result["sparse_equals_dense"] = dense_value == (len(sparse), int(found.score[sparse].sum()))
        result["plan_equals_dense"] = dense_value == (plan.new_proposals, total)
    return result


def bench_city(
    volunteers_n: int = CITY[0], families_n: int = CITY[1], side_km: float = CITY[2]
) -> dict[str, object]:
    """The dense city: CPU seconds and extra memory of ``plan_matching``, and its exactness
    against the uncapped solve (the sparse solver on every candidate pair at once)."""
    records = population(volunteers_n, families_n=families_n, side_km=side_km)
    settings = MatchingSettings()
    plan, total, seconds, cpu_seconds, rss_extra, peak_mb = measured_plan(records, settings)
    found, room, _ = candidates(records, settings)
    uncapped = assign(found.family, found.volunteer, found.score, room, method="sparse")
    value = (len(uncapped), int(found.score[uncapped].sum()))
    return {
        "city": f"{volunteers_n} x {families_n} in {side_km:g} x {side_km:g} km",
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu_seconds, 3),
        "peak_mb": round(peak_mb, 1),
        "rss_extra_mb": round(rss_extra, 1),
        "candidate_pairs": len(found),
        "families_matched": plan.new_proposals,
        "total_score": total,
        "uncapped": {"families_matched": value[0], "total_score": value[1]},
        "plan_equals_uncapped": value == (plan.new_proposals, total),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, help="people per side (default: "
                        "300 2000 10000, or none with --city)")  # fmt: skip
    parser.add_argument("--city", action="store_true", help="also the dense city")
    args = parser.parse_args(argv)
    sizes = args.sizes or ([] if args.city else [300, 2000, 10000])
    for n in sizes:
        print(json.dumps(bench(n)), flush=True)
    if args.city:
        print(json.dumps(bench_city()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
