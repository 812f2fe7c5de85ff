"""Matching settings: the hard-constraint limits and score weights, with the programme's defaults.

Plain fields only, so the generic TOML loader can fill them; invalid values raise ValueError.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class ScoreWeights:
    """Relative weight of each soft-score part; the score is normalised by their sum."""

    distance: float = 0.25
    days: float = 0.20
    contact: float = 0.15
    interests: float = 0.15
    ages: float = 0.10
    waiting: float = 0.10
    languages: float = 0.05

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
                raise ValueError(f"matching.weights.{f.name} must be a number >= 0, got {value!r}")
        if self.total <= 0:
            raise ValueError("matching.weights: at least one weight must be above 0")

    @property
    def total(self) -> float:
        """Sum of all weights (the score's denominator)."""
        return float(sum(getattr(self, f.name) for f in fields(self)))


@dataclass(frozen=True)
class MatchingSettings:
    """Everything plan_matching needs besides the data and the date."""

    vog_max_months: int = 36  # a VOG older than this is no longer valid
    vog_warning_days: int = 90  # warn in "Let op" when the VOG expires within this many days
    alternatives: int = 3  # how many next-best volunteers "Alternatieven" lists
    waiting_full_days: int = 180  # a family waiting this long gets the full waiting score
    dense_limit: int = 1_000_000  # largest families x slots matrix solved densely
    weights: ScoreWeights = field(default_factory=ScoreWeights)

    def __post_init__(self) -> None:
        minimum = {
            "vog_max_months": 1,
            "vog_warning_days": 0,
            "alternatives": 0,
            "waiting_full_days": 1,
            "dense_limit": 0,
        }
        for name, low in minimum.items():
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                raise ValueError(f"matching.{name} must be a whole number >= {low}, got {value!r}")
        if not isinstance(self.weights, ScoreWeights):
            raise ValueError("matching.weights must be a table of weights")
