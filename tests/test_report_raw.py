"""The report's figures before suppression, worked out by hand (tests/report_workbook.py),
and the Kaplan–Meier estimate against a hand computation."""

from __future__ import annotations

import datetime as dt
import tomllib

import pandas as pd
import pytest

from sow_sheets.followup.settings import parse_settings
from sow_sheets.model.schema import DEFAULT_SCHEMA
from sow_sheets.model.sheet import Table
from sow_sheets.reading.validation import Validated, validate
from sow_sheets.reporting.overview import block_rows, quarter_block
from sow_sheets.reporting.period import Period
from sow_sheets.reporting.report import Report, build_report
from sow_sheets.reporting.survival import kaplan_meier
from tests.report_workbook import CONFIG, FIRST, LAST, TODAY, report_tables
from tests.test_report_figures import ALL, BONUS, KEN, PROGS, Q3, Q4, SUMMER, WHOLE, ZIN, A, B

RULES = parse_settings(tomllib.loads(CONFIG)["followup"], "test").rules


def validated(today: dt.date = TODAY) -> Validated:
    tables = {title: Table(title, rows) for title, rows in report_tables().items()}
    return validate(tables, DEFAULT_SCHEMA, today)


@pytest.fixture(scope="module")
def report() -> Report:
    return build_report(validated(), DEFAULT_SCHEMA, RULES, Period(FIRST, LAST, TODAY))


def raw(report: Report, figure: str, part: str, org: str, prog: str, period: str) -> float:
    t = report.table
    found = t[
        (t["figure"] == figure) & (t["part"] == part) & (t["organisation"] == org)
        & (t["programme"] == prog) & (t["period"] == period)
    ]  # fmt: skip
    assert len(found) == 1, (figure, part, org, prog, period)
    return float(found["value"].iloc[0])


# Matches followed until 31-12-2026: days and whether they ended (see report_workbook.py).
DAYS = [365, 334, 364, 184, 183, 169, 61]
ENDED = [True, True, False, True, False, False, True]


def test_kaplan_meier_matches_the_hand_computation() -> None:
    curve = kaplan_meier(pd.Series(DAYS), pd.Series(ENDED))
    steps = curve.steps
    assert list(steps["day"]) == [61, 169, 183, 184, 334, 364, 365]
    assert list(steps["at_risk"]) == [7, 6, 5, 4, 3, 2, 1]
    assert list(steps["ended"]) == [1, 0, 0, 1, 1, 0, 1]
    # S = 6/7; censored steps leave it; then × 3/4, × 2/3, censored, × 0/1.
    after_334 = 6 / 7 * 3 / 4 * 2 / 3
    expected = [6 / 7, 6 / 7, 6 / 7, 6 / 7 * 3 / 4, after_334, after_334, 0.0]
    assert list(steps["survival"]) == pytest.approx(expected)
    assert curve.survival(60) == 1.0 and curve.survival(183) == pytest.approx(6 / 7)
    assert curve.survival(274) == pytest.approx(9 / 14)
    assert curve.at_risk(91) == 6 and curve.at_risk(183) == 5 and curve.at_risk(366) == 0
    assert curve.median() == 334
    assert curve.followed_until(5) == 183
    # Censoring matters: dropping the running matches or counting them as ended differs.
    dropped = kaplan_meier(pd.Series([d for d, e in zip(DAYS, ENDED, strict=True) if e]),
                           pd.Series([True] * 4))  # fmt: skip
    assert dropped.median() == 184 != curve.median()


def test_no_ending_means_no_median() -> None:
    curve = kaplan_meier(pd.Series([10, 20, 30]), pd.Series([False] * 3))
    assert curve.median() is None and curve.survival(100) == 1.0


