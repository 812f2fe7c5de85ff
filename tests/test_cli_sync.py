"""The core sync end to end through the command line, on real .xlsx files."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from sow_sheets.backends.xlsx import XlsxBackend
from sow_sheets.demo.workbook import write_demo
from sow_sheets.model.cells import Cell
from sow_sheets.model.schema import DEFAULT_SCHEMA
from sow_sheets.model.sheet import CellRange, Table
from sow_sheets.settings import Settings
from sow_sheets.sync.run import run_sync
from tests.conftest import CliResult
from tests.helpers import TODAY, data_types, headers, minimal_tables, read_workbook

Tables = dict[str, list[list[Cell]]]
RunCli = Callable[..., CliResult]
MakeWorkbook = Callable[[Tables], Path]


def volunteer(**cells: Any) -> list[Cell]:
    base: dict[str, Any] = {
        "ID": "GO-0001", "Naam": "Test Persoon", "Geboortejaar": 1955, "Postcode": "2711 AB",
        "Telefoon": "06-12340000", "E-mail": "t@example.nl", "Organisatie": "Humanitas",
        "Intakedatum": "1-3-2026", "Status": "actief", "Toestemming": "ja",
        "VOG-datum": "2026-01-10", "Max afstand (km)": 5, "Max gezinnen": 1,
        "Frequentie": "wekelijks", "Dagen": "di, za", "Leeftijd kinderen": "0-12",
    }  # fmt: skip
    base.update(cells)
    return [base.get(str(h)) for h in headers("grootouders")]


def tables_with(rows: list[list[Cell]]) -> Tables:
    tables = minimal_tables()
    tables["Grootouders"] += rows
    return tables


def signal_texts(path: Path) -> list[str]:
    """The data-problem signals (follow-up signals are tested elsewhere)."""
    rows = read_workbook(path)["Signalen"]
    col, kind = rows[0].index("Omschrijving"), rows[0].index("Type")
    return [str(r[col]) for r in rows[1:] if r[kind] in ("gegevens", "dubbel")]


BAD_VALUES = [
    ("Postcode", "27x", "2711 AB"),
    ("Intakedatum", "31-02-2026", "2026-03-01"),
    ("Toestemming", "misschien", "ja of nee"),
    ("Geboortejaar", "oud", "geboortejaar"),
    ("Dagen", "soms", "ma, wo, za"),
    ("Frequentie", "af en toe", "tweewekelijks"),
    ("Leeftijd kinderen", "jong", "0-12"),
    ("Max afstand (km)", "ver", "afstand"),
    ("Max gezinnen", "twee", "heel getal"),
    ("Status", "weg", "actief, pauze of gestopt"),
    ("Telefoon", "bel maar", "telefoonnummer"),
    ("E-mail", "geen mail", "e-mailadres"),
    ("Huisdieren", "misschien", "ja of nee"),
]


@pytest.mark.parametrize(("column", "value", "form"), BAD_VALUES)
def test_each_bad_value_is_a_signal_naming_tab_row_column(
    run_cli: RunCli, workbook: MakeWorkbook, column: str, value: str, form: str
) -> None:
    path = workbook(tables_with([volunteer(), volunteer(ID="GO-0002", **{column: value})]))
    result = run_cli("sync", "--workbook", str(path), "--today", TODAY.isoformat())
    assert result.code == 0, result.err
    texts = signal_texts(path)
    assert len(texts) == 1
    assert texts[0].startswith(f'tab "Grootouders", rij 3, kolom "{column}": verwacht ')
    assert form in texts[0]
    if column in ("Telefoon", "E-mail"):  # contact data is named, never quoted
        assert value not in texts[0] and texts[0].endswith("(de waarde zelf staat hier niet)")
    else:
        assert texts[0].endswith(f'gevonden "{value}"')


def test_other_tabs_problems_duplicates_and_unknown_subjects(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    tables = tables_with([volunteer(), volunteer(), volunteer(ID="GO-0003")])
    conversation = ["12-11-2026", "GO-9999", "contact", "Medewerker", "Humanitas", "", ""]
    tables["Gesprekken"].append(conversation)
    tables["Gesprekken"].append(["12-11-2026", "GO-0003", "kletsen", "", "", "", ""])
    tables["Activiteiten"].append(["AC-1", "Bingo", "Vitis", "Overig", "op een dag"])
    path = workbook(tables)
    assert run_cli("sync", "--workbook", str(path), "--today", "2026-11-27").code == 0
    rows = read_workbook(path)["Signalen"]
    kinds = {(r[1], r[5].split(":")[0]) for r in rows[1:]}
    assert ("dubbel", 'tab "Grootouders", rij 3, kolom "ID"') in kinds
    assert ("gegevens", 'tab "Gesprekken", rij 2, kolom "Betreft"') in kinds
    assert ("gegevens", 'tab "Gesprekken", rij 3, kolom "Soort"') in kinds
    assert ("gegevens", 'tab "Activiteiten", rij 2, kolom "Datum"') in kinds


def test_headers_match_ignoring_case_spaces_and_aliases(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    tables = minimal_tables()
    header = [" id ", "NAAM", "Email", "pc", "status", "Toestemming", "Eigen kolom"]
    tables["Grootouders"] = [header, ["GO-1", "A", "a@example.nl", "27x", "actief", "ja", "mijn"]]
    path = workbook(tables)
    assert run_cli("sync", "--workbook", str(path), "--today", "2026-11-27").code == 0
    (text,) = signal_texts(path)
    assert text.startswith('tab "Grootouders", rij 2, kolom "pc"')
    assert read_workbook(path)["Grootouders"][1][6] == "mijn"  # extra column left alone


def test_human_tabs_unchanged_except_filled_ids_and_second_sync_is_a_noop(
    run_cli: RunCli, tmp_path: Path
) -> None:
    path = tmp_path / "demo.xlsx"
    write_demo(path, TODAY, 2026)
    before = read_workbook(path)
    assert run_cli("sync", "--workbook", str(path), "--today", "2026-11-27").code == 0
    first = read_workbook(path)
    for spec in DEFAULT_SCHEMA.human_tabs:
        old, new = before[spec.title], first[spec.title]
        changed = [
            (r, c, old[r][c], new[r][c])
            for r in range(len(old))
            for c in range(len(old[r]))
            if old[r][c] != new[r][c]
        ]
        # Only blank ID cells (column 1 of the person tabs) may have been filled.
        assert all(c == 0 and was is None and now for r, c, was, now in changed), spec.title
        assert len(new) == len(old)
    assert run_cli("sync", "--workbook", str(path), "--today", "2026-11-27").code == 0
    again = read_workbook(path)
    for title, rows in first.items():
        if title == "Logboek":
            assert again[title][: len(rows)] == rows
            assert len(again[title]) == len(rows) + 1
        elif title == "Overzicht":  # rewritten every run: the quarter counts the first run's
            assert again[title][0] == rows[0]
        else:
            assert again[title] == rows, title


def test_first_sync_fills_blank_ids_only(run_cli: RunCli, workbook: MakeWorkbook) -> None:
    tables = tables_with([volunteer(ID="GO-0007"), volunteer(ID=None, Naam="Zonder ID")])
    path = workbook(tables)
    before = read_workbook(path)
    assert run_cli("sync", "--workbook", str(path), "--today", "2026-11-27").code == 0
    after = read_workbook(path)
    for title in ("Gezinnen", "Ouderen", "Activiteiten", "Gesprekken", "Deelnames"):
        assert after[title] == before[title]
    changed = [
        (r, c)
        for r, row in enumerate(before["Grootouders"])
        for c, value in enumerate(row)
        if after["Grootouders"][r][c] != value
    ]
    assert changed == [(2, 0)]
    assert after["Grootouders"][2][0] == "GO-0008"


def test_formula_looking_text_stays_text(run_cli: RunCli, workbook: MakeWorkbook) -> None:
    formula = '=HYPERLINK("http://example.nl";"klik")'
    tables = tables_with([volunteer(Naam=formula, Postcode="=IMPORTXML(1)")])
    path = workbook(tables)
    assert run_cli("sync", "--workbook", str(path), "--today", "2026-11-27").code == 0
    assert data_types(path, "Grootouders")[1][1] == "s"
    assert read_workbook(path)["Grootouders"][1][1] == formula
    signal_row = read_workbook(path)["Signalen"][1]
    assert "=IMPORTXML(1)" in str(signal_row[5])
    assert all(t != "f" for t in data_types(path, "Signalen")[1])


def test_signal_resolves_when_fixed_and_human_cells_survive(
    run_cli: RunCli, workbook: MakeWorkbook
) -> None:
    path = workbook(tables_with([volunteer(Postcode="27x")]))
    assert run_cli("sync", "--workbook", str(path), "--today", "2026-11-27").code == 0
    book = openpyxl.load_workbook(path)
    book["Signalen"]["K2"] = "uitstellen tot 1-12-2026"
    book["Signalen"]["L2"] = "Bellen na vakantie"
    book["Grootouders"]["D2"] = "2711 AB"
    book.save(path)
    assert run_cli("sync", "--workbook", str(path), "--today", "2026-11-28").code == 0
    row = read_workbook(path)["Signalen"][1]
    assert row[8] == "opgelost"
    assert row[9] == dt.datetime(2026, 11, 28)
    assert row[10:12] == ["uitstellen tot 1-12-2026", "Bellen na vakantie"]


def test_snooze_and_ignore(run_cli: RunCli, workbook: MakeWorkbook) -> None:
    path = workbook(tables_with([volunteer(Postcode="27x"), volunteer(ID="GO-2", Postcode="9")]))
    assert run_cli("sync", "--workbook", str(path), "--today", "2026-11-27").code == 0
    book = openpyxl.load_workbook(path)
    book["Signalen"]["K2"] = "uitstellen tot 1-12-2026"
    book["Signalen"]["K3"] = "negeren"
    book.save(path)
    run_cli("sync", "--workbook", str(path), "--today", "2026-11-30")
    statuses = [r[8] for r in read_workbook(path)["Signalen"][1:3]]
    assert statuses == ["uitgesteld", "genegeerd"]
    run_cli("sync", "--workbook", str(path), "--today", "2026-12-01")
    statuses = [r[8] for r in read_workbook(path)["Signalen"][1:3]]
    assert statuses == ["open", "genegeerd"]


def test_dry_run_writes_nothing(run_cli: RunCli, workbook: MakeWorkbook) -> None:
    path = workbook(tables_with([volunteer(Postcode="27x")]))
    before = path.read_bytes()
    result = run_cli("sync", "--dry-run", "--workbook", str(path))
    assert result.code == 0
    assert "would change: Signalen" in result.out
    assert path.read_bytes() == before


def test_output_carries_no_personal_data(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "demo.xlsx"
    result = run_cli("demo", str(path), "--today", "2026-11-27")
    sync = run_cli("sync", "--dry-run", "--workbook", str(path), "--today", "2026-11-27")
    status = run_cli("status", "--workbook", str(path))
    output = result.out + result.err + sync.out + sync.err + status.out + status.err
    people = read_workbook(path)["Grootouders"]
    for row in people[1:]:
        for value in row[1], row[4], row[5]:  # Naam, Telefoon, E-mail
            if isinstance(value, str) and len(value) > 3:
                assert value not in output


def test_missing_tab_suggests_init(run_cli: RunCli, workbook: MakeWorkbook) -> None:
    tables = minimal_tables()
    del tables["Ouderen"]
    path = workbook(tables)
    result = run_cli("sync", "--workbook", str(path))
    assert result.code == 1
    assert '"Ouderen"' in result.err and "sow-sheets init" in result.err
    assert run_cli("init", "--workbook", str(path)).code == 0
    assert run_cli("sync", "--workbook", str(path)).code == 0


def test_open_in_excel_is_said_clearly(run_cli: RunCli, workbook: MakeWorkbook) -> None:
    path = workbook(tables_with([volunteer(Postcode="27x")]))
    (path.parent / f".~lock.{path.name}#").write_text("x")
    result = run_cli("sync", "--workbook", str(path))
    assert result.code == 1
    assert "open in Excel or LibreOffice" in result.err


def test_usage_and_config_errors_exit_2(run_cli: RunCli, tmp_path: Path) -> None:
    assert run_cli("sync").code == 2
    bad = tmp_path / "sow.toml"
    bad.write_text('[worker]\nat = "laat"\n')
    result = run_cli("sync", "--config", str(bad), "--workbook", "x.xlsx")
    assert result.code == 2
    assert str(bad) in result.err and "[worker]" in result.err
    with pytest.raises(SystemExit) as exit_info:
        run_cli("sync", "--today", "gisteren")
    assert exit_info.value.code == 2


def test_a_sync_killed_mid_write_leaves_a_readable_workbook(tmp_path: Path) -> None:
    path = tmp_path / "demo.xlsx"
    root = Path(__file__).resolve().parents[1]
    subprocess.run(
        [sys.executable, "-m", "sow_sheets", "demo", str(path), "--today", "2026-11-27"],
        check=True, capture_output=True, cwd=root,
    )  # fmt: skip
    before = read_workbook(path)
    # Kill the process from inside the package's save, after part of the new file is written.
    script = textwrap.dedent(
        f"""
        import os, signal, sow_sheets.backends.xlsx.package as pkg
        def dying_save(self, handle):
            handle.write(b"PK\\x03\\x04 half a workbook")
            handle.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        pkg.Package._write = dying_save
        from sow_sheets.cli import main
        main(["sync", "--workbook", {str(path)!r}, "--today", "2026-12-05"])
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True)
    assert proc.returncode == -signal.SIGKILL
    assert read_workbook(path) == before
    leftovers = [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]
    # A killed process can leave its temporary file; the workbook itself is intact and the
    # next sync works.
    assert len(leftovers) <= 1
    done = subprocess.run(
        [sys.executable, "-m", "sow_sheets", "sync", "--workbook", str(path)],
        cwd=root, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


class EditingBackend(XlsxBackend):
    """A workbook where a person edits a row between the sync's read and its write."""

    def reread(self, ranges: list[CellRange]) -> list[Table]:
        book = openpyxl.load_workbook(self.path)
        book["Grootouders"]["B3"] = "Net aangepast"
        book.save(self.path)
        return super().reread(ranges)


def test_a_row_edited_before_the_write_keeps_its_blank_id_and_sits_out(
    workbook: MakeWorkbook,
) -> None:
    path = workbook(tables_with([volunteer(ID="GO-0007"), volunteer(ID=None)]))
    backend = EditingBackend(path)
    result = run_sync(backend, Settings(), TODAY, dt.datetime(2026, 11, 27, 2, 0))
    assert result.ids_filled == 0
    after = read_workbook(path)
    assert after["Grootouders"][2][:2] == [None, "Net aangepast"]
    written = " ".join(str(c) for tab in after.values() for row in tab for c in row)
    assert "GO-0008" not in written
