"""The layout policy (``model/layout.py``) rendered straight into worksheet XML.

``sheet_chunks`` renders a new worksheet part: header, widths, wrapped and date columns, frozen
header row and first column, the filter, row colours keyed on Status and dropdowns where
people decide. ``relayout`` brings an existing worker tab up to the policy at `init` by
replacing only those elements (a width a person set stays). ``apply_look`` gives Overzicht
its bold rows and links. Human tabs that exist are never passed here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from xml.sax.saxutils import quoteattr

from sow_sheets.backends.xlsx.cells import cell_xml, text_xml
from sow_sheets.backends.xlsx.sheet import LINE_HEIGHT, SheetXml
from sow_sheets.backends.xlsx.styles import MAIN_NS, WorkerStyles
from sow_sheets.model.cells import Cell, column_index
from sow_sheets.model.cells import column_letters as column_letter
from sow_sheets.model.layout import LAST_ROW, SheetLook, TabLayout

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# The order of a worksheet's elements (CT_Worksheet): a new element goes before the first
# present one that follows it.
_ORDER = (
    "sheetPr dimension sheetViews sheetFormatPr cols sheetData sheetCalcPr sheetProtection "
    "protectedRanges scenarios autoFilter sortState dataConsolidate customSheetViews "
    "mergeCells phoneticPr conditionalFormatting dataValidations hyperlinks printOptions "
    "pageMargins pageSetup headerFooter rowBreaks colBreaks customProperties cellWatches "
    "ignoredErrors smartTags drawing legacyDrawing legacyDrawingHF drawingHF picture "
    "oleObjects controls webPublishItems tableParts extLst"
)
ORDER = tuple(_ORDER.split())


def _width(layout: TabLayout | None, header: Sequence[object]) -> int:
    return max(layout.width if layout else 0, len(header), 1)


def plain_width(header: object) -> float:
    """The width of a column outside the policy (and of earlier versions' columns)."""
    return float(max(12, min(40, len(str(header or "")) + 4)))


def cols_xml(
    layout: TabLayout | None,
    header: Sequence[object],
    styles: WorkerStyles,
    p: str = "",
    kept: dict[int, str] | None = None,
) -> str:
    """``<cols>``: widths by kind, wrapped and date columns styled; ``kept`` (column →
    ``<col>``) are a person's widths, which stay."""
    by_index = {c.index: c for c in layout.columns} if layout else {}
    out = []
    for index in range(_width(layout, header)):
        if kept and index in kept:
            out.append(kept[index])
            continue
        column = by_index.get(index)
        if column is None:
            if layout is not None and layout.columns:
                continue
            text = header[index] if index < len(header) else ""
            width = plain_width(text)
            style = ""
        else:
            width = float(column.width)
            s = styles.wrap if column.wrap else styles.date if column.date else None
            style = f' style="{s}"' if s is not None else ""
        n = index + 1
        out.append(f'<{p}col min="{n}" max="{n}" width="{width:g}"{style} customWidth="1"/>')
    return f"<{p}cols>{''.join(out)}</{p}cols>" if out else ""


def views_xml(layout: TabLayout | None, p: str = "") -> str:
    """``<sheetViews>``: the header row and the first column frozen (Overzicht: selected)."""
    rows = layout.frozen_rows if layout else 1
    cols = layout.frozen_columns if layout else 0
    selected = ' tabSelected="1"' if layout and layout.first else ""
    view = f'<{p}sheetView{selected} workbookViewId="0">'
    if rows or cols:
        top = f"{column_letter(cols)}{rows + 1}"
        split = (f' xSplit="{cols}"' if cols else "") + (f' ySplit="{rows}"' if rows else "")
        pane = "bottomRight" if rows and cols else "bottomLeft" if rows else "topRight"
        view += (
            f'<{p}pane{split} topLeftCell="{top}" activePane="{pane}" state="frozen"/>'
            f'<{p}selection pane="{pane}" activeCell="{top}" sqref="{top}"/>'
        )
    return f"<{p}sheetViews>{view}</{p}sheetView></{p}sheetViews>"


def filter_xml(layout: TabLayout | None, header: Sequence[object], p: str = "") -> str:
    if layout is None or not layout.basic_filter:
        return ""
    return f'<{p}autoFilter ref="A1:{column_letter(_width(layout, header) - 1)}{LAST_ROW}"/>'


def colours_xml(
    layout: TabLayout | None, header: Sequence[object], styles: WorkerStyles, p: str = ""
) -> str:
    """Row colours keyed on Status: the first rule that holds wins."""
    if layout is None or not layout.colours:
        return ""
    area = f"A2:{column_letter(_width(layout, header) - 1)}{LAST_ROW}"
    rules = "".join(
        f'<{p}cfRule type="expression" dxfId="{styles.fills[rule.colour]}" '
        f'priority="{priority}" stopIfTrue="1">'
        f"<{p}formula>{text_xml(rule.formula.lstrip('='))}</{p}formula></{p}cfRule>"
        for priority, rule in enumerate(layout.colours, start=1)
    )
    return f'<{p}conditionalFormatting sqref="{area}">{rules}</{p}conditionalFormatting>'


def validations_xml(layout: TabLayout | None, p: str = "") -> str:
    """A list on each column where people decide; another value only warns."""
    lists = [c for c in layout.columns if c.dropdown] if layout else []
    if not lists:
        return ""
    out = []
    for column in lists:
        col = column_letter(column.index)
        prompt = f' showInputMessage="1" prompt={quoteattr(column.dropdown_help)}'
        choices = text_xml('"' + ",".join(column.dropdown) + '"')
        out.append(
            f'<{p}dataValidation type="list" errorStyle="warning" allowBlank="1"'
            f'{prompt if column.dropdown_help else ""} showErrorMessage="1" '
            f'sqref="{col}2:{col}{LAST_ROW}"><{p}formula1>{choices}</{p}formula1>'
            f"</{p}dataValidation>"
        )
    return f'<{p}dataValidations count="{len(out)}">{"".join(out)}</{p}dataValidations>'


def sheet_chunks(
    title: str,
    layout: TabLayout | None,
    header: list[str],
    rows: dict[int, dict[int, Cell]],
    styles: WorkerStyles,
) -> Iterator[str]:
    """A complete worksheet part for a new tab, in pieces (see ``SheetXml.edit_chunks``): the
    header, ``rows`` (sheet row → col → value) and the look ``layout`` gives (None: a plain
    tab, bold header, top row frozen)."""
    width = max(_width(layout, header), *(max(r) + 1 for r in rows.values() if r), 1)
    last_row = max([1, *rows])
    head_style = styles.bold if layout is None or layout.first else styles.header
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
        f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">',
        f'<dimension ref="A1:{column_letter(width - 1)}{last_row}"/>',
        views_xml(layout),
        '<sheetFormatPr defaultRowHeight="15"/>',
        cols_xml(layout, header, styles),
        "<sheetData>",
    ]
    header_cells = "".join(
        cell_xml(f"{column_letter(c)}1", h, str(head_style), styles.date)
        for c, h in enumerate(header)
    )
    parts.append(f'<row r="1">{header_cells}</row>')
    parts += [
        "</sheetData>",
        filter_xml(layout, header),
        colours_xml(layout, header, styles),
        validations_xml(layout),
        '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>',
        "</worksheet>",
    ]
    # The data rows go in as any edit does: cells in their column's style, rows as tall
    # as their wrapped text.
    data = {n: values for n, values in rows.items() if n != 1}
    return SheetXml("".join(parts), title).edit_chunks(data, styles.date, styles.wrap)


