"""The write plan: merge desired worker rows into freshly re-read tabs, cell by cell.

Only cells whose value differs are written, so a second sync with no edits writes nothing
(besides its Logboek row). Positions come from the re-read right before the write; values are
compared with the first read, by key, so a human who sorts a worker tab loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sow_sheets.model.cells import Cell, canonical, is_blank
from sow_sheets.model.schema import TabSpec, map_headers
from sow_sheets.model.sheet import CellRange, CellWrite, Table
from sow_sheets.model.worktab import Desired, WorkerRow
from sow_sheets.reading.validation import IdFill


@dataclass(frozen=True)
class TabState:
    """A worker tab as re-read: header row, the key column and the human columns."""

    spec: TabSpec
    header: list[Cell]
    keys: dict[str, int]  # key → sheet row (first occurrence)
    last_row: int  # last sheet row holding anything in the re-read columns (1 = header only)


def reread_ranges(spec: TabSpec, table: Table | None) -> list[CellRange]:
    """What to re-read of a worker tab before writing: header, key column, human columns."""
    if table is None:
        return [CellRange(spec.title, 1, 1)]
    hmap = map_headers(spec, table.header)
    columns = [hmap.positions.get(spec.key_column.key)] + [
        hmap.positions.get(c.key) for c in spec.columns if c.human
    ]
    ranges = [CellRange(spec.title, 1, 1)]
    for col in sorted({c for c in columns if c is not None}):
        ranges.append(CellRange(spec.title, 2, None, col, col))
    return ranges


def tab_state(spec: TabSpec, fresh: list[Table], first: Table | None) -> TabState | None:
    """Combine the re-read rectangles of one tab (as ``reread_ranges`` asked) into a state."""
    if not fresh or not fresh[0].rows:
        return None
    header = list(fresh[0].rows[0])
    hmap = map_headers(spec, header)
    key_col = hmap.positions.get(spec.key_column.key)
    keys: dict[str, int] = {}
    last = max(1, len(first.rows) if first else 1)
    ranges = reread_ranges(spec, first)[1:]
    for rng, table in zip(ranges, fresh[1:], strict=False):
        for offset, row in enumerate(table.rows):
            value = row[0] if row else None
            if is_blank(value):
                continue
            sheet_row = rng.first_row + offset
            last = max(last, sheet_row)
            if rng.first_col == key_col:
                keys.setdefault(canonical(value), sheet_row)
    return TabState(spec, header, keys, last)


def column_positions(
    spec: TabSpec, header: list[Cell], extend: bool
) -> tuple[dict[str, int], list[CellWrite]]:
    """Where each column of ``spec`` is (0-based); missing ones go after the last header.

    With ``extend``, also the writes that add the missing headers to an existing tab's row 1.
    """
    hmap = map_headers(spec, header)
    positions = dict(hmap.positions)
    writes = []
    width = len(header)
    for key in hmap.missing:
        positions[key] = width
        if extend:
            writes.append(CellWrite(spec.title, 1, width, spec.column(key).header))
        width += 1
    return positions, writes


def merge_writes(
    spec: TabSpec,
    state: TabState | None,
    before: list[WorkerRow],
    desired: Desired,
) -> tuple[list[CellWrite], list[str] | None]:
    """Cell writes that bring a worker tab to ``desired``; and the header if the tab is new.

    Human columns are written only in rows this call creates; existing rows keep every human
    cell. Columns missing from the header are added at its end.
    """
    new_header: list[str] | None = None
    if state is None:
        new_header = spec.headers
        header: list[Cell] = list(new_header)
        keys: dict[str, int] = {}
        last = 1
    else:
        header, keys, last = list(state.header), dict(state.keys), state.last_row
    positions, writes = column_positions(spec, header, extend=new_header is None)
    human = {c.key for c in spec.columns if c.human}
    old = {row.key: row for row in before}
    key_col = positions[spec.key_column.key]
    for key, values in desired.items():
        row_number = keys.get(key)
        if row_number is None:
            last += 1
            keys[key] = last
            writes.append(CellWrite(spec.title, last, key_col, key))
            for column, value in values.items():
                if not is_blank(value) and column != spec.key_column.key:
                    writes.append(CellWrite(spec.title, last, positions[column], value))
            continue
        previous = old.get(key)
        for column, value in values.items():
            if column in human or column == spec.key_column.key:
                continue
            current = previous.get(column) if previous else None
            if canonical(value) != canonical(current):
                writes.append(CellWrite(spec.title, row_number, positions[column], value))
    return writes, new_header


def id_fill_writes(fills: list[IdFill], fresh: list[Table]) -> list[CellWrite]:
    """The ID fills whose row is unchanged on re-read (and whose key cell is still empty)."""
    writes = []
    for fill, table in zip(fills, fresh, strict=True):
        now = tuple(canonical(v) for v in (table.rows[0] if table.rows else []))
        width = max(len(now), len(fill.original))
        if now + ("",) * (width - len(now)) == fill.original + ("",) * (width - len(fill.original)):
            writes.append(CellWrite(fill.tab, fill.row, fill.col, fill.value))
    # A form's ID header that cannot be written takes its tab's IDs with it (docs/forms.md).
    headless = {f.tab for f in fills if f.row == 1} - {w.tab for w in writes if w.row == 1}
    return [w for w in writes if w.tab not in headless]


def id_fill_ranges(fills: list[IdFill]) -> list[CellRange]:
    """One row rectangle per ID fill, to re-read right before the write."""
    return [
        CellRange(f.tab, f.row, f.row)
        if f.whole_row
        else CellRange(f.tab, f.row, f.row, f.col, f.col)
        for f in fills
    ]
