"""The last run's outcome, kept beside the run lock so `status` sees a run that failed before
(or while) it could write its Logboek row, e.g. because the workbook was open in Excel.

One small JSON file per target (``sow-sheets-<hash>.run-state.json``): start, outcome and the
exception's class name only, never data from the sheet. Written atomically after every sync
and worker run; a missing or damaged file means "nothing known".
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sow_sheets.service.runlock import lock_path, lock_target
from sow_sheets.settings import Settings


@dataclass(frozen=True)
class LastRun:
    """When the last run started (local time) and how it ended: ``ok`` or ``mislukt: X``."""

    start: dt.datetime
    result: str


def run_state_path(settings: Settings, directory: Path | None = None) -> Path:
    """The state file beside the target's run lock."""
    return lock_path(lock_target(settings), directory).with_suffix(".run-state.json")


def save_last_run(settings: Settings, run: LastRun, directory: Path | None = None) -> None:
    """Remember ``run``; best effort (a full disk must not turn a good run into a failure)."""
    path = run_state_path(settings, directory)
    body = {"start": run.start.isoformat(timespec="seconds"), "result": run.result}
    with contextlib.suppress(OSError):
        handle, temporary = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(body, out)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


def load_last_run(settings: Settings, directory: Path | None = None) -> LastRun | None:
    """The remembered last run, or None when there is none (or the file is damaged)."""
    try:
        body = json.loads(run_state_path(settings, directory).read_text("utf-8"))
        return LastRun(dt.datetime.fromisoformat(body["start"]), str(body["result"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
