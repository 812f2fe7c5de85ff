"""Benchmark the help strand: N open requests × M helpers across a city region.

Builds a synthetic Haaglanden (The Hague, Zoetermeer, Delft, Rijswijk, Leidschendam-Voorburg,
Westland: 138 postcode areas, addresses spread around each centroid), times ``plan_help`` end
to end (records in, Hulpvoorstellen rows and signals out; the median of ``--repeat`` runs, wall
and CPU), and the exact first-choice assignment alone. Compares the requests served and the
urgent ones served with greedy nearest-helper-first (most urgent requests first, each takes the
nearest allowed helper with room left), on the same allowed pairs. Prints one JSON object.

    .venv/bin/python scripts/bench_help.py [--requests 1000] [--helpers 5000] [--seed 1]
        [--available 0.95] [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import statistics
import time
from collections import Counter
from typing import Any

import numpy as np

from sow_sheets.help.engine import TIER, plan_help
from sow_sheets.help.rules import Candidates, Terms, candidate_pairs
from sow_sheets.help.settings import HelpSettings
from sow_sheets.model.geo import Point, pc4_centroids
from sow_sheets.model.records import Helper, HelpRequest, Records

NOW = dt.datetime(2026, 11, 30, 14, 30)
KINDS = ["boodschappen"] * 8 + ["vervoer"] * 4 + ["klus"] * 3 + ["telefoon"] * 2
KINDS += ["gezelschap"] * 3
OFFERED = ["boodschappen", "vervoer", "klus", "telefoon", "gezelschap", "anders"]
URGENCY = ["vandaag"] * 20 + ["deze week"] * 45 + ["flexibel"] * 35


def region() -> list[Point]:
    """Haaglanden's postcode centroids."""
    table = pc4_centroids()
    return [p for k, p in table.items() if 2490 <= k <= 2729 or 2260 <= k <= 2289]


def _near(rnd: random.Random, areas: list[Point]) -> Point:
    """An address: a postcode centroid and up to about 450 m around it."""
    centre = rnd.choice(areas)
    return Point(centre.lat + rnd.uniform(-0.004, 0.004), centre.lon + rnd.uniform(-0.0065, 0.0065))


def synthetic(requests: int, helpers: int, seed: int, available: float = 0.95) -> Records:
    """Open requests asked in the last three days, and helpers of whom ``available`` are
    `actief` (the others paused)."""
    rnd = random.Random(seed)
    areas = region()
    today = NOW.date()
    asked_from = NOW - dt.timedelta(days=3)
    reqs = []
    for i in range(requests):
        asked = asked_from + dt.timedelta(minutes=rnd.randint(0, 3 * 24 * 60 - 300))
        needed = None if rnd.random() < 0.5 else today + dt.timedelta(days=rnd.randint(0, 13))
        reqs.append(
            HelpRequest(
                id=f"HV-{i + 1:05d}",
                row=i + 2,
                name=f"Bewoner {i + 1}",
                organisation=f"Partner {i % 12 + 1}",
                asked=asked.date(),
                asked_time=asked.time(),
                point=_near(rnd, areas),
                kind=rnd.choice(KINDS),
                needed=needed,
                urgency=rnd.choice(URGENCY),
                source=rnd.choice(["folder", "telefoon", "formulier", "doorverwijzer", None]),
                consent=True,
            )
        )
    people = []
    for j in range(helpers):
        kinds = frozenset(rnd.sample(OFFERED, rnd.randint(1, 3)))
        vog = None
        if "gezelschap" in kinds and rnd.random() < 0.8:
            vog = today - dt.timedelta(days=rnd.randint(30, 1200))
        people.append(
            Helper(
                id=f"HA-{j + 1:05d}",
                row=j + 2,
                name=f"Helper {j + 1}",
                organisation=f"Partner {j % 12 + 1}",
                intake_date=today - dt.timedelta(days=rnd.randint(0, 400)),
                status="actief" if rnd.random() < available else "pauze",
                consent=rnd.random() < 0.97,
                point=_near(rnd, areas),
                kinds=kinds,
                days=frozenset(rnd.sample(range(7), rnd.randint(1, 4)))
                if rnd.random() < 0.9
                else frozenset(),
                transport=rnd.choice(["auto", "fiets", "fiets", "geen", "geen"]),
                max_km=rnd.choice([1.0, 2.0, 3.0, 3.0, 5.0]),
                max_per_week=rnd.choice([1, 1, 2, 2, 3]),
                vog_date=vog,
            )
        )
    return Records(help_requests=reqs, helpers=people)


