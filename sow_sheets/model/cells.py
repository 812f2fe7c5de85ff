"""The cell value types every backend reads and writes, and their canonical comparison form."""

from __future__ import annotations

import datetime as dt
import math

# What a backend hands over for one cell: openpyxl gives dates and datetimes; Google's
# UNFORMATTED_VALUE gives numbers (date serials), booleans and strings. Empty is None.
Cell = str | int | float | bool | dt.date | dt.datetime | dt.time | None
Row = list[Cell]


def is_blank(value: Cell) -> bool:
    """True for an empty cell: None, an empty or all-space string, or NaN."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    return False


def canonical(value: Cell) -> str:
    """A string form under which two cells are equal when a human would call them the same.

    Used to decide whether a worker cell needs writing: 5, 5.0 and "5" are one value, so a
    backend that returns numbers differently never causes a rewrite.
    """
    # Most cells are text or empty: answered first (this runs for every compared cell).
    if type(value) is str:
        return value.strip()
    if value is None or is_blank(value):
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(round(value, 9))
    if isinstance(value, int):
        return str(value)
    return str(value).strip()


def row_is_blank(row: Row) -> bool:
    """True when every cell of the row is blank."""
    return all(is_blank(v) for v in row)


def column_letters(index: int) -> str:
    """The sheet's letters of a 0-based column: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """The 0-based column of the sheet's letters: A → 0, AA → 26."""
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - 64
    return index - 1
