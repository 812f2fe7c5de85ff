"""Every figure of the report's CSV against values worked out by hand (tests/report_workbook.py).

The CSV comes from the command line on a real workbook. Rows not listed in ``SHOWN`` show
the default: "<5" for counts of people, matches or conversations (all below 5 here unless
listed), "0" for other counts, "x" for shares, medians and estimates (which rest on fewer than
5, or on a hidden count). The suppression passes that lead to each "x" are in the comments.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from sow_sheets.reporting.figures import SPEC, SPECS
from tests.conftest import CliResult
from tests.report_workbook import write_report_workbook

A, B, ALL = "Alfa", "Beta", "Alle organisaties"
BONUS, PROGS, HELP = "Bonus opa en oma", "Alle programma's", "Praktische hulp"
SUMMER, XMAS = "Zomereenzaamheid", "Magisch Zoetermeer"
WHOLE, Q3, Q4 = "1-7-2026 t/m 31-12-2026", "K3 2026", "K4 2026"
KEN, ZIN = "Kennismaking na de start", "Gesprek over zingeving"

# (figure, part, partner, programme, period) → shown; every other row shows its default.
SHOWN: dict[tuple[str, str, str, str, str], str] = {
    # Gezinnen: Alfa 6 (K3 5, K4 1), Beta 1 (K3), all 7 (K3 6, K4 1). Passes: Alfa's period
    # sum has K4 hidden → K3 5 becomes x; all partners' whole has Beta hidden → Alfa 6 x; all
    # partners' quarters have K4 hidden → K3 6 x. Grootouders (2) and Ouderen (1) stay <5.
    ("intakes", "Gezinnen", ALL, BONUS, WHOLE): "7",
    ("intakes", "Gezinnen", A, BONUS, WHOLE): "x",
    ("intakes", "Gezinnen", A, BONUS, Q3): "x",
    ("intakes", "Gezinnen", ALL, BONUS, Q3): "x",
    # Running at the end of July: KP-2 … KP-6 (5, all Alfa); August: KP-3 … KP-6 and KP-7 (5).
    # Beta's 0 in July is hidden, so Alfa's July 5 is too.
    ("koppelingen actief aan het eind", "", ALL, BONUS, "jul 2026"): "5",
    ("koppelingen actief aan het eind", "", A, BONUS, "jul 2026"): "x",
    ("koppelingen actief aan het eind", "", ALL, BONUS, "aug 2026"): "5",
    # Kaplan–Meier, all 7 matches, days followed: 61 ended, 169 runs, 183 runs, 184 ended,
    # 334 ended, 364 runs, 365 ended. At 3 months (91 days) 6 are still followed and 6/7 run
    # (86%); at 6 months (183 days) 5 are followed and still 6/7. At 9 months only 3 are
    # followed: hidden. Alfa's counts are hidden beside Beta's <5, so its shares are too.
    ("koppelingen gevolgd", "", ALL, BONUS, WHOLE): "7",
    ("koppelingen gevolgd", "", A, BONUS, WHOLE): "x",
    ("koppelingen nog gevolgd", "na 3 maanden", ALL, BONUS, WHOLE): "6",
    ("koppelingen nog gevolgd", "na 3 maanden", A, BONUS, WHOLE): "x",
    ("koppelingen nog gevolgd", "na 6 maanden", ALL, BONUS, WHOLE): "5",
    ("koppelingen nog gevolgd", "na 6 maanden", A, BONUS, WHOLE): "x",
    ("nog actief", "na 3 maanden", ALL, BONUS, WHOLE): "86",
    ("nog actief", "na 6 maanden", ALL, BONUS, WHOLE): "86",
    # Reach: OU-1 … OU-5 at AC-0001 (July), OU-6 signed up for AC-0002 (August), OU-1 and
    # OU-7 signed up for AC-0003 (December; OU-2 said "geen interesse").
    ("ouderen bereikt", "", A, SUMMER, WHOLE): "6",
    ("ouderen bereikt", "", ALL, SUMMER, WHOLE): "6",
    ("ouderen bereikt", "", A, PROGS, WHOLE): "6",
    ("ouderen bereikt", "", ALL, PROGS, WHOLE): "7",
    ("ouderen bereikt", "", A, SUMMER, Q3): "6",
    ("ouderen bereikt", "", ALL, SUMMER, Q3): "6",
    ("ouderen bereikt", "", A, PROGS, Q3): "6",
    ("ouderen bereikt", "", ALL, PROGS, Q3): "6",
    ("ouderen bereikt in de zomer", "", A, PROGS, WHOLE): "6",
    ("ouderen bereikt in de zomer", "", ALL, PROGS, WHOLE): "6",
    # Activities and places offered are not about people: always shown.
    **{("activiteiten", "", o, p, t): v for o, p, t, v in (
        (A, SUMMER, WHOLE, "2"), (ALL, SUMMER, WHOLE, "2"), (B, XMAS, WHOLE, "1"),
        (ALL, XMAS, WHOLE, "1"), (A, PROGS, WHOLE, "2"), (B, PROGS, WHOLE, "1"),
        (ALL, PROGS, WHOLE, "3"), (A, SUMMER, Q3, "2"), (ALL, SUMMER, Q3, "2"),
        (A, PROGS, Q3, "2"), (ALL, PROGS, Q3, "2"), (B, XMAS, Q4, "1"), (ALL, XMAS, Q4, "1"),
        (B, PROGS, Q4, "1"), (ALL, PROGS, Q4, "1"))},
    **{("plaatsen aangeboden", "", o, p, t): v for o, p, t, v in (
        (A, SUMMER, WHOLE, "10"), (ALL, SUMMER, WHOLE, "10"), (B, XMAS, WHOLE, "6"),
        (ALL, XMAS, WHOLE, "6"), (A, PROGS, WHOLE, "10"), (B, PROGS, WHOLE, "6"),
        (ALL, PROGS, WHOLE, "16"), (A, SUMMER, Q3, "10"), (ALL, SUMMER, Q3, "10"),
        (A, PROGS, Q3, "10"), (ALL, PROGS, Q3, "10"), (B, XMAS, Q4, "6"), (ALL, XMAS, Q4, "6"),
        (B, PROGS, Q4, "6"), (ALL, PROGS, Q4, "6"))},
    # Places filled: 5 at AC-0001 (K3), 2 at AC-0003 (K4). Passes (in table order): whole
    # Summer-Alfa's quarters have K4 <5 → K3 x; whole Summer has Beta <5 → Alfa x; … until
    # only the grand total 7 of 16 places is left: 44%.
    ("plaatsen bezet", "", ALL, PROGS, WHOLE): "7",
    **{("plaatsen bezet", "", o, p, t): "x" for o, p, t in (
        (A, SUMMER, WHOLE), (ALL, SUMMER, WHOLE), (A, PROGS, WHOLE), (A, SUMMER, Q3),
        (ALL, SUMMER, Q3), (A, PROGS, Q3), (ALL, PROGS, Q3))},
    ("bezetting", "", ALL, PROGS, WHOLE): "44",
    # Conversations due: kennismaking KP-5, KP-6 (Alfa, on time), KP-7 (Beta, late), all K3;
    # zingeving OU-1 … OU-6 (Alfa, K3; OU-6 late) and OU-7 (Beta, K4, late). Due: whole all
    # rules 10 (Alfa 8, Beta 2); on time 7 (Alfa 7). What stays shown after the passes:
    ("gesprekken nodig", "", ALL, PROGS, WHOLE): "10",
    ("gesprekken nodig", ZIN, ALL, PROGS, Q3): "6",
    **{("gesprekken nodig", part, o, PROGS, t): "x" for part, o, t in (
        ("", A, WHOLE), (ZIN, A, WHOLE), (ZIN, ALL, WHOLE), ("", A, Q3), ("", ALL, Q3),
        (ZIN, A, Q3))},
    ("gesprekken op tijd", "", ALL, PROGS, WHOLE): "7",
    ("gesprekken op tijd", ZIN, ALL, PROGS, Q3): "5",
    **{("gesprekken op tijd", part, o, PROGS, t): "x" for part, o, t in (
        ("", A, WHOLE), (ZIN, A, WHOLE), (ZIN, ALL, WHOLE), ("", A, Q3), ("", ALL, Q3),
        (ZIN, A, Q3))},
    ("gesprekken op tijd, aandeel", "", ALL, PROGS, WHOLE): "70",
    ("gesprekken op tijd, aandeel", ZIN, ALL, PROGS, Q3): "83",
    # Help requests: Alfa 5 by folder (3 helped) and 1 by phone (helped) in K3; Beta 1 without
    # Bron in K4 (helped). Passes hide Alfa's whole and K3 totals and folder counts, and the
    # K3 totals of all partners; the period totals of all partners stay.
    ("hulpvragen", "", ALL, HELP, WHOLE): "7",
    ("hulpvragen", "folder", ALL, HELP, WHOLE): "5",
    **{("hulpvragen", part, o, HELP, t): "x" for part, o, t in (
        ("", A, WHOLE), ("folder", A, WHOLE), ("", A, Q3), ("", ALL, Q3), ("folder", A, Q3),
        ("folder", ALL, Q3))},
    ("hulpvragen geholpen", "", ALL, HELP, WHOLE): "5",
    ("hulpvragen geholpen, aandeel", "", ALL, HELP, WHOLE): "71",
    # The programme's own health: 3 runs in the period (one failed in August).
    ("runs", "", ALL, PROGS, WHOLE): "3",
    ("runs", "", ALL, PROGS, Q3): "2",
    ("runs", "", ALL, PROGS, Q4): "1",
    ("runs mislukt", "", ALL, PROGS, WHOLE): "1",
    ("runs mislukt", "", ALL, PROGS, Q3): "1",
    ("open gegevensproblemen", "", A, PROGS, WHOLE): "2",
    ("open gegevensproblemen", "", ALL, PROGS, WHOLE): "2",
    ("koppelingen met onbekende datum", "", A, PROGS, WHOLE): "1",
    ("koppelingen met onbekende datum", "", ALL, PROGS, WHOLE): "1",
}  # fmt: skip

# Rows per figure: parts × partners × programmes × periods (3 periods; 9 with the months).
ROWS = {
    "intakes": 3 * 3 * 3, "voorstellen": 5 * 2 * 3, "koppelingen gestart": 3 * 9,
    "koppelingen actief aan het eind": 3 * 9, "koppelingen beëindigd": 8 * 3 * 3 + 3 * 6,
    "koppelingen gevolgd": 3, "koppelingen nog gevolgd": 6 * 3, "nog actief": 6 * 3,
    "duur, mediaan": 3,
    "wachttijd tot eerste voorstel": 12 * 2 * 3, "wachttijd tot eerste voorstel, mediaan": 12,
    "wachttijd tot koppeling": 12 * 3 * 3, "wachttijd tot koppeling, mediaan": 18,
    "ouderen bereikt": 27, "ouderen bereikt in de zomer": 2, "ouderen bereikt met kerst": 2,
    "activiteiten": 27, "plaatsen aangeboden": 27, "plaatsen bezet": 27, "bezetting": 27,
    "gesprekken nodig": 27, "gesprekken op tijd": 27, "gesprekken op tijd, aandeel": 27,
    "hulpvragen": 7 * 3 * 3, "hulpvragen geholpen": 63, "hulpvragen geholpen, aandeel": 63,
    "runs": 3, "runs mislukt": 3, "open gegevensproblemen": 2,
    "koppelingen met onbekende datum": 2,
    # No wijkgesprek in this workbook: tests/test_cli_neighbourhoods.py counts those.
    "wijkgesprekken": 0, "wijkgesprekken per thema": 0,
}  # fmt: skip


PERIOD_ARGS = ("report", "--from", "2026-07-01", "--to", "2026-12-31", "--today", "2027-01-10")


def default(figure: str) -> str:
    spec = SPEC[figure]
    if spec.unit != "aantal":
        return "x"
    return "<5" if spec.personal else "0"


@pytest.fixture(scope="module")
def csv_rows(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, str]]:
    from sow_sheets.cli import main

    folder = tmp_path_factory.mktemp("report")
    _, config = write_report_workbook(folder)
    out = io.StringIO()
    args = [*PERIOD_ARGS, "--config", str(config), "--format", "csv",
            "--out", str(folder / "rapport.csv")]  # fmt: skip
    assert main(args, out=out) == 0, out.getvalue()
    text = (folder / "rapport.csv").read_text("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def key(row: dict[str, str]) -> tuple[str, str, str, str, str]:
    return row["cijfer"], row["uitsplitsing"], row["organisatie"], row["programma"], row["periode"]


def test_every_figure_is_in_the_csv_with_the_rows_worked_out_by_hand(
    csv_rows: list[dict[str, str]],
) -> None:
    assert Counter(r["cijfer"] for r in csv_rows) == Counter(ROWS)  # a 0 is no rows
    assert set(ROWS) == {s.name for s in SPECS}
    keys = [key(r) for r in csv_rows]
    assert len(set(keys)) == len(keys)  # one row per figure × part × partner × programme × period
    assert set(SHOWN) <= set(keys), set(SHOWN) - set(keys)


def test_every_value_of_the_csv_matches_the_hand_computation(
    csv_rows: list[dict[str, str]],
) -> None:
    wrong = {
        key(r): (r["waarde"], SHOWN.get(key(r), default(r["cijfer"])))
        for r in csv_rows
        if r["waarde"] != SHOWN.get(key(r), default(r["cijfer"]))
    }
    assert wrong == {}


def test_no_count_below_5_can_be_read_from_the_csv(csv_rows: list[dict[str, str]]) -> None:
    for row in csv_rows:
        if row["eenheid"] == "aantal" and SPEC[row["cijfer"]].personal:
            assert row["waarde"] in ("<5", "x") or int(row["waarde"]) >= 5, row


def test_the_csv_holds_no_names_ids_postcodes_or_notes(csv_rows: list[dict[str, str]]) -> None:
    text = "\n".join(",".join(r.values()) for r in csv_rows)
    for secret in ("Naam ", "GO-", "GZ-", "OU-", "KP-", "AC-", "HV-", "2711", "vertrouwelijk",
                   "Gezin verhuisd", "Gezondheid grootouder"):  # fmt: skip
        assert secret not in text


def test_the_command_prints_counts_only(run_cli: Callable[..., CliResult], tmp_path: Path) -> None:
    _, config = write_report_workbook(tmp_path)
    result = run_cli(*PERIOD_ARGS, "--config", str(config), "--out", str(tmp_path / "r.html"))
    assert result.code == 0, result.err
    assert (tmp_path / "r.html").exists() and (tmp_path / "r.csv").exists()
    assert "2 quarter(s), 2 partners" in result.out
    assert "Naam" not in result.out and "GZ-" not in result.out
    bad = run_cli("report", "--config", str(config), "--organisatie", "Gamma", "--out",
                  str(tmp_path / "g.html"))  # fmt: skip
    assert bad.code == 2 and 'no partner "Gamma"' in bad.err and "Alfa, Beta" in bad.err


def test_every_figure_is_defined_in_the_docs() -> None:
    text = (Path(__file__).resolve().parents[1] / "docs" / "report.md").read_text("utf-8")
    missing = [s.name for s in SPECS if f"**{s.name}**" not in text]
    assert missing == []
