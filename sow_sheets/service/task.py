"""The worker's task: one sync as of the local date, its outcome logged without personal data."""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Callable

from sow_sheets.model.sheet import Backend
from sow_sheets.service.clock import utc_now, zone_of
from sow_sheets.service.logs import LoggedBackend, RunLog
from sow_sheets.service.notices import Notices
from sow_sheets.service.runlock import run_lock
from sow_sheets.service.runstate import LastRun, save_last_run
from sow_sheets.service.scheduler import Task
from sow_sheets.settings import Settings
from sow_sheets.sync.run import record_failure, run_sync


def sync_task(
    settings: Settings, backend: Backend, now: Callable[[], dt.datetime] = utc_now
) -> Task:
    """A task running one sync as of the local date, then its e-mails (alerts, the weekly
    digest); a failure goes into Logboek and the alert, then up."""
    zone = zone_of(settings.worker, settings.source)

    def task(log: RunLog) -> None:
        started = now().astimezone(zone).replace(tzinfo=None, microsecond=0)
        logged = LoggedBackend(backend, log)
        t0 = time.monotonic()
        notices = Notices(settings, backend, log)
        try:
            result = run_sync(logged, settings, started.date(), started, timer=time.monotonic)
        except Exception as exc:
            save_last_run(settings, LastRun(started, f"mislukt: {type(exc).__name__}"))
            with contextlib.suppress(Exception):  # the original failure is what matters
                record_failure(
                    backend, settings, started, time.monotonic() - t0, type(exc).__name__
                )
            notices.after_run(started, type(exc).__name__)
            raise
        save_last_run(settings, LastRun(started, "ok"))
        notices.after_run(started, None)
        log.info(
            "sync",
            "sync done",
            rows_read=result.rows_read,
            problems=result.problems,
            proposals=result.new_proposals,
            matches=result.new_matches,
            suggestions=result.new_suggestions,
            help_proposals=result.new_help_proposals,
            helpers_linked=result.help_linked,
            ids_filled=result.ids_filled,
            signals_open=result.signals_open,
            cells_written=len(result.plan.cells),
            seconds=result.seconds,
        )
        for note in result.notes:  # tab names only, never cell values
            log.warning("sync", note)
        for tab, cells in sorted(result.changes_by_tab().items()):
            log.debug("sync", "changed", tab=tab, cells=cells)
        for kind, count in sorted(result.open_by_type.items()):
            log.debug("sync", "open signals", type=kind, count=count)

    return task


def target_task(
    settings: Settings,
    open_backend: Callable[[Settings], Backend],
    now: Callable[[], dt.datetime] = utc_now,
) -> Task:
    """One sync of one of several targets: its lock for this sync only (a manual sync in
    between is fine), its backend opened afresh (a sign-in problem stays in this run)."""

    def task(log: RunLog) -> None:
        with run_lock(settings):
            sync_task(settings, open_backend(settings), now)(log)

    return task
