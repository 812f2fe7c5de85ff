"""How a tab looks, computed from the schema: one policy that both backends apply.

    layout = tab_layout(schema.tab("signalen"), header)
    layout.columns[5].wrap, layout.frozen_columns, layout.colours[0].formula

Pure data (no openpyxl, no Google requests): ``backends/xlsx/layout.py`` and
``backends/google_setup.py`` translate it. What it decides (docs/sheet-contract.md, "How the
tabs look"):

- widths in characters by the kind of value, wrapped text for long explanations;
- the header row and the first column frozen, a filter on every worker tab;
- dates shown as dates (``DATE_PATTERN``);
- row colours keyed on `Status`: only open signals (overdue red, due soon amber, others
  blue) and open proposals and suggestions stand out; decided, snoozed, ignored and
  resolved rows are plain;
- dropdowns only where people decide (human columns of a worker tab, choice columns of a
  human tab), never on a column the worker writes;
- worker-owned columns of a worker tab protected (Google shows a warning, people may go on).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sow_sheets.model.cells import column_letters as letter
from sow_sheets.model.schema import Column, Kind, TabSpec, map_headers
from sow_sheets.model.words import EndReason, SignalStatus, choices

DATE_PATTERN = "dd-mm-yyyy"  # Google and Excel both read this as day-month-year
HEADER_COLOUR = "D9E2F3"
OVERDUE_COLOUR = "F4CCCC"  # red: an open signal past its date
SOON_COLOUR = "FFE599"  # amber: an open signal with a date still to come
OPEN_SIGNAL_COLOUR = "DDEBF7"  # blue: another open signal (a data problem)
OPEN_ITEM_COLOUR = "E2F0D9"  # green: an open proposal or suggestion awaiting a decision
SERIES_COLOURS = ("E06666", "F6B26B")  # a chart of late (red) and soon-due (amber) counts
OVERVIEW_TITLE = "Overzicht"  # the coordinator's tab, rewritten every run (reporting/overview.py)
LAST_ROW = 5000  # xlsx rules and dropdowns reach this far; Google's reach the whole column

# Columns whose text is long: wrapped, and wider.
WRAPPED = frozenset({"why", "warnings", "alternatives", "description", "comment"})
# What a person types in a column without a list of choices (the dropdown offers its forms).
ACTION_CHOICES = ("negeren", "uitstellen tot")
ACTION_HELP = "Kies 'negeren', of typ 'uitstellen tot' met een datum, bijvoorbeeld 1-3-2027."
_WIDTHS = {
    Kind.ID: 11,
    Kind.DATE: 12,
    Kind.MOMENT: 16,
    Kind.NUMBER: 10,
    Kind.COUNT: 10,
    Kind.YEAR: 10,
    Kind.POSTCODE: 10,
    Kind.YESNO: 8,
    Kind.PHONE: 14,
    Kind.EMAIL: 26,
    Kind.PERSONAL: 24,
    Kind.LIST: 20,
    Kind.CHOICE: 14,
    Kind.STATUS: 10,
    Kind.LATITUDE: 11,
    Kind.LONGITUDE: 11,
}
_NAME_KEYS = frozenset({"name", "volunteer_name", "family_name", "helper_name", "title"})
_WRAP_WIDTH = 48
_TEXT_WIDTH = 16


@dataclass(frozen=True)
class ColumnLayout:
    """One column as it appears: its 0-based place in the sheet and how it looks."""

    index: int
    key: str
    width: int  # characters
    wrap: bool = False
    date: bool = False
    dropdown: tuple[str, ...] = ()
    dropdown_help: str = ""
    protected: bool = False


@dataclass(frozen=True)
class RowColour:
    """Colour a data row when ``formula`` (written for row 2, Excel/Sheets syntax) holds."""

    name: str  # what the colour means, for tests and docs
    formula: str
    colour: str  # RRGGBB


@dataclass(frozen=True)
class TabLayout:
    """Everything a backend applies to one tab (``width``: the number of columns in use)."""

    title: str
    key: str
    width: int
    columns: tuple[ColumnLayout, ...]
    frozen_rows: int = 1
    frozen_columns: int = 1
    basic_filter: bool = False
    colours: tuple[RowColour, ...] = ()
    first: bool = False  # the tab opens first (Overzicht)

    def column(self, key: str) -> ColumnLayout:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(f"{self.key} shows no column {key!r}")

    @property
    def protected_spans(self) -> list[tuple[int, int]]:
        """Worker-owned columns as half-open spans: [0, 1, 2, 5] -> [(0, 3), (5, 6)]."""
        return runs([c.index for c in self.columns if c.protected])


@dataclass(frozen=True)
class Link:
    """A cell (1-based row, 0-based column) that links to row ``target_row`` of ``tab``."""

    row: int
    col: int
    tab: str
    target_row: int


@dataclass(frozen=True)
class BarChart:
    """A stacked bar chart of a table: categories in ``category_col``, one series per column
    of ``series_cols``; ``header_row`` (1-based) names the series, data rows follow it up to
    ``last_row``. Placed with its top left corner at (``anchor_row``, ``anchor_col``)."""

    title: str
    header_row: int
    last_row: int
    category_col: int
    series_cols: tuple[int, ...]
    anchor_row: int
    anchor_col: int


@dataclass(frozen=True)
class CellList:
    """A dropdown on the cells of column ``col`` from row ``first_row`` to ``last_row``
    (1-based) where a person decides (Overzicht's Instellingen); another value only warns."""

    first_row: int
    last_row: int
    col: int
    choices: tuple[str, ...]


@dataclass(frozen=True)
class SheetLook:
    """What a tab rewritten every run (Overzicht) shows besides values: bold rows (1-based),
    links to rows of other tabs, a chart and dropdowns. Backends apply it when it changes."""

    bold_rows: tuple[int, ...] = ()
    links: tuple[Link, ...] = ()
    chart: BarChart | None = None
    lists: tuple[CellList, ...] = ()


def column_width(column: Column) -> int:
    """Characters wide enough for the kind of value, and for the header."""
    if column.key in WRAPPED:
        width = _WRAP_WIDTH
    elif column.key in _NAME_KEYS:
        width = 24
    else:
        width = _WIDTHS.get(column.kind, _TEXT_WIDTH)
    return max(width, len(column.header) + 3)


def column_dropdown(spec: TabSpec, column: Column) -> tuple[str, ...]:
    """The dropdown a column gets: only where people decide (never a worker-owned column)."""
    if spec.worker and not column.human:
        return ()
    if spec.key == "signalen" and column.key == "action":
        return ACTION_CHOICES
    if spec.key == "koppelingen" and column.key == "end_reason":
        return tuple(c for c in choices(EndReason) if c != EndReason.UNKNOWN)
    return column.dropdown


def tab_layout(spec: TabSpec, header: Sequence[object] | None = None) -> TabLayout:
    """The layout of ``spec`` with its columns where ``header`` has them (default: in order)."""
    positions = map_headers(spec, header if header is not None else spec.headers).positions
    columns = []
    for column in spec.columns:
        if column.key not in positions:
            continue
        dropdown = column_dropdown(spec, column)
        columns.append(
            ColumnLayout(
                index=positions[column.key],
                key=column.key,
                width=column_width(column),
                wrap=column.key in WRAPPED,
                date=column.kind is Kind.DATE,
                dropdown=dropdown,
                dropdown_help=ACTION_HELP if dropdown == ACTION_CHOICES else "",
                protected=spec.worker and not column.human,
            )
        )
    width = max([len(header) if header is not None else 0, *(c.index + 1 for c in columns)])
    return TabLayout(
        title=spec.title,
        key=spec.key,
        width=width,
        columns=tuple(sorted(columns, key=lambda c: c.index)),
        basic_filter=spec.worker,
        colours=status_colours(spec, positions),
    )


def status_colours(spec: TabSpec, positions: dict[str, int]) -> tuple[RowColour, ...]:
    """Row colours keyed on `Status`; none for a tab without one (or without the columns)."""
    if not spec.worker or "status" not in positions:
        return ()
    status = f"${letter(positions['status'])}2"
    if spec.key == "signalen":
        if "days_late" not in positions or "due" not in positions:
            return ()
        is_open = f'{status}="{SignalStatus.OPEN}"'
        late = f"${letter(positions['days_late'])}2"
        due = f"${letter(positions['due'])}2"
        return (
            RowColour("te laat", f"=AND({is_open},N({late})>0)", OVERDUE_COLOUR),
            RowColour("binnenkort", f'=AND({is_open},{due}<>"")', SOON_COLOUR),
            RowColour("open", f"={is_open}", OPEN_SIGNAL_COLOUR),
        )
    if spec.key in ("voorstellen", "activiteitvoorstellen", "hulpvoorstellen"):
        return (RowColour("open", f'={status}="open"', OPEN_ITEM_COLOUR),)
    return ()


def runs(columns: list[int]) -> list[tuple[int, int]]:
    """[0, 1, 2, 5] -> [(0, 3), (5, 6)]: contiguous columns as half-open spans."""
    spans: list[tuple[int, int]] = []
    for col in sorted(columns):
        if spans and spans[-1][1] == col:
            spans[-1] = (spans[-1][0], col + 1)
        else:
            spans.append((col, col + 1))
    return spans
