"""What each partner's weekly digest counts, read from the worker tabs by header.

Every item is shown by IDs and keys only: the worker tabs' name, description and comment
columns are never read here. One organisation per item, so the partners' counts add up:

- Signalen rows carry their own `Organisatie` (the person's partner, as the engine wrote it).
- A match proposal (Voorstellen) belongs to the family's partner (`Organisatie` in Gezinnen,
  found by the family's ID): the family is the one waiting, and its partner introduces the
  volunteer. A family without one falls back to the volunteer's partner (Grootouders).
- An activity suggestion (Activiteitvoorstellen) belongs to the older person's partner
  (Ouderen): that partner's staff decide with the person.

A new kind of count is one function that yields (organisation, item) pairs and one line in
``SECTIONS``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from sow_sheets.model.cells import Cell, canonical
from sow_sheets.model.dutch import day_date_text
from sow_sheets.model.errors import ValueProblem
from sow_sheets.model.schema import Schema, map_headers
from sow_sheets.model.sheet import Table
from sow_sheets.model.words import (
    HelpRequestStatus,
    ProposalStatus,
    SignalStatus,
    SignalType,
    SuggestionStatus,
)
from sow_sheets.notify.settings import organisation_key
from sow_sheets.reading.values import parse_date

NO_ORGANISATION = "zonder organisatie"


@dataclass(frozen=True)
class Item:
    """One line of a digest: IDs and a short Dutch detail; ``key`` is the row's key."""

    text: str
    key: str = ""


@dataclass(frozen=True)
class Section:
    """One count of a digest. ``items`` are what is listed; ``total`` counts every open one
    (more than the items when only the new ones are listed)."""

    key: str
    title: str
    items: tuple[Item, ...]
    total: int
    keys: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PartnerDigest:
    """One partner's week: its sections and the other open signals by type."""

    organisation: str
    week: dt.date
    sections: tuple[Section, ...]
    other_signals: Mapping[str, int] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not any(s.items for s in self.sections) and not self.other_signals

    def keys(self, section: str) -> frozenset[str]:
        """The keys of every open row under ``section``, listed or not (remembered for "new")."""
        return frozenset(k for s in self.sections if s.key == section for k in s.keys)


class SheetView:
    """The tables of one read, looked at by column key; organisations of IDs on demand."""

    def __init__(self, tables: Mapping[str, Table], schema: Schema) -> None:
        self.tables, self.schema = tables, schema
        self._organisations: dict[str, dict[str, str]] = {}

    def rows(self, tab: str, *keys: str) -> Iterator[dict[str, Cell]]:
        """Each data row of a tab as column key → cell, for ``keys`` only (absent tab or
        column: none). Blank rows come through with empty cells; they match no count."""
        spec = self.schema.tab(tab)
        table = self.tables.get(spec.title)
        if table is None or not table.rows:
            return
        positions = map_headers(spec, table.header).positions
        wanted = [(key, positions[key]) for key in keys if key in positions]
        for row in table.rows[1:]:
            width = len(row)
            yield {key: row[p] if p < width else None for key, p in wanted}

    def organisation(self, tab: str, ident: Cell) -> str:
        """`Organisatie` of the row with this ``ID`` in a human tab; "" when unknown."""
        if tab not in self._organisations:
            index: dict[str, str] = {}
            for row in self.rows(tab, "id", "organisation"):
                found = canonical(row.get("id"))
                if found:
                    index.setdefault(found, canonical(row.get("organisation")))
            self._organisations[tab] = index
        return self._organisations[tab].get(canonical(ident), "")


Found = Iterable[tuple[str, Item]]
SIGNAL_COLUMNS = ("key", "type", "subject", "organisation", "due", "days_late", "status")


def _open_signals(sheet: SheetView, *types: str) -> Iterator[dict[str, Cell]]:
    for row in sheet.rows("signalen", *SIGNAL_COLUMNS):
        kind = canonical(row.get("type"))
        if kind in types and canonical(row.get("status")) == SignalStatus.OPEN:
            yield row


def _days(n: int) -> str:
    return "1 dag" if n == 1 else f"{n} dagen"


