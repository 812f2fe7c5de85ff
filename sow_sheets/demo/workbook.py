"""`sow-sheets demo`: write the synthetic Zoetermeer workbook, and play the coordinator.

``--decide`` types what a coordinator would: `akkoord` on the two best open proposals and
`afgewezen` on the next one, so the second demo step shows decisions flowing into Koppelingen;
and in Hulpvoorstellen `akkoord` on the first choice of the most urgent request.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sow_sheets.backends.xlsx import write_new_workbook
from sow_sheets.demo.data import demo_tables
from sow_sheets.model.cells import canonical
from sow_sheets.model.schema import TabSpec, map_headers
from sow_sheets.model.sheet import CellWrite, Table


def write_demo(path: Path, today: dt.date, seed: int) -> None:
    """Write the demo workbook for ``today``; dates in it are relative to that day."""
    write_new_workbook(path, demo_tables(today, seed))


def coordinator_decisions(spec: TabSpec, table: Table | None) -> list[CellWrite]:
    """Besluit cells for the best open undecided proposals: two accepted, one rejected."""
    if table is None or not table.rows:
        return []
    hmap = map_headers(spec, table.header)
    status, decision, score = (hmap.positions.get(k) for k in ("status", "decision", "score"))
    if status is None or decision is None or score is None:
        return []
    open_rows = []
    for number, row in enumerate(table.rows[1:], start=2):
        cells = [canonical(v) for v in row] + [""] * (len(table.header) - len(row))
        if cells[status] == "open" and not cells[decision]:
            open_rows.append((-float(cells[score] or 0), number))
    open_rows.sort()
    choices = ["akkoord", "akkoord", "afgewezen"]
    return [
        CellWrite(spec.title, number, decision, verdict)
        for (_, number), verdict in zip(open_rows, choices, strict=False)
    ]


def help_decisions(spec: TabSpec, table: Table | None) -> list[CellWrite]:
    """`akkoord` on the first open, undecided Rang 1 proposal (the tab lists urgent ones first)."""
    if table is None or not table.rows:
        return []
    hmap = map_headers(spec, table.header)
    status, decision, rank = (hmap.positions.get(k) for k in ("status", "decision", "rank"))
    if status is None or decision is None or rank is None:
        return []
    for number, row in enumerate(table.rows[1:], start=2):
        cells = [canonical(v) for v in row] + [""] * (len(table.header) - len(row))
        if cells[status] == "open" and not cells[decision] and cells[rank] == "1":
            return [CellWrite(spec.title, number, decision, "akkoord")]
    return []
