"""A national-scale synthetic workbook for benchmarks: the demo's people, calendar and
conversation log, generated at the size of a national programme.

    tables = national_tables(dt.date(2026, 11, 27))         # ~273,000 rows, reproducible
    tables = national_tables(dt.date(2026, 11, 27), scale=0.1)  # a tenth, for quick checks

The default size is 10,000 Grootouders, 10,000 Gezinnen, 50,000 Ouderen, 2,000 Activiteiten
and 200,000 Gesprekken, with 4,000 Koppelingen typed in before the tool and the attendance of
past activities. Every ID is unique and every row has one (no blank IDs to fill), so a second
sync on an unchanged workbook is a true no-edit run. Demo mistakes are left out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from sow_sheets.demo.calendar import DemoActivity, activities, attendances
from sow_sheets.demo.conversations import (
    MATCH_PLANS,
    conversation_cells,
    conversations,
    match_cells,
    matches,
)
from sow_sheets.demo.data import table_of
from sow_sheets.demo.people import Namer, elders, families, volunteers
from sow_sheets.demo.typist import Typist
from sow_sheets.model.cells import Cell
from sow_sheets.model.schema import (
    ACTIVITEITEN,
    DEELNAMES,
    GESPREKKEN,
    GEZINNEN,
    GROOTOUDERS,
    KOPPELINGEN,
    OUDEREN,
)

VOLUNTEERS = 10_000
FAMILIES = 10_000
ELDERS = 50_000
ACTIVITIES = 2_000
CONVERSATIONS = 200_000
MATCHES = 4_000


def _calendar(t: Typist, today: dt.date, count: int) -> list[DemoActivity]:
    """``count`` activities: the demo calendar drawn again and again, renumbered AC-0001 up."""
    result: list[DemoActivity] = []
    while len(result) < count:
        result += activities(t, today)
    result = sorted(result[:count], key=lambda a: a.date)
    renumbered = []
    for number, activity in enumerate(result, start=1):
        key = f"AC-{number:04d}"
        renumbered.append(
            dataclasses.replace(activity, id=key, cells={**activity.cells, "id": key})
        )
    return renumbered


def national_tables(
    today: dt.date, seed: int = 2026, scale: float = 1.0
) -> dict[str, list[list[Cell]]]:
    """Tab title → rows (row 0 the header) of the national-scale workbook; ``scale`` shrinks
    or grows every count alike."""

    def n(count: int) -> int:
        return max(len(MATCH_PLANS), round(count * scale))

    t = Typist(random.Random(seed))
    namer = Namer(t)
    vols = volunteers(t, namer, today, n(VOLUNTEERS))
    fams = families(t, namer, today, n(FAMILIES))
    elds = elders(t, namer, today, n(ELDERS))
    calendar = _calendar(t, today, n(ACTIVITIES))
    plans = (MATCH_PLANS * (n(MATCHES) // len(MATCH_PLANS) + 1))[: n(MATCHES)]
    kept = matches(t, today, vols, fams, plans)
    attended = attendances(t, today, elds, calendar)
    talks = conversations(t, today, n(CONVERSATIONS), vols + fams, elds, kept, attended, plans)
    return {
        GROOTOUDERS.title: table_of(GROOTOUDERS, (p.cells for p in vols)),
        GEZINNEN.title: table_of(GEZINNEN, (p.cells for p in fams)),
        OUDEREN.title: table_of(OUDEREN, (p.cells for p in elds)),
        ACTIVITEITEN.title: table_of(ACTIVITEITEN, (a.cells for a in calendar)),
        GESPREKKEN.title: table_of(GESPREKKEN, (conversation_cells(t, c) for c in talks)),
        DEELNAMES.title: table_of(
            DEELNAMES,
            ({"date": t.date(a.date), "elder": a.elder, "activity": a.activity} for a in attended),
        ),
        KOPPELINGEN.title: table_of(KOPPELINGEN, (match_cells(t, m) for m in kept)),
    }
