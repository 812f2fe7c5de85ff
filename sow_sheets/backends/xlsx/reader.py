"""Reading cell values fast with python-calamine (a Rust xlsx reader).

Values as the parsers expect them: text stays text (``007`` stays ``007``), whole numbers
become ``int``, date cells ``date``/``datetime``, time cells ``time``, formulas their stored
results; the row and column of every cell stay exact (empty leading rows and columns kept).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import cast

from python_calamine import CalamineSheet, CalamineWorkbook, SheetTypeEnum

from sow_sheets.model.cells import Cell, Row, is_blank
from sow_sheets.model.sheet import CellRange, Table


def read_tables(path: Path) -> dict[str, Table]:
    """Every worksheet of the workbook as a Table, trailing blanks trimmed.

    Calamine parses a sheet without holding the GIL, so two threads parse sheets (each with
    its own handle on the file, the first with the one that listed the sheets) while this
    one turns the parsed sheets into Tables.
    """
    book = CalamineWorkbook.from_path(str(path))
    try:
        names = [m.name for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    except BaseException:
        book.close()
        raise
    tables = {}
    with _Parsers(path, names, book) as parsed:
        for name in names:
            sheet = parsed.take(name)
            rows = sheet.to_python(skip_empty_area=False)
            tables[name] = Table(name, _trim(rows), _merged(name, sheet))
    return tables


class _Parsers:
    """Sheets parsed by background threads in the workbook's order, handed over as futures."""

    THREADS = 2

    def __init__(self, path: Path, names: list[str], book: CalamineWorkbook) -> None:
        """``book`` is already open: the first thread uses it (an open parses the shared
        strings, a large part of an Excel-saved workbook), the others open their own."""
        self.path = str(path)
        self.lock = threading.Lock()
        self.futures: dict[str, Future[CalamineSheet]] = {n: Future() for n in names}
        self.waiting = [(n, self.futures[n]) for n in reversed(names)]
        books: list[CalamineWorkbook | None] = [book] + [None] * (self.THREADS - 1)
        self.threads = [threading.Thread(target=self._work, args=(given,)) for given in books]

    def __enter__(self) -> _Parsers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self.lock:
            self.waiting.clear()  # after an error, parse nothing more
        for thread in self.threads:
            thread.join()

    def take(self, name: str) -> CalamineSheet:
        """The parsed sheet (waits for it); raises what parsing raised."""
        return self.futures.pop(name).result()

    def _next(self) -> tuple[str, Future[CalamineSheet]] | None:
        with self.lock:
            return self.waiting.pop() if self.waiting else None

    def _work(self, book: CalamineWorkbook | None) -> None:
        error: BaseException | None = None
        if book is None:
            try:
                book = CalamineWorkbook.from_path(self.path)
            except BaseException as exc:  # the sheets this thread takes carry the error
                error = exc
        try:
            while (job := self._next()) is not None:
                name, future = job
                try:
                    if book is None:
                        raise error or OSError(self.path)
                    future.set_result(book.get_sheet_by_name(name))
                except BaseException as exc:
                    future.set_exception(exc)
        finally:
            if book is not None:
                book.close()


def _merged(title: str, sheet: CalamineSheet) -> list[CellRange]:
    """The sheet's merged ranges (calamine: 0-based inclusive corners) as CellRanges, so the
    sync can refuse a tab with merged cells where it writes."""
    corners = sheet.merged_cell_ranges or []
    return [CellRange(title, r0 + 1, r1 + 1, c0, c1) for (r0, c0), (r1, c1) in corners]


def cell_value(value: object) -> Cell:
    """One calamine value as a ``Cell``."""
    if isinstance(value, str):
        return value if value else None
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, int | dt.date | dt.time):
        return value
    if value is None:
        return None
    return str(value)


# Calamine's types that are already ``Cell`` values (dates, times, whole numbers, booleans).
_AS_IS = frozenset({dt.date, dt.datetime, dt.time, int, bool})


def _trim(rows: Sequence[Sequence[object]]) -> list[Row]:
    """Cells converted; trailing blank cells of each row and trailing blank rows dropped."""
    out: list[Row] = []
    for raw in rows:
        # The common cases inline (this runs for every cell of the workbook): text as is,
        # "" as empty, whole floats as int, dates and ints as they are (mypy cannot narrow
        # ``type(v) in _AS_IS``, hence the cast); anything else through ``cell_value``.
        row = cast(
            Row,
            [
                (v or None)
                if type(v) is str
                else (int(v) if v.is_integer() and -(2**53) < v < 2**53 else v)
                if type(v) is float
                else v
                if type(v) in _AS_IS
                else cell_value(v)
                for v in raw
            ],
        )
        end = len(row)
        while end and is_blank(row[end - 1]):
            end -= 1
        del row[end:]
        out.append(row)
    while out and not out[-1]:
        out.pop()
    return out