def prefix(text: str) -> str:
    root = re.search(r"<(\w+:)?worksheet\b", text)
    return (root.group(1) or "") if root else ""


def put_element(text: str, name: str, xml: str) -> str:
    """``text`` with every ``name`` element removed and ``xml`` (may be "") in its place."""
    p = re.escape(prefix(text))
    pattern = re.compile(rf"<{p}{name}\b[^>]*?(?:/>|>.*?</{p}{name}>)", re.DOTALL)
    found = pattern.search(text)
    text = pattern.sub("", text)
    if not xml:
        return text
    if found is not None:
        at = found.start()
    else:
        at = text.rindex(f"</{prefix(text)}worksheet>")
        for later in ORDER[ORDER.index(name) + 1 :]:
            match = re.search(rf"<{p}{later}\b", text)
            if match:
                at = match.start()
                break
    return text[:at] + xml + text[at:]


def relayout(text: str, layout: TabLayout, header: Sequence[object], styles: WorkerStyles) -> str:
    """An existing worker tab brought up to the policy: its widths, panes, filter, row
    colours and dropdowns are replaced; cells and everything else stay as they are."""
    p = prefix(text)
    kept: dict[int, str] = {}
    policy = {c.index: float(c.width) for c in layout.columns}
    for col in re.finditer(rf"<{re.escape(p)}col\b[^>]*/>", text):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', col.group(0)))
        first, last = int(attrs.get("min", 0)), int(attrs.get("max", 0))
        width = float(attrs.get("width", 0) or 0)
        for n in range(first, min(last, 200) + 1):
            index = n - 1
            old = plain_width(header[index] if index < len(header) else "")
            if width not in (old, 13.0, policy.get(index, old)) and first == last:
                kept[index] = col.group(0)
    text = put_element(text, "sheetViews", views_xml(layout, p))
    text = put_element(text, "cols", cols_xml(layout, header, styles, p, kept))
    text = put_element(text, "autoFilter", filter_xml(layout, header, p))
    text = put_element(text, "conditionalFormatting", colours_xml(layout, header, styles, p))
    return put_element(text, "dataValidations", validations_xml(layout, p))


