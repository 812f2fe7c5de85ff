"""Benchmark a full sync at demo size and at multiples of it, or at national scale.

Usage: python scripts/bench_sync.py --backend emulator|xlsx [--scale 1,10,100,national]
           [--today YYYY-MM-DD] [--compare]
       python scripts/bench_sync.py --kill N [--national-scale F]   (kill -9 N writes)
       python scripts/bench_sync.py --preset national      (= --backend xlsx --scale national)

The workbook is the synthetic demo (``demo_tables``) repeated ``scale`` times, each copy with
its own seed and fresh IDs (GO-0001 of copy 2 becomes GO-20001), or ``national`` (the
national-scale workbook of ``demo/national.py``: 10k volunteers and families, 50k older people,
200k conversations). Blank IDs are filled beforehand, so the second sync is a true no-edit
run.

xlsx: one JSON line per sync (the first, with the worker tabs absent, and a no-edit second),
each in a child process of its own (its own peak memory; the workbook is built in another):
backend calls by kind, cells written, wall and CPU seconds in total and per phase (read,
validate, matching, activities, help, followup, signals, merge, reread, write), the workbook's
bytes, and ``peak_rss_mb``. ``--compare`` adds one line with the fastest reader and writer
measured side by side on the same workbook: python-calamine's raw values, openpyxl as it read
before (read-only), this backend's read; XlsxWriter writing every tab, and this backend's.

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
from sow_sheets.sync.collector import collector_paused
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
        cpu = time.process_time()
        seconds, cells = _run(counting, settings, today)
        cpu = time.process_time() - cpu
        counts = dict(counting.counts)
        reads = sum(n for k, n in counts.items() if k in ("read", "reread"))
        report[run] = {
            "requests": counts,
            "reads": reads,
            "writes": sum(counts.values()) - reads,
            "cells_written": cells,
            "seconds": round(seconds, 3),
            "cpu_seconds": round(cpu, 3),
        }
    return report


class Phases:
    """Wall and CPU seconds per phase of a sync, measured by wrapping the functions it calls."""

    TARGETS = (
        ("validate", "sow_sheets.sync.run", "validate"),
        ("matching", "sow_sheets.sync.decide", "plan_matching"),
        ("activities", "sow_sheets.sync.decide", "plan_activities"),
        ("help", "sow_sheets.sync.decide", "plan_help"),
        ("followup", "sow_sheets.sync.decide", "follow_up_findings"),
        ("signals", "sow_sheets.sync.decide", "signal_rows"),
        ("merge", "sow_sheets.sync.run", "_merge"),
    )

    def __init__(self) -> None:
        self.wall: Counter[str] = Counter()
        self.cpu: Counter[str] = Counter()

    def timed(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            w, c = time.perf_counter(), time.process_time()
            try:
                return func(*args, **kwargs)
            finally:
                self.wall[name] += time.perf_counter() - w
                self.cpu[name] += time.process_time() - c

        return wrapper

    def install(self) -> None:
        """Wrap the sync's phases (in this process only: a benchmark child)."""
        import importlib

        for name, module, attr in self.TARGETS:
            mod = importlib.import_module(module)
            setattr(mod, attr, self.timed(name, getattr(mod, attr)))

    def report(self) -> dict[str, dict[str, float]]:
        return {
            name: {"wall": round(self.wall[name], 3), "cpu": round(self.cpu[name], 3)}
            for name in self.wall
        }


class TimedBackend(CountingBackend):
    """Counts and times the backend calls: read, reread and write are phases of their own."""

    def __init__(self, inner: Backend, phases: Phases) -> None:
        super().__init__(inner)
        self.read = phases.timed("read", self.read)  # type: ignore[method-assign]
        self.reread = phases.timed("reread", self.reread)  # type: ignore[method-assign]
        self.write = phases.timed("write", self.write)  # type: ignore[method-assign]


