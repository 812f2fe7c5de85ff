"""spreadsheets.values.*: get, batchGet, update, batchUpdate, clear, batchClear, append."""

from __future__ import annotations

from typing import Any

from sow_sheets.testing.a1 import format_range
from sow_sheets.testing.cellvalues import StoredCell, from_raw, from_user_entered, render
from sow_sheets.testing.faults import ApiError
from sow_sheets.testing.model import Sheet, Spreadsheet

Params = dict[str, list[str]]
INPUT_OPTIONS = ("RAW", "USER_ENTERED")
RENDER_OPTIONS = ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA")
DATE_OPTIONS = ("SERIAL_NUMBER", "FORMATTED_STRING")


def _one(params: Params, name: str, default: str, allowed: tuple[str, ...]) -> str:
    value = params.get(name, [default])[-1]
    if value not in allowed:
        raise ApiError(400, f"Invalid value at '{name}' ({value})")
    return value


def _read(book: Spreadsheet, text: str, params: Params) -> dict[str, Any]:
    value_option = _one(params, "valueRenderOption", "FORMATTED_VALUE", RENDER_OPTIONS)
    date_option = _one(params, "dateTimeRenderOption", "SERIAL_NUMBER", DATE_OPTIONS)
    major = _one(params, "majorDimension", "ROWS", ("ROWS", "COLUMNS"))
    sheet, (r0, r1, c0, c1) = book.rect(text)
    grid: list[list[Any]] = []
    for r in range(r0, min(r1, len(sheet.rows))):
        row = sheet.rows[r]
        out: list[Any] = []
        for c in range(c0, min(c1, len(row))):
            cell = row[c]
            out.append("" if cell is None else render(cell, value_option, date_option))
        grid.append(out)
    if major == "COLUMNS":
        width = max((len(row) for row in grid), default=0)
        grid = [[row[c] if c < len(row) else "" for row in grid] for c in range(width)]
    grid = [_trim(row) for row in grid]
    while grid and not grid[-1]:
        grid.pop()
    reply: dict[str, Any] = {
        "range": format_range(sheet.title, r0, r1, c0, c1),
        "majorDimension": major,
    }
    if grid:
        reply["values"] = grid
    return reply


def _trim(row: list[Any]) -> list[Any]:
    end = len(row)
    while end and row[end - 1] == "":
        end -= 1
    return row[:end]


def values_get(book: Spreadsheet, text: str, params: Params) -> dict[str, Any]:
    return _read(book, text, params)


def values_batch_get(book: Spreadsheet, params: Params) -> dict[str, Any]:
    ranges = params.get("ranges", [])
    reply: dict[str, Any] = {"spreadsheetId": book.spreadsheet_id}
    if ranges:
        reply["valueRanges"] = [_read(book, text, params) for text in ranges]
    return reply


class _Skip:
    """JSON null in a write: leave the cell as it is (Google neither writes nor counts it)."""


SKIP = _Skip()
Input = StoredCell | None | _Skip


def _convert(values: Any, option: str, locale: str) -> list[list[Input]]:
    if not isinstance(values, list) or not all(isinstance(row, list) for row in values):
        raise ApiError(
            400,
            "Invalid value at 'data.values' (type.googleapis.com/google.protobuf.ListValue), "
            f'"{values}"',
        )
    if option == "RAW":
        return [[SKIP if v is None else from_raw(v) for v in row] for row in values]
    return [[SKIP if v is None else from_user_entered(v, locale) for v in row] for row in values]


class _Write:
    """One validated write, applied only after every write of the request validated."""

    def __init__(self, book: Spreadsheet, text: str, body: dict[str, Any], option: str) -> None:
        sheet, bounds = book.resolve(text)
        cells = _convert(body.get("values", []), option, book.locale)
        if body.get("majorDimension") == "COLUMNS":
            width = max((len(col) for col in cells), default=0)
            cells = [[col[r] if r < len(col) else SKIP for col in cells] for r in range(width)]
        self.sheet: Sheet = sheet
        self.r0 = bounds.start_row or 0
        self.c0 = bounds.start_col or 0
        self.cells = cells
        self.rows = len(cells)
        self.cols = max((len(row) for row in cells), default=0)
        limit_rows = None if bounds.end_row is None else bounds.end_row - self.r0
        limit_cols = None if bounds.end_col is None else bounds.end_col - self.c0
        if limit_rows == 1 and limit_cols == 1:  # a single cell is only an anchor
            limit_rows = limit_cols = None
        wanted = format_range(
            sheet.title, self.r0, self.r0 + max(self.rows, 1), self.c0, self.c0 + max(self.cols, 1)
        )
        if (limit_rows is not None and self.rows > limit_rows) or (
            limit_cols is not None and self.cols > limit_cols
        ):
            raise ApiError(
                400,
                f"Requested writing within range [{text}], but tried writing to {wanted}",
            )
        if self.r0 + self.rows > sheet.row_count or self.c0 + self.cols > sheet.col_count:
            raise ApiError(
                400,
                f"Range ({wanted}) exceeds grid limits. Max rows: {sheet.row_count}, "
                f"max columns: {sheet.col_count}",
            )

    def apply(self, book: Spreadsheet) -> dict[str, Any]:
        rows: set[int] = set()
        cols: set[int] = set()
        for i, row in enumerate(self.cells):
            for j, cell in enumerate(row):
                if not isinstance(cell, _Skip):
                    self.sheet.put(self.r0 + i, self.c0 + j, cell)
                    rows.add(i)
                    cols.add(j)
        reply: dict[str, Any] = {"spreadsheetId": book.spreadsheet_id}
        if self.rows and self.cols:
            reply.update(
                updatedRange=format_range(
                    self.sheet.title, self.r0, self.r0 + self.rows, self.c0, self.c0 + self.cols
                ),
                updatedRows=len(rows),
                updatedColumns=len(cols),
                updatedCells=sum(1 for row in self.cells for c in row if not isinstance(c, _Skip)),
            )
        return reply