def apply_look(text: str, look: SheetLook, styles: WorkerStyles) -> str:
    """Overzicht's cells restyled (bold rows, links blue) and its ``<hyperlinks>`` replaced."""
    p = prefix(text)
    bold = set(look.bold_rows)
    linked = {(link.row, link.col) for link in look.links}

    def restyle(match: re.Match[str]) -> str:
        old = re.search(r'\ss="(\d+)"', match.group(2))
        attrs = re.sub(r'\ss="\d+"', "", match.group(2))
        ref = re.search(r'\br="([A-Z]+)(\d+)"', attrs)
        if ref is None:
            return match.group(0)
        row, col = int(ref.group(2)), column_index(ref.group(1))
        if (row, col) in linked:
            style: int | None = styles.link
        elif row in bold:
            style = styles.bold_wrap if col > 0 else styles.bold
        elif old is not None and old.group(1) == str(styles.date):
            style = styles.date  # a date stays a date
        else:
            style = None
        s = f' s="{style}"' if style is not None else ""
        return f"{match.group(1)}{attrs}{s}{match.group(3)}"

    text = re.sub(rf"(<{re.escape(p)}c)(\b[^>]*?)(/?>)", restyle, text)
    text = _tall_header_rows(text, p, bold)
    links = "".join(
        f'<{p}hyperlink ref="{column_letter(link.col)}{link.row}" '
        f"location={quoteattr(_location(link.tab, link.target_row))} "
        f"display={quoteattr(link.tab)}/>"
        for link in look.links
    )
    block = f"<{p}hyperlinks>{links}</{p}hyperlinks>" if links else ""
    text = put_element(text, "hyperlinks", block)
    return put_element(text, "dataValidations", _cell_lists_xml(look, p))


def _cell_lists_xml(look: SheetLook, p: str) -> str:
    """The look's dropdowns (Overzicht's Instellingen cells); another value only warns."""
    out = []
    for cells in look.lists:
        col = column_letter(cells.col)
        choices = text_xml('"' + ",".join(cells.choices) + '"')
        out.append(
            f'<{p}dataValidation type="list" errorStyle="warning" allowBlank="1" '
            f'showErrorMessage="1" sqref="{col}{cells.first_row}:{col}{cells.last_row}">'
            f"<{p}formula1>{choices}</{p}formula1></{p}dataValidation>"
        )
    if not out:
        return ""
    return f'<{p}dataValidations count="{len(out)}">{"".join(out)}</{p}dataValidations>'


def _tall_header_rows(text: str, p: str, bold: set[int]) -> str:
    """Bold rows whose labels right of column A wrap get room for two or three lines."""
    q = re.escape(p)
    widths = SheetXml(text, "").column_styles(64)

    def tall(match: re.Match[str]) -> str:
        number = re.search(r'\br="(\d+)"', match.group(1))
        if number is None or int(number.group(1)) not in bold:
            return match.group(0)
        lines = 1
        for cell in re.finditer(rf'<{q}c\b[^>]*?r="([A-Z]+)\d+"[^>]*>(.*?)</{q}c>', match.group(2)):
            col = column_index(cell.group(1))
            label = re.search(rf"<{q}t\b[^>]*>(.*?)</{q}t>", cell.group(2), re.DOTALL)
            width = widths.get(col, (None, 0.0))[1]
            if col == 0 or label is None or not width:
                continue
            lines = max(lines, min(3, -(-len(label.group(1)) // max(1, int(width * 0.9)))))
        attrs = re.sub(r'\s(ht|customHeight)="[^"]*"', "", match.group(1))
        if lines > 1:
            attrs += f' ht="{LINE_HEIGHT * lines}" customHeight="1"'
        return f"<{p}row{attrs}>{match.group(2)}</{p}row>"

    return re.sub(rf"<{q}row\b([^>]*?)(?<!/)>(.*?)</{q}row>", tall, text, flags=re.DOTALL)


def _location(tab: str, row: int) -> str:
    quoted = tab.replace("'", "''")
    return f"'{quoted}'!A{row}"
