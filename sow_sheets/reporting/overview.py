"""The coordinator's `Overzicht` tab (``build_overview``, rewritten every run, aggregates and
IDs only) and its "this quarter" block: the report's figures for
the quarter ``today`` lies in, as rows of label and value in plain Dutch.

    rows = quarter_block(validated, schema, rules, today)
    # [("Dit kwartaal", "K4 2026 (1-10-2026 t/m 31-12-2026, tot en met vandaag)"),
    #  ("Intakes Gezinnen", 12), ("Nieuwe koppelingen", 5), ...]

Same code as the report (``build_report``), all partners together. Values are the report's
shown values: a number, or "<5" / "x" where the report hides one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from sow_sheets.followup.rules import Rule
from sow_sheets.model.cells import Cell, canonical, is_blank
from sow_sheets.model.dutch import date_text
from sow_sheets.model.layout import (
    OVERVIEW_TITLE,
    BarChart,
    CellList,
    ColumnLayout,
    Link,
    SheetLook,
    TabLayout,
)
from sow_sheets.model.programmes import NONE_PAUSED, ProgrammeSettings
from sow_sheets.model.records import Problem
from sow_sheets.model.schema import Schema, TabSpec, map_headers
from sow_sheets.model.sheet import Table
from sow_sheets.model.words import (
    GOES_AHEAD_WORDS,
    PAUSE_WORDS,
    MatchStatus,
    ProgrammeSetting,
    ProposalStatus,
    SignalStatus,
    SignalType,
    SuggestionStatus,
    choices,
    word_key,
)
from sow_sheets.reading.tab_reader import display, looks_private
from sow_sheets.reading.validation import Validated
from sow_sheets.reporting.figures import (
    health_figures,
    intake_figures,
    match_figures,
    ontime_figures,
    reach_figures,
    waiting_figures,
)
from sow_sheets.reporting.frames import ALL_PARTNERS, ALL_PROGRAMMES, MATCHING
from sow_sheets.reporting.neighbourhoods import neighbourhood_counts
from sow_sheets.reporting.period import quarter_of
from sow_sheets.reporting.report import Report, build_report

# (label in the sheet, figure, part, programme); the part "" is the figure's whole.
_LINES: tuple[tuple[str, str, str, str], ...] = (
    ("Nieuwe koppelingen", "koppelingen gestart", "", MATCHING),
    ("Koppelingen die lopen", "koppelingen actief aan het eind", "", MATCHING),
    ("Beëindigde koppelingen", "koppelingen beëindigd", "", MATCHING),
    ("Voorstellen gedaan", "voorstellen", "", MATCHING),
    ("Wachttijd gezinnen tot koppeling (mediaan, dagen)", "wachttijd tot koppeling, mediaan",
     "Gezinnen", MATCHING),
    ("Ouderen bereikt met activiteiten", "ouderen bereikt", "", ALL_PROGRAMMES),
    ("Gesprekken die nodig waren", "gesprekken nodig", "", ALL_PROGRAMMES),
    ("Daarvan op tijd (%)", "gesprekken op tijd, aandeel", "", ALL_PROGRAMMES),
    ("Verwerkingen", "runs", "", ALL_PROGRAMMES),
    ("Verwerkingen mislukt", "runs mislukt", "", ALL_PROGRAMMES),
)  # fmt: skip


# Only the report's sections whose figures the block shows: it is built every run.
QUARTER_SECTIONS = (
    intake_figures,
    match_figures,
    waiting_figures,
    reach_figures,
    ontime_figures,
    health_figures,
)


def quarter_block(
    validated: Validated, schema: Schema, rules: Sequence[Rule], today: dt.date
) -> list[tuple[str, Cell]]:
    """Label/value rows for the quarter of ``today``, ready for a tab writer."""
    period = quarter_of(today, today)
    report = build_report(validated, schema, rules, period, sections=QUARTER_SECTIONS)
    return block_rows(report)


def block_rows(report: Report) -> list[tuple[str, Cell]]:
    """The block's rows from a report of one quarter."""
    period = report.period
    span = f"{date_text(period.first)} t/m {date_text(period.last)}"
    if period.today < period.last:
        span += ", tot en met vandaag"
    label = f"K{(period.first.month - 1) // 3 + 1} {period.first.year}"
    rows: list[tuple[str, Cell]] = [("Dit kwartaal", f"{label} ({span})")]
    table = report.table
    whole = table[(table["level"] == "periode") & (table["organisation"] == ALL_PARTNERS)]
    for label_text, figure, part, programme in _LINES:
        found = whole[(whole["figure"] == figure) & (whole["part"] == part)]
        found = found[found["programme"] == programme]
        rows.append((label_text, _cell(found["shown"].iloc[0]) if len(found) else 0))
    intakes = whole[whole["figure"] == "intakes"]
    for place, (tab, shown) in enumerate(zip(intakes["part"], intakes["shown"], strict=True)):
        rows.insert(1 + place, (f"Intakes {tab}", _cell(str(shown))))
    return rows


