"""Conversations with neighbourhoods (`wijkgesprek`): how many per wijk, and how often each
theme came up, per period. Never about people: the rows name a neighbourhood, not a person.

    counts = neighbourhood_counts(records.conversations, first, last)
    counts.table()  # [["Thema", "WIJK-ROKKEVEEN", "Alle wijken"], ["Gesprekken", 14, 14], ...]

Pure: conversations in, counts out; the report (``figures.py``) and the `Overzicht` block
(``overview.py``) show the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sow_sheets.model.cells import Cell
from sow_sheets.model.records import Conversation

ALL_NEIGHBOURHOODS = "Alle wijken"
CONVERSATIONS_ROW = "Gesprekken"
NO_THEME = "(geen thema)"


@dataclass(frozen=True)
class NeighbourhoodCounts:
    """Per wijk the conversations, and per (wijk, theme) how many conversations named it."""

    first: dt.date
    last: dt.date
    conversations: Counter[str]
    themes: Counter[tuple[str, str]]

    @property
    def neighbourhoods(self) -> list[str]:
        return sorted(self.conversations)

    @property
    def theme_names(self) -> list[str]:
        """Themes by how often they came up (most first), then by name."""
        total: Counter[str] = Counter()
        for (_, theme), n in self.themes.items():
            total[theme] += n
        return sorted(total, key=lambda t: (-total[t], t))

    def theme_total(self, theme: str) -> int:
        return sum(n for (_, t), n in self.themes.items() if t == theme)

    def table(self) -> list[list[Cell]]:
        """A wijk × thema table: a header row, the conversations, then one row per theme;
        the last column is all neighbourhoods together."""
        wijken = self.neighbourhoods
        rows: list[list[Cell]] = [["Thema", *wijken, ALL_NEIGHBOURHOODS]]
        rows.append(
            [
                CONVERSATIONS_ROW,
                *(self.conversations[w] for w in wijken),
                sum(self.conversations.values()),
            ]
        )
        for theme in self.theme_names:
            rows.append([theme, *(self.themes[w, theme] for w in wijken), self.theme_total(theme)])
        return rows

    def lines(self) -> list[str]:
        """One Dutch line per theme: "ontmoetingsruimte kinderboerderij: 14×"."""
        return [f"{t}: {self.theme_total(t)}×" for t in self.theme_names]


def neighbourhood_counts(
    conversations: Iterable[Conversation], first: dt.date, last: dt.date
) -> NeighbourhoodCounts:
    """Count the `wijkgesprek` conversations dated ``first`` .. ``last`` (both included):
    each conversation once for its wijk, and once for each theme it names (a conversation
    without themes counts under "(geen thema)")."""
    per_wijk: Counter[str] = Counter()
    per_theme: Counter[tuple[str, str]] = Counter()
    for c in conversations:
        if not c.neighbourhood or not first <= c.date <= last:
            continue
        per_wijk[c.subject] += 1
        for theme in sorted(c.themes) or [NO_THEME]:
            per_theme[c.subject, theme] += 1
    return NeighbourhoodCounts(first, last, per_wijk, per_theme)
