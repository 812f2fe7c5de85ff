"""The sheet contract: every tab, its columns, their value kinds and header aliases.

Defaults follow docs/sheet-contract.md. Tab titles and headers can be renamed in the config;
code refers to tabs and columns by their stable ``key`` only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum

from sow_sheets.model.words import (
    NO,
    YES,
    ConversationKind,
    Frequency,
    HelpKind,
    HelpRequestStatus,
    HelpSource,
    MatchStatus,
    Mobility,
    PersonStatus,
    ProposalDecision,
    ProposalStatus,
    SignalStatus,
    SuggestionDecision,
    SuggestionStatus,
    TransportMode,
    Urgency,
    choices,
)


class Kind(Enum):
    """How a column's cells are parsed (see ``values.py``)."""

    ID = "id"
    TEXT = "text"
    PERSONAL = "personal"  # free text about a person: read, never echoed
    PHONE = "phone"
    EMAIL = "email"
    YEAR = "year"
    POSTCODE = "postcode"
    DATE = "date"
    YESNO = "yesno"
    STATUS = "status"
    DAYS = "days"
    FREQUENCY = "frequency"
    LIST = "list"
    AGE_RANGE = "age_range"
    AGES = "ages"
    COUNT = "count"
    KM = "km"
    LATITUDE = "latitude"
    LONGITUDE = "longitude"
    MOBILITY = "mobility"
    CONVERSATION = "conversation"
    MONEY = "money"
    TIME = "time"
    CHOICE = "choice"  # worker tabs: a value from ``choices``
    NUMBER = "number"
    MOMENT = "moment"  # a date with an optional time of day
    HELP_KIND = "help_kind"
    HELP_KINDS = "help_kinds"
    NEED_DATE = "need_date"  # a date, or zo snel mogelijk
    URGENCY = "urgency"
    SOURCE = "source"
    TRANSPORT = "transport"
    HELP_STATUS = "help_status"


@dataclass(frozen=True)
class Column:
    """One column of a tab. ``human`` marks the decision columns of a worker tab."""

    key: str
    header: str
    kind: Kind = Kind.TEXT
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    human: bool = False

    def names(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)

    @property
    def dropdown(self) -> tuple[str, ...]:
        """The values a dropdown on this column offers (none for free columns)."""
        return (YES, NO) if self.kind is Kind.YESNO else self.choices


@dataclass(frozen=True)
class TabSpec:
    """One tab. Human tabs are only read; worker tabs are merged by the key in column 1."""

    key: str
    title: str
    columns: tuple[Column, ...]
    worker: bool = False
    optional: bool = False
    id_prefix: str = ""
    # A form's responses tab (docs/forms.md): the record tab it feeds, the language of its
    # answers and its fixed organisation. Empty for every other tab.
    feeds: str = ""
    language: str = ""
    organisation: str = ""

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(f"{self.key} has no column {key!r}")

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def key_column(self) -> Column:
        return self.columns[0]


def normalize_header(text: object) -> str:
    """Headers match ignoring case, spaces and punctuation: ``E-mail`` equals `` email ``.

    Letters of every script count (a form's questions may be Turkish or Arabic)."""
    return "".join(c for c in str(text or "").casefold() if c.isalnum())


def _c(key: str, header: str, kind: Kind = Kind.TEXT, *aliases: str, **kw: object) -> Column:
    return Column(key, header, kind, tuple(aliases), **kw)  # type: ignore[arg-type]


