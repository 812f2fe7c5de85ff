"""The settings of one programme: where its sheet is, when the worker runs, each engine's rules.

Plain frozen dataclasses with the programme's defaults; ``config.py`` fills them from TOML.
Importing this module loads no engine (no numpy, no OR-Tools).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sow_sheets.activities.settings import ActivitySettings
from sow_sheets.duplicates.settings import DuplicateSettings
from sow_sheets.followup.settings import FollowupSettings
from sow_sheets.forms.settings import FormSettings
from sow_sheets.help.settings import HelpSettings
from sow_sheets.matching.settings import MatchingSettings
from sow_sheets.model.programmes import NeighbourhoodSettings, ProgrammeSettings
from sow_sheets.model.schema import DEFAULT_SCHEMA, Schema
from sow_sheets.notify.settings import NotifySettings


def _clock_minutes(text: str) -> int:
    """``HH:MM`` as minutes after midnight; ``24:00`` is the end of the day."""
    if text.strip() == "24:00":
        return 24 * 60
    try:
        clock = dt.datetime.strptime(text.strip(), "%H:%M").time()
    except ValueError:
        raise ValueError(f'expected a time like 02:00, found "{text.strip()}"') from None
    return clock.hour * 60 + clock.minute


_EVERY = re.compile(r"(?:(\d+)\s*(?:h|u|uur))?\s*(?:(\d+)\s*(?:m|min))?")


@dataclass(frozen=True)
class WorkerSettings:
    """The worker (``sow-sheets run``): one or more local times a day (``at``), and/or a run
    every so often within hours of the day (``every``, ``between``)."""

    at: str = "02:00"  # local times, comma-separated: "02:00" or "08:00, 13:00, 17:00"
    tz: str = "Europe/Amsterdam"
    log_file: str = ""
    every: str = ""  # e.g. "30m", "2h", "1h30m"; empty = only the times in `at`
    between: str = ""  # with `every`: e.g. "08:00-20:00"; empty = the whole day

    def __post_init__(self) -> None:
        self.run_times()
        self.interval_minutes()
        self.window()
        if self.between.strip() and not self.every.strip():
            raise ValueError('between needs every, e.g. every = "30m"')
        if not self.run_times() and not self.every.strip():
            raise ValueError('no runs: set at (e.g. "02:00") or every (e.g. "30m")')

    def run_times(self) -> tuple[dt.time, ...]:
        """The local times of `at`, sorted (none when `at` is empty)."""
        minutes = set()
        for part in re.split(r"[,;\s]+", self.at.strip()):
            if part:
                value = _clock_minutes(part)
                if value >= 24 * 60:
                    raise ValueError(f'expected a time like 02:00, found "{part}"')
                minutes.add(value)
        return tuple(dt.time(m // 60, m % 60) for m in sorted(minutes))

    def interval_minutes(self) -> int | None:
        """`every` in minutes (5 minutes up to 24 hours), or None when it is empty."""
        text = self.every.strip().casefold()
        if not text:
            return None
        found = _EVERY.fullmatch(text)
        if not found or not (found[1] or found[2]):
            raise ValueError(f'expected an interval like 30m, 2h or 1h30m, found "{self.every}"')
        minutes = int(found[1] or 0) * 60 + int(found[2] or 0)
        if not 5 <= minutes <= 24 * 60:
            raise ValueError(f"every must be between 5m and 24h, found {self.every!r}")
        return minutes

    def window(self) -> tuple[int, int]:
        """`between` as (first, last) minutes of the day; the whole day when it is empty."""
        text = self.between.strip()
        if not text:
            return 0, 24 * 60 - 1
        first, dash, last = text.partition("-")
        if not dash:
            raise ValueError(f'expected hours like 08:00-20:00, found "{text}"')
        start, end = _clock_minutes(first), _clock_minutes(last)
        if not start < end or start >= 24 * 60:
            raise ValueError(f'between must start before it ends, like 08:00-20:00, found "{text}"')
        return start, min(end, 24 * 60 - 1)

    def interval_times(self) -> tuple[dt.time, ...]:
        """The local times `every` and `between` give: from the window's start, every interval,
        up to and including its end."""
        step = self.interval_minutes()
        if step is None:
            return ()
        start, end = self.window()
        return tuple(dt.time(m // 60, m % 60) for m in range(start, end + 1, step))


@dataclass(frozen=True)
class SheetSettings:
    """Where the spreadsheet is: a local workbook or a Google spreadsheet."""

    workbook: str = ""
    spreadsheet: str = ""
    credentials: str = ""


@dataclass(frozen=True)
class EngineSettings:
    """What the deciding step needs: the settings of each engine, nothing about I/O."""

    matching: MatchingSettings = field(default_factory=MatchingSettings)
    activities: ActivitySettings = field(default_factory=ActivitySettings)
    followup: FollowupSettings = field(default_factory=FollowupSettings)
    help: HelpSettings = field(default_factory=HelpSettings)
    programmes: ProgrammeSettings = field(default_factory=ProgrammeSettings)
    neighbourhoods: NeighbourhoodSettings = field(default_factory=NeighbourhoodSettings)
    duplicates: DuplicateSettings = field(default_factory=DuplicateSettings)


@dataclass(frozen=True)
class Settings:
    """Everything a sync needs besides the data itself."""

    sheet: SheetSettings = field(default_factory=SheetSettings)
    worker: WorkerSettings = field(default_factory=WorkerSettings)
    matching: MatchingSettings = field(default_factory=MatchingSettings)
    activities: ActivitySettings = field(default_factory=ActivitySettings)
    followup: FollowupSettings = field(default_factory=FollowupSettings)
    help: HelpSettings = field(default_factory=HelpSettings)
    duplicates: DuplicateSettings = field(default_factory=DuplicateSettings)
    notify: NotifySettings = field(default_factory=NotifySettings)
    programmes: ProgrammeSettings = field(default_factory=ProgrammeSettings)
    neighbourhoods: NeighbourhoodSettings = field(default_factory=NeighbourhoodSettings)
    forms: tuple[FormSettings, ...] = ()  # [[forms]]: their tabs are in ``schema``
    schema: Schema = DEFAULT_SCHEMA
    logbook_rows: int = 500
    source: str = "(defaults)"

    @property
    def engines(self) -> EngineSettings:
        return EngineSettings(
            self.matching,
            self.activities,
            self.followup,
            self.help,
            self.programmes,
            self.neighbourhoods,
            self.duplicates,
        )
