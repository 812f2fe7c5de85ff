"""What each command does, once the CLI has built settings and a backend.

Every function returns an exit code and prints counts, tabs, rows and IDs only.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sow_sheets.model.cells import canonical
from sow_sheets.model.errors import ConfigError, SowSheetsError
from sow_sheets.model.schema import map_headers
from sow_sheets.model.sheet import Backend, Table, WritePlan
from sow_sheets.reading.tab_reader import REQUIRED
from sow_sheets.service.logs import LoggedBackend, RunLog, new_run_id
from sow_sheets.service.runlock import run_lock
from sow_sheets.service.scheduler import (
    at_time,
    cmd_run,
    health,
    logbook_runs,
    next_run_after,
    zone_of,
)
from sow_sheets.settings import Settings
from sow_sheets.sync.run import SyncResult, record_failure, run_sync

BackendFactory = Callable[[Settings], Backend]
Command = Callable[[argparse.Namespace, Settings, Backend, TextIO], int]


def default_backend(settings: Settings) -> Backend:
    """The backend the settings name: the xlsx file, or Google Sheets."""
    if settings.sheet.workbook:
        from sow_sheets.backends.xlsx import XlsxBackend

        return XlsxBackend(Path(settings.sheet.workbook))
    from sow_sheets.backends.google import open_google_backend

    backend: Backend = open_google_backend(
        settings.sheet.spreadsheet, settings.sheet.credentials, schema=settings.schema
    )
    return backend


def local_now(settings: Settings) -> dt.datetime:
    """Wall-clock time in the programme's time zone (naive), for Logboek and `today`."""
    try:
        zone = ZoneInfo(settings.worker.tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f'{settings.source} [worker] tz: unknown time zone "{settings.worker.tz}"'
        ) from None
    return dt.datetime.now(zone).replace(tzinfo=None)


def _counts(label: str, counts: dict[str, int]) -> str:
    return f"{label}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))


def print_summary(result: SyncResult, backend: Backend, out: TextIO) -> None:
    """The console summary: counts per tab, type and organisation; no personal data."""
    dry = "(dry run) " if result.dry_run else ""
    print(
        f"sync {dry}of {backend.target()}: {result.rows_read} rows read, "
        f"{result.problems} data problems, {result.new_proposals} new proposals, "
        f"{result.new_matches} new matches, {result.new_suggestions} new activity suggestions, "
        f"{result.ids_filled} IDs filled, {result.signals_open} signals open "
        f"({result.seconds:.2f} s)",
        file=out,
    )
    verb = "would change" if result.dry_run else "changed"
    changes = result.changes_by_tab()
    listed = ", ".join(f"{tab} {n} cells" for tab, n in changes.items()) or "nothing"
    print(f"{verb}: {listed}", file=out)
    if result.open_by_type:
        print(_counts("open signals by type", result.open_by_type), file=out)
    if result.open_by_organisation:
        print(_counts("open signals by organisation", result.open_by_organisation), file=out)
    if result.dry_run:
        for write in result.plan.cells[:200]:
            print(f"  {write.tab} row {write.row} column {write.col + 1}", file=out)
        if len(result.plan.cells) > 200:
            print(f"  ... and {len(result.plan.cells) - 200} more cells", file=out)


def cmd_sync(args: argparse.Namespace, settings: Settings, backend: Backend, out: TextIO) -> int:
    if args.verbose:
        backend = LoggedBackend(backend, RunLog(new_run_id()))
    if args.dry_run:  # writes nothing, so it may look while the worker holds the lock
        return _sync(args, settings, backend, out)
    with run_lock(settings):
        return _sync(args, settings, backend, out)


def _sync(args: argparse.Namespace, settings: Settings, backend: Backend, out: TextIO) -> int:
    started = local_now(settings)
    today = args.today or started.date()
    t0 = time.monotonic()
    try:
        result = run_sync(backend, settings, today, started, dry_run=args.dry_run)
    except SowSheetsError as exc:
        if not args.dry_run:
            # Best effort: the original failure is what the operator needs to see.
            with contextlib.suppress(SowSheetsError):
                record_failure(
                    backend, settings, started, time.monotonic() - t0, type(exc).__name__
                )
        raise
    print_summary(result, backend, out)
    return 0


def cmd_init(args: argparse.Namespace, settings: Settings, backend: Backend, out: TextIO) -> int:
    created = backend.setup(settings.schema)
    if created:
        print(f"init {backend.target()}: created tabs " + ", ".join(created), file=out)
    else:
        print(f"init {backend.target()}: all tabs present", file=out)
    print("headers frozen, dropdowns added on value columns", file=out)
    return 0


