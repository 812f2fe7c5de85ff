"""Benchmark a full sync at demo size and at multiples of it, or at national scale.

Usage: python scripts/bench_sync.py --backend emulator|xlsx [--scale 1,10,100,national]
           [--today YYYY-MM-DD]

The workbook is the synthetic demo (``demo_tables``) repeated ``scale`` times, each copy with
its own seed and fresh IDs (GO-0001 of copy 2 becomes GO-20001), or ``national`` (the
national-scale workbook of ``demo/national.py``: 10k volunteers and families, 50k older people,
200k conversations). Blank IDs are filled beforehand, so the second sync is a true no-edit
run.

xlsx: one JSON line per size with the first sync (worker tabs absent) and the second:
backend calls by kind, reads, writes, cells written and seconds.

emulator: one JSON line per sync, each size in a child process of its own so its peak memory
is its own: the Sheets API requests by kind, ``max_request_bytes`` (largest request body),
``max_url_chars`` (longest URL), total bytes sent and received, cells written, wall and CPU
seconds, and ``peak_rss_mb`` (the process's peak so far, emulator and data included;
``rss_before_mb`` is the peak before the first sync). The sync runs on the strict emulator,
which refuses what Google refuses; ``within_limits`` says every body < 2 MB, every URL < 2 KB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import re
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sow_sheets.backends.google import GoogleBackend
from sow_sheets.backends.retry import RetryingHTTPClient
from sow_sheets.backends.xlsx import XlsxBackend, write_new_workbook
from sow_sheets.demo.data import demo_tables
from sow_sheets.demo.national import national_tables
from sow_sheets.model.cells import Cell, is_blank
from sow_sheets.model.schema import Schema
from sow_sheets.model.sheet import Backend, CellRange, Table, WritePlan
from sow_sheets.settings import Settings
from sow_sheets.sync.run import run_sync
from sow_sheets.testing import SheetsEmulator

Tables = dict[str, list[list[Cell]]]
KEY = "bench-spreadsheet"
DEFAULT_TODAY = dt.date(2026, 11, 27)
READS = ("get", "batchGet", "values.get")
_ID = re.compile(r"([A-Z]{2})-(\d+)")
NATIONAL = "national"
BODY_LIMIT = 2_000_000  # Google's recommended maximum request body
URL_LIMIT = 2048  # where Google's own clients switch a GET to POST


def scaled_tables(today: dt.date, scale: int, seed: int = 2026) -> Tables:
    """The demo tables ``scale`` times over: copy k (from 0) uses seed + k, IDs + k*10000."""
    out: Tables = {}
    for k in range(scale):
        for title, rows in demo_tables(today, seed + k).items():
            body = [[_renumbered(v, k) for v in row] for row in rows[1:]]
            out.setdefault(title, [list(rows[0])]).extend(body)
    return out


def _renumbered(value: Cell, copy: int) -> Cell:
    if copy and isinstance(value, str) and (m := _ID.fullmatch(value)):
        return f"{m[1]}-{copy * 10000 + int(m[2]):04d}"
    return value


def fill_blank_ids(tables: Tables, schema: Schema) -> int:
    """Give every human-tab row without an ID one (as a previous sync would); returns how many."""
    filled = 0
    for spec in schema.human_tabs:
        rows = tables.get(spec.title)
        if not rows or spec.key_column.header not in rows[0]:
            continue
        col = rows[0].index(spec.key_column.header)
        for number, row in enumerate(rows[1:], start=1):
            if col < len(row) and is_blank(row[col]) and any(not is_blank(v) for v in row):
                row[col] = f"ZZ-{number:05d}-{spec.key}"
                filled += 1
    return filled


class CountingBackend:
    """Counts the calls a sync makes to a backend (the xlsx stand-in for request counts)."""

    def __init__(self, inner: Backend) -> None:
        self.inner = inner
        self.counts: Counter[str] = Counter()
        self.cells_written = 0

    def target(self) -> str:
        return self.inner.target()

    def read(self) -> dict[str, Table]:
        self.counts["read"] += 1
        return self.inner.read()

    def reread(self, ranges: list[CellRange]) -> list[Table]:
        self.counts["reread"] += 1
        return self.inner.reread(ranges)

    def write(self, plan: WritePlan) -> None:
        self.counts["write"] += 1
        self.cells_written += len(plan.cells)
        self.inner.write(plan)

    def setup(self, schema: Schema) -> list[str]:
        self.counts["setup"] += 1
        return self.inner.setup(schema)


def _run(backend: Backend, settings: Settings, today: dt.date) -> tuple[float, int]:
    started = dt.datetime.combine(today, dt.time(3, 0))
    t0 = time.perf_counter()
    result = run_sync(backend, settings, today, started)
    return time.perf_counter() - t0, len(result.plan.cells)


def bench(kind: str, scale: int, today: dt.date, workdir: Path) -> dict[str, Any]:
    """Two syncs on a fresh synthetic workbook of ``scale`` times the demo (xlsx)."""
    settings = Settings()
    tables = scaled_tables(today, scale)
    fill_blank_ids(tables, settings.schema)
    report: dict[str, Any] = {
        "backend": kind,
        "scale": scale,
        "rows": sum(len(rows) - 1 for rows in tables.values()),
    }
    path = workdir / f"bench-{scale}.xlsx"
    write_new_workbook(path, tables)
    counting = CountingBackend(XlsxBackend(path))
    for run in ("first", "second"):
        counting.counts.clear()
        seconds, cells = _run(counting, settings, today)
        counts = dict(counting.counts)
        reads = sum(n for k, n in counts.items() if k in ("read", "reread"))
        report[run] = {
            "requests": counts,
            "reads": reads,
            "writes": sum(counts.values()) - reads,
            "cells_written": cells,
            "seconds": round(seconds, 3),
        }
    return report


def _peak_rss_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def measure_emulator(scale: int | str, today: dt.date) -> list[dict[str, Any]]:
    """Two syncs through gspread on the strict emulator; one report per sync."""
    settings = Settings()
    tables = national_tables(today) if scale == NATIONAL else scaled_tables(today, int(scale))
    fill_blank_ids(tables, settings.schema)
    rows = sum(len(r) - 1 for r in tables.values())
    emulator = SheetsEmulator()
    emulator.create(tables, KEY)
    del tables  # the emulator holds the sheet now
    backend = GoogleBackend(KEY, client=emulator.client(RetryingHTTPClient), schema=settings.schema)
    before = _peak_rss_mb()
    reports: list[dict[str, Any]] = []
    for run in ("first", "second"):
        emulator.counts.clear()
        emulator.traffic.clear()
        cpu = time.process_time()
        seconds, cells = _run(backend, settings, today)
        traffic = emulator.traffic
        counts = dict(emulator.counts)
        reads = sum(n for k, n in counts.items() if k in READS)
        writes = [t.request_bytes for t in traffic if t.name not in READS]
        report = {
            "backend": "emulator",
            "scale": scale,
            "rows": rows,
            "sync": run,
            "requests": counts,
            "reads": reads,
            "writes": sum(counts.values()) - reads,
            "max_request_bytes": max((t.request_bytes for t in traffic), default=0),
            "max_url_chars": max((t.url_chars for t in traffic), default=0),
            "request_bytes": sum(t.request_bytes for t in traffic),
            "response_bytes": sum(t.response_bytes for t in traffic),
            "write_bytes": sum(writes),
            "cells_written": cells,
            "seconds": round(seconds, 3),
            "cpu_seconds": round(time.process_time() - cpu, 3),
            "rss_before_mb": before,
            "peak_rss_mb": _peak_rss_mb(),
        }
        report["within_limits"] = (
            report["max_request_bytes"] < BODY_LIMIT and report["max_url_chars"] < URL_LIMIT
        )
        reports.append(report)
    return reports


def _child(scale: int | str, today: dt.date) -> None:
    for report in measure_emulator(scale, today):
        print(json.dumps(report), flush=True)


def in_child(target: Callable[..., None], *args: Any) -> int:
    """Run ``target`` in a forked child process (its own peak memory); its exit code."""
    process = multiprocessing.get_context("fork").Process(target=target, args=args)
    process.start()
    process.join()
    return process.exitcode or 0


def _scale(text: str) -> int | str:
    if text.strip() == NATIONAL:
        return NATIONAL
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("emulator", "xlsx"), default="emulator")
    parser.add_argument(
        "--scale", default="1,10", help="comma-separated multiples of the demo, or national"
    )
    parser.add_argument("--today", type=dt.date.fromisoformat, default=DEFAULT_TODAY)
    args = parser.parse_args(argv)
    try:
        scales = [_scale(s) for s in args.scale.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--scale: expected multiples of 1 or more, or national; found {args.scale!r}")
    if not scales:
        parser.error("--scale: give at least one size")
    if args.backend == "emulator":
        return max(in_child(_child, scale, args.today) for scale in scales)
    if NATIONAL in scales:
        parser.error("--scale national: only with --backend emulator here")
    with tempfile.TemporaryDirectory() as tmp:
        for scale in scales:
            print(json.dumps(bench(args.backend, int(scale), args.today, Path(tmp))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
