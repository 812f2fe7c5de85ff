"""The Logboek tab: one row per run, only the last N kept (the one tab whose rows move)."""

from __future__ import annotations

from sow_sheets.model.cells import Cell, canonical, row_is_blank
from sow_sheets.model.schema import TabSpec
from sow_sheets.model.sheet import CellWrite, Table
from sow_sheets.sync.merge import column_positions


def logbook_writes(
    spec: TabSpec, fresh: Table | None, entry: dict[str, Cell], keep: int
) -> tuple[list[CellWrite], list[str] | None]:
    """Writes that append ``entry`` and drop the oldest rows beyond ``keep``.

    Returns the header too when the tab must be created.
    """
    if fresh is None or not fresh.rows:
        header: list[Cell] = list(spec.headers)
        new_header: list[str] | None = spec.headers
        rows: list[list[Cell]] = []
    else:
        header, new_header = list(fresh.rows[0]), None
        rows = [list(r) for r in fresh.rows[1:]]
    positions, writes = column_positions(spec, header, extend=new_header is None)
    line: list[Cell] = [None] * (max(positions.values(), default=-1) + 1)
    for key, value in entry.items():
        line[positions[key]] = value
    while rows and row_is_blank(rows[-1]):
        rows.pop()
    if len(rows) + 1 <= keep:
        target = len(rows) + 2
        return writes + [
            CellWrite(spec.title, target, col, value)
            for col, value in enumerate(line)
            if value is not None
        ], new_header
    # Shift: the kept rows move up; rows past the end are cleared.
    kept = [*rows[len(rows) - (keep - 1) :], line] if keep > 1 else [line]
    for offset in range(max(len(rows), len(kept))):
        old = rows[offset] if offset < len(rows) else []
        new = kept[offset] if offset < len(kept) else []
        for col in range(max(len(old), len(new))):
            before = old[col] if col < len(old) else None
            after = new[col] if col < len(new) else None
            if canonical(before) != canonical(after):
                writes.append(CellWrite(spec.title, offset + 2, col, after))
    return writes, new_header


def mail_note_writes(spec: TabSpec, fresh: Table | None, start: str, note: str) -> list[CellWrite]:
    """Writes that put ``note`` in the `E-mail` cell of the last Logboek row that started at
    ``start``, adding the column's header if missing; none when that row is gone."""
    if fresh is None or not fresh.rows:
        return []
    positions, writes = column_positions(spec, list(fresh.rows[0]), extend=True)
    column = positions["start"]
    for number in range(len(fresh.rows), 1, -1):
        if canonical(fresh.cell(number, column)) == start:
            return [*writes, CellWrite(spec.title, number, positions["mail"], note)]
    return []
