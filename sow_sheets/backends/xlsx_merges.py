"""The merged cell ranges of each sheet of an .xlsx file, read straight from its zip.

openpyxl's read-only mode (the one fast enough for a national workbook) does not report
merged cells; the sync must see them to refuse a tab where the worker would write into one.
Each sheet part is streamed once; only its ``<mergeCell ref="A1:B2"/>`` elements are kept.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from sow_sheets.model.sheet import CellRange

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?\"")
_CHUNK = 1 << 20


def _col_index(letters: bytes) -> int:
    index = 0
    for char in letters:
        index = index * 26 + (char - 64)
    return index - 1


def _sheet_parts(book: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title -> the zip path of its worksheet part."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): str(r.get("Target")) for r in rels.iter(f"{_PKG_REL}Relationship")}
    parts = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"))
        if target is None:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        parts[str(sheet.get("name"))] = posixpath.normpath(path)
    return parts


def _ranges(book: zipfile.ZipFile, part: str, title: str) -> list[CellRange]:
    out: list[CellRange] = []
    tail = b""
    with book.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            text = tail + chunk
            end = 0
            for found in _MERGE.finditer(text):
                col_a, row_a, col_b, row_b = found.groups()
                out.append(
                    CellRange(
                        title,
                        int(row_a),
                        int(row_b or row_a),
                        _col_index(col_a),
                        _col_index(col_b or col_a),
                    )
                )
                end = found.end()
            tail = text[max(end, len(text) - 200) :]
    return out


def merged_ranges(path: Path) -> dict[str, list[CellRange]]:
    """Per sheet title, its merged ranges (1-based rows, 0-based columns, ends inclusive).

    Empty for a file that is not a readable .xlsx (the caller reports that itself).
    """
    try:
        with zipfile.ZipFile(path) as book:
            names = set(book.namelist())
            return {
                title: _ranges(book, part, title)
                for title, part in _sheet_parts(book).items()
                if part in names
            }
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return {}
