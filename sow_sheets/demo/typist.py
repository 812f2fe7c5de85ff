"""How people type values into the demo sheet: the mix of value forms of docs/sheet-contract.md.

Partner staff write dates as real date cells, as ``1-3-2026`` or ``2026-03-01``; yes as
``ja``, ``j`` or ``x``; postcodes with or without a space. The demo mixes these on purpose so
that every parser is exercised by an ordinary run.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Sequence
from typing import TypeVar

from sow_sheets.demo.names import DAY_LONG, DAY_SHORT, POSTCODE_LETTERS
from sow_sheets.model.cells import Cell

T = TypeVar("T")


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later (or earlier); 28 February for a 29 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def ascii_fold(text: str) -> str:
    """Letters without accents and without spaces, for e-mail addresses."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in plain.lower() if ch.isalnum())


class Typist:
    """A seeded source of randomness that writes values the way partner staff do."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._phones: set[int] = set()

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, options: Sequence[T]) -> T:
        return options[self.rng.randrange(len(options))]

    def some(self, options: Sequence[T], low: int, high: int) -> list[T]:
        """Between ``low`` and ``high`` distinct options, in the list's order."""
        count = self.rng.randint(low, min(high, len(options)))
        chosen = sorted(self.rng.sample(range(len(options)), count))
        return [options[i] for i in chosen]

    def days_ago(self, low: int, high: int, today: dt.date) -> dt.date:
        return today - dt.timedelta(days=self.rng.randint(low, high))

    def date(self, day: dt.date) -> Cell:
        """A date as a date cell (mostly) or as typed text in Dutch, ISO or slash form."""
        roll = self.rng.random()
        if roll < 0.7:
            return day
        if roll < 0.85:
            return f"{day.day}-{day.month}-{day.year}"
        if roll < 0.95:
            return day.isoformat()
        return f"{day.day:02d}/{day.month:02d}/{day.year}"

    def yes(self) -> str:
        return self.pick(("ja", "ja", "ja", "ja", "Ja", "j", "x"))

    def no(self, blank: float = 0.0) -> Cell:
        """``nee`` (or ``n``), or an empty cell with probability ``blank`` (the default: no)."""
        if self.chance(blank):
            return None
        return self.pick(("nee", "nee", "nee", "Nee", "n"))

    def yesno(self, value: bool, blank: float = 0.0) -> Cell:
        return self.yes() if value else self.no(blank)

    def postcode(self, pc4: int) -> str:
        """A full postcode in one of the accepted spellings: ``2711 AB``, ``2711ab``, ``2711``."""
        letters = self.pick(POSTCODE_LETTERS) + self.pick(POSTCODE_LETTERS)
        roll = self.rng.random()
        if roll < 0.75:
            return f"{pc4} {letters}"
        if roll < 0.9:
            return f"{pc4}{letters.lower()}"
        return str(pc4)

    def phone(self) -> str:
        """An obviously fake mobile number, unique within the demo: ``06-1234xxxx`` (past
        8,000 people, as in a national-scale workbook, ``06-12xxxxxx``)."""
        space = 10_000 if len(self._phones) < 8_000 else 1_000_000
        while True:
            number = self.rng.randrange(space)
            if space == 1_000_000:
                if number not in self._phones and (number // 10_000 != 34):
                    self._phones.add(number)
                    return f"06-12{number:06d}"
            elif number not in self._phones:
                self._phones.add(number)
                return f"06-1234{number:04d}"

    def email(self, name: str) -> str:
        first, _, last = name.partition(" ")
        return f"{ascii_fold(first)}.{ascii_fold(last)}@example.nl"

    def days(self) -> str:
        """Available days: ``di, za``, ``woensdag; zaterdag``, ``weekend`` or ``doordeweeks``."""
        roll = self.rng.random()
        if roll < 0.12:
            return "weekend"
        if roll < 0.2:
            return "doordeweeks"
        picked = sorted(self.rng.sample(range(7), self.rng.randint(1, 3)))
        names = DAY_LONG if self.chance(0.25) else DAY_SHORT
        separator = "; " if self.chance(0.2) else ", "
        return separator.join(names[i] for i in picked)

    def listing(self, items: Sequence[str]) -> str:
        """Items joined the way people do: mostly commas, sometimes semicolons."""
        return ("; " if self.chance(0.15) else ", ").join(items)
