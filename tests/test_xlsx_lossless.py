"""Syncs and `init` keep everything people put in an Excel workbook (docs/xlsx.md).

The workbooks are authored as Excel stores them (tests/excel_authored.py): shared strings,
styles, formulas with stored results, comments, dropdowns, conditional formats, merged cells,
pictures, a chart, an Excel table, a pivot table with its cache, a connection, custom XML and
the calculation chain. Only the parts a sync must change may differ, and only as far as needed.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

from sow_sheets.backends.xlsx import XlsxBackend
from sow_sheets.demo.data import demo_tables
from sow_sheets.model.cells import Cell, is_blank
from sow_sheets.model.schema import DEFAULT_SCHEMA
from tests.conftest import CliResult
from tests.excel_authored import EXTRA_PARTS, sheet_parts, write_excel_workbook
from tests.helpers import TODAY

RunCli = Callable[..., CliResult]
HUMAN = {spec.title for spec in DEFAULT_SCHEMA.human_tabs}
# What adding tabs must change: the sheet list, its relationships and the content types
# (and styles.xml gains the worker's header, date and signal styles after what is there).
LISTS = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"}
STYLES = "xl/styles.xml"


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def authored(tmp_path: Path, blank_ids: tuple[int, ...] = (), worker_rows: bool = False) -> Path:
    """The demo's human tabs as Excel stores them; ``blank_ids`` empties Grootouders IDs."""
    tables = {
        title: [list(row) for row in rows]
        for title, rows in demo_tables(TODAY).items()
        if title in HUMAN or worker_rows
    }
    for title, rows in tables.items():
        for number, row in enumerate(rows[1:], start=1):
            if is_blank(row[0]) and title != "Gesprekken" and title != "Deelnames":
                row[0] = f"XX-{number:04d}"
    for sheet_row in blank_ids:
        tables["Grootouders"][sheet_row - 1][0] = None
    path = tmp_path / "excel.xlsx"
    write_excel_workbook(path, tables)
    return path


def sync(run_cli: RunCli, path: Path, day: int) -> None:
    today = TODAY + dt.timedelta(days=day)
    result = run_cli("sync", "--workbook", str(path), "--today", today.isoformat())
    assert result.code in (0, 1), result.err  # 1: signals about the demo's deliberate mistakes
    assert "Traceback" not in result.err


def outside_cells(xml: bytes) -> bytes:
    """A worksheet part without its cell data and its (recomputed) dimension."""
    xml = re.sub(rb"<sheetData>.*</sheetData>|<sheetData/>", b"", xml, flags=re.DOTALL)
    return re.sub(rb"<dimension [^>]*/>", b"", xml)


def selected_off(xml: bytes) -> bytes:
    """A worksheet part as it is once Overzicht opens first: no longer the selected tab."""
    return re.sub(rb' tabSelected="(?:1|true)"', b"", xml)


def rows_of(xml: bytes) -> dict[int, dict[str, bytes]]:
    """Sheet row → cell reference → the cell's XML."""
    out: dict[int, dict[str, bytes]] = {}
    for row in re.finditer(rb'<row r="(\d+)"[^>]*?(?:/>|>(.*?)</row>)', xml, flags=re.DOTALL):
        cells = re.finditer(rb'<c r="([A-Z]+\d+)"[^>]*?(?:/>|>.*?</c>)', row.group(2) or b"")
        out[int(row.group(1))] = {c.group(1).decode(): c.group(0) for c in cells}
    return out


def formula_values(path: Path) -> list[Cell]:
    """The Naamlengte column (formulas) as the worker reads it."""
    table = XlsxBackend(path).read()["Grootouders"]
    col = table.header.index("Naamlengte")
    return [row[col] if col < len(row) else None for row in table.rows[1:]]


def test_init_and_two_syncs_keep_every_part_of_an_excel_workbook(
    run_cli: RunCli, tmp_path: Path
) -> None:
    path = authored(tmp_path)
    before = parts(path)
    assert set(EXTRA_PARTS) <= set(before)
    assert any(n.startswith("xl/media/") for n in before)
    assert any(n.startswith("xl/charts/") for n in before)
    assert any(n.startswith("xl/tables/") for n in before)
    result = run_cli("init", "--workbook", str(path))
    assert result.code == 0, result.err
    sync(run_cli, path, 0)
    sync(run_cli, path, 1)
    after = parts(path)
    assert set(before) <= set(after)
    # Overzicht opens first: the tab that was selected only loses its selection.
    changed = {name for name in before if after[name] != selected_off(before[name])}
    assert changed <= LISTS | {STYLES}
    # The lists only gain entries: every original sheet, relationship and type is still there.
    for name in LISTS:
        old = re.findall(rb"<(?:sheet|Relationship|Override|Default) [^>]*/>", before[name])
        new = after[name].decode()
        assert all(entry.decode() in new for entry in old), name
    # Styles only gain entries after the existing ones: every style index keeps its meaning.
    for block in (rb"<cellXfs[^>]*>(.*?)</cellXfs>", rb"<fonts[^>]*>(.*?)</fonts>"):
        old_items = re.search(block, before[STYLES], flags=re.DOTALL)
        new_items = re.search(block, after[STYLES], flags=re.DOTALL)
        assert old_items is not None and new_items is not None
        assert new_items.group(1).startswith(old_items.group(1))
    added = set(after) - set(before)
    # New parts: the worker's tabs, and Overzicht's chart (a drawing, a chart, their links).
    new_parts = (
        r"xl/worksheets/sheet\d+\.xml|xl/worksheets/_rels/sheet\d+\.xml\.rels|"
        r"xl/drawings/drawing\d+\.xml|xl/drawings/_rels/drawing\d+\.xml\.rels|"
        r"xl/charts/chart\d+\.xml"
    )
    assert added and all(re.fullmatch(new_parts, n) for n in added)
    assert len([n for n in added if n.startswith("xl/charts/")]) == 1
    tabs = XlsxBackend(path).read()
    assert {spec.title for spec in DEFAULT_SCHEMA.tabs} <= set(tabs)
    assert len(tabs["Voorstellen"].rows) > 1  # the syncs did their work


