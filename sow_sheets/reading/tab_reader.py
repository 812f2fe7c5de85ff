"""Reading one tab against its spec: parse every cell, locate every bad one.

A bad cell becomes a `Problem` naming tab, row, column, the value found and the Dutch form
expected; the row keeps ``None`` for that field and lists it in ``invalid``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sow_sheets.model.cells import Cell, canonical, is_blank
from sow_sheets.model.errors import ValueProblem
from sow_sheets.model.geo import Point, locate_pc4
from sow_sheets.model.records import (
    Problem,
)
from sow_sheets.model.schema import Column, Kind, TabSpec, map_headers
from sow_sheets.model.sheet import Table
from sow_sheets.model.words import MatchStatus
from sow_sheets.reading.values import (
    choice_parser,
    parse_age_range,
    parse_ages,
    parse_contributions,
    parse_conversation_kind,
    parse_count,
    parse_date,
    parse_days,
    parse_email,
    parse_frequency,
    parse_help_kind,
    parse_help_kinds,
    parse_help_status,
    parse_km,
    parse_latitude,
    parse_list,
    parse_longitude,
    parse_mobility,
    parse_moment,
    parse_money,
    parse_need_date,
    parse_phone,
    parse_postcode,
    parse_source,
    parse_status,
    parse_text,
    parse_time,
    parse_transport,
    parse_urgency,
    parse_year,
    parse_yesno,
)

Parser = Callable[[Cell], Any]

PARSERS: dict[Kind, Parser] = {
    Kind.ID: parse_text,
    Kind.TEXT: parse_text,
    Kind.PERSONAL: parse_text,
    Kind.PHONE: parse_phone,
    Kind.EMAIL: parse_email,
    Kind.YEAR: parse_year,
    Kind.POSTCODE: parse_postcode,
    Kind.DATE: parse_date,
    Kind.YESNO: parse_yesno,
    Kind.STATUS: parse_status,
    Kind.DAYS: parse_days,
    Kind.FREQUENCY: parse_frequency,
    Kind.LIST: parse_list,
    Kind.AGE_RANGE: parse_age_range,
    Kind.AGES: parse_ages,
    Kind.COUNT: parse_count,
    Kind.KM: parse_km,
    Kind.LATITUDE: parse_latitude,
    Kind.LONGITUDE: parse_longitude,
    Kind.MOBILITY: parse_mobility,
    Kind.CONVERSATION: parse_conversation_kind,
    Kind.MONEY: parse_money,
    Kind.TIME: parse_time,
    Kind.MOMENT: parse_moment,
    Kind.HELP_KIND: parse_help_kind,
    Kind.HELP_KINDS: parse_help_kinds,
    Kind.NEED_DATE: parse_need_date,
    Kind.URGENCY: parse_urgency,
    Kind.SOURCE: parse_source,
    Kind.TRANSPORT: parse_transport,
    Kind.HELP_STATUS: parse_help_status,
    Kind.CONTRIBUTIONS: parse_contributions,
}

# Columns without which a tab cannot be used; a missing one is a signal on the header row.
REQUIRED: dict[str, tuple[str, ...]] = {
    "grootouders": ("id", "postcode", "status", "consent"),
    "gezinnen": ("id", "postcode", "status", "consent", "children"),
    "ouderen": ("id", "postcode", "status", "consent"),
    "activiteiten": ("id", "title", "date"),
    "gesprekken": ("date", "subject", "kind"),
    "deelnames": ("date", "elder", "activity"),
    "hulpvragen": ("id", "asked", "postcode", "kind", "consent"),
    "hulpaanbod": ("id", "postcode", "status", "consent"),
}
# Cells that must not be empty in a non-blank row (ID is filled by the worker instead).
NOT_EMPTY: dict[str, tuple[str, ...]] = {
    "gezinnen": ("children",),
    "activiteiten": ("date",),
    "gesprekken": ("date", "kind"),  # `Betreft` too, unless a wijkgesprek has `Wijk`
    "deelnames": ("date", "elder", "activity"),
    "hulpvragen": ("asked", "kind"),
}
EXPECT_FILLED = "een waarde (deze cel is verplicht)"


# Columns of contact data and free text about a person: a problem names them, never quotes them.
PRIVATE_KINDS = frozenset({Kind.PHONE, Kind.EMAIL, Kind.PERSONAL})
_CONTACT_LIKE = re.compile(r"@|(?:\d\D{0,2}){9,}")


def looks_private(value: Cell) -> bool:
    """A value that may be contact data wherever it was typed: an @ or nine or more digits
    (a phone number; a date has at most eight)."""
    return bool(_CONTACT_LIKE.search(canonical(value)))


def display(value: Cell) -> str:
    """The value as a Problem shows it: short, one line."""
    text = canonical(value)
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= 80 else text[:77] + "..."


# The one empty set every record without a list value shares (there are 100,000s of them).
NOTHING: frozenset[str] = frozenset()


@dataclass(slots=True)
class ParsedRow:
    """One non-blank row's parsed cells by column key, and which of them were invalid."""

    row: int
    values: dict[str, Any]
    raw: list[Cell]
    invalid: set[str] = field(default_factory=set)

    def get(self, key: str, default: Any = None) -> Any:
        value = self.values.get(key)
        return default if value is None else value

    def text(self, key: str) -> str:
        return str(self.values.get(key) or "")

    def invalid_keys(self) -> frozenset[str]:
        """The invalid columns as a record keeps them (valid rows share one empty set)."""
        return frozenset(self.invalid) if self.invalid else NOTHING


