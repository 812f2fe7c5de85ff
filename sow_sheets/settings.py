"""The settings of one programme: where its sheet is, when the worker runs, each engine's rules.

Plain frozen dataclasses with the programme's defaults; ``config.py`` fills them from TOML.
Importing this module loads no engine (no numpy, no OR-Tools).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sow_sheets.activities.settings import ActivitySettings
from sow_sheets.followup.settings import FollowupSettings
from sow_sheets.matching.settings import MatchingSettings
from sow_sheets.model.schema import DEFAULT_SCHEMA, Schema
from sow_sheets.notify.settings import NotifySettings


@dataclass(frozen=True)
class WorkerSettings:
    """The nightly worker (``sow-sheets run``)."""

    at: str = "02:00"
    tz: str = "Europe/Amsterdam"
    log_file: str = ""

    def __post_init__(self) -> None:
        try:
            dt.datetime.strptime(self.at, "%H:%M")
        except ValueError:
            raise ValueError(f'expected a time like 02:00, found "{self.at}"') from None


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


@dataclass(frozen=True)
class Settings:
    """Everything a sync needs besides the data itself."""

    sheet: SheetSettings = field(default_factory=SheetSettings)
    worker: WorkerSettings = field(default_factory=WorkerSettings)
    matching: MatchingSettings = field(default_factory=MatchingSettings)
    activities: ActivitySettings = field(default_factory=ActivitySettings)
    followup: FollowupSettings = field(default_factory=FollowupSettings)
    notify: NotifySettings = field(default_factory=NotifySettings)
    schema: Schema = DEFAULT_SCHEMA
    logbook_rows: int = 500
    source: str = "(defaults)"

    @property
    def engines(self) -> EngineSettings:
        return EngineSettings(self.matching, self.activities, self.followup)
