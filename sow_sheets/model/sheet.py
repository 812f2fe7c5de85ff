"""The one small interface every backend implements, and the data it exchanges."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from sow_sheets.model.cells import Cell, Row
from sow_sheets.model.layout import SheetLook, TabLayout
from sow_sheets.model.schema import Schema


@dataclass
class Table:
    """One tab as read: row 1 is ``rows[0]``. Trailing blank rows may be trimmed.

    ``merged`` lists the tab's merged cell ranges (a full read only; a re-read leaves it empty).
    """

    title: str
    rows: list[Row] = field(default_factory=list)
    merged: list[CellRange] = field(default_factory=list)

    @property
    def header(self) -> Row:
        return self.rows[0] if self.rows else []

    def cell(self, row: int, col: int) -> Cell:
        """The value at a 1-based sheet row and 0-based column, None beyond the data."""
        if row - 1 < len(self.rows):
            values = self.rows[row - 1]
            if col < len(values):
                return values[col]
        return None


@dataclass(frozen=True)
class CellRange:
    """A rectangle to re-read: 1-based rows, 0-based columns, ends inclusive; None = open."""

    tab: str
    first_row: int = 1
    last_row: int | None = None
    first_col: int = 0
    last_col: int | None = None


@dataclass(frozen=True)
class CellWrite:
    """One value to put at a 1-based sheet row and 0-based column of a tab."""

    tab: str
    row: int
    col: int
    value: Cell


@dataclass
class WritePlan:
    """Everything one sync writes: tabs to create (title, header) first, then cell values.

    ``layouts`` says how a tab this plan creates looks (``model/layout.py``); ``looks`` the
    bold rows, links and chart of a tab rewritten every run, when they changed.
    """

    new_tabs: list[tuple[str, list[str]]] = field(default_factory=list)
    cells: list[CellWrite] = field(default_factory=list)
    layouts: dict[str, TabLayout] = field(default_factory=dict)
    looks: dict[str, SheetLook] = field(default_factory=dict)
    # Per tab the Organisatie column and every partner in it: Google keeps a filter view
    # per partner (added as partners appear); xlsx has the tab's filter instead.
    partner_views: dict[str, tuple[int, tuple[str, ...]]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.new_tabs or self.cells or self.looks)


class Backend(Protocol):
    """A spreadsheet the sync reads and writes. Errors are raised as ``BackendError``s."""

    def target(self) -> str:
        """A short, non-personal name of the workbook or spreadsheet (for locks and logs)."""
        ...

    def read(self) -> dict[str, Table]:
        """Every tab, in as few requests as possible, keyed by title."""
        ...

    def reread(self, ranges: list[CellRange]) -> list[Table]:
        """Fresh values of the given rectangles, in order, read right before a write.

        Each returned Table holds exactly the rectangle: ``rows[0]`` is ``first_row``,
        column 0 is ``first_col``.
        """
        ...

    def write(self, plan: WritePlan) -> None:
        """Apply a plan in as few requests as possible. Strings stay literal strings."""
        ...

    def setup(self, schema: Schema) -> list[str]:
        """`init`: create missing tabs with headers, freeze header rows, add dropdowns for
        columns with choices, protect worker columns. Returns the titles of tabs created.
        """
        ...


@dataclass(frozen=True)
class SheetLocale:
    """A spreadsheet's locale (e.g. "nl_NL") and time zone; None when unknown."""

    locale: str | None = None
    time_zone: str | None = None


@runtime_checkable
class LocaleAware(Protocol):
    """A backend that knows its spreadsheet's locale (Google Sheets: it decides how typed
    dates are read). The sync turns a locale that does not read day first into a signal."""

    def spreadsheet_locale(self) -> SheetLocale:
        """The locale and time zone as of the last read."""
        ...
