"""The wall clock and the programme's time zone: the one place the shell reads the time.

The core never reads the clock; commands and the worker call these and pass ``today`` and
``now`` on.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sow_sheets.model.errors import ConfigError
from sow_sheets.settings import Settings, WorkerSettings


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def zone_of(worker: WorkerSettings, source: str = "(defaults)") -> ZoneInfo:
    """The worker's time zone, or a ConfigError naming the key."""
    try:
        return ZoneInfo(worker.tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f'{source} [worker] tz: unknown time zone "{worker.tz}" (e.g. Europe/Amsterdam)'
        ) from None


def local_now(settings: Settings, now: dt.datetime | None = None) -> dt.datetime:
    """Wall-clock time in the programme's time zone (naive), for Logboek and `today`."""
    zone = zone_of(settings.worker, settings.source)
    return (now or utc_now()).astimezone(zone).replace(tzinfo=None)