_ID = _c("id", "ID", Kind.ID, "Nummer", "Code")
_NAME = _c("name", "Naam", Kind.PERSONAL, "Volledige naam")
_POSTCODE = _c("postcode", "Postcode", Kind.POSTCODE, "PC")
_PHONE = _c("phone", "Telefoon", Kind.PHONE, "Telefoonnummer", "Tel", "Mobiel")
_EMAIL = _c("email", "E-mail", Kind.EMAIL, "Email", "E-mailadres", "Mail")
_ORG = _c("organisation", "Organisatie", Kind.TEXT, "Partner", "Organisation")
_INTAKE = _c("intake_date", "Intakedatum", Kind.DATE, "Intake", "Datum intake")
_STATUS = _c("status", "Status", Kind.STATUS, choices=choices(PersonStatus))
_CONSENT = _c("consent", "Toestemming", Kind.YESNO, "Toestemming koppelen", "Akkoord")
_FREQ = _c("frequency", "Frequentie", Kind.FREQUENCY, choices=choices(Frequency))
_CONTACT = _c("contact_kinds", "Soort contact", Kind.LIST, "Contact", "Soort")
_DAYS = _c("days", "Dagen", Kind.DAYS, "Beschikbare dagen", "Dag")
_LANGS = _c("languages", "Talen", Kind.LIST, "Taal")
_INTERESTS = _c("interests", "Interesses", Kind.LIST, "Hobby's", "Hobbys")
_NOTES = _c("notes", "Opmerkingen", Kind.PERSONAL, "Notities", "Opmerking")
_LAT = _c("latitude", "Breedtegraad", Kind.LATITUDE, "Latitude", "Lat")
_LON = _c("longitude", "Lengtegraad", Kind.LONGITUDE, "Longitude", "Lon", "Lng")
_VOG = _c("vog_date", "VOG-datum", Kind.DATE, "VOG", "Datum VOG")
_MAX_KM = _c("max_km", "Max afstand (km)", Kind.KM, "Max afstand", "Maximale afstand")

GROOTOUDERS = TabSpec(
    "grootouders",
    "Grootouders",
    (
        _ID,
        _NAME,
        _c("birth_year", "Geboortejaar", Kind.YEAR),
        _POSTCODE,
        _PHONE,
        _EMAIL,
        _ORG,
        _INTAKE,
        _STATUS,
        _CONSENT,
        _VOG,
        _MAX_KM,
        _c("max_families", "Max gezinnen", Kind.COUNT, "Maximaal aantal gezinnen"),
        _FREQ,
        _CONTACT,
        _DAYS,
        _c("child_ages", "Leeftijd kinderen", Kind.AGE_RANGE, "Leeftijden kinderen"),
        _LANGS,
        _INTERESTS,
        _c("pets", "Huisdieren", Kind.YESNO, "Huisdier"),
        _c("smokes", "Rookt", Kind.YESNO, "Roker"),
        _NOTES,
        _LAT,
        _LON,
    ),
    id_prefix="GO",
)

GEZINNEN = TabSpec(
    "gezinnen",
    "Gezinnen",
    (
        _ID,
        _c("name", "Naam", Kind.PERSONAL, "Contactpersoon", "Naam ouder"),
        _POSTCODE,
        _PHONE,
        _EMAIL,
        _ORG,
        _INTAKE,
        _STATUS,
        _CONSENT,
        _c("children", "Kinderen", Kind.AGES, "Leeftijden", "Leeftijd kinderen"),
        _FREQ,
        _CONTACT,
        _DAYS,
        _LANGS,
        _INTERESTS,
        _c("no_pets", "Geen huisdieren", Kind.YESNO),
        _c("smoke_free", "Rookvrij", Kind.YESNO),
        _NOTES,
        _LAT,
        _LON,
    ),
    id_prefix="GZ",
)

OUDEREN = TabSpec(
    "ouderen",
    "Ouderen",
    (
        _ID,
        _NAME,
        _c("birth_year", "Geboortejaar", Kind.YEAR),
        _POSTCODE,
        _ORG,
        _c("contact_person", "Contactpersoon", Kind.PERSONAL),
        _INTAKE,
        _STATUS,
        _CONSENT,
        _INTERESTS,
        _c(
            "mobility",
            "Mobiliteit",
            Kind.MOBILITY,
            choices=choices(Mobility),
        ),
        _c("needs_transport", "Vervoer nodig", Kind.YESNO, "Vervoer"),
        _NOTES,
        _LAT,
        _LON,
    ),
    id_prefix="OU",
)

