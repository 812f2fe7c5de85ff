"""Activity-suggestion settings (config section ``[activities]``), with the programme's defaults.

Plain fields only, so the generic TOML loader can fill them; invalid values raise ValueError.
Kept apart from the engine so loading the config never imports numpy or OR-Tools.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class ActivitySettings:
    """Tunable rules for activity suggestions (config section ``[activities]``)."""

    horizon_days: int = 42  # suggest activities dated today .. today + horizon
    per_person: int = 3  # open (and upcoming signed-up) suggestions per person at most
    transport_km: float = 1.5  # people needing transport: farthest activity without transport
    max_km: float = 10.0  # farthest activity for anyone, unless transport is arranged
    isolation_days: int = 91  # days without contact at which someone counts as fully isolated
    cost_max_eur: float = 25.0  # activities costing this or more get no cost credit
    weight_interests: float = 0.35
    weight_distance: float = 0.25
    weight_season: float = 0.15
    weight_cost: float = 0.10
    weight_isolation: float = 0.15
    summer_programme: str = "Zomereenzaamheid"
    summer_months: tuple[int, ...] = (7, 8)
    christmas_programme: str = "Magisch Zoetermeer"
    christmas_months: tuple[int, ...] = (12,)
    key_prefix: str = "AS-"
    help_per_person: int = 2  # open (and upcoming signed-up) meehelpen suggestions per person
    helper_places: int = 1  # helpers an activity asking for help takes when `Hulphanden` is empty

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name.endswith("_months"):
                if isinstance(value, list):
                    value = tuple(value)
                    object.__setattr__(self, f.name, value)
                if not isinstance(value, tuple) or not all(
                    isinstance(m, int) and not isinstance(m, bool) and 1 <= m <= 12 for m in value
                ):
                    raise ValueError(
                        f"{f.name} must be a list of month numbers 1-12, got {value!r}"
                    )
            elif f.type in ("int", "float"):
                whole = f.type == "int"
                kinds = (int,) if whole else (int, float)
                if isinstance(value, bool) or not isinstance(value, kinds) or math.isnan(value):
                    raise ValueError(f"{f.name} must be a {'whole ' if whole else ''}number")
                if value < 0:
                    raise ValueError(f"{f.name} must not be negative, got {value}")
            elif not isinstance(value, str):
                raise ValueError(f"{f.name} must be text, got {value!r}")
        if self.per_person < 1:
            raise ValueError(f"per_person must be at least 1, got {self.per_person}")
        if self.max_km <= 0 or self.isolation_days <= 0:
            raise ValueError("max_km and isolation_days must be greater than 0")
        if sum(self.weights()) <= 0:
            raise ValueError("at least one weight_* must be greater than 0")
        if self.help_per_person < 1:
            raise ValueError(f"help_per_person must be at least 1, got {self.help_per_person}")
        if not self.key_prefix.strip():
            raise ValueError("key_prefix must not be empty")

    def weights(self) -> tuple[float, float, float, float, float]:
        """Interests, distance, season, cost, isolation — the order of the score's factors."""
        return (
            self.weight_interests,
            self.weight_distance,
            self.weight_season,
            self.weight_cost,
            self.weight_isolation,
        )
