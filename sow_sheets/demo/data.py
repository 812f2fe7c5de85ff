"""The synthetic Zoetermeer workbook of ``sow-sheets demo``: every human tab plus hand-typed
Koppelingen, as rows of cells.

The content is a made-up "Samen Ouder Worden" programme: random combinations of common
names, real Zoetermeer postcode areas, fake phone numbers (06-1234xxxx) and @example.nl
addresses. It is deterministic for a seed, and all dates are relative to ``today`` so that the
follow-up, matching and activity rules find something to say on whatever day the demo runs.
A handful of deliberate mistakes (``DEMO_MISTAKES``) show how data problems become signals.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sow_sheets.demo.calendar import activities, attendances
from sow_sheets.demo.conversations import (
    DemoConversation,
    conversation_cells,
    conversations,
    match_cells,
    matches,
)
from sow_sheets.demo.forms import form_tables
from sow_sheets.demo.help import BAD_WHEN, help_requests, helpers
from sow_sheets.demo.people import DemoPerson, Namer, elders, families, volunteers
from sow_sheets.demo.typist import Typist
from sow_sheets.demo.voices import add_voices
from sow_sheets.model.cells import Cell
from sow_sheets.model.schema import (
    ACTIVITEITEN,
    ACTIVITEITVOORSTELLEN,
    DEELNAMES,
    GESPREKKEN,
    GEZINNEN,
    GROOTOUDERS,
    HULPAANBOD,
    HULPVRAGEN,
    KOPPELINGEN,
    OUDEREN,
    TabSpec,
)

VOLUNTEER_COUNT = 40
FAMILY_COUNT = 60  # plus one row that repeats an ID (a deliberate mistake)
ELDER_COUNT = 80  # plus one new row without ID (a deliberate mistake)
CONVERSATION_COUNT = 300

FORMULA_NAME = '=HYPERLINK("http://example.nl";"klik")'
UNKNOWN_SUBJECT = "OU-0999"
BAD_POSTCODE = "27x"
BAD_CONSENT = "misschien"
BAD_CHILDREN = "drie"


@dataclass(frozen=True)
class DemoMistake:
    """A deliberate data mistake in the demo: where it is and what is wrong.

    ``value`` is the exact cell text where it is fixed ("" when it depends on the data:
    a duplicated or blank ID, a date in the current year).
    """

    tab: str
    column: str
    value: str
    what: str


def _header(tab: TabSpec, key: str) -> str:
    return tab.column(key).header


DEMO_MISTAKES: tuple[DemoMistake, ...] = (
    DemoMistake(GROOTOUDERS.title, _header(GROOTOUDERS, "postcode"), BAD_POSTCODE,
                "a postcode that is too short and has no letters"),
    DemoMistake(GROOTOUDERS.title, _header(GROOTOUDERS, "consent"), BAD_CONSENT,
                "consent that is neither yes nor no"),
    DemoMistake(GEZINNEN.title, _header(GEZINNEN, "intake_date"), "",
                "an impossible date: 31-02 of the current year"),
    DemoMistake(GEZINNEN.title, _header(GEZINNEN, "children"), BAD_CHILDREN,
                "children's ages written as a word instead of numbers"),
    DemoMistake(GEZINNEN.title, _header(GEZINNEN, "id"), "",
                "a second family row that copied the ID of the row above it"),
    DemoMistake(GESPREKKEN.title, _header(GESPREKKEN, "subject"), UNKNOWN_SUBJECT,
                "a conversation about an ID that exists in no tab"),
    DemoMistake(OUDEREN.title, _header(OUDEREN, "id"), "",
                "a newly added person without an ID; the sync fills it in"),
    DemoMistake(OUDEREN.title, _header(OUDEREN, "name"), FORMULA_NAME,
                "a name that looks like a formula; it must stay plain text"),
    DemoMistake(HULPVRAGEN.title, _header(HULPVRAGEN, "needed"), BAD_WHEN,
                "a date needed written in words instead of a date or 'zo snel mogelijk'"),
)  # fmt: skip


def impossible_date(today: dt.date) -> str:
    """The impossible date typed into Gezinnen: 31 February of ``today``'s year."""
    return f"31-02-{today.year}"


def table_of(tab: TabSpec, rows: Iterable[Mapping[str, Cell]]) -> list[list[Cell]]:
    """Header row (schema default headers, schema order) followed by the rows."""
    header: list[Cell] = list(tab.headers)
    return [header] + [[row.get(c.key) for c in tab.columns] for row in rows]


def _free(people: list[DemoPerson], taken: set[str]) -> list[DemoPerson]:
    return [p for p in people if p.id not in taken]


