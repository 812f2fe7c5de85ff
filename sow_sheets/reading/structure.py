"""Whether each tab has the shape a sync needs, and what to do when it has not.

`check` prints this report and the sync refuses to run on the same findings (docs/
sheet-contract.md, "A broken tab"): a tab whose headers are not in row 1, that lacks or
repeats a required column or the key column, or has merged cells where the worker writes is
never written over, and a missing column is never read as a column of empty cells.
"""

from __future__ import annotations

from dataclasses import dataclass

from sow_sheets.model.cells import Row, canonical, column_letters, is_blank
from sow_sheets.model.schema import Column, Schema, TabSpec, map_headers, normalize_header
from sow_sheets.model.sheet import CellRange, Table
from sow_sheets.reading.form_reader import form_questions
from sow_sheets.reading.tab_reader import REQUIRED

# How far down a header row that is not in row 1 is looked for.
HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class TabCheck:
    """One tab's shape. ``problem`` says what was found and how to fix it; empty when the
    tab can be used."""

    title: str
    present: bool
    rows: int = 0
    problem: str = ""
    refused: bool = False  # a sync refuses to run while this tab is so


def check_tabs(tables: dict[str, Table], schema: Schema) -> list[TabCheck]:
    """A check per tab of the schema, in schema order."""
    checks = []
    for spec in schema.tabs:
        table = tables.get(spec.title)
        if table is None:
            needed = not (spec.worker or spec.optional)
            problem = "missing: run `sow-sheets init`" if needed else ""
            if spec.feeds:
                problem = "missing: link the form's responses to this tab (docs/forms.md)"
            checks.append(TabCheck(spec.title, False, problem=problem))
            continue
        rows = max(len(table.rows) - 1, 0)
        refusals = tab_problems(spec, table)
        notes = _form_questions_missing(spec, table) if not refusals else []
        problem = "; ".join([*refusals, *notes])
        checks.append(TabCheck(spec.title, True, rows, problem, bool(refusals)))
    return checks


def broken_tabs(checks: list[TabCheck]) -> list[TabCheck]:
    """The present tabs a sync must refuse to work on."""
    return [c for c in checks if c.present and c.refused]


def _form_questions_missing(spec: TabSpec, table: Table) -> list[str]:
    """A form's responses tab without some of its questions: not a refusal (an unanswered
    question never gives consent; each sync signals it on row 1), but `check` lists it."""
    if not spec.feeds:
        return []
    hmap = map_headers(spec, table.header)
    lacking = [spec.column(k).header for k in form_questions(spec) if k in hmap.missing]
    if not lacking:
        return []
    return ["missing required questions: " + ", ".join(f'"{h}"' for h in lacking)]


def refusal(checks: list[TabCheck]) -> str:
    """One line naming each broken tab, what was found and how to fix it."""
    return " | ".join(f'tab "{c.title}": {c.problem}' for c in broken_tabs(checks))


def _needed(spec: TabSpec) -> list[Column]:
    """The columns without which the tab cannot be used safely."""
    if spec.worker:
        if spec.key == "logboek":
            return []
        return [spec.key_column, *(c for c in spec.columns if c.human)]
    if spec.feeds:
        return []  # a form's questions: see _form_questions_missing
    return [spec.column(k) for k in REQUIRED.get(spec.key, ())]


def _has_data(table: Table) -> bool:
    return any(not is_blank(v) for row in table.rows for v in row)


def tab_problems(spec: TabSpec, table: Table) -> list[str]:
    """What makes this tab unusable for a sync (English, for the console), or nothing."""
    problems = _merge_problems(spec, table)
    header = table.header
    needed = _needed(spec)
    hmap = map_headers(spec, header)
    if spec.worker:
        # A worker tab may lack columns the worker adds itself, but not its key or decision
        # columns once it holds rows: those would be appended, and rows copied.
        if not _has_data(table):
            return problems
        missing = [c for c in needed if c.key in hmap.missing]
        if spec.key_column.key not in hmap.missing:
            missing = []  # the key is there: new worker columns are added at the end
    else:
        missing = [c for c in needed if c.key in hmap.missing]
    if missing:
        elsewhere = _header_row_below(spec, table, needed)
        if elsewhere:
            problems.append(
                f"the headers are in row {elsewhere}, not in row 1: delete the rows above "
                "them so the headers are in row 1"
            )
            return problems
        problems.append(_missing_text(spec, header, missing))
    problems += _duplicate_problems(spec, header, needed)
    return problems


def _header_row_below(spec: TabSpec, table: Table, needed: list[Column]) -> int:
    """The row below row 1 that holds the needed headers, or 0."""
    for number, row in enumerate(table.rows[1:HEADER_SEARCH_ROWS], start=2):
        hmap = map_headers(spec, row)
        if needed and all(c.key not in hmap.missing for c in needed):
            return number
    return 0


def _missing_text(spec: TabSpec, header: Row, missing: list[Column]) -> str:
    """Names the missing columns and where row 1 has headers it does not know: by column
    letter only, since row 1 might hold a person's data."""
    names = ", ".join(f'"{c.header}"' for c in missing)
    known = {normalize_header(n) for c in spec.columns for n in c.names()}
    unknown = [
        column_letters(i)
        for i, h in enumerate(header)
        if canonical(h) and normalize_header(h) not in known
    ]
    found = f" (unrecognised headers in columns {', '.join(unknown[:8])})" if unknown else ""
    return f"row 1 has no column {names}{found}: rename it back (or add it), then run again"


def _duplicate_problems(spec: TabSpec, header: Row, needed: list[Column]) -> list[str]:
    """A needed column whose header (or an alias) appears more than once in row 1."""
    hmap = map_headers(spec, header)
    claimed = {pos: key for key, pos in hmap.positions.items()}
    out = []
    for column in needed:
        names = {normalize_header(n) for n in column.names()}
        at = [
            i
            for i, text in enumerate(header)
            if normalize_header(text) in names and claimed.get(i, column.key) == column.key
        ]
        if len(at) > 1:
            letters = " and ".join(column_letters(i) for i in at)
            out.append(
                f'column "{column.header}" appears {len(at)} times in row 1 (columns '
                f"{letters}): keep one and rename or delete the others"
            )
    return out


def _merge_problems(spec: TabSpec, table: Table) -> list[str]:
    """Merged cells where the worker writes: anywhere in a worker tab; in a human tab the
    header row, and an ID cell hidden inside a merge (only a merge's first cell holds a
    value, so the worker would fill the others as blank IDs)."""
    hmap = map_headers(spec, table.header)
    id_col = hmap.positions.get("id")
    bad = [
        rng
        for rng in table.merged
        if spec.worker or rng.first_row <= 1 or (id_col is not None and _hides(rng, id_col))
    ]
    if not bad:
        return []
    where = ", ".join(_a1(rng) for rng in bad[:5])
    return [f"merged cells at {where}: unmerge them (the worker writes there), then run again"]


def _hides(rng: CellRange, col: int) -> bool:
    """Whether the merge covers a cell of column ``col`` other than its own first cell."""
    last_col = rng.first_col if rng.last_col is None else rng.last_col
    last_row = rng.first_row if rng.last_row is None else rng.last_row
    if not rng.first_col <= col <= last_col:
        return False
    return col > rng.first_col or last_row > rng.first_row


def _a1(rng: CellRange) -> str:
    last_col = rng.first_col if rng.last_col is None else rng.last_col
    last_row = rng.first_row if rng.last_row is None else rng.last_row
    return f"{column_letters(rng.first_col)}{rng.first_row}:{column_letters(last_col)}{last_row}"
