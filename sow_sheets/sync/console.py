"""What the console says about a run, computed from its data (pure): the decisions it
applied, and for ``--dry-run`` the rows it would add or change per tab.

Only keys, column names and worker-owned values that are not personal (status, dates,
numbers such as scores) are shown; never names, phone numbers or notes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from sow_sheets.model.cells import Cell, canonical, is_blank
from sow_sheets.model.schema import Kind, Schema, map_headers
from sow_sheets.model.sheet import Table, WritePlan
from sow_sheets.model.words import (
    ProposalStatus,
    SignalStatus,
    SuggestionStatus,
)
from sow_sheets.model.worktab import Desired, WorkerRow

ACCEPTED, REJECTED, SNOOZED, IGNORED, UNCLEAR = (
    "accepted",
    "rejected",
    "snoozed",
    "ignored",
    "not understood",
)
DECIDED_TABS = ("voorstellen", "hulpvoorstellen", "activiteitvoorstellen")
SHOWN_KINDS = frozenset({Kind.CHOICE, Kind.DATE, Kind.NUMBER})
ROWS_PER_TAB = 40


def applied_decisions(
    before: Mapping[str, list[WorkerRow]], desired: Mapping[str, Desired]
) -> dict[str, int]:
    """Decisions people typed that this run carried out, by what they said; a decision it
    could not read counts as not understood (it stays, and the row says so)."""
    counts: Counter[str] = Counter()
    for tab in DECIDED_TABS:
        wanted = desired.get(tab, {})
        for row in before.get(tab, []):
            if is_blank(row.get("decision")) or canonical(row.get("status")) != "open":
                continue
            status = canonical(wanted.get(row.key, {}).get("status", "open"))
            if status in (ProposalStatus.MATCHED, SuggestionStatus.SIGNED_UP):
                counts[ACCEPTED] += 1
            elif status in (ProposalStatus.REJECTED, SuggestionStatus.DECLINED):
                counts[REJECTED] += 1
            elif status == "open":
                counts[UNCLEAR] += 1
    wanted = desired.get("signalen", {})
    for row in before.get("signalen", []):
        if is_blank(row.get("action")):
            continue
        was = canonical(row.get("status"))
        values = wanted.get(row.key, {})
        now = canonical(values.get("status", was))
        if "niet begrepen" in canonical(values.get("description")):
            counts[UNCLEAR] += 1
        elif now != was and now == SignalStatus.SNOOZED:
            counts[SNOOZED] += 1
        elif now != was and now == SignalStatus.IGNORED:
            counts[IGNORED] += 1
    return {k: counts[k] for k in (ACCEPTED, REJECTED, SNOOZED, IGNORED, UNCLEAR) if counts[k]}


def preview_lines(schema: Schema, tables: Mapping[str, Table], plan: WritePlan) -> list[str]:
    """Per worker tab the rows a plan adds or changes: key, then column names, with
    old -> new for status, dates and numbers the worker owns."""
    lines: list[str] = []
    for spec in schema.tabs:
        if not spec.worker or spec.key == "logboek":
            continue
        writes = [w for w in plan.cells if w.tab == spec.title]
        if not writes:
            continue
        table = tables.get(spec.title, Table(spec.title))
        header = list(table.header) or list(spec.headers)
        for title, new_header in plan.new_tabs:
            if title == spec.title:
                header = list(new_header)
        for w in writes:
            if w.row == 1:
                while len(header) <= w.col:
                    header.append(None)
                header[w.col] = w.value
        positions = map_headers(spec, header).positions
        by_index = {index: spec.column(key) for key, index in positions.items()}
        key_col = positions.get(spec.key_column.key, 0)
        rows: dict[int, list[tuple[int, Cell]]] = {}
        for w in writes:
            if w.row > 1:
                rows.setdefault(w.row, []).append((w.col, w.value))
        added = [r for r in rows if is_blank(table.cell(r, key_col))]
        changed = [r for r in rows if r not in added]
        lines.append(f"{spec.title}: {len(added)} rows to add, {len(changed)} to change")
        shown = 0
        for number in sorted(rows):
            if shown == ROWS_PER_TAB:
                lines.append(f"  ... and {len(rows) - shown} more rows")
                break
            shown += 1
            cells = dict(rows[number])
            key = canonical(cells.get(key_col, table.cell(number, key_col)))
            parts = []
            for col, value in sorted(cells.items()):
                column = by_index.get(col)
                if column is None or col == key_col:
                    continue
                if column.kind in SHOWN_KINDS and not column.human:
                    old = canonical(table.cell(number, col)) or "(leeg)"
                    parts.append(f"{column.header} {old} -> {canonical(value) or '(leeg)'}")
                else:
                    parts.append(column.header)
            sign = "+" if number in added else "~"
            lines.append(f"  {sign} {key} (row {number}): " + "; ".join(parts))
    return lines