def cmd_check(args: argparse.Namespace, settings: Settings, backend: Backend, out: TextIO) -> int:
    print(f"config: {settings.source}", file=out)
    tables = backend.read()
    print(f"access: {backend.target()} readable, {len(tables)} tabs", file=out)
    trouble = 0
    for spec in settings.schema.tabs:
        table = tables.get(spec.title)
        if table is None:
            needed = not (spec.worker or spec.optional)
            trouble += needed
            note = "missing: run `sow-sheets init`" if needed else "absent (created when needed)"
            print(f'tab "{spec.title}": {note}', file=out)
            continue
        hmap = map_headers(spec, table.header)
        lacking = [spec.column(k).header for k in REQUIRED.get(spec.key, ()) if k in hmap.missing]
        trouble += bool(lacking)
        line = f'tab "{spec.title}": {max(len(table.rows) - 1, 0)} rows'
        if lacking:
            line += "; missing required columns: " + ", ".join(f'"{h}"' for h in lacking)
        print(line, file=out)
    print("check: ok" if not trouble else f"check: {trouble} problem(s) to fix", file=out)
    return 0 if not trouble else 1


def cmd_status(args: argparse.Namespace, settings: Settings, backend: Backend, out: TextIO) -> int:
    tables = backend.read()
    log = tables.get(settings.schema.tab("logboek").title)
    rows = [r for r in (log.rows[1:] if log else []) if r]
    print(f"status of {backend.target()}", file=out)
    if not rows:
        print("no runs yet", file=out)
    for row in rows[-5:]:
        cells = [canonical(v) for v in row] + [""] * 9
        print(
            f"  {cells[0]}  {cells[2]}  {cells[1]} s  proposals {cells[4] or 0}  "
            f"matches {cells[5] or 0}  signals open {cells[6] or 0}  problems {cells[7] or 0}",
            file=out,
        )
    signals = tables.get(settings.schema.tab("signalen").title)
    if signals and signals.rows:
        spec = settings.schema.tab("signalen")
        hmap = map_headers(spec, signals.header)
        pos = {k: hmap.positions.get(k) for k in ("type", "organisation", "status")}
        by_type: Counter[str] = Counter()
        by_org: Counter[str] = Counter()
        for row in signals.rows[1:]:
            cell = {
                k: canonical(row[p]) if p is not None and p < len(row) else ""
                for k, p in pos.items()
            }
            if cell["status"] == "open":
                by_type[cell["type"]] += 1
                by_org[cell["organisation"] or "(geen organisatie)"] += 1
        print(
            _counts("open signals by type", dict(by_type)) if by_type else "no open signals",
            file=out,
        )
        if by_org:
            print(_counts("open signals by organisation", dict(by_org)), file=out)
    return _health(settings, log, out)


def _health(settings: Settings, log: Table | None, out: TextIO) -> int:
    """Next due run, and exit 1 when the last run failed or none succeeded in 36 hours."""
    zone = zone_of(settings.worker, settings.source)
    due = next_run_after(dt.datetime.now(dt.UTC), at_time(settings.worker), zone)
    print(
        f"next run due: {due.astimezone(zone):%Y-%m-%d %H:%M} {settings.worker.tz} "
        "(when `sow-sheets run` or the cron job is active)",
        file=out,
    )
    state = health(logbook_runs(settings.schema.tab("logboek"), log), local_now(settings))
    if state.last_failed:
        print("last run failed: see Logboek and the worker's log", file=out)
    if state.stale:
        since = f"{state.last_success:%Y-%m-%d %H:%M}" if state.last_success else "never"
        print(f"no successful run in the last 36 hours (last success: {since})", file=out)
    return 0 if state.ok else 1


def cmd_demo(args: argparse.Namespace, settings: Settings, backend: Backend, out: TextIO) -> int:
    from sow_sheets.demo.workbook import coordinator_decisions, write_demo

    path: Path = args.path
    started = local_now(settings)
    today = args.today or started.date()
    if args.decide:
        spec = settings.schema.tab("voorstellen")
        decisions = coordinator_decisions(spec, backend.read().get(spec.title))
        backend.write(WritePlan(cells=decisions))
        print(f"coordinator decisions typed in {spec.title}: {len(decisions)}", file=out)
    else:
        if path.exists() and not args.force:
            raise ConfigError(f"{path} already exists; pass --force to overwrite it with demo data")
        write_demo(path, today, args.seed)
        print(
            f"demo workbook written: {path} (synthetic data, seed {args.seed}, today {today})",
            file=out,
        )
    result = run_sync(backend, settings, today, started)
    print_summary(result, backend, out)
    print(
        "look at the tabs Voorstellen, Koppelingen, Activiteitvoorstellen, Signalen and Logboek",
        file=out,
    )
    if not args.decide:
        print(f"next step: `sow-sheets demo {path} --decide` plays the coordinator", file=out)
    return 0


COMMANDS: dict[str, Command] = {
    "sync": cmd_sync,
    "init": cmd_init,
    "check": cmd_check,
    "status": cmd_status,
    "run": cmd_run,
    "demo": cmd_demo,
}