ACTIVITEITEN = TabSpec(
    "activiteiten",
    "Activiteiten",
    (
        _ID,
        _c("title", "Titel", Kind.TEXT, "Naam", "Activiteit"),
        _ORG,
        _c("programme", "Programma", Kind.TEXT),
        _c("date", "Datum", Kind.DATE),
        _c("time", "Tijd", Kind.TIME, "Tijdstip", "Aanvang"),
        _c("location", "Locatie", Kind.TEXT, "Plaats", "Adres"),
        _POSTCODE,
        _c("themes", "Thema's", Kind.LIST, "Themas", "Thema"),
        _c("wheelchair", "Rolstoeltoegankelijk", Kind.YESNO, "Rolstoel"),
        _c("transport", "Vervoer geregeld", Kind.YESNO, "Vervoer"),
        _c("cost", "Kosten", Kind.MONEY, "Prijs"),
        _c("places", "Plaatsen", Kind.COUNT, "Capaciteit", "Aantal plaatsen"),
        _c("registration", "Aanmelden", Kind.YESNO, "Aanmelding nodig"),
        _LAT,
        _LON,
    ),
    id_prefix="AC",
)

GESPREKKEN = TabSpec(
    "gesprekken",
    "Gesprekken",
    (
        _c("date", "Datum", Kind.DATE),
        _c("subject", "Betreft", Kind.ID, "ID", "Over"),
        _c("kind", "Soort", Kind.CONVERSATION, "Soort gesprek", choices=choices(ConversationKind)),
        _c("by", "Door", Kind.PERSONAL, "Gevoerd door"),
        _ORG,
        _c("note", "Notitie", Kind.PERSONAL, "Notities", "Verslag"),
        _c("next_due", "Volgende gesprek", Kind.DATE, "Volgend gesprek"),
    ),
)

DEELNAMES = TabSpec(
    "deelnames",
    "Deelnames",
    (
        _c("date", "Datum", Kind.DATE),
        _c("elder", "Oudere", Kind.ID),
        _c("activity", "Activiteit", Kind.ID),
    ),
    optional=True,
)

VOORSTELLEN = TabSpec(
    "voorstellen",
    "Voorstellen",
    (
        _c("key", "Voorstel", Kind.ID),
        _c("date", "Datum", Kind.DATE),
        _c("volunteer", "Grootouder", Kind.ID),
        _c("volunteer_name", "Naam grootouder"),
        _c("family", "Gezin", Kind.ID),
        _c("family_name", "Naam gezin"),
        _c("organisation", "Organisatie"),  # the family's partner: a filter view per partner
        _c("score", "Score", Kind.NUMBER),
        _c("km", "Afstand (km)", Kind.NUMBER, "Afstand"),
        _c("why", "Waarom"),
        _c("warnings", "Let op"),
        _c("alternatives", "Alternatieven"),
        _c("status", "Status", Kind.CHOICE, choices=choices(ProposalStatus)),
        _c("decision", "Besluit", Kind.CHOICE, choices=choices(ProposalDecision), human=True),
        _c("comment", "Toelichting", human=True),
    ),
    worker=True,
)

KOPPELINGEN = TabSpec(
    "koppelingen",
    "Koppelingen",
    (
        _c("key", "Koppeling", Kind.ID),
        _c("volunteer", "Grootouder", Kind.ID),
        _c("volunteer_name", "Naam grootouder"),
        _c("family", "Gezin", Kind.ID),
        _c("family_name", "Naam gezin"),
        _c("start", "Startdatum", Kind.DATE),
        _c("proposal", "Voorstel", Kind.ID),
        _c("status", "Status", Kind.CHOICE, choices=choices(MatchStatus), human=True),
        _c("end", "Einddatum", Kind.DATE, human=True),
        _c("end_reason", "Reden einde", human=True),
    ),
    worker=True,
)

