#!/usr/bin/env python3
"""Benchmark: the impact report on the national-scale workbook; prints JSON.

The workbook (``national_tables``: 10,000 Grootouders and Gezinnen, 50,000 Ouderen, 200,000
Gesprekken, 4,000 Koppelingen) is generated first and handed over as the tables one read
returns (as the Google backend's single batchGet does); the timed part is what
``sow-sheets report`` does after that read: validate, compute every figure, suppress, draw
the charts, render the page and write the HTML and CSV. Reports wall seconds, CPU seconds and
the process's peak RSS (the target: under 20 s and 1 GB).

Usage: python scripts/bench_report.py [--scale 1.0] [--repeat 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import tempfile
import time
from pathlib import Path

from sow_sheets.demo.national import national_tables
from sow_sheets.model.sheet import Table
from sow_sheets.reporting.period import default_period
from sow_sheets.reporting.render.files import write_report
from sow_sheets.settings import Settings

TODAY = dt.date(2026, 11, 27)


class Tables:
    """A backend that returns tables already read."""

    def __init__(self, tables: dict[str, Table]) -> None:
        self.tables = tables

    def target(self) -> str:
        return "national workbook"

    def read(self) -> dict[str, Table]:
        return self.tables


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every count")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs; each is reported")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    raw = national_tables(TODAY, scale=args.scale)
    tables = {title: Table(title, rows) for title, rows in raw.items()}
    generated = time.perf_counter() - started
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(max(1, args.repeat)):
            wall, cpu = time.perf_counter(), time.process_time()
            written = write_report(
                Tables(tables),  # type: ignore[arg-type]
                Settings(),
                default_period(TODAY),
                Path(folder) / "rapport.html",
                "html",
                None,
                dt.datetime(2026, 11, 27, 9, 0),
            )
            runs.append(
                {"wall_s": round(time.perf_counter() - wall, 2),
                 "cpu_s": round(time.process_time() - cpu, 2)}
            )  # fmt: skip
        sizes = {p.suffix: p.stat().st_size for p in written.paths}
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "benchmark": "report",
                "scale": args.scale,
                "rows": {title: len(rows) - 1 for title, rows in raw.items()},
                "generate_workbook_s": round(generated, 1),
                "runs": runs,
                "figures": written.counts,
                "html_bytes": sizes[".html"],
                "csv_bytes": sizes[".csv"],
                "peak_rss_mb": round(peak_mb),
                "target": {"wall_s": 20, "peak_rss_mb": 1024},
            }
        )
    )


if __name__ == "__main__":
    main()
