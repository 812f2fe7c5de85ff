"""Issue 11 item 6: malformed configs never end in a traceback.

Hundreds of configs, each the example config with a few keys or sections replaced by values a
person could type (huge or negative counts, nan, text for a table, a table for text, unknown
keys, dates, unicode), are loaded and synced through the CLI on an in-memory sheet. Every run
exits 0, or 2 with one line naming the file; none raises. More with ``SOW_FUZZ_EXAMPLES``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import os
import random
import tomllib
from pathlib import Path
from typing import Any

import pytest

from sow_sheets.cli import main
from sow_sheets.config import settings_from_mapping
from sow_sheets.model.cells import Cell
from sow_sheets.model.schema import Schema
from sow_sheets.model.sheet import Backend, CellRange, Table, WritePlan
from sow_sheets.settings import Settings
from tests.helpers import minimal_tables
from tests.test_cli_activities import activity, elder
from tests.test_cli_help import helper, request
from tests.test_cli_matching import family, volunteer

EXAMPLE = Path(__file__).resolve().parents[1] / "config" / "sow.example.toml"
EXAMPLES = int(os.environ.get("SOW_FUZZ_EXAMPLES", "300"))


class MemoryBackend:
    """A spreadsheet held in memory: enough of the Backend port for a sync."""

    def __init__(self, tables: dict[str, list[list[Cell]]]) -> None:
        self.tables = {t: [list(r) for r in rows] for t, rows in tables.items()}

    def target(self) -> str:
        return "memory"

    def read(self) -> dict[str, Table]:
        return {t: Table(t, [list(r) for r in rows]) for t, rows in self.tables.items()}

    def reread(self, ranges: list[CellRange]) -> list[Table]:
        out = []
        for rng in ranges:
            rows = self.tables.get(rng.tab, [])
            last = len(rows) if rng.last_row is None else rng.last_row
            end = None if rng.last_col is None else rng.last_col + 1
            out.append(
                Table(rng.tab, [r[rng.first_col : end] for r in rows[rng.first_row - 1 : last]])
            )
        return out

    def write(self, plan: WritePlan) -> None:
        for title, header in plan.new_tabs:
            self.tables.setdefault(title, [list(header)])
        for w in plan.cells:
            rows = self.tables.setdefault(w.tab, [])
            while len(rows) < w.row:
                rows.append([])
            row = rows[w.row - 1]
            row.extend([None] * (w.col + 1 - len(row)))
            row[w.col] = w.value

    def setup(self, schema: Schema) -> list[str]:
        return []


def small_sheet() -> dict[str, list[list[Cell]]]:
    tables = minimal_tables()
    form = settings_from_mapping(example(), "example").schema.tab("formulier1")
    tables[form.title] = [list(form.headers)]
    tables["Grootouders"] += [volunteer("GO-1"), volunteer("GO-2", Postcode="2712 AB")]
    tables["Gezinnen"] += [family("GZ-1"), family("GZ-2", Kinderen="drie")]
    tables["Ouderen"] += [elder("OU-1"), elder("OU-2")]
    tables["Activiteiten"] += [activity("AC-1", "3-12-2026"), activity("AC-2", "30-12-2026")]
    tables["Hulpvragen"] += [request("HV-1")]
    tables["Hulpaanbod"] += [helper("HA-1")]
    tables["Gesprekken"] += [["1-9-2026", "GO-1", "intake", "Coördinator", "Humanitas"]]
    return tables


# --- random configs ------------------------------------------------------------------------

WEIRD: list[Any] = [
    0, -1, 1, 7, 10**6, 10**9, 10**12, 10**18, -(10**12), 2**63 - 1,
    0.0, -0.5, 1e308, math.nan, math.inf, -math.inf,
    "", " ", "veel", "3m", "-3m", "99999999d", "1e9y", "0d", "12-31", "02-30", "25:00", "x/y",
    "Signalen", "Grootouders", "a" * 40, "ë\u202e", "=1+1",
    True, False, [], [1, 2], ["a"], [10**12], [math.nan], {}, {"a": 1}, {"name": 1},
    dt.date(2026, 1, 1), dt.datetime(2026, 1, 1, 2, 0), dt.time(2, 0),
]  # fmt: skip
NEW_KEYS = ["tabs", "headers", "sheet", "worker", "matching", "activities", "help", "followup",
            "notify", "logbook_rows", "rules", "weights", "unknown", "due", "name"]  # fmt: skip


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{json.dumps(str(k))} = {toml_value(v)}" for k, v in value.items())
            + "}"
        )
    raise TypeError(type(value))


def to_toml(data: dict[str, Any]) -> str:
    return "".join(f"{json.dumps(k)} = {toml_value(v)}\n" for k, v in data.items())


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


def mutate(base: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    data = json.loads(json.dumps(base, default=str))  # a deep copy (no dates in the example)
    for _ in range(rng.randint(1, 3)):
        paths = _paths(data)
        path = rng.choice(paths)
        parent: Any = data
        for part in path[:-1]:
            parent = parent[part]
        action = rng.random()
        if action < 0.7:
            parent[path[-1]] = rng.choice(WEIRD)
        elif action < 0.85 and isinstance(parent, dict):
            parent[rng.choice(NEW_KEYS)] = rng.choice(WEIRD)
        elif isinstance(parent, dict):
            del parent[path[-1]]
        elif isinstance(parent, list) and parent:
            parent.pop(int(path[-1]))
    return data


def example() -> dict[str, Any]:
    data = tomllib.loads(EXAMPLE.read_text("utf-8"))
    data["sheet"] = {"workbook": "programma.xlsx"}
    data["tabs"] = {"gezinnen": "Gezinnen"}
    data["headers"] = {"gezinnen": {"postcode": "PC"}}
    data["forms"] = [
        {
            "tab": "Formulierreacties 1",
            "type": "gezinnen",
            "language": "nl",
            "organisation": "Humanitas",
            "questions": {"consent": "Mogen wij uw gegevens gebruiken?"},
        }
    ]
    return data


def run(config: Path) -> tuple[int, str]:
    err = io.StringIO()
    backend = MemoryBackend(small_sheet())

    def factory(settings: Settings) -> Backend:
        return backend

    import contextlib

    with contextlib.redirect_stderr(err):
        code = main(
            ["sync", "--config", str(config), "--today", "2026-11-27"],
            backend_factory=factory,
            out=io.StringIO(),
        )
    return code, err.getvalue()


# A valid config may rename a tab or column the sheet does not have: the run then fails (1).
SHEET_MISMATCH = ("has no tab", "nothing written; tab ")


def assert_clean(config: Path, code: int, err: str) -> None:
    """Exit 0; or 2 with one line naming the file; or 1 because the sheet lacks a renamed tab."""
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("sow-sheets:")]
    if code == 0:
        return
    assert len(lines) == 1, (config.read_text("utf-8", "replace"), code, err)
    if code == 1:
        assert any(words in lines[0] for words in SHEET_MISMATCH), err
        return
    assert code == 2 and str(config) in lines[0], (config.read_text("utf-8", "replace"), err)


def test_the_example_config_syncs(tmp_path: Path) -> None:
    config = tmp_path / "sow.toml"
    config.write_text(to_toml(example()), "utf-8")
    assert run(config)[0] == 0


@pytest.mark.parametrize("seed", range(EXAMPLES // 50))
def test_random_malformed_configs_exit_2_or_work(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    base = example()
    for n in range(50):
        config = tmp_path / f"sow-{n}.toml"
        config.write_text(to_toml(mutate(base, rng)), "utf-8")
        code, err = run(config)
        assert_clean(config, code, err)


# The classes issue 11 reproduced, each by name: exit 2 naming the file and the key.
NAMED = {
    "tabs as text": ('tabs = "Gezinnen"\n', "[tabs]"),
    "tabs as a number": ("tabs = 3\n", "[tabs]"),
    "headers as text": ('headers = "PC"\n', "[headers]"),
    "headers of a tab as a number": ("[headers]\ngezinnen = 3\n", "[headers.gezinnen]"),
    "huge VOG months": ("[matching]\nvog_max_months = 1000000000000\n", "vog_max_months"),
    "huge waiting days": ("[matching]\nwaiting_full_days = 1000000000\n", "waiting_full_days"),
    "huge horizon": ("[activities]\nhorizon_days = 1000000000\n", "horizon_days"),
    "huge follow-up days": ("[followup]\nwaiting_days = 1000000000000\n", "waiting_days"),
    "huge rule duration": (
        '[[followup.rules]]\nname = "x"\napplies_to = "matches"\nclock = "start"\n'
        'due = "99999999d"\ndescription = "x"\n',
        "'due'",
    ),
    "nan weight": ("[matching.weights]\ndistance = nan\n", "distance"),
    "inf weight": ("[activities]\nweight_cost = inf\n", "weight_cost"),
    "one header for two columns": ('[headers.gezinnen]\nname = "Kinderen"\n', "name"),
    "workbook and spreadsheet": ('[sheet]\nworkbook = "a.xlsx"\nspreadsheet = "abc"\n', "[sheet]"),
    "a title with a slash": ('[tabs]\nsignalen = "Signalen/meldingen"\n', "signalen"),
    "a title over 31 characters": (f'[tabs]\nsignalen = "{"S" * 32}"\n', "signalen"),
    "two tabs one title": ('[tabs]\nsignalen = "Grootouders"\n', "signalen"),
    "no rules": ("[followup]\nrules = []\n", "followup.rules"),
    "a mistyped time zone": ('[worker]\ntz = "Europe/Amsterdm"\n', "tz"),
}


@pytest.mark.parametrize("case", NAMED, ids=list(NAMED))
def test_each_reproduced_config_mistake_exits_2_naming_file_and_key(
    tmp_path: Path, case: str
) -> None:
    text, key = NAMED[case]
    config = tmp_path / "sow.toml"
    config.write_text(text if "[sheet]" in text else f'{text}\n[sheet]\nworkbook = "a.xlsx"\n')
    if text.startswith(("tabs", "headers")):  # top-level keys must come before any table
        config.write_text(f'{text}[sheet]\nworkbook = "a.xlsx"\n')
    code, err = run(config)
    assert code == 2 and key in err and str(config) in err, err
    assert_clean(config, code, err)


def test_a_config_that_is_not_utf8_exits_2(tmp_path: Path) -> None:
    config = tmp_path / "sow.toml"
    config.write_bytes('[sheet]\nworkbook = "Coördinatie.xlsx"\n'.encode("latin-1"))
    code, err = run(config)
    assert code == 2 and "UTF-8" in err
    assert_clean(config, code, err)
