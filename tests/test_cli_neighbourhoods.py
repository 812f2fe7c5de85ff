"""Conversations with neighbourhoods (`wijkgesprek`) through the command line: counted per
wijk and theme as by hand, never personal, and a data signal for a name or an unknown wijk."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

from sow_sheets.backends.xlsx import XlsxBackend
from sow_sheets.model.cells import Cell
from sow_sheets.model.programmes import NeighbourhoodSettings
from sow_sheets.model.schema import DEFAULT_SCHEMA
from sow_sheets.reading.validation import validate
from sow_sheets.reporting.overview import neighbourhood_block
from tests.conftest import CliResult
from tests.helpers import minimal_tables, tab_dicts, tab_row
from tests.test_cli_activities import elder

RunCli = Callable[..., CliResult]
MakeWorkbook = Callable[[dict[str, list[list[Cell]]]], Path]
ROKKEVEEN, OOSTERHEEM = "WIJK-ROKKEVEEN", "WIJK-OOSTERHEEM"
FARM, TRAFFIC = "ontmoetingsruimte kinderboerderij", "verkeer"


def talk(day: str, subject: str, kind: str = "wijkgesprek", **cells: Cell) -> list[Cell]:
    return tab_row("gesprekken", Datum=day, Betreft=subject, Soort=kind, **cells)


def neighbourhood_workbook(make: MakeWorkbook) -> Path:
    tables = minimal_tables()
    tables["Ouderen"].append(elder("OU-1"))
    tables["Gesprekken"] += [
        talk("1-9-2026", ROKKEVEEN, **{"Thema's": FARM, "Organisatie": "Alfa"}),  # Q3
        talk("2-11-2026", ROKKEVEEN, **{"Thema's": f"{FARM}, Verkeer", "Organisatie": "Alfa"}),
        talk(
            "9-11-2026",
            "",
            Wijk="wijk-rokkeveen",
            **{"Thema's": "Ontmoetingsruimte kinderboerderij", "Organisatie": "Beta"},
        ),
        talk("16-11-2026", OOSTERHEEM, "buurtgesprek", **{"Thema's": TRAFFIC}),
        talk("18-11-2026", OOSTERHEEM),  # no theme
        talk("20-11-2026", "Jan de Vries", Notitie="vertrouwelijk"),  # row 7: a name
        talk("21-11-2026", "WIJK-NERGENS", **{"Thema's": FARM}),  # row 8: not a known wijk
        talk("22-11-2026", ROKKEVEEN, Wijk=OOSTERHEEM),  # row 9: two different wijken
        talk("23-11-2026", "OU-1", "contact"),  # a person's conversation, as ever
    ]
    return make(tables)


def config(tmp_path: Path, *codes: str) -> Path:
    path = tmp_path / "wijken.toml"
    listed = ", ".join(f'"{c}"' for c in codes)
    path.write_text(f"[neighbourhoods]\ncodes = [{listed}]\n", "utf-8")
    return path


def test_a_name_or_an_unknown_wijk_is_a_data_signal_without_the_name(
    run_cli: RunCli, workbook: MakeWorkbook, tmp_path: Path
) -> None:
    path = neighbourhood_workbook(workbook)
    known = config(tmp_path, ROKKEVEEN, OOSTERHEEM)
    result = run_cli("sync", "--workbook", str(path), "--today", "2026-11-27",
                     "--config", str(known))  # fmt: skip
    assert result.code == 0, result.err
    data = [s for s in tab_dicts(path, "Signalen") if s["Type"] == "gegevens"]
    by_row = {str(s["Omschrijving"]).split(",")[1].strip(): s for s in data}
    assert sorted(by_row) == ["rij 7", "rij 8", "rij 9"]
    assert 'kolom "Betreft": verwacht een wijkcode' in str(by_row["rij 7"]["Omschrijving"])
    assert "een bekende wijkcode (WIJK-OOSTERHEEM, WIJK-ROKKEVEEN)" in str(
        by_row["rij 8"]["Omschrijving"]
    )
    assert 'kolom "Wijk"' in str(by_row["rij 9"]["Omschrijving"])
    everything = str(tab_dicts(path, "Signalen")) + result.out + result.err
    assert "Jan de Vries" not in everything and "vertrouwelijk" not in everything

    widened = config(tmp_path, ROKKEVEEN, OOSTERHEEM, "WIJK-NERGENS")  # the wijk is added
    result = run_cli("sync", "--workbook", str(path), "--today", "2026-11-28",
                     "--config", str(widened))  # fmt: skip
    assert result.code == 0, result.err
    statuses = {
        str(s["Omschrijving"]).split(",")[1].strip(): s["Status"]
        for s in tab_dicts(path, "Signalen")
        if s["Type"] == "gegevens"
    }
    assert statuses == {"rij 7": "open", "rij 8": "opgelost", "rij 9": "open"}


def test_the_report_counts_wijk_by_theme_as_by_hand(
    run_cli: RunCli, workbook: MakeWorkbook, tmp_path: Path
) -> None:
    path = neighbourhood_workbook(workbook)
    out = tmp_path / "rapport.csv"
    result = run_cli("report", "--workbook", str(path), "--from", "2026-10-01", "--to",
                     "2026-12-31", "--today", "2026-11-27", "--format", "csv", "--out", str(out),
                     "--config", str(config(tmp_path, ROKKEVEEN, OOSTERHEEM)))  # fmt: skip
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    whole = {
        (r["cijfer"], r["uitsplitsing"], r["organisatie"]): r["waarde"]
        for r in rows
        if r["cijfer"].startswith("wijkgesprekken") and r["periode"] == "1-10-2026 t/m 31-12-2026"
    }
    everyone = "Alle organisaties"
    # By hand, K4 only (the September one is outside), rows 7-9 are signals, not counted:
    # Rokkeveen 2 (Alfa, Beta), Oosterheem 2 (no Organisatie); farm 2×, traffic 2×, none 1×.
    assert whole["wijkgesprekken", "", everyone] == "4"
    assert whole["wijkgesprekken", ROKKEVEEN, everyone] == "2"
    assert whole["wijkgesprekken", OOSTERHEEM, everyone] == "2"
    assert whole["wijkgesprekken", ROKKEVEEN, "Alfa"] == "1"
    assert whole["wijkgesprekken per thema", f"{ROKKEVEEN}: {FARM}", everyone] == "2"
    assert whole["wijkgesprekken per thema", f"{ROKKEVEEN}: {TRAFFIC}", everyone] == "1"
    assert whole["wijkgesprekken per thema", f"{OOSTERHEEM}: {TRAFFIC}", everyone] == "1"
    assert whole["wijkgesprekken per thema", f"{OOSTERHEEM}: (geen thema)", everyone] == "1"
    assert (("wijkgesprekken per thema", f"{OOSTERHEEM}: {FARM}", everyone)) not in whole

    page = tmp_path / "rapport.html"
    result = run_cli("report", "--workbook", str(path), "--from", "2026-10-01", "--to",
                     "2026-12-31", "--today", "2026-11-27", "--out", str(page))  # fmt: skip
    assert result.code == 0, result.err
    html = page.read_text("utf-8")
    assert "Gesprekken met wijken" in html and FARM in html


def test_the_overzicht_block_is_the_quarter_s_wijk_by_theme_table(
    workbook: MakeWorkbook,
) -> None:
    path = neighbourhood_workbook(workbook)
    today = dt.date(2026, 11, 27)
    codes = NeighbourhoodSettings(codes=(ROKKEVEEN, OOSTERHEEM))
    validated = validate(XlsxBackend(path).read(), DEFAULT_SCHEMA, today, codes)
    title, rows = neighbourhood_block(validated, today)
    assert title == "Wijkgesprekken K4 2026 (1-10-2026 t/m 31-12-2026, tot en met vandaag)"
    assert rows == [
        ["Thema", OOSTERHEEM, ROKKEVEEN, "Alle wijken"],
        ["Gesprekken", 2, 2, 4],
        [FARM, 0, 2, 2],
        [TRAFFIC, 1, 1, 2],
        ["(geen thema)", 1, 0, 1],
    ]
    empty = validate(XlsxBackend(path).read(), DEFAULT_SCHEMA, dt.date(2027, 1, 5), codes)
    assert neighbourhood_block(empty, dt.date(2027, 1, 5))[1] == [
        ["Nog geen wijkgesprekken in dit kwartaal."]
    ]


def test_overzicht_shows_the_wijk_by_theme_block_after_a_sync(
    run_cli: RunCli, workbook: MakeWorkbook, tmp_path: Path
) -> None:
    from tests.helpers import read_workbook

    path = neighbourhood_workbook(workbook)
    known = config(tmp_path, ROKKEVEEN, OOSTERHEEM)
    result = run_cli("sync", "--workbook", str(path), "--today", "2026-11-27",
                     "--config", str(known))  # fmt: skip
    assert result.code == 0, result.err
    rows = [[c for c in r if c is not None] for r in read_workbook(path)["Overzicht"]]
    start = rows.index(["Wijkgesprekken K4 2026 (1-10-2026 t/m 31-12-2026, tot en met vandaag)"])
    assert rows[start + 1 : start + 4] == [
        ["Thema", OOSTERHEEM, ROKKEVEEN, "Alle wijken"],
        ["Gesprekken", 2, 2, 4],
        [FARM, 0, 2, 2],
    ]
