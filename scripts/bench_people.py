#!/usr/bin/env python3
"""Benchmark: duplicate detection over 80,000 person rows; prints JSON.

Two populations, each generated first and handed over as the tables one read returns:
``national`` is the national-scale demo's people (``sow_sheets/demo``: Grootouders, Gezinnen
and Ouderen in the proportions of ``national_tables``, scaled to ``--people`` rows), and
``planted`` is the duplicate generator's population with 5 % planted duplicates across all
five person tabs. The timed part is what a sync adds for duplicates: reading the person tabs
into records (``validate``) and ``plan_duplicates``. Reports wall and CPU seconds and the
process's peak RSS (the issue's target: under 5 s and 500 MB).

Usage: python scripts/bench_people.py [--people 80000] [--only national|planted]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import time

from sow_sheets.demo.data import table_of
from sow_sheets.demo.duplicates import duplicate_world
from sow_sheets.demo.national import ELDERS, FAMILIES, VOLUNTEERS
from sow_sheets.demo.people import Namer, elders, families, volunteers
from sow_sheets.demo.typist import Typist
from sow_sheets.duplicates.settings import DuplicateSettings
from sow_sheets.duplicates.signals import plan_duplicates
from sow_sheets.model.cells import Cell
from sow_sheets.model.schema import DEFAULT_SCHEMA, GEZINNEN, GROOTOUDERS, OUDEREN
from sow_sheets.model.sheet import Table
from sow_sheets.reading.validation import validate

TODAY = dt.date(2026, 11, 27)


def national_people(people: int) -> dict[str, list[list[Cell]]]:
    """The national demo's people tabs, scaled so they hold ``people`` rows together."""
    scale = people / (VOLUNTEERS + FAMILIES + ELDERS)
    t = Typist(random.Random(2026))
    namer = Namer(t)
    vols = volunteers(t, namer, TODAY, round(VOLUNTEERS * scale))
    fams = families(t, namer, TODAY, round(FAMILIES * scale))
    elds = elders(t, namer, TODAY, people - len(vols) - len(fams))
    return {
        GROOTOUDERS.title: table_of(GROOTOUDERS, (p.cells for p in vols)),
        GEZINNEN.title: table_of(GEZINNEN, (p.cells for p in fams)),
        OUDEREN.title: table_of(OUDEREN, (p.cells for p in elds)),
    }


def measure(
    raw: dict[str, list[list[Cell]]], truth: set[tuple[str, str]] | None = None
) -> dict[str, object]:
    tables = {title: Table(title, rows) for title, rows in raw.items()}
    wall, cpu = time.perf_counter(), time.process_time()
    validated = validate(tables, DEFAULT_SCHEMA, TODAY)
    read_cpu = time.process_time() - cpu
    cpu2, wall2 = time.process_time(), time.perf_counter()
    plan = plan_duplicates(validated.records.identities, [], DuplicateSettings())
    accuracy: dict[str, object] = {}
    if truth is not None:
        found = {tuple(f.key.split(":")[1:]) for f in plan.findings}
        hits = len(found & truth)
        accuracy = {
            "planted_pairs": len(truth),
            "true_pos": hits,
            "false_pos": len(found) - hits,
            "false_neg": len(truth) - hits,
            "recall": round(hits / len(truth), 4),
            "precision": round(hits / max(1, len(found)), 4),
        }
    return accuracy | {
        "person_rows": len(validated.records.identities),
        "pairs_signalled": plan.pairs,
        "validate_cpu_s": round(read_cpu, 2),
        "duplicates_cpu_s": round(time.process_time() - cpu2, 2),
        "duplicates_wall_s": round(time.perf_counter() - wall2, 2),
        "total_cpu_s": round(time.process_time() - cpu, 2),
        "total_wall_s": round(time.perf_counter() - wall, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=80_000, help="person rows in total")
    parser.add_argument("--only", choices=("national", "planted"), help="one population")
    args = parser.parse_args(argv)
    result: dict[str, object] = {"targets": {"wall_s": 5, "peak_rss_mb": 500}}
    if args.only in (None, "national"):
        result["national"] = measure(national_people(args.people))
    if args.only in (None, "planted"):
        world = duplicate_world(args.people, share=0.05, seed=7)
        result["planted"] = measure(world.tables, world.truth)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
