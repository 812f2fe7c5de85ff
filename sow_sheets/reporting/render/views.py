"""Slices of the report's table as the page shows them: rows of shown values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sow_sheets.reporting.frames import ALL_PARTNERS
from sow_sheets.reporting.period import MONTH, QUARTER, WHOLE
from sow_sheets.reporting.report import Report
from sow_sheets.reporting.suppression import HIDDEN, NOT_REACHED, NOTHING, SMALL

MARKERS = (SMALL, HIDDEN, NOTHING, NOT_REACHED)


@dataclass(frozen=True)
class Column:
    """One column of a table on the page: its header and which figure it shows."""

    header: str
    figure: str
    part: str = ""
    programme: str | None = None  # None: the figure's only (or first) programme


@dataclass(frozen=True)
class Grid:
    """A table for the page: a header row and rows of texts (the first cell names the row)."""

    caption: str
    headers: list[str]
    rows: list[list[str]]


def dutch(shown: str, unit: str) -> str:
    """A shown value as the page writes it: decimal comma, a % for shares."""
    if shown in MARKERS:
        return shown
    text = shown.replace(".", ",")
    return f"{text}%" if unit == "procent" else text


def value(report: Report, column: Column, organisation: str, first: object, last: object) -> str:
    rows = report.index.get((column.figure, column.part, organisation, first, last), [])
    for programme, shown, unit in rows:  # type: ignore[misc]
        if column.programme is None or programme == column.programme:
            return dutch(str(shown), str(unit))
    return NOTHING


def partner_grid(report: Report, caption: str, columns: Sequence[Column]) -> Grid:
    """Rows per partner (and all partners) for the whole period."""
    table = report.table
    figures = {c.figure for c in columns}
    relevant = table[table["figure"].isin(figures) & (table["level"] == WHOLE)]
    orgs = [o for o in dict.fromkeys(relevant["organisation"]) if o != ALL_PARTNERS]
    if ALL_PARTNERS in set(relevant["organisation"]):
        orgs.append(ALL_PARTNERS)
    first, last = report.period.span
    rows = [[org, *(value(report, c, org, first, last) for c in columns)] for org in orgs]
    return Grid(caption, ["Organisatie", *(c.header for c in columns)], rows)


def slice_grid(report: Report, caption: str, columns: Sequence[Column], level: str) -> Grid:
    """Rows per quarter or month for the report's scope (all partners, or the one)."""
    table = report.table
    figures = {c.figure for c in columns}
    slices = table[table["figure"].isin(figures) & (table["level"] == level)]
    spans = list(dict.fromkeys(zip(slices["period"], slices["first"], slices["last"], strict=True)))
    rows = [
        [label, *(value(report, c, report.scope, first, last) for c in columns)]
        for label, first, last in spans
    ]
    head = "Kwartaal" if level == QUARTER else "Maand" if level == MONTH else "Periode"
    return Grid(caption, [head, *(c.header for c in columns)], rows)


def shown_of(report: Report, figure: str, part: str = "", programme: str | None = None) -> str:
    """One value of the whole period for the report's scope, as the page writes it."""
    first, last = report.period.span
    return value(report, Column("", figure, part, programme), report.scope, first, last)


def number(shown: str) -> float | None:
    """A shown value as a number to draw, or None when it is hidden or missing."""
    if shown in MARKERS:
        return None
    return float(shown.rstrip("%").replace(",", "."))
