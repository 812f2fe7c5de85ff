"""Issue 11's whole-sync property test: random human edits between syncs keep every promise.

A seeded loop plays staff on a small programme sheet: it edits, clears, inserts, deletes and
sorts rows; types valid and invalid decisions; renames, moves and adds columns; types unicode,
formula-looking text and dates as serial numbers. After every sync it checks the invariants:

- the exit code is 0, or 1 with one line and no traceback (a renamed required column);
- human cells are unchanged, except blank IDs (and blank Koppeling keys) the worker filled;
- every decision typed on an open row is applied, or answered with a signal on that row;
- no key appears twice in any worker tab;
- no open proposal breaks a hard constraint;
- a second sync without edits changes nothing but one new Logboek row (and Overzicht's run line).

It runs on xlsx and on the Google Sheets emulator, 50 steps each (``SOW_SOAK_STEPS`` for a
nightly soak of many more; ``SOW_SOAK_SEED`` to start elsewhere).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sow_sheets.backends.google import GoogleBackend
from sow_sheets.backends.retry import RetryingHTTPClient
from sow_sheets.backends.xlsx import write_new_workbook
from sow_sheets.cli import main
from sow_sheets.matching.eligibility import pair_problem
from sow_sheets.matching.settings import MatchingSettings
from sow_sheets.model.cells import Cell, canonical, is_blank
from sow_sheets.model.records import first_by_id
from sow_sheets.model.schema import DEFAULT_SCHEMA, TabSpec, map_headers
from sow_sheets.model.sheet import Backend, Table
from sow_sheets.model.words import ACCEPT_WORDS, REJECT_WORDS, word_key
from sow_sheets.reading.validation import validate
from sow_sheets.reporting.overview import OVERVIEW_TITLE
from sow_sheets.settings import Settings
from sow_sheets.testing import SheetsEmulator
from tests.helpers import FakeTime, minimal_tables, read_workbook, without_run_records
from tests.test_cli_activities import activity, elder
from tests.test_cli_help import helper, request
from tests.test_cli_matching import family, volunteer

Tables = dict[str, list[list[Any]]]
STEPS = int(os.environ.get("SOW_SOAK_STEPS", "50"))
SEED = int(os.environ.get("SOW_SOAK_SEED", "0"))
CHAIN = 10  # steps on one sheet before starting afresh
TODAY = dt.date(2026, 11, 27)
HUMAN = {spec.title: spec for spec in DEFAULT_SCHEMA.human_tabs}
WORKER = {spec.title: spec for spec in DEFAULT_SCHEMA.tabs if spec.worker}


def start_sheet(rng: random.Random) -> Tables:
    """A small programme: people who can be matched, suggested and helped."""
    tables = minimal_tables()
    codes = ["2711 AB", "2712 AB", "2713 AB", "2711 CD"]
    tables["Grootouders"] += [
        volunteer(f"GO-{n}", rng.choice(codes), **{"Max gezinnen": rng.choice([1, 2])})
        for n in range(1, 5)
    ]
    tables["Gezinnen"] += [family(f"GZ-{n}", rng.choice(codes)) for n in range(1, 6)]
    tables["Gezinnen"].append(family("", rng.choice(codes)))  # a blank ID to fill
    tables["Ouderen"] += [elder(f"OU-{n}") for n in range(1, 4)]
    tables["Activiteiten"] += [
        activity("AC-1", "3-12-2026"),
        activity("AC-2", "10-12-2026", places=2),
    ]
    tables["Hulpvragen"] += [request("HV-1"), request("HV-2", Soort="klus")]
    tables["Hulpaanbod"] += [helper("HA-1"), helper("HA-2")]
    tables["Gesprekken"] += [["1-10-2026", "GO-1", "intake", "Coördinator", "Humanitas"]]
    return tables


# --- the stores: one sheet on xlsx or on the emulator --------------------------------------


class XlsxStore:
    def __init__(self, tmp: Path) -> None:
        self.path = tmp / "programma.xlsx"

    def put(self, tables: Tables) -> None:
        write_new_workbook(self.path, tables)

    def get(self) -> Tables:
        return read_workbook(self.path)

    def argv(self) -> list[str]:
        return ["--workbook", str(self.path)]

    def factory(self) -> Callable[[Settings], Backend] | None:
        return None


class EmulatorStore:
    KEY = "soak-sheet"

    def __init__(self, tmp: Path) -> None:
        self.emulator = SheetsEmulator()
        time = FakeTime()
        self.http = RetryingHTTPClient.configured(sleep=time.sleep, clock=time.clock)

    def put(self, tables: Tables) -> None:
        self.emulator.create(tables, self.KEY)

    def get(self) -> Tables:
        return self.emulator.export(self.KEY)

    def argv(self) -> list[str]:
        return ["--spreadsheet", self.KEY]

    def factory(self) -> Callable[[Settings], Backend] | None:
        def make(settings: Settings) -> Backend:
            client = self.emulator.client(self.http)
            return GoogleBackend(self.KEY, client=client, schema=settings.schema)

        return make


Store = XlsxStore | EmulatorStore


def sync(store: Store, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    argv = ["sync", *store.argv(), "--today", TODAY.isoformat()]
    code = main(argv, backend_factory=store.factory(), out=io.StringIO())
    return code, capsys.readouterr().err


# --- human edits -----------------------------------------------------------------------------

ODD = ["drie", "", "=SUM(A1:A3)", "+31 6 1234", "ë✓ Zoë", "–", 46000, 46000.5, "1-13-2026", " "]
DECISIONS = {
    "Voorstellen": ["akkoord", "Akkoord.", "afgewezen", "nee", "akord", "misschien", "gekoppeld"],
    "Hulpvoorstellen": ["akkoord", "afgewezen", "ja", "weet niet"],
    "Activiteitvoorstellen": ["aangemeld", "geen interesse", "akkoord", "afgewezen", "later"],
}
DECISION_COLUMN = {"Koppelingen": "Status", "Signalen": "Actie"}
OTHER_WORDS = {
    "Koppelingen": ["actief", "beëindigd", "beeindigd", "weg"],
    "Signalen": ["negeren", "uitstellen tot 1-3-2026", "uitstellen tot 1-3-2027", "bla"],
}


def _data_rows(rows: list[list[Any]]) -> list[int]:
    return list(range(1, len(rows)))


def _col(rows: list[list[Any]], header: str) -> int | None:
    names = [canonical(h) for h in rows[0]] if rows else []
    return names.index(header) if header in names else None


def _set(rows: list[list[Any]], r: int, c: int, value: Any) -> None:
    row = rows[r]
    row.extend([None] * (c + 1 - len(row)))
    row[c] = value


def edit(tables: Tables, rng: random.Random) -> list[str]:
    """One to four random human edits; returns what was done (for a failing test's message)."""
    done = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.choices(
            ["cell", "clear", "insert", "delete", "sort", "decide", "column", "serial"],
            weights=[5, 2, 2, 2, 1, 6, 1, 1],
        )[0]
        tabs = [*DECISIONS, *DECISION_COLUMN] if kind == "decide" else [*HUMAN, *WORKER]
        present = [t for t in tabs if len(tables.get(t) or []) > 1]
        if not present:
            continue
        title = rng.choice(present)
        rows = tables.get(title)
        if not rows or title == "Logboek":
            continue
        data = _data_rows(rows)
        if kind == "decide":
            column = "Besluit" if title in DECISIONS else DECISION_COLUMN[title]
            c = _col(rows, column)
            if c is None or not data:
                continue
            word = rng.choice(DECISIONS.get(title) or OTHER_WORDS[title])
            _set(rows, rng.choice(data), c, word)
        elif kind in ("cell", "clear", "serial") and data and title in HUMAN:
            r, c = rng.choice(data), rng.randrange(1, len(rows[0]))  # not the ID column
            value = rng.choice(ODD) if kind == "cell" else None
            if kind == "serial":
                value = 46000 + rng.randrange(400)
            if kind == "cell" and rng.random() < 0.5:  # a value from another row
                value = rows[rng.choice(data)][c] if c < len(rows[rng.choice(data)]) else None
            _set(rows, r, c, value)
        elif kind == "insert" and data and title in HUMAN:
            copy = list(rows[rng.choice(data)])
            if copy and title in ("Grootouders", "Gezinnen", "Ouderen", "Hulpaanbod"):
                copy[0] = None  # a new person: the worker gives an ID
            rows.insert(rng.randint(1, len(rows)), copy)
        elif kind == "delete" and data:
            del rows[rng.choice(data)]
        elif kind == "sort" and len(data) > 1:
            c = rng.randrange(len(rows[0]))
            body = sorted(rows[1:], key=lambda r: canonical(r[c] if c < len(r) else None))
            rows[1:] = body
        elif kind == "column" and title in HUMAN:
            width = len(rows[0])
            if rng.random() < 0.5:  # an extra column of notes at the end
                rows[0] = [*rows[0], *[None] * (width - len(rows[0])), "Extra"]
                for r in data:
                    _set(rows, r, width, rng.choice(["x", None, "ë"]))
            else:  # move a column (header and cells together) to another place
                a, b = rng.randrange(width), rng.randrange(width)
                for row in rows:
                    row.extend([None] * (width - len(row)))
                    row.insert(b, row.pop(a))
        else:
            continue
        done.append(f"{kind} {title}")
    return done


def break_structure(tables: Tables, rng: random.Random) -> tuple[str, list[Any]] | None:
    """Sometimes rename a required header: the next sync must refuse. Returns how to undo it."""
    if rng.random() > 0.08:
        return None
    title = rng.choice(["Gezinnen", "Grootouders"])
    rows = tables[title]
    header = list(rows[0])
    c = _col(rows, "Postcode")
    if c is None:
        return None
    rows[0][c] = "Postcode van het huis"
    return title, header


# --- invariants ------------------------------------------------------------------------------


def _id_column(spec: TabSpec, rows: list[list[Any]]) -> int | None:
    return map_headers(spec, rows[0]).positions.get("id") if rows else None


def check_human_cells(before: Tables, after: Tables) -> None:
    """Human tabs unchanged except filled blank IDs; worker tabs' human cells unchanged."""
    for title, spec in HUMAN.items():
        old, new = before.get(title, []), after.get(title, [])
        assert len(new) == len(old), title
        id_col = _id_column(spec, old)
        for r, (a, b) in enumerate(zip(old, new, strict=True)):
            width = max(len(a), len(b))
            for c in range(width):
                x = a[c] if c < len(a) else None
                y = b[c] if c < len(b) else None
                if canonical(x) == canonical(y):
                    continue
                assert r > 0 and c == id_col and is_blank(x), (title, r + 1, c, x, y)
    for title, spec in WORKER.items():
        old, new = before.get(title), after.get(title)
        if not old or not new or title == "Logboek":
            continue
        key = _keyed(spec, old)
        fresh = _keyed(spec, new)
        for k, cells in key.items():
            if k in fresh:
                for column, value in cells.items():
                    if spec.column(column).human:
                        assert canonical(fresh[k][column]) == canonical(value), (title, k, column)


def _keyed(spec: TabSpec, rows: list[list[Any]]) -> dict[str, dict[str, Any]]:
    hmap = map_headers(spec, rows[0])
    key_col = hmap.positions.get(spec.key_column.key)
    out: dict[str, dict[str, Any]] = {}
    if key_col is None:
        return out
    for row in rows[1:]:
        key = canonical(row[key_col]) if key_col < len(row) else ""
        if key:
            out.setdefault(
                key, {k: (row[p] if p < len(row) else None) for k, p in hmap.positions.items()}
            )
    return out


def check_unique_keys(after: Tables) -> None:
    for title, spec in WORKER.items():
        rows = after.get(title)
        if not rows or title == "Logboek":
            continue
        key_col = map_headers(spec, rows[0]).positions.get(spec.key_column.key)
        assert key_col is not None, title
        keys = [canonical(r[key_col]) for r in rows[1:] if key_col < len(r) and r[key_col]]
        assert len(keys) == len(set(keys)), (title, sorted(k for k in keys if keys.count(k) > 1))


def check_decisions(before: Tables, after: Tables) -> int:
    """A decision typed on an open Voorstellen row was applied or answered by a signal;
    returns how many were checked."""
    spec = WORKER["Voorstellen"]
    old, new = before.get("Voorstellen"), after.get("Voorstellen")
    checked = 0
    if not old or not new:
        return checked
    fresh = _keyed(spec, new)
    signals = _keyed(WORKER["Signalen"], after.get("Signalen") or [[]])
    answered = {
        canonical(s.get("subject"))
        for s in signals.values()
        if canonical(s.get("status")) != "opgelost" and "Besluit" in canonical(s.get("description"))
    }
    for key, cells in _keyed(spec, old).items():
        word = word_key(cells.get("decision"))
        if not word or canonical(cells.get("status")) != "open" or key not in fresh:
            continue
        status = canonical(fresh[key].get("status"))
        checked += 1
        if word in ACCEPT_WORDS:
            held = status == "open" and _held(fresh[key])
            assert held or status in ("gekoppeld", "vervallen"), (key, word, status)
        elif word in REJECT_WORDS:
            assert status == "afgewezen", (key, word, status)
        else:
            assert key in answered, (key, word)
    return checked


def _held(cells: dict[str, Cell]) -> bool:
    """A proposal kept open while a cell of one of its people is bad (Let op says so)."""
    return canonical(cells.get("warnings")).startswith("Wacht: een cel van")


def check_constraints(after: Tables) -> None:
    """Every open proposal's pair passes every hard constraint on the sheet as it now is, or
    waits because a cell of one of them is bad (and then no Koppeling is made for it)."""
    tables = {t: Table(t, [list(r) for r in rows]) for t, rows in after.items()}
    records = validate(tables, DEFAULT_SCHEMA, TODAY).records
    volunteers, families = first_by_id(records.volunteers), first_by_id(records.families)
    for cells in _keyed(WORKER["Voorstellen"], after.get("Voorstellen") or [[]]).values():
        if canonical(cells.get("status")) != "open":
            continue
        v = volunteers.get(canonical(cells.get("volunteer")))
        f = families.get(canonical(cells.get("family")))
        assert v is not None and f is not None, cells.get("volunteer")
        if _held(cells):
            assert v.invalid or f.invalid, (v.id, f.id)
            continue
        assert pair_problem(v, f, TODAY, MatchingSettings()) is None, (v.id, f.id)


def check_second_sync(first: Tables, second: Tables) -> None:
    kept, again = without_run_records(first), without_run_records(second)
    # Overzicht counts the runs themselves (Verwerkingen): its labels stay, its counts may not.
    labels = [[row[0] if row else None for row in t.pop(OVERVIEW_TITLE, [])] for t in (kept, again)]
    assert labels[0] == labels[1]
    for title in set(kept) | set(again):
        assert kept.get(title) == again.get(title), title
    old, new = first.get("Logboek", []), second.get("Logboek", [])
    assert len(new) == len(old) + 1 and new[: len(old)] == old


# --- the loop --------------------------------------------------------------------------------


@dataclasses.dataclass
class Run:
    steps: int = 0
    refused: int = 0
    decisions: int = 0


def soak(store: Store, capsys: pytest.CaptureFixture[str], steps: int, seed: int) -> Run:
    rng = random.Random(seed)
    done = Run()
    undo: tuple[str, list[Any]] | None = None
    for step in range(steps):
        if step % CHAIN == 0:
            store.put(start_sheet(rng))
            assert sync(store, capsys)[0] == 0
        tables = store.get()
        if undo is not None:
            tables[undo[0]][0] = undo[1]
        what = edit(tables, rng)
        undo = break_structure(tables, rng)
        store.put(tables)
        before = store.get()
        code, err = sync(store, capsys)
        context = (seed, step, what, err)
        assert "Traceback" not in err, context
        after = store.get()
        if code != 0:
            assert code == 1 and undo is not None, context
            lines = [line for line in err.splitlines() if line.startswith("sow-sheets:")]
            assert len(lines) == 1 and "Postcode" in lines[0], context
            assert without_run_records(after) == without_run_records(before)
            done.refused += 1
            continue
        assert undo is None, context
        check_human_cells(before, after)
        check_unique_keys(after)
        done.decisions += check_decisions(before, after)
        check_constraints(after)
        assert sync(store, capsys)[0] == 0, context
        check_second_sync(after, store.get())
        done.steps += 1
    return done


@pytest.mark.parametrize("backend", ["xlsx", "emulator"])
def test_random_human_edits_between_syncs_keep_every_promise(
    backend: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store: Store = XlsxStore(tmp_path) if backend == "xlsx" else EmulatorStore(tmp_path)
    result = soak(store, capsys, STEPS, SEED + (0 if backend == "xlsx" else 1))
    assert result.steps + result.refused == STEPS and result.steps > STEPS // 2
    assert result.decisions > 0 and (result.refused > 0 or STEPS < 50)
    print(f"{backend}: {result}")  # the soak's figures (pytest -s)
