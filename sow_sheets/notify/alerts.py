"""When the coordinator hears that runs are failing: one alert per failure streak, one
"recovered" message when a run succeeds again, and what was sent, as plain data.

A streak starts with a failed run (or a health check that finds no successful run in 36
hours) and ends with the next successful run. An alert that could not be sent stays due and
goes out with the next failure of the same streak; a streak whose alert never went out ends
without a recovery message. ``NotifyState`` is what the shell keeps in its state file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

RUN, HEALTH = "run", "health"


@dataclass(frozen=True)
class Streak:
    """A run of failures: since when, why (an error name or ``HEALTH``), and whether the
    coordinator has been told."""

    since: dt.datetime
    reason: str
    kind: str = RUN
    alerted: bool = False
    last_success: dt.datetime | None = None  # health streaks: the last run that worked


@dataclass(frozen=True)
class NotifyState:
    """Everything remembered between runs, next to the run lock (IDs and dates only)."""

    streak: Streak | None = None
    recovered: dt.datetime | None = None  # a success after an alerted streak, not yet told
    recovered_since: dt.datetime | None = None
    digests: Mapping[str, dt.date] = field(default_factory=dict)  # organisation → week sent
    reported: Mapping[str, frozenset[str]] = field(default_factory=dict)  # problem keys told

    def failed(self, when: dt.datetime, reason: str) -> NotifyState:
        """A failed run: starts a streak unless one is going on."""
        if self.streak is not None:
            return self
        return replace(self, streak=Streak(when, reason))

    def unhealthy(self, when: dt.datetime, last_success: dt.datetime | None) -> NotifyState:
        """A health check found no successful run in 36 hours: a streak unless one is on."""
        if self.streak is not None:
            return self
        return replace(self, streak=Streak(when, HEALTH, HEALTH, last_success=last_success))

    def succeeded(self, when: dt.datetime) -> NotifyState:
        """A successful run ends the streak; a recovery message is due if it was alerted."""
        if self.streak is None:
            return self
        if not self.streak.alerted:
            return replace(self, streak=None)
        return replace(self, streak=None, recovered=when, recovered_since=self.streak.since)

    def alert_sent(self) -> NotifyState:
        assert self.streak is not None
        return replace(self, streak=replace(self.streak, alerted=True))

    def recovery_sent(self) -> NotifyState:
        return replace(self, recovered=None, recovered_since=None)

    def digest_sent(
        self, organisation: str, week: dt.date, problems: frozenset[str] | None
    ) -> NotifyState:
        """The week's digest is done; ``problems`` (the data problems it told of) become
        old news, unless None (nothing was told: no address)."""
        reported = dict(self.reported)
        if problems is not None:
            reported[organisation] = problems
        return replace(self, digests={**self.digests, organisation: week}, reported=reported)

    def to_json(self) -> dict[str, Any]:
        streak = self.streak
        return {
            "streak": None
            if streak is None
            else {
                "since": streak.since.isoformat(),
                "reason": streak.reason,
                "kind": streak.kind,
                "alerted": streak.alerted,
                "last_success": _iso(streak.last_success),
            },
            "recovered": _iso(self.recovered),
            "recovered_since": _iso(self.recovered_since),
            "digests": {k: v.isoformat() for k, v in sorted(self.digests.items())},
            "reported": {k: sorted(v) for k, v in sorted(self.reported.items())},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> NotifyState:
        """The state from its JSON form; raises ValueError/KeyError/TypeError when damaged."""
        raw = data.get("streak")
        streak = None
        if raw is not None:
            streak = Streak(
                dt.datetime.fromisoformat(raw["since"]),
                str(raw["reason"]),
                str(raw.get("kind", RUN)),
                bool(raw.get("alerted", False)),
                _when(raw.get("last_success")),
            )
        return cls(
            streak=streak,
            recovered=_when(data.get("recovered")),
            recovered_since=_when(data.get("recovered_since")),
            digests={
                str(k): dt.date.fromisoformat(v) for k, v in dict(data.get("digests", {})).items()
            },
            reported={str(k): frozenset(map(str, v)) for k, v in data.get("reported", {}).items()},
        )


def _iso(when: dt.datetime | None) -> str | None:
    return None if when is None else when.isoformat()


def _when(text: object) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(str(text))
