"""What `status` reports: the last runs from Logboek, open signals, and whether runs are healthy.

report = read_status(backend, settings.schema, local_now(settings))
report.health.ok   # False when the last run failed or none succeeded in 36 hours
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from sow_sheets.model.cells import Cell, canonical
from sow_sheets.model.schema import Schema, TabSpec, map_headers
from sow_sheets.model.sheet import Backend, Table
from sow_sheets.model.words import SignalStatus, is_sync_row

HEALTHY_WITHIN = dt.timedelta(hours=36)


@dataclass(frozen=True)
class Health:
    """What ``status`` says about the runs in Logboek; ``ok`` decides its exit code."""

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
    """(start, result) of each sync's Logboek row, oldest first (an `anonimiseer` row is
    not a run)."""
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
        if is_sync_row(text):
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
        last_failed=bool(runs) and not runs[-1][1].startswith("ok"),
        last_success=last_success,
        stale=last_success is None or now - last_success > within,
    )


LOGBOOK_SHOWN = ("start", "result", "duration", "proposals", "matches", "signals_open", "problems")


@dataclass
class StatusReport:
    """The last runs (Logboek cells by column key), open signals and the health verdict."""

    runs: list[dict[str, str]] = field(default_factory=list)
    open_by_type: dict[str, int] = field(default_factory=dict)
    open_by_organisation: dict[str, int] = field(default_factory=dict)
    health: Health = Health(False, None, True)


def _rows_by_key(spec: TabSpec, table: Table | None, keys: Sequence[str]) -> list[dict[str, str]]:
    """Each non-blank data row as column key → text, columns found by header."""
    if table is None or not table.rows:
        return []
    positions = map_headers(spec, table.header).positions
    out = []
    for row in table.rows[1:]:
        if not any(canonical(v) for v in row):
            continue
        cells = {k: row[p] for k, p in positions.items() if p < len(row)}
        out.append({k: canonical(cells.get(k)) for k in keys})
    return out


def read_status(
    backend: Backend,
    schema: Schema,
    now: dt.datetime,
    last: int = 5,
    remembered: tuple[dt.datetime, str] | None = None,
) -> StatusReport:
    """One read of the sheet: the last ``last`` runs, open signals, health as of ``now``.

    ``remembered`` is the last run's (start, result) from the state file beside the run lock:
    a run newer than Logboek's last row (it could not write its row) counts as the last run.
    """
    tables = backend.read()
    log_spec, signal_spec = schema.tab("logboek"), schema.tab("signalen")
    log = tables.get(log_spec.title)
    by_type: Counter[str] = Counter()
    by_org: Counter[str] = Counter()
    signals = tables.get(signal_spec.title)
    for row in _rows_by_key(signal_spec, signals, ("type", "organisation", "status")):
        if row["status"] == SignalStatus.OPEN:
            by_type[row["type"]] += 1
            by_org[row["organisation"] or "(geen organisatie)"] += 1
    rows = _rows_by_key(log_spec, log, LOGBOOK_SHOWN)
    runs = logbook_runs(log_spec, log)
    if remembered is not None:
        latest = max((when for when, _ in runs if when is not None), default=None)
        logged = {(when, result) for when, result in runs}
        if latest is None or (remembered[0] >= latest and remembered not in logged):
            start, result = remembered
            runs.append((start, result))
            row = dict.fromkeys(LOGBOOK_SHOWN, "")
            row.update(start=f"{start:%Y-%m-%d %H:%M:%S}", result=f"{result} (not in Logboek)")
            rows.append(row)
    return StatusReport(
        runs=rows[-last:],
        open_by_type=dict(by_type),
        open_by_organisation=dict(by_org),
        health=health(runs, now),
    )
