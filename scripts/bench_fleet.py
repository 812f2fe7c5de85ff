"""Benchmark one worker serving many coalitions: one night of N targets of demo size.

Usage: python scripts/bench_fleet.py [--targets 300] [--parallel 2] [--reads 55] [--writes 55]

Every target is a demo-size spreadsheet of its own (``demo_tables`` with its own seed) on the
in-process Sheets emulator, reached through the real gspread client. Each target is synced
once beforehand (its first sync, worker tabs created), as a coalition that has been running a
while. Then the night: every target due at 02:00, the fleet runs them ``parallel`` at a time,
every request paced by one shared ``RequestPacer`` at the quota (reads and writes per minute
of the one service account). Waiting for the quota is simulated: the pacer's clock is real
elapsed time plus the waits it skipped, so a night of many minutes runs in the time the syncs
take to compute. Prints one JSON object: the makespan of the night (simulated seconds), the
busiest minute of reads and of writes (never above the quota), requests per target, each
target's sync time (min / median / max), CPU seconds and peak RSS of this process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import statistics
import threading
import time
from pathlib import Path
from typing import Any

from sow_sheets.backends.google import GoogleBackend
from sow_sheets.backends.pacing import RequestPacer, busiest_minute
from sow_sheets.backends.retry import RetryingHTTPClient
from sow_sheets.commands.fleet import fleet_jobs
from sow_sheets.demo.data import demo_tables
from sow_sheets.model.sheet import Backend
from sow_sheets.service.fleet import Fleet
from sow_sheets.settings import Settings
from sow_sheets.targets import load_config
from sow_sheets.testing import SheetsEmulator

TODAY = dt.date(2026, 11, 27)
NIGHT = dt.datetime(2026, 11, 27, 1, 0, tzinfo=dt.UTC)  # 02:00 in Amsterdam


class SkippingClock:
    """Seconds since the start plus every wait skipped: a sleep moves the clock to the
    sleeper's wake-up time at once, unless another sleeper already moved it further."""

    def __init__(self) -> None:
        self.t0 = time.monotonic()
        self.skipped = 0.0
        self.lock = threading.Lock()

    def clock(self) -> float:
        return time.monotonic() - self.t0 + self.skipped

    def sleep(self, seconds: float) -> None:
        wake = self.clock() + seconds
        with self.lock:
            self.skipped += max(0.0, wake - self.clock())


def build(count: int, emulator: SheetsEmulator, folder: Path) -> Path:
    """``count`` demo spreadsheets on the emulator and a config listing them as targets."""
    entries = []
    for number in range(count):
        key = f"coalitie-{number:03d}"
        emulator.create(demo_tables(TODAY, 1000 + number), key)
        entries.append(f'[[targets]]\nname = "{key}"\n[targets.sheet]\nspreadsheet = "{key}"\n')
    path = folder / "sow.toml"
    path.write_text("\n".join(entries), "utf-8")
    return path


def night(
    config_path: Path,
    emulator: SheetsEmulator,
    parallel: int,
    pacer: RequestPacer | None,
    clock: SkippingClock,
) -> tuple[Fleet, dict[str, tuple[float, float]]]:
    """Every target synced once, ``parallel`` at a time; each target's (start, end)."""
    spans: dict[str, tuple[float, float]] = {}

    def backend(settings: Settings, name: str) -> Backend:
        http = RetryingHTTPClient.configured(
            pacer=pacer, label=name, sleep=clock.sleep, clock=clock.clock
        )
        return GoogleBackend(settings.sheet.spreadsheet, client=emulator.client(http))

    jobs, broken = fleet_jobs(load_config(config_path), backend, now=lambda: NIGHT)
    assert not broken
    timed = []
    for job in jobs:

        def task(log: Any, inner: Any = job.task, name: str = job.name) -> None:
            start = clock.clock()
            try:
                inner(log)
            finally:
                spans[name] = (start, clock.clock())

        timed.append(type(job)(job.name, job.schedule, task))
    fleet = Fleet(timed, parallel=parallel, now=lambda: NIGHT)
    for job in timed:
        fleet.fire(job, NIGHT)
    fleet.join()
    return fleet, spans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=300)
    parser.add_argument("--parallel", type=int, default=2)
    parser.add_argument("--reads", type=int, default=55, help="read requests per minute")
    parser.add_argument("--writes", type=int, default=55, help="write requests per minute")
    args = parser.parse_args()
    import tempfile

    emulator = SheetsEmulator()
    with tempfile.TemporaryDirectory() as folder:
        t0 = time.monotonic()
        config = build(args.targets, emulator, Path(folder))
        setup = SkippingClock()
        first, _ = night(config, emulator, args.parallel, None, setup)
        assert {o.result for o in first.outcomes} == {"ok"}, first.outcomes[:3]
        prepared_s = time.monotonic() - t0

        cpu0 = time.process_time()
        wall0 = time.monotonic()
        clock = SkippingClock()
        pacer = RequestPacer(args.reads, args.writes, clock=clock.clock, sleep=clock.sleep)
        fleet, spans = night(config, emulator, args.parallel, pacer, clock)
        cpu = time.process_time() - cpu0
        wall = time.monotonic() - wall0
    results = [o.result for o in fleet.outcomes]
    reads = [when for when, kind, _ in pacer.sent if kind == "read"]
    writes = [when for when, kind, _ in pacer.sent if kind == "write"]
    per_target = pacer.counts()
    durations = sorted(end - start for start, end in spans.values())
    makespan = max(end for _, end in spans.values()) - min(s for s, _ in spans.values())
    compute = sum(durations)
    print(
        json.dumps(
            {
                "benchmark": "fleet_night",
                "targets": args.targets,
                "parallel": args.parallel,
                "quota_per_minute": {"read": args.reads, "write": args.writes},
                "ok": results.count("ok"),
                "failed": len(results) - results.count("ok"),
                "makespan_s": round(makespan, 1),
                "makespan_min": round(makespan / 60, 1),
                "busiest_minute": {"read": busiest_minute(reads), "write": busiest_minute(writes)},
                "requests": {"read": len(reads), "write": len(writes)},
                "requests_per_target": {
                    "read": round(len(reads) / max(len(per_target), 1), 2),
                    "write": round(len(writes) / max(len(per_target), 1), 2),
                },
                "sync_s": {
                    "min": round(durations[0], 2),
                    "median": round(statistics.median(durations), 2),
                    "max": round(durations[-1], 2),
                    "sum": round(compute, 1),
                },
                "night_wall_s": round(wall, 1),
                "night_cpu_s": round(cpu, 1),
                "cpu_s_per_target": round(cpu / args.targets, 3),
                "prepare_s": round(prepared_s, 1),
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            }
        )
    )


if __name__ == "__main__":
    main()
