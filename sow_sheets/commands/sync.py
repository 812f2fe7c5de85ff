"""`sow-sheets sync`: one run under the target's lock (a dry run needs no lock)."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import time
from typing import TextIO

from sow_sheets.commands.summary import print_mail, print_summary
from sow_sheets.model.sheet import Backend
from sow_sheets.service.clock import local_now
from sow_sheets.service.logs import LoggedBackend, RunLog, new_run_id
from sow_sheets.service.notices import Notices
from sow_sheets.service.runlock import run_lock
from sow_sheets.service.runstate import LastRun, save_last_run
from sow_sheets.settings import Settings
from sow_sheets.sync.run import record_failure, run_sync


def cmd_sync(args: argparse.Namespace, settings: Settings, backend: Backend, out: TextIO) -> int:
    if args.verbose:
        backend = LoggedBackend(backend, RunLog(new_run_id()))
    if args.dry_run:  # writes nothing, so it may look while the worker holds the lock
        return _sync(args, settings, backend, out)
    with run_lock(settings):
        return _sync(args, settings, backend, out)


def _sync(args: argparse.Namespace, settings: Settings, backend: Backend, out: TextIO) -> int:
    started = local_now(settings)
    now = args.now or dt.datetime.combine(args.today or started.date(), started.time())
    t0 = time.monotonic()
    try:
        result = run_sync(
            backend,
            settings,
            now.date(),
            started,
            dry_run=args.dry_run,
            timer=time.monotonic,
            now=now,
        )
    except Exception as exc:  # also a bug's failure is remembered for `status`
        if not args.dry_run:
            save_last_run(settings, LastRun(started, f"mislukt: {type(exc).__name__}"))
            # Best effort: the original failure is what the operator needs to see.
            with contextlib.suppress(Exception):
                record_failure(
                    backend, settings, started, time.monotonic() - t0, type(exc).__name__
                )
            Notices(settings, backend, RunLog(new_run_id())).after_run(started, type(exc).__name__)
        raise
    print_summary(result, backend, out)
    if not args.dry_run:
        save_last_run(settings, LastRun(started, "ok"))
        outcome = Notices(settings, backend, RunLog(new_run_id())).after_run(started, None)
        print_mail(outcome, out)
    return 0
