"""Hard constraints one pair at a time, Dutch reasons, settings validation, explanation texts."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from sow_sheets.matching.eligibility import pair_problem, vog_expiry
from sow_sheets.matching.explanation import alternatives, reasons, warnings, without_names
from sow_sheets.matching.settings import MatchingSettings, ScoreWeights
from sow_sheets.model.dates import add_months
from sow_sheets.model.dutch import number_text
from sow_sheets.model.geo import Point
from sow_sheets.model.records import Family, Volunteer
from tests import helpers

TODAY = dt.date(2026, 3, 1)
HOME = Point(52.06, 4.49)
SETTINGS = MatchingSettings()


def at_km(north_km: float) -> Point:
    return Point(HOME.lat + north_km / 111.2, HOME.lon)


def volunteer(**kw: object) -> Volunteer:
    fields = {"name": "Opa", "point": HOME, "child_ages": (0, 12)}
    return helpers.volunteer("GO-0001", **fields | kw)


def family(**kw: object) -> Family:
    fields = {"name": "Gezin", "intake_date": dt.date(2025, 6, 1), "point": at_km(1.2)}
    return helpers.family("GZ-0001", **fields | {"children": (3, 6)} | kw)


def test_a_plain_pair_is_eligible() -> None:
    assert pair_problem(volunteer(), family(), TODAY, SETTINGS) is None


@pytest.mark.parametrize(
    ("v", "f", "fragment"),
    [
        (dict(consent=False), {}, "grootouder heeft geen toestemming"),
        ({}, dict(consent=False), "gezin heeft geen toestemming"),
        (dict(status="pauze"), {}, "status pauze"),
        ({}, dict(status="gestopt"), "status gestopt"),
        (dict(vog_date=None), {}, "VOG-datum van grootouder ontbreekt"),
        (dict(vog_date=dt.date(2023, 3, 1)), {}, "VOG van grootouder is verlopen op 1-3-2026"),
        (dict(point=None), {}, "locatie van grootouder onbekend"),
        ({}, dict(point=at_km(5.5)), "afstand 5,5 km is meer dan de maximale 5,0 km"),
        ({}, dict(children=(3, 13)), "leeftijd kinderen (3, 13) valt buiten 0-12"),
        (dict(languages=frozenset({"arabisch"})), {}, "geen gedeelde taal"),
        (dict(pets=True), dict(no_pets=True), "huisdieren"),
        (dict(smokes=True), dict(smoke_free=True), "rookt"),
    ],
)
def test_each_hard_constraint_has_a_dutch_reason(
    v: dict[str, object], f: dict[str, object], fragment: str
) -> None:
    reason = pair_problem(volunteer(**v), family(**f), TODAY, SETTINGS)
    assert reason is not None and fragment in reason


def test_soft_differences_are_not_hard_constraints() -> None:
    v = volunteer(pets=True, smokes=True, frequency="maandelijks", days=frozenset({0}))
    f = family(frequency="wekelijks", days=frozenset({5}), children=())
    assert pair_problem(v, f, TODAY, SETTINGS) is None


def test_vog_is_valid_until_the_day_before_expiry() -> None:
    v = volunteer(vog_date=dt.date(2023, 3, 2))
    assert pair_problem(v, family(), TODAY, SETTINGS) is None
    assert pair_problem(v, family(), TODAY + dt.timedelta(days=1), SETTINGS) is not None
    short = MatchingSettings(vog_max_months=12)
    assert pair_problem(v, family(), TODAY, short) is not None


def test_add_months_clips_to_month_end() -> None:
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2025, 11, 15), 3) == dt.date(2026, 2, 15)
    assert vog_expiry(volunteer(vog_date=None), SETTINGS) is None


def test_empty_language_cells_mean_dutch() -> None:
    v = volunteer(languages=frozenset())
    assert pair_problem(v, family(languages=frozenset({"Nederlands"})), TODAY, SETTINGS) is None


@pytest.mark.parametrize(
    "kw",
    [
        dict(vog_max_months=0),
        dict(alternatives=-1),
        dict(vog_warning_days=1.5),
        dict(weights={"distance": 1.0}),
    ],
)
def test_invalid_settings_raise_value_error(kw: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="matching"):
        MatchingSettings(**kw)  # type: ignore[arg-type]


def test_negative_or_all_zero_weights_are_rejected() -> None:
    with pytest.raises(ValueError, match=r"weights\.days"):
        ScoreWeights(days=-0.1)
    with pytest.raises(ValueError, match="at least one weight"):
        ScoreWeights(0, 0, 0, 0, 0, 0, 0)


def test_reasons_read_like_the_design_example() -> None:
    v = volunteer(
        frequency="wekelijks",
        days=frozenset({1, 5, 6}),
        interests=frozenset({"wandelen", "koken", "schaken"}),
    )
    f = family(
        frequency="wekelijks",
        days=frozenset({1, 5}),
        interests=frozenset({"koken", "wandelen"}),
        intake_date=TODAY,
    )
    text = reasons(v, f, 1.23, TODAY)
    assert text.startswith("1,2 km; allebei wekelijks; dagen: di, za; interesses: koken, wandelen")
    assert number_text(10.05) in {"10,1", "10,0"}


def test_warnings_name_vog_expiry_and_differences() -> None:
    v = volunteer(vog_date=dt.date(2023, 4, 15), frequency="maandelijks", days=frozenset({0}))
    f = family(frequency="wekelijks", days=frozenset({6}))
    text = warnings(v, f, TODAY, SETTINGS)
    assert "VOG verloopt op 15-4-2026" in text
    assert "frequentie verschilt (grootouder maandelijks, gezin wekelijks)" in text
    assert "geen gedeelde dagen (grootouder ma, gezin zo)" in text
    assert warnings(
        replace(v, vog_date=TODAY, frequency=None, days=frozenset()), f, TODAY, SETTINGS
    ) == ("niet ingevuld: dagen, frequentie")


def test_alternatives_list_ids_with_scores() -> None:
    listed = alternatives([("GO-0002", "Ans Smit", 81), ("GO-0007", "", 64)])
    assert listed == "GO-0002 Ans Smit (81); GO-0007 (64)"  # no consent, no name
    assert without_names(listed, {"GO-0002"}) == "GO-0002 (81); GO-0007 (64)"
    assert without_names(listed, {"GO-0007"}) == listed
    assert alternatives([]) == ""
