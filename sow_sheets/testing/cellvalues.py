"""One stored cell, how input options turn JSON into it, and how render options show it."""

from __future__ import annotations

import ast
import datetime as dt
import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sow_sheets.model.locales import DateOrder, date_order
from sow_sheets.testing.faults import ApiError

EPOCH = dt.datetime(1899, 12, 30)
MAX_CELL_CHARS = 50_000

Scalar = str | int | float | bool


@dataclass(slots=True)
class StoredCell:
    """A non-empty cell: its effective value, the formula if any, a date pattern if any."""

    value: Scalar
    formula: str | None = None
    pattern: str | None = None  # a date/time number format such as "yyyy-mm-dd"


def to_serial(value: dt.date | dt.datetime | dt.time) -> float:
    """A date, datetime or time as a Sheets serial number (days since 1899-12-30)."""
    if isinstance(value, dt.datetime):
        delta = value.replace(tzinfo=None) - EPOCH
        return delta.days + delta.seconds / 86400 + delta.microseconds / 86_400_000_000
    if isinstance(value, dt.date):
        return float((value - EPOCH.date()).days)
    return (value.hour * 3600 + value.minute * 60 + value.second) / 86400


def from_serial(serial: float) -> dt.datetime:
    """A serial number back to a datetime (rounded to the second)."""
    return EPOCH + dt.timedelta(seconds=round(serial * 86400))


def number(value: float | int) -> int | float:
    """A number as Google puts it in JSON: integral values without a fraction."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def check_length(text: str) -> None:
    if len(text) > MAX_CELL_CHARS:
        raise ApiError(
            400,
            f"Your input contains more than the maximum of {MAX_CELL_CHARS} characters "
            "in a single cell.",
        )


def from_raw(value: Any) -> StoredCell | None:
    """valueInputOption=RAW: strings stay strings (even "=1+1" or "007"); "" clears."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return StoredCell(value)
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise ApiError(400, "Invalid value: numbers must be finite")
        return StoredCell(number(value))
    if isinstance(value, str):
        check_length(value)
        return StoredCell(value)
    raise ApiError(
        400,
        "Invalid value at 'data.values' (type.googleapis.com/google.protobuf.ListValue), "
        f"{value!r}",
    )


_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_DMY = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})$")
_EN_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_NL_GROUPED = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+(,\d+)?|\d+,\d+)$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def from_user_entered(value: Any, locale: str = "nl_NL") -> StoredCell | None:
    """valueInputOption=USER_ENTERED, the subset the project meets: numbers, booleans,
    ISO dates and dates in the locale's order (to serials with a date format), times, and
    formulas (kept). In en_US "1-3-2026" is 3 January, as in Google Sheets."""
    order = date_order(locale)
    day_first = order == DateOrder.DAY_FIRST
    if not isinstance(value, str):
        return from_raw(value)
    check_length(value)
    text = value.strip()
    if text == "":
        return None
    if value.startswith("'"):
        return StoredCell(value[1:]) if len(value) > 1 else None
    if text.startswith("=") and len(text) > 1:
        return StoredCell(evaluate(text), formula=text)
    if text.upper() in ("TRUE", "FALSE"):
        return StoredCell(text.upper() == "TRUE")
    if _NUMBER.match(text):
        return StoredCell(number(float(text)))
    grouped = _EN_GROUPED if not day_first else _NL_GROUPED
    if grouped.match(text):
        plain = text.replace(",", "") if not day_first else text.replace(".", "").replace(",", ".")
        return StoredCell(number(float(plain)))
    parsed = _parse_date(text, day_first)
    if parsed is not None:
        return parsed
    return StoredCell(value)


def _parse_date(text: str, day_first: bool) -> StoredCell | None:
    try:
        m = _ISO.match(text)
        if m:
            y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if m.group(4) is None:
                return StoredCell(number(to_serial(dt.date(y, mo, d))), pattern="yyyy-mm-dd")
            moment = dt.datetime(y, mo, d, int(m.group(4)), int(m.group(5)), int(m.group(6) or 0))
            return StoredCell(to_serial(moment), pattern="yyyy-mm-dd hh:mm:ss")
        m = _DMY.match(text)
        if m:
            a, b, y = int(m.group(1)), int(m.group(3)), int(m.group(4))
            if y < 100:
                y += 2000 if y < 30 else 1900
            d, mo = (a, b) if day_first else (b, a)
            return StoredCell(number(to_serial(dt.date(y, mo, d))), pattern="d-m-yyyy")
        m = _TIME.match(text)
        if m:
            t = dt.time(int(m.group(1)), int(m.group(2)), int(m.group(3) or 0))
            return StoredCell(to_serial(t), pattern="hh:mm:ss")
    except ValueError:
        return None
    return None


_OPS: dict[type, Callable[..., Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}


def evaluate(formula: str) -> Scalar:
    """The value of a constant arithmetic formula; anything else is Google's "#NAME?"."""
    try:
        tree = ast.parse(formula[1:].strip().replace("^", "**"), mode="eval")
        return number(float(_eval(tree.body)))
    except ZeroDivisionError:
        return "#DIV/0!"
    except (SyntaxError, ValueError, TypeError, OverflowError):
        return "#NAME?"


def _eval(node: ast.AST) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return float(_OPS[type(node.op)](_eval(node.left), _eval(node.right)))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPS:
        return float(_OPS[type(node.op)](_eval(node.operand)))
    raise ValueError("unsupported formula")


def format_number(value: float | int) -> str:
    """Google's "General" display of a number: no trailing zeros, at most 10 decimals."""
    if isinstance(value, int) or value.is_integer():
        return str(int(value))
    return f"{value:.10f}".rstrip("0").rstrip(".")


def format_date(serial: float, pattern: str) -> str:
    moment = from_serial(serial)
    if pattern == "d-m-yyyy":
        return f"{moment.day}-{moment.month}-{moment.year}"
    if pattern == "hh:mm:ss":
        return moment.strftime("%H:%M:%S")
    if pattern == "yyyy-mm-dd hh:mm:ss":
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    return moment.strftime("%Y-%m-%d")


def render(cell: StoredCell, value_option: str, date_option: str) -> Scalar:
    """A cell under valueRenderOption and dateTimeRenderOption, as Google returns it."""
    if value_option == "FORMULA" and cell.formula is not None:
        return cell.formula
    value = cell.value
    if value_option == "FORMATTED_VALUE":
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, int | float):
            if cell.pattern:
                return format_date(value, cell.pattern)
            return format_number(value)
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if cell.pattern and date_option == "FORMATTED_STRING":
            return format_date(value, cell.pattern)
        return number(value)
    return value
