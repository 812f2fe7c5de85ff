"""`run` and `status` for a config with several targets (see docs/running.md, "Many coalitions").

Each target is read, synced and judged on its own: a target whose config is broken, whose
sheet cannot be reached or whose runs failed is reported, and the others go on.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import logging
from collections.abc import Callable
from typing import TextIO

from sow_sheets.backends.pacing import RequestPacer
from sow_sheets.commands.base import TargetBackend
from sow_sheets.commands.run import worker_settings
from sow_sheets.model.errors import SowSheetsError
from sow_sheets.model.sheet import Backend
from sow_sheets.service import scheduler
from sow_sheets.service.clock import local_now, utc_now, zone_of
from sow_sheets.service.fleet import Fleet, Job
from sow_sheets.service.health import read_status
from sow_sheets.service.logs import RunLog, add_target_logs, configure_logging, new_run_id
from sow_sheets.service.notices import Notices
from sow_sheets.service.task import target_task
from sow_sheets.settings import Settings
from sow_sheets.targets import Config, Target


def default_backends(pacer: RequestPacer) -> TargetBackend:
    """Each target's backend, its Google requests paced together with every other target's."""
    from sow_sheets.backends import open_backend

    return lambda settings, name: open_backend(settings, pacer, name)


def fleet_jobs(
    config: Config,
    backends: TargetBackend,
    args: argparse.Namespace | None = None,
    now: Callable[[], dt.datetime] = utc_now,
) -> tuple[list[Job], list[Target]]:
    """A job per target that can run, and the targets that cannot (their error says why)."""
    jobs: list[Job] = []
    broken: list[Target] = []
    for target in config.targets:
        if target.settings is None:
            broken.append(target)
            continue
        try:
            settings = target.settings if args is None else worker_settings(target.settings, args)
            schedule = scheduler.with_digest(
                scheduler.schedule_of(settings.worker, settings.source), settings
            )
        except SowSheetsError as exc:
            broken.append(Target(target.name, None, str(exc)))
            continue
        opener = _opener(backends, target.name)
        jobs.append(Job(target.name, schedule, target_task(settings, opener, now)))
    return jobs, broken


def _opener(backends: TargetBackend, name: str) -> Callable[[Settings], Backend]:
    return lambda settings: backends(settings, name)


def cmd_run_fleet(
    args: argparse.Namespace, config: Config, backends: TargetBackend | None, out: TextIO
) -> int:
    """The worker for every target, until SIGTERM/SIGINT."""
    shared_log = config.settings.worker.log_file
    if "{target}" in shared_log:  # a file per target only
        shared_log = ""
    configure_logging(verbose=args.verbose, log_file=shared_log, level=logging.INFO)
    add_target_logs(
        {t.name: t.settings.worker.log_file for t in config.targets if t.settings is not None},
        shared=shared_log,
    )
    pacer = RequestPacer(config.fleet.reads_per_minute, config.fleet.writes_per_minute)
    jobs, broken = fleet_jobs(config, backends or default_backends(pacer), args)
    log = RunLog()
    for target in broken:
        RunLog("-", log.logger, target.name).error("config", "target not run: configuration error")
        print(f"target {target.name}: not run: {target.error}", file=out)
    fleet = Fleet(jobs, parallel=config.fleet.parallel, log=log, grace=scheduler.GRACE_SECONDS)
    with scheduler.stop_on_signals(fleet.stop):
        print(
            f"worker for {len(jobs)} targets, {config.fleet.parallel} at a time, at most "
            f"{config.fleet.reads_per_minute} reads and {config.fleet.writes_per_minute} "
            "writes a minute to Google; stop with SIGTERM or Ctrl-C",
            file=out,
            flush=True,
        )
        log.info("start", "worker started", targets=len(jobs), broken=len(broken))
        return fleet.run(run_now=args.run_now)


def cmd_status_fleet(
    args: argparse.Namespace, config: Config, backends: TargetBackend | None, out: TextIO
) -> int:
    """One line per target: health, last run, next run, open signals; exit 1 if any is ill."""
    pacer = RequestPacer(config.fleet.reads_per_minute, config.fleet.writes_per_minute)
    open_target = backends or default_backends(pacer)
    unhealthy = 0
    width = max(len(t.name) for t in config.targets)
    print(f"status of {len(config.targets)} targets", file=out)
    for target in config.targets:
        line, ok = _target_status(args, target, open_target)
        unhealthy += not ok
        print(f"  {target.name:<{width}}  {line}", file=out)
    healthy = len(config.targets) - unhealthy
    print(f"{healthy} healthy, {unhealthy} unhealthy", file=out)
    return 0 if unhealthy == 0 else 1


def _target_status(
    args: argparse.Namespace, target: Target, backends: TargetBackend
) -> tuple[str, bool]:
    if target.settings is None:
        return f"unhealthy  configuration error: {target.error}", False
    settings = target.settings
    try:
        now = local_now(settings)
        backend = backends(settings, target.name)
        report = read_status(backend, settings.schema, now)
        zone = zone_of(settings.worker, settings.source)
        due = scheduler.schedule_of(settings.worker, settings.source).next_after(utc_now())
    except SowSheetsError as exc:
        return f"unhealthy  cannot read its sheet: {exc}", False
    state = report.health
    last = report.runs[-1] if report.runs else None
    parts = ["healthy  " if state.ok else "unhealthy"]
    parts.append(f"last run {last['start']} {last['result']}" if last else "no runs yet")
    parts.append(f"next run {due.astimezone(zone):%Y-%m-%d %H:%M}")
    parts.append(f"open signals {sum(report.open_by_type.values())}")
    if state.last_failed:
        parts.append("last run failed")
    if state.stale:
        parts.append("no successful run in 36 hours")
    if args.notify:
        with contextlib.suppress(SowSheetsError):
            log = RunLog(new_run_id(), target=target.name)
            Notices(settings, backend, log).health_check(now, state)
    return "  ".join(parts), state.ok
