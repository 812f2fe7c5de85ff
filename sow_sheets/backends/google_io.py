"""Sizing Sheets API requests: reads cut into row blocks by cells, writes packed into bodies
by bytes, every URL kept short. Pure helpers (no I/O) for the Google backend.

Google refuses a request body over 10 MB and recommends 2 MB; a GET URL over about 2 KB is
where Google's own clients switch to POST. Reads are cut so no reply holds more than
``READ_CELLS`` cells: replies stay a few MB, and memory stays flat at national scale.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote as urlquote

from sow_sheets.backends.google_setup import quote
from sow_sheets.model.cells import Cell
from sow_sheets.model.cells import column_letters as col_letters

MAX_BODY_BYTES = 1_800_000  # under Google's recommended 2 MB
MAX_URL_CHARS = 1_800  # under the 2 KB where Google's own clients switch to POST
READ_CELLS = 400_000  # cells per values.batchGet reply (a few MB of JSON)
URL_BASE_CHARS = 200  # endpoint, key and fixed parameters of a values.batchGet URL


@dataclass(frozen=True)
class Rect:
    """A rectangle to read from the tab titled ``title``: 1-based rows, 0-based columns,
    ends inclusive; ``last_row`` None reads to the end of the tab."""

    title: str
    first_row: int
    last_row: int | None
    first_col: int
    last_col: int

    @property
    def width(self) -> int:
        return self.last_col - self.first_col + 1

    def a1(self) -> str:
        end = "" if self.last_row is None else str(self.last_row)
        return (
            f"{quote(self.title)}!{col_letters(self.first_col)}{self.first_row}:"
            f"{col_letters(self.last_col)}{end}"
        )


def blocks(rect: Rect, grid_rows: int) -> list[Rect]:
    """``rect`` cut into row blocks of at most ``READ_CELLS`` cells; an open end stays open,
    so rows added since the grid size was read are read too."""
    last = rect.last_row if rect.last_row is not None else max(grid_rows, rect.first_row)
    step = max(1, READ_CELLS // max(rect.width, 1))
    out: list[Rect] = []
    start = rect.first_row
    while start <= last:
        end = start + step - 1
        if end >= last:
            out.append(Rect(rect.title, start, rect.last_row, rect.first_col, rect.last_col))
            break
        out.append(Rect(rect.title, start, end, rect.first_col, rect.last_col))
        start = end + 1
    return out


def url_chars(text: str) -> int:
    """Length of a range once percent-encoded in a query string (quotes, !, : and spaces)."""
    return len("&ranges=") + len(urlquote(text, safe=""))


def batches(rects: list[Rect], grid_rows: dict[str, int]) -> Iterator[list[Rect]]:
    """Rectangles grouped into values.batchGet requests: each within the URL and cell budget."""
    group: list[Rect] = []
    chars = URL_BASE_CHARS
    cells = 0
    for rect in rects:
        rows = (rect.last_row or grid_rows.get(rect.title, rect.first_row)) - rect.first_row + 1
        size = max(rows, 1) * rect.width
        length = url_chars(rect.a1())
        if group and (chars + length > MAX_URL_CHARS or cells + size > READ_CELLS):
            yield group
            group, chars, cells = [], URL_BASE_CHARS, 0
        group.append(rect)
        chars += length
        cells += size
    if group:
        yield group


def cell_json(value: Cell) -> str | int | float | bool:
    """A cell as JSON for a RAW write: dates as ISO text, None as "", NaN/inf as ""."""
    if value is None:
        return ""
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    return value.isoformat()


Entry = dict[str, Any]


def value_ranges(cells: dict[tuple[str, int, int], Cell], actual: dict[str, str]) -> list[Entry]:
    """Cells as ValueRanges: a run of adjacent cells in a row is one range, and rows below
    each other with the same span are one rectangle ('Tab'!B5:D9). Tabs keep the order they
    first appear in (the Logboek row last); ``actual`` maps a tab to its title in the sheet."""
    by_tab: dict[str, list[tuple[int, int, Cell]]] = {}
    for (tab, row, col), value in cells.items():
        by_tab.setdefault(tab, []).append((row, col, value))
    out: list[Entry] = []
    for tab, items in by_tab.items():
        items.sort(key=lambda item: (item[0], item[1]))
        runs: list[tuple[int, int, list[Any]]] = []  # (row, first col, values)
        for row, col, value in items:
            if runs and runs[-1][0] == row and runs[-1][1] + len(runs[-1][2]) == col:
                runs[-1][2].append(cell_json(value))
            else:
                runs.append((row, col, [cell_json(value)]))
        title = quote(actual.get(tab, tab))
        block: list[tuple[int, int, list[Any]]] = []
        for run in [*runs, (-1, -1, [])]:
            if block and (
                run[0] != block[-1][0] + 1
                or run[1] != block[0][1]
                or len(run[2]) != len(block[0][2])
            ):
                first_row, first_col, values = block[0]
                last_col = first_col + len(values) - 1
                out.append(
                    {
                        "range": f"{title}!{col_letters(first_col)}{first_row}:"
                        f"{col_letters(last_col)}{block[-1][0]}",
                        "values": [b[2] for b in block],
                    }
                )
                block = []
            block.append(run)
    return out


def bodies(entries: list[Entry], limit: int = MAX_BODY_BYTES) -> list[list[Entry]]:
    """ValueRanges packed into as few request bodies as fit under ``limit`` bytes each; a
    rectangle too big for one body is cut into row slices."""
    out: list[list[Entry]] = [[]]
    used = 0
    for entry, size in _fitting(entries, limit):
        if out[-1] and used + size > limit:
            out.append([])
            used = 0
        out[-1].append(entry)
        used += size
    return [body for body in out if body]


def _size(entry: Entry) -> int:
    return len(json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()) + 1


def _fitting(entries: list[Entry], limit: int) -> Iterator[tuple[Entry, int]]:
    """Each entry with its size in bytes; one over half the limit cut into row slices."""
    budget = limit // 2
    for entry in entries:
        size = _size(entry)
        rows = entry["values"]
        if size <= budget or len(rows) == 1:
            yield entry, size
            continue
        title, _, cells = entry["range"].rpartition("!")
        first, last = cells.split(":")
        first_col = first.rstrip("0123456789")
        last_col = last.rstrip("0123456789")
        first_row = int(first[len(first_col) :])
        per = max(1, len(rows) * budget // size)
        for start in range(0, len(rows), per):
            part = rows[start : start + per]
            top = first_row + start
            piece = {
                "range": f"{title}!{first_col}{top}:{last_col}{top + len(part) - 1}",
                "values": part,
            }
            yield piece, _size(piece)
