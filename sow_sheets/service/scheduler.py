"""The scheduled worker loop: run a task at the configured local time, until stopped.

    worker = Worker(task, DailyAt(dt.time(2, 0), ZoneInfo("Europe/Amsterdam")))
    worker.run(run_now=False)   # blocks; returns 0 once ``worker.stop`` is set

Due times are UTC instants computed in the programme's time zone, so runs land on the local
time across daylight-saving changes, and the clock and the wait are injectable for tests. The
wait is cut into short slices and re-checks the wall clock, so after a suspend (the monotonic
clock stops, the wall clock jumps) the missed run happens once on wake. A run happens in a
helper thread so that SIGTERM/SIGINT is handled at once: during the wait the worker stops at
once; during a run it lets the run finish for up to ``grace`` seconds and otherwise abandons
it (every write is atomic, the next run repairs).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import FrameType
from typing import Protocol
from zoneinfo import ZoneInfo

from sow_sheets.service.clock import utc_now, zone_of
from sow_sheets.service.logs import RunLog, log_failure, new_run_id
from sow_sheets.settings import Settings, WorkerSettings

MAX_WAIT_SECONDS = 60.0  # re-check the wall clock at least this often (suspend, clock steps)
GRACE_SECONDS = 8.0  # a stop during a run: wait this long for it, well inside systemd's 10 s

Task = Callable[[RunLog], None]
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Schedule(Protocol):
    """When runs are due: the first due instant (aware, UTC) strictly after ``now``."""

    def next_after(self, now: dt.datetime) -> dt.datetime: ...

    def describe(self) -> str: ...


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


@dataclass(frozen=True)
class DailyAt:
    """Once a day at a local time."""

    at: dt.time
    zone: ZoneInfo

    def next_after(self, now: dt.datetime) -> dt.datetime:
        return next_run_after(now, self.at, self.zone)

    def describe(self) -> str:
        return f"daily at {self.at:%H:%M} {self.zone.key}"


@dataclass(frozen=True)
class TimesOfDay:
    """At several local times each day, e.g. 08:00, 13:00 and 17:00."""

    times: tuple[dt.time, ...]
    zone: ZoneInfo

    def next_after(self, now: dt.datetime) -> dt.datetime:
        # Each time on its own is DST-safe; two slots that land on one instant (both in the
        # spring gap) are one run, since the worker asks again strictly after that run.
        return min(next_run_after(now, at, self.zone) for at in self.times)

    def describe(self) -> str:
        return "daily at " + ", ".join(f"{t:%H:%M}" for t in self.times) + f" {self.zone.key}"


@dataclass(frozen=True)
class EveryWithin:
    """Every ``minutes`` on the local wall clock from ``first`` up to ``last`` each day (both
    in minutes after midnight), e.g. every 30 minutes from 08:00 to 20:00. The slots restart
    every morning at ``first``; in the autumn's repeated hour each slot runs once."""

    minutes: int
    first: int
    last: int
    zone: ZoneInfo

    def slots(self) -> TimesOfDay:
        times = range(self.first, self.last + 1, self.minutes)
        return TimesOfDay(tuple(dt.time(m // 60, m % 60) for m in times), self.zone)

    def next_after(self, now: dt.datetime) -> dt.datetime:
        return self.slots().next_after(now)

    def describe(self) -> str:
        end = self.last + 1 if self.last == 24 * 60 - 1 else self.last
        return (
            f"every {self.minutes} min from {self.first // 60:02d}:{self.first % 60:02d} "
            f"to {end // 60:02d}:{end % 60:02d} {self.zone.key}"
        )


@dataclass(frozen=True)
class WeeklyAt:
    """Once a week on a weekday (0 = Monday) at a local time: the digest's own wake-up."""

    weekday: int
    at: dt.time
    zone: ZoneInfo

    def next_after(self, now: dt.datetime) -> dt.datetime:
        due = next_run_after(now, self.at, self.zone)
        while due.astimezone(self.zone).weekday() != self.weekday:
            due = next_run_after(due, self.at, self.zone)
        return due

    def describe(self) -> str:
        return f"weekly on {WEEKDAYS[self.weekday]} at {self.at:%H:%M} {self.zone.key}"


@dataclass(frozen=True)
class AnyOf:
    """Runs due on any of several schedules (e.g. nightly at 02:00, every 30 minutes by day,
    and the digest's hour)."""

    schedules: tuple[Schedule, ...]
    zone: ZoneInfo

    def next_after(self, now: dt.datetime) -> dt.datetime:
        return min(schedule.next_after(now) for schedule in self.schedules)

    def describe(self) -> str:
        return " and ".join(schedule.describe() for schedule in self.schedules)


@dataclass
class Worker:
    """Runs ``task`` on ``schedule`` until ``stop`` is set; clock and wait injectable.

    ``wait(seconds)`` blocks for up to ``seconds`` (returning early when stopped); the default
    waits on ``stop``. A task that raises is logged and the loop goes on, unless the error is
    one of ``fatal`` (no access to the sheet: the next night cannot fix it): then the loop
    stops and ``run`` raises it.
    """

    task: Task
    schedule: Schedule
    now: Callable[[], dt.datetime] = utc_now
    stop: threading.Event = field(default_factory=threading.Event)
    wait: Callable[[float], object] | None = None
    max_wait: float = MAX_WAIT_SECONDS
    grace: float = GRACE_SECONDS
    log: RunLog = field(default_factory=RunLog)
    fatal: tuple[type[BaseException], ...] = ()
    runs: int = 0
    failures: int = 0
    abandoned: bool = False
    fatal_error: BaseException | None = None

    def __post_init__(self) -> None:
        self.next_run = self.schedule.next_after(self.now())

    def run(self, run_now: bool = False) -> int:
        """The loop; returns the exit code (0: stopped on request)."""
        if run_now and not self.stop.is_set():
            self.fire()
            self.next_run = self.schedule.next_after(self.now())
        wait = self.wait or self.stop.wait
        announced = None
        while not self.stop.is_set():
            if self.now() >= self.next_run:
                self.fire()
                self.next_run = self.schedule.next_after(self.now())
                continue
            if announced != self.next_run:  # once per new due time, not every slice
                announced = self.next_run
                self.log.debug("wait", "waiting", next_run=self.local(self.next_run))
            left = (self.next_run - self.now()).total_seconds()
            wait(min(max(left, 0.0), self.max_wait))
        self.log.info("stop", "worker stopped", runs=self.runs, failures=self.failures)
        if self.fatal_error is not None:
            raise self.fatal_error
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
            if isinstance(failure[0], self.fatal):
                self.fatal_error = failure[0]
                self.stop.set()
        else:
            upcoming = self.schedule.next_after(self.now())
            log.info("run", "run finished", seconds=seconds, next_run=self.local(upcoming))

    def local(self, when: dt.datetime) -> str:
        zone = getattr(self.schedule, "zone", dt.UTC)
        return when.astimezone(zone).isoformat(timespec="minutes")


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


def schedule_of(worker: WorkerSettings, source: str = "(defaults)") -> Schedule:
    """The schedule the ``[worker]`` settings describe: the times of ``at``, and runs
    ``every`` so often ``between`` two times of day."""
    zone = zone_of(worker, source)
    parts: list[Schedule] = []
    times = worker.run_times()
    if len(times) == 1:
        parts.append(DailyAt(times[0], zone))
    elif times:
        parts.append(TimesOfDay(times, zone))
    step = worker.interval_minutes()
    if step is not None:
        first, last = worker.window()
        parts.append(EveryWithin(step, first, last, zone))
    return parts[0] if len(parts) == 1 else AnyOf(tuple(parts), zone)


def with_digest(schedule: Schedule, settings: Settings) -> Schedule:
    """``schedule`` plus a run at ``[notify] digest_at`` on the digest's day, when mail is set
    up with a time of its own (the run syncs first, so the digest's counts are fresh)."""
    notify = settings.notify
    if not notify.configured or not notify.digest_at:
        return schedule
    zone = zone_of(settings.worker, settings.source)
    return AnyOf((schedule, WeeklyAt(notify.digest_day, notify.digest_time(), zone)), zone)
