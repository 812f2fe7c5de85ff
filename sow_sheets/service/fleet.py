"""One worker for many targets: each on its own schedule, a bounded number of syncs at once.

    fleet = Fleet([Job("zoetermeer", schedule, task), ...], parallel=2)
    fleet.run(run_now=False)    # blocks; returns 0 once ``fleet.stop`` is set

A target is never synced twice at the same time; a slot that comes while its previous sync
still runs (or waits for a free place) is skipped, as in the one-target worker. Whatever one
target's sync does (fail, find its sheet locked, wait out a quota) happens in its own thread:
the loop and the other targets go on. Clock and wait are injectable.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sow_sheets.model.errors import RunLockedError
from sow_sheets.service.clock import utc_now
from sow_sheets.service.logs import RunLog, log_failure, new_run_id
from sow_sheets.service.scheduler import GRACE_SECONDS, MAX_WAIT_SECONDS, Schedule, Task


@dataclass(frozen=True)
class Job:
    """A target the fleet runs: its name, its schedule and one sync of it."""

    name: str
    schedule: Schedule
    task: Task


@dataclass(frozen=True)
class Outcome:
    """How one sync of one target ended: ``ok``, ``failed`` (with the error type) or
    ``skipped`` (its sheet was locked by another run)."""

    name: str
    due: dt.datetime
    started: float
    seconds: float
    result: str
    error: str = ""


@dataclass
class Fleet:
    """Runs every job on its schedule, at most ``parallel`` at once, until ``stop`` is set."""

    jobs: list[Job]
    parallel: int = 2
    now: Callable[[], dt.datetime] = utc_now
    stop: threading.Event = field(default_factory=threading.Event)
    wait: Callable[[float], object] | None = None
    max_wait: float = MAX_WAIT_SECONDS
    grace: float = GRACE_SECONDS
    log: RunLog = field(default_factory=RunLog)
    monotonic: Callable[[], float] = time.monotonic
    outcomes: list[Outcome] = field(default_factory=list)

    def __post_init__(self) -> None:
        names = [job.name for job in self.jobs]
        if len(set(names)) != len(names):
            raise ValueError("two jobs with one name")
        moment = self.now()
        self.next_run = {job.name: job.schedule.next_after(moment) for job in self.jobs}
        self._places = threading.Semaphore(self.parallel)
        self._busy: set[str] = set()
        self._threads: dict[str, threading.Thread] = {}
        self._lock = threading.Lock()

    def run(self, run_now: bool = False) -> int:
        """The loop; returns 0 once stopped. ``run_now`` syncs every target once at the start."""
        wait = self.wait or self.stop.wait
        if run_now:
            moment = self.now()
            for job in self.jobs:
                self.fire(job, moment)
        while not self.stop.is_set():
            moment = self.now()
            for job in self.jobs:
                if self.next_run[job.name] <= moment:
                    self.fire(job, self.next_run[job.name])
                    self.next_run[job.name] = job.schedule.next_after(moment)
            upcoming = min(self.next_run.values(), default=moment + dt.timedelta(hours=1))
            left = (upcoming - self.now()).total_seconds()
            wait(min(max(left, 0.0), self.max_wait))
        self.finish()
        return 0

    def fire(self, job: Job, due: dt.datetime) -> bool:
        """Start ``job``'s sync in its own thread unless it is already running or waiting."""
        with self._lock:
            if job.name in self._busy:
                RunLog(self.log.run, self.log.logger, job.name).info(
                    "run", "slot skipped: the previous sync of this target is still busy"
                )
                return False
            self._busy.add(job.name)
        thread = threading.Thread(
            target=self._supervise, args=(job, due), name=f"sow-sheets-{job.name}", daemon=True
        )
        self._threads[job.name] = thread
        thread.start()
        return True

    def _supervise(self, job: Job, due: dt.datetime) -> None:
        """One sync of one target once a place is free: nothing it raises leaves this thread."""
        try:
            while not self._places.acquire(timeout=0.2):
                if self.stop.is_set():
                    return
            if self.stop.is_set():
                self._places.release()
                return
            log = RunLog(new_run_id(), self.log.logger, job.name)
            log.info("run", "run started")
            t0 = self.monotonic()
            result, error = "ok", ""
            try:
                job.task(log)
            except RunLockedError:
                result = "skipped"
                log.warning("run", "skipped: another run or sync is busy with this sheet")
            except Exception as exc:
                result, error = "failed", type(exc).__name__
                log_failure(log, exc, round(self.monotonic() - t0, 2))
            finally:
                self._places.release()
            seconds = round(self.monotonic() - t0, 3)
            if result == "ok":
                log.info("run", "run finished", seconds=seconds)
            with self._lock:
                self.outcomes.append(Outcome(job.name, due, t0, seconds, result, error))
        finally:
            with self._lock:
                self._busy.discard(job.name)

    def join(self, timeout: float | None = None) -> None:
        """Wait for the syncs started so far (tests and benchmarks)."""
        for thread in list(self._threads.values()):
            thread.join(timeout)

    def finish(self) -> None:
        """Let running syncs finish for up to ``grace`` seconds; queued ones do not start."""
        deadline = time.monotonic() + self.grace
        for thread in list(self._threads.values()):
            thread.join(max(deadline - time.monotonic(), 0.0))
        running = sorted(name for name, t in self._threads.items() if t.is_alive())
        if running:
            self.log.warning(
                "stop", "runs abandoned on stop; their next run repairs", targets=len(running)
            )
        self.log.info("stop", "worker stopped", runs=len(self.outcomes))
