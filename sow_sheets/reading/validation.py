"""Rows to records: every row of every tab becomes a typed record or a located problem.

A bad cell never stops a run: it becomes a `Problem` (later a `gegevens` signal) and the
record keeps ``None``/the default for that field, marked in ``invalid``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from sow_sheets.model.cells import Cell, canonical, is_blank
from sow_sheets.model.keys import MATCH_PREFIX, make_key, next_number
from sow_sheets.model.programmes import ANY_NEIGHBOURHOOD, NeighbourhoodSettings
from sow_sheets.model.records import (
    Attendance,
    Conversation,
    Identity,
    Match,
    Problem,
    Records,
)
from sow_sheets.model.schema import Schema
from sow_sheets.model.sheet import Table
from sow_sheets.model.words import (
    ACCEPT_WORDS,
    DECLINE_WORDS,
    NEIGHBOURHOOD_PREFIX,
    REJECT_WORDS,
    SIGNUP_WORDS,
    ConversationKind,
    MatchStatus,
    ProposalStatus,
    SuggestionStatus,
    is_neighbourhood_code,
    word_key,
)
from sow_sheets.model.worktab import WorkerRow
from sow_sheets.reading.form_reader import FormReader
from sow_sheets.reading.record_builders import PERSON_BUILDERS, PERSON_LISTS
from sow_sheets.reading.tab_reader import (
    EXPECT_FILLED,
    NOTHING,
    ParsedRow,
    TabReader,
    display,
    looks_private,
)


@dataclass(frozen=True)
class IdFill:
    """A blank key cell the worker may fill, if the row is unchanged right before the write."""

    tab: str  # title
    tab_key: str  # schema key, e.g. "koppelingen"
    row: int
    col: int
    value: str
    original: tuple[str, ...]  # canonical cells of the row as read, to compare on re-read
    whole_row: bool = True  # False: only the one cell is re-read (a form's new ID header)


@dataclass(frozen=True)
class FormResponse:
    """One row of a form's responses tab that became a record (docs/forms.md)."""

    tab: str  # title
    feeds: str  # the record tab key, e.g. "gezinnen"
    row: int
    id: str
    contact: frozenset[str]  # normalised e-mail address and phone number, to spot resubmissions
    when: dt.date | None = None  # the day of the response (its timestamp)
    organisation: str = ""


@dataclass
class Validated:
    """What validation hands to the deciding steps."""

    records: Records
    worker_rows: dict[str, list[WorkerRow]]
    id_fills: list[IdFill]
    missing_tabs: list[str]
    responses: list[FormResponse] = dataclasses.field(default_factory=list)
    # Every key the sheet holds or refers to (worker-tab keys, `Voorstel` in Koppelingen,
    # `Betreft` in Gesprekken and Signalen): a new key never takes one of these numbers.
    issued: frozenset[str] = frozenset()

    def without(self, ids: set[str]) -> Validated:
        """The same validation minus the records with these IDs or Koppeling keys."""
        records = dataclasses.replace(
            self.records,
            volunteers=[p for p in self.records.volunteers if p.id not in ids],
            families=[p for p in self.records.families if p.id not in ids],
            elders=[p for p in self.records.elders if p.id not in ids],
            activities=[a for a in self.records.activities if a.id not in ids],
            matches=[m for m in self.records.matches if m.key not in ids],
            help_requests=[r for r in self.records.help_requests if r.id not in ids],
            helpers=[h for h in self.records.helpers if h.id not in ids],
            identities=[p for p in self.records.identities if p.id not in ids],
        )
        fills = [f for f in self.id_fills if f.value not in ids]
        return dataclasses.replace(self, records=records, id_fills=fills)


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
    numbers = next_number(taken, MATCH_PREFIX)
    can_fill = "key" in reader.hmap.positions
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
            if not can_fill:
                continue  # no key column: the structure check refuses the tab
            key = make_key(MATCH_PREFIX, numbers)
            numbers += 1
            fills.append(_fill(reader, row, "key", key))
            row.values["key"] = key
        status = row.text("status") or MatchStatus.ACTIVE
        end = row.values.get("end")
        if status == MatchStatus.ENDED and end is None and "end" not in row.invalid:
            reader.problem(row, "end", "een einddatum (de koppeling heeft Status beëindigd)")
        active = status != MatchStatus.ENDED and (end is None or end > today)
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


