"""One sync: read → validate → decide → plan → write (docs/architecture.md).

The deciding steps are pure; this module only orders them and talks to the backend through
the small ``Backend`` interface, so tests run it on a fake, the xlsx file or the emulator.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from sow_sheets import __version__
from sow_sheets.followup.signals import problem_finding
from sow_sheets.model.cells import Cell, canonical
from sow_sheets.model.errors import MissingTabError, SowSheetsError, StructureError
from sow_sheets.model.findings import Finding
from sow_sheets.model.layout import OVERVIEW_TITLE, tab_layout
from sow_sheets.model.locales import locale_finding
from sow_sheets.model.schema import Schema, map_headers
from sow_sheets.model.sheet import Backend, CellRange, CellWrite, LocaleAware, Table, WritePlan
from sow_sheets.reading.structure import broken_tabs, check_tabs, refusal, tab_problems
from sow_sheets.reading.validation import Validated, validate
from sow_sheets.reporting.overview import (
    RUN_LABEL,
    RUN_ROW,
    OverviewInput,
    build_overview,
    overview_layout,
    run_line,
    sheet_pauses,
    typed_settings,
)
from sow_sheets.settings import Settings
from sow_sheets.sync.collector import collector_paused
from sow_sheets.sync.console import applied_decisions, preview_lines
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
    new_help_suggestions: int = 0  # of new_suggestions: meehelpen
    new_help_proposals: int = 0
    help_linked: int = 0
    signals_open: int = 0
    open_by_type: dict[str, int] = field(default_factory=dict)
    open_by_organisation: dict[str, int] = field(default_factory=dict)
    ids_filled: int = 0
    plan: WritePlan = field(default_factory=WritePlan)
    dry_run: bool = False
    applied: dict[str, int] = field(default_factory=dict)  # decisions carried out, by kind
    preview: list[str] = field(default_factory=list)  # --dry-run: rows to add or change
    notes: list[str] = field(default_factory=list)  # what the run left alone, and why

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
    with collector_paused():
        return _sync(backend, settings, today, started, dry_run, timer, now, tables)


def _sync(
    backend: Backend,
    settings: Settings,
    today: dt.date,
    started: dt.datetime,
    dry_run: bool,
    timer: Callable[[], float],
    now: dt.datetime | None,
    tables: dict[str, Table] | None,
) -> SyncResult:
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
    validated = validate(tables, schema, today, settings.neighbourhoods)
    notices = _notices(backend)
    # A programme paused in Overzicht's Instellingen block counts as paused in the config.
    paused, setting_problems = sheet_pauses(tables.get(OVERVIEW_TITLE))
    notices += [problem_finding(p) for p in setting_problems]
    engines = dataclasses.replace(
        settings.engines, programmes=settings.programmes.with_paused(paused)
    )
    decisions = decide(validated, engines, today, now, notices)
    fresh = _Fresh.read(backend, schema, tables, validated)
    fills = id_fill_writes(validated.id_fills, fresh.fills)
    failed = {f.value for f in validated.id_fills} - {str(w.value) for w in fills}
    if failed:
        # A row changed between read and write: its new ID is not written, so decide again
        # without it (pure and fast; no extra request). It takes part next night.
        validated = validated.without(failed)
        decisions = decide(validated, engines, today, now, notices)
    result = SyncResult(
        started=started,
        rows_read=validated.records.rows_read,
        problems=len(validated.records.problems) + len(setting_problems),
        new_proposals=decisions.new_proposals,
        new_matches=decisions.new_matches,
        new_suggestions=decisions.new_suggestions,
        new_help_suggestions=decisions.new_help_suggestions,
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
    note = _overview(plan, settings, tables, validated, fresh, today, started)
    if note:
        result.notes.append(note)
    result.seconds = round(timer() - t0, 2)
    log_spec = schema.tab("logboek")
    log_writes, log_header = logbook_writes(
        log_spec, fresh.logbook, _logbook_entry(result, "ok"), settings.logbook_rows
    )
    if log_header is not None:
        plan.new_tabs.append((log_spec.title, log_header))
        plan.layouts[log_spec.title] = tab_layout(log_spec, log_header)
    plan.cells.extend(log_writes)
    result.plan = plan
    result.applied = applied_decisions(validated.worker_rows, decisions.desired)
    if dry_run:
        result.preview = preview_lines(schema, tables, plan)
    else:
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
    overview: Table
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
        ranges.append(CellRange(OVERVIEW_TITLE))
        ranges.extend(id_fill_ranges(validated.id_fills))
        fresh = backend.reread(ranges)
        log_at = spans[MERGED_TABS[-1]][1]
        return cls(
            tabs={key: fresh[a:b] for key, (a, b) in spans.items()},
            logbook=fresh[log_at] if log_title in tables else None,
            overview=fresh[log_at + 1],
            fills=fresh[log_at + 2 :],
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
            plan.layouts[spec.title] = tab_layout(spec, header)
        plan.cells.extend(writes)
    return plan


def _after(tables: dict[str, Table], plan: WritePlan) -> dict[str, Table]:
    """The tabs as they will be once ``plan`` is written (for Overzicht); a tab the plan
    does not touch is the same Table (only read from here on), not a copy."""
    touched = {write.tab for write in plan.cells} | {title for title, _ in plan.new_tabs}
    rows = {
        title: [list(r) for r in table.rows] for title, table in tables.items() if title in touched
    }
    for title, header in plan.new_tabs:
        rows.setdefault(title, [list(header)])
    for write in plan.cells:
        grid = rows.setdefault(write.tab, [])
        while len(grid) < write.row:
            grid.append([])
        line = grid[write.row - 1]
        while len(line) <= write.col:
            line.append(None)
        line[write.col] = write.value
    after = {title: table for title, table in tables.items() if title not in touched}
    return after | {title: Table(title, grid) for title, grid in rows.items()}


def _overview(
    plan: WritePlan,
    settings: Settings,
    tables: dict[str, Table],
    validated: Validated,
    fresh: _Fresh,
    today: dt.date,
    started: dt.datetime,
) -> str | None:
    """Rewrite Overzicht from the worker tabs as this plan leaves them: only cells that
    differ; a new tab opens first; its look (bold rows, links, chart) when its rows changed.

    A tab called Overzicht that the programme did not make (its title cell differs) is a
    person's own: it is left alone, and the returned note says so.
    """
    given = OverviewInput(
        _after(tables, plan),
        validated,
        settings.schema,
        settings.followup.rules,
        today,
        started,
        programmes=known_programmes(settings),
        # The coordinator's cells as re-read right before the write: they are never changed.
        typed={key: typed for key, (_, _, typed) in typed_settings(fresh.overview).items()},
        config=settings.programmes,
    )
    _partner_views(plan, settings.schema, given.tables)
    overview = build_overview(given)
    old = fresh.overview.rows
    title = old[0][0] if old and old[0] else None
    if old and canonical(title) != canonical(overview.rows[0][0]):
        return (
            f"the tab {OVERVIEW_TITLE} was not made by sow-sheets (its cell A1 differs): it was "
            f"left alone; rename that tab, or put {overview.rows[0][0]!r} back in A1"
        )
    if not old:
        plan.new_tabs.insert(0, (OVERVIEW_TITLE, [str(overview.rows[0][0])]))
        plan.layouts[OVERVIEW_TITLE] = overview_layout()
    # The look follows the rows' places: it is re-sent when a label in column A, a link's
    # text or the number of rows changed (not when only a count did).
    linked = {(link.row, link.col) for link in overview.look.links}
    changed = len(old) != len(overview.rows)
    for number in range(1, max(len(old), len(overview.rows)) + 1):
        before = old[number - 1] if number <= len(old) else []
        after = overview.rows[number - 1] if number <= len(overview.rows) else []
        for col in range(max(len(before), len(after))):
            a = before[col] if col < len(before) else None
            b = after[col] if col < len(after) else None
            if canonical(a) != canonical(b):
                plan.cells.append(CellWrite(OVERVIEW_TITLE, number, col, b))
                changed = changed or col == 0 or (number, col) in linked
    if changed or not old:
        plan.looks[OVERVIEW_TITLE] = overview.look
    return None


def known_programmes(settings: Settings) -> tuple[str, ...]:
    """The programmes the config names (seasons, outreach rules, pauses), each once, for
    Overzicht's Instellingen block."""
    names = [settings.activities.summer_programme, settings.activities.christmas_programme]
    names += [rule.programme for rule in settings.followup.rules]
    names += list(settings.programmes.paused)
    seen: dict[str, str] = {}
    for name in names:
        if name.strip():
            seen.setdefault(name.strip().casefold(), name.strip())
    return tuple(seen.values())