def late_conversations(sheet: SheetView) -> Found:
    """Most overdue first."""
    found = []
    for row in _open_signals(sheet, SignalType.LATE):
        days = canonical(row.get("days_late"))
        detail = f" ({_days(int(float(days)))} te laat)" if days.replace(".", "").isdigit() else ""
        item = Item(canonical(row.get("subject")) + detail, canonical(row.get("key")))
        found.append((_date(row.get("due")), canonical(row.get("organisation")), item))
    return _by_date(found)


def soon_conversations(sheet: SheetView) -> Found:
    """Soonest first."""
    found = []
    for row in _open_signals(sheet, SignalType.SOON):
        due = _date(row.get("due"))
        detail = f" (uiterlijk {day_date_text(due)})" if due else ""
        item = Item(canonical(row.get("subject")) + detail, canonical(row.get("key")))
        found.append((due, canonical(row.get("organisation")), item))
    return _by_date(found)


def _by_date(found: list[tuple[dt.date | None, str, Item]]) -> list[tuple[str, Item]]:
    """Earliest due date first; signals without one last, in sheet order."""
    ordered = sorted(found, key=lambda entry: entry[0] or dt.date.max)
    return [(organisation, item) for _, organisation, item in ordered]


def data_problems(sheet: SheetView) -> Found:
    for row in _open_signals(sheet, SignalType.DATA, SignalType.DUPLICATE):
        key = canonical(row.get("key"))
        yield canonical(row.get("organisation")), Item(_problem_text(row, key), key)


def _problem_text(row: dict[str, Cell], key: str) -> str:
    """``GZ-0012 (Gezinnen, kolom Postcode)``: the ID and where, from the signal's key.

    A data problem's key is ``type:tab:ID or "rij N":column`` (followup/signals.py); the
    description is not used, as it quotes the cell's value.
    """
    subject = canonical(row.get("subject"))
    parts = key.split(":")
    if len(parts) != 4:
        return subject or key
    _, tab, where, column = parts
    if canonical(row.get("type")) == SignalType.DUPLICATE:
        return f"{subject or where} (dubbel in {tab})"
    return f"{subject} ({tab}, kolom {column})" if subject else f"{tab}, {where}, kolom {column}"


def open_proposals(sheet: SheetView) -> Found:
    for row in sheet.rows("voorstellen", "key", "volunteer", "family", "status", "decision"):
        if canonical(row.get("status")) != ProposalStatus.OPEN or canonical(row.get("decision")):
            continue
        volunteer, family = canonical(row.get("volunteer")), canonical(row.get("family"))
        owner = sheet.organisation("gezinnen", family) or sheet.organisation(
            "grootouders", volunteer
        )
        key = canonical(row.get("key"))
        yield owner, Item(f"{key}: {volunteer} met gezin {family}", key)


def open_suggestions(sheet: SheetView) -> Found:
    columns = ("key", "elder", "activity", "status", "decision")
    for row in sheet.rows("activiteitvoorstellen", *columns):
        if canonical(row.get("status")) != SuggestionStatus.OPEN or canonical(row.get("decision")):
            continue
        elder, activity = canonical(row.get("elder")), canonical(row.get("activity"))
        key = canonical(row.get("key"))
        item = Item(f"{key}: {elder} naar activiteit {activity}", key)
        yield sheet.organisation("ouderen", elder), item


def unhelped_requests(sheet: SheetView) -> Found:
    """Open help requests (Hulpvragen) without an accepted helper, for the request's partner."""
    helped = {
        canonical(row.get("request"))
        for row in sheet.rows("hulpvoorstellen", "request", "status")
        if canonical(row.get("status")) == ProposalStatus.MATCHED
    }
    for row in sheet.rows("hulpvragen", "id", "organisation", "urgency", "status"):
        ident = canonical(row.get("id"))
        status = canonical(row.get("status")).casefold() or HelpRequestStatus.OPEN
        if not ident or status != HelpRequestStatus.OPEN or ident in helped:
            continue
        urgency = canonical(row.get("urgency"))
        detail = f" ({urgency})" if urgency else ""
        yield canonical(row.get("organisation")), Item(ident + detail, f"hulpvraag:{ident}")


