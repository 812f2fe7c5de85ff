"""Benchmark activity suggestions: N older people x M activities with scarce places.

Times ``plan_activities`` end to end (the median of ``--repeat`` runs; deelnemen and meehelpen,
wall and CPU seconds, peak RSS) and the exact min-cost-flow assignment alone, and compares the
people given at least one suggestion and the total score with two greedy baselines on the same
eligibility and scores, in the same run. Prints JSON.

    .venv/bin/python scripts/bench_activities.py [--elders 5000] [--activities 500] [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import statistics
import sys
import time
from collections import Counter
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sow_sheets.activities.assignment import AssignmentProblem, assign, integer_scores
from sow_sheets.activities.engine import plan_activities
from sow_sheets.activities.rules import isolation, pair_table
from sow_sheets.activities.settings import ActivitySettings
from sow_sheets.model.geo import locate_pc4
from sow_sheets.model.records import Activity, Elder, Records

TODAY = dt.date(2026, 6, 22)
PC4 = [2711, 2712, 2713, 2715, 2716, 2717, 2718, 2719, 2721, 2722, 2723, 2724, 2725, 2726, 2727]
PC4 += [2728, 2729]
INTERESTS = [
    "wandelen",
    "koken",
    "muziek",
    "zingen",
    "handwerken",
    "tuinieren",
    "lezen",
    "kaarten",
    "bingo",
    "schilderen",
    "dansen",
    "fietsen",
    "geschiedenis",
    "film",
    "koffie",
    "spelletjes",
    "natuur",
    "gym",
    "computer",
    "theater",
]
PROGRAMMES = ("Zomereenzaamheid", "Magisch Zoetermeer", "Overig")
CONTRIBUTIONS = ["organiseren", "gastvrouw/gastheer", "koken", "vertellen", "rijden", "bellen"]
CONTRIBUTIONS += ["muziek"]


def synthetic(elders: int, activities: int, seed: int) -> tuple[Records, dict[str, dt.date]]:
    """A Zoetermeer-like population and calendar; places cover about half the wish for three."""
    rnd = random.Random(seed)
    people = []
    last: dict[str, dt.date] = {}
    for i in range(elders):
        eid = f"OU-{i + 1:05d}"
        mobility = rnd.choices(("zelfstandig", "rollator", "rolstoel"), (70, 20, 10))[0]
        people.append(
            Elder(
                id=eid,
                row=i + 2,
                name=f"Oudere {i + 1}",
                organisation="Partner",
                intake_date=TODAY - dt.timedelta(days=rnd.randint(0, 700)),
                status=rnd.choices(("actief", "pauze", "gestopt"), (90, 5, 5))[0],
                consent=rnd.random() < 0.95,
                point=locate_pc4(rnd.choice(PC4)),
                interests=frozenset(rnd.sample(INTERESTS, rnd.randint(0, 4))),
                mobility=mobility,
                needs_transport=rnd.random() < (0.6 if mobility != "zelfstandig" else 0.15),
                # One in five offers to help with something.
                offers=frozenset(
                    rnd.sample(CONTRIBUTIONS, rnd.randint(1, 2)) if rnd.random() < 0.2 else ()
                ),
            )
        )
        if rnd.random() < 0.8:
            last[eid] = TODAY - dt.timedelta(days=rnd.randint(0, 200))
    calendar = []
    for j in range(activities):
        day = TODAY + dt.timedelta(days=rnd.randint(-7, 60))
        programme = "Zomereenzaamheid" if day.month in (7, 8) and rnd.random() < 0.6 else "Overig"
        calendar.append(
            Activity(
                id=f"AC-{j + 1:04d}",
                row=j + 2,
                title=f"Activiteit {j + 1}",
                organisation="Partner",
                programme=programme,
                date=day,
                time=f"{rnd.randint(10, 19)}:00",
                location=f"Buurthuis {j % 40 + 1}",
                point=locate_pc4(rnd.choice(PC4)),
                themes=frozenset(rnd.sample(INTERESTS, rnd.randint(1, 3))),
                wheelchair=rnd.random() < 0.7,
                transport=rnd.random() < 0.25,
                cost=rnd.choice((0.0, 0.0, 0.0, 2.5, 5.0, 12.5)),
                places=rnd.randint(5, 25),
                registration=rnd.random() < 0.5,
                # Three in ten ask for help, with 1-3 helper places apart from the places.
                asks=frozenset(
                    rnd.sample(CONTRIBUTIONS, rnd.randint(1, 2)) if rnd.random() < 0.3 else ()
                ),
                helper_places=rnd.randint(1, 3),
            )
        )
    return Records(elders=people, activities=calendar), last


def greedy(
    eligible: NDArray[np.bool_],
    score: NDArray[np.float64],
    capacity: NDArray[np.int64],
    order: list[int],
    per_person: int,
    round_robin: bool,
) -> list[tuple[int, int]]:
    """The pairs chosen when people pick their best places in ``order``: all their picks at
    once, or one pick per person per round."""
    left = capacity.copy()
    taken = np.zeros_like(eligible)
    pairs: list[tuple[int, int]] = []
    rounds = per_person if round_robin else 1
    for _ in range(rounds):
        for i in order:
            want = 1 if round_robin else per_person
            options = np.where(eligible[i] & ~taken[i] & (left > 0), score[i], -1.0)
            for j in np.argsort(-options, kind="stable")[:want]:
                if options[j] < 0:
                    break
                taken[i, j] = True
                left[j] -= 1
                pairs.append((i, int(j)))
    return pairs


def summary(
    pairs: list[tuple[int, int]], score: NDArray[np.float64], people: int
) -> dict[str, Any]:
    given = np.bincount([i for i, _ in pairs], minlength=people)
    return {
        "people_with_suggestion": int((given >= 1).sum()),
        "share_at_least_one": round(float((given >= 1).sum()) / max(1, people), 4),
        "suggestions": int(given.sum()),
        "total_score": round(float(sum(score[i, j] for i, j in pairs)), 2),
        "people_by_count": {str(k): int((given == k).sum()) for k in range(int(given.max()) + 1)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--elders", type=int, default=5000)
    parser.add_argument("--activities", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (the median counts)")
    args = parser.parse_args()
    settings = ActivitySettings()
    records, last = synthetic(args.elders, args.activities, args.seed)

    plan_times, plan_cpu = [], []
    for _ in range(max(1, args.repeat)):
        start, cpu = time.perf_counter(), time.process_time()
        plan = plan_activities(records, [], last, TODAY, settings)
        plan_times.append(time.perf_counter() - start)
        plan_cpu.append(time.process_time() - cpu)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_mb = peak / 2**20 if sys.platform == "darwin" else peak / 1024

    # The same problem, rebuilt for the assignment alone and the baselines.
    people = sorted((e for e in records.elders if e.eligible), key=lambda e: e.id)
    end = TODAY + dt.timedelta(days=settings.horizon_days)
    upcoming = sorted(
        (a for a in records.activities if a.date is not None and TODAY <= a.date <= end),
        key=lambda a: a.id,
    )
    iso = np.array([isolation(last.get(e.id), TODAY, settings) for e in people])
    table = pair_table(people, upcoming, iso, settings)
    capacity = np.array([a.places or len(people) for a in upcoming], dtype=np.int64)
    person = {e.id: i for i, e in enumerate(people)}
    activity = {a.id: j for j, a in enumerate(upcoming)}
    planned = [
        (person[str(row["elder"])], activity[str(row["activity"])])
        for row in plan.suggestions.values()
        if row["kind"] == "deelnemen"
    ]
    helping = [row for row in plan.suggestions.values() if row["kind"] == "meehelpen"]
    per = settings.per_person
    problem = AssignmentProblem(
        table.score,
        table.eligible,
        np.full(len(people), per, dtype=np.int64),
        np.zeros(len(people), dtype=np.int64),
        capacity,
    )
    start = time.perf_counter()
    solved = assign(problem)
    assign_seconds = time.perf_counter() - start

    # Equal optima may differ in tied pairs (the plan prices pairs in on large networks), so
    # compare what the optimum fixes: suggestions per person, and the total integer score.
    def optimum(pairs: list[tuple[int, int]]) -> tuple[list[int], int]:
        counts = sorted(Counter(i for i, _ in pairs).values())
        whole = integer_scores(table.score)
        return counts, int(sum(int(whole[i, j]) for i, j in pairs))

    if optimum(planned) != optimum(solved.pairs):
        raise SystemExit("the plan and the assignment alone reach different optima")

    order = sorted(range(len(people)), key=lambda i: (-iso[i], people[i].id))
    optimal = summary(solved.pairs, table.score, len(people))
    baselines = {
        "greedy_most_isolated_first": summary(
            greedy(table.eligible, table.score, capacity, order, per, False),
            table.score,
            len(people),
        ),
        "greedy_round_robin": summary(
            greedy(table.eligible, table.score, capacity, order, per, True),
            table.score,
            len(people),
        ),
    }
    for base in baselines.values():
        base["people_vs_min_cost_flow"] = round(
            base["people_with_suggestion"] / max(1, optimal["people_with_suggestion"]), 4
        )
        base["score_vs_min_cost_flow"] = round(
            base["total_score"] / max(1e-9, optimal["total_score"]), 4
        )
    reachable = int((table.eligible & (capacity[None, :] > 0)).any(axis=1).sum())
    result = {
        "elders": args.elders,
        "activities": args.activities,
        "eligible_people": len(people),
        "people_with_an_eligible_activity": reachable,
        "activities_in_horizon": len(upcoming),
        "places": int(capacity.sum()),
        "eligible_pairs": solved.arcs,
        "plan_seconds": round(statistics.median(plan_times), 3),
        "plan_seconds_runs": [round(t, 3) for t in plan_times],
        "plan_cpu_seconds": round(statistics.median(plan_cpu), 3),
        "plan_cpu_seconds_runs": [round(t, 3) for t in plan_cpu],
        "peak_rss_mb": round(peak_mb, 1),
        "helpers_offering": sum(1 for e in people if e.offers),
        "activities_asking_help": sum(1 for a in upcoming if a.asks),
        "helper_suggestions": len(helping),
        "people_with_helper_suggestion": len({str(r["elder"]) for r in helping}),
        "assignment_seconds": round(assign_seconds, 3),
        "min_cost_flow": optimal,
        **baselines,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
