"""`sow-sheets init` on a workbook: tabs, headers, frozen rows, dropdowns, signal colours."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl

from sow_sheets.model.schema import DEFAULT_SCHEMA
from tests.conftest import CliResult
from tests.helpers import minimal_tables, read_workbook

RunCli = Callable[..., CliResult]


def test_init_creates_a_complete_workbook_and_is_idempotent(
    run_cli: RunCli, tmp_path: Path
) -> None:
    path = tmp_path / "nieuw.xlsx"
    result = run_cli("init", "--workbook", str(path))
    assert result.code == 0, result.err
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [t.title for t in DEFAULT_SCHEMA.tabs]
    for spec in DEFAULT_SCHEMA.tabs:
        ws = book[spec.title]
        assert [c.value for c in ws[1]] == spec.headers
        assert ws.freeze_panes == "B2"
    status = book["Grootouders"].data_validations.dataValidation
    formulas = {dv.formula1 for dv in status}
    assert '"actief,pauze,gestopt"' in formulas
    assert '"ja,nee"' in formulas
    besluit = {dv.formula1 for dv in book["Voorstellen"].data_validations.dataValidation}
    assert '"akkoord,afgewezen"' in besluit
    rules = book["Signalen"].conditional_formatting
    assert any('"open"' in r.formula[0] for cf in rules for r in cf.rules)
    count = len(status)
    assert run_cli("init", "--workbook", str(path)).code == 0
    again = openpyxl.load_workbook(path)
    assert len(again["Grootouders"].data_validations.dataValidation) == count
    assert "all tabs present" in run_cli("init", "--workbook", str(path)).out


def test_init_keeps_existing_data_and_adds_only_missing_tabs(
    run_cli: RunCli, workbook: Callable[..., Path]
) -> None:
    tables = minimal_tables()
    tables["Grootouders"].append(["GO-1", "=HYPERLINK(1)"])
    del tables["Deelnames"]
    path = workbook(tables)
    result = run_cli("init", "--workbook", str(path))
    assert "Deelnames" in result.out
    after = read_workbook(path)
    assert after["Grootouders"][1][:2] == ["GO-1", "=HYPERLINK(1)"]
    assert openpyxl.load_workbook(path)["Grootouders"]["B2"].data_type == "s"


def test_check_reports_tabs_and_writes_nothing(
    run_cli: RunCli, workbook: Callable[..., Path]
) -> None:
    tables = minimal_tables()
    tables["Gezinnen"][0] = ["ID", "Naam"]  # Postcode, Status, ... missing
    path = workbook(tables)
    before = path.read_bytes()
    result = run_cli("check", "--workbook", str(path))
    assert result.code == 1
    assert 'tab "Gezinnen"' in result.out and '"Postcode"' in result.out
    assert path.read_bytes() == before
