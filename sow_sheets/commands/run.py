"""`sow-sheets run`: the long-running worker; holds the target's lock until SIGTERM/SIGINT."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import logging
import threading
from typing import TextIO

from sow_sheets.model.errors import ConfigError, SowSheetsError
from sow_sheets.model.sheet import Backend
from sow_sheets.service import scheduler
from sow_sheets.service.clock import local_now
from sow_sheets.service.credentials import credentials_file, warn_if_exposed
from sow_sheets.service.health import read_status
from sow_sheets.service.logs import RunLog, configure_logging
from sow_sheets.service.notices import Notices
from sow_sheets.service.runlock import run_lock
from sow_sheets.service.task import sync_task
from sow_sheets.settings import Settings, WorkerSettings


def worker_settings(settings: Settings, at: str | None, tz: str | None) -> Settings:
    """The settings with the command line's --at and --tz on top."""
    worker = settings.worker
    try:
        worker = WorkerSettings(at=at or worker.at, tz=tz or worker.tz, log_file=worker.log_file)
    except ValueError as exc:
        raise ConfigError(f"--at: {exc}") from None
    return dataclasses.replace(settings, worker=worker)


def cmd_run(args: argparse.Namespace, settings: Settings, backend: Backend, out: TextIO) -> int:
    settings = worker_settings(settings, args.at, args.tz)
    schedule = scheduler.with_digest(
        scheduler.schedule_of(settings.worker, settings.source), settings
    )
    configure_logging(verbose=args.verbose, log_file=settings.worker.log_file, level=logging.INFO)
    log = RunLog()
    exposed = credentials_file(settings)
    if exposed:
        warn_if_exposed(exposed, log)
    lock = run_lock(settings)
    lock.acquire()
    worker: scheduler.Worker | None = None
    try:
        if settings.notify.configured:  # a worker back after days away says so
            with contextlib.suppress(SowSheetsError):
                now = local_now(settings)
                report = read_status(backend, settings.schema, now)
                Notices(settings, backend, log).health_check(now, report.health)
        stop = threading.Event()
        with scheduler.stop_on_signals(stop):
            worker = scheduler.Worker(
                sync_task(settings, backend),
                schedule,
                stop=stop,
                log=log,
                grace=scheduler.GRACE_SECONDS,  # read at call time: tests shorten it
            )
            print(
                f"worker for {backend.target()}: {schedule.describe()}; "
                "stop with SIGTERM or Ctrl-C",
                file=out,
                flush=True,
            )
            log.info(
                "start",
                "worker started",
                at=settings.worker.at,
                tz=settings.worker.tz,
                run_now=bool(args.run_now),
                next_run=worker.local(worker.next_run),
            )
            return worker.run(run_now=args.run_now)
    finally:
        # After an abandoned run its thread may still be writing: the OS drops the lock when
        # the process exits a moment later, so no other run can start while it writes.
        if worker is None or not worker.abandoned:
            lock.release()
