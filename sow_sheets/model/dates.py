"""Calendar arithmetic the rules share: months that end early, and leap days."""

from __future__ import annotations

import calendar
import datetime as dt

# The longest span a setting may give in days or months: 100 years. Longer spans mean a
# typo, and dates beyond year 9999 cannot be computed (config.py rejects them on load).
MAX_DAYS = 36_525
MAX_MONTHS = 1_200


def clamp_date(year: int, month: int, day: int) -> dt.date:
    """The date, with the day cut to the month's length (29 February → 28 in other years)."""
    if day <= 28:  # every month has these days; skips the month-length lookup
        return dt.date(year, month, day)
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, cut to the month's end (29 Feb + 12 → 28 Feb)."""
    total = day.year * 12 + day.month - 1 + months
    return clamp_date(total // 12, total % 12 + 1, day.day)
