"""The in-memory spreadsheet: tabs with a grid of stored cells and their sheet-level extras."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from sow_sheets.testing.a1 import Bounds, ParsedRange, format_range, parse_range
from sow_sheets.testing.cellvalues import StoredCell
from sow_sheets.testing.faults import ApiError

MAX_CELLS = 10_000_000
MAX_COLUMNS = 18_278  # column ZZZ
DEFAULT_ROWS = 1000
DEFAULT_COLS = 26


@dataclass
class Sheet:
    """One tab. ``rows`` is ragged: only up to the last stored cell of each row."""

    properties: dict[str, Any]
    rows: list[list[StoredCell | None]] = field(default_factory=list)
    protected_ranges: list[dict[str, Any]] = field(default_factory=list)
    conditional_formats: list[dict[str, Any]] = field(default_factory=list)
    developer_metadata: list[dict[str, Any]] = field(default_factory=list)
    # setDataValidation calls in order: {"range": GridRange, "rule": rule or None}
    validations: list[dict[str, Any]] = field(default_factory=list)
    merges: list[dict[str, Any]] = field(default_factory=list)
    # How the tab looks: "basicFilter", "filterViews", "charts", "columnSizes" (column ->
    # pixels) and "formats" (repeatCell calls in order: {"range", "format", "fields"}).
    looks: dict[str, Any] = field(default_factory=dict)

    @property
    def sheet_id(self) -> int:
        return int(self.properties["sheetId"])

    @property
    def title(self) -> str:
        return str(self.properties["title"])

    @property
    def grid(self) -> dict[str, Any]:
        grid: dict[str, Any] = self.properties.setdefault("gridProperties", {})
        return grid

    @property
    def row_count(self) -> int:
        return int(self.grid.get("rowCount", DEFAULT_ROWS))

    @property
    def col_count(self) -> int:
        return int(self.grid.get("columnCount", DEFAULT_COLS))

    def bounds(self, rng: dict[str, Any]) -> tuple[int, int, int, int]:
        """A GridRange's rows and columns (0-based, ends exclusive); open ends reach the
        grid's edge, as in Sheets."""
        return (
            int(rng.get("startRowIndex", 0)),
            int(rng.get("endRowIndex", self.row_count)),
            int(rng.get("startColumnIndex", 0)),
            int(rng.get("endColumnIndex", self.col_count)),
        )

    def resize(self, rows: int, cols: int) -> None:
        """Set the grid size; cells outside it are dropped, as in Sheets."""
        self.grid["rowCount"] = rows
        self.grid["columnCount"] = cols
        del self.rows[rows:]
        for row in self.rows:
            del row[cols:]

    def validation(self, r: int, c: int) -> dict[str, Any] | None:
        """The data validation rule on a cell: the last one set on a range holding it."""
        for item in reversed(self.validations):
            rng = item["range"]
            if rng.get("startRowIndex", 0) <= r < rng.get(
                "endRowIndex", self.row_count
            ) and rng.get("startColumnIndex", 0) <= c < rng.get("endColumnIndex", self.col_count):
                rule: dict[str, Any] | None = item["rule"]
                return rule
        return None

    def get(self, r: int, c: int) -> StoredCell | None:
        if r < len(self.rows):
            row = self.rows[r]
            if c < len(row):
                return row[c]
        return None

    def put(self, r: int, c: int, cell: StoredCell | None) -> None:
        if cell is None:
            if r < len(self.rows) and c < len(self.rows[r]):
                self.rows[r][c] = None
            return
        while len(self.rows) <= r:
            self.rows.append([])
        row = self.rows[r]
        if len(row) <= c:
            row.extend([None] * (c + 1 - len(row)))
        row[c] = cell

    def used(self) -> tuple[int, int]:
        """(rows, cols) of the smallest rectangle from A1 holding every non-empty cell."""
        last_row = 0
        last_col = 0
        for r, row in enumerate(self.rows):
            cols = [c for c, cell in enumerate(row) if cell is not None]
            if cols:
                last_row = r + 1
                last_col = max(last_col, cols[-1] + 1)
        return last_row, last_col

    def delete_rows(self, start: int, end: int) -> None:
        del self.rows[start:end]
        self.grid["rowCount"] = self.row_count - (end - start)

    def delete_cols(self, start: int, end: int) -> None:
        for row in self.rows:
            del row[start:end]
        self.grid["columnCount"] = self.col_count - (end - start)


