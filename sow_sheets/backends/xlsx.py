"""The local workbook backend (openpyxl): the embedded default, no account, no network.

Writes are atomic: the new workbook is written to a temporary file beside the original and
renamed over it, so a crash or kill leaves either the old or the new workbook. Every string is
stored as a literal string: text such as ``=HYPERLINK(...)`` never becomes a formula.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from sow_sheets.backends.xlsx_format import apply_layout, apply_look, like_its_column
from sow_sheets.model.cells import Cell, Row, is_blank
from sow_sheets.model.errors import BackendError, SheetAccessError, WorkbookLockedError
from sow_sheets.model.layout import tab_layout
from sow_sheets.model.schema import Schema
from sow_sheets.model.sheet import CellRange, CellWrite, Table, WritePlan

# openpyxl refuses these control characters in cell text (XML 1.0 forbids them).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
DATE_FORMAT = "DD-MM-YYYY"


def lock_files(path: Path) -> list[Path]:
    """Lock files Excel (``~$name``) and LibreOffice (``.~lock.name#``) keep beside an open file."""
    candidates = [path.with_name("~$" + path.name), path.with_name(f".~lock.{path.name}#")]
    if len(path.name) > 2:
        # Excel shortens long names: ~$ replaces the first two characters.
        candidates.append(path.with_name("~$" + path.name[2:]))
    return [p for p in candidates if p.exists()]


def _trim(rows: list[Row]) -> list[Row]:
    """Drop trailing blank cells of each row and trailing blank rows, like Google does."""
    out: list[Row] = []
    for row in rows:
        end = len(row)
        while end and is_blank(row[end - 1]):
            end -= 1
        out.append(list(row[:end]))
    while out and not out[-1]:
        out.pop()
    return out


def _cell_value(value: Any) -> Cell:
    if isinstance(value, str | int | float | bool | dt.date | dt.time) or value is None:
        return value
    return str(value)


class XlsxBackend:
    """A workbook on disk. ``read`` loads it once; ``reread`` reuses that unless it changed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._cache: tuple[tuple[float, int], dict[str, Table]] | None = None

    def target(self) -> str:
        return f"workbook {self.path.name}"

    def _stamp(self) -> tuple[float, int]:
        stat = self.path.stat()
        return stat.st_mtime, stat.st_size

    def _load(self, **options: Any) -> openpyxl.Workbook:
        if not self.path.exists():
            raise SheetAccessError(
                f"workbook {self.path} does not exist; create it with "
                f"`sow-sheets demo {self.path}` or `sow-sheets init --workbook {self.path}`"
            )
        try:
            return openpyxl.load_workbook(self.path, **options)
        except PermissionError:
            raise SheetAccessError(
                f"workbook {self.path} cannot be read: permission denied"
            ) from None
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
            raise SheetAccessError(
                f"workbook {self.path} is not a readable .xlsx file ({type(exc).__name__})"
            ) from None

    def read(self) -> dict[str, Table]:
        stamp = self._stamp() if self.path.exists() else (0.0, 0)
        book = self._load(read_only=True, data_only=True)
        try:
            tables = {
                ws.title: Table(
                    ws.title,
                    _trim(
                        [[_cell_value(v) for v in row] for row in ws.iter_rows(values_only=True)]
                    ),
                )
                for ws in book.worksheets
            }
        finally:
            book.close()
        self._cache = (stamp, tables)
        return tables

    def reread(self, ranges: list[CellRange]) -> list[Table]:
        if self._cache is None or self._cache[0] != self._stamp():
            self.read()
        assert self._cache is not None
        tables = self._cache[1]
        out = []
        for rng in ranges:
            table = tables.get(rng.tab, Table(rng.tab))
            last_row = rng.last_row if rng.last_row is not None else len(table.rows)
            rows = []
            for row in table.rows[rng.first_row - 1 : last_row]:
                end = None if rng.last_col is None else rng.last_col + 1
                rows.append(list(row[rng.first_col : end]))
            out.append(Table(rng.tab, rows))
        return out

    def write(self, plan: WritePlan) -> None:
        if not plan:
            return
        self._check_not_open()
        book = self._load()
        for title, header in plan.new_tabs:
            if title not in book.sheetnames:
                ws = _new_sheet(book, title, header)
                if title in plan.layouts:
                    apply_layout(book, ws, plan.layouts[title])
        for write in plan.cells:
            if write.tab not in book.sheetnames:
                raise BackendError(f'tab "{write.tab}" disappeared before the write; run again')
            _put(book[write.tab], write)
        for title, look in plan.looks.items():
            if title in book.sheetnames:
                apply_look(book[title], look)
        self._save(book)

    def setup(self, schema: Schema) -> list[str]:
        created_file = not self.path.exists()
        if created_file:
            book = openpyxl.Workbook()
            default = book.active
        else:
            self._check_not_open()
            book = self._load()
            default = None
        created = []
        for spec in schema.tabs:
            if spec.title not in book.sheetnames:
                _new_sheet(book, spec.title, spec.headers)
                created.append(spec.title)
            ws = book[spec.title]
            apply_layout(book, ws, tab_layout(spec, [c.value for c in ws[1]]))
        if default is not None and default.title not in {t.title for t in schema.tabs}:
            book.remove(default)
        self._save(book)
        return created

    def _check_not_open(self) -> None:
        locks = lock_files(self.path)
        if locks:
            raise WorkbookLockedError(
                f"workbook {self.path.name} is open in Excel or LibreOffice (lock file "
                f"{locks[0].name}); close it and run again (delete the lock file if nothing "
                "has the workbook open)"
            )

    def _save(self, book: openpyxl.Workbook) -> None:
        save_atomically(book, self.path)
        self._cache = None


def save_atomically(book: openpyxl.Workbook, path: Path) -> None:
    """Write beside ``path``, fsync, then rename over it: never a half-written workbook."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            book.save(handle)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except PermissionError:
        raise BackendError(f"workbook {path} cannot be written: permission denied") from None
    except OSError as exc:
        raise BackendError(f"workbook {path} cannot be written: {exc.strerror}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _new_sheet(book: openpyxl.Workbook, title: str, header: list[str]) -> Worksheet:
    ws: Worksheet = book.create_sheet(title)
    for col, text in enumerate(header, start=1):
        cell = ws.cell(1, col)
        cell.value = text
        cell.data_type = "s"
        cell.font = Font(bold=True)
        ws.column_dimensions[get_column_letter(col)].width = max(12, min(40, len(text) + 4))
    ws.freeze_panes = "A2"
    return ws


def _put(ws: Worksheet, write: CellWrite) -> None:
    cell = ws.cell(write.row, write.col + 1)
    like_its_column(ws, cell, write.value)
    value = write.value
    if isinstance(value, str) and not value:
        cell.value = None
    elif isinstance(value, str):
        cell.value = _ILLEGAL.sub("", value)
        # Literal text, always: openpyxl would otherwise store "=..." as a formula.
        cell.data_type = "s"
    elif isinstance(value, dt.date | dt.datetime):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif value is None:
        cell.value = None
    else:
        cell.value = value


def write_new_workbook(path: Path, tables: dict[str, list[Row]]) -> None:
    """Create a workbook from tab title → rows (row 0 is the header), saved atomically."""
    book = openpyxl.Workbook()
    default = book.active
    for title, rows in tables.items():
        ws = _new_sheet(book, title, [str(v) for v in rows[0]])
        for r, row in enumerate(rows[1:], start=2):
            for c, value in enumerate(row):
                if not is_blank(value):
                    _put(ws, CellWrite(title, r, c, value))
    if default is not None:
        book.remove(default)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_atomically(book, path)