# Columns that refer to a worker tab's key: a key still named there is never issued again.
_REFERENCES = {"koppelingen": ("proposal",), "gesprekken": ("subject",), "signalen": ("subject",)}


def _issued_keys(readers: dict[str, TabReader]) -> set[str]:
    """Every worker-tab key in the sheet, and every key a row still refers to, read from the
    columns found by header (so a deleted last row's key is not handed out again while a
    conversation or signal names it)."""
    issued: set[str] = set()
    for reader in readers.values():
        columns = list(_REFERENCES.get(reader.spec.key, ()))
        if reader.spec.worker:
            columns.append(reader.spec.key_column.key)
        for key in columns:
            pos = reader.hmap.positions.get(key)
            if pos is None:
                continue
            for raw in reader.table.rows[1:]:
                text = canonical(raw[pos]) if pos < len(raw) else ""
                if text:
                    issued.add(text)
    return issued


def _fill(reader: TabReader, row: ParsedRow, key: str, value: str) -> IdFill:
    return IdFill(
        reader.spec.title,
        reader.spec.key,
        row.row,
        reader.hmap.positions[key],
        value,
        tuple(canonical(v) for v in row.raw),
    )


def validate(
    tables: dict[str, Table],
    schema: Schema,
    today: dt.date,
    neighbourhoods: NeighbourhoodSettings = ANY_NEIGHBOURHOOD,
) -> Validated:
    """Validate every tab of one read into records, worker rows and ID fills.

    ``neighbourhoods``: the codes a `wijkgesprek` may name (any code when none are set)."""
    problems: list[Problem] = []
    records = Records(problems=problems)
    worker_rows: dict[str, list[WorkerRow]] = {}
    fills: list[IdFill] = []
    missing: list[str] = []
    readers: dict[str, TabReader] = {}
    for spec in schema.tabs:
        table = tables.get(spec.title)
        if table is None:
            if not spec.worker and not spec.optional:
                missing.append(spec.title)
            table = Table(spec.title, [list[Cell](spec.headers)])
        reader = (FormReader if spec.feeds else TabReader)(spec, table, problems)
        readers[spec.key] = reader
        if spec.worker:
            worker_rows[spec.key] = _worker_rows(reader)
        elif tables.get(spec.title) is not None:
            reader.missing_columns()

    all_ids: set[str] = set()
    responses: list[FormResponse] = []
    for key, list_name in PERSON_LISTS.items():
        spec = readers[key].spec
        seen: dict[str, int] = {}
        # The typed tab first, then the responses tabs of forms that feed it: one ID series.
        sources = [
            (r, r.rows()) for r in [readers[key], *(readers[f.key] for f in schema.forms_of(key))]
        ]
        ids = {row.text("id") for _, rows in sources for row in rows if row.text("id")}
        number = next_number(ids | all_ids, spec.id_prefix)
        target = getattr(records, list_name)
        for reader, rows in sources:
            records.rows_read += len(rows)
            form = reader if isinstance(reader, FormReader) else None
            for row in rows:
                ident = row.text("id")
                if not ident:
                    if form is not None:
                        ident = make_key(spec.id_prefix, number)
                        number += 1
                        fills.extend(_form_fill(form, row, ident, fills))
                        row.values["id"] = ident
                    elif "id" not in reader.hmap.positions:
                        continue  # no ID column: a signal already asks for it
                    else:
                        # The row takes part under its new ID; if the guarded write of the ID
                        # fails, the sync decides again without it (see sync.run_sync).
                        ident = make_key(spec.id_prefix, number)
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
                if key != "activiteiten":
                    records.identities.append(_identity(key, ident, row))
                if form is not None:
                    responses.append(_response(form, key, row, ident))
        all_ids |= set(seen)

    issued = _issued_keys(readers)
    records.matches = _matches(readers["koppelingen"], today, fills, issued)
    _key_by_filled_ids(problems, fills)
    match_keys = {m.key for m in records.matches}
    subjects = all_ids | match_keys
    _conversations(readers["gesprekken"], records, subjects, neighbourhoods)
    _attendances(
        readers["deelnames"],
        records,
        {e.id for e in records.elders},
        {a.id for a in records.activities},
    )
    for key, column, words, expected in DECISION_COLUMNS:
        _unknown_words(readers[key], worker_rows[key], column, words, expected, problems)
    issued |= {f.value for f in fills if f.row > 1}
    return Validated(records, worker_rows, fills, missing, responses, frozenset(issued))