def test_syncs_change_a_human_tab_only_in_the_ids_they_fill(
    run_cli: RunCli, tmp_path: Path
) -> None:
    blanks = (3, 7)
    path = authored(tmp_path, blank_ids=blanks, worker_rows=True)
    before = parts(path)
    stored = formula_values(path)
    assert stored[:3] == [11, 12, 13]  # the results Excel stored, read without recalculation
    sync(run_cli, path, 0)
    second = parts(path)
    sync(run_cli, path, 1)
    assert formula_values(path) == stored
    sync(run_cli, path, 2)
    third = parts(path)
    assert formula_values(path) == stored
    where = sheet_parts(path)
    for title in HUMAN - {"Grootouders"}:
        assert third[where[title]] == selected_off(before[where[title]]), title
    for name, data in before.items():
        if name not in LISTS and name != STYLES and name not in where.values():
            assert third[name] == data, name  # drawings, media, comments, pivots, ...
    part = where["Grootouders"]
    assert outside_cells(third[part]) == outside_cells(selected_off(before[part]))
    old_rows, new_rows = rows_of(before[part]), rows_of(third[part])
    assert set(old_rows) == set(new_rows)
    for number, cells in old_rows.items():
        if number not in blanks:
            assert new_rows[number] == cells, number
            continue
        assert {r: x for r, x in new_rows[number].items() if not r.startswith("A")} == {
            r: x for r, x in cells.items() if not r.startswith("A")
        }
        assert b"inlineStr" in new_rows[number][f"A{number}"]  # a literal, filled ID
    ids = XlsxBackend(path).read()["Grootouders"]
    assert all(str(ids.cell(n, 0)).startswith("GO-") for n in blanks)
    # Worker tabs keep their own look between syncs (widths, frozen row, dropdowns, colours).
    for title in ("Voorstellen", "Signalen", "Koppelingen"):
        assert outside_cells(third[where[title]]) == outside_cells(second[where[title]]), title


def test_a_no_edit_sync_rewrites_only_logboek_and_overzicht(
    run_cli: RunCli, tmp_path: Path
) -> None:
    path = authored(tmp_path, worker_rows=True)
    sync(run_cli, path, 0)
    sync(run_cli, path, 0)
    before = parts(path)
    sync(run_cli, path, 0)
    after = parts(path)
    changed = {name for name in before if after[name] != before[name]}
    # Logboek gains the run; Overzicht's "Laatste verwerking" row says when it ran.
    where = sheet_parts(path)
    assert changed == {where["Logboek"], where["Overzicht"]}
    assert rows_of(after[where["Overzicht"]]).keys() == rows_of(before[where["Overzicht"]]).keys()


LIBREOFFICE = Path(__file__).parent / "data" / "libreoffice-authored.xlsx"


def test_a_libreoffice_workbook_keeps_every_part_through_init_and_syncs(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """A second producer's XML (tests/data/README.md): only the sheet lists, the styles and
    the IDs the sync fills change; formulas keep their stored results."""
    path = tmp_path / "calc.xlsx"
    shutil.copy(LIBREOFFICE, path)
    before = parts(path)
    assert any(n.startswith("xl/media/") for n in before)
    assert any(n.startswith("xl/charts/") for n in before)
    assert any(n.startswith("xl/tables/") for n in before)
    assert any(n.startswith("xl/comments") for n in before)
    stored = formula_values(path)
    assert stored[:3] == [11, 12, 13]
    assert run_cli("init", "--workbook", str(path)).code == 0
    sync(run_cli, path, 0)
    sync(run_cli, path, 1)
    after = parts(path)
    where = sheet_parts(path)
    changed = {name for name in before if after[name] != selected_off(before[name])}
    assert changed <= LISTS | {STYLES, where["Grootouders"]}
    part = where["Grootouders"]
    assert outside_cells(after[part]) == outside_cells(selected_off(before[part]))
    old_rows, new_rows = rows_of(before[part]), rows_of(after[part])
    assert set(old_rows) == set(new_rows)
    for number, cells in old_rows.items():
        filled = {r: x for r, x in new_rows[number].items() if r not in cells}
        assert {r: new_rows[number][r] for r in cells} == cells, number
        assert list(filled) == ([f"A{number}"] if number in (3, 7) else []), number
    ids = XlsxBackend(path).read()["Grootouders"]
    assert all(str(ids.cell(n, 0)).startswith("GO-") for n in (3, 7))
    assert formula_values(path) == stored
    assert len(XlsxBackend(path).read()["Voorstellen"].rows) > 1
