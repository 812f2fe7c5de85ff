"""Workbooks authored the way Excel writes them, built with XlsxWriter (synthetic data only).

Shared strings, styles and date formats; in a human tab a formula column with stored results,
a comment, a dropdown, a conditional format, merged cells and a picture; an own tab with an
Excel table, a chart and a picture; and parts XlsxWriter does not write, added as Excel stores
them (a pivot table with its cache, a connection, custom XML and the calculation chain).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import xlsxwriter

from sow_sheets.model.cells import Cell

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
EXTRA_PARTS = {
    "xl/pivotCache/pivotCacheDefinition1.xml": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.pivotCacheDefinition+xml",
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<pivotCacheDefinition '
        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" refreshOnLoad="1" '
        b'recordCount="2"><cacheSource type="worksheet"><worksheetSource ref="A1:B3" '
        b'sheet="Wijkcijfers"/></cacheSource><cacheFields count="1"><cacheField name="Wijk" '
        b'numFmtId="0"><sharedItems count="2"><s v="Noord"/><s v="Zuid"/></sharedItems>'
        b"</cacheField></cacheFields></pivotCacheDefinition>",
    ),
    "xl/pivotCache/pivotCacheRecords1.xml": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.pivotCacheRecords+xml",
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<pivotCacheRecords '
        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2">'
        b'<r><x v="0"/></r><r><x v="1"/></r></pivotCacheRecords>',
    ),
    "xl/pivotTables/pivotTable1.xml": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.pivotTable+xml",
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<pivotTableDefinition '
        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" name="Draaitabel1" '
        b'cacheId="1" dataCaption="Waarden"><location ref="E1:F3" firstHeaderRow="1" '
        b'firstDataRow="1" firstDataCol="1"/></pivotTableDefinition>',
    ),
    "xl/connections.xml": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.connections+xml",
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<connections '
        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><connection id="1" '
        b'name="Wijken" type="6" refreshedVersion="6"/></connections>',
    ),
    "xl/calcChain.xml": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml",
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<calcChain '
        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><c r="Y2" i="1"/>'
        b"</calcChain>",
    ),
    "customXml/item1.xml": ("application/xml", b"<kenmerken><project>SOW</project></kenmerken>"),
}


WORKBOOK_RELS = {
    "xl/pivotCache/pivotCacheDefinition1.xml": "pivotCacheDefinition",
    "xl/connections.xml": "connections",
    "xl/calcChain.xml": "calcChain",
}


def png(width: int = 4, height: int = 3) -> bytes:
    """A tiny valid PNG (solid blue)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x20\x40\xc0" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def write_excel_workbook(path: Path, tables: dict[str, list[list[Cell]]]) -> None:
    """``tables`` as Excel would store them, with the extras listed in the module docstring."""
    book = xlsxwriter.Workbook(str(path))
    date = book.add_format({"num_format": "dd-mm-yyyy"})
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7"})
    for title, rows in tables.items():
        ws = book.add_worksheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                _put(ws, r, c, value, date, bold if r == 0 else None)
        ws.freeze_panes(1, 0)
        ws.set_column(0, len(rows[0]) - 1, 14)
        if title == "Grootouders":
            _extras_in_a_human_tab(book, ws, len(rows), len(rows[0]))
    overview = book.add_worksheet("Wijkcijfers")  # a person's own tab
    overview.write_row(0, 0, ["Wijk", "Aantal"])
    for r, (wijk, n) in enumerate([("Noord", 12), ("Zuid", 7)], start=1):
        overview.write_string(r, 0, wijk)
        overview.write_number(r, 1, n)
    overview.add_table("A1:B3", {"name": "Wijken", "header_row": True, "columns": [
        {"header": "Wijk"}, {"header": "Aantal"}]})  # fmt: skip
    overview.write_formula("B5", "=SUM(B2:B3)", None, 19)
    chart = book.add_chart({"type": "column"})
    chart.add_series({"categories": "=Wijkcijfers!$A$2:$A$3", "values": "=Wijkcijfers!$B$2:$B$3"})
    overview.insert_chart("D2", chart)
    overview.insert_image("D20", "logo.png", {"image_data": io.BytesIO(png())})
    book.close()
    _add_parts(path)


def _put(ws: Any, r: int, c: int, value: Cell, date: Any, style: Any) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        ws.write_boolean(r, c, value, style)
    elif isinstance(value, int | float):
        ws.write_number(r, c, value, style)
    elif isinstance(value, dt.date):
        ws.write_datetime(r, c, value, date)
    else:
        ws.write_string(r, c, str(value), style)


def _extras_in_a_human_tab(book: Any, w: Any, rows: int, cols: int) -> None:
    """A formula column with stored results beside the data, and what people add to a tab."""
    formula_col = cols + 1
    w.write_string(0, formula_col, "Naamlengte")
    for r in range(1, rows):
        # Stored results: what Excel saved when it last calculated.
        w.write_formula(r, formula_col, f"=LEN(B{r + 1})", None, 10 + r)
    w.write_comment(1, 1, "Eerste aanmelding")
    w.data_validation(
        1, formula_col + 1, rows, formula_col + 1,
        {"validate": "list", "source": ["ja", "nee"]},
    )  # fmt: skip
    w.conditional_format(
        1, formula_col, rows, formula_col,
        {"type": "cell", "criteria": ">", "value": 12, "format": book.add_format(
            {"bg_color": "#FFC7CE"})},
    )  # fmt: skip
    w.merge_range(rows + 2, 0, rows + 2, 3, "Bijgewerkt door de coördinator")
    w.insert_image(rows + 4, 1, "foto.png", {"image_data": io.BytesIO(png(6, 6))})


def _add_parts(path: Path) -> None:
    """Add what XlsxWriter does not write, with content types and workbook relationships."""
    with zipfile.ZipFile(path) as zf:
        parts = {info.filename: zf.read(info) for info in zf.infolist()}
    types = parts["[Content_Types].xml"].decode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    for number, (name, (content_type, data)) in enumerate(EXTRA_PARTS.items(), start=100):
        parts[name] = data
        if not name.startswith("customXml"):
            types = types.replace(
                "</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>'
            )
        kind = WORKBOOK_RELS.get(name)
        if kind:
            rels = rels.replace(
                "</Relationships>",
                f'<Relationship Id="rId{number}" Type="{REL}/{kind}" '
                f'Target="{name.removeprefix("xl/")}"/></Relationships>',
            )
    parts["[Content_Types].xml"] = types.encode()
    parts["xl/_rels/workbook.xml.rels"] = rels.encode()
    parts["xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
        '"http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{REL}/pivotCacheRecords" Target="pivotCacheRecords1.xml"/></Relationships>'
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def sheet_parts(path: Path) -> dict[str, str]:
    """Tab title → worksheet part name, read from the workbook's own lists."""
    with zipfile.ZipFile(path) as zf:
        workbook = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    targets = dict(re.findall(r'Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
    targets.update({i: t for t, i in re.findall(r'Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
    out = {}
    for name, rel in re.findall(r'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"', workbook):
        out[name] = "xl/" + targets[rel].removeprefix("/xl/")
    return out
