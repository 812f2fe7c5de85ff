"""One sync: read → validate → decide → plan → write (docs/architecture.md).

The deciding steps are pure; this module only orders them and talks to the backend through
the small ``Backend`` interface, so tests run it on a fake, the xlsx file or the emulator.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from sow_sheets import __version__
from sow_sheets.model.cells import Cell
from sow_sheets.model.errors import MissingTabError, StructureError
from sow_sheets.model.findings import Finding
from sow_sheets.model.locales import locale_finding
from sow_sheets.model.schema import Schema
from sow_sheets.model.sheet import Backend, CellRange, CellWrite, LocaleAware, Table, WritePlan
from sow_sheets.reading.structure import broken_tabs, check_tabs, refusal, tab_problems
from sow_sheets.reading.validation import Validated, validate
from sow_sheets.settings import Settings
from sow_sheets.sync.decide import Decisions, decide
from sow_sheets.sync.logbook import logbook_writes
from sow_sheets.sync.merge import (
    id_fill_ranges,
    id_fill_writes,
    merge_writes,
    reread_ranges,
    tab_state,
)


@dataclass
class SyncResult:
    """What a run did, for the console summary, the Logboek row and the tests."""

    started: dt.datetime
    seconds: float = 0.0
    rows_read: int = 0
    problems: int = 0
    new_proposals: int = 0
    new_matches: int = 0
    new_suggestions: int = 0
    new_help_proposals: int = 0
    help_linked: int = 0
    signals_open: int = 0
    open_by_type: dict[str, int] = field(default_factory=dict)
    open_by_organisation: dict[str, int] = field(default_factory=dict)
    ids_filled: int = 0
    plan: WritePlan = field(default_factory=WritePlan)
    dry_run: bool = False

    def changes_by_tab(self) -> dict[str, int]:
        return dict(Counter(write.tab for write in self.plan.cells))


def run_sync(
    backend: Backend,
    settings: Settings,
    today: dt.date,
    started: dt.datetime,
    dry_run: bool = False,
    timer: Callable[[], float] = lambda: 0.0,
    now: dt.datetime | None = None,
    tables: dict[str, Table] | None = None,
) -> SyncResult:
    """Run one sync against ``backend`` as of ``today``; returns what it did (or would do).

    ``timer`` measures the run's duration for Logboek (the shell passes ``time.monotonic``).
    ``now`` is the moment the help signals count hours from; by default ``today`` at the
    time of day of ``started``. ``tables`` is a read already made (``check``'s dry run).
    """
    now = now if now is not None else dt.datetime.combine(today, started.time())
    t0 = timer()
    schema = settings.schema
    tables = backend.read() if tables is None else tables
    checks = check_tabs(tables, schema)
    missing = [c.title for c in checks if not c.present and c.problem]
    if missing:
        names = ", ".join(f'"{t}"' for t in missing)
        raise MissingTabError(
            f"{backend.target()} has no tab {names}; run `sow-sheets init` to create "
            "missing tabs and headers"
        )
    if broken_tabs(checks):
        # Nothing is written: every worker tab is derived from the human tabs, so a run on a
        # broken tab would lapse proposals, blank names and open false signals.
        raise StructureError(f"nothing written; {refusal(checks)}")
    validated = validate(tables, schema, today)
    notices = _notices(backend)
    decisions = decide(validated, settings.engines, today, now, notices)
    fresh = _Fresh.read(backend, schema, tables, validated)
    fills = id_fill_writes(validated.id_fills, fresh.fills)
    failed = {f.value for f in validated.id_fills} - {str(w.value) for w in fills}
    if failed:
        # A row changed between read and write: its new ID is not written, so decide again
        # without it (pure and fast; no extra request). It takes part next night.
        validated = validated.without(failed)
        decisions = decide(validated, settings.engines, today, now, notices)
    result = SyncResult(
        started=started,
        rows_read=validated.records.rows_read,
        problems=len(validated.records.problems),
        new_proposals=decisions.new_proposals,
        new_matches=decisions.new_matches,
        new_suggestions=decisions.new_suggestions,
        new_help_proposals=decisions.help.new_proposals if decisions.help else 0,
        help_linked=decisions.help.linked if decisions.help else 0,
        signals_open=sum(decisions.open_by_type.values()),
        open_by_type=decisions.open_by_type,
        open_by_organisation=decisions.open_by_organisation,
        ids_filled=len(fills),
        dry_run=dry_run,
    )
    plan = _merge(settings, tables, validated, decisions, fresh)
    plan.cells.extend(fills)
    result.seconds = round(timer() - t0, 2)
    log_spec = schema.tab("logboek")
    log_writes, log_header = logbook_writes(
        log_spec, fresh.logbook, _logbook_entry(result, "ok"), settings.logbook_rows
    )
    if log_header is not None:
        plan.new_tabs.append((log_spec.title, log_header))
    plan.cells.extend(log_writes)
    result.plan = plan
    if not dry_run:
        backend.write(plan)
    return result


MERGED_TABS = (
    "voorstellen",
    "koppelingen",
    "activiteitvoorstellen",
    "hulpvoorstellen",
    "signalen",
)


def _notices(backend: Backend) -> list[Finding]:
    """Findings about the spreadsheet itself: a locale that misreads typed Dutch dates."""
    if not isinstance(backend, LocaleAware):
        return []
    finding = locale_finding(backend.spreadsheet_locale().locale)
    return [finding] if finding else []


@dataclass
class _Fresh:
    """What one re-read right before the write returns: worker-tab keys and human columns,
    the whole Logboek, and the rows whose blank ID the sync wants to fill."""

    tabs: dict[str, list[Table]]
    logbook: Table | None
    fills: list[Table]

    @classmethod
    def read(
        cls, backend: Backend, schema: Schema, tables: dict[str, Table], validated: Validated
    ) -> _Fresh:
        ranges: list[CellRange] = []
        spans: dict[str, tuple[int, int]] = {}
        for key in MERGED_TABS:
            spec = schema.tab(key)
            wanted = reread_ranges(spec, tables.get(spec.title))
            spans[key] = (len(ranges), len(ranges) + len(wanted))
            ranges.extend(wanted)
        log_title = schema.tab("logboek").title
        ranges.append(CellRange(log_title))
        ranges.extend(id_fill_ranges(validated.id_fills))
        fresh = backend.reread(ranges)
        log_at = spans[MERGED_TABS[-1]][1]
        return cls(
            tabs={key: fresh[a:b] for key, (a, b) in spans.items()},
            logbook=fresh[log_at] if log_title in tables else None,
            fills=fresh[log_at + 1 :],
        )


def _merge(
    settings: Settings,
    tables: dict[str, Table],
    validated: Validated,
    decisions: Decisions,
    fresh: _Fresh,
) -> WritePlan:
    """Merge each worker tab's desired rows by key into its re-read state."""
    plan = WritePlan()
    for key in MERGED_TABS:
        spec = settings.schema.tab(key)
        first = tables.get(spec.title)
        state = tab_state(spec, fresh.tabs[key], first) if first is not None else None
        writes, header = merge_writes(
            spec, state, validated.worker_rows.get(key, []), decisions.desired.get(key, {})
        )
        if header is not None:
            if not writes:
                continue  # nothing to put in it yet: don't create an empty tab
            plan.new_tabs.append((spec.title, header))
        plan.cells.extend(writes)
    return plan


def _logbook_entry(result: SyncResult, outcome: str) -> dict[str, Cell]:
    return {
        "start": result.started.strftime("%Y-%m-%d %H:%M:%S"),
        "duration": result.seconds,
        "result": outcome,
        "rows_read": result.rows_read,
        "proposals": result.new_proposals,
        "matches": result.new_matches,
        "signals_open": result.signals_open,
        "problems": result.problems,
        "version": __version__,
    }


def record_failure(
    backend: Backend, settings: Settings, started: dt.datetime, seconds: float, reason: str
) -> None:
    """Append a Logboek row for a failed run; best effort (the failure itself is reported)."""
    spec = settings.schema.tab("logboek")
    result = SyncResult(started=started, seconds=round(seconds, 2))
    tables = backend.read()
    if spec.title in tables and tab_problems(spec, tables[spec.title]):
        return  # a broken Logboek is not written to either; the failure is still reported
    writes, header = logbook_writes(
        spec,
        tables.get(spec.title),
        _logbook_entry(result, f"mislukt: {reason}"),
        settings.logbook_rows,
    )
    backend.write(WritePlan([(spec.title, header)] if header else [], writes))


__all__ = ["CellWrite", "SyncResult", "record_failure", "run_sync"]
