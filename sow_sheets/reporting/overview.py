"""The "this quarter" block for the coordinator's `Overzicht` tab: the report's figures for
the quarter ``today`` lies in, as rows of label and value in plain Dutch.

    rows = quarter_block(validated, schema, rules, today)
    # [("Dit kwartaal", "K4 2026 (1-10-2026 t/m 31-12-2026, tot en met vandaag)"),
    #  ("Intakes Gezinnen", 12), ("Nieuwe koppelingen", 5), ...]

Same code as the report (``build_report``), all partners together. Values are the report's
shown values: a number, or "<5" / "x" where the report hides one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sow_sheets.followup.rules import Rule
from sow_sheets.model.cells import Cell
from sow_sheets.model.dutch import date_text
from sow_sheets.model.schema import Schema
from sow_sheets.reading.validation import Validated
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
    ("Runs", "runs", "", ALL_PROGRAMMES),
    ("Runs mislukt", "runs mislukt", "", ALL_PROGRAMMES),
)  # fmt: skip


def quarter_block(
    validated: Validated, schema: Schema, rules: Sequence[Rule], today: dt.date
) -> list[tuple[str, Cell]]:
    """Label/value rows for the quarter of ``today``, ready for a tab writer."""
    report = build_report(validated, schema, rules, quarter_of(today, today))
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
    title = f"Wijkgesprekken {label} ({date_text(period.first)} t/m {date_text(today)})"
    if not counts.conversations:
        return title, [["Nog geen wijkgesprekken in dit kwartaal."]]
    return title, counts.table()


def _cell(shown: str) -> Cell:
    """A number as a number (so the sheet can sum it), a marker as its text."""
    try:
        return int(shown)
    except ValueError:
        return shown