def greedy(found: Candidates, tiers: list[int], asked: list[dt.datetime]) -> list[int]:
    """Pair indices chosen by nearest-helper-first, most urgent (then earliest) requests first."""
    room = {}
    order = np.lexsort((found.units, found.request))
    by_request: dict[int, list[int]] = {}
    for index in order.tolist():
        by_request.setdefault(int(found.request[index]), []).append(index)
    chosen = []
    for r in sorted(by_request, key=lambda r: (tiers[r], asked[r])):
        for index in by_request[r]:
            slot = (int(found.helper[index]), int(found.week[index]))
            left = room.setdefault(slot, int(found.room[slot[0], slot[1]]))
            if left > 0:
                room[slot] = left - 1
                chosen.append(index)
                break
    return chosen


def measure(fn: Any, repeat: int) -> tuple[Any, float, float]:
    """The result of ``fn()`` and its median wall and CPU seconds over ``repeat`` runs."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return result, statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--helpers", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--available", type=float, default=0.95, help="share of helpers active (scarcity)"
    )
    args = parser.parse_args()
    settings = HelpSettings()
    records = synthetic(args.requests, args.helpers, args.seed, args.available)
    plan, wall, cpu = measure(lambda: plan_help(records, [], NOW, settings), args.repeat)

    terms = Terms(NOW.date(), settings, {})
    waiting = sorted(records.help_requests, key=lambda r: r.id)
    able = sorted((h for h in records.helpers if h.eligible), key=lambda h: h.id)
    found, pairs_wall, _ = measure(lambda: candidate_pairs(waiting, able, terms), args.repeat)
    tiers = [TIER[r.urgency] for r in waiting]
    asked = [dt.datetime.combine(r.asked or NOW.date(), r.asked_time or dt.time()) for r in waiting]
    picked = greedy(found, tiers, asked)
    first = {str(v["request"]): v for v in plan.proposals.values() if v.get("rank") == 1}
    by_id = {r.id: r for r in waiting}
    reachable = len(set(found.request.tolist()))
    urgent_total = sum(t == 0 for t in tiers)
    optimal_urgent = sum(by_id[r].urgency == "vandaag" for r in first)
    greedy_urgent = sum(tiers[int(found.request[i])] == 0 for i in picked)
    print(
        json.dumps(
            {
                "requests": args.requests,
                "helpers": args.helpers,
                "helpers_active": sum(h.eligible for h in records.helpers),
                "eligible_pairs": len(found),
                "requests_with_any_helper": reachable,
                "plan_help_s": round(wall, 3),
                "plan_help_cpu_s": round(cpu, 3),
                "candidate_pairs_s": round(pairs_wall, 3),
                "assignment_and_rows_s": round(wall - pairs_wall, 3),
                "repeat": args.repeat,
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "proposals": plan.new_proposals,
                "served_optimal": plan.served,
                "served_greedy": len(picked),
                "share_served_optimal": round(plan.served / args.requests, 3),
                "share_served_greedy": round(len(picked) / args.requests, 3),
                "greedy_serves_fewer_pct": round(100 * (1 - len(picked) / max(plan.served, 1)), 1),
                "urgent_requests": urgent_total,
                "urgent_served_optimal": optimal_urgent,
                "urgent_served_greedy": greedy_urgent,
                "mean_km_first_choice": round(
                    statistics.fmean(float(v["km"]) for v in first.values() if v["km"] is not None),
                    2,
                ),
                "signals": dict(Counter(f.type for f in plan.findings)),
            }
        )
    )


if __name__ == "__main__":
    main()