@dataclass
class Spreadsheet:
    """One spreadsheet file: its properties, tabs and spreadsheet-level metadata."""

    spreadsheet_id: str
    title: str = "Naamloze spreadsheet"
    locale: str = "en_US"
    time_zone: str = "Etc/GMT"
    sheets: list[Sheet] = field(default_factory=list)
    developer_metadata: list[dict[str, Any]] = field(default_factory=list)
    next_ids: dict[str, int] = field(default_factory=dict)
    # Ids handed to the next addSheet requests that name none (Google picks at random).
    pending_sheet_ids: list[int] = field(default_factory=list)

    def snapshot(self) -> Spreadsheet:
        """A copy to apply a batch to (Google applies all of a batch or none): cells are
        shared, not copied, since requests replace cells and never change one in place."""
        sheets = [
            Sheet(
                copy.deepcopy(s.properties),
                [list(row) for row in s.rows],
                copy.deepcopy(s.protected_ranges),
                copy.deepcopy(s.conditional_formats),
                copy.deepcopy(s.developer_metadata),
                list(s.validations),
                copy.deepcopy(s.merges),
                copy.deepcopy(s.looks),
            )
            for s in self.sheets
        ]
        return Spreadsheet(
            self.spreadsheet_id,
            self.title,
            self.locale,
            self.time_zone,
            sheets,
            copy.deepcopy(self.developer_metadata),
            dict(self.next_ids),
            list(self.pending_sheet_ids),
        )

    def new_id(self, kind: str) -> int:
        """A fresh id for protected ranges, metadata and the like (unique per kind)."""
        value = self.next_ids.get(kind, 1000) + 1
        self.next_ids[kind] = value
        return value

    def add_sheet(
        self,
        title: str,
        sheet_id: int | None = None,
        rows: int = DEFAULT_ROWS,
        cols: int = DEFAULT_COLS,
        index: int | None = None,
    ) -> Sheet:
        if any(s.title.casefold() == title.casefold() for s in self.sheets):
            raise ApiError(
                400,
                f'A sheet with the name "{title}" already exists. Please enter another name.',
            )
        if sheet_id is None:
            sheet_id = self._free_sheet_id()
        elif any(s.sheet_id == sheet_id for s in self.sheets):
            raise ApiError(400, f"Invalid requests: sheetId {sheet_id} is already in use.")
        self.check_cells(extra=rows * cols, cols=cols)
        sheet = Sheet(
            {
                "sheetId": sheet_id,
                "title": title,
                "index": len(self.sheets) if index is None else index,
                "sheetType": "GRID",
                "gridProperties": {"rowCount": rows, "columnCount": cols},
            }
        )
        position = len(self.sheets) if index is None else min(index, len(self.sheets))
        self.sheets.insert(position, sheet)
        self.reindex()
        return sheet

    def _free_sheet_id(self) -> int:
        used = {s.sheet_id for s in self.sheets}
        while self.pending_sheet_ids:
            candidate = self.pending_sheet_ids.pop(0)
            if candidate not in used:
                return candidate
        candidate = 0 if not used else self.new_id("sheet") * 7919 % 2_000_000_000
        while candidate in used:
            candidate += 1
        return candidate

    def reindex(self) -> None:
        for i, sheet in enumerate(self.sheets):
            sheet.properties["index"] = i

    def cell_total(self) -> int:
        return sum(s.row_count * s.col_count for s in self.sheets)

    def check_cells(self, extra: int, cols: int = 0) -> None:
        """Refuse growth past Google's 10,000,000-cell limit per spreadsheet, or a tab wider
        than 18,278 columns."""
        if cols > MAX_COLUMNS:
            raise ApiError(
                400, f"This action would increase the number of columns above {MAX_COLUMNS}."
            )
        if self.cell_total() + extra > MAX_CELLS:
            raise ApiError(
                400,
                "This action would increase the number of cells in the workbook above the "
                f"limit of {MAX_CELLS} cells.",
            )

    def sheet_by_id(self, sheet_id: int) -> Sheet:
        for sheet in self.sheets:
            if sheet.sheet_id == sheet_id:
                return sheet
        raise ApiError(400, f"No grid with id: {sheet_id}")

    def sheet_by_title(self, title: str) -> Sheet | None:
        for sheet in self.sheets:
            if sheet.title == title:
                return sheet
        for sheet in self.sheets:
            if sheet.title.casefold() == title.casefold():
                return sheet
        return None

    def resolve(self, text: str) -> tuple[Sheet, Bounds]:
        """The tab and rectangle an A1 range names; unknown tabs are Google's parse error."""
        parsed: ParsedRange = parse_range(text)
        if parsed.title is not None:
            sheet = self.sheet_by_title(parsed.title)
            if sheet is None:
                raise ApiError(400, f"Unable to parse range: {text}")
            return sheet, parsed.bounds or Bounds()
        sheet = self.sheet_by_title(parsed.bare)
        if sheet is not None:
            return sheet, Bounds()
        if parsed.bounds is None or not self.sheets:
            raise ApiError(400, f"Unable to parse range: {text}")
        return self.sheets[0], parsed.bounds

    def rect(self, text: str, grow: bool = False) -> tuple[Sheet, tuple[int, int, int, int]]:
        """Resolve and close a range over the grid; reads beyond the grid are refused."""
        sheet, bounds = self.resolve(text)
        r0, r1, c0, c1 = bounds.clamp(sheet.row_count, sheet.col_count)
        if not grow and (r1 > sheet.row_count or c1 > sheet.col_count or r0 >= r1 or c0 >= c1):
            raise ApiError(
                400,
                f"Range ({format_range(sheet.title, r0, r1, c0, c1)}) exceeds grid limits. "
                f"Max rows: {sheet.row_count}, max columns: {sheet.col_count}",
            )
        return sheet, (r0, r1, c0, c1)

    def grow(self, sheet: Sheet, rows: int, cols: int) -> None:
        """Value writes past the grid add rows and columns, within the cell limit."""
        new_rows = max(rows, sheet.row_count)
        new_cols = max(cols, sheet.col_count)
        extra = new_rows * new_cols - sheet.row_count * sheet.col_count
        if extra > 0:
            self.check_cells(extra, new_cols)
            sheet.resize(new_rows, new_cols)