_PROPOSAL_WORDS = ACCEPT_WORDS | REJECT_WORDS
_PROPOSAL_FORM = "akkoord of afgewezen (of leeg laten)"
_SIGNUP_FORM = "aangemeld of geen interesse (of leeg laten)"
_STATUS_FORM = (
    'hier geen eigen tekst (de verwerking vult Status zelf; schrijf een besluit in "Besluit")'
)
# Decision columns (and worker-owned Status columns) of worker tabs: a word that is not
# understood is answered with a signal that says what to write, never ignored.
DECISION_COLUMNS: tuple[tuple[str, str, frozenset[str], str], ...] = (
    ("voorstellen", "decision", _PROPOSAL_WORDS, _PROPOSAL_FORM),
    ("hulpvoorstellen", "decision", _PROPOSAL_WORDS, _PROPOSAL_FORM),
    ("activiteitvoorstellen", "decision", SIGNUP_WORDS | DECLINE_WORDS, _SIGNUP_FORM),
    ("voorstellen", "status", frozenset(map(word_key, ProposalStatus)), _STATUS_FORM),
    ("hulpvoorstellen", "status", frozenset(map(word_key, ProposalStatus)), _STATUS_FORM),
    (
        "activiteitvoorstellen",
        "status",
        frozenset(map(word_key, SuggestionStatus)),
        _STATUS_FORM,
    ),
)


def _unknown_words(
    reader: TabReader,
    rows: list[WorkerRow],
    column: str,
    words: frozenset[str],
    expected: str,
    problems: list[Problem],
) -> None:
    """A signal for each cell of ``column`` holding a word the worker does not understand."""
    if column not in reader.hmap.positions:
        return
    for row in rows:
        value = row.get(column)
        if is_blank(value) or word_key(canonical(value)) in words:
            continue
        private = looks_private(value)
        problems.append(
            Problem(
                reader.spec.title,
                row.row,
                reader.header(column),
                "" if private else display(value),
                expected,
                subject=row.key,
                private=private,
            )
        )


def _key_by_filled_ids(problems: list[Problem], fills: list[IdFill]) -> None:
    """A problem in a row whose blank ID this run fills is about that ID, so its signal keeps
    one key: the next run reads the ID from the sheet and finds the same signal."""
    filled = {(f.tab, f.row): f.value for f in fills if f.row > 1}
    for index, problem in enumerate(problems):
        ident = filled.get((problem.tab, problem.row))
        if ident and not problem.subject:
            problems[index] = dataclasses.replace(problem, subject=ident)