def _national_workbook(path: Path, today: dt.date, scale: float) -> None:
    """Build the national workbook (blank IDs filled) and save it with this backend."""
    settings = Settings()
    tables = national_tables(today, scale=scale)
    fill_blank_ids(tables, settings.schema)
    cpu, wall = time.process_time(), time.perf_counter()
    write_new_workbook(path, tables)
    print(
        json.dumps(
            {
                "backend": "xlsx",
                "scale": NATIONAL if scale == 1 else f"{NATIONAL}x{scale:g}",
                "step": "build",
                "rows": sum(len(r) - 1 for r in tables.values()),
                "write_seconds": round(time.perf_counter() - wall, 3),
                "write_cpu_seconds": round(time.process_time() - cpu, 3),
                "bytes": path.stat().st_size,
            }
        ),
        flush=True,
    )


def _xlsx_sync(path: Path, run: str, scale: str, today: dt.date) -> None:
    """One sync of the workbook at ``path`` in this (child) process; prints its JSON line."""
    before = _peak_rss_mb()
    phases = Phases()
    phases.install()
    backend = TimedBackend(XlsxBackend(path), phases)
    cpu, wall = time.process_time(), time.perf_counter()
    _seconds, cells = _run(backend, Settings(), today)
    report = {
        "backend": "xlsx",
        "scale": scale,
        "sync": run,
        "requests": dict(backend.counts),
        "cells_written": cells,
        "seconds": round(time.perf_counter() - wall, 3),
        "cpu_seconds": round(time.process_time() - cpu, 3),
        "phases": phases.report(),
        "bytes": path.stat().st_size,
        "rss_before_mb": before,
        "peak_rss_mb": _peak_rss_mb(),
    }
    print(json.dumps(report), flush=True)


def _compare(path: Path, scale: str) -> None:
    """The fastest reader and writer side by side with this backend's, on one workbook."""
    import openpyxl
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    from sow_sheets.backends.xlsx.reader import read_tables

    def clock(func: Callable[[], Any]) -> dict[str, float]:
        cpu, wall = time.process_time(), time.perf_counter()
        func()
        return {
            "wall": round(time.perf_counter() - wall, 3),
            "cpu": round(time.process_time() - cpu, 3),
        }

    def calamine_raw() -> None:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python(skip_empty_area=False)

    def openpyxl_read_only() -> None:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for ws in book.worksheets:
            for _ in ws.iter_rows(values_only=True):
                pass
        book.close()

    def openpyxl_as_before() -> None:
        """The read this backend replaced: openpyxl read-only, every cell converted and
        kept, trailing blanks trimmed (sow_sheets/backends/xlsx.py before the package)."""
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        kinds = (str, int, float, bool, dt.date, dt.time)
        for ws in book.worksheets:
            rows = [
                [v if isinstance(v, kinds) or v is None else str(v) for v in row]
                for row in ws.iter_rows(values_only=True)
            ]
            for row in rows:
                end = len(row)
                while end and is_blank(row[end - 1]):
                    end -= 1
                del row[end:]
        book.close()

    def paused(func: Callable[[], Any]) -> Callable[[], Any]:
        """``func`` as a sync runs it: with the cycle collector paused."""

        def run() -> Any:
            with collector_paused():
                return func()

        return run

    tables = {t.title: t.rows for t in read_tables(path).values()}

    def xlsxwriter_all(target: Path) -> None:
        book = xlsxwriter.Workbook(str(target), {"constant_memory": True})
        for title, rows in tables.items():
            ws = book.add_worksheet(title)
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    if value is not None:
                        ws.write(r, c, value)
        book.close()

    report = {
        "backend": "xlsx",
        "scale": scale,
        "step": "compare",
        "read": {
            "calamine_raw": clock(calamine_raw),
            "this_backend": clock(lambda: read_tables(path)),
            "openpyxl_read_only": clock(openpyxl_read_only),
            "openpyxl_as_before": clock(openpyxl_as_before),
        },
        # The same readers with the collector paused, as a sync runs them.
        "read_in_sync": {
            "calamine_raw": clock(paused(calamine_raw)),
            "this_backend": clock(paused(lambda: read_tables(path))),
            "openpyxl_as_before": clock(paused(openpyxl_as_before)),
        },
        "write_all": {
            "xlsxwriter": clock(lambda: xlsxwriter_all(path.with_suffix(".xw.xlsx"))),
            "this_backend": clock(
                lambda: write_new_workbook(path.with_suffix(".ours.xlsx"), tables)
            ),
        },
    }
    print(json.dumps(report), flush=True)


