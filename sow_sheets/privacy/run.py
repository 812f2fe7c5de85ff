"""The two privacy commands against a backend, with the sync's safety: read, decide, re-read
the rows to change right before the write, and write nothing if they moved or changed.

    subject = read_subject(backend, settings, "GO-0012")
    result = anonymise(backend, settings, "GO-0012", started, confirm=ask)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sow_sheets import __version__
from sow_sheets.model.cells import Cell, canonical
from sow_sheets.model.errors import SheetChangedError, UsageError
from sow_sheets.model.sheet import Backend, CellRange, CellWrite, Table, WritePlan
from sow_sheets.privacy.cells import (
    PERSON_TABS,
    Anonymisation,
    Located,
    Subject,
    anonymise_plan,
    cells_about,
)
from sow_sheets.settings import Settings
from sow_sheets.sync.logbook import logbook_writes


def _known(subject: Subject, settings: Settings, person: str) -> None:
    titles = {settings.schema.tab(key).title for key in PERSON_TABS}
    if not any(c.tab in titles for c in subject.cells):
        raise UsageError(
            f"no row with ID {person} in "
            + ", ".join(sorted(titles))
            + " (IDs are case-sensitive, e.g. GO-0012)"
        )


def read_subject(backend: Backend, settings: Settings, person: str) -> Subject:
    """One read; every cell about ``person``. An unknown ID is a ``UsageError``."""
    subject = cells_about(backend.read(), settings.schema, person)
    _known(subject, settings, person)
    return subject


@dataclass
class AnonymiseResult:
    """What anonymising did (or, dry or not confirmed, would do)."""

    plan: Anonymisation
    written: bool = False
    writes: list[CellWrite] = field(default_factory=list)

    @property
    def tabs(self) -> list[str]:
        return sorted({c.tab for c in self.plan.blanks} | {c.tab for c, _ in self.plan.postcodes})


def anonymise(
    backend: Backend,
    settings: Settings,
    person: str,
    started: dt.datetime,
    dry_run: bool = False,
    confirm: Callable[[Anonymisation], bool] = lambda plan: True,
) -> AnonymiseResult:
    """Blank ``person``'s personal cells in every tab and add a Logboek row (IDs and counts
    only). Asks ``confirm`` first; a dry run reads only."""
    tables = backend.read()
    plan = anonymise_plan(tables, settings.schema, person)
    _known(plan.subject, settings, person)
    result = AnonymiseResult(plan)
    if dry_run or not confirm(plan):
        return result
    log_spec = settings.schema.tab("logboek")
    rows: dict[str, list[int]] = {}
    for cell in [*plan.anchors.values(), *plan.blanks, *(c for c, _ in plan.postcodes)]:
        rows.setdefault(cell.tab, []).append(cell.row)
    ranges = [CellRange(tab, min(numbers), max(numbers)) for tab, numbers in rows.items()]
    fresh = backend.reread([*ranges, CellRange(log_spec.title)])
    blocks = dict(zip(rows, fresh, strict=False))
    expected = [*plan.anchors.values(), *plan.blanks, *(c for c, _ in plan.postcodes)]
    changed = [c for c in expected if _now(blocks, ranges, c) != canonical(c.value)]
    if changed:
        tabs = ", ".join(sorted({c.tab for c in changed}))
        raise SheetChangedError(
            f"rows of {tabs} changed since they were read; nothing written, run the command again"
        )
    writes = [CellWrite(c.tab, c.row, c.col, None) for c in plan.blanks]
    writes += [CellWrite(c.tab, c.row, c.col, digits) for c, digits in plan.postcodes]
    entry: dict[str, Cell] = {
        "start": started.strftime("%Y-%m-%d %H:%M:%S"),
        "duration": 0,
        "result": (
            f"anonimiseer {person}: {plan.count} cellen leeggemaakt in {len(result.tabs)} tabbladen"
        ),
        "version": __version__,
    }
    log = fresh[-1] if log_spec.title in tables else None
    log_writes, header = logbook_writes(log_spec, log, entry, settings.logbook_rows)
    backend.write(WritePlan([(log_spec.title, header)] if header else [], [*writes, *log_writes]))
    result.written, result.writes = True, writes
    return result


def _now(blocks: dict[str, Table], ranges: list[CellRange], cell: Located) -> str:
    """A cell's value in the re-read block of its tab, as text."""
    block = blocks.get(cell.tab)
    first = next(r.first_row for r in ranges if r.tab == cell.tab)
    if block is None:
        return ""
    return canonical(block.cell(cell.row - first + 1, cell.col))
