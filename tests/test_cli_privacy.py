"""`inzage` and `anonimiseer` through the command line on real workbooks."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from sow_sheets.backends.google import GoogleBackend
from sow_sheets.backends.xlsx import write_new_workbook
from sow_sheets.cli import main
from sow_sheets.model.cells import Cell, canonical
from sow_sheets.model.schema import DEFAULT_SCHEMA, Schema
from sow_sheets.model.sheet import Backend, CellRange, CellWrite, Table, WritePlan
from sow_sheets.reading.validation import validate
from sow_sheets.reporting.overview import quarter_block
from sow_sheets.settings import Settings
from sow_sheets.testing import SheetsEmulator
from tests.conftest import CliResult
from tests.helpers import headers, minimal_tables, read_workbook
from tests.test_cli_followup import sync
from tests.test_cli_matching import family, volunteer

RunCli = Callable[..., CliResult]
MakeWorkbook = Callable[[dict[str, list[list[Cell]]]], Path]
TODAY = dt.date(2026, 11, 27)
KEY = "privacy-sheet"
# What is planted about GO-1, and text of other people that must stay out of her export.
HERS = ("Truus Zwanenburg", "06-98765432", "truus.zwanenburg@example.nl", "wil graag zeilen")
TALKS = ("Truus en het gezin klikten goed", "Truus belde zelf")
THEIRS = ("Gezin GZ-2", "Gezin GZ-1", "Over een ander gezin")
TRACES = ("truus", "zwanenburg", "98765432", "zeilen", "klikten", "belde")


def programme(make: MakeWorkbook) -> Path:
    """GO-1 (the person who asks) in a match with GZ-1, proposed to GZ-2, with conversations
    about her, her match and someone else."""
    tables = minimal_tables()
    tables["Grootouders"].append(
        volunteer(
            "GO-1",
            Naam=HERS[0],
            Telefoon=HERS[1],
            **{"E-mail": HERS[2], "Opmerkingen": f"Truus {HERS[3]}", "Max gezinnen": 2},
        )
    )
    tables["Grootouders"].append(volunteer("GO-2", postcode="2725 AB", Naam="Kees Bos"))
    tables["Gezinnen"] += [family("GZ-1"), family("GZ-2")]
    tables["Koppelingen"] = [
        list(headers("koppelingen")),
        ["KP-0001", "GO-1", None, "GZ-1", None, "1-9-2026", None, "actief", None, None],
    ]
    tables["Gesprekken"] += [
        ["20-9-2026", "KP-0001", "kennismaking", "Ilse K.", "Humanitas", TALKS[0], None],
        ["1-10-2026", "GO-1", "contact", "Ilse K.", "Humanitas", TALKS[1], None],
        ["2-10-2026", "GZ-2", "contact", "Ilse K.", "Kwadraad", THEIRS[2], None],
    ]
    path = make(tables)
    return path


@pytest.fixture
def synced(run_cli: RunCli, workbook: MakeWorkbook) -> Path:
    path = programme(workbook)
    sync(run_cli, path, "2026-11-27")
    return path


def every_cell(path: Path) -> list[tuple[str, int, str, str]]:
    """(tab, row, header, text) of every non-blank cell of the workbook."""
    found = []
    for title, rows in read_workbook(path).items():
        for number, row in enumerate(rows[1:], start=2):
            for col, value in enumerate(row):
                if canonical(value):
                    header = canonical(rows[0][col]) if col < len(rows[0]) else ""
                    found.append((title, number, header, canonical(value)))
    return found


def overview(path: Path) -> list[tuple[str, Cell]]:
    tables = {t: Table(t, rows) for t, rows in read_workbook(path).items()}
    validated = validate(tables, DEFAULT_SCHEMA, TODAY)
    return quarter_block(validated, DEFAULT_SCHEMA, Settings().followup.rules, TODAY)


def test_inzage_finds_every_cell_about_the_person(
    run_cli: RunCli, synced: Path, tmp_path: Path
) -> None:
    out = tmp_path / "inzage.json"
    result = run_cli("inzage", "GO-1", "--workbook", str(synced), "--out", str(out), "--verbose")
    assert result.code == 0, result.err
    document = json.loads(out.read_text("utf-8"))
    assert document["ids"] == ["GO-1"]
    exported = {
        (c["tabblad"], c["rij"], c["kolom"], canonical(c["waarde"])) for c in document["cellen"]
    }
    cells = every_cell(synced)
    # Every row that refers to her or her match is in the export, cell by cell ...
    rows = {(t, n) for t, n, _h, v in cells if v in {"GO-1", "KP-0001"}}
    rows |= {(t, n) for t, n, _h, v in cells if t == "Signalen" and "GO-1" in v and "dubbel" in v}
    wanted = {c for c in cells if (c[0], c[1]) in rows and c[3] not in THEIRS}
    wanted = {c for c in wanted if not (c[0] == "Signalen" and " / " in c[3])}
    assert wanted <= exported
    assert {"Grootouders", "Gesprekken", "Koppelingen", "Voorstellen", "Signalen"} <= {
        c[0] for c in exported
    }
    # ... the planted values are all there, and nothing about other people is.
    values = {c[3] for c in exported}
    assert {HERS[0], HERS[1], HERS[2], f"Truus {HERS[3]}", *TALKS} <= values
    assert not values & set(THEIRS) and "Kees Bos" not in values
    assert exported <= set(cells) | {c for c in exported if c[0] == "Signalen"}
    # The console names IDs, counts and tabs, never what is kept.
    assert f"{len(exported)} cells" in result.out and str(out) in result.out
    for text in (*HERS, *TALKS):
        assert text not in result.out + result.err
    assert out.stat().st_mode & 0o077 == 0  # readable by its owner only


def test_inzage_to_xlsx_holds_the_same_cells_as_json(
    run_cli: RunCli, synced: Path, tmp_path: Path
) -> None:
    for name in ("inzage.json", "inzage.xlsx"):
        result = run_cli("inzage", "GO-1", "--workbook", str(synced), "--out", str(tmp_path / name))
        assert result.code == 0, result.err
    document = json.loads((tmp_path / "inzage.json").read_text("utf-8"))
    book = openpyxl.load_workbook(tmp_path / "inzage.xlsx")
    rows = list(book["Inzage"].iter_rows(values_only=True))
    assert rows[1] == ("Tabblad", "Rij", "Kolom", "Waarde")
    assert [(r[0], r[1], r[2]) for r in rows[2:]] == [
        (c["tabblad"], c["rij"], c["kolom"]) for c in document["cellen"]
    ]


def test_inzage_refuses_unknown_ids_other_files_and_overwriting(
    run_cli: RunCli, synced: Path, tmp_path: Path
) -> None:
    out = tmp_path / "inzage.json"
    unknown = run_cli("inzage", "GO-9", "--workbook", str(synced), "--out", str(out))
    assert unknown.code == 2 and "no row with ID GO-9" in unknown.err and not out.exists()
    wrong = run_cli("inzage", "GO-1", "--workbook", str(synced), "--out", str(tmp_path / "a.txt"))
    assert wrong.code == 2 and ".xlsx or .json" in wrong.err
    out.write_text("eerder")
    again = run_cli("inzage", "GO-1", "--workbook", str(synced), "--out", str(out))
    assert again.code == 2 and "--force" in again.err and out.read_text() == "eerder"
    forced = run_cli("inzage", "GO-1", "--workbook", str(synced), "--out", str(out), "--force")
    assert forced.code == 0 and out.read_text() != "eerder"


def test_anonimiseer_leaves_counts_and_no_trace(run_cli: RunCli, synced: Path) -> None:
    before = overview(synced)
    rows_before = {t: len(r) for t, r in read_workbook(synced).items()}
    assert any("zwanenburg" in c[3].casefold() for c in every_cell(synced))
    result = run_cli("anonimiseer", "GO-1", "--workbook", str(synced), "--yes")
    assert result.code == 0, result.err
    assert "blanked" in result.out and "Zwanenburg" not in result.out + result.err

    def traces() -> list[tuple[str, int, str, str]]:
        return [c for c in every_cell(synced) if any(t in c[3].casefold() for t in TRACES)]

    assert traces() == []
    assert overview(synced) == before
    after = read_workbook(synced)
    assert {t: len(r) for t, r in after.items() if t != "Logboek"} == {
        t: n for t, n in rows_before.items() if t != "Logboek"
    }
    go1 = next(r for r in after["Grootouders"] if r[0] == "GO-1")
    header = after["Grootouders"][0]
    kept = dict(zip(header, go1, strict=False))
    assert (kept["Postcode"], kept["Organisatie"], kept["Status"]) == (
        "2711",
        "Humanitas",
        "actief",
    )
    assert kept["Naam"] is None and kept["Telefoon"] is None and kept["E-mail"] is None
    log = after["Logboek"][-1]
    assert any("anonimiseer GO-1" in canonical(v) for v in log)
    # The next night's sync does not bring anything back, and counts stay (one run more).
    sync(run_cli, synced, "2026-11-28")
    runs = [line for line in overview(synced) if line[0] != "Verwerkingen"]
    assert traces() == [] and runs == [line for line in before if line[0] != "Verwerkingen"]


def test_anonimiseer_dry_run_and_a_no_change_nothing(
    run_cli: RunCli, synced: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = synced.read_bytes()
    dry = run_cli("anonimiseer", "GO-1", "--workbook", str(synced), "--dry-run")
    assert dry.code == 0 and "would blank" in dry.out and "nothing written" in dry.out
    assert synced.read_bytes() == before
    monkeypatch.setattr("sys.stdin", io.StringIO("nee\n"))
    declined = run_cli("anonimiseer", "GO-1", "--workbook", str(synced))
    assert declined.code == 1 and "Type yes" in declined.out and "nothing changed" in declined.out
    assert synced.read_bytes() == before
    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))
    agreed = run_cli("anonimiseer", "GO-1", "--workbook", str(synced))
    assert agreed.code == 0 and synced.read_bytes() != before
    unknown = run_cli("anonimiseer", "OU-404", "--workbook", str(synced), "--yes")
    assert unknown.code == 2 and "no row with ID OU-404" in unknown.err


# --- Google Sheets: real gspread on the emulator ------------------------------------------


class Typing:
    """A backend on which someone types into the sheet between the read and the re-read."""

    def __init__(self, inner: Backend, change: CellWrite) -> None:
        self.inner = inner
        self.change = change

    def target(self) -> str:
        return self.inner.target()

    def read(self) -> dict[str, Table]:
        return self.inner.read()

    def reread(self, ranges: list[CellRange]) -> list[Table]:
        self.inner.write(WritePlan(cells=[self.change]))
        return self.inner.reread(ranges)

    def write(self, plan: WritePlan) -> None:
        self.inner.write(plan)

    def setup(self, schema: Schema) -> list[str]:
        return self.inner.setup(schema)


def google_programme(tmp_path: Path) -> tuple[SheetsEmulator, Callable[[Settings], Backend]]:
    path = programme(lambda tables: write_new(tmp_path / "bron.xlsx", tables))
    emulator = SheetsEmulator()
    emulator.create(read_workbook(path), KEY)

    def factory(settings: Settings) -> Backend:
        return GoogleBackend(KEY, client=emulator.client(), schema=settings.schema)

    return emulator, factory


def write_new(path: Path, tables: dict[str, list[list[Cell]]]) -> Path:
    write_new_workbook(path, tables)
    return path


def google(factory: Callable[[Settings], Backend], *argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main([*argv, "--spreadsheet", KEY], backend_factory=factory, out=out)
    return code, out.getvalue()


def test_inzage_and_anonimiseer_on_google_sheets(tmp_path: Path) -> None:
    emulator, factory = google_programme(tmp_path)
    assert google(factory, "sync", "--today", "2026-11-27")[0] == 0
    export = tmp_path / "inzage.json"
    code, said = google(factory, "inzage", "GO-1", "--out", str(export))
    assert code == 0 and HERS[0] not in said
    values = {canonical(c["waarde"]) for c in json.loads(export.read_text("utf-8"))["cellen"]}
    assert {*HERS[:3], *TALKS} <= values
    code, said = google(factory, "anonimiseer", "GO-1", "--yes")
    assert code == 0, said
    content = emulator.export(KEY)
    found = [
        (title, canonical(v))
        for title, rows in content.items()
        for row in rows
        for v in row
        if any(t in canonical(v).casefold() for t in TRACES)
    ]
    assert found == []
    assert any("anonimiseer GO-1" in canonical(v) for v in content["Logboek"][-1])


def test_anonimiseer_writes_nothing_when_the_sheet_changes_meanwhile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    emulator, factory = google_programme(tmp_path)
    phone = [canonical(h) for h in emulator.export(KEY)["Grootouders"][0]].index("Telefoon")
    typed = CellWrite("Grootouders", 2, phone, "06-11112222")

    def typing(settings: Settings) -> Backend:
        return Typing(factory(settings), typed)

    code, _said = google(typing, "anonimiseer", "GO-1", "--yes")
    assert code == 1 and "changed since they were read; nothing written" in capsys.readouterr().err
    content = emulator.export(KEY)
    assert canonical(content["Grootouders"][1][phone]) == "06-11112222"
    names = [canonical(r[1]) for r in content["Grootouders"][1:]]
    assert HERS[0] in names and "Logboek" not in content
