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


def _open_rows(spec: TabSpec, table: Table | None, column: str) -> list[tuple[int, int, str]]:
    """Open, undecided rows of a proposal tab: (sheet row, Besluit position, ``column``'s text)."""
    if table is None or not table.rows:
        return []
    hmap = map_headers(spec, table.header)
    status, decision, wanted = (hmap.positions.get(k) for k in ("status", "decision", column))
    if status is None or decision is None or wanted is None:
        return []
    out = []
    for number, row in enumerate(table.rows[1:], start=2):
        cells = [canonical(v) for v in row] + [""] * (len(table.header) - len(row))
        if cells[status] == "open" and not cells[decision]:
            out.append((number, decision, cells[wanted]))
    return out


def coordinator_decisions(spec: TabSpec, table: Table | None) -> list[CellWrite]:
    """Besluit cells for the best open undecided proposals: two accepted, one rejected."""
    best = sorted(_open_rows(spec, table, "score"), key=lambda r: (-float(r[2] or 0), r[0]))
    choices = ["akkoord", "akkoord", "afgewezen"]
    return [
        CellWrite(spec.title, number, decision, verdict)
        for (number, decision, _), verdict in zip(best, choices, strict=False)
    ]


def help_decisions(spec: TabSpec, table: Table | None) -> list[CellWrite]:
    """`akkoord` on the first open, undecided Rang 1 proposal (the tab lists urgent ones first)."""
    for number, decision, rank in _open_rows(spec, table, "rank"):
        if rank == "1":
            return [CellWrite(spec.title, number, decision, "akkoord")]
    return []
