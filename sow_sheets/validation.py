"""Rows to records: every row of every tab becomes a typed record or a located problem.

A bad cell never stops a run: it becomes a `Problem` (later a `gegevens` signal) and the
record keeps ``None``/the default for that field, marked in ``invalid``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sow_sheets.backends.base import Table
from sow_sheets.cells import Cell, canonical, is_blank
from sow_sheets.errors import ValueProblem
from sow_sheets.geo import Point, locate_pc4
from sow_sheets.records import (
    Activity,
    Attendance,
    Conversation,
    Elder,
    Family,
    Match,
    Problem,
    Records,
    Volunteer,
)
from sow_sheets.schema import Column, HeaderMap, Kind, Schema, TabSpec, map_headers
from sow_sheets.values import (
    choice_parser,
    parse_age_range,
    parse_ages,
    parse_conversation_kind,
    parse_count,
    parse_date,
    parse_days,
    parse_email,
    parse_frequency,
    parse_km,
    parse_latitude,
    parse_list,
    parse_longitude,
    parse_mobility,
    parse_money,
    parse_phone,
    parse_postcode,
    parse_status,
    parse_text,
    parse_time,
    parse_year,
    parse_yesno,
)
from sow_sheets.worktab import WorkerRow

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
}

# Columns without which a tab cannot be used; a missing one is a signal on the header row.
REQUIRED: dict[str, tuple[str, ...]] = {
    "grootouders": ("id", "postcode", "status", "consent"),
    "gezinnen": ("id", "postcode", "status", "consent", "children"),
    "ouderen": ("id", "postcode", "status", "consent"),
    "activiteiten": ("id", "title", "date"),
    "gesprekken": ("date", "subject", "kind"),
    "deelnames": ("date", "elder", "activity"),
}
# Cells that must not be empty in a non-blank row (ID is filled by the worker instead).
NOT_EMPTY: dict[str, tuple[str, ...]] = {
    "gezinnen": ("children",),
    "activiteiten": ("date",),
    "gesprekken": ("date", "subject", "kind"),
    "deelnames": ("date", "elder", "activity"),
}
EXPECT_FILLED = "een waarde (deze cel is verplicht)"


def _display(value: Cell) -> str:
    """The value as the Problem shows it: short, one line."""
    text = canonical(value)
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= 80 else text[:77] + "..."


@dataclass(frozen=True)
class IdFill:
    """A blank key cell the worker may fill, if the row is unchanged right before the write."""

    tab: str  # title
    row: int
    col: int
    value: str
    original: tuple[str, ...]  # canonical cells of the row as read, to compare on re-read


@dataclass
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


@dataclass
class Validated:
    """What validation hands to the deciding steps."""

    records: Records
    worker_rows: dict[str, list[WorkerRow]]
    headers: dict[str, HeaderMap]
    id_fills: list[IdFill]
    missing_tabs: list[str]

    def without(self, ids: set[str]) -> Validated:
        """The same validation minus the records with these IDs or Koppeling keys."""
        records = dataclasses.replace(
            self.records,
            volunteers=[p for p in self.records.volunteers if p.id not in ids],
            families=[p for p in self.records.families if p.id not in ids],
            elders=[p for p in self.records.elders if p.id not in ids],
            activities=[a for a in self.records.activities if a.id not in ids],
            matches=[m for m in self.records.matches if m.key not in ids],
        )
        fills = [f for f in self.id_fills if f.value not in ids]
        return dataclasses.replace(self, records=records, id_fills=fills)


def _parser(column: Column) -> Parser:
    if column.kind is Kind.CHOICE:
        return choice_parser(column.choices, {})
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
        self.problems.append(
            Problem(
                self.spec.title,
                row.row,
                self.header(key),
                _display(value),
                expected,
                subject=self.raw_text(row, "id"),
                organisation=self.raw_text(row, "organisation"),
                kind=kind,
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

    def rows(self) -> list[ParsedRow]:
        parsers = {c.key: _parser(c) for c in self.spec.columns if c.key in self.hmap.positions}
        required = NOT_EMPTY.get(self.spec.key, ())
        parsed = []
        for index, raw in enumerate(self.table.rows[1:], start=2):
            if all(is_blank(v) for v in raw):
                continue
            row = ParsedRow(index, {}, raw)
            for key, parse in parsers.items():
                pos = self.hmap.positions[key]
                try:
                    row.values[key] = parse(raw[pos] if pos < len(raw) else None)
                except ValueProblem as problem:
                    row.values[key] = None
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


def _person_fields(reader: TabReader, row: ParsedRow) -> dict[str, Any]:
    point = reader.point(row)
    return {
        "id": row.text("id"),
        "row": row.row,
        "name": row.text("name"),
        "organisation": row.text("organisation"),
        "intake_date": row.values.get("intake_date"),
        "status": row.get("status", "actief"),
        # Consent is never assumed: an empty cell means no consent yet.
        "consent": row.get("consent", False),
        "point": point,
        "invalid": frozenset(row.invalid),
    }


def _volunteer(reader: TabReader, row: ParsedRow) -> Volunteer:
    base = _person_fields(reader, row)
    return Volunteer(
        **base,
        birth_year=row.values.get("birth_year"),
        vog_date=row.values.get("vog_date"),
        max_km=row.get("max_km", 5.0),
        max_families=row.get("max_families", 1),
        frequency=row.values.get("frequency"),
        contact_kinds=row.get("contact_kinds", frozenset()),
        days=row.get("days", frozenset()),
        child_ages=row.values.get("child_ages"),
        languages=row.get("languages", frozenset({"nederlands"})),
        interests=row.get("interests", frozenset()),
        pets=row.get("pets", False),
        smokes=row.get("smokes", False),
    )


def _family(reader: TabReader, row: ParsedRow) -> Family:
    base = _person_fields(reader, row)
    return Family(
        **base,
        children=row.get("children", ()),
        frequency=row.values.get("frequency"),
        contact_kinds=row.get("contact_kinds", frozenset()),
        days=row.get("days", frozenset()),
        languages=row.get("languages", frozenset({"nederlands"})),
        interests=row.get("interests", frozenset()),
        no_pets=row.get("no_pets", False),
        smoke_free=row.get("smoke_free", False),
    )


def _elder(reader: TabReader, row: ParsedRow) -> Elder:
    base = _person_fields(reader, row)
    return Elder(
        **base,
        birth_year=row.values.get("birth_year"),
        interests=row.get("interests", frozenset()),
        mobility=row.get("mobility", "zelfstandig"),
        needs_transport=row.get("needs_transport", False),
    )


def _activity(reader: TabReader, row: ParsedRow) -> Activity:
    point = reader.point(row)
    return Activity(
        id=row.text("id"),
        row=row.row,
        title=row.text("title"),
        organisation=row.text("organisation"),
        programme=row.text("programme") or "Overig",
        date=row.values.get("date"),
        time=row.text("time"),
        location=row.text("location"),
        point=point,
        themes=row.get("themes", frozenset()),
        wheelchair=row.get("wheelchair", False),
        transport=row.get("transport", False),
        cost=row.get("cost", 0.0),
        places=row.values.get("places"),
        registration=row.get("registration", False),
        invalid=frozenset(row.invalid),
    )


PERSON_BUILDERS: dict[str, Callable[[TabReader, ParsedRow], Any]] = {
    "grootouders": _volunteer,
    "gezinnen": _family,
    "ouderen": _elder,
    "activiteiten": _activity,
}
PERSON_LISTS = {
    "grootouders": "volunteers",
    "gezinnen": "families",
    "ouderen": "elders",
    "activiteiten": "activities",
}


def _next_number(existing: set[str], prefix: str) -> int:
    numbers = [
        int(m[1])
        for key in existing
        if (m := re.fullmatch(rf"{prefix}-?(\d+)", key, re.IGNORECASE))
    ]
    return max(numbers, default=0) + 1


def _worker_rows(reader: TabReader) -> list[WorkerRow]:
    """Rows of a worker tab by key; cells stay raw (the deciding steps parse what they use)."""
    key_pos = reader.hmap.positions.get(reader.spec.key_column.key)
    rows: list[WorkerRow] = []
    if key_pos is None:
        return rows
    for index, raw in enumerate(reader.table.rows[1:], start=2):
        key = canonical(raw[key_pos]) if key_pos < len(raw) else ""
        if not key:
            continue
        values = {
            k: (raw[pos] if pos < len(raw) else None) for k, pos in reader.hmap.positions.items()
        }
        rows.append(WorkerRow(key, index, values))
    return rows


def _matches(
    reader: TabReader, today: dt.date, fills: list[IdFill], taken: set[str]
) -> list[Match]:
    """Koppelingen rows, including ones typed by hand (a blank key gets one, guarded)."""
    matches = []
    numbers = _next_number({canonical(r[0]) for r in reader.table.rows[1:] if r}, "KP")
    for row in reader.rows():
        if not row.text("volunteer") or not row.text("family"):
            if not row.text("key"):
                continue
            reader.problem(
                row,
                "volunteer" if not row.text("volunteer") else "family",
                EXPECT_FILLED,
            )
            continue
        key = row.text("key")
        if not key:
            key = f"KP-{numbers:04d}"
            numbers += 1
            fills.append(_fill(reader, row, "key", key))
            row.values["key"] = key
        status = (row.text("status") or "actief").casefold()
        end = row.values.get("end")
        active = status != "beëindigd" and status != "beeindigd" and (end is None or end > today)
        matches.append(
            Match(
                key,
                row.row,
                row.text("volunteer"),
                row.text("family"),
                row.values.get("start"),
                row.text("proposal"),
                active,
                end,
            )
        )
    return matches


def _fill(reader: TabReader, row: ParsedRow, key: str, value: str) -> IdFill:
    return IdFill(
        reader.spec.title,
        row.row,
        reader.hmap.positions[key],
        value,
        tuple(canonical(v) for v in row.raw),
    )


def validate(tables: dict[str, Table], schema: Schema, today: dt.date) -> Validated:
    """Validate every tab of one read into records, worker rows and ID fills."""
    problems: list[Problem] = []
    records = Records(problems=problems)
    worker_rows: dict[str, list[WorkerRow]] = {}
    headers: dict[str, HeaderMap] = {}
    fills: list[IdFill] = []
    missing: list[str] = []
    readers: dict[str, TabReader] = {}
    for spec in schema.tabs:
        table = tables.get(spec.title)
        if table is None:
            if not spec.worker and not spec.optional:
                missing.append(spec.title)
            table = Table(spec.title, [list[Cell](spec.headers)])
        reader = TabReader(spec, table, problems)
        readers[spec.key] = reader
        headers[spec.key] = reader.hmap
        if spec.worker:
            worker_rows[spec.key] = _worker_rows(reader)
        elif tables.get(spec.title) is not None:
            reader.missing_columns()

    all_ids: set[str] = set()
    for key, list_name in PERSON_LISTS.items():
        reader = readers[key]
        spec = reader.spec
        seen: dict[str, int] = {}
        rows = reader.rows()
        records.rows_read += len(rows)
        ids = {row.text("id") for row in rows if row.text("id")}
        number = _next_number(ids | all_ids, spec.id_prefix)
        target = getattr(records, list_name)
        for row in rows:
            ident = row.text("id")
            if not ident:
                if "id" not in reader.hmap.positions:
                    continue  # no ID column: a signal already asks for it
                # The row takes part under its new ID; if the guarded write of the ID fails,
                # the sync decides again without it (see sync.run_sync).
                ident = f"{spec.id_prefix}-{number:04d}"
                number += 1
                fills.append(_fill(reader, row, "id", ident))
                row.values["id"] = ident
            if ident in seen:
                reader.problem(
                    row,
                    "id",
                    f"een unieke ID (ook gebruikt in rij {seen[ident]})",
                    kind="dubbel",
                )
                continue
            seen[ident] = row.row
            target.append(PERSON_BUILDERS[key](reader, row))
        all_ids |= set(seen)

    records.matches = _matches(readers["koppelingen"], today, fills, all_ids)
    match_keys = {m.key for m in records.matches}
    subjects = all_ids | match_keys
    _conversations(readers["gesprekken"], records, subjects)
    _attendances(
        readers["deelnames"],
        records,
        {e.id for e in records.elders},
        {a.id for a in records.activities},
    )
    return Validated(records, worker_rows, headers, fills, missing)


def _conversations(reader: TabReader, records: Records, subjects: set[str]) -> None:
    rows = reader.rows()
    records.rows_read += len(rows)
    for row in rows:
        if row.invalid:
            continue
        subject = row.text("subject")
        if subject not in subjects:
            reader.problem(
                row,
                "subject",
                "een bestaande ID uit Grootouders, Gezinnen, Ouderen of Koppelingen",
            )
            continue
        records.conversations.append(
            Conversation(
                row.row,
                row.values["date"],
                subject,
                row.values["kind"],
                row.text("organisation"),
                row.values.get("next_due"),
            )
        )


def _attendances(
    reader: TabReader, records: Records, elders: set[str], activities: set[str]
) -> None:
    rows = reader.rows()
    records.rows_read += len(rows)
    for row in rows:
        if row.invalid:
            continue
        if row.text("elder") not in elders:
            reader.problem(row, "elder", "een bestaande ID uit Ouderen")
            continue
        if row.text("activity") not in activities:
            reader.problem(row, "activity", "een bestaande ID uit Activiteiten")
            continue
        records.attendances.append(
            Attendance(row.row, row.values["date"], row.text("elder"), row.text("activity"))
        )
