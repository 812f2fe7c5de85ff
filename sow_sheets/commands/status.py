"""`sow-sheets status`: last runs, open signals, next run; exit 1 when runs are unhealthy."""

from __future__ import annotations

import argparse
from typing import TextIO

from sow_sheets.commands.summary import counts_line, print_mail
from sow_sheets.model.sheet import Backend
from sow_sheets.service.clock import local_now, utc_now, zone_of
from sow_sheets.service.health import read_status
from sow_sheets.service.logs import RunLog, new_run_id
from sow_sheets.service.notices import Notices
from sow_sheets.service.runstate import load_last_run
from sow_sheets.service.scheduler import schedule_of
from sow_sheets.settings import Settings


def cmd_status(args: argparse.Namespace, settings: Settings, backend: Backend, out: TextIO) -> int:
    now = local_now(settings)
    last = load_last_run(settings)
    remembered = (last.start, last.result) if last is not None else None
    report = read_status(backend, settings.schema, now, remembered=remembered)
    print(f"status of {backend.target()}", file=out)
    if not report.runs:
        print("no runs yet", file=out)
    for run in report.runs:
        print(
            f"  {run['start']}  {run['result']}  {run['duration']} s  "
            f"proposals {run['proposals'] or 0}  matches {run['matches'] or 0}  "
            f"signals open {run['signals_open'] or 0}  problems {run['problems'] or 0}",
            file=out,
        )
    if report.open_by_type:
        print(counts_line("open signals by type", report.open_by_type), file=out)
        print(counts_line("open signals by organisation", report.open_by_organisation), file=out)
    else:
        print("no open signals", file=out)
    zone = zone_of(settings.worker, settings.source)
    due = schedule_of(settings.worker, settings.source).next_after(utc_now())
    print(
        f"next run due: {due.astimezone(zone):%Y-%m-%d %H:%M} {settings.worker.tz} "
        "(when `sow-sheets run` or the cron job is active)",
        file=out,
    )
    state = report.health
    if state.last_failed:
        print("last run failed: see Logboek and the worker's log", file=out)
    if state.stale:
        since = f"{state.last_success:%Y-%m-%d %H:%M}" if state.last_success else "never"
        print(f"no successful run in the last 36 hours (last success: {since})", file=out)
    if args.notify:
        print_mail(Notices(settings, backend, RunLog(new_run_id())).health_check(now, state), out)
    return 0 if state.ok else 1