ACTIVITEITVOORSTELLEN = TabSpec(
    "activiteitvoorstellen",
    "Activiteitvoorstellen",
    (
        _c("key", "Suggestie", Kind.ID),
        _c("date", "Datum", Kind.DATE),
        _c("elder", "Oudere", Kind.ID),
        _c("name", "Naam"),
        _c("organisation", "Organisatie"),  # the older person's partner
        _c("activity", "Activiteit", Kind.ID),
        _c("title", "Titel"),
        _c("when", "Wanneer"),
        _c("location", "Locatie"),
        _c("km", "Afstand (km)", Kind.NUMBER, "Afstand"),
        _c("why", "Waarom"),
        _c("status", "Status", Kind.CHOICE, choices=choices(SuggestionStatus)),
        _c(
            "decision",
            "Besluit",
            Kind.CHOICE,
            choices=choices(SuggestionDecision),
            human=True,
        ),
        _c("comment", "Toelichting", human=True),
    ),
    worker=True,
)

SIGNALEN = TabSpec(
    "signalen",
    "Signalen",
    (
        _c("key", "Signaal", Kind.ID),
        _c("type", "Type"),
        _c("subject", "Betreft", Kind.ID),
        _c("name", "Naam"),
        _c("organisation", "Organisatie"),
        _c("description", "Omschrijving"),
        _c("due", "Uiterlijk", Kind.DATE),
        _c("days_late", "Dagen te laat", Kind.NUMBER),
        _c("status", "Status", Kind.CHOICE, choices=choices(SignalStatus)),
        _c("resolved", "Opgelost op", Kind.DATE),
        _c("action", "Actie", Kind.TEXT, human=True),
        _c("comment", "Toelichting", human=True),
    ),
    worker=True,
)

LOGBOEK = TabSpec(
    "logboek",
    "Logboek",
    (
        _c("start", "Start"),
        _c("duration", "Duur (s)", Kind.NUMBER),
        _c("result", "Resultaat"),
        _c("rows_read", "Rijen gelezen", Kind.NUMBER),
        _c("proposals", "Voorstellen", Kind.NUMBER),
        _c("matches", "Koppelingen", Kind.NUMBER),
        _c("signals_open", "Signalen open", Kind.NUMBER),
        _c("problems", "Problemen", Kind.NUMBER),
        _c("version", "Versie"),
        _c("mail", "E-mail"),  # what the run's e-mails did (sent, or failed and why)
    ),
    worker=True,
)

HULPVRAGEN = TabSpec(
    "hulpvragen",
    "Hulpvragen",
    (
        _ID,
        _c("asked", "Datum", Kind.MOMENT, "Datum gevraagd", "Gevraagd op"),
        _NAME,
        _POSTCODE,
        _PHONE,
        _ORG,
        _c("kind", "Soort", Kind.HELP_KIND, "Soort hulp", "Hulp", choices=choices(HelpKind)),
        _c("needed", "Wanneer", Kind.NEED_DATE, "Nodig op", "Datum nodig"),
        _c("urgency", "Urgentie", Kind.URGENCY, "Spoed", choices=choices(Urgency)),
        _c("source", "Bron", Kind.SOURCE, "Via", "Aangemeld via", choices=choices(HelpSource)),
        _CONSENT,
        _c("status", "Status", Kind.HELP_STATUS, choices=choices(HelpRequestStatus)),
        _NOTES,
        _LAT,
        _LON,
    ),
    optional=True,
    id_prefix="HV",
)

HULPAANBOD = TabSpec(
    "hulpaanbod",
    "Hulpaanbod",
    (
        _ID,
        _NAME,
        _POSTCODE,
        _PHONE,
        _EMAIL,
        _ORG,
        _INTAKE,
        _STATUS,
        _CONSENT,
        _c("kinds", "Soorten", Kind.HELP_KINDS, "Soorten hulp", "Soort hulp", "Soort"),
        _DAYS,
        _c("transport", "Vervoer", Kind.TRANSPORT, choices=choices(TransportMode)),
        _MAX_KM,
        _c("max_per_week", "Max per week", Kind.COUNT, "Maximaal per week", "Keer per week"),
        _VOG,
        _NOTES,
        _LAT,
        _LON,
    ),
    optional=True,
    id_prefix="HA",
)