def neighbourhood_block(validated: Validated, today: dt.date) -> tuple[str, list[list[Cell]]]:
    """The wijk × thema table of the quarter ``today`` lies in, for `Overzicht`: a title and
    ``NeighbourhoodCounts.table()`` (header row, conversations, one row per theme), or one
    line saying there were none. Counts of conversations with neighbourhoods only."""
    period = quarter_of(today, today)
    counts = neighbourhood_counts(validated.records.conversations, period.first, today)
    label = f"K{(period.first.month - 1) // 3 + 1} {period.first.year}"
    span = f"{date_text(period.first)} t/m {date_text(period.last)}"
    if today < period.last:
        span += ", tot en met vandaag"  # the same title every day of the quarter
    title = f"Wijkgesprekken {label} ({span})"
    if not counts.conversations:
        return title, [["Nog geen wijkgesprekken in dit kwartaal."]]
    return title, counts.table()


def _cell(shown: str) -> Cell:
    """A number as a number (so the sheet can sum it), a marker as its text."""
    try:
        return int(shown)
    except ValueError:
        return shown


# --- the Overzicht tab -------------------------------------------------------------------

NO_PARTNER = "(geen organisatie)"
TOP_OVERDUE = 20
DATA_TYPES = frozenset({SignalType.DATA, SignalType.DUPLICATE})
WAITING_TYPE = "wachtend"  # the waiting rule's signal type (followup/people.py)
PARTNER_HEADER = (
    "Organisatie",
    "Gesprekken te laat",
    "Gesprekken binnenkort",
    "Gegevens nakijken",
    "Voorstellen zonder besluit",
    "Wachten te lang",
    "Koppelingen actief",
    "Activiteitvoorstellen open",
)
# No IDs: Overzicht holds counts only; the link leads to the row (and its IDs) in Signalen.
OVERDUE_HEADER = ("Soort", "Organisatie", "Uiterlijk", "Dagen te laat", "Waar")
CHART_COLUMN = 10  # column K: the chart sits right of the tables
RUN_ROW = 2  # the one row that changes every run (a failed run writes it too)
RUN_LABEL = "Laatste verwerking"
OVERVIEW_WIDTHS = (46, 28, 22, 14, 16, 16, 14, 18, 4, 4, 12, 12, 12, 12, 12, 12)


def overview_layout() -> TabLayout:
    """How Overzicht looks: wide first column, nothing frozen, no filter; it opens first."""
    columns = tuple(
        ColumnLayout(index, f"kolom{index + 1}", width)
        for index, width in enumerate(OVERVIEW_WIDTHS)
    )
    return TabLayout(
        OVERVIEW_TITLE, "overzicht", len(columns), columns, 0, 0, basic_filter=False, first=True
    )


@dataclass(frozen=True)
class OverviewInput:
    """What Overzicht is computed from: the worker tabs as they are after this run's write
    (``tables`` by title), the run's validated records and when it ran."""

    tables: Mapping[str, Table]
    validated: Validated
    schema: Schema
    rules: Sequence[Rule]
    today: dt.date
    started: dt.datetime
    outcome: str = "gelukt"
    # The Instellingen block: the programmes the config knows, what the coordinator typed
    # for each (by ``word_key`` of the name, from the re-read) and the config's pauses.
    programmes: Sequence[str] = ()
    typed: Mapping[str, Cell] = field(default_factory=dict)
    config: ProgrammeSettings = NONE_PAUSED

    @cached_property
    def signals(self) -> list[_Signal]:
        """The Signalen rows, read once for every block that counts them."""
        return _signals(self)


