"""Follow-up rules: the shipped TOML equals the defaults, config errors name the rule and key,
and durations count months the way people do (29 February included)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sow_sheets.followup.rules import Offset, Season, default_rules, parse_rules
from sow_sheets.followup.settings import FollowupSettings, parse_settings
from sow_sheets.model.errors import ConfigError

DOC = Path(__file__).resolve().parents[1] / "config" / "sow.example.toml"


def doc_rules() -> list[dict[str, object]]:
    with DOC.open("rb") as handle:
        rules: list[dict[str, object]] = tomllib.load(handle)["followup"]["rules"]
    return rules


def test_the_documented_toml_is_exactly_the_defaults() -> None:
    assert parse_rules(doc_rules(), str(DOC)) == default_rules()
    assert FollowupSettings().rules == default_rules()
    with DOC.open("rb") as handle:
        assert parse_settings(tomllib.load(handle)["followup"], str(DOC)) == FollowupSettings()


def test_every_documented_rule_has_a_comment_saying_what_it_encodes() -> None:
    parts = re.split(r"(?m)^\[\[followup\.rules\]\]$", DOC.read_text(encoding="utf-8"))
    assert len(parts) == len(default_rules()) + 1
    for text in parts[:-1]:  # the lines just above each rule
        assert text.rstrip().splitlines()[-1].startswith("# ")


def test_settings_table_with_days_and_rules() -> None:
    parsed = parse_settings({"horizon_days": 14, "rules": doc_rules()[:2]}, "sow.toml")
    assert parsed.horizon_days == 14 and [r.name for r in parsed.rules] == [
        "kennismaking",
        "evaluatie",
    ]
    assert parse_settings({}, "sow.toml") == FollowupSettings()
    with pytest.raises(ConfigError, match=r"sow\.toml.*waiting_days"):
        parse_settings({"waiting_days": "zestig"}, "sow.toml")
    with pytest.raises(ConfigError, match=r"sow\.toml.*'horizon'"):
        parse_settings({"horizon": 3}, "sow.toml")


def rule_with(rule: str, changes: dict[str, object]) -> tuple[list[dict[str, object]], int]:
    """The documented rules with one rule changed (None removes a key), and its number."""
    rules = doc_rules()
    index = next(i for i, t in enumerate(rules) if t["name"] == rule)
    for key, value in changes.items():
        if value is None:
            rules[index].pop(key, None)
        else:
            rules[index][key] = value
    return rules, index + 1


@pytest.mark.parametrize(
    ("name", "changes", "key"),
    [
        ("kennismaking", {"applies_to": "koppelingen"}, "applies_to"),
        ("kennismaking", {"clock": "intake"}, "clock"),
        ("kennismaking", {"due": "drie weken"}, "due"),
        ("kennismaking", {"due": None}, "due"),
        ("kennismaking", {"kinds": ["kennismaken"]}, "kinds"),
        ("kennismaking", {"description": ""}, "description"),
        ("kennismaking", {"repeat": "-1y"}, "repeat"),
        ("kennismaking", {"soort": "x"}, "soort"),
        ("kennismaking", {"name": "Kennis Making"}, "name"),
        ("kennismaking", {"name": "volgende"}, "name"),
        ("evaluatie", {"name": "kennismaking"}, "name"),
        ("kennismaking", {"next_due": "ja"}, "next_due"),
        ("kennismaking", {"season": {"from": "07-01", "to": "08-31", "every": "21d"}}, "season"),
        ("evaluatie", {"due": ["3m", "6w"]}, "due"),
        ("contact-koppeling", {"due": ["61d", "91d"]}, "due"),
        ("contact-koppeling", {"later": {"from": "12m"}}, "later"),
        ("contact-oudere", {"season": {"from": "13-01", "to": "08-31", "every": "21d"}}, "season"),
        (
            "contact-oudere",
            {"season": {"from": "07-01", "to": "08-31", "every": "3 weken"}},
            "season",
        ),
        ("zomer", {"dates": ["31-07"]}, "dates"),
        ("zomer", {"dates": None}, "dates"),
        ("zomer", {"due": "7d"}, "due"),
        ("vog", {"due": None}, "due"),
        ("vog", {"kinds": ["contact"]}, "kinds"),
        ("wachtend", {"early": "7d"}, "early"),
        ("privacy", {"notice": "soon"}, "notice"),
    ],
)
def test_a_wrong_rule_is_a_config_error_naming_file_rule_and_key(
    name: str, changes: dict[str, object], key: str
) -> None:
    rules, index = rule_with(name, changes)
    with pytest.raises(ConfigError) as raised:
        parse_rules(rules, "config/sow.toml")
    message = str(raised.value)
    assert "config/sow.toml" in message and f"key {key!r}" in message
    assert f"number {index} " in message


def test_a_rule_that_is_not_a_table_is_named_by_number() -> None:
    with pytest.raises(ConfigError, match=r"sow\.toml.*number 2"):
        parse_rules([doc_rules()[0], "kennismaking"], "sow.toml")  # type: ignore[list-item]


def test_durations_and_labels() -> None:
    table = {**doc_rules()[0], "due": ["3d", "2w", 100, "4m", "1y"]}
    [rule] = parse_rules([table], "x.toml")
    days, months = (Offset(days=n) for n in (3, 14, 100)), (Offset(months=n) for n in (4, 12))
    assert rule.due == (*days, *months)
    labels = [Offset(days=1), Offset(days=42), Offset(months=1), Offset(months=18, days=5)]
    assert [o.label() for o in labels] == [
        "1 dag",
        "6 weken",
        "1 maand",
        "1 jaar en 6 maanden en 5 dagen",
    ]


@settings(max_examples=200, deadline=None)
@given(st.dates(dt.date(1990, 1, 1), dt.date(2090, 12, 31)), st.integers(-60, 600))
def test_adding_months_keeps_the_day_or_the_last_day_of_the_month(
    day: dt.date, months: int
) -> None:
    moved = Offset(months=months).after(day)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == min(day.day, calendar.monthrange(moved.year, moved.month)[1])
    assert Offset(months=months).before(moved) <= day


def test_leap_day_plus_years() -> None:
    leap = dt.date(2024, 2, 29)
    assert Offset(months=12).after(leap) == dt.date(2025, 2, 28)
    assert Offset(months=48).after(leap) == dt.date(2028, 2, 29)
    assert Offset(months=12, days=1).after(leap) == dt.date(2025, 3, 1)


@settings(max_examples=200, deadline=None)
@given(st.dates(dt.date(2000, 1, 1), dt.date(2060, 12, 31)), st.booleans())
def test_first_season_day_is_inside_and_nothing_earlier_is(day: dt.date, wraps: bool) -> None:
    season = (
        Season((12, 1), (2, 29), Offset(days=7)) if wraps else Season((7, 1), (8, 31), Offset())
    )

    def inside(d: dt.date) -> bool:
        md = (d.month, d.day)
        if wraps:
            return md >= season.start or md <= season.end
        return season.start <= md <= season.end

    first = season.first_day_from(day)
    assert first >= day and inside(first)
    assert all(not inside(day + dt.timedelta(days=n)) for n in range((first - day).days))
