"""The demo's older people as contributors, its neighbourhood conversations and a cancelled
activity: a few people offer something (`Wil bijdragen`), some activities ask for help
(`Zoekt hulp bij`, `Hulphanden`), a handful of conversations with Rokkeveen (`wijkgesprek`), and
one upcoming activity that does not go ahead (`Gaat door` nee) with people already signed up
in Activiteitvoorstellen, as an earlier run and partner staff left them.

Drawn after every other tab, so the randomness of the rest of the demo stays as it was.
"""

from __future__ import annotations

import datetime as dt

from sow_sheets.demo.calendar import DemoActivity
from sow_sheets.demo.names import PARTNERS_ELDERS, STAFF
from sow_sheets.demo.people import DemoPerson
from sow_sheets.demo.typist import Typist
from sow_sheets.model.cells import Cell
from sow_sheets.model.dutch import day_date_text

ROKKEVEEN = "WIJK-ROKKEVEEN"
FARM = "ontmoetingsruimte kinderboerderij"
WIJK_THEMES = (FARM, "activiteiten voor ouderen", "ontmoeten jong en oud", "verkeer", "eenzaamheid")
WIJK_NOTES = (
    "Gesprek met bewoners bij de kinderboerderij over een gezamenlijke ontmoetingsruimte.",
    "Bewonersavond in het wijkcentrum; veel ideeën voor de kinderboerderij.",
    "Koffieochtend met de bewonerscommissie.",
)
WIJK_TALKS = 6
# What older people offer, typed as staff do (a free word included).
OFFERS = (
    "koken", "kok; gastvrouw", "Rijden", "verhalen vertellen", "bellen, muziek", "organiseren",
    "gastheer", "koken, breien",
)  # fmt: skip
ASKS = (("koken", 2), ("gastvrouw/gastheer, koken", None), ("rijden", 1))
SIGNED_UP = 3


def add_voices(
    t: Typist, today: dt.date, elders: list[DemoPerson], calendar: list[DemoActivity]
) -> tuple[list[tuple[dt.date, dict[str, Cell]]], list[dict[str, Cell]]]:
    """Mark contributors and activities asking for help (in their cells), cancel one upcoming
    activity; returns the Rokkeveen conversations (with their dates) and the
    Activiteitvoorstellen sign-ups."""
    able = [e for e in elders if e.eligible and e.id and e.cells.get("name") == e.name]
    for person, offer in zip(t.rng.sample(able, len(OFFERS)), OFFERS, strict=True):
        person.cells["offers"] = offer
    near = [a for a in calendar if today < a.date <= today + dt.timedelta(days=42)]
    cancelled, *asking = near[1 : 2 + len(ASKS)]  # the first one stays open to everyone
    for activity, (asks, hands) in zip(asking, ASKS, strict=False):
        activity.cells["asks"] = asks
        activity.cells["helper_places"] = hands
        activity.cells["goes_ahead"] = "ja"
    cancelled.cells["goes_ahead"] = "nee"
    return _wijk_talks(t, today), _sign_ups(t, today, cancelled, able)


def _wijk_talks(t: Typist, today: dt.date) -> list[tuple[dt.date, dict[str, Cell]]]:
    rows: list[tuple[dt.date, dict[str, Cell]]] = []
    for k in range(WIJK_TALKS, 0, -1):
        day = today - dt.timedelta(days=11 * k + t.rng.randint(0, 3))
        themes = [FARM, *t.some(WIJK_THEMES[1:], 0, 2)] if k != 3 else t.some(WIJK_THEMES[1:], 1, 2)
        by_column = k == 2  # one typed with the code in `Wijk` and `Betreft` left empty
        rows.append(
            (
                day,
                {
                    "date": t.date(day),
                    "subject": None if by_column else ROKKEVEEN,
                    "kind": "wijkgesprek",
                    "by": t.pick(STAFF),
                    "organisation": t.pick(PARTNERS_ELDERS),
                    "note": t.pick(WIJK_NOTES),
                    "wijk": ROKKEVEEN if by_column else None,
                    "themes": ", ".join(themes),
                },
            )
        )
    return rows


def _sign_ups(
    t: Typist, today: dt.date, activity: DemoActivity, able: list[DemoPerson]
) -> list[dict[str, Cell]]:
    asked = today - dt.timedelta(days=t.rng.randint(5, 9))
    when = f"{day_date_text(activity.date)} {activity.cells['time']}"
    rows: list[dict[str, Cell]] = []
    people = sorted(t.rng.sample(able, SIGNED_UP), key=lambda p: p.id)
    for number, person in enumerate(people, start=1):
        rows.append(
            {
                "key": f"AS-{number:04d}",
                "date": asked,
                "kind": "deelnemen",
                "elder": person.id,
                "name": person.name,
                "activity": activity.id,
                "title": activity.cells["title"],
                "when": when,
                "location": activity.cells["location"],
                "status": "aangemeld",
                "decision": "aangemeld",
            }
        )
    return rows
