"""How a tab the worker creates looks: the one seam for formatting a new tab.

``tab_layout`` decides the look (header, column widths, frozen header row, dropdowns, signal
colours); ``sheet_xml`` renders a new worksheet part from it and the tab's first cells. Tabs
that already exist are never re-rendered: their look is what people made of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sow_sheets.backends.xlsx.cells import cell_xml, column_letter, text_xml
from sow_sheets.backends.xlsx.styles import MAIN_NS, WorkerStyles
from sow_sheets.model.cells import Cell
from sow_sheets.model.schema import TabSpec, map_headers

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
LAST_ROW = 5000  # dropdowns and colours reach this far


@dataclass(frozen=True)
class Dropdown:
    """A list of choices on a column (0-based); typing something else only warns."""

    col: int
    choices: tuple[str, ...]


@dataclass(frozen=True)
class Highlight:
    """Rows whose ``col`` equals ``text`` get a fill (``colour``: "red" or "amber")."""

    col: int
    text: str
    colour: str


@dataclass
class TabLayout:
    """The look of a new tab: what ``sheet_xml`` renders."""

    header: list[str]
    widths: list[float] = field(default_factory=list)
    freeze_rows: int = 1
    dropdowns: list[Dropdown] = field(default_factory=list)
    highlights: list[Highlight] = field(default_factory=list)


def tab_layout(spec: TabSpec | None, header: list[str]) -> TabLayout:
    """The look of a new tab of ``spec`` (None: a tab outside the schema, header only)."""
    layout = TabLayout(header, [max(12.0, min(40.0, len(h) + 4.0)) for h in header])
    if spec is None:
        return layout
    positions = map_headers(spec, list(header)).positions
    for column in spec.columns:
        if column.dropdown and column.key in positions:
            layout.dropdowns.append(Dropdown(positions[column.key], column.dropdown))
    if spec.key == "signalen" and "type" in positions:
        layout.highlights += [
            Highlight(positions["type"], "gesprek te laat", "red"),
            Highlight(positions["type"], "gesprek binnenkort", "amber"),
        ]
    return layout


def sheet_xml(layout: TabLayout, rows: dict[int, dict[int, Cell]], styles: WorkerStyles) -> str:
    """A complete worksheet part: the header in bold, ``rows`` (sheet row → col → value)."""
    header = {c: h for c, h in enumerate(layout.header)}
    width = max(len(layout.header), *(max(r) + 1 for r in rows.values() if r), 1)
    last_row = max([1, *rows])
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
        f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">',
        f'<dimension ref="A1:{column_letter(width - 1)}{last_row}"/>',
        '<sheetViews><sheetView workbookViewId="0">',
    ]
    if layout.freeze_rows:
        top = f"A{layout.freeze_rows + 1}"
        parts.append(
            f'<pane ySplit="{layout.freeze_rows}" topLeftCell="{top}" activePane="bottomLeft" '
            f'state="frozen"/><selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/>'
        )
    parts.append('</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>')
    if layout.widths:
        parts.append("<cols>")
        parts.extend(
            f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>'
            for i, w in enumerate(layout.widths, start=1)
        )
        parts.append("</cols>")
    parts.append("<sheetData>")
    header_cells = "".join(
        cell_xml(f"{column_letter(c)}1", h, str(styles.bold), styles.date)
        for c, h in header.items()
    )
    parts.append(f'<row r="1">{header_cells}</row>')
    for number in sorted(rows):
        if number == 1:
            continue
        values = rows[number]
        cells = "".join(
            cell_xml(f"{column_letter(c)}{number}", values[c], None, styles.date)
            for c in sorted(values)
        )
        if cells:
            parts.append(f'<row r="{number}">{cells}</row>')
    parts.append("</sheetData>")
    if layout.highlights:
        area = f"A2:{column_letter(width - 1)}{LAST_ROW}"
        parts.append(f'<conditionalFormatting sqref="{area}">')
        for priority, h in enumerate(layout.highlights, start=1):
            dxf = styles.red if h.colour == "red" else styles.amber
            formula = text_xml(f'${column_letter(h.col)}2="{h.text}"')
            parts.append(
                f'<cfRule type="expression" dxfId="{dxf}" priority="{priority}">'
                f"<formula>{formula}</formula></cfRule>"
            )
        parts.append("</conditionalFormatting>")
    if layout.dropdowns:
        parts.append(f'<dataValidations count="{len(layout.dropdowns)}">')
        for d in layout.dropdowns:
            letter = column_letter(d.col)
            choices = text_xml('"' + ",".join(d.choices) + '"')
            parts.append(
                f'<dataValidation type="list" errorStyle="warning" allowBlank="1" '
                f'showErrorMessage="1" sqref="{letter}2:{letter}{LAST_ROW}">'
                f"<formula1>{choices}</formula1></dataValidation>"
            )
        parts.append("</dataValidations>")
    parts.append(
        '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
    )
    parts.append("</worksheet>")
    return "".join(parts)
