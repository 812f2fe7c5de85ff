"""The layout policy (model/layout.py) read back from both backends after `init`.

xlsx through openpyxl; Google through the real gspread client on the emulator, asking for
the same fields a person's browser would see (widths, formats, filters, rules, protection).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from sow_sheets.backends.google import GoogleBackend
from sow_sheets.backends.google_setup import pixels
from sow_sheets.backends.xlsx import XlsxBackend
from sow_sheets.model.cells import column_letters as letter
from sow_sheets.model.layout import WRAPPED, tab_layout
from sow_sheets.model.schema import DEFAULT_SCHEMA, Schema
from sow_sheets.testing import SheetsEmulator

KEY = "1LayoutLayoutLayoutLayoutLayoutLayout0"
SIGNALEN = DEFAULT_SCHEMA.tab("signalen")


def test_the_policy_follows_the_schema() -> None:
    for spec in DEFAULT_SCHEMA.tabs:
        layout = tab_layout(spec)
        assert layout.frozen_rows == 1 and layout.frozen_columns == 1
        assert layout.basic_filter == spec.worker
        for column in layout.columns:
            schema_column = spec.column(column.key)
            if spec.worker and not schema_column.human:
                assert column.protected and not column.dropdown  # the worker's: no list
            assert column.wrap == (column.key in WRAPPED)
            assert column.width >= len(schema_column.header)
    voorstellen = tab_layout(DEFAULT_SCHEMA.tab("voorstellen"))
    assert voorstellen.column("decision").dropdown == ("akkoord", "afgewezen")
    assert voorstellen.column("why").width > voorstellen.column("key").width
    assert tab_layout(SIGNALEN).column("action").dropdown[0] == "negeren"
    assert "verhuisd" in tab_layout(DEFAULT_SCHEMA.tab("koppelingen")).column("end_reason").dropdown
    # A header in another order moves the columns and the rules with it.
    header = list(reversed(SIGNALEN.headers))
    moved = tab_layout(SIGNALEN, header)
    status = header.index("Status")
    assert moved.column("status").index == status
    assert all(f"${letter(status)}2" in c.formula for c in moved.colours)


def _xlsx_rules(ws: Any) -> list[str]:
    return [rule.formula[0] for cf in ws.conditional_formatting for rule in cf.rules]


def test_xlsx_init_applies_the_policy(tmp_path: Path) -> None:
    path = tmp_path / "boek.xlsx"
    XlsxBackend(path).setup(DEFAULT_SCHEMA)
    book = openpyxl.load_workbook(path)
    for spec in DEFAULT_SCHEMA.tabs:
        ws = book[spec.title]
        layout = tab_layout(spec)
        assert ws.freeze_panes == "B2"
        assert (ws.auto_filter.ref is not None) == spec.worker
        lists = {str(dv.sqref).split(":")[0][:-1]: dv for dv in ws.data_validations.dataValidation}
        for column in layout.columns:
            col = letter(column.index)
            dim = ws.column_dimensions[col]
            assert dim.width == column.width
            assert bool(dim.alignment.wrap_text) == column.wrap
            if column.date:
                assert dim.number_format == "DD-MM-YYYY"
            if column.dropdown:
                assert lists[col].formula1 == '"' + ",".join(column.dropdown) + '"'
                assert lists[col].errorStyle == "warning"
            else:
                assert col not in lists
    signalen = book["Signalen"]
    status = letter(tab_layout(SIGNALEN).column("status").index)
    rules = _xlsx_rules(signalen)
    assert len(rules) == 3 and all(f'${status}2="open"' in r for r in rules)
    status = letter(tab_layout(DEFAULT_SCHEMA.tab("voorstellen")).column("status").index)
    assert _xlsx_rules(book["Voorstellen"]) == [f'${status}2="open"']
    assert not _xlsx_rules(book["Koppelingen"])
    # init again adds nothing twice
    XlsxBackend(path).setup(DEFAULT_SCHEMA)
    again = openpyxl.load_workbook(path)
    assert _xlsx_rules(again["Signalen"]) == rules
    assert len(again["Signalen"].data_validations.dataValidation) == len(
        signalen.data_validations.dataValidation
    )


def test_xlsx_init_replaces_the_old_colours_and_lists_on_worker_columns(tmp_path: Path) -> None:
    path = tmp_path / "oud.xlsx"
    XlsxBackend(path).setup(DEFAULT_SCHEMA)
    book = openpyxl.load_workbook(path)
    ws = book["Signalen"]
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.worksheet.datavalidation import DataValidation

    ws.conditional_formatting = type(ws.conditional_formatting)()
    ws.conditional_formatting.add("A2:L5000", FormulaRule(formula=['$B2="gesprek te laat"']))
    old = DataValidation(type="list", formula1='"open,uitgesteld"')
    old.add("I2:I5000")
    ws.add_data_validation(old)
    ws.column_dimensions["B"].width = 33  # a person widened Type
    book.save(path)
    XlsxBackend(path).setup(DEFAULT_SCHEMA)
    after = openpyxl.load_workbook(path)["Signalen"]
    assert not any("gesprek te laat" in r for r in _xlsx_rules(after))
    assert len(_xlsx_rules(after)) == 3
    assert "I2:I5000" not in {str(dv.sqref) for dv in after.data_validations.dataValidation}
    assert after.column_dimensions["B"].width == 33  # a width a person set stays
    assert after.freeze_panes == "B2"


def _google() -> tuple[SheetsEmulator, Any]:
    emulator = SheetsEmulator()
    emulator.create({"Grootouders": [["ID", "Naam"]]}, KEY)
    backend = GoogleBackend(KEY, client=emulator.client())
    backend.setup(Schema())
    return emulator, emulator.client().open_by_key(KEY)


def _meta(spreadsheet: Any, title: str, width: int) -> dict[str, Any]:
    fields = (
        "sheets(properties,basicFilter,conditionalFormats,protectedRanges,"
        "data(columnMetadata(pixelSize),rowData(values(userEnteredFormat,dataValidation))))"
    )
    rng = f"'{title}'!A2:{letter(width - 1)}2"
    meta = spreadsheet.fetch_sheet_metadata(params={"fields": fields, "ranges": [rng]})
    sheet: dict[str, Any] = meta["sheets"][0]
    return sheet


def test_google_init_applies_the_policy_read_back_through_gspread() -> None:
    _, spreadsheet = _google()
    for key in ("signalen", "voorstellen", "koppelingen", "gezinnen"):
        spec = DEFAULT_SCHEMA.tab(key)
        layout = tab_layout(spec)
        sheet = _meta(spreadsheet, spec.title, layout.width)
        grid = sheet["properties"]["gridProperties"]
        assert grid["frozenRowCount"] == 1 and grid["frozenColumnCount"] == 1
        assert ("basicFilter" in sheet) == spec.worker
        data = sheet["data"][0]
        cells = data["rowData"][0]["values"]
        for column in layout.columns:
            assert data["columnMetadata"][column.index]["pixelSize"] == pixels(column.width)
            fmt = cells[column.index].get("userEnteredFormat", {})
            assert (fmt.get("wrapStrategy") == "WRAP") == column.wrap
            if column.date:
                assert fmt["numberFormat"] == {"type": "DATE", "pattern": "dd-mm-yyyy"}
            rule = cells[column.index].get("dataValidation")
            if column.dropdown:
                values = [v["userEnteredValue"] for v in rule["condition"]["values"]]
                assert values == list(column.dropdown) and rule.get("strict") is not True
            else:
                assert rule is None
        protected = {
            c
            for p in sheet.get("protectedRanges", [])
            for c in range(p["range"]["startColumnIndex"], p["range"]["endColumnIndex"])
        }
        assert protected == {c.index for c in layout.columns if c.protected}
        assert all(p["warningOnly"] for p in sheet.get("protectedRanges", []))
        formulas = [
            r["booleanRule"]["condition"]["values"][0]["userEnteredValue"]
            for r in sheet.get("conditionalFormats", [])
        ]
        assert formulas == [c.formula for c in layout.colours]
    signalen = _meta(spreadsheet, "Signalen", 12)
    status = letter(tab_layout(SIGNALEN).column("status").index)
    rules = signalen["conditionalFormats"]
    assert rules[0]["booleanRule"]["format"]["backgroundColor"]["red"] > 0.9  # overdue: red
    formulas = [r["booleanRule"]["condition"]["values"][0]["userEnteredValue"] for r in rules]
    assert all(f'${status}2="open"' in f for f in formulas)