PARTNER_VIEW_TABS = ("signalen", "voorstellen", "activiteitvoorstellen")


def _partner_views(plan: WritePlan, schema: Schema, after: Mapping[str, Table]) -> None:
    """The partners of each tab with an Organisatie column, for a filter view each."""
    for key in PARTNER_VIEW_TABS:
        spec = schema.tab(key)
        table = after.get(spec.title)
        if table is None or not table.rows:
            continue
        col = map_headers(spec, table.header).positions.get("organisation")
        if col is None:
            continue
        partners = {canonical(row[col]) for row in table.rows[1:] if col < len(row)}
        plan.partner_views[spec.title] = (col, tuple(sorted(p for p in partners if p)))


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
    # Then Overzicht says the last run failed (its figures stay those of the last good run).
    with contextlib.suppress(SowSheetsError):
        (line,) = backend.reread([CellRange(OVERVIEW_TITLE, RUN_ROW, RUN_ROW)])
        if line.rows and line.rows[0] and canonical(line.rows[0][0]) == RUN_LABEL:
            failed = run_line(started, "mislukt (zie Logboek); de cijfers zijn van de vorige keer")
            cells = [CellWrite(OVERVIEW_TITLE, RUN_ROW, c, v) for c, v in enumerate(failed)]
            backend.write(WritePlan(cells=cells))


__all__ = ["CellWrite", "SyncResult", "record_failure", "run_sync"]