@dataclass(frozen=True)
class SectionSpec:
    """How one count is found, its Dutch title, and whether only new items are listed."""

    key: str
    title: str
    find: Callable[[SheetView], Found]
    only_new: bool = False


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("late", "Gesprekken te laat", late_conversations),
    SectionSpec("soon", "Gesprekken die binnenkort nodig zijn", soon_conversations),
    SectionSpec("problems", "Nieuwe fouten in jullie gegevens", data_problems, only_new=True),
    SectionSpec("proposals", "Koppelvoorstellen die wachten op een besluit", open_proposals),
    SectionSpec(
        "suggestions", "Voorgestelde activiteiten die wachten op een besluit", open_suggestions
    ),
    SectionSpec("help", "Hulpvragen zonder helper", unhelped_requests),
)
COUNTED_TYPES = frozenset({SignalType.LATE, SignalType.SOON, SignalType.DATA, SignalType.DUPLICATE})


def _date(value: Cell) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return parse_date(value)
    except ValueProblem:
        return None


@dataclass
class _Partner:
    configured: str = ""
    spellings: Counter[str] = field(default_factory=Counter)
    items: dict[str, list[Item]] = field(default_factory=dict)
    other: Counter[str] = field(default_factory=Counter)

    @property
    def name(self) -> str:
        """The configured name, else the spelling the sheet uses most."""
        if self.configured:
            return self.configured
        common = self.spellings.most_common(1)
        return common[0][0] if common else NO_ORGANISATION


def build_digests(
    tables: Mapping[str, Table],
    schema: Schema,
    week: dt.date,
    reported: Mapping[str, frozenset[str]] | None = None,
    partners: Iterable[str] = (),
) -> dict[str, PartnerDigest]:
    """Each organisation's digest for ``week``, keyed by ``organisation_key``.

    ``reported`` holds, per organisation, the data-problem keys its previous digest listed:
    those are not new. ``partners`` (the configured names) always get a digest, even an empty
    one, under their configured spelling. Items without an organisation go under "".
    """
    reported = reported or {}
    sheet = SheetView(tables, schema)
    found: dict[str, _Partner] = {organisation_key(p): _Partner(p.strip()) for p in partners}

    def partner(name: str) -> _Partner:
        key = organisation_key(name)
        entry = found.get(key) or found.setdefault(key, _Partner())
        if name.strip():
            entry.spellings[" ".join(name.split())] += 1
        return entry

    for spec in SECTIONS:
        for organisation, item in spec.find(sheet):
            partner(organisation).items.setdefault(spec.key, []).append(item)
    for row in sheet.rows("signalen", "type", "status", "organisation"):
        kind = canonical(row.get("type"))
        if canonical(row.get("status")) == SignalStatus.OPEN and kind not in COUNTED_TYPES:
            partner(canonical(row.get("organisation"))).other[kind] += 1
    digests = {}
    for key, data in found.items():
        sections = []
        for spec in SECTIONS:
            items = data.items.get(spec.key, [])
            shown = items
            if spec.only_new:
                old = reported.get(key, frozenset())
                shown = [i for i in items if i.key not in old]
            keys = frozenset(i.key for i in items)
            sections.append(Section(spec.key, spec.title, tuple(shown), len(items), keys))
        digests[key] = PartnerDigest(data.name, week, tuple(sections), dict(data.other))
    return digests


def digest_week(now: dt.datetime, weekday: int, at: dt.time) -> dt.date:
    """The day the current digest week began: the latest ``weekday`` at ``at`` ≤ ``now``.

    A digest is due once per such week; a run later in the week sends one still unsent.
    """
    day = now.date() - dt.timedelta(days=(now.weekday() - weekday) % 7)
    if dt.datetime.combine(day, at) > now:
        day -= dt.timedelta(days=7)
    return day


def sheet_organisations(tables: Mapping[str, Table], schema: Schema) -> dict[str, str]:
    """Every organisation named in the people's tabs, by ``organisation_key`` (for ``check``)."""
    sheet = SheetView(tables, schema)
    found: dict[str, str] = {}
    for tab in ("grootouders", "gezinnen", "ouderen", "hulpvragen", "hulpaanbod"):
        for row in sheet.rows(tab, "organisation"):
            name = canonical(row.get("organisation"))
            if name:
                found.setdefault(organisation_key(name), name)
    return found
