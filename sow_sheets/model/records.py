"""Typed records: what validation makes of the rows of each tab.

The deciding modules (matching, follow-up, activities) work on these only, never on cells.
A field is ``None`` when its cell was empty or invalid (an invalid cell is also a signal).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from sow_sheets.model.geo import Point
from sow_sheets.model.words import (
    ConversationKind,
    HelpRequestStatus,
    PersonStatus,
    TransportMode,
    Urgency,
)

# Days are 0 = Monday … 6 = Sunday, as ``date.weekday()``.
Days = frozenset[int]


@dataclass(frozen=True, slots=True)
class Person:
    """What every person tab shares. ``row`` is the sheet row number (1-based)."""

    id: str
    row: int
    name: str
    organisation: str
    intake_date: dt.date | None
    status: str  # actief / pauze / gestopt
    consent: bool
    point: Point | None  # from postcode centroid or Breedtegraad/Lengtegraad
    # Column keys whose cells were invalid (each is also a `gegevens` signal).
    invalid: frozenset[str] = frozenset()

    @property
    def eligible(self) -> bool:
        """Active, consenting and free of bad cells: only they get proposals or suggestions.

        A row with a bad cell waits until the signal about it is resolved, so a typo in
        `Kinderen` can never let a family through the age check.
        """
        return hold_reason(self, "") is None


def hold_reason(person: Person, who: str) -> str | None:
    """Why ``person`` may not be used by any engine today (Dutch, naming ``who``), or None.

    The one eligibility rule every engine applies (matching, activities, help): consent,
    status `actief`, and no open data signal about one of the row's cells.
    """
    if not person.consent:
        return f"{who} heeft geen toestemming (meer)"
    if person.status != PersonStatus.ACTIVE:
        return f"{who} heeft status {person.status or 'onbekend'}"
    if person.invalid:
        return f"een cel van {who} klopt niet (zie Signalen)"
    return None


@dataclass(frozen=True, slots=True)
class Volunteer(Person):
    """A row of Grootouders: an older volunteer who may become a bonus grandparent."""

    birth_year: int | None = None
    vog_date: dt.date | None = None
    max_km: float = 5.0
    max_families: int = 1
    frequency: str | None = None  # wekelijks / tweewekelijks / maandelijks
    contact_kinds: frozenset[str] = frozenset()
    days: Days = frozenset()
    child_ages: tuple[int, int] | None = None  # inclusive range; None = any age
    languages: frozenset[str] = frozenset({"nederlands"})
    interests: frozenset[str] = frozenset()
    pets: bool = False
    smokes: bool = False


@dataclass(frozen=True, slots=True)
class Family(Person):
    """A row of Gezinnen: a young family looking for a bonus grandparent."""

    children: tuple[int, ...] = ()
    frequency: str | None = None
    contact_kinds: frozenset[str] = frozenset()
    days: Days = frozenset()
    languages: frozenset[str] = frozenset({"nederlands"})
    interests: frozenset[str] = frozenset()
    no_pets: bool = False
    smoke_free: bool = False


@dataclass(frozen=True, slots=True)
class Elder(Person):
    """A row of Ouderen: an older resident at risk of isolation, known to a partner."""

    birth_year: int | None = None
    interests: frozenset[str] = frozenset()
    mobility: str = "zelfstandig"  # zelfstandig / rollator / rolstoel
    needs_transport: bool = False
    offers: frozenset[str] = frozenset()  # `Wil bijdragen`: what they would help with


@dataclass(frozen=True, slots=True)
class Helper(Person):
    """A row of Hulpaanbod: a local helper for practical requests (groceries, transport...)."""

    kinds: frozenset[str] = frozenset()  # help kinds offered; empty = every kind
    days: Days = frozenset()  # empty = any day
    transport: str = TransportMode.NONE  # auto / fiets / geen
    max_km: float = 5.0
    max_per_week: int = 2  # accepted help per week at most
    vog_date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class HelpRequest:
    """A row of Hulpvragen: someone asked a partner for practical help.

    Not a ``Person``: its `Status` is the request's (open / geholpen / geannuleerd).
    """

    id: str
    row: int
    name: str
    organisation: str
    asked: dt.date | None  # `Datum`: the day it was asked
    asked_time: dt.time | None  # and the time, when typed
    point: Point | None
    kind: str | None  # boodschappen / vervoer / klus / telefoon / gezelschap / anders
    needed: dt.date | None  # `Wanneer`; None = zo snel mogelijk
    urgency: str = Urgency.FLEXIBLE
    source: str | None = None  # `Bron`; None = not filled in
    consent: bool = False
    status: str = HelpRequestStatus.OPEN
    # Column keys whose cells were invalid (each is also a `gegevens` signal).
    invalid: frozenset[str] = frozenset()

    @property
    def awaiting_help(self) -> bool:
        """Open, consenting and free of bad cells: the request counterpart of
        ``Person.eligible``, deciding who gets helpers proposed."""
        return self.status == HelpRequestStatus.OPEN and self.consent and not self.invalid


@dataclass(frozen=True, slots=True)
class Activity:
    """A row of Activiteiten: one dated activity in the coalition calendar."""

    id: str
    row: int
    title: str
    organisation: str
    programme: str
    date: dt.date | None
    time: str
    location: str
    point: Point | None
    themes: frozenset[str] = frozenset()
    wheelchair: bool = False
    transport: bool = False
    cost: float = 0.0
    places: int | None = None  # None = no limit
    registration: bool = False
    asks: frozenset[str] = frozenset()  # `Zoekt hulp bij`: what helpers it asks for
    helper_places: int | None = None  # `Hulphanden`; None = the [activities] default
    goes_ahead: bool = True  # `Gaat door`: nee = cancelled
    # Column keys whose cells were invalid: such an activity is not suggested until fixed.
    invalid: frozenset[str] = frozenset()

    @property
    def usable(self) -> bool:
        """Free of bad cells: an activity with an open data signal is not suggested."""
        return not self.invalid


@dataclass(frozen=True, slots=True)
class Conversation:
    """A row of Gesprekken."""

    row: int
    date: dt.date
    subject: str  # a person ID or a Koppeling key; a wijkgesprek: its neighbourhood code
    kind: str  # intake / kennismaking / evaluatie / zingeving / contact / afsluiting / ...
    organisation: str = ""
    next_due: dt.date | None = None
    themes: frozenset[str] = frozenset()  # `Thema's` (wijkgesprek)

    @property
    def neighbourhood(self) -> bool:
        """A conversation with a neighbourhood (`wijkgesprek`): counted, never personal."""
        return self.kind == ConversationKind.NEIGHBOURHOOD


@dataclass(frozen=True, slots=True)
class Attendance:
    """A row of Deelnames: an older person attended an activity."""

    row: int
    date: dt.date
    elder: str
    activity: str


@dataclass(frozen=True, slots=True)
class Match:
    """A row of Koppelingen: a volunteer and a family matched (by the tool or by hand)."""

    key: str
    row: int
    volunteer: str
    family: str
    start: dt.date | None
    proposal: str = ""
    active: bool = True
    end: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Identity:
    """The cells of a person row that tell who it is: what duplicate detection compares.

    ``tab`` is the schema key (grootouders, gezinnen, ouderen, hulpvragen, hulpaanbod); empty
    or invalid cells are "" or None.
    """

    tab: str
    id: str
    row: int
    organisation: str
    name: str
    phone: str = ""
    email: str = ""
    birth_year: int | None = None
    pc4: int | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    """A bad cell (or row), located, with the Dutch form expected. Becomes a `gegevens` signal."""

    tab: str  # tab title as in the sheet
    row: int
    column: str  # header as in the sheet ("" for a whole-row problem)
    value: str
    expected: str
    subject: str = ""  # the row's ID when known
    organisation: str = ""
    kind: str = "gegevens"  # gegevens / dubbel
    private: bool = False  # contact data: the value is never quoted in the sheet

    def message(self) -> str:
        """The Dutch text for `Omschrijving`; a private value is named, never quoted."""
        where = f'tab "{self.tab}", rij {self.row}'
        if self.column:
            where += f', kolom "{self.column}"'
        if self.private:
            return f"{where}: verwacht {self.expected} (de waarde zelf staat hier niet)"
        return f'{where}: verwacht {self.expected}, gevonden "{self.value}"'


@dataclass
class Records:
    """Everything validation produced from one read of the spreadsheet."""

    volunteers: list[Volunteer] = field(default_factory=list)
    families: list[Family] = field(default_factory=list)
    elders: list[Elder] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    conversations: list[Conversation] = field(default_factory=list)
    attendances: list[Attendance] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    help_requests: list[HelpRequest] = field(default_factory=list)
    helpers: list[Helper] = field(default_factory=list)
    identities: list[Identity] = field(default_factory=list)  # every person row, for duplicates
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=_Identified)


def first_by_id(rows: Iterable[R]) -> dict[str, R]:
    """Rows by ID; with a duplicated ID the first row wins (duplicates are a signal)."""
    found: dict[str, R] = {}
    for row in rows:
        if row.id and row.id not in found:
            found[row.id] = row
    return found
