"""The xlsx backend's reading (parallel parsing threads) and its packaging of new parts."""

from __future__ import annotations

import datetime as dt
import shutil
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from sow_sheets.backends.xlsx import XlsxBackend, write_new_workbook
from sow_sheets.backends.xlsx.package import Deflated, Package, deflate
from sow_sheets.backends.xlsx.reader import _trim, read_tables
from sow_sheets.demo.data import demo_tables
from sow_sheets.model.errors import SheetAccessError
from tests.conftest import CliResult

TODAY = dt.date(2026, 11, 27)


@pytest.fixture()
def workbook(tmp_path: Path) -> Path:
    path = tmp_path / "demo.xlsx"
    write_new_workbook(path, demo_tables(TODAY, 2026))
    return path


def test_parallel_read_equals_one_sheet_at_a_time(workbook: Path) -> None:
    """Every tab, in the workbook's order, exactly as calamine reads it sheet by sheet."""
    tables = read_tables(workbook)
    book = CalamineWorkbook.from_path(str(workbook))
    try:
        assert list(tables) == book.sheet_names
        for name in book.sheet_names:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            assert tables[name].rows == _trim(rows), name
    finally:
        book.close()
    assert sum(len(t.rows) for t in tables.values()) > 50


def test_a_broken_sheet_is_a_message_and_leaves_no_thread(workbook: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(broken, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet3.xml":
                data = data[: len(data) // 2]  # cut off in the middle of a cell
            out.writestr(info, data)
    before = threading.active_count()
    with pytest.raises(SheetAccessError, match=r"not a readable \.xlsx file"):
        XlsxBackend(broken).read()
    assert threading.active_count() == before


def test_deflated_parts_round_trip(workbook: Path, tmp_path: Path) -> None:
    text = "<x>" + "Zoë & één " * 5000 + "</x>"
    part = deflate(iter([text[:7], text[7:30001], text[30001:]]))
    assert isinstance(part, Deflated)
    assert part.inflate().decode("utf-8") == text
    assert len(part.data) < part.size // 10
    copy = tmp_path / "copy.xlsx"
    shutil.copy(workbook, copy)
    package = Package.open(copy)
    try:
        package.changed["xl/extra.xml"] = part
        package.save()
    finally:
        package.close()
    with zipfile.ZipFile(copy) as zf:
        assert zf.testzip() is None  # every member's CRC checks out
        assert zf.read("xl/extra.xml").decode("utf-8") == text


def test_head_stops_before_the_cells(workbook: Path) -> None:
    package = Package.open(workbook)
    try:
        part = next(iter(package.sheets.values()))
        head = package.head(part)
        whole = package.read(part).decode("utf-8")
        assert head and whole.startswith(head)
        assert "<sheetView" in head and "<row" not in head
    finally:
        package.close()


def _ods(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")


def _strict(path: Path) -> None:
    """A workbook as Excel's Strict Open XML stores it: other namespaces throughout."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://purl.oclc.org/ooxml/officeDocument/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        zf.writestr(
            "xl/workbook.xml", '<workbook xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main"/>'
        )


def _xlsb(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.bin", b"\x83\x01\x00")


@pytest.mark.parametrize(
    ("name", "make", "said"),
    [
        ("leeg.xlsx", lambda p: p.write_bytes(b""), "is an empty file"),
        ("export.csv", lambda p: p.write_text("ID;Naam\nGO-1;x\n"), "is a text file (CSV?)"),
        (
            "oud.xls",
            lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)),
            "Excel 97-2003 (.xls) or password-protected",
        ),
        ("calc.ods", _ods, "is an OpenDocument (.ods) spreadsheet"),
        ("binair.xlsb", _xlsb, "is an Excel binary (.xlsb) workbook"),
        ("strikt.xlsx", _strict, "is a Strict Open XML spreadsheet"),
        ("map.xlsx", lambda p: p.mkdir(), "is a folder, not an .xlsx file"),
    ],
)
def test_another_format_is_named_and_left_alone(
    tmp_path: Path, run_cli: Callable[..., CliResult], name: str, make: Any, said: str
) -> None:
    """A coordinator who saved the sheet in another format is told what it is and what to do;
    the file is not touched."""
    path = tmp_path / name
    make(path)
    before = path.read_bytes() if path.is_file() else None
    for command in (["sync"], ["check"], ["init"]):
        result = run_cli(*command, "--workbook", str(path))
        assert result.code != 0
        assert said in result.err, result.err
        assert "Traceback" not in result.err + result.out
        assert (path.read_bytes() if path.is_file() else None) == before
    assert [p.name for p in tmp_path.iterdir()] == [name]
