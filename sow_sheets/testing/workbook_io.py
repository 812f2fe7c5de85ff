"""Seed the emulator from a plain dict or an xlsx workbook, and export it back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sow_sheets.testing.cellvalues import StoredCell, evaluate, from_serial, number, to_serial
from sow_sheets.testing.model import DEFAULT_COLS, DEFAULT_ROWS, Sheet, Spreadsheet

Rows = list[list[Any]]


def stored(value: Any) -> StoredCell | None:
    """A Python value as a stored cell: dates become serials with a date format."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return StoredCell(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return StoredCell(number(to_serial(value)), pattern="yyyy-mm-dd")
        return StoredCell(to_serial(value), pattern="yyyy-mm-dd hh:mm:ss")
    if isinstance(value, dt.date):
        return StoredCell(number(to_serial(value)), pattern="yyyy-mm-dd")
    if isinstance(value, dt.time):
        return StoredCell(to_serial(value), pattern="hh:mm:ss")
    if isinstance(value, int | float):
        return StoredCell(number(value))
    return StoredCell(str(value))


def python_value(cell: StoredCell | None) -> Any:
    """A stored cell as a Python value: date-formatted serials become dates again."""
    if cell is None:
        return None
    value = cell.value
    if cell.pattern and isinstance(value, int | float) and not isinstance(value, bool):
        moment = from_serial(float(value))
        if cell.pattern == "hh:mm:ss":
            return moment.time()
        if moment.time() == dt.time(0) and "hh" not in cell.pattern:
            return moment.date()
        return moment
    return value


def fill_sheet(book: Spreadsheet, title: str, rows: Rows) -> Sheet:
    width = max((len(r) for r in rows), default=0)
    sheet = book.add_sheet(title, rows=max(DEFAULT_ROWS, len(rows)), cols=max(DEFAULT_COLS, width))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.put(r, c, stored(value))
    return sheet


def sheet_rows(sheet: Sheet) -> Rows:
    """The sheet's used rectangle as Python values, trailing blanks trimmed."""
    out: Rows = []
    for row in sheet.rows:
        values = [python_value(cell) for cell in row]
        while values and values[-1] is None:
            values.pop()
        out.append(values)
    while out and not out[-1]:
        out.pop()
    return out


def seed_from_xlsx(book: Spreadsheet, path: Path) -> None:
    """Copy every worksheet's cells; formulas stay formulas, dates become date serials."""
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    try:
        for ws in workbook.worksheets:
            rows: Rows = [list(r) for r in ws.iter_rows(values_only=True)]
            sheet = fill_sheet(book, ws.title, rows)
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f" and isinstance(cell.value, str):
                        sheet.put(
                            cell.row - 1,
                            cell.column - 1,
                            StoredCell(evaluate(cell.value), formula=cell.value),
                        )
            if ws.freeze_panes:
                frozen = ws[ws.freeze_panes].row - 1
                if frozen:
                    sheet.grid["frozenRowCount"] = frozen
    finally:
        workbook.close()


def export_to_xlsx(book: Spreadsheet, path: Path) -> None:
    """Write every tab; strings stay literal strings even when they look like formulas."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for sheet in book.sheets:
        ws = workbook.create_sheet(sheet.title)
        for r, row in enumerate(sheet.rows):
            for c, cell in enumerate(row):
                if cell is None:
                    continue
                target = ws.cell(row=r + 1, column=c + 1)
                if cell.formula is not None:
                    target.value = cell.formula
                    continue
                value = python_value(cell)
                target.value = value
                if isinstance(value, str):
                    target.data_type = "s"
                elif isinstance(value, dt.datetime):
                    target.number_format = "yyyy-mm-dd hh:mm:ss"
                elif isinstance(value, dt.date):
                    target.number_format = "yyyy-mm-dd"
        frozen = int(sheet.grid.get("frozenRowCount", 0))
        if frozen:
            ws.freeze_panes = f"A{frozen + 1}"
    workbook.save(path)
