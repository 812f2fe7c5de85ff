"""Surgical edits of one worksheet part: only the rows that receive a value change.

Everything outside ``<sheetData>`` (column widths, frozen panes, filters, merged cells,
dropdowns, conditional formats, drawings, comments' anchors, extensions) and every row that
receives no value are kept byte for byte. In a changed row the other cells, with their
formulas and stored results, are kept as they were; a changed cell keeps its style, and a new
cell takes its column's style (as Excel does when someone types in an empty cell). Text in a
wrapped column makes its row tall enough to read (not every program grows rows itself).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sow_sheets.backends.xlsx.cells import cell_xml
from sow_sheets.model.cells import Cell, column_index
from sow_sheets.model.cells import column_letters as column_letter
from sow_sheets.model.errors import BackendError

_REF = re.compile(r"([A-Z]+)(\d+)")
LINE_HEIGHT = 15  # points per line of wrapped text
MAX_LINES = 8


class SheetXml:
    """A worksheet part's text and its namespace prefix ("" or e.g. "x:")."""

    def __init__(self, text: str, title: str) -> None:
        self.text = text
        self.title = title
        root = re.search(r"<(\w+:)?worksheet\b", text)
        if root is None:
            raise BackendError(f'tab "{title}" is not a worksheet the worker can write')
        self.p = root.group(1) or ""
        p = re.escape(self.p)
        self._row = re.compile(rf"<{p}row\b([^>]*?)(/>|>(.*?)</{p}row>)", re.DOTALL)
        self._cell = re.compile(rf"<{p}c\b([^>]*?)(?:/>|>.*?</{p}c>)", re.DOTALL)
        self._data = re.compile(rf"<{p}sheetData\b[^>]*?(/>|>)")
        self._data_end = f"</{self.p}sheetData>"

    def edit(
        self, writes: dict[int, dict[int, Cell]], date_style: int, wrap_style: int | None = None
    ) -> str:
        """The part with ``writes`` (sheet row → column → value) applied; ``wrap_style``
        is the worker's wrapped-text style (its columns' rows grow with the text)."""
        return "".join(self.edit_chunks(writes, date_style, wrap_style))

    def edit_chunks(
        self, writes: dict[int, dict[int, Cell]], date_style: int, wrap_style: int | None = None
    ) -> Iterator[str]:
        """``edit`` in pieces, for a caller that compresses as it goes: a national tab's
        part is tens of megabytes, and never needs to exist whole."""
        max_row = max(writes, default=0)
        max_col = max((max(cols) for cols in writes.values() if cols), default=0)
        self._columns = self.column_styles(max_col)
        self._wrap = None if wrap_style is None else str(wrap_style)
        opening = self._data.search(self.text)
        if opening is None:
            raise BackendError(f'tab "{self.title}" has no cell data the worker can write')
        if opening.group(1) == "/>":
            start = end = opening.end()
            head = self.text[: opening.start()] + f"<{self.p}sheetData>"
            tail = f"{self._data_end}" + self.text[opening.end() :]
        else:
            start = opening.end()
            end = self.text.index(self._data_end, start)
            head, tail = self.text[:start], self.text[end:]
        yield self._dimension(head, max_row, max_col)
        yield from self._apply(self.text[start:end], writes, date_style)
        yield tail

    def _apply(
        self, body: str, writes: dict[int, dict[int, Cell]], date_style: int
    ) -> Iterator[str]:
        pending = sorted(writes)
        pos, previous, at = 0, 0, 0
        for match in self._row.finditer(body):
            if at == len(pending):
                break
            number = _int_attr(match.group(1), "r") or previous + 1
            previous = number
            while at < len(pending) and pending[at] < number:
                yield body[pos : match.start()]
                pos = match.start()
                yield self._new_row(pending[at], writes[pending[at]], date_style)
                at += 1
            if at < len(pending) and pending[at] == number:
                yield body[pos : match.start()]
                yield self._changed_row(match, number, writes[number], date_style)
                pos = match.end()
                at += 1
        yield body[pos:]
        for number in pending[at:]:
            yield self._new_row(number, writes[number], date_style)

    def column_styles(self, last: int) -> dict[int, tuple[str | None, float]]:
        """Column (0-based, up to ``last``) → its style and width, from ``<cols>``."""
        out: dict[int, tuple[str | None, float]] = {}
        data = self._data.search(self.text)
        head = self.text[: data.start()] if data else self.text  # <cols> precedes the cells
        for col in re.finditer(rf"<{re.escape(self.p)}col\b([^>]*?)/?>", head):
            first, end = _int_attr(col.group(1), "min"), _int_attr(col.group(1), "max")
            if first is None or end is None:
                continue
            width = float(_str_attr(col.group(1), "width") or 0)
            for n in range(first, min(end, last + 1) + 1):
                out[n - 1] = (_str_attr(col.group(1), "style"), width)
        return out

    def _height(self, values: dict[int, Cell]) -> float:
        """Points a row needs for the text it receives in wrapped columns (0: no need)."""
        lines = 1
        for col, value in values.items():
            style, width = self._columns.get(col, (None, 0.0))
            if self._wrap is None or style != self._wrap or not isinstance(value, str):
                continue
            longest = max((len(line) for line in value.splitlines()), default=0)
            wrapped = -(-longest // max(1, int(width * 0.9))) + value.count("\n")
            lines = max(lines, min(MAX_LINES, wrapped))
        return float(LINE_HEIGHT * lines) if lines > 1 else 0.0

    def _new_row(self, number: int, values: dict[int, Cell], date_style: int) -> str:
        cells = "".join(
            cell_xml(
                f"{column_letter(c)}{number}",
                values[c],
                self._columns.get(c, (None, 0.0))[0],
                date_style,
                self.p,
            )
            for c in sorted(values)
        )
        if not cells:
            return ""
        height = self._height(values)
        ht = f' ht="{height:g}" customHeight="1"' if height else ""
        return f'<{self.p}row r="{number}"{ht}>{cells}</{self.p}row>'

    def _changed_row(
        self, match: re.Match[str], number: int, values: dict[int, Cell], date_style: int
    ) -> str:
        attrs = re.sub(r'\sspans="[^"]*"', "", match.group(1))
        cells: dict[int, tuple[str, str | None]] = {}
        column = -1
        for cell in self._cell.finditer(match.group(3) or ""):
            ref = _str_attr(cell.group(1), "r")
            ref_match = _REF.fullmatch(ref) if ref else None
            column = column_index(ref_match.group(1)) if ref_match else column + 1
            cells[column] = (cell.group(0), _str_attr(cell.group(1), "s"))
        extra = ""
        if match.group(3):
            # Anything in the row that is not a cell (an extension list) stays at its end.
            extra = self._cell.sub("", match.group(3)).strip()
        for col, value in values.items():
            style = cells[col][1] if col in cells else self._columns.get(col, (None, 0.0))[0]
            cells[col] = (
                cell_xml(f"{column_letter(col)}{number}", value, style, date_style, self.p),
                None,
            )
        body = "".join(cells[c][0] for c in sorted(cells))
        if not body and not extra and attrs.strip() == f'r="{number}"':
            return ""
        height = self._height(values)
        old = float(_str_attr(attrs, "ht") or 0)
        if height > old:
            attrs = re.sub(r'\s(ht|customHeight)="[^"]*"', "", attrs)
            attrs += f' ht="{height:g}" customHeight="1"'
        return f"<{self.p}row{attrs}>{body}{extra}</{self.p}row>"

    def _dimension(self, head: str, max_row: int, max_col: int) -> str:
        """Widen ``<dimension ref>`` when the writes reach beyond it."""
        p = re.escape(self.p)
        match = re.search(rf'<{p}dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"', head)
        if match is None or max_row == 0:
            return head
        first_col, first_row = match.group(1), match.group(2)
        last_col = match.group(3) or first_col
        last_row = int(match.group(4) or first_row)
        col = max(column_index(last_col), max_col)
        row = max(last_row, max_row)
        if col == column_index(last_col) and row == last_row:
            return head
        ref = f"{first_col}{first_row}:{column_letter(col)}{row}"
        return head[: match.start(1)] + ref + head[match.end(match.lastindex or 2) :]


def _str_attr(attrs: str, name: str) -> str | None:
    match = re.search(rf'(?:^|\s){name}="([^"]*)"', attrs)
    return match.group(1) if match else None


def _int_attr(attrs: str, name: str) -> int | None:
    value = _str_attr(attrs, name)
    return int(value) if value and value.isdigit() else None


def group_writes(cells: Iterator[tuple[int, int, Cell]]) -> dict[int, dict[int, Cell]]:
    """(row, col, value) → row → col → value; the last write to a cell wins."""
    out: dict[int, dict[int, Cell]] = {}
    for row, col, value in cells:
        out.setdefault(row, {})[col] = value
    return out