@dataclass
class Block:
    """Rows of one part of Overzicht: a title row, then (when ``header``) a table whose first
    row names its columns. ``links`` are (row within the block, column, tab, target row)."""

    title: str
    rows: list[list[Cell]] = field(default_factory=list)
    header: bool = True
    links: list[tuple[int, int, str, int]] = field(default_factory=list)
    chart: tuple[str, tuple[int, ...]] | None = None  # chart title, series columns
    # A dropdown: (first and last row within the block, column, choices).
    choices: tuple[int, int, int, tuple[str, ...]] | None = None


@dataclass(frozen=True)
class Overview:
    """The tab's rows (row 1 first) and its look (bold rows, links, chart)."""

    rows: list[list[Cell]]
    look: SheetLook


@dataclass(frozen=True)
class _Signal:
    key: str
    kind: str
    subject: str
    organisation: str
    due: Cell
    days_late: float
    status: str
    row: int


def _tab_rows(tables: Mapping[str, Table], spec: TabSpec) -> list[tuple[int, dict[str, Cell]]]:
    """(sheet row, values by column key) of every row with a key."""
    table = tables.get(spec.title)
    if table is None or not table.rows:
        return []
    positions = map_headers(spec, table.header).positions
    out = []
    for number, row in enumerate(table.rows[1:], start=2):
        values = {k: (row[i] if i < len(row) else None) for k, i in positions.items()}
        if not is_blank(values.get(spec.key_column.key)):
            out.append((number, values))
    return out


def _number(value: Cell) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0


def _signals(given: OverviewInput) -> list[_Signal]:
    spec = given.schema.tab("signalen")
    out = []
    for number, v in _tab_rows(given.tables, spec):
        out.append(
            _Signal(
                key=canonical(v.get("key")),
                kind=canonical(v.get("type")),
                subject=canonical(v.get("subject")),
                organisation=canonical(v.get("organisation")) or NO_PARTNER,
                due=v.get("due"),
                days_late=_number(v.get("days_late")),
                status=canonical(v.get("status")),
                row=number,
            )
        )
    return out


def partner_counts(given: OverviewInput) -> dict[str, list[int]]:
    """Per partner the counts of ``PARTNER_HEADER[1:]``, from the worker tabs after the run."""
    records = given.validated.records
    org_of: dict[str, str] = {}
    for people in (records.volunteers, records.families, records.elders, records.helpers):
        for person in people:
            org_of.setdefault(person.id, person.organisation)
    counts: dict[str, list[int]] = {}

    def add(organisation: str, column: int) -> None:
        counts.setdefault(organisation or NO_PARTNER, [0] * (len(PARTNER_HEADER) - 1))[column] += 1

    for signal in given.signals:
        if signal.status != SignalStatus.OPEN:
            continue
        if signal.kind == SignalType.LATE:
            add(signal.organisation, 0)
        elif signal.kind == SignalType.SOON:
            add(signal.organisation, 1)
        if signal.kind in DATA_TYPES:
            add(signal.organisation, 2)
        if signal.kind == WAITING_TYPE:
            add(signal.organisation, 4)
    schema = given.schema
    for _, v in _tab_rows(given.tables, schema.tab("voorstellen")):
        if canonical(v.get("status")) == ProposalStatus.OPEN and is_blank(v.get("decision")):
            add(org_of.get(canonical(v.get("family")), ""), 3)
    for _, v in _tab_rows(given.tables, schema.tab("koppelingen")):
        if canonical(v.get("status")) in (MatchStatus.ACTIVE, ""):
            add(org_of.get(canonical(v.get("family")), ""), 5)
    for _, v in _tab_rows(given.tables, schema.tab("activiteitvoorstellen")):
        if canonical(v.get("status")) == SuggestionStatus.OPEN and is_blank(v.get("decision")):
            add(org_of.get(canonical(v.get("elder")), ""), 6)
    return counts


def _partner_block(given: OverviewInput) -> Block:
    counts = partner_counts(given)
    block = Block("Per partner")
    block.rows.append(list(PARTNER_HEADER))
    totals = [0] * (len(PARTNER_HEADER) - 1)
    for organisation in sorted(counts, key=lambda o: (o == NO_PARTNER, o.casefold())):
        block.rows.append([organisation, *counts[organisation]])
        totals = [a + b for a, b in zip(totals, counts[organisation], strict=True)]
    block.chart = ("Gesprekken te laat en binnenkort per partner", (1, 2))
    block.rows.append(["Totaal", *totals])
    return block


