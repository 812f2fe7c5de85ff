"""The scheduled worker (``sow-sheets run``): one sync a day at a local time, until stopped.

It uses its own ``schedule.Scheduler`` with a job whose due time is a UTC instant computed in
the programme's time zone (schedule's own time zones need pytz and its clock cannot be
injected), so runs land on the configured local time across daylight-saving changes and tests
drive it with a fake clock. The wait is cut into short slices and re-checks the wall clock, so
after a suspend (the monotonic clock stops, the wall clock jumps) the missed run happens once
on wake. A sync runs in a helper thread so that SIGTERM/SIGINT is handled at once: during the
wait the worker exits with 0; during a sync it lets the sync finish for up to ``grace`` seconds
and otherwise abandons it (every write is atomic, the next run repairs) and exits.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import logging
import os
import signal
import stat
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import schedule

from sow_sheets.model.cells import Cell, canonical
from sow_sheets.model.errors import ConfigError, RowError, SowSheetsError, ValueProblem
from sow_sheets.model.schema import TabSpec, map_headers
from sow_sheets.model.sheet import Backend, Table
from sow_sheets.service.logs import LoggedBackend, RunLog, configure_logging, new_run_id
from sow_sheets.service.runlock import run_lock
from sow_sheets.settings import Settings, WorkerSettings
from sow_sheets.sync.run import record_failure, run_sync

MAX_WAIT_SECONDS = 60.0  # re-check the wall clock at least this often (suspend, clock steps)
GRACE_SECONDS = 8.0  # a stop during a sync: wait this long for it, well inside systemd's 10 s
HEALTHY_WITHIN = dt.timedelta(hours=36)

Task = Callable[[RunLog], None]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def zone_of(worker: WorkerSettings, source: str = "(defaults)") -> ZoneInfo:
    """The worker's time zone, or a ConfigError naming the key."""
    try:
        return ZoneInfo(worker.tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f'{source} [worker] tz: unknown time zone "{worker.tz}" (e.g. Europe/Amsterdam)'
        ) from None


def at_time(worker: WorkerSettings) -> dt.time:
    return dt.datetime.strptime(worker.at, "%H:%M").time()


