"""Benchmark a full sync at demo size and at multiples of it; prints one JSON line per size.

Usage: python scripts/bench_sync.py --backend emulator|xlsx [--scale 1,10] [--today YYYY-MM-DD]

The workbook is the synthetic demo (``demo_tables``) repeated ``scale`` times, each copy with
its own seed and fresh IDs (GO-0001 of copy 2 becomes GO-20001). Blank IDs are filled
beforehand, so the second sync is a true no-edit run. For each size it reports, for the first
sync (worker tabs absent) and the second: requests by kind (the emulator's count of Sheets API
calls, or the backend calls for xlsx), reads, writes, cells written and seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from sow_sheets.backends.google import GoogleBackend
from sow_sheets.backends.retry import RetryingHTTPClient
from sow_sheets.backends.xlsx import XlsxBackend, write_new_workbook
from sow_sheets.demo.data import demo_tables
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
    """Two syncs on a fresh synthetic spreadsheet of ``scale`` times the demo."""
    settings = Settings()
    tables = scaled_tables(today, scale)
    fill_blank_ids(tables, settings.schema)
    report: dict[str, Any] = {
        "backend": kind,
        "scale": scale,
        "rows": sum(len(rows) - 1 for rows in tables.values()),
    }
    emulator: SheetsEmulator | None = None
    counting: CountingBackend | None = None
    if kind == "emulator":
        emulator = SheetsEmulator()
        emulator.create(tables, KEY)
        backend: Backend = GoogleBackend(
            KEY, client=emulator.client(RetryingHTTPClient), schema=settings.schema
        )
    else:
        path = workdir / f"bench-{scale}.xlsx"
        write_new_workbook(path, tables)
        backend = counting = CountingBackend(XlsxBackend(path))
    for run in ("first", "second"):
        counter = emulator.counts if emulator is not None else counting.counts  # type: ignore[union-attr]
        counter.clear()
        seconds, cells = _run(backend, settings, today)
        counts = dict(counter)
        reads = sum(n for k, n in counts.items() if k in READS or k in ("read", "reread"))
        report[run] = {
            "requests": counts,
            "reads": reads,
            "writes": sum(counts.values()) - reads,
            "cells_written": cells,
            "seconds": round(seconds, 3),
        }
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("emulator", "xlsx"), default="emulator")
    parser.add_argument("--scale", default="1,10", help="comma-separated multiples of the demo")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=DEFAULT_TODAY)
    args = parser.parse_args(argv)
    try:
        scales = [int(s) for s in args.scale.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--scale: expected numbers like 1,10, found {args.scale!r}")
    if not scales or min(scales) < 1:
        parser.error("--scale: every multiple must be 1 or more")
    with tempfile.TemporaryDirectory() as tmp:
        for scale in scales:
            print(json.dumps(bench(args.backend, scale, args.today, Path(tmp))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