def run_line(started: dt.datetime, outcome: str) -> list[Cell]:
    """Overzicht's second row: when the last run started and how it went."""
    return [RUN_LABEL, f"{date_text(started.date())} om {started:%H:%M}", outcome]


RUN_TITLE = "Overzicht Samen Ouder Worden"


def _run_block(given: OverviewInput) -> Block:
    return Block(
        RUN_TITLE,
        [run_line(given.started, given.outcome), ["Volgende stap", _next_step(given)]],
        header=False,
    )


def _next_step(given: OverviewInput) -> str:
    late = sum(1 for s in given.signals if s.status == SignalStatus.OPEN and s.days_late > 0)
    if late:
        return f"{late} open signalen zijn te laat; hieronder staan de oudste, met een link."
    return "Er is niets te laat."


def _overdue_block(given: OverviewInput) -> Block:
    title = given.schema.tab("signalen").title
    late = [s for s in given.signals if s.status == SignalStatus.OPEN and s.days_late > 0]
    late.sort(key=lambda s: (-s.days_late, s.row))
    block = Block(f"De {TOP_OVERDUE} signalen die het langst te laat zijn")
    block.rows.append(list(OVERDUE_HEADER))
    for signal in late[:TOP_OVERDUE]:
        block.links.append((len(block.rows), len(OVERDUE_HEADER) - 1, title, signal.row))
        block.rows.append(
            [
                signal.kind,
                signal.organisation,
                signal.due,
                int(signal.days_late),
                f"{title} rij {signal.row}",
            ]
        )
    if not late:
        block.rows.append(["Niets te laat."])
    return block


def _quarter_block(given: OverviewInput) -> Block:
    try:
        rows = quarter_block(given.validated, given.schema, given.rules, given.today)
    except (AttributeError, KeyError, ValueError, TypeError):
        # The report's tables refuse a sheet with too little data of the right form; the
        # rest of Overzicht still helps, and the report command names what is wrong.
        rows = [("Dit kwartaal", "nog niet te berekenen (zie sow-sheets report)")]
    return Block("Dit kwartaal (alle partners samen)", [list(r) for r in rows], header=False)


LEGEND = (
    ("Score", "Hoe goed een grootouder en een gezin bij elkaar passen: 0 tot 100, hoger is beter."),
    ("Besluit (Voorstellen)", "Typ 'akkoord' of 'afgewezen'."),
    ("Besluit (Activiteitvoorstellen)", "Typ 'aangemeld' of 'geen interesse'."),
    ("Actie (Signalen)", "Typ 'negeren', of 'uitstellen tot' met een datum, bijv. 1-3-2027."),
    ("Kleuren in Signalen", "Rood: te laat. Oranje: binnenkort. Blauw: ander open signaal."),
    ("Groen in de voorstellen", "Dit voorstel wacht nog op een besluit."),
    (
        "Instellingen",
        "Typ 'gepauzeerd' achter een programma om het stil te zetten; leeg of 'gaat door' "
        "zet het weer aan bij de volgende verwerking.",
    ),
    ("Per partner", "Zet in Signalen het filter op Organisatie om alleen uw eigen werk te zien."),
)


def _neighbourhood_overview_block(given: OverviewInput) -> Block:
    """Conversations with neighbourhoods this quarter: wijk × thema (``neighbourhood_block``)."""
    title, rows = neighbourhood_block(given.validated, given.today)
    return Block(title, rows, header=len(rows) > 1)


# --- the Instellingen block: the coordinator pauses a programme here -----------------------

SETTINGS_TITLE = "Instellingen"
SETTINGS_HEADER = ("Programma", "Besluit", "Wat de verwerking nu doet")
SETTING_FORM = "gaat door of gepauzeerd (of leeg laten)"
_PAUSED_TEXT = (
    "gepauzeerd: geen nieuwe activiteitvoorstellen; de ouderen krijgen een telefoontje "
    "in plaats van een uitnodiging"
)


def is_overview(table: Table | None) -> bool:
    """Whether ``table`` is the Overzicht the programme made (its cell A1 is the title)."""
    rows = table.rows if table is not None else []
    return bool(rows and rows[0]) and canonical(rows[0][0]) == RUN_TITLE


