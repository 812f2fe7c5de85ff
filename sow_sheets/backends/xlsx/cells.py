"""Cells as worksheet XML: literal strings (inline), numbers, booleans and dates.

Strings are always inline strings (``t="inlineStr"``): text such as ``=HYPERLINK(...)`` stays
text and never becomes a formula, and the shared-strings part is never touched.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from xml.sax.saxutils import escape

from sow_sheets.model.cells import Cell

# XML 1.0 forbids these control characters in text.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Excel reads "_x0041_" in text as an escaped character; escape the underscore to keep it literal.
_ESCAPED = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_EPOCH = dt.datetime(1899, 12, 30)


def text_xml(value: str) -> str:
    """Cell text, escaped for XML and for Excel's ``_xHHHH_`` convention."""
    return escape(_ESCAPED.sub(r"_x005F_\1", _ILLEGAL.sub("", value)))


def serial(value: dt.date | dt.datetime | dt.time) -> float:
    """The spreadsheet serial number of a date, date-time or time of day."""
    if isinstance(value, dt.time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    delta = value.replace(tzinfo=None) - _EPOCH
    return delta.days + delta.seconds / 86400


def cell_xml(ref: str, value: Cell, style: str | None, date_style: int, p: str = "") -> str:
    """One ``<c>`` element, or "" for a blank value without a style to keep.

    ``style`` is the cell's existing ``s`` attribute (kept, except on dates, which get
    ``date_style``); ``p`` is the worksheet's namespace prefix ("" or "x:").
    """
    s = f' s="{style}"' if style is not None else ""
    if value is None or (isinstance(value, str) and not value) or _is_nan(value):
        return f'<{p}c r="{ref}"{s}/>' if s else ""
    if isinstance(value, bool):
        return f'<{p}c r="{ref}"{s} t="b"><{p}v>{int(value)}</{p}v></{p}c>'
    if isinstance(value, int | float):
        return f'<{p}c r="{ref}"{s}><{p}v>{_number(value)}</{p}v></{p}c>'
    if isinstance(value, dt.date | dt.time):
        ds = f' s="{date_style}"'
        return f'<{p}c r="{ref}"{ds}><{p}v>{_number(serial(value))}</{p}v></{p}c>'
    text = text_xml(str(value))
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f'<{p}c r="{ref}"{s} t="inlineStr"><{p}is><{p}t{space}>{text}</{p}t></{p}is></{p}c>'


def _is_nan(value: Cell) -> bool:
    return isinstance(value, float) and not math.isfinite(value)


def _number(value: float) -> str:
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return str(int(value))
    return repr(float(value))
