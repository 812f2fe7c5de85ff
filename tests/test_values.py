"""Every value form of docs/sheet-contract.md; no input makes a parser raise another error."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sow_sheets.model.errors import ValueProblem
from sow_sheets.reading import values as v


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ja", True), ("Ja", True), ("j", True), ("x", True), ("yes", True), ("1", True),
        (1, True), (True, True), ("nee", False), ("n", False), ("no", False), ("0", False),
        (0, False), (False, False), ("", None), (None, None), ("  ", None),
    ],
)  # fmt: skip
def test_yesno(raw: Any, expected: bool | None) -> None:
    assert v.parse_yesno(raw) is expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-03-01", dt.date(2026, 3, 1)),
        ("1-3-2026", dt.date(2026, 3, 1)),
        ("01/03/2026", dt.date(2026, 3, 1)),
        ("1-3-26", dt.date(2026, 3, 1)),
        ("1.3.2026", dt.date(2026, 3, 1)),
        ("1 maart 2026", dt.date(2026, 3, 1)),
        ("29-2-2028", dt.date(2028, 2, 29)),
        ("2026-03-01 14:30", dt.date(2026, 3, 1)),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 1)),
        (dt.datetime(2026, 3, 1, 9, 30), dt.date(2026, 3, 1)),
        (43831, dt.date(2020, 1, 1)),  # Google's serial for 2020-01-01
        (46082.75, dt.date(2026, 3, 1)),
    ],
)
def test_dates(raw: Any, expected: dt.date) -> None:
    assert v.parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["31-02-2026", "2026-13-01", "morgen", "1-3", 12, "29-2-2027"])
def test_bad_dates_say_the_form(raw: Any) -> None:
    with pytest.raises(ValueProblem) as info:
        v.parse_date(raw)
    assert "2026-03-01" in info.value.expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2711 AB", (2711, "AB")), ("2711ab", (2711, "AB")), ("2711", (2711, "")),
     (2711, (2711, "")), (" 2729 xz ", (2729, "XZ"))],
)  # fmt: skip
def test_postcodes(raw: Any, expected: tuple[int, str]) -> None:
    assert v.parse_postcode(raw) == expected


@pytest.mark.parametrize("raw", ["27x", "0711 AB", "2711 A", "27111", "AB 2711"])
def test_bad_postcodes(raw: str) -> None:
    with pytest.raises(ValueProblem, match="2711 AB"):
        v.parse_postcode(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ma di wo", {0, 1, 2}), ("ma, wo; za", {0, 2, 5}), ("Dinsdag en Zaterdag", {1, 5}),
        ("weekend", {5, 6}), ("doordeweeks", {0, 1, 2, 3, 4}), ("ma-vr", {0, 1, 2, 3, 4}),
        ("ma t/m wo", {0, 1, 2}), ("za-ma", {5, 6, 0}), ("WOENSDAG", {2}),
    ],
)  # fmt: skip
def test_days(raw: str, expected: set[int]) -> None:
    assert v.parse_days(raw) == frozenset(expected)


@pytest.mark.parametrize("raw", ["maandagavond", "soms", "ma-weekend", 3])
def test_bad_days(raw: Any) -> None:
    with pytest.raises(ValueProblem):
        v.parse_days(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("wekelijks", "wekelijks"), ("1x per week", "wekelijks"), ("1 keer per week", "wekelijks"),
        ("elke week", "wekelijks"), ("tweewekelijks", "tweewekelijks"),
        ("om de week", "tweewekelijks"), ("2x per maand", "tweewekelijks"),
        ("Maandelijks", "maandelijks"), ("1x per maand", "maandelijks"),
    ],
)  # fmt: skip
def test_frequencies(raw: str, expected: str) -> None:
    assert v.parse_frequency(raw) == expected


def test_bad_frequency() -> None:
    with pytest.raises(ValueProblem, match="tweewekelijks"):
        v.parse_frequency("af en toe")


def test_lists_split_on_commas_and_semicolons() -> None:
    assert v.parse_list("Wandelen, koken;  Voorlezen ,") == {"wandelen", "koken", "voorlezen"}


@pytest.mark.parametrize(
    ("raw", "expected"), [("0-12", (0, 12)), ("4 t/m 10", (4, 10)), ("6 - 12 jaar", (6, 12))]
)
def test_age_ranges(raw: str, expected: tuple[int, int]) -> None:
    assert v.parse_age_range(raw) == expected


@pytest.mark.parametrize("raw", ["12-4", "0-40", "jong", 5])
def test_bad_age_ranges(raw: Any) -> None:
    with pytest.raises(ValueProblem, match="0-12"):
        v.parse_age_range(raw)


@pytest.mark.parametrize(
    ("raw", "expected"), [("3, 6", (3, 6)), ("6 en 3", (3, 6)), (4, (4,)), ("2;5;9", (2, 5, 9))]
)
def test_ages(raw: Any, expected: tuple[int, ...]) -> None:
    assert v.parse_ages(raw) == expected


@pytest.mark.parametrize("raw", ["drie", "3, 60", -1, 2.5])
def test_bad_ages(raw: Any) -> None:
    with pytest.raises(ValueProblem, match="3, 6"):
        v.parse_ages(raw)


def test_numbers_accept_dutch_decimal_comma() -> None:
    assert v.parse_km("2,5") == 2.5
    assert v.parse_km("5 km") == 5.0
    assert v.parse_money("€ 2,50") == 2.5
    assert v.parse_money("gratis") == 0.0
    assert v.parse_count("2") == 2
    assert v.parse_year(1954.0) == 1954


def test_times() -> None:
    assert v.parse_time("14.00") == "14:00"
    assert v.parse_time("14:00-16:30") == "14:00-16:30"
    assert v.parse_time(dt.time(9, 5)) == "09:05"
    assert v.parse_time(0.5) == "12:00"
    with pytest.raises(ValueProblem):
        v.parse_time("25:00")


def test_phone_and_email_forms() -> None:
    assert v.parse_phone("06-12345678") == "06-12345678"
    assert v.parse_email("riet@example.nl") == "riet@example.nl"
    with pytest.raises(ValueProblem):
        v.parse_phone("bel maar")
    with pytest.raises(ValueProblem):
        v.parse_email("riet at example")


def test_choices_accept_aliases() -> None:
    assert v.parse_status("Gepauzeerd") == "pauze"
    assert v.parse_conversation_kind("Evaluatiegesprek") == "evaluatie"
    with pytest.raises(ValueProblem, match="actief, pauze of gestopt"):
        v.parse_status("weg")


PARSERS: list[Callable[[Any], object]] = [
    v.parse_text, v.parse_yesno, v.parse_date, v.parse_postcode, v.parse_days,
    v.parse_frequency, v.parse_list, v.parse_age_range, v.parse_ages, v.parse_year,
    v.parse_count, v.parse_km, v.parse_money, v.parse_time, v.parse_phone, v.parse_email,
    v.parse_latitude, v.parse_longitude, v.parse_status, v.parse_mobility,
    v.parse_conversation_kind, v.parse_moment, v.parse_need_date, v.parse_help_kind,
    v.parse_help_kinds, v.parse_urgency, v.parse_source, v.parse_transport, v.parse_help_status,
]  # fmt: skip

CELLS = st.one_of(
    st.text(),
    st.text(alphabet="0123456789-/.: ,;maditwoz", max_size=20),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.dates(),
    st.datetimes(),
    st.times(),
)


@settings(max_examples=300, deadline=None)
@given(cell=CELLS)
def test_no_input_raises_anything_but_value_problem(cell: Any) -> None:
    for parse in PARSERS:
        try:
            parse(cell)
        except ValueProblem as problem:
            assert problem.expected


@given(st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2150, 12, 31)))
def test_dates_round_trip_through_every_written_form(day: dt.date) -> None:
    serial = (day - v.SERIAL_EPOCH).days
    forms = [day.isoformat(), f"{day.day}-{day.month}-{day.year}", day.strftime("%d/%m/%Y"), serial]
    for form in forms:
        assert v.parse_date(form) == day


# --- the help strand -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("30-11-2026 14:30", (dt.date(2026, 11, 30), dt.time(14, 30))),
        ("30-11-2026 om 9.05 uur", (dt.date(2026, 11, 30), dt.time(9, 5))),
        ("2026-11-30T14:30", (dt.date(2026, 11, 30), dt.time(14, 30))),
        ("2026-11-30 14:30:00", (dt.date(2026, 11, 30), dt.time(14, 30))),
        ("30/11/2026 8u15", (dt.date(2026, 11, 30), dt.time(8, 15))),
        ("30 november 2026 14:30", (dt.date(2026, 11, 30), dt.time(14, 30))),
        ("30-11-2026", (dt.date(2026, 11, 30), None)),
        ("30-11-2026 00:00", (dt.date(2026, 11, 30), None)),
        (dt.datetime(2026, 11, 30, 14, 30), (dt.date(2026, 11, 30), dt.time(14, 30))),
        (dt.datetime(2026, 11, 30), (dt.date(2026, 11, 30), None)),
        (dt.date(2026, 11, 30), (dt.date(2026, 11, 30), None)),
        (46356.6041666667, (dt.date(2026, 11, 30), dt.time(14, 30))),  # Sheets serial
        (46356, (dt.date(2026, 11, 30), None)),
    ],
)
def test_moments_with_and_without_a_time(raw: Any, expected: tuple[dt.date, Any]) -> None:
    assert v.parse_moment(raw) == expected


@pytest.mark.parametrize("raw", ["30-11-2026 25:00", "gisteren", "30-11-2026 14", "14:30"])
def test_bad_moments_say_the_form(raw: str) -> None:
    with pytest.raises(ValueProblem, match="eventueel met tijd"):
        v.parse_moment(raw)


def test_wanneer_is_a_date_or_as_soon_as_possible() -> None:
    for raw in ("zo snel mogelijk", "Zo snel mogelijk.", "zsm", "Z.S.M", "asap", "meteen"):
        assert v.parse_need_date(raw) == "zo snel mogelijk"
    assert v.parse_need_date("1-12-2026") == dt.date(2026, 12, 1)
    assert v.parse_need_date(None) is None
    with pytest.raises(ValueProblem, match="of zo snel mogelijk"):
        v.parse_need_date("na het weekend")


def test_help_words_and_their_synonyms() -> None:
    assert v.parse_help_kind("Boodschappen doen") == "boodschappen"
    assert v.parse_help_kind("klusje") == "klus"
    assert v.parse_urgency("Spoed") == "vandaag"
    assert v.parse_urgency("deze  week") == "deze week"
    assert v.parse_source("Huisarts") == "doorverwijzer"
    assert v.parse_transport("e-bike") == "fiets"
    assert v.parse_help_status("afgerond") == "geholpen"
    with pytest.raises(ValueProblem, match="vandaag, deze week of flexibel"):
        v.parse_urgency("morgen")


def test_help_kinds_as_a_list_and_alles_for_every_kind() -> None:
    assert v.parse_help_kinds("boodschappen; klusjes, bellen") == {
        "boodschappen",
        "klus",
        "telefoon",
    }
    assert v.parse_help_kinds("Alles") == {
        "boodschappen", "vervoer", "klus", "telefoon", "gezelschap", "anders"
    }  # fmt: skip
    with pytest.raises(ValueProblem, match="soorten hulp"):
        v.parse_help_kinds("boodschappen, tuinieren")