def _add_mistakes(
    t: Typist,
    today: dt.date,
    namer: Namer,
    people: tuple[list[DemoPerson], list[DemoPerson], list[DemoPerson]],
    taken: set[str],
    talks: list[DemoConversation],
) -> list[DemoConversation]:
    """Put every mistake of ``DEMO_MISTAKES`` into the data, away from demo matches."""
    vols, fams, elds = people
    bad_postcode, bad_consent = t.rng.sample(_free(vols, taken), 2)
    bad_postcode.cells["postcode"] = BAD_POSTCODE
    bad_consent.cells["consent"] = BAD_CONSENT
    bad_date, bad_children, copied = t.rng.sample(_free(fams, taken), 3)
    bad_date.cells["intake_date"] = impossible_date(today)
    bad_children.cells["children"] = BAD_CHILDREN
    twin = families(t, namer, today, 1)[0]
    twin.id = copied.id
    twin.cells["id"] = copied.id
    fams.insert(fams.index(copied) + 1, twin)
    newcomer = elders(t, namer, today, 1)[0]
    newcomer.id = ""
    newcomer.status = "actief"
    newcomer.cells["id"] = None
    newcomer.cells["status"] = "actief"
    newcomer.intake = today - dt.timedelta(days=t.rng.randint(1, 3))
    newcomer.cells["intake_date"] = t.date(newcomer.intake)
    elds.append(newcomer)
    formula = t.pick([e for e in _free(elds, taken) if e.eligible and e.id])
    formula.cells["name"] = FORMULA_NAME
    stray = DemoConversation(
        today - dt.timedelta(days=t.rng.randint(5, 40)), UNKNOWN_SUBJECT, "contact", "Humanitas"
    )
    return sorted([*talks, stray], key=lambda c: c.date)


def demo_tables(today: dt.date, seed: int = 2026) -> dict[str, list[list[Cell]]]:
    """Tab title → rows (row 0 is the header) of the synthetic demo workbook.

    Covers the human tabs of the schema (with the help strand's Hulpvragen and Hulpaanbod),
    Koppelingen (matches typed in by hand before the tool), Activiteitvoorstellen (sign-ups
    for an activity that was then cancelled, ``voices.py``) and two forms' responses tabs.
    Values are str, int, float, bool, ``datetime.date`` or None (empty).
    """
    t = Typist(random.Random(seed))
    namer = Namer(t)
    vols = volunteers(t, namer, today, VOLUNTEER_COUNT)
    fams = families(t, namer, today, FAMILY_COUNT)
    elds = elders(t, namer, today, ELDER_COUNT)
    calendar = activities(t, today)
    demo_matches = matches(t, today, vols, fams)
    attended = attendances(t, today, elds, calendar)
    talks = conversations(
        t, today, CONVERSATION_COUNT - 1, vols + fams, elds, demo_matches, attended
    )
    taken = {p.id for m in demo_matches for p in (m.volunteer, m.family)}
    taken |= {a.elder for a in attended}
    talks = _add_mistakes(t, today, namer, (vols, fams, elds), taken, talks)
    talk_rows = [(c.date, conversation_cells(t, c)) for c in talks]
    tables = {
        GROOTOUDERS.title: table_of(GROOTOUDERS, (p.cells for p in vols)),
        GEZINNEN.title: table_of(GEZINNEN, (p.cells for p in fams)),
        OUDEREN.title: table_of(OUDEREN, (p.cells for p in elds)),
        ACTIVITEITEN.title: table_of(ACTIVITEITEN, (a.cells for a in calendar)),
        GESPREKKEN.title: table_of(GESPREKKEN, (cells for _, cells in talk_rows)),
        DEELNAMES.title: table_of(
            DEELNAMES,
            ({"date": t.date(a.date), "elder": a.elder, "activity": a.activity} for a in attended),
        ),
        KOPPELINGEN.title: table_of(KOPPELINGEN, (match_cells(t, m) for m in demo_matches)),
    }
    # The help strand comes last, so the randomness of every other tab stays as it was.
    tables[HULPVRAGEN.title] = table_of(HULPVRAGEN, help_requests(t, namer, today))
    tables[HULPAANBOD.title] = table_of(HULPAANBOD, helpers(t, namer, today))
    # Then contributors, the Rokkeveen conversations and a cancelled activity with sign-ups.
    wijk_talks, sign_ups = add_voices(t, today, elds, calendar)
    tables[OUDEREN.title] = table_of(OUDEREN, (p.cells for p in elds))
    tables[ACTIVITEITEN.title] = table_of(ACTIVITEITEN, (a.cells for a in calendar))
    talk_rows = sorted([*talk_rows, *wijk_talks], key=lambda pair: pair[0])  # stable: by date
    tables[GESPREKKEN.title] = table_of(GESPREKKEN, (cells for _, cells in talk_rows))
    tables[ACTIVITEITVOORSTELLEN.title] = table_of(ACTIVITEITVOORSTELLEN, sign_ups)
    # Intake forms in Dutch and Turkish (their own randomness): read with DEMO_FORMS.
    tables.update(form_tables(today, seed))
    return tables
