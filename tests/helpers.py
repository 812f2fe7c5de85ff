"""Helpers shared by tests: small real workbooks and their contents."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from sow_sheets.model.cells import Cell
from sow_sheets.model.schema import DEFAULT_SCHEMA

TODAY = dt.date(2026, 11, 27)


def headers(tab_key: str) -> list[Cell]:
    return list(DEFAULT_SCHEMA.tab(tab_key).headers)


def minimal_tables() -> dict[str, list[list[Cell]]]:
    """Every human tab with its header and no rows."""
    return {spec.title: [list(spec.headers)] for spec in DEFAULT_SCHEMA.human_tabs}


def read_workbook(path: Path) -> dict[str, list[list[Cell]]]:
    """Every tab's values as openpyxl sees them (formulas as their text)."""
    book = openpyxl.load_workbook(path)
    out = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}
    book.close()
    return out


def data_types(path: Path, tab: str) -> list[list[str]]:
    book = openpyxl.load_workbook(path)
    out = [[c.data_type for c in row] for row in book[tab].iter_rows()]
    book.close()
    return out


def tab_row(tab_key: str, **cells: object) -> list[Cell]:
    """A row for a human tab from header → value (missing headers stay empty)."""
    return [cells.get(str(h)) for h in headers(tab_key)]  # type: ignore[misc]


def tab_dicts(path: Path, title: str) -> list[dict[str, Cell]]:
    """A tab's data rows as header → value (an absent tab has none)."""
    rows = read_workbook(path).get(title, [[]])
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:]]  # type: ignore[arg-type]
