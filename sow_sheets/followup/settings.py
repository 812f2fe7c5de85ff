"""Follow-up settings (config section ``[followup]``): the rules and the day counts they fall
back on. Kept apart from the engine so the config loader validates rules without computing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sow_sheets.followup.rules import Rule, default_rules, parse_rules
from sow_sheets.model.dates import MAX_DAYS
from sow_sheets.model.errors import ConfigError


@dataclass(frozen=True)
class FollowupSettings:
    """The ``[followup]`` config: rules plus the day counts the rules fall back on."""

    rules: tuple[Rule, ...] = field(default_factory=default_rules)
    horizon_days: int = 7  # `gesprek binnenkort` this many days ahead
    vog_warning_days: int = 30  # VOG signal this many days before it expires
    waiting_days: int = 60  # waiting without a proposal this long after intake
    privacy_days: int = 365  # stopped and no activity this long


def parse_settings(table: Mapping[str, object], source: str) -> FollowupSettings:
    """Validate the config's ``[followup]`` table; ConfigError names the file and the key."""
    defaults = FollowupSettings()
    unknown = sorted(set(table) - {"rules", *vars(defaults)})
    if unknown:
        raise ConfigError(f"{source}: [followup] has unknown key {unknown[0]!r}")

    def days(key: str) -> int:
        value = table.get(key, getattr(defaults, key))
        if type(value) is not int or not 0 <= value <= MAX_DAYS:
            raise ConfigError(
                f"{source}: [followup] {key} must be a whole number from 0 to {MAX_DAYS}"
            )
        return value

    rules = table.get("rules", [])
    if not isinstance(rules, list):
        raise ConfigError(f"{source}: followup.rules must be a list of [[followup.rules]] tables")
    return FollowupSettings(
        rules=parse_rules(rules, source) if "rules" in table else defaults.rules,
        horizon_days=days("horizon_days"),
        vog_warning_days=days("vog_warning_days"),
        waiting_days=days("waiting_days"),
        privacy_days=days("privacy_days"),
    )