def _input_option(value: str | None) -> str:
    if not value:
        raise ApiError(400, "'valueInputOption' is required but not specified")
    if value not in INPUT_OPTIONS:
        raise ApiError(400, f"Invalid value at 'value_input_option' ({value})")
    return value


def values_update(
    book: Spreadsheet, text: str, params: Params, body: dict[str, Any]
) -> dict[str, Any]:
    option = _input_option(params.get("valueInputOption", [""])[-1])
    return _Write(book, text, body, option).apply(book)


def values_batch_update(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    option = _input_option(body.get("valueInputOption"))
    writes = [
        _Write(book, str(item.get("range", "")), item, option) for item in body.get("data", [])
    ]
    responses = [w.apply(book) for w in writes]
    done = [r for r in responses if "updatedCells" in r]
    reply: dict[str, Any] = {"spreadsheetId": book.spreadsheet_id}
    if done:
        reply.update(
            totalUpdatedRows=sum(r["updatedRows"] for r in done),
            totalUpdatedColumns=max(r["updatedColumns"] for r in done),
            totalUpdatedCells=sum(r["updatedCells"] for r in done),
            totalUpdatedSheets=len({w.sheet.sheet_id for w in writes if w.rows}),
        )
    if responses:
        reply["responses"] = responses
    return reply


def _clear(book: Spreadsheet, text: str) -> str:
    sheet, (r0, r1, c0, c1) = book.rect(text)
    for r in range(r0, min(r1, len(sheet.rows))):
        row = sheet.rows[r]
        for c in range(c0, min(c1, len(row))):
            row[c] = None
    return format_range(sheet.title, r0, r1, c0, c1)


def values_clear(book: Spreadsheet, text: str) -> dict[str, Any]:
    return {"spreadsheetId": book.spreadsheet_id, "clearedRange": _clear(book, text)}


def values_batch_clear(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    ranges = [str(r) for r in body.get("ranges", [])]
    for text in ranges:
        book.rect(text)
    return {
        "spreadsheetId": book.spreadsheet_id,
        "clearedRanges": [_clear(book, text) for text in ranges],
    }


def _table(sheet: Sheet, r0: int, c0: int) -> tuple[int, int] | None:
    """The data table at a corner: columns run right while the first row has values, rows run
    down while any of those columns has a value. None when the corner is empty."""
    if sheet.get(r0, c0) is None:
        return None
    c1 = c0
    while sheet.get(r0, c1) is not None:
        c1 += 1
    r1 = r0
    while any(sheet.get(r1, c) is not None for c in range(c0, c1)):
        r1 += 1
    return r1, c1


def values_append(
    book: Spreadsheet, text: str, params: Params, body: dict[str, Any]
) -> dict[str, Any]:
    """Append after the table found at the range; the sheet grows as needed."""
    option = _input_option(params.get("valueInputOption", [""])[-1])
    sheet, bounds = book.resolve(text)
    r0 = bounds.start_row or 0
    c0 = bounds.start_col or 0
    table = _table(sheet, r0, c0)
    reply: dict[str, Any] = {"spreadsheetId": book.spreadsheet_id}
    start = r0
    if table is not None:
        reply["tableRange"] = format_range(sheet.title, r0, table[0], c0, table[1])
        start = table[0]
    values = body.get("values", [])
    rows = len(values) if isinstance(values, list) else 0
    cols = max((len(r) for r in values if isinstance(r, list)), default=0) if rows else 0
    book.grow(sheet, start + rows, c0 + cols)
    target = format_range(sheet.title, start, start + max(rows, 1), c0, c0 + max(cols, 1))
    reply["updates"] = values_update(book, target, {"valueInputOption": [option]}, body)
    return reply