# Other words people type in a choice column of a worker tab, per tab and column.
CHOICE_ALIASES: dict[tuple[str, str], dict[str, str]] = {
    ("koppelingen", "status"): {
        "beeindigt": MatchStatus.ENDED,
        "geeindigd": MatchStatus.ENDED,
        "gestopt": MatchStatus.ENDED,
        "gestopt.": MatchStatus.ENDED,
        "afgesloten": MatchStatus.ENDED,
        "einde": MatchStatus.ENDED,
        "klaar": MatchStatus.ENDED,
        "active": MatchStatus.ACTIVE,
        "lopend": MatchStatus.ACTIVE,
        "loopt": MatchStatus.ACTIVE,
    },
}


def _parser(column: Column, tab: str = "") -> Parser:
    if column.kind is Kind.CHOICE:
        return choice_parser(column.choices, CHOICE_ALIASES.get((tab, column.key), {}))
    if column.kind is Kind.NUMBER:
        return lambda v: None if is_blank(v) else v
    return PARSERS[column.kind]


class TabReader:
    """Parses one tab's rows against its spec, collecting problems with tab/row/column."""

    def __init__(self, spec: TabSpec, table: Table, problems: list[Problem]) -> None:
        self.spec = spec
        self.table = table
        self.hmap = map_headers(spec, table.header)
        self.problems = problems

    def header(self, key: str) -> str:
        pos = self.hmap.positions.get(key)
        if pos is None:
            return self.spec.column(key).header
        return canonical(self.table.header[pos]) or self.spec.column(key).header

    def problem(self, row: ParsedRow, key: str, expected: str, kind: str = "gegevens") -> None:
        pos = self.hmap.positions.get(key)
        value = row.raw[pos] if pos is not None and pos < len(row.raw) else None
        row.invalid.add(key)
        private = self.spec.column(key).kind in PRIVATE_KINDS or looks_private(value)
        self.problems.append(
            Problem(
                self.spec.title,
                row.row,
                self.header(key),
                "" if private else display(value),
                expected,
                subject=self.raw_text(row, "id") or self.raw_text(row, "key"),
                organisation=self.raw_text(row, "organisation"),
                kind=kind,
                private=private,
            )
        )

    def raw_text(self, row: ParsedRow, key: str) -> str:
        """A cell as text straight from the row (parsing may not have reached it yet)."""
        pos = self.hmap.positions.get(key)
        return canonical(row.raw[pos]) if pos is not None and pos < len(row.raw) else ""

    def missing_columns(self) -> None:
        for key in REQUIRED.get(self.spec.key, ()):
            if key in self.hmap.missing:
                self.problems.append(
                    Problem(
                        self.spec.title,
                        1,
                        self.spec.column(key).header,
                        "",
                        f'een kolom "{self.spec.column(key).header}" in de kopregel',
                    )
                )

    def parser(self, column: Column) -> Parser:
        """How this tab reads a column's cells (a form's tab reads its own language first)."""
        return _parser(column, self.spec.key)

    def rows(self) -> list[ParsedRow]:
        present = [c for c in self.spec.columns if c.key in self.hmap.positions]
        parsers = {c.key: self.parser(c) for c in present}
        required = NOT_EMPTY.get(self.spec.feeds or self.spec.key, ())
        plan = [(key, self.hmap.positions[key], parse) for key, parse in parsers.items()]
        parsed = []
        for index, raw in enumerate(self.table.rows[1:], start=2):
            # Nearly every row starts with its ID: only a row with a blank first cell is
            # scanned in full.
            if not raw or (is_blank(raw[0]) and all(is_blank(v) for v in raw)):
                continue
            values: dict[str, Any] = {}
            row = ParsedRow(index, values, raw)
            width = len(raw)
            for key, pos, parse in plan:
                try:
                    values[key] = parse(raw[pos] if pos < width else None)
                except ValueProblem as problem:
                    values[key] = None
                    self.problem(row, key, problem.expected)
            for key in required:
                if key in parsers and row.values.get(key) is None and key not in row.invalid:
                    self.problem(row, key, EXPECT_FILLED)
            parsed.append(row)
        return parsed

    def point(self, row: ParsedRow) -> Point | None:
        """Coordinates override the postcode; an unknown PC4 is a problem."""
        lat, lon = row.values.get("latitude"), row.values.get("longitude")
        if lat is not None and lon is not None:
            return Point(lat, lon)
        postcode = row.values.get("postcode")
        if postcode is None:
            return None
        point = locate_pc4(postcode[0])
        if point is None:
            self.problem(row, "postcode", "een bestaande Nederlandse postcode zoals 2711 AB")
        return point
