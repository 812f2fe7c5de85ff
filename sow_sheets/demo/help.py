"""The help strand of the demo: Hulpvragen and Hulpaanbod, as Zoetermeer's partners ran their
practical help in the corona period (groceries, transport, odd jobs, a phone call, company).

Requests came in by phone, through the door-to-door folder, a web form or a referrer, about
five a day lately; most older ones are helped, a few cancelled, a few never closed. Helpers
mostly signed up in recent weeks. Some situations are always there, on any day and seed:

- an urgent (`vandaag`) transport request from the east of town that no helper can take,
  because everyone who drives or cycles lives in the west and goes at most 3 km;
- a long-standing helper who only offers `anders`, which no open request asks for, so nobody
  has asked them for more than 60 days;
- a helper who offers `gezelschap` with a VOG that has expired;
- a `Wanneer` written in words (a deliberate mistake, see ``DEMO_MISTAKES``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sow_sheets.demo.names import OLDER_MEN, OLDER_WOMEN, PARENTS, ZOETERMEER_PC4
from sow_sheets.demo.people import Namer
from sow_sheets.demo.typist import Typist
from sow_sheets.model.cells import Cell

PARTNERS_HELP: tuple[str, ...] = (
    "Zoetermeer voor Elkaar",
    "UVV Zoetermeer",
    "Piëzo",
    "Palet Welzijn",
    "Stichting Present",
    "Gemeente Zoetermeer",
)
WEST_PC4: tuple[int, ...] = (2713, 2715, 2716, 2719)  # at least 3.9 km from EAST_PC4
EAST_PC4 = 2721
HELPER_COUNT = 30  # plus the idle helper and the one with an expired VOG
REQUEST_COUNT = 24  # plus the urgent one nobody can take and the one with a mistake
BAD_WHEN = "na het weekend"

KINDS: tuple[str, ...] = ("boodschappen",) * 8 + ("vervoer",) * 4 + ("klus",) * 3
KINDS += ("telefoon",) * 2 + ("gezelschap",) * 3
OFFERED = ("boodschappen", "vervoer", "klus", "telefoon", "gezelschap")
URGENCIES = ("vandaag",) * 2 + ("spoed",) + ("deze week",) * 5 + ("flexibel",) * 4
SOURCES: tuple[str | None, ...] = ("folder",) * 7 + ("telefoon",) * 6 + ("doorverwijzer",) * 3
SOURCES += ("formulier",) * 3 + ("anders", None)
NOTES_REQUEST = (
    "Slecht ter been",
    "Hoort slecht, rustig praten",
    "Graag vóór 12 uur bellen",
    "Dochter woont in het buitenland",
    "Net uit het ziekenhuis",
    "Heeft een hond",
)
NOTES_HELPER = (
    "Student, vooral 's middags",
    "Werkt vanuit huis",
    "Gepensioneerd, veel tijd",
    "Liever niet met honden",
)


@dataclass
class DemoRow:
    """One generated row, and the facts the generator chose, by schema column key."""

    sort: dt.datetime
    cells: dict[str, Cell] = field(default_factory=dict)


def _moment(t: Typist, asked: dt.datetime) -> Cell:
    """`Datum` as typed: mostly with the time, sometimes only the date."""
    roll = t.rng.random()
    if roll < 0.6:
        return f"{asked.day}-{asked.month}-{asked.year} {asked:%H:%M}"
    if roll < 0.75:
        return f"{asked:%Y-%m-%d %H:%M}"
    return t.date(asked.date())


def _asap(t: Typist) -> str:
    return t.pick(("zo snel mogelijk", "zo snel mogelijk", "zsm", "Zo snel mogelijk"))


def _when(t: Typist, urgency: str, asked: dt.date) -> tuple[Cell, dt.date | None]:
    """`Wanneer` as typed for a request asked on ``asked``, and the date it means."""
    if urgency in ("vandaag", "spoed"):
        return (_asap(t), None) if t.chance(0.7) else (t.date(asked), asked)
    if urgency == "deze week":
        if t.chance(0.35):
            return _asap(t), None
        day = asked + dt.timedelta(days=t.rng.randint(1, 6))
        return t.date(day), day
    if t.chance(0.2):
        return None, None
    day = asked + dt.timedelta(days=t.rng.randint(3, 21))
    return t.date(day), day


def _request(t: Typist, namer: Namer, today: dt.date, ago: int) -> DemoRow:
    day = today - dt.timedelta(days=ago)
    hour = t.rng.randint(7, 8) if ago == 0 else t.rng.randint(8, 19)
    asked = dt.datetime.combine(day, dt.time(hour, t.pick((0, 5, 10, 20, 30, 40, 45, 55))))
    urgency = t.pick(URGENCIES)
    when, needed = _when(t, urgency, day)
    status = "open"
    if (needed is not None and needed < today) or ago > 7:
        status = t.pick(("geholpen",) * 15 + ("geannuleerd",) * 2 + ("open",) * 3)
    kind = t.pick(KINDS) if status == "open" else t.pick((*KINDS, "anders"))
    row = DemoRow(asked)
    row.cells = {
        "asked": _moment(t, asked),
        "name": namer.name(OLDER_WOMEN + OLDER_WOMEN + OLDER_MEN),
        "postcode": t.postcode(t.pick(ZOETERMEER_PC4)),
        "phone": t.phone(),
        "organisation": t.pick(PARTNERS_HELP),
        "kind": kind,
        "needed": when,
        "urgency": urgency,
        "source": t.pick(SOURCES),
        "consent": t.yesno(not t.chance(0.05)),
        "status": None if status == "open" and t.chance(0.4) else status,
        "notes": t.pick(NOTES_REQUEST) if t.chance(0.3) else None,
    }
    return row


def help_requests(t: Typist, namer: Namer, today: dt.date) -> list[dict[str, Cell]]:
    """Hulpvragen rows (oldest first, IDs ``HV-0001`` …), with the fixed situations."""
    # About five a day lately, fewer in the weeks before.
    ages = [t.rng.randint(0, 2) if i % 2 else t.rng.randint(3, 20) for i in range(REQUEST_COUNT)]
    rows = [_request(t, namer, today, ago) for ago in ages]
    # Yesterday evening, by phone: a ride to hospital today, from the east of town.
    asked = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(19, 40))
    unreachable = DemoRow(asked)
    unreachable.cells = {
        "asked": f"{asked.day}-{asked.month}-{asked.year} 19:40",
        "name": namer.name(OLDER_WOMEN),
        "postcode": t.postcode(EAST_PC4),
        "phone": t.phone(),
        "organisation": "UVV Zoetermeer",
        "kind": "vervoer",
        "needed": "zo snel mogelijk",
        "urgency": "vandaag",
        "source": "telefoon",
        "consent": t.yes(),
        "status": "open",
        "notes": "Afspraak in het ziekenhuis, kan niet met de bus",
    }
    mistake = _request(t, namer, today, 1)
    mistake.cells.update(needed=BAD_WHEN, status="open", urgency="deze week")
    rows += [unreachable, mistake]
    rows.sort(key=lambda r: r.sort)
    for number, row in enumerate(rows, start=1):
        row.cells["id"] = f"HV-{number:04d}"
    return [row.cells for row in rows]


def _helper(t: Typist, namer: Namer, today: dt.date) -> DemoRow:
    intake = today - dt.timedelta(days=t.rng.randint(5, 55))
    kinds = t.some(OFFERED, 1, 3)
    transport = t.pick(("auto", "fiets", "fiets", "geen", "geen"))
    drives = "vervoer" in kinds and transport != "geen"
    if "vervoer" in kinds and transport == "geen":
        transport = "fiets"
        drives = True
    pc4 = t.pick(WEST_PC4) if drives else t.pick(ZOETERMEER_PC4)
    name = namer.name(PARENTS + OLDER_WOMEN + OLDER_MEN)
    vog: dt.date | None = None
    if "gezelschap" in kinds or t.chance(0.2):
        vog = t.days_ago(30, 900, today)
    row = DemoRow(dt.datetime.combine(intake, dt.time()))
    row.cells = {
        "name": name,
        "postcode": t.postcode(pc4),
        "phone": t.phone(),
        "email": t.email(name) if t.chance(0.85) else None,
        "organisation": t.pick(PARTNERS_HELP),
        "intake_date": t.date(intake),
        "status": t.pick(("actief",) * 10 + (None, None, "pauze")),
        "consent": t.yesno(not t.chance(0.04)),
        "kinds": t.listing(kinds),
        "days": t.days(),
        "transport": transport,
        "max_km": t.pick((2, 2.5, 3)) if drives else t.pick((1, 2, 3, 3, 5, None)),
        "max_per_week": t.pick((1, 2, 2, 3, 3, 5, None)),
        "vog_date": t.date(vog) if vog else None,
        "notes": t.pick(NOTES_HELPER) if t.chance(0.25) else None,
    }
    return row


def helpers(t: Typist, namer: Namer, today: dt.date) -> list[dict[str, Cell]]:
    """Hulpaanbod rows (in intake order, IDs ``HA-0001`` …), with the fixed situations."""
    rows = [_helper(t, namer, today) for _ in range(HELPER_COUNT)]
    idle = _helper(t, namer, today)
    intake = today - dt.timedelta(days=t.rng.randint(75, 200))
    idle.sort = dt.datetime.combine(intake, dt.time())
    idle.cells.update(
        intake_date=t.date(intake),
        status="actief",
        consent=t.yes(),
        kinds="anders",
        transport="geen",
        notes="Computerhulp en formulieren invullen",
    )
    expired = _helper(t, namer, today)
    expired.cells.update(
        status="actief",
        consent=t.yes(),
        kinds="gezelschap, boodschappen",
        transport="geen",
        vog_date=t.date(t.days_ago(1100, 1300, today)),
    )
    rows += [idle, expired]
    rows.sort(key=lambda r: r.sort)
    for number, row in enumerate(rows, start=1):
        row.cells["id"] = f"HA-{number:04d}"
    return [row.cells for row in rows]
