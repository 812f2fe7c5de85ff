"""`sow-sheets run`: the long-running worker; holds the target's lock until SIGTERM/SIGINT."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import logging
import threading
from typing import TextIO

from sow_sheets.model.errors import ConfigError, SheetAccessError, SowSheetsError
from sow_sheets.model.sheet import Backend
from sow_sheets.service import scheduler
from sow_sheets.service.clock import local_now
from sow_sheets.service.credentials import credentials_file, warn_if_exposed
from sow_sheets.service.health import read_status
from sow_sheets.service.logs import RunLog, configure_logging
from sow_sheets.service.notices import Notices
from sow_sheets.service.runlock import run_lock
from sow_sheets.service.task import sync_task
from sow_sheets.settings import Settings


def worker_settings(settings: Settings, args: argparse.Namespace) -> Settings:
    """The settings with the command line's --at, --every, --between and --tz on top."""
    worker = settings.worker
    try:
        worker = dataclasses.replace(
            worker,
            at=worker.at if args.at is None else args.at,
            every=worker.every if args.every is None else args.every,
            between=worker.between if args.between is None else args.between,
            tz=args.tz or worker.tz,
        )
    except ValueError as exc:
        raise ConfigError(f"run: {exc}") from None
    return dataclasses.replace(settings, worker=worker)


def cmd_run(args: argparse.Namespace, settings: Settings, backend: Backend, out: TextIO) -> int:
    settings = worker_settings(settings, args)
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
                fatal=(SheetAccessError,),
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
                every=settings.worker.every,
                between=settings.worker.between,
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
