"""Where a person is in the spreadsheet: every cell about them, and what anonymising blanks.

    found = cells_about(tables, schema, "GO-0012")   # Subject: IDs and located cells
    plan = anonymise_plan(tables, schema, "GO-0012") # the blanks to write, each with its value

A person's cells are their rows in the person tabs (under their ID and any ID a coordinator
linked to it with `zelfde persoon`), the conversations, attendances, matches and proposals
about them, and the signals about them. A cell that names *another* person (the other
party's name in a proposal) is left out of the export and left alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from sow_sheets.duplicates.signals import answers
from sow_sheets.model.cells import Cell, canonical, is_blank
from sow_sheets.model.schema import Kind, Schema, TabSpec, map_headers
from sow_sheets.model.sheet import Table
from sow_sheets.model.words import DuplicateAnswer
from sow_sheets.model.worktab import WorkerRow

PERSON_TABS = ("grootouders", "gezinnen", "ouderen", "hulpvragen", "hulpaanbod")
# Person-tab columns anonymising blanks: free text about the person and contact data.
BLANKED_KINDS = frozenset({Kind.PERSONAL, Kind.PHONE, Kind.EMAIL, Kind.LATITUDE, Kind.LONGITUDE})
# Worker and log tabs: (tab, column holding an ID, columns about that ID's person, names of
# another person). Toelichting is the coordinator's free note on the row.
REFERENCES: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("voorstellen", "volunteer", ("volunteer_name", "comment"), ("family_name",)),
    ("voorstellen", "family", ("family_name", "comment"), ("volunteer_name",)),
    ("koppelingen", "volunteer", (), ()),
    ("koppelingen", "family", (), ()),
    ("activiteitvoorstellen", "elder", ("name", "comment"), ()),
    ("hulpvoorstellen", "request", ("comment",), ("helper_name",)),
    ("hulpvoorstellen", "helper", ("helper_name", "comment"), ()),
    ("signalen", "subject", ("name", "comment"), ()),
    ("deelnames", "elder", (), ()),
)


@dataclass(frozen=True)
class Located:
    """One cell: tab title, 1-based sheet row, header as in the sheet, value as read."""

    tab: str
    row: int
    column: str
    col: int  # 0-based
    value: Cell


@dataclass
class Subject:
    """A person's IDs (the one asked for first) and every cell about them."""

    ids: list[str]
    cells: list[Located] = field(default_factory=list)

    @property
    def tabs(self) -> list[str]:
        return sorted({c.tab for c in self.cells})


@dataclass
class Anonymisation:
    """The cells anonymising blanks (each with the value read) and, per row touched, the
    key cell that must still hold the same ID or key when the write comes."""

    subject: Subject
    blanks: list[Located] = field(default_factory=list)
    postcodes: list[tuple[Located, str]] = field(default_factory=list)  # cell, 4 digits kept
    anchors: dict[tuple[str, int], Located] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.blanks) + len(self.postcodes)


class _Tab:
    """A read tab with its columns found by header."""

    def __init__(self, spec: TabSpec, table: Table) -> None:
        self.spec = spec
        self.table = table
        self.positions = map_headers(spec, table.header).positions

    def text(self, raw: list[Cell], key: str) -> str:
        pos = self.positions.get(key)
        return canonical(raw[pos]) if pos is not None and pos < len(raw) else ""

    def rows(self) -> Iterator[tuple[int, list[Cell]]]:
        yield from enumerate(self.table.rows[1:], start=2)

    def cell(self, number: int, raw: list[Cell], col: int) -> Located:
        header = canonical(self.table.header[col]) if col < len(self.table.header) else ""
        return Located(self.spec.title, number, header, col, raw[col] if col < len(raw) else None)

    def cells(self, number: int, raw: list[Cell], skip: tuple[str, ...] = ()) -> list[Located]:
        """The row's non-blank cells, without the columns in ``skip``."""
        skipped = {self.positions[k] for k in skip if k in self.positions}
        return [
            self.cell(number, raw, col)
            for col, value in enumerate(raw)
            if not is_blank(value) and col not in skipped
        ]


def _tabs(tables: dict[str, Table], schema: Schema) -> dict[str, _Tab]:
    return {
        spec.key: _Tab(spec, tables[spec.title]) for spec in schema.tabs if spec.title in tables
    }


def _linked_ids(tabs: dict[str, _Tab], person: str) -> list[str]:
    """The person's ID and every ID confirmed as the same person in Signalen."""
    signals = tabs.get("signalen")
    if signals is None or "action" not in signals.positions:
        return [person]
    rows = [
        WorkerRow(signals.text(raw, "key"), number, {"action": raw[signals.positions["action"]]})
        for number, raw in signals.rows()
        if signals.positions["action"] < len(raw)
    ]
    same = [ids for ids, a in answers(rows).items() if a is DuplicateAnswer.SAME]
    group = {person}
    changed = True
    while changed:
        changed = False
        for first, second in same:
            if (first in group) != (second in group):
                group |= {first, second}
                changed = True
    return [person, *sorted(group - {person})]


