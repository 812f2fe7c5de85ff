"""The period of a report and its slices: the whole period, its quarters and its months.

Quarters and months are calendar ones, cut to the period where it starts or ends inside them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sow_sheets.model.dutch import date_text
from sow_sheets.model.words import MONTH_NAMES

WHOLE, QUARTER, MONTH = "periode", "kwartaal", "maand"


@dataclass(frozen=True)
class Slice:
    """A stretch of days (both ends included) with its Dutch label and level."""

    label: str
    first: dt.date
    last: dt.date
    level: str

    def contains(self, other: Slice) -> bool:
        return self.first <= other.first and other.last <= self.last


@dataclass(frozen=True)
class Period:
    """The report's period, and the day the data was read (``today``): nothing after it is
    known, so stocks and follow-up are measured up to ``min(last, today)``."""

    first: dt.date
    last: dt.date
    today: dt.date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError("the period ends before it starts")

    @property
    def whole(self) -> Slice:
        return Slice(f"{date_text(self.first)} t/m {date_text(self.last)}", *self.span, WHOLE)

    @property
    def span(self) -> tuple[dt.date, dt.date]:
        return self.first, self.last

    def known(self, day: dt.date) -> dt.date:
        """The last day of which the data can tell: ``day`` itself, or today if that is earlier."""
        return min(day, self.today)

    def quarters(self) -> list[Slice]:
        """The calendar quarters the period touches, cut to the period; none when it lies in
        one quarter (the period itself is then the quarter)."""
        out = []
        year, quarter = self.first.year, (self.first.month - 1) // 3
        while dt.date(year, quarter * 3 + 1, 1) <= self.last:
            start = dt.date(year, quarter * 3 + 1, 1)
            end = _month_end(year, quarter * 3 + 3)
            out.append(
                Slice(
                    f"K{quarter + 1} {year}",
                    max(start, self.first),
                    min(end, self.last),
                    QUARTER,
                )
            )
            year, quarter = (year + 1, 0) if quarter == 3 else (year, quarter + 1)
        return out if len(out) > 1 else []

    def months(self) -> list[Slice]:
        """The calendar months the period touches, cut to the period."""
        out = []
        year, month = self.first.year, self.first.month
        while dt.date(year, month, 1) <= self.last:
            out.append(
                Slice(
                    f"{MONTH_NAMES[month - 1]} {year}",
                    max(dt.date(year, month, 1), self.first),
                    min(_month_end(year, month), self.last),
                    MONTH,
                )
            )
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out

    def slices(self) -> list[Slice]:
        """The whole period, then its quarters (when it spans more than one)."""
        return [self.whole, *self.quarters()]


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return following - dt.timedelta(days=1)


def quarter_of(day: dt.date, today: dt.date) -> Period:
    """The calendar quarter ``day`` lies in (for the "this quarter" block)."""
    first = dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return Period(first, _month_end(day.year, first.month + 2), today)


def default_period(today: dt.date) -> Period:
    """The report's default: from the start of the quarter a year ago up to today."""
    first = dt.date(today.year - 1, (today.month - 1) // 3 * 3 + 1, 1)
    return Period(first, today, today)