def typed_settings(table: Table | None) -> dict[str, tuple[int, str, Cell]]:
    """The Instellingen block as the sheet has it, found by its title in column A: per
    programme (by ``word_key``) its sheet row, its name and what the coordinator typed."""
    if not is_overview(table):
        return {}
    assert table is not None
    rows = table.rows
    labels = [canonical(row[0]) if row else "" for row in rows]
    if SETTINGS_TITLE not in labels:
        return {}
    start = labels.index(SETTINGS_TITLE) + 2  # the title, then the header row
    out: dict[str, tuple[int, str, Cell]] = {}
    for index in range(start, len(rows)):
        name = labels[index]
        if not name:
            break
        typed = rows[index][1] if len(rows[index]) > 1 else None
        out.setdefault(word_key(name), (index + 1, name, typed))
    return out


def sheet_pauses(table: Table | None) -> tuple[tuple[str, ...], list[Problem]]:
    """The programmes the coordinator paused in Overzicht's Instellingen block, and a data
    problem for each cell whose word is not understood (that programme is not paused)."""
    paused: list[str] = []
    problems: list[Problem] = []
    for number, name, typed in typed_settings(table).values():
        word = word_key(canonical(typed))
        if not word or word in GOES_AHEAD_WORDS:
            continue
        if word in PAUSE_WORDS:
            paused.append(name)
        else:
            private = looks_private(typed)
            shown = "" if private else display(typed)
            problems.append(
                Problem(
                    OVERVIEW_TITLE, number, SETTINGS_HEADER[1], shown, SETTING_FORM,
                    private=private,
                )
            )  # fmt: skip
    return tuple(paused), problems


def _settings_block(given: OverviewInput) -> Block:
    """One row per programme: its name, the coordinator's cell (kept as typed) and what the
    worker does with it. Right below the first block, so its rows stay put."""
    block = Block(SETTINGS_TITLE)
    block.rows.append(list(SETTINGS_HEADER))
    for name in given.programmes:
        typed = given.typed.get(word_key(name))
        word = word_key(canonical(typed))
        if given.config.is_paused(name):
            now = f"{_PAUSED_TEXT} (zo staat het in het configuratiebestand)"
        elif word in PAUSE_WORDS:
            now = _PAUSED_TEXT
        elif not word or word in GOES_AHEAD_WORDS:
            now = str(ProgrammeSetting.GOES_AHEAD)
        else:
            now = "gaat door: het woord is niet begrepen; typ 'gepauzeerd' of 'gaat door'"
        block.rows.append([name, typed, now])
    if given.programmes:
        block.choices = (1, len(given.programmes), 1, choices(ProgrammeSetting))
    else:
        block.rows.append(["Geen programma's ingesteld."])
    return block


def _legend_block(_given: OverviewInput) -> Block:
    return Block("Uitleg", [list(row) for row in LEGEND], header=False)


# The parts of Overzicht, top to bottom; a part is a function of the input (add one here).
BLOCKS: tuple[Callable[[OverviewInput], Block], ...] = (
    _run_block,
    _settings_block,  # right below the first block: its rows do not move between runs
    _partner_block,
    _overdue_block,
    _quarter_block,
    _neighbourhood_overview_block,
    _legend_block,
)


def build_overview(given: OverviewInput) -> Overview:
    """Overzicht: every block of ``BLOCKS`` below the previous one, a blank row between."""
    rows: list[list[Cell]] = []
    bold: list[int] = []
    links: list[Link] = []
    chart: BarChart | None = None
    lists: list[CellList] = []
    for make in BLOCKS:
        block = make(given)
        if rows:
            rows.append([])
        rows.append([block.title])
        bold.append(len(rows))
        top = len(rows) + 1  # sheet row of the block's first row
        if block.header and block.rows:
            bold.append(top)
        for offset, col, tab, target in block.links:
            links.append(Link(top + offset, col, tab, target))
        if block.chart is not None:
            title, series = block.chart
            chart = BarChart(title, top, top + len(block.rows) - 2, 0, series, top, CHART_COLUMN)
        if block.choices is not None:
            first, last, col, words = block.choices
            lists.append(CellList(top + first, top + last, col, words))
        rows.extend(block.rows)
    return Overview(rows, SheetLook(tuple(bold), tuple(links), chart, tuple(lists)))
