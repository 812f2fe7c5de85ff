"""`sow-sheets init` (create what is missing) and `sow-sheets check` (write nothing)."""

from __future__ import annotations

import argparse
import os
from typing import TextIO

from sow_sheets.commands.notify_check import check_notify
from sow_sheets.model.errors import SowSheetsError
from sow_sheets.model.locales import DUTCH_LOCALE, DateOrder, date_order
from sow_sheets.model.sheet import Backend, LocaleAware, Table
from sow_sheets.reading.structure import check_tabs
from sow_sheets.service.clock import local_now
from sow_sheets.service.runlock import LOCK_DIR_ENV, lock_dir
from sow_sheets.settings import Settings
from sow_sheets.sync.run import run_sync


def cmd_init(args: argparse.Namespace, settings: Settings, backend: Backend, out: TextIO) -> int:
    created = backend.setup(settings.schema.without_forms())
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
    if isinstance(backend, LocaleAware):
        _print_locale(backend, out)
    checks = check_tabs(tables, settings.schema)
    for check in checks:
        if not check.present:
            note = check.problem or "absent (created when needed)"
            print(f'tab "{check.title}": {note}', file=out)
            continue
        line = f'tab "{check.title}": {check.rows} rows'
        print(line + (f"; {check.problem}" if check.problem else ""), file=out)
    trouble = sum(1 for check in checks if check.problem)
    if not trouble:
        trouble += _dry_run(settings, backend, tables, out)
    trouble += _lock_dir(out)
    trouble += check_notify(settings, tables, out, send_test=args.notify_test)
    print("check: ok" if not trouble else f"check: {trouble} problem(s) to fix", file=out)
    return 0 if not trouble else 1


def _dry_run(settings: Settings, backend: Backend, tables: dict[str, Table], out: TextIO) -> int:
    """Everything a sync does except the write: the problems it would fail on (1) or none."""
    started = local_now(settings)
    try:
        result = run_sync(backend, settings, started.date(), started, dry_run=True, tables=tables)
    except SowSheetsError as exc:
        print(f"dry run: a sync would fail: {exc}", file=out)
        return 1
    print(
        f"dry run: a sync would write {len(result.plan.cells)} cells "
        f"({result.problems} data problems, {result.signals_open} open signals)",
        file=out,
    )
    return 0


def _lock_dir(out: TextIO) -> int:
    """The run lock and state files need a writable directory."""
    where = lock_dir()
    if where.is_dir() and os.access(where, os.W_OK | os.X_OK):
        return 0
    print(
        f"run lock: directory {where} is missing or not writable; create it or set "
        f"{LOCK_DIR_ENV} to a writable directory",
        file=out,
    )
    return 1


def _print_locale(backend: LocaleAware, out: TextIO) -> None:
    """The spreadsheet's locale and time zone; a warning when typed dates are misread."""
    settings = backend.spreadsheet_locale()
    locale = settings.locale
    print(f"locale: {locale or 'unknown'}, time zone {settings.time_zone or 'unknown'}", file=out)
    if locale and date_order(locale) != DateOrder.DAY_FIRST:
        print(
            f"warning: in locale {locale} a date typed as 1-3-2026 is read as "
            f"{'3 January' if date_order(locale) == DateOrder.MONTH_FIRST else 'not 1 March'}: "
            f"set File > Settings > Locale to Netherlands ({DUTCH_LOCALE}) in Google Sheets; "
            "each sync also puts this in Signalen",
            file=out,
        )