def _match_keys(tabs: dict[str, _Tab], ids: set[str]) -> set[str]:
    matches = tabs.get("koppelingen")
    if matches is None:
        return set()
    return {
        matches.text(raw, "key")
        for _, raw in matches.rows()
        if matches.text(raw, "volunteer") in ids or matches.text(raw, "family") in ids
    } - {""}


def cells_about(tables: dict[str, Table], schema: Schema, person: str) -> Subject:
    """Every cell about ``person`` (and the IDs linked to it), tab by tab, in sheet order."""
    tabs = _tabs(tables, schema)
    subject = Subject(_linked_ids(tabs, person))
    ids = set(subject.ids)
    for key in PERSON_TABS:
        tab = tabs.get(key)
        for number, raw in tab.rows() if tab else ():
            if tab is not None and tab.text(raw, "id") in ids:
                subject.cells += tab.cells(number, raw)
    about = ids | _match_keys(tabs, ids)
    talks = tabs.get("gesprekken")
    for number, raw in talks.rows() if talks else ():
        if talks is not None and talks.text(raw, "subject") in about:
            subject.cells += talks.cells(number, raw)
    for number, raw, tab, others in _referring_rows(tabs, ids, about):
        subject.cells += tab.cells(number, raw, skip=others)
    return subject


def _referring_rows(
    tabs: dict[str, _Tab], ids: set[str], about: set[str]
) -> Iterator[tuple[int, list[Cell], _Tab, tuple[str, ...]]]:
    """Worker-tab rows that refer to the person, once each, with the other person's columns."""
    seen: set[tuple[str, int]] = set()
    for key, column, _own, others in REFERENCES:
        tab = tabs.get(key)
        if tab is None or column not in tab.positions:
            continue
        wanted = about if key == "signalen" else ids
        for number, raw in tab.rows():
            refers = tab.text(raw, column) in wanted or _names_pair(tab, raw, ids)
            if refers and (key, number) not in seen:
                seen.add((key, number))
                # A match's signal names both parties: not the other one's name.
                mine = tab.text(raw, column) in ids or key != "signalen"
                yield number, raw, tab, others if mine else ("name",)


def _names_pair(tab: _Tab, raw: list[Cell], ids: set[str]) -> bool:
    """A `mogelijk dubbel` signal whose key names one of the IDs."""
    if tab.spec.key != "signalen":
        return False
    parts = tab.text(raw, "key").split(":")
    return len(parts) == 3 and bool(ids & {parts[1], parts[2]})


def anonymise_plan(tables: dict[str, Table], schema: Schema, person: str) -> Anonymisation:
    """What anonymising ``person`` blanks: name, contact data and notes in their rows, the
    notes of conversations about them and their names and notes in worker tabs. IDs, dates,
    organisation, programme, status and the 4 digits of the postcode stay, so counts do."""
    tabs = _tabs(tables, schema)
    plan = Anonymisation(cells_about(tables, schema, person))
    ids = set(plan.subject.ids)

    def anchor(tab: _Tab, number: int, raw: list[Cell], key: str) -> None:
        pos = tab.positions.get(key)
        if pos is not None:
            plan.anchors[(tab.spec.title, number)] = tab.cell(number, raw, pos)

    def blank(tab: _Tab, number: int, raw: list[Cell], keys: tuple[str, ...]) -> None:
        for key in keys:
            pos = tab.positions.get(key)
            if pos is not None and pos < len(raw) and not is_blank(raw[pos]):
                plan.blanks.append(tab.cell(number, raw, pos))

    for key in PERSON_TABS:
        tab = tabs.get(key)
        if tab is None or "id" not in tab.positions:
            continue
        personal = tuple(c.key for c in tab.spec.columns if c.kind in BLANKED_KINDS)
        for number, raw in tab.rows():
            if tab.text(raw, "id") not in ids:
                continue
            anchor(tab, number, raw, "id")
            blank(tab, number, raw, personal)
            pos = tab.positions.get("postcode")
            if pos is not None and pos < len(raw):
                digits = "".join(ch for ch in canonical(raw[pos]) if ch.isdigit())[:4]
                if canonical(raw[pos]) != digits and len(digits) == 4:
                    plan.postcodes.append((tab.cell(number, raw, pos), digits))
    about = ids | _match_keys(tabs, ids)
    talks = tabs.get("gesprekken")
    if talks is not None and "subject" in talks.positions:
        for number, raw in talks.rows():
            if talks.text(raw, "subject") in about:
                anchor(talks, number, raw, "subject")
                blank(talks, number, raw, ("note",))
    for key, column, own, _others in REFERENCES:
        tab = tabs.get(key)
        if tab is None or not own or column not in tab.positions:
            continue
        wanted = about if key == "signalen" else ids
        for number, raw in tab.rows():
            if tab.text(raw, column) in wanted or _names_pair(tab, raw, ids):
                anchor(tab, number, raw, tab.spec.key_column.key)
                blank(tab, number, raw, own)
    return plan