def next_run_after(now: dt.datetime, at: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The first instant (UTC) after ``now`` whose local time in ``zone`` is ``at``.

    A time skipped by the spring change (02:30 on the last Sunday of March) runs at the first
    moment after the gap; a time that happens twice in autumn runs at its first occurrence.
    """
    now = now.astimezone(dt.UTC)
    day = now.astimezone(zone).date()
    while True:
        # fold=0: in a gap this means the pre-change offset (i.e. just after the gap); in an
        # overlap, the first of the two. Comparing in UTC keeps fold meaningful.
        due = dt.datetime.combine(day, at, tzinfo=zone).astimezone(dt.UTC)
        if due > now:
            return due
        day += dt.timedelta(days=1)


class NightlyJob(schedule.Job):  # type: ignore[misc]
    """A daily schedule job on an injectable clock; ``next_run`` is an aware UTC instant."""

    def __init__(
        self,
        scheduler: schedule.Scheduler,
        at: dt.time,
        zone: ZoneInfo,
        now: Callable[[], dt.datetime],
    ) -> None:
        super().__init__(1, scheduler)
        self.unit = "days"
        self.daily_at, self.zone, self.clock = at, zone, now

    @property
    def should_run(self) -> bool:
        return self.next_run is not None and self.clock() >= self.next_run

    def _schedule_next_run(self) -> None:
        self.next_run = next_run_after(self.clock(), self.daily_at, self.zone)


@dataclass
class Worker:
    """Runs ``task`` daily at ``at`` in ``zone`` until ``stop`` is set; clock and wait injectable.

    ``wait(seconds)`` blocks for up to ``seconds`` (returning early when stopped); the default
    waits on ``stop``. A task that raises is logged and the loop goes on.
    """

    task: Task
    at: dt.time
    zone: ZoneInfo
    now: Callable[[], dt.datetime] = utc_now
    stop: threading.Event = field(default_factory=threading.Event)
    wait: Callable[[float], object] | None = None
    max_wait: float = MAX_WAIT_SECONDS
    grace: float = GRACE_SECONDS
    log: RunLog = field(default_factory=RunLog)
    runs: int = 0
    failures: int = 0
    abandoned: bool = False

    def __post_init__(self) -> None:
        self.scheduler = schedule.Scheduler()
        self.job = NightlyJob(self.scheduler, self.at, self.zone, self.now).do(self.fire)

    @property
    def next_run(self) -> dt.datetime:
        due: dt.datetime = self.scheduler.next_run
        return due

    def run(self, run_now: bool = False) -> int:
        """The loop; returns the exit code (0: stopped on request)."""
        if run_now and not self.stop.is_set():
            self.scheduler.run_all()  # also moves the next run past now
        wait = self.wait or self.stop.wait
        announced = None
        while not self.stop.is_set():
            self.scheduler.run_pending()
            if self.stop.is_set():
                break
            if announced != self.next_run:  # once per new due time, not every slice
                announced = self.next_run
                self.log.debug("wait", "waiting", next_run=self.local(self.next_run))
            left = (self.next_run - self.now()).total_seconds()
            wait(min(max(left, 0.0), self.max_wait))
        self.log.info("stop", "worker stopped", runs=self.runs, failures=self.failures)
        return 0

    def fire(self) -> None:
        """One supervised run: the task in a thread, given up after ``grace`` once stopped."""
        self.runs += 1
        log = RunLog(new_run_id(), self.log.logger)
        log.info("run", "run started")
        t0 = time.monotonic()
        failure: list[BaseException] = []

        def body() -> None:
            try:
                self.task(log)
            except BaseException as exc:  # reported by the supervising thread
                failure.append(exc)

        thread = threading.Thread(target=body, name="sow-sheets-sync", daemon=True)
        thread.start()
        deadline: float | None = None
        while thread.is_alive():
            thread.join(0.1)
            if thread.is_alive() and self.stop.is_set():
                if deadline is None:
                    deadline = time.monotonic() + self.grace
                    log.warning("run", "stop requested: letting the run finish", grace=self.grace)
                elif time.monotonic() >= deadline:
                    self.abandoned = True
                    log.warning("run", "run abandoned on stop; the next run repairs")
                    return
        seconds = round(time.monotonic() - t0, 2)
        if failure:
            self.failures += 1
            log_failure(log, failure[0], seconds)
        else:
            log.info("run", "run finished", seconds=seconds, next_run=self._next_local())

    def _next_local(self) -> str:
        # Called from inside a job: schedule has not moved next_run yet, so compute it.
        return self.local(next_run_after(self.now(), self.at, self.zone))

    def local(self, when: dt.datetime) -> str:
        return when.astimezone(self.zone).isoformat(timespec="minutes")


def log_failure(log: RunLog, exc: BaseException, seconds: float) -> None:
    """Log a failed run: the error type and where; messages only when they cannot hold data.

    Messages of our own errors name tabs, rows, IDs and what to fix; a RowError or any
    foreign exception may quote a cell, so only its type and code location are logged.
    """
    fields: dict[str, str | int | float | bool | None] = {
        "error": type(exc).__name__,
        "seconds": seconds,
    }
    frames = traceback.extract_tb(exc.__traceback__)
    if frames:
        fields["at"] = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}"
    safe = isinstance(exc, SowSheetsError) and not isinstance(exc, RowError | ValueProblem)
    log.error("run", f"run failed: {exc}" if safe else "run failed", **fields)
    for frame in frames:  # code locations only: no locals, no message
        log.debug(
            "run",
            "traceback",
            at=f"{Path(frame.filename).name}:{frame.lineno}",
            function=frame.name,
        )


def sync_task(
    settings: Settings, backend: Backend, now: Callable[[], dt.datetime] = utc_now
) -> Task:
    """A task running one sync as of the local date; a failure goes into Logboek, then up."""
    zone = zone_of(settings.worker, settings.source)

    def task(log: RunLog) -> None:
        started = now().astimezone(zone).replace(tzinfo=None, microsecond=0)
        logged = LoggedBackend(backend, log)
        t0 = time.monotonic()
        try:
            result = run_sync(logged, settings, started.date(), started)
        except Exception as exc:
            with contextlib.suppress(Exception):  # the original failure is what matters
                record_failure(
                    backend, settings, started, time.monotonic() - t0, type(exc).__name__
                )
            raise
        log.info(
            "sync",
            "sync done",
            rows_read=result.rows_read,
            problems=result.problems,
            proposals=result.new_proposals,
            matches=result.new_matches,
            suggestions=result.new_suggestions,
            ids_filled=result.ids_filled,
            signals_open=result.signals_open,
            cells_written=len(result.plan.cells),
            seconds=result.seconds,
        )
        for tab, cells in sorted(result.changes_by_tab().items()):
            log.debug("sync", "changed", tab=tab, cells=cells)
        for kind, count in sorted(result.open_by_type.items()):
            log.debug("sync", "open signals", type=kind, count=count)

    return task


def credentials_file(settings: Settings) -> str:
    """The service-account key file a Google target uses (config, else the environment)."""
    if not settings.sheet.spreadsheet:
        return ""
    return settings.sheet.credentials or os.environ.get("GOOGLE_APPLICATION_CREDENTIALS", "")


def warn_if_exposed(path: str, log: RunLog) -> bool:
    """Warn when the key file can be read by group or others; True when it warned."""
    try:
        mode = stat.S_IMODE(Path(path).expanduser().stat().st_mode)
    except OSError:
        return False  # a missing file is reported by the backend, by name
    if not mode & 0o077:
        return False
    log.warning(
        "start",
        "credentials file is readable by group or others: chmod 600 it, owned by the service user",
        file=path,
        mode=f"{mode:04o}",
    )
    return True


@contextlib.contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGTERM and SIGINT set ``stop`` instead of raising; the old handlers come back after."""

    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def worker_settings(settings: Settings, at: str | None, tz: str | None) -> Settings:
    """The settings with the command line's --at and --tz on top."""
    worker = settings.worker
    try:
        worker = WorkerSettings(at=at or worker.at, tz=tz or worker.tz, log_file=worker.log_file)
    except ValueError as exc:
        raise ConfigError(f"--at: {exc}") from None
    return dataclasses.replace(settings, worker=worker)


def cmd_run(args: argparse.Namespace, settings: Settings, backend: Backend, out: TextIO) -> int:
    """``sow-sheets run``: hold the target's lock and sync daily until SIGTERM/SIGINT."""
    settings = worker_settings(settings, args.at, args.tz)
    zone = zone_of(settings.worker, settings.source)
    configure_logging(verbose=args.verbose, log_file=settings.worker.log_file, level=logging.INFO)
    log = RunLog()
    exposed = credentials_file(settings)
    if exposed:
        warn_if_exposed(exposed, log)
    lock = run_lock(settings)
    lock.acquire()
    worker: Worker | None = None
    try:
        stop = threading.Event()
        with stop_on_signals(stop):
            worker = Worker(
                sync_task(settings, backend),
                at_time(settings.worker),
                zone,
                stop=stop,
                log=log,
                grace=GRACE_SECONDS,  # read at call time: tests shorten it
            )
            print(
                f"worker for {backend.target()}: daily at {settings.worker.at} "
                f"{settings.worker.tz}; stop with SIGTERM or Ctrl-C",
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


@dataclass(frozen=True)
class Health:
    """What ``status`` says about the runs in Logboek; ``ok`` decides its exit code."""

    last_start: dt.datetime | None
    last_failed: bool
    last_success: dt.datetime | None
    stale: bool

    @property
    def ok(self) -> bool:
        return not self.last_failed and not self.stale


def parse_start(value: Cell) -> dt.datetime | None:
    """A Logboek start cell as a naive local datetime, None when unreadable."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    try:
        return dt.datetime.fromisoformat(canonical(value))
    except ValueError:
        return None


def logbook_runs(spec: TabSpec, table: Table | None) -> list[tuple[dt.datetime | None, str]]:
    """(start, result) of each Logboek row, oldest first."""
    if table is None or not table.rows:
        return []
    positions = map_headers(spec, table.header).positions
    start, result = positions.get("start"), positions.get("result")
    runs = []
    for row in table.rows[1:]:
        if not any(canonical(v) for v in row):
            continue
        when = parse_start(row[start]) if start is not None and start < len(row) else None
        text = canonical(row[result]) if result is not None and result < len(row) else ""
        runs.append((when, text))
    return runs


def health(
    runs: Sequence[tuple[dt.datetime | None, str]],
    now: dt.datetime,
    within: dt.timedelta = HEALTHY_WITHIN,
) -> Health:
    """Unhealthy when the last run failed or no run succeeded within ``within`` of ``now``."""
    good = [when for when, result in runs if result.startswith("ok") and when is not None]
    last_success = max(good) if good else None
    return Health(
        last_start=runs[-1][0] if runs else None,
        last_failed=bool(runs) and not runs[-1][1].startswith("ok"),
        last_success=last_success,
        stale=last_success is None or now - last_success > within,
    )
