"""Configuration: the example file is complete and equals the defaults; errors name key and file."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from sow_sheets.config import load_settings, settings_from_mapping
from sow_sheets.forms.settings import FormSettings
from sow_sheets.model.errors import ConfigError
from sow_sheets.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "config" / "sow.example.toml"


def test_example_config_loads_and_equals_the_defaults() -> None:
    settings = load_settings(EXAMPLE)
    defaults = Settings()
    for name in (
        "sheet",
        "worker",
        "matching",
        "activities",
        "followup",
        "help",
        "forms",
        "logbook_rows",
    ):
        assert getattr(settings, name) == getattr(defaults, name), name
    assert settings.schema == defaults.schema


def test_every_settings_key_is_in_the_example() -> None:
    text = EXAMPLE.read_text("utf-8")
    defaults = Settings()
    for section in ("matching", "activities", "worker", "help"):
        for key in vars(getattr(defaults, section)):
            if key == "weights":
                continue  # a table of its own, checked below
            assert f"{key} = " in text, f"[{section}] {key} is not documented"
    for key in vars(defaults.matching.weights):
        assert f"{key} = " in text
    for key in ("horizon_days", "vog_warning_days", "waiting_days", "privacy_days"):
        assert f"{key} = " in text
    for field in dataclasses.fields(FormSettings):
        assert f"# {field.name} = " in text or f"[forms.{field.name}]" in text, field.name


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"matching": {"weights": {"distance": "veel"}}}, "[matching].weights.distance"),
        ({"matching": {"vog_max_months": 0}}, "vog_max_months"),
        ({"matching": {"vog_max_month": 36}}, "unknown key 'vog_max_month'"),
        ({"activities": {"per_person": "drie"}}, "[activities].per_person"),
        ({"worker": {"at": "25:00"}}, "[worker]"),
        ({"worker": {"every": "30"}}, "[worker]"),
        ({"worker": {"every": "2m"}}, "between 5m and 24h"),
        ({"worker": {"between": "08:00-20:00"}}, "between needs every"),
        ({"worker": {"every": "30m", "between": "20:00-08:00"}}, "start before it ends"),
        ({"worker": {"at": ""}}, "no runs"),
        ({"help": {"vog_kinds": ["bezoek"]}}, "vog_kinds"),
        ({"help": {"today_hours": -1}}, "today_hours"),
        ({"help": {"week_days": 10**9}}, "week_days"),
        ({"help": {"proposals": 0}}, "proposals"),
        ({"help": {"key_prefix": " "}}, "key_prefix"),
        ({"tabs": {"gezin": "Families"}}, "unknown tab 'gezin'"),
        ({"headers": {"gezinnen": {"pc": "PC"}}}, "unknown column 'pc'"),
        ({"followup": {"horizon_days": -1}}, "horizon_days"),
        ({"forms": [{"tab": "F", "type": "gezin", "organisation": "X"}]}, "type: expected"),
        (
            {"forms": [{"tab": "F", "type": "gezinnen", "language": "xx", "organisation": "X"}]},
            "language",
        ),
        ({"forms": [{"tab": "F", "type": "gezinnen"}]}, "either organisation"),
        (
            {
                "forms": [
                    {
                        "tab": "F",
                        "type": "ouderen",
                        "organisation": "X",
                        "questions": {"children": "K"},
                    }
                ]
            },
            "unknown field 'children'",
        ),
        (
            {"forms": [{"tab": "Gezinnen", "type": "gezinnen", "organisation": "X"}]},
            "already another tab",
        ),
        ({"followup": {"rules": [{"name": "x"}]}}, "x"),
        ({"logbook_rows": 0}, "logbook_rows"),
        ({"matchng": {}}, "unknown section [matchng]"),
        ({"programmes": {"paused": "Magisch Zoetermeer"}}, "[programmes].paused: expected a list"),
        ({"programmes": {"paused": [" "]}}, "paused must list programme names"),
        ({"neighbourhoods": {"codes": ["Rokkeveen"]}}, "neighbourhood codes like WIJK-"),
        ({"activities": {"help_per_person": 0}}, "help_per_person"),
        ({"followup": {"cancel_call_days": -2}}, "cancel_call_days"),
        (
            {
                "followup": {
                    "rules": [
                        {
                            "name": "x",
                            "applies_to": "matches",
                            "clock": "start",
                            "due": "3d",
                            "description": "X",
                            "programme": "P",
                        }
                    ]
                }
            },
            "'programme': not used for applies_to = 'matches'",
        ),
    ],
)
def test_errors_name_the_file_and_the_key(data: dict[str, object], fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        settings_from_mapping(data, "sow.toml")
    message = str(info.value)
    assert "sow.toml" in message
    assert fragment in message


def test_renamed_tabs_and_headers_keep_the_defaults_as_aliases() -> None:
    settings = settings_from_mapping(
        {"tabs": {"gezinnen": "Families"}, "headers": {"gezinnen": {"postcode": "PC"}}}, "x"
    )
    tab = settings.schema.tab("gezinnen")
    assert tab.title == "Families"
    assert tab.column("postcode").names()[:2] == ("PC", "Postcode")


def test_missing_and_broken_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[worker\n")
    with pytest.raises(ConfigError, match=r"broken\.toml: not valid TOML"):
        load_settings(broken)
