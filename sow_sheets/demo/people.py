"""The synthetic people of the demo: Grootouders, Gezinnen and Ouderen rows.

Each person keeps the true values the generator chose (intake date, status, consent, VOG) next
to the cells as typed, so the conversation log can be arranged around them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sow_sheets.demo.names import (
    AGE_RANGES,
    CONTACT_KINDS,
    ELDER_INTERESTS,
    FREQUENCIES,
    INTERESTS,
    MOBILITY,
    NOTES_ELDER,
    NOTES_FAMILY,
    NOTES_VOLUNTEER,
    OLDER_MEN,
    OLDER_WOMEN,
    OTHER_LANGUAGES,
    PARENTS,
    PARTNERS_ELDERS,
    PARTNERS_FAMILIES,
    PARTNERS_VOLUNTEERS,
    POSTCODE_LETTERS,
    RELATIVES,
    STAFF,
    SURNAMES,
    ZOETERMEER_PC4,
)
from sow_sheets.demo.typist import Typist, add_years
from sow_sheets.model.cells import Cell

VOG_VALID_YEARS = 3


@dataclass
class DemoPerson:
    """One generated row: its true facts and its cells by schema column key."""

    id: str
    name: str
    organisation: str
    intake: dt.date
    status: str
    consent: bool
    cells: dict[str, Cell] = field(default_factory=dict)
    vog: dt.date | None = None  # volunteers only

    @property
    def eligible(self) -> bool:
        return self.status == "actief" and self.consent

    def vog_valid(self, today: dt.date, margin_days: int = 0) -> bool:
        """VOG present and still valid ``margin_days`` after today."""
        if self.vog is None:
            return False
        expiry = add_years(self.vog, VOG_VALID_YEARS)
        return expiry > today + dt.timedelta(days=margin_days)


class Namer:
    """Synthetic names, unique across the whole demo."""

    def __init__(self, typist: Typist) -> None:
        self.typist = typist
        self.used: set[str] = set()

    def name(self, first_names: Sequence[str]) -> str:
        """A first name and a surname; at national scale, with an initial between them once
        the plain combinations run out (and, past that, a name may repeat, as in life)."""
        pick = self.typist.pick
        for attempt in range(60):
            if attempt < 20:
                name = f"{pick(first_names)} {pick(SURNAMES)}"
            else:
                name = f"{pick(first_names)} {pick(POSTCODE_LETTERS)}. {pick(SURNAMES)}"
            if name not in self.used:
                self.used.add(name)
                return name
        return name


def _status(t: Typist) -> str:
    roll = t.rng.random()
    return "actief" if roll < 0.85 else "pauze" if roll < 0.93 else "gestopt"


def _status_cell(t: Typist, status: str) -> Cell:
    # An empty Status means actief (the default); some partners leave it empty.
    return None if status == "actief" and t.chance(0.15) else status


def _intake(t: Typist, today: dt.date, status: str, oldest: int) -> dt.date:
    if status == "gestopt":
        return t.days_ago(300, oldest + 300, today)
    return t.days_ago(3, oldest, today)


def _languages(t: Typist, diverse: float) -> Cell:
    roll = t.rng.random()
    if roll < 0.05:
        return None  # default Nederlands
    if roll < 1 - diverse:
        return "Nederlands"
    other = t.pick(OTHER_LANGUAGES)
    if t.chance(0.2):
        return f"{other}, Engels" if other != "Engels" else "Engels"
    return t.listing(["Nederlands", other] if t.chance(0.7) else [other, "Nederlands"])


def _base(
    t: Typist,
    namer: Namer,
    first_names: Sequence[str],
    partners: Sequence[str],
    today: dt.date,
    oldest: int,
) -> DemoPerson:
    status = _status(t)
    consent = not t.chance(0.06)
    intake = _intake(t, today, status, oldest)
    person = DemoPerson("", namer.name(first_names), t.pick(partners), intake, status, consent)
    person.cells = {
        "name": person.name,
        "postcode": t.postcode(t.pick(ZOETERMEER_PC4)),
        "organisation": person.organisation,
        "intake_date": t.date(intake),
        "status": _status_cell(t, status),
        "consent": t.yesno(consent),
    }
    return person


def _numbered(people: list[DemoPerson], prefix: str) -> list[DemoPerson]:
    """Sheet order is intake order; IDs count up in that order."""
    people.sort(key=lambda p: p.intake)
    for number, person in enumerate(people, start=1):
        person.id = f"{prefix}-{number:04d}"
        person.cells["id"] = person.id
    return people


def _vog(t: Typist, today: dt.date) -> dt.date | None:
    roll = t.rng.random()
    if roll < 0.72:
        return t.days_ago(20, 1000, today)  # valid
    if roll < 0.8:
        return t.days_ago(1010, 1090, today)  # expires within ~3 months
    if roll < 0.9:
        return t.days_ago(1100, 1600, today)  # expired
    return None  # never handed in


def volunteers(t: Typist, namer: Namer, today: dt.date, count: int) -> list[DemoPerson]:
    """Grootouders: older volunteers, most with a valid VOG."""
    people = []
    for _ in range(count):
        person = _base(t, namer, OLDER_WOMEN + OLDER_MEN, PARTNERS_VOLUNTEERS, today, 1000)
        person.vog = _vog(t, today)
        c = person.cells
        c["birth_year"] = today.year - t.rng.randint(58, 82)
        c["phone"] = t.phone()
        c["email"] = t.email(person.name) if t.chance(0.8) else None
        c["vog_date"] = t.date(person.vog) if person.vog else None
        c["max_km"] = t.pick((2, 3, 3, 4, 5, 5, 5, 6, 8, 2.5, 3.5, None))
        c["max_families"] = t.pick((1, 1, 1, 1, 1, 1, 2, 2, None))
        c["frequency"] = t.pick(FREQUENCIES)
        c["contact_kinds"] = t.listing(t.some(CONTACT_KINDS, 1, 3))
        c["days"] = t.days()
        c["child_ages"] = t.pick(AGE_RANGES) if t.chance(0.9) else None
        c["languages"] = _languages(t, 0.15)
        c["interests"] = t.listing(t.some(INTERESTS, 2, 4))
        c["pets"] = t.yesno(t.chance(0.2), blank=0.2)
        c["smokes"] = t.yesno(t.chance(0.1), blank=0.2)
        c["notes"] = t.pick(NOTES_VOLUNTEER) if t.chance(0.25) else None
        people.append(person)
    return _numbered(people, "GO")


def set_vog(t: Typist, person: DemoPerson, vog: dt.date) -> None:
    """Give a volunteer a specific VOG date (used for volunteers in demo matches)."""
    person.vog = vog
    person.cells["vog_date"] = t.date(vog)


def _children(t: Typist) -> str:
    ages = sorted({t.rng.randint(0, 12) for _ in range(t.pick((1, 1, 2, 2, 2, 3)))})
    return ("; " if t.chance(0.2) else ", ").join(str(a) for a in ages)


def families(t: Typist, namer: Namer, today: dt.date, count: int) -> list[DemoPerson]:
    """Gezinnen: young families without grandparents nearby."""
    people = []
    for _ in range(count):
        person = _base(t, namer, PARENTS, PARTNERS_FAMILIES, today, 800)
        c = person.cells
        c["phone"] = t.phone()
        c["email"] = t.email(person.name) if t.chance(0.9) else None
        c["children"] = _children(t)
        c["frequency"] = t.pick(FREQUENCIES)
        c["contact_kinds"] = t.listing(t.some(CONTACT_KINDS, 1, 3))
        c["days"] = t.days()
        c["languages"] = _languages(t, 0.3)
        c["interests"] = t.listing(t.some(INTERESTS, 1, 4))
        c["no_pets"] = t.yesno(t.chance(0.25), blank=0.4)
        c["smoke_free"] = t.yesno(t.chance(0.35), blank=0.4)
        c["notes"] = t.pick(NOTES_FAMILY) if t.chance(0.3) else None
        people.append(person)
    return _numbered(people, "GZ")


def elders(t: Typist, namer: Namer, today: dt.date, count: int) -> list[DemoPerson]:
    """Ouderen: older residents at risk of isolation, known to a partner."""
    people = []
    for _ in range(count):
        first_names = OLDER_WOMEN + OLDER_WOMEN + OLDER_MEN
        person = _base(t, namer, first_names, PARTNERS_ELDERS, today, 900)
        mobility = t.pick(MOBILITY)
        transport_share = {"zelfstandig": 0.1, "rollator": 0.5, "rolstoel": 0.8}[mobility]
        c = person.cells
        c["birth_year"] = today.year - t.rng.randint(68, 96)
        if t.chance(0.7):
            c["contact_person"] = f"{t.pick(RELATIVES)} {t.pick(OLDER_WOMEN + PARENTS)}"
        else:
            c["contact_person"] = t.pick(STAFF)
        c["interests"] = t.listing(t.some(ELDER_INTERESTS, 1, 4))
        c["mobility"] = mobility if mobility != "zelfstandig" or t.chance(0.8) else None
        c["needs_transport"] = t.yesno(t.chance(transport_share), blank=0.3)
        c["notes"] = t.pick(NOTES_ELDER) if t.chance(0.25) else None
        people.append(person)
    return _numbered(people, "OU")