@pytest.mark.parametrize(
    ("figure", "part", "org", "prog", "period", "value"),
    [
        ("intakes", "Grootouders", ALL, BONUS, WHOLE, 2),
        ("intakes", "Ouderen", B, PROGS, WHOLE, 1),
        ("intakes", "Ouderen", A, PROGS, WHOLE, 0),
        ("voorstellen", "", A, BONUS, WHOLE, 3),
        ("voorstellen", "afgewezen", A, BONUS, Q3, 1),
        ("voorstellen", "vervallen", A, BONUS, Q3, 1),
        ("voorstellen", "open", A, BONUS, Q4, 1),
        ("voorstellen", "gekoppeld", ALL, BONUS, WHOLE, 0),  # VS-4 is before the period
        ("koppelingen gestart", "", A, BONUS, "jul 2026", 2),
        ("koppelingen gestart", "", B, BONUS, "aug 2026", 1),
        ("koppelingen gestart", "", ALL, BONUS, WHOLE, 3),  # KP-8 has no start date
        ("koppelingen actief aan het eind", "", ALL, BONUS, "sep 2026", 4),
        ("koppelingen actief aan het eind", "", B, BONUS, Q3, 1),
        ("koppelingen actief aan het eind", "", A, BONUS, WHOLE, 3),
        ("koppelingen beëindigd", "", ALL, BONUS, WHOLE, 4),
        ("koppelingen beëindigd", "verhuisd", A, BONUS, Q3, 1),
        ("koppelingen beëindigd", "gezondheid of overlijden", A, BONUS, WHOLE, 1),
        ("koppelingen beëindigd", "niet ingevuld", A, BONUS, WHOLE, 1),
        ("koppelingen beëindigd", "klikte niet", B, BONUS, Q4, 1),
        ("koppelingen beëindigd", "", ALL, BONUS, "aug 2026", 1),
        ("nog actief", "na 9 maanden", A, BONUS, WHOLE, 75.0),
        ("nog actief", "na 9 maanden", ALL, BONUS, WHOLE, 100 * 9 / 14),
        ("duur, mediaan", "", ALL, BONUS, WHOLE, 334 / (365.25 / 12)),
        ("wachttijd tot eerste voorstel, mediaan", "Gezinnen", A, BONUS, WHOLE, 20),
        ("wachttijd tot eerste voorstel, mediaan", "Gezinnen", A, BONUS, Q4, 89),
        ("wachttijd tot eerste voorstel, mediaan", "Grootouders", A, BONUS, WHOLE, 565),
        ("wachttijd tot eerste voorstel", "Gezinnen: 0–30 dagen", A, BONUS, Q3, 2),
        ("wachttijd tot koppeling, mediaan", "Gezinnen", ALL, BONUS, WHOLE, 30),
        ("wachttijd tot koppeling, mediaan", "Grootouders", ALL, BONUS, WHOLE, 14),
        ("wachttijd tot koppeling", "Gezinnen: 31–60 dagen", B, BONUS, WHOLE, 1),
        ("ouderen bereikt met kerst", "", B, PROGS, WHOLE, 2),
        ("ouderen bereikt", "", B, "Magisch Zoetermeer", Q4, 2),
        ("plaatsen bezet", "", A, SUMMER, WHOLE, 5),
        ("bezetting", "", A, SUMMER, WHOLE, 50.0),
        ("gesprekken nodig", KEN, B, PROGS, Q3, 1),
        ("gesprekken op tijd", KEN, B, PROGS, Q3, 0),
        ("gesprekken op tijd", KEN, A, PROGS, Q3, 2),
        ("gesprekken nodig", ZIN, B, PROGS, Q4, 1),
        ("gesprekken op tijd", ZIN, A, PROGS, WHOLE, 5),
    ],
)
def test_raw_figures_match_the_hand_computation(
    report: Report, figure: str, part: str, org: str, prog: str, period: str, value: float
) -> None:
    assert raw(report, figure, part, org, prog, period) == pytest.approx(value)


def test_one_partner_report_has_only_that_partners_figures() -> None:
    alone = build_report(validated(), DEFAULT_SCHEMA, RULES, Period(FIRST, LAST, TODAY), "beta")
    assert alone.organisation == "Beta" and alone.scope == "Beta"
    runs = alone.table["figure"].isin(["runs", "runs mislukt"])  # the programme's, not a partner's
    assert set(alone.table[~runs]["organisation"]) == {"Beta"}
    assert raw(alone, "gesprekken nodig", "", B, PROGS, WHOLE) == 2
    assert raw(alone, "koppelingen gevolgd", "", B, BONUS, WHOLE) == 1


def test_the_quarter_block_for_the_overview_tab() -> None:
    day = dt.date(2026, 8, 20)
    rows = quarter_block(validated(day), DEFAULT_SCHEMA, RULES, day)
    assert rows[0] == ("Dit kwartaal", "K3 2026 (1-7-2026 t/m 30-9-2026, tot en met vandaag)")
    found = dict(rows)
    # As of 20 August: KP-5 and KP-6 started (Alfa), KP-7 (Beta): 3, so "<5".
    assert found["Nieuwe koppelingen"] == "<5"
    assert found["Intakes Gezinnen"] == 6  # GZ-7 … GZ-12, shown because 6 ≥ 5
    assert found["Koppelingen die lopen"] == 6  # KP-2 … KP-7 on 20 August
    assert [label for label, _ in rows[1:4]] == [
        "Intakes Grootouders",
        "Intakes Gezinnen",
        "Intakes Ouderen",
    ]
    assert all(isinstance(label, str) and label for label, _ in rows)
    assert block_rows(build_report(validated(), DEFAULT_SCHEMA, RULES,
                                   Period(FIRST, LAST, TODAY)))[0][0] == "Dit kwartaal"  # fmt: skip