def _form_fill(reader: FormReader, row: ParsedRow, ident: str, fills: list[IdFill]) -> list[IdFill]:
    """A response's ID fill, in the column right of the form's own; the first one of a tab
    without that column also writes its header (re-reading only that cell first)."""
    col = reader.id_column()
    out = []
    if "id" not in reader.hmap.positions and not any(
        f.tab == reader.spec.title and f.row == 1 for f in fills
    ):
        header = reader.spec.column("id").header
        out.append(IdFill(reader.spec.title, reader.spec.key, 1, col, header, ("",), False))
    original = tuple(canonical(v) for v in row.raw)
    out.append(IdFill(reader.spec.title, reader.spec.key, row.row, col, ident, original))
    return out


def _response(reader: FormReader, feeds: str, row: ParsedRow, ident: str) -> FormResponse:
    stamp = row.values.get("asked") or row.values.get("intake_date")
    when = stamp[0] if isinstance(stamp, tuple) else stamp
    organisation = row.text("organisation")
    return FormResponse(reader.spec.title, feeds, row.row, ident, _contact(row), when, organisation)


def _contact(row: ParsedRow) -> frozenset[str]:
    """A response's e-mail address and phone number, normalised (case; digits, +31 as 0)."""
    found = set()
    email = row.text("email").strip().casefold()
    if email:
        found.add(email)
    digits = "".join(c for c in row.text("phone") if c.isdigit())
    for prefix in ("0031", "31"):
        if digits.startswith(prefix) and len(digits) > 9:
            digits = "0" + digits[len(prefix) :]
            break
    if digits:
        found.add(digits)
    return frozenset(found)


def _identity(tab: str, ident: str, row: ParsedRow) -> Identity:
    postcode = row.values.get("postcode")
    return Identity(
        tab,
        ident,
        row.row,
        row.text("organisation"),
        row.text("name"),
        row.text("phone"),
        row.text("email"),
        row.values.get("birth_year"),
        postcode[0] if postcode else None,
    )


def _conversations(
    reader: TabReader,
    records: Records,
    subjects: set[str],
    neighbourhoods: NeighbourhoodSettings,
) -> None:
    rows = reader.rows()
    records.rows_read += len(rows)
    for row in rows:
        if row.invalid:
            continue
        subject = row.text("subject")
        if row.values["kind"] == ConversationKind.NEIGHBOURHOOD:
            code = _neighbourhood(reader, row, neighbourhoods)
            if code is None:
                continue
            subject = code
        elif not subject:
            reader.problem(row, "subject", EXPECT_FILLED)
            continue
        elif subject not in subjects:
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
                row.get("themes", NOTHING),
            )
        )


EXPECT_NEIGHBOURHOOD = (
    f"een wijkcode zoals {NEIGHBOURHOOD_PREFIX}ROKKEVEEN (een wijkgesprek gaat over een wijk, "
    "niet over één persoon)"
)
_HIDDEN = "(niet overgenomen: misschien een naam)"


def _neighbourhood(
    reader: TabReader, row: ParsedRow, neighbourhoods: NeighbourhoodSettings
) -> str | None:
    """The neighbourhood code of a `wijkgesprek` (from `Betreft` or `Wijk`), or None after a
    problem. A value that is not a code may be a person's name, so it is never echoed."""
    found: dict[str, str] = {}
    for key in ("subject", "wijk"):
        text = " ".join(row.text(key).split())
        if not text:
            continue
        if not is_neighbourhood_code(text):
            reader.problem(row, key, EXPECT_NEIGHBOURHOOD)
            reader.problems[-1] = dataclasses.replace(reader.problems[-1], value=_HIDDEN)
            return None
        found[key] = text.upper()
    if not found:
        reader.problem(row, "subject", EXPECT_NEIGHBOURHOOD)
        return None
    if len(set(found.values())) > 1:
        reader.problem(row, "wijk", "dezelfde wijkcode als in Betreft (of laat één leeg)")
        return None
    key, code = next(iter(found.items()))
    if not neighbourhoods.known(code):
        listed = ", ".join(sorted(c.strip().upper() for c in neighbourhoods.codes))
        reader.problem(row, key, f"een bekende wijkcode ({listed})")
        return None
    return code


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