HULPVOORSTELLEN = TabSpec(
    "hulpvoorstellen",
    "Hulpvoorstellen",
    (
        _c("key", "Voorstel", Kind.ID),
        _c("date", "Datum", Kind.DATE),
        _c("request", "Hulpvraag", Kind.ID),
        _c("kind", "Soort"),
        _c("helper", "Helper", Kind.ID),
        _c("helper_name", "Naam helper"),
        _c("rank", "Rang", Kind.NUMBER),
        _c("km", "Afstand (km)", Kind.NUMBER, "Afstand"),
        _c("why", "Waarom"),
        _c("status", "Status", Kind.CHOICE, choices=choices(ProposalStatus)),
        _c("decision", "Besluit", Kind.CHOICE, choices=choices(ProposalDecision), human=True),
        _c("comment", "Toelichting", human=True),
    ),
    worker=True,
)

HUMAN_TABS: tuple[TabSpec, ...] = (
    GROOTOUDERS,
    GEZINNEN,
    OUDEREN,
    ACTIVITEITEN,
    GESPREKKEN,
    DEELNAMES,
    HULPVRAGEN,
    HULPAANBOD,
)
WORKER_TABS: tuple[TabSpec, ...] = (
    VOORSTELLEN,
    KOPPELINGEN,
    ACTIVITEITVOORSTELLEN,
    HULPVOORSTELLEN,
    SIGNALEN,
    LOGBOEK,
)


@dataclass(frozen=True)
class Schema:
    """All tabs, after the config's renames. Look tabs up by key."""

    tabs: tuple[TabSpec, ...] = HUMAN_TABS + WORKER_TABS

    def tab(self, key: str) -> TabSpec:
        for tab in self.tabs:
            if tab.key == key:
                return tab
        raise KeyError(key)

    @property
    def human_tabs(self) -> tuple[TabSpec, ...]:
        return tuple(t for t in self.tabs if not t.worker)

    def forms_of(self, key: str) -> tuple[TabSpec, ...]:
        """The responses tabs of forms that feed the record tab ``key``."""
        return tuple(t for t in self.tabs if t.feeds == key)

    def without_forms(self) -> Schema:
        """The schema minus forms' responses tabs (`init` never creates those: the form does)."""
        return Schema(tuple(t for t in self.tabs if not t.feeds))

    def renamed(self, titles: dict[str, str], headers: dict[str, dict[str, str]]) -> Schema:
        """A schema with tab titles and column headers replaced (keys as in the config).

        A renamed header keeps the default header as an alias, so a sheet with either works.
        """
        tabs = []
        for tab in self.tabs:
            columns = []
            for col in tab.columns:
                new = headers.get(tab.key, {}).get(col.key)
                if new and new != col.header:
                    col = replace(col, header=new, aliases=(col.header, *col.aliases))
                columns.append(col)
            tabs.append(replace(tab, title=titles.get(tab.key, tab.title), columns=tuple(columns)))
        return Schema(tuple(tabs))


DEFAULT_SCHEMA = Schema()


@dataclass(frozen=True)
class HeaderMap:
    """Where each known column of a tab sits in the sheet (0-based), found from row 1."""

    positions: dict[str, int]
    missing: tuple[str, ...]


def map_headers(spec: TabSpec, header_row: Sequence[object]) -> HeaderMap:
    """Find each column of ``spec`` in a header row by header or alias.

    The first match wins for a name; a column that is not present is listed in ``missing``.
    """
    by_name: dict[str, int] = {}
    for index, text in enumerate(header_row):
        norm = normalize_header(text)
        if norm and norm not in by_name:
            by_name[norm] = index
    positions: dict[str, int] = {}
    taken: set[int] = set()
    missing = []
    for column in spec.columns:
        found: int | None = None
        for name in column.names():
            candidate = by_name.get(normalize_header(name))
            if candidate is not None and candidate not in taken:
                found = candidate
                break
        if found is None:
            missing.append(column.key)
        else:
            positions[column.key] = found
            taken.add(found)
    return HeaderMap(positions, tuple(missing))
