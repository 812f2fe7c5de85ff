"""Benchmark the partners' weekly digests on a synced synthetic workbook; prints JSON lines.

Usage: python scripts/bench_digest.py [--workbook demo|national] [--scale 1,10] [--repeat 3]

One sync (on the in-process Sheets emulator) writes the worker tabs; then, from the tables as
a read returns them, ``build_digests`` counts every partner's rows and every message (text and
HTML) is composed, ``repeat`` times. Reported: rows read, worker-tab rows, partners, messages,
the best and the median seconds of counting + composing, and the sync's own seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
from typing import Any

from bench_sync import KEY, fill_blank_ids, scaled_tables  # the sibling script

from sow_sheets.backends.google import GoogleBackend
from sow_sheets.backends.retry import RetryingHTTPClient
from sow_sheets.demo.national import national_tables
from sow_sheets.notify.digest import build_digests, digest_week
from sow_sheets.notify.messages import digest_message
from sow_sheets.settings import Settings
from sow_sheets.sync.run import run_sync
from sow_sheets.testing import SheetsEmulator

TODAY = dt.date(2026, 11, 27)
WORKER_TABS = ("Voorstellen", "Activiteitvoorstellen", "Signalen")


def bench(kind: str, scale: float, repeat: int) -> dict[str, Any]:
    settings = Settings()
    if kind == "national":
        tables = national_tables(TODAY, scale=scale)
    else:
        tables = scaled_tables(TODAY, int(scale))
    fill_blank_ids(tables, settings.schema)
    emulator = SheetsEmulator()
    emulator.create(tables, KEY)
    backend = GoogleBackend(KEY, client=emulator.client(RetryingHTTPClient), schema=settings.schema)
    t0 = time.perf_counter()
    run_sync(backend, settings, TODAY, dt.datetime.combine(TODAY, dt.time(2)))
    sync_seconds = time.perf_counter() - t0
    read = backend.read()
    week = digest_week(dt.datetime.combine(TODAY, dt.time(3)), 0, dt.time(0))
    times, messages = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        digests = build_digests(read, settings.schema, week)
        composed = [digest_message(d, ["p@example.nl"], "https://x") for d in digests.values()]
        times.append(time.perf_counter() - t0)
        messages = len(composed)
    return {
        "workbook": kind,
        "scale": scale,
        "rows_read": sum(max(len(t.rows) - 1, 0) for t in read.values()),
        "worker_rows": sum(max(len(read[t].rows) - 1, 0) for t in WORKER_TABS if t in read),
        "partners": len(digests),
        "messages": messages,
        "digest_seconds_best": round(min(times), 3),
        "digest_seconds_median": round(statistics.median(times), 3),
        "sync_seconds": round(sync_seconds, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workbook", choices=("demo", "national"), default="demo")
    parser.add_argument("--scale", default="1,10", help="sizes, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    for scale in args.scale.split(","):
        print(json.dumps(bench(args.workbook, float(scale), args.repeat)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
