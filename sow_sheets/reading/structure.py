"""Whether each tab has the shape a sync needs: present, and with its required columns.

`check` prints this report; the sync reads the same tables and refuses what it cannot use.
"""

from __future__ import annotations

from dataclasses import dataclass

from sow_sheets.model.schema import Schema, map_headers
from sow_sheets.model.sheet import Table
from sow_sheets.reading.form_reader import form_questions
from sow_sheets.reading.tab_reader import REQUIRED


@dataclass(frozen=True)
class TabCheck:
    """One tab's shape. ``problem`` says what to fix; empty when the tab can be used."""

    title: str
    present: bool
    rows: int = 0
    problem: str = ""


def check_tabs(tables: dict[str, Table], schema: Schema) -> list[TabCheck]:
    """A check per tab of the schema, in schema order."""
    checks = []
    for spec in schema.tabs:
        table = tables.get(spec.title)
        if table is None:
            needed = not (spec.worker or spec.optional)
            problem = "missing: run `sow-sheets init`" if needed else ""
            if spec.feeds:
                problem = "missing: link the form's responses to this tab (docs/forms.md)"
            checks.append(TabCheck(spec.title, False, problem=problem))
            continue
        hmap = map_headers(spec, table.header)
        required = form_questions(spec) if spec.feeds else REQUIRED.get(spec.key, ())
        lacking = [spec.column(k).header for k in required if k in hmap.missing]
        problem = ""
        if lacking:
            what = "questions" if spec.feeds else "columns"
            problem = f"missing required {what}: " + ", ".join(f'"{h}"' for h in lacking)
        checks.append(TabCheck(spec.title, True, max(len(table.rows) - 1, 0), problem))
    return checks
