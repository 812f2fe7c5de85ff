"""A1 notation: parse and format ranges the way the Sheets v4 API reads and echoes them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sow_sheets.model.cells import column_index as col_index
from sow_sheets.model.cells import column_letters as col_letters
from sow_sheets.testing.faults import ApiError

_CELL = re.compile(r"^([A-Za-z]*)(\d*)$")
_PLAIN_TITLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_CELL_LIKE = re.compile(r"^([A-Za-z]{1,3}\d+|R\d*C\d*)$", re.IGNORECASE)


def quote_title(title: str) -> str:
    """Quote a tab title when Google would: anything but a plain name, or a name like a cell."""
    if _PLAIN_TITLE.match(title) and not _CELL_LIKE.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


@dataclass(frozen=True)
class Bounds:
    """A rectangle, 0-based, end exclusive; None means open (to the edge of the grid)."""

    start_row: int | None = None
    end_row: int | None = None
    start_col: int | None = None
    end_col: int | None = None

    def clamp(self, rows: int, cols: int) -> tuple[int, int, int, int]:
        """Closed-over-the-grid rectangle (r0, r1, c0, c1), ends exclusive."""
        r0 = self.start_row or 0
        c0 = self.start_col or 0
        r1 = rows if self.end_row is None else self.end_row
        c1 = cols if self.end_col is None else self.end_col
        return r0, r1, c0, c1


@dataclass(frozen=True)
class ParsedRange:
    """A range as written: ``title`` None when the text names no tab explicitly."""

    title: str | None
    bounds: Bounds | None  # None: the whole tab
    bare: str  # the text without a tab part, for the "is it a tab title?" check


def split_title(text: str) -> tuple[str | None, str]:
    """Split ``'Tab ''x''!A1:B2`` into (title, cells); a quoted title alone has no cells."""
    if text.startswith("'"):
        i = 1
        out = []
        while i < len(text):
            ch = text[i]
            if ch == "'":
                if i + 1 < len(text) and text[i + 1] == "'":
                    out.append("'")
                    i += 2
                    continue
                rest = text[i + 1 :]
                if rest and not rest.startswith("!"):
                    raise bad_range(text)
                return "".join(out), rest[1:]
            out.append(ch)
            i += 1
        raise bad_range(text)
    if "!" in text:
        title, _, cells = text.rpartition("!")
        return title, cells
    return None, text


def bad_range(text: str) -> ApiError:
    return ApiError(400, f"Unable to parse range: {text}")


def parse_cells(cells: str, original: str) -> Bounds:
    """``A1``, ``A1:B2``, ``A:C``, ``A2:C``, ``1:3`` to Bounds; reversed corners are swapped."""
    parts = cells.split(":")
    if len(parts) > 2 or not cells:
        raise bad_range(original)
    ends = []
    for part in parts:
        m = _CELL.match(part.strip())
        if not m or not (m.group(1) or m.group(2)):
            raise bad_range(original)
        col = col_index(m.group(1)) if m.group(1) else None
        row = int(m.group(2)) - 1 if m.group(2) else None
        if row is not None and row < 0:
            raise bad_range(original)
        ends.append((col, row))
    (c0, r0) = ends[0]
    if len(ends) == 1:
        if c0 is None or r0 is None:
            raise bad_range(original)
        return Bounds(r0, r0 + 1, c0, c0 + 1)
    (c1, r1) = ends[1]
    if (c0 is None) != (c1 is None) and r0 is None:
        raise bad_range(original)
    if c0 is not None and c1 is not None and c1 < c0:
        c0, c1 = c1, c0
    if r0 is not None and r1 is not None and r1 < r0:
        r0, r1 = r1, r0
    return Bounds(
        start_row=r0,
        end_row=None if r1 is None else r1 + 1,
        start_col=c0,
        end_col=None if c1 is None else c1 + 1,
    )


def parse_range(text: str) -> ParsedRange:
    """Parse a range; a bare word may be a tab title or cells, decided by the caller."""
    text = text.strip()
    title, cells = split_title(text)
    if title is not None:
        return ParsedRange(title, parse_cells(cells, text) if cells else None, "")
    try:
        bounds: Bounds | None = parse_cells(cells, text)
    except ApiError:
        bounds = None
    return ParsedRange(None, bounds, text)


def format_range(title: str, r0: int, r1: int, c0: int, c1: int) -> str:
    """Echo a closed rectangle the way Google does: ``Sheet1!A1:D2`` or ``'D3'!B4``."""
    start = f"{col_letters(c0)}{r0 + 1}"
    end = f"{col_letters(max(c1 - 1, c0))}{max(r1, r0 + 1)}"
    cells = start if start == end else f"{start}:{end}"
    return f"{quote_title(title)}!{cells}"
