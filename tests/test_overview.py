"""Overzicht on the demo workbook: its figures counted again from the other tabs, no contact
data or notes in it, its look (first tab, bold rows, links, chart) on both backends; and every
text the worker writes in plain Dutch."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from sow_sheets.followup.settings import FollowupSettings
from sow_sheets.model.cells import Cell, canonical
from sow_sheets.model.schema import DEFAULT_SCHEMA, Kind
from sow_sheets.reporting.overview import OVERVIEW_TITLE, PARTNER_HEADER
from tests.conftest import CliResult
from tests.test_google_sync import KEY, Sheet, demo

TODAY = "2026-11-27"
RunCli = Callable[..., CliResult]


def _dicts(rows: list[list[Any]]) -> list[dict[str, Any]]:
    header = [canonical(h) for h in rows[0]]
    return [dict(zip(header, row, strict=False)) for row in rows[1:] if any(row)]


def _book(path: Path) -> dict[str, list[list[Any]]]:
    book = openpyxl.load_workbook(path)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book}


def _partner_table(rows: list[list[Any]]) -> dict[str, list[int]]:
    start = next(i for i, r in enumerate(rows) if r and r[0] == PARTNER_HEADER[0])
    out = {}
    for row in rows[start + 1 :]:
        if not row or row[0] in (None, "Totaal"):
            break
        out[str(row[0])] = [int(v) for v in row[1 : len(PARTNER_HEADER)]]
    return out


def _expected(tabs: dict[str, list[list[Any]]]) -> dict[str, list[int]]:
    """The per-partner counts, computed again from the other tabs of the workbook."""
    org = {}
    for title in ("Grootouders", "Gezinnen", "Ouderen"):
        org.update({str(p["ID"]): str(p["Organisatie"]) for p in _dicts(tabs[title])})
    counts: dict[str, Counter[int]] = {}

    def count(who: str, column: int) -> None:
        counts.setdefault(who or "(geen organisatie)", Counter())[column] += 1

    for s in _dicts(tabs["Signalen"]):
        if s["Status"] != "open":
            continue
        where = str(s["Organisatie"] or "")
        kind = s["Type"]
        if kind == "gesprek te laat":
            count(where, 0)
        if kind == "gesprek binnenkort":
            count(where, 1)
        if kind in ("gegevens", "dubbel"):
            count(where, 2)
        if kind == "wachtend":
            count(where, 4)
    for p in _dicts(tabs["Voorstellen"]):
        if p["Status"] == "open" and not p.get("Besluit"):
            count(org.get(str(p["Gezin"]), ""), 3)
    for m in _dicts(tabs["Koppelingen"]):
        if m["Status"] in ("actief", None):
            count(org.get(str(m["Gezin"]), ""), 5)
    for a in _dicts(tabs["Activiteitvoorstellen"]):
        if a["Status"] == "open" and not a.get("Besluit"):
            count(org.get(str(a["Oudere"]), ""), 6)
    return {who: [c[i] for i in range(len(PARTNER_HEADER) - 1)] for who, c in counts.items()}


def _private_texts(tabs: dict[str, list[list[Any]]]) -> set[str]:
    """Every phone number, e-mail address and note in the human tabs."""
    found = set()
    for spec in DEFAULT_SCHEMA.human_tabs:
        for row in _dicts(tabs.get(spec.title, [[]])) if tabs.get(spec.title) else []:
            for column in spec.columns:
                private = column.kind in (Kind.PHONE, Kind.EMAIL) or column.key in ("notes", "note")
                value = canonical(row.get(column.header))
                if private and len(value) > 3:
                    found.add(value)
    return found


@pytest.fixture
def demo_book(run_cli: RunCli, tmp_path: Path) -> Path:
    path = tmp_path / "demo.xlsx"
    result = run_cli("demo", str(path), "--today", TODAY)
    assert result.code == 0, result.err
    return path


def test_overzicht_counts_equal_the_tabs_and_hold_no_contact_data(demo_book: Path) -> None:
    book = openpyxl.load_workbook(demo_book)
    assert book.sheetnames[0] == OVERVIEW_TITLE and book.active.title == OVERVIEW_TITLE
    tabs = _book(demo_book)
    overview = tabs[OVERVIEW_TITLE]
    table = _partner_table(overview)
    assert table == _expected(tabs)
    assert sum(v[0] for v in table.values()) > 0 and len(table) > 5  # the demo has work
    text = " ".join(canonical(v) for row in overview for v in row)
    private = _private_texts(tabs)
    assert private and not any(p in text for p in private)
    assert not re.search(r"@|\b0\d{9}\b|\+31", text)
    # The late list: most days late first, each linked to its own row of Signalen.
    ws = book[OVERVIEW_TITLE]
    links = [c for row in ws.iter_rows() for c in row if c.hyperlink is not None]
    assert len(links) == 20
    signalen = tabs["Signalen"]
    days = []
    for cell in links:
        target = int(cell.hyperlink.location.rsplit("A", 1)[1])
        assert cell.hyperlink.location.startswith("'Signalen'!")
        row = ws[cell.row]
        linked = signalen[target - 1]
        assert (linked[1], linked[4], linked[7]) == (row[0].value, row[1].value, row[3].value)
        days.append(row[3].value)
    assert days == sorted(days, reverse=True) and days[0] > 0
    assert ws["A1"].font.b and not ws["A2"].font.b
    (chart,) = ws._charts
    assert chart.grouping == "stacked" and len(chart.series) == 2


def test_overzicht_on_google_opens_first_with_its_chart_links_and_bold_rows() -> None:
    sheet = Sheet(demo())
    assert sheet.sync()[0] == 0
    spreadsheet = sheet.emulator.client().open_by_key(KEY)
    fields = "sheets(properties(title,index),charts,basicFilter,protectedRanges(range),filterViews)"
    meta = spreadsheet.fetch_sheet_metadata(params={"fields": fields})
    sheets = {s["properties"]["title"]: s for s in meta["sheets"]}
    overview = sheets[OVERVIEW_TITLE]
    assert overview["properties"]["index"] == 0
    (chart,) = overview["charts"]
    basic = chart["spec"]["basicChart"]
    assert (basic["chartType"], basic["stackedType"], len(basic["series"])) == (
        "BAR",
        "STACKED",
        2,
    )
    rows = sheet.tab(OVERVIEW_TITLE)
    partners = len(_partner_table(rows))
    domain = basic["domains"][0]["domain"]["sourceRange"]["sources"][0]
    assert domain["endRowIndex"] - domain["startRowIndex"] == partners + 1  # header + partners
    # Signalen made by the sync carries the layout too: a filter, protection.
    assert "basicFilter" in sheets["Signalen"] and sheets["Signalen"]["protectedRanges"]
    grid = spreadsheet.fetch_sheet_metadata(
        params={
            "fields": "sheets(data(rowData(values(userEnteredFormat(textFormat)))))",
            "ranges": [f"{OVERVIEW_TITLE}!A1:F60"],
        }
    )
    cells = grid["sheets"][0]["data"][0]["rowData"]
    formats = [[v.get("userEnteredFormat", {}) for v in r.get("values", [])] for r in cells]
    assert formats[0][0]["textFormat"]["bold"]
    linked = [
        f["textFormat"]["link"]["uri"]
        for r in formats
        for f in r
        if "link" in f.get("textFormat", {})
    ]
    assert len(linked) == 20 and all(u.startswith("#gid=") for u in linked)
    # One filter view per partner on the tabs with Organisatie, on that column.
    for title in ("Signalen", "Voorstellen", "Activiteitvoorstellen"):
        assert _views(sheet, sheets[title], title)
    # A partner that appears gets its view on the next run; none is added twice.
    families, signals = sheet.tab("Gezinnen"), sheet.tab("Signalen")
    subjects = {canonical(r[2]) for r in signals[1:] if len(r) > 2}
    org = [canonical(h) for h in families[0]].index("Organisatie")
    row = next(n for n, r in enumerate(families[1:], 2) if canonical(r[0]) in subjects)
    sheet.emulator.set_cell(KEY, "Gezinnen", row, org, "Nieuwe Partner")
    assert sheet.sync()[0] == 0
    again = spreadsheet.fetch_sheet_metadata(params={"fields": fields})
    signalen = next(s for s in again["sheets"] if s["properties"]["title"] == "Signalen")
    assert "Alleen Nieuwe Partner" in _views(sheet, signalen, "Signalen")


def _views(sheet: Sheet, meta: dict[str, Any], title: str) -> set[str]:
    """The filter views of a tab, checked against the partners in its Organisatie column."""
    tab = sheet.tab(title)
    col = [canonical(h) for h in tab[0]].index("Organisatie")
    partners = {canonical(r[col]) for r in tab[1:] if len(r) > col and canonical(r[col])}
    views = meta["filterViews"]
    titles = [v["title"] for v in views]
    assert len(titles) == len(set(titles))
    assert partners <= {t.removeprefix("Alleen ") for t in titles}
    for view in views:
        (spec,) = view["filterSpecs"]
        value = spec["filterCriteria"]["condition"]["values"][0]["userEnteredValue"]
        assert spec["columnIndex"] == col and view["title"] == f"Alleen {value}"
    return set(titles)


RULE_NAMES = {r.name for r in FollowupSettings().rules if "-" in r.name}
ENGLISH = re.compile(
    r"\b(worker|runs?|rules?|match(ed|es)?|proposals?|signals?|overdue|waiting|none|null|nan|"
    r"true|false|todo)\b",
    re.IGNORECASE,
)
JARGON = ("dit vervangt de regels", "Gesprek nodig, soort", "0,0 km", "soort kennismaking")


def test_every_text_the_worker_writes_is_plain_dutch(run_cli: RunCli, demo_book: Path) -> None:
    """Demo, the coordinator's decisions, a sync a week later: every worker tab's text."""
    later = (dt.date.fromisoformat(TODAY) + dt.timedelta(days=7)).isoformat()
    assert run_cli("demo", str(demo_book), "--decide", "--today", later).code == 0
    tabs = _book(demo_book)
    seen = 0
    titles = [t.title for t in DEFAULT_SCHEMA.tabs if t.worker] + [OVERVIEW_TITLE]
    for title in titles:
        for row in tabs[title][1:]:
            for value in row[1:]:  # the key column holds IDs, not text
                if not isinstance(value, str):
                    continue
                seen += 1
                assert not ENGLISH.search(value), (title, value)
                assert not any(name in value for name in RULE_NAMES), (title, value)
                assert not any(j in value for j in JARGON), (title, value)
    assert seen > 1000
    assert RULE_NAMES  # the check has names to look for


def test_a_failed_run_says_so_in_overzicht(run_cli: RunCli, demo_book: Path) -> None:
    book = openpyxl.load_workbook(demo_book)
    del book["Gesprekken"]  # a required tab: the run fails before it decides anything
    book.save(demo_book)
    result = run_cli("sync", "--workbook", str(demo_book), "--today", TODAY)
    assert result.code != 0
    row = _book(demo_book)[OVERVIEW_TITLE][1]
    assert row[0] == "Laatste verwerking" and str(row[2]).startswith("mislukt")


def test_a_tab_of_a_person_called_overzicht_is_left_alone(
    run_cli: RunCli, workbook: Callable[[dict[str, list[list[Cell]]]], Path]
) -> None:
    """The worker never writes a person's cell: an Overzicht it did not make stays as it is."""
    from tests.helpers import minimal_tables, read_workbook

    tables = minimal_tables()
    own = [["Wijkcijfers van de gemeente", None], ["Rokkeveen", 14], ["Meerzicht", 9]]
    tables["Overzicht"] = [list(row) for row in own]
    path = workbook(tables)
    result = run_cli("sync", "--workbook", str(path), "--today", "2026-11-27")
    assert result.code == 0, result.err
    assert "Overzicht was not made by sow-sheets" in result.out
    assert read_workbook(path)["Overzicht"] == own
    again = run_cli("sync", "--workbook", str(path), "--today", "2026-11-28")
    assert again.code == 0 and read_workbook(path)["Overzicht"] == own


@pytest.mark.parametrize("day", ["2026-12-20", "2026-10-01", "2026-07-15", "2027-03-31"])
def test_the_quarter_block_from_its_sections_equals_the_one_from_the_whole_report(
    day: str,
) -> None:
    """Overzicht computes only the report sections it shows; the figures must not change."""
    from sow_sheets.demo.data import demo_tables
    from sow_sheets.model.sheet import Table
    from sow_sheets.reading.validation import validate
    from sow_sheets.reporting.overview import block_rows, quarter_block
    from sow_sheets.reporting.period import quarter_of
    from sow_sheets.reporting.report import build_report

    today = dt.date.fromisoformat(day)
    tables = {t: Table(t, rows) for t, rows in demo_tables(today, 2026).items()}
    validated = validate(tables, DEFAULT_SCHEMA, today)
    rules = FollowupSettings().rules
    whole = block_rows(build_report(validated, DEFAULT_SCHEMA, rules, quarter_of(today, today)))
    part = quarter_block(validated, DEFAULT_SCHEMA, rules, today)
    assert part == whole
    if day == "2026-12-20":  # a quarter with figures to compare
        assert sum(1 for _, value in part if value not in (None, "", 0)) >= 5
