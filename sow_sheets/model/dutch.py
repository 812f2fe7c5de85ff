"""How the worker writes dates and numbers in the sheet: the Dutch way, in one place.

>>> date_text(dt.date(2026, 3, 1)), number_text(1.25), day_date_text(dt.date(2026, 7, 11))
('1-3-2026', '1,2', 'za 11 jul 2026')
"""

from __future__ import annotations

import datetime as dt

from sow_sheets.model.words import DAY_NAMES, MONTH_NAMES


def date_text(day: dt.date) -> str:
    """A short Dutch date: ``1-3-2026``."""
    return f"{day.day}-{day.month}-{day.year}"


def day_date_text(day: dt.date) -> str:
    """A date with its weekday, as a reader of a calendar expects: ``za 11 jul 2026``."""
    return f"{DAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def number_text(value: float, digits: int = 1) -> str:
    """A number with a decimal comma: ``1,5``."""
    return f"{value:.{digits}f}".replace(".", ",")


def km_text(km: float) -> str:
    """A distance as people say it: ``0,6 km``; within one postcode area there is none."""
    return "zelfde postcodegebied" if km < 0.05 else f"{number_text(km)} km"


# A conversation kind (Gesprekken.Soort) as a sentence names it.
CONVERSATION_PHRASES = {
    "intake": "intakegesprek",
    "kennismaking": "kennismakingsgesprek",
    "evaluatie": "evaluatiegesprek",
    "zingeving": "gesprek over zingeving",
    "contact": "contactgesprek",
    "afsluiting": "afsluitend gesprek",
}


def conversations_text(kinds: set[str] | frozenset[str]) -> str:
    """``{"evaluatie", "kennismaking"}`` → ``evaluatiegesprek of kennismakingsgesprek``."""
    return " of ".join(CONVERSATION_PHRASES.get(k, f"gesprek ({k})") for k in sorted(kinds))


def days_text(days: frozenset[int] | set[int]) -> str:
    """Weekdays as their short names in week order: ``di, za``."""
    return ", ".join(DAY_NAMES[d] for d in sorted(days) if 0 <= d < len(DAY_NAMES))
