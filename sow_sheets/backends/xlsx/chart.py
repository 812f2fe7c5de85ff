"""Overzicht's stacked bar chart as xlsx parts: a drawing, a chart and their relationships.

The first time, the worksheet gains a ``<drawing>`` and the package a drawing part, a chart
part, their relationships and content types (numbered after any the workbook holds); later
runs rewrite the same two parts, so nothing piles up.
"""

from __future__ import annotations

import posixpath
import re
from xml.sax.saxutils import escape

from sow_sheets.backends.xlsx.layout import REL_NS, prefix, put_element
from sow_sheets.backends.xlsx.package import Package, _relationships
from sow_sheets.model.cells import column_letters as column_letter
from sow_sheets.model.layout import SERIES_COLOURS, BarChart

DRAWING_TYPE = REL_NS + "/drawing"
CHART_TYPE = REL_NS + "/chart"
DRAWING_CT = "application/vnd.openxmlformats-officedocument.drawing+xml"
CHART_CT = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
XDR_NS = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
EMU_PER_CM = 360000


def _rich(text: str) -> str:
    return (
        f"<c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>{escape(text)}</a:t></a:r></a:p></c:rich>"
        '</c:tx><c:overlay val="0"/>'
    )


def chart_xml(tab: str, spec: BarChart) -> str:
    """A horizontal stacked bar chart of ``spec``'s table on ``tab``."""
    quoted = "'" + tab.replace("'", "''") + "'"

    def ref(col: int, first: int, last: int) -> str:
        letter = column_letter(col)
        return escape(f"{quoted}!${letter}${first}:${letter}${last}")

    first, last = spec.header_row + 1, spec.last_row
    series = []
    for order, col in enumerate(spec.series_cols):
        colour = SERIES_COLOURS[order % len(SERIES_COLOURS)]
        name = escape(f"{quoted}!${column_letter(col)}${spec.header_row}")
        series.append(
            f'<c:ser><c:idx val="{order}"/><c:order val="{order}"/>'
            f"<c:tx><c:strRef><c:f>{name}</c:f></c:strRef></c:tx>"
            f'<c:spPr><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'
            f'<a:ln><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill></a:ln></c:spPr>'
            '<c:invertIfNegative val="0"/>'
            f"<c:cat><c:strRef><c:f>{ref(spec.category_col, first, last)}</c:f></c:strRef></c:cat>"
            f"<c:val><c:numRef><c:f>{ref(col, first, last)}</c:f></c:numRef></c:val></c:ser>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<c:chartSpace xmlns:c="{C_NS}" xmlns:a="{A_NS}" xmlns:r="{REL_NS}">'
        f"<c:chart><c:title>{_rich(spec.title)}</c:title>"
        '<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/><c:barChart>'
        '<c:barDir val="bar"/><c:grouping val="stacked"/><c:varyColors val="0"/>'
        f"{''.join(series)}"
        '<c:gapWidth val="150"/><c:overlap val="100"/>'
        '<c:axId val="10"/><c:axId val="100"/></c:barChart>'
        '<c:catAx><c:axId val="10"/><c:scaling><c:orientation val="maxMin"/></c:scaling>'
        '<c:delete val="0"/><c:axPos val="l"/><c:numFmt formatCode="General" sourceLinked="0"/>'
        '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        '<c:crossAx val="100"/><c:crosses val="autoZero"/><c:auto val="1"/>'
        '<c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
        '<c:valAx><c:axId val="100"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
        '<c:delete val="0"/><c:axPos val="t"/><c:majorGridlines/>'
        f"<c:title>{_rich('aantal')}</c:title>"
        '<c:numFmt formatCode="0" sourceLinked="0"/><c:majorTickMark val="none"/>'
        '<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="10"/>'
        '<c:crosses val="autoZero"/><c:crossBetween val="between"/>'
        "</c:valAx></c:plotArea>"
        '<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>'
        '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>'
    )


def drawing_xml(spec: BarChart, rel_id: str) -> str:
    """The drawing that places the chart at its anchor cell, sized to its categories."""
    height = max(7.5, 1.0 * (spec.last_row - spec.header_row) + 5)
    cx, cy = int(17 * EMU_PER_CM), int(height * EMU_PER_CM)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<xdr:wsDr xmlns:xdr="{XDR_NS}" xmlns:a="{A_NS}"><xdr:oneCellAnchor>'
        f"<xdr:from><xdr:col>{spec.anchor_col}</xdr:col><xdr:colOff>0</xdr:colOff>"
        f"<xdr:row>{spec.anchor_row - 1}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
        f'<xdr:ext cx="{cx}" cy="{cy}"/><xdr:graphicFrame macro="">'
        '<xdr:nvGraphicFramePr><xdr:cNvPr id="2" name="Grafiek 1"/><xdr:cNvGraphicFramePr/>'
        '</xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>'
        f'<a:graphic><a:graphicData uri="{C_NS}"><c:chart xmlns:c="{C_NS}" '
        f'xmlns:r="{REL_NS}" r:id="{rel_id}"/></a:graphicData></a:graphic></xdr:graphicFrame>'
        "<xdr:clientData/></xdr:oneCellAnchor></xdr:wsDr>"
    )


def _free(package: Package, folder: str, stem: str) -> str:
    number = 1
    while package.has(f"{folder}/{stem}{number}.xml"):
        number += 1
    return f"{folder}/{stem}{number}.xml"


def put_chart(package: Package, part: str, text: str, tab: str, spec: BarChart | None) -> str:
    """The worksheet ``text`` of ``part`` with its chart drawn (or taken away when None)."""
    p = prefix(text)
    current = re.search(rf'<{re.escape(p)}drawing\b[^>]*?\bid="([^"]*)"', text)
    if spec is None or spec.last_row <= spec.header_row:
        return put_element(text, "drawing", "")
    rels = _relationships(package, part)
    drawing = None
    if current is not None and rels.get(current.group(1), ("", ""))[1] == DRAWING_TYPE:
        drawing = rels[current.group(1)][0]
        charts = [t for t, k in _relationships(package, drawing).values() if k == CHART_TYPE]
        chart_rel = next(
            (i for i, (_, k) in _relationships(package, drawing).items() if k == CHART_TYPE), None
        )
        if charts and chart_rel is not None:
            package.changed[charts[0]] = chart_xml(tab, spec).encode("utf-8")
            package.changed[drawing] = drawing_xml(spec, chart_rel).encode("utf-8")
            return text
    folder = posixpath.dirname(posixpath.dirname(part))  # "xl"
    drawing = _free(package, f"{folder}/drawings", "drawing")
    chart = _free(package, f"{folder}/charts", "chart")
    package.changed[chart] = chart_xml(tab, spec).encode("utf-8")
    chart_rel = package.relate(drawing, CHART_TYPE, chart)
    package.changed[drawing] = drawing_xml(spec, chart_rel).encode("utf-8")
    package.add_content_type(drawing, DRAWING_CT)
    package.add_content_type(chart, CHART_CT)
    rel_id = package.relate(part, DRAWING_TYPE, drawing)
    r = re.search(rf'xmlns:(\w+)="{re.escape(REL_NS)}"', text)
    attr = f'{r.group(1)}:id="{rel_id}"' if r else f'xmlns:r="{REL_NS}" r:id="{rel_id}"'
    return put_element(text, "drawing", f"<{p}drawing {attr}/>")
