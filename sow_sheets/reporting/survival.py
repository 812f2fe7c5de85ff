"""How long matches last: the Kaplan–Meier estimate, with matches still running censored.

A match that is still running when we look has lasted *at least* this long; dropping it would
make matches look shorter, counting it as ended would too. Kaplan–Meier uses each match for as
long as it is followed: at every day on which matches ended, the share still running is
multiplied by (1 − ended that day / still followed that day). Ties: a match censored on a day
is still followed on that day (the usual convention).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

# Months as days for the retention points (6 months = 183 days, 12 months = 365 days).
DAYS_PER_MONTH = 365.25 / 12


def month_days(months: int) -> int:
    return round(months * DAYS_PER_MONTH)


@dataclass(frozen=True)
class Curve:
    """A Kaplan–Meier curve: one row per day on which a match ended or was censored.

    Columns: ``day``, ``at_risk`` (followed up to that day), ``ended``, ``censored`` and
    ``survival`` (share still running just after that day).
    """

    steps: pd.DataFrame
    size: int

    def survival(self, day: float) -> float:
        """The share still running after ``day`` days (1.0 before the first ending)."""
        before = self.steps[self.steps["day"] <= day]
        return 1.0 if before.empty else float(before["survival"].iloc[-1])

    def at_risk(self, day: float) -> int:
        """How many matches are still followed at ``day`` (lasted at least that long)."""
        later = self.steps[self.steps["day"] >= day]
        return 0 if later.empty else int(later["at_risk"].iloc[0])

    def median(self) -> float | None:
        """The first day on which at most half is still running; None when not reached."""
        reached = self.steps[(self.steps["survival"] <= 0.5) & (self.steps["ended"] > 0)]
        return None if reached.empty else float(reached["day"].iloc[0])

    def followed_until(self, minimum: int) -> float:
        """The last day on which at least ``minimum`` matches are still followed."""
        enough = self.steps[self.steps["at_risk"] >= minimum]
        return float(enough["day"].iloc[-1]) if not enough.empty else -1.0


def kaplan_meier(days: np.ndarray | pd.Series, ended: np.ndarray | pd.Series) -> Curve:
    """The curve of matches lasting ``days`` each, ``ended`` True (ended) or False (running)."""
    frame = pd.DataFrame(
        {"day": np.asarray(days, dtype=float), "ended": np.asarray(ended, dtype=bool)}
    )
    grouped = (
        frame.groupby("day")["ended"].agg(ended="sum", total="size").sort_index().reset_index()
    )
    grouped["ended"] = grouped["ended"].astype(int)
    grouped["censored"] = grouped["total"] - grouped["ended"]
    grouped["at_risk"] = len(frame) - grouped["total"].cumsum().shift(fill_value=0)
    grouped["survival"] = (1.0 - grouped["ended"] / grouped["at_risk"]).cumprod()
    steps = grouped[["day", "at_risk", "ended", "censored", "survival"]]
    return Curve(steps.reset_index(drop=True), len(frame))