def bench_national(today: dt.date, workdir: Path, scale: float, compare: bool) -> int:
    """Build, then a first and a no-edit second sync, each in a child process of its own."""
    path = workdir / "national.xlsx"
    label = NATIONAL if scale == 1 else f"{NATIONAL}x{scale:g}"
    code = in_child(_national_workbook, path, today, scale)
    for run in ("first", "second"):
        code = max(code, in_child(_xlsx_sync, path, run, label, today))
    if compare:
        code = max(code, in_child(_compare, path, label))
    return code


def _rewrite_every_tab(path: Path) -> None:
    """A national-size write: every worksheet part stored again (compressed), then saved."""
    from sow_sheets.backends.xlsx.package import Package

    package = Package.open(path)
    try:
        for part in package.sheets.values():
            package.changed[part] = package.read(part)
        package.save()
    finally:
        package.close()


def kill_test(today: dt.date, workdir: Path, scale: float, kills: int, seed: int = 12) -> int:
    """Kill -9 a national-size write at random moments; the workbook must always read."""
    import os
    import random
    import signal
    import zipfile

    from sow_sheets.backends.xlsx.reader import read_tables

    path = workdir / "national-kill.xlsx"
    write_new_workbook(path, national_tables(today, scale=scale))
    started = time.perf_counter()
    _rewrite_every_tab(path)
    duration = time.perf_counter() - started
    rng = random.Random(seed)
    ctx = multiprocessing.get_context("fork")
    unreadable, killed = 0, 0
    for _ in range(kills):
        child = ctx.Process(target=_rewrite_every_tab, args=(path,))
        child.start()
        time.sleep(rng.uniform(0.0, duration))
        if child.is_alive():
            os.kill(child.pid or 0, signal.SIGKILL)
            killed += 1
        child.join()
        try:
            with zipfile.ZipFile(path) as zf:
                assert zf.testzip() is None
            read_tables(path)
        except Exception:
            unreadable += 1
    report = {
        "backend": "xlsx",
        "scale": NATIONAL if scale == 1 else f"{NATIONAL}x{scale:g}",
        "step": "kill",
        "bytes": path.stat().st_size,
        "write_seconds": round(duration, 3),
        "attempts": kills,
        "killed_mid_write": killed,
        "unreadable": unreadable,
        "leftover_tmp_files": len([p for p in os.listdir(workdir) if p.endswith(".tmp")]),
    }
    print(json.dumps(report), flush=True)
    return 1 if unreadable else 0


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
    if process.exitcode:  # a signal gives a negative code: say so, and fail the run
        print(f"bench child {target.__name__} ended with code {process.exitcode}", file=sys.stderr)
        return 1
    return 0


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
    parser.add_argument("--preset", choices=(NATIONAL,), help="national: the xlsx national run")
    parser.add_argument(
        "--national-scale", type=float, default=1.0, help="shrink the national workbook (0.1)"
    )
    parser.add_argument("--compare", action="store_true", help="also time other readers/writers")
    parser.add_argument(
        "--kill", type=int, default=0, help="kill -9 this many national-size writes instead"
    )
    args = parser.parse_args(argv)
    if args.preset == NATIONAL:
        args.backend, args.scale = "xlsx", NATIONAL
    if args.kill:
        with tempfile.TemporaryDirectory() as tmp:
            return kill_test(args.today, Path(tmp), args.national_scale, args.kill)
    try:
        scales = [_scale(s) for s in args.scale.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--scale: expected multiples of 1 or more, or national; found {args.scale!r}")
    if not scales:
        parser.error("--scale: give at least one size")
    if args.backend == "emulator":
        return max(in_child(_child, scale, args.today) for scale in scales)
    code = 0
    with tempfile.TemporaryDirectory() as tmp:
        for scale in scales:
            if scale == NATIONAL:
                code = max(
                    code, bench_national(args.today, Path(tmp), args.national_scale, args.compare)
                )
            else:
                report = bench(args.backend, int(scale), args.today, Path(tmp))
                print(json.dumps(report), flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
