"""Settings of the help strand (config section ``[help]``), with the programme's defaults.

Plain fields only, so the generic TOML loader can fill them; invalid values raise ValueError.
Kept apart from the engine so loading the config never imports numpy or OR-Tools.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

from sow_sheets.model.words import HelpKind, choices

# The largest value each number may take: beyond these a setting is a typo, not a choice.
MAXIMA = {
    "proposals": 10,
    "today_hours": 168,
    "week_days": 365,
    "asap_days": 365,
    "idle_days": 3650,
    "bike_km": 100,
    "vog_max_months": 240,
}


@dataclass(frozen=True)
class HelpSettings:
    """Tunable rules for proposing helpers and for the help signals."""

    proposals: int = 3  # ranked helpers proposed per request (Rang 1 .. this)
    today_hours: float = 4.0  # `vandaag`: signal when no helper is linked this long after asking
    week_days: int = 2  # `deze week`: the same after this many days
    asap_days: int = 7  # `zo snel mogelijk`: ask to check whether it worked after this many days
    idle_days: int = 60  # a helper not asked this long: ask whether they are still available
    bike_km: float = 3.0  # `vervoer` with a helper by bike: at most this far
    vog_kinds: tuple[str, ...] = (HelpKind.COMPANY,)  # kinds that need a valid VOG
    vog_max_months: int = 36  # a VOG older than this is no longer valid
    key_prefix: str = "HP-"  # keys of rows in Hulpvoorstellen

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.type in ("int", "float"):
                whole = f.type == "int"
                kinds = (int,) if whole else (int, float)
                if isinstance(value, bool) or not isinstance(value, kinds) or math.isnan(value):
                    raise ValueError(f"{f.name} must be a {'whole ' if whole else ''}number")
                if not 0 <= value <= MAXIMA[f.name]:
                    raise ValueError(
                        f"{f.name} must be between 0 and {MAXIMA[f.name]}, got {value}"
                    )
        if isinstance(self.vog_kinds, list):
            object.__setattr__(self, "vog_kinds", tuple(self.vog_kinds))
        known = choices(HelpKind)
        if not isinstance(self.vog_kinds, tuple) or not all(k in known for k in self.vog_kinds):
            raise ValueError(f"vog_kinds must be a list of help kinds ({', '.join(known)})")
        if self.proposals < 1 or self.vog_max_months < 1:
            raise ValueError("proposals and vog_max_months must be at least 1")
        if not isinstance(self.key_prefix, str) or not self.key_prefix.strip():
            raise ValueError("key_prefix must not be empty")
