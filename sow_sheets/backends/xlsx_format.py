"""The layout policy (``model/layout.py``) applied to an openpyxl worksheet.

``apply_layout`` runs when the worker creates a tab and at `init`; it is idempotent (a
second call adds nothing twice). ``apply_look`` redraws the bold rows, links and chart of a
tab rewritten every run (Overzicht). xlsx has no protected-with-warning columns and no
filter views: the filter on every worker tab serves a partner (docs/sheet-contract.md).
"""

from __future__ import annotations

from typing import Any

from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from sow_sheets.model.layout import HEADER_COLOUR, LAST_ROW, SERIES_COLOURS, SheetLook, TabLayout

EXCEL_DATE = "DD-MM-YYYY"
LINE_HEIGHT = 15  # points per line of wrapped text
MAX_LINES = 8
# Row colours of earlier versions (keyed on Type, not Status): replaced at `init`.
_OLD_RULES = ('"gesprek te laat"', '"gesprek binnenkort"')


def _fill(colour: str) -> PatternFill:
    return PatternFill(start_color=colour, end_color=colour, fill_type="solid")


def apply_layout(book: Workbook, ws: Worksheet, layout: TabLayout) -> None:
    """Widths, wrap, date format, frozen panes, filter, dropdowns and row colours."""
    for column in layout.columns:
        letter = get_column_letter(column.index + 1)
        dim = ws.column_dimensions[letter]
        header = ws.cell(1, column.index + 1)
        old = max(12, min(40, len(str(header.value or "")) + 4))  # earlier versions' width
        if not dim.customWidth or dim.width in (None, 13, old):
            dim.width = column.width  # a width a person set stays
        if column.wrap:
            dim.alignment = Alignment(wrap_text=True, vertical="top")
        if column.date:
            dim.number_format = EXCEL_DATE
        header.font = Font(bold=True)
        header.fill = _fill(HEADER_COLOUR)
    if layout.frozen_rows or layout.frozen_columns:
        ws.freeze_panes = ws.cell(layout.frozen_rows + 1, layout.frozen_columns + 1).coordinate
    last = get_column_letter(max(layout.width, 1))
    if layout.basic_filter:
        ws.auto_filter.ref = f"A1:{last}{LAST_ROW}"
    _dropdowns(ws, layout)
    _drop_old_colours(ws)
    if layout.colours and not ws.conditional_formatting:
        for rule in layout.colours:
            ws.conditional_formatting.add(
                f"A2:{last}{LAST_ROW}",
                FormulaRule(  # type: ignore[no-untyped-call]
                    formula=[rule.formula.lstrip("=")], fill=_fill(rule.colour), stopIfTrue=True
                ),
            )
    if layout.first:
        book.move_sheet(ws, offset=-book.index(ws))
        book.active = 0
        for other in book.worksheets:
            other.sheet_view.tabSelected = other is ws


def _drop_old_colours(ws: Worksheet) -> None:
    """Row colours an earlier version keyed on Type go; every other rule stays."""
    kept = ConditionalFormattingList()
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            if not any(old in f for f in rule.formula or [] for old in _OLD_RULES):
                kept.add(str(cf.sqref), rule)
    ws.conditional_formatting = kept


def _dropdowns(ws: Worksheet, layout: TabLayout) -> None:
    """A list on each column where people decide; another value only warns. A list an
    earlier version put on a worker-owned column is taken away."""
    owned = {get_column_letter(c.index + 1) for c in layout.columns if c.protected}
    validations = ws.data_validations.dataValidation
    validations[:] = [
        dv for dv in validations if str(dv.sqref).split(":")[0].rstrip("0123456789") not in owned
    ]
    existing = {str(dv.sqref) for dv in validations}
    for column in layout.columns:
        if not column.dropdown:
            continue
        letter = get_column_letter(column.index + 1)
        sqref = f"{letter}2:{letter}{LAST_ROW}"
        if sqref in existing:
            continue
        dv = DataValidation(
            type="list",
            formula1='"' + ",".join(column.dropdown) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            showInputMessage=bool(column.dropdown_help),
            prompt=column.dropdown_help or None,
        )
        dv.add(sqref)
        ws.add_data_validation(dv)


def like_its_column(ws: Worksheet, cell: Any, value: object) -> None:
    """A written cell wraps when its column does (a column's style covers only empty cells),
    and its row is made tall enough for the text (not every program grows rows itself)."""
    dim = ws.column_dimensions.get(cell.column_letter)
    if dim is None or dim.alignment is None or not dim.alignment.wrap_text:
        return
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    if isinstance(value, str) and dim.width:
        lines = min(MAX_LINES, -(-len(value) // max(1, int(dim.width * 0.9))))
        row = ws.row_dimensions[cell.row]
        if lines > 1 and (row.height or 0) < LINE_HEIGHT * lines:
            row.height = LINE_HEIGHT * lines


def apply_look(ws: Worksheet, look: SheetLook) -> None:
    """Bold rows, links to other tabs' rows and the chart, replacing the previous ones."""
    bold = set(look.bold_rows)
    for row in ws.iter_rows():
        for cell in row:
            cell.font = Font(bold=cell.row in bold)
            # Headers wrap (long column names); other rows stay one line high.
            cell.alignment = Alignment(wrap_text=cell.row in bold and (cell.column or 0) > 1)
            cell.hyperlink = None
    for link in look.links:
        cell = ws.cell(link.row, link.col + 1)
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{link.tab}'!A{link.target_row}")
        cell.font = Font(color="1155CC", underline="single")
    ws._charts = []  # type: ignore[attr-defined]  # openpyxl keeps charts only here
    spec = look.chart
    if spec is None or spec.last_row <= spec.header_row:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = spec.title
    chart.height = max(7.5, 1.0 * (spec.last_row - spec.header_row) + 5)
    chart.width = 17
    chart.legend.position = "b"
    for col in spec.series_cols:
        data = Reference(
            ws, min_col=col + 1, max_col=col + 1, min_row=spec.header_row, max_row=spec.last_row
        )
        chart.add_data(data, titles_from_data=True)
    categories = Reference(
        ws,
        min_col=spec.category_col + 1,
        max_col=spec.category_col + 1,
        min_row=spec.header_row + 1,
        max_row=spec.last_row,
    )
    chart.set_categories(categories)
    for series, colour in zip(chart.series, SERIES_COLOURS, strict=False):
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
    chart.y_axis.title = "aantal"
    ws.add_chart(chart, ws.cell(spec.anchor_row, spec.anchor_col + 1).coordinate)
