"""The words of the programme that the worker reads and writes: one home for each list.

Status and decision words are ``StrEnum``s, so code compares with names and the sheet still
shows the Dutch word; the schema's dropdown choices and the parsers read these same lists.
"""

from __future__ import annotations

import functools
import unicodedata
from enum import StrEnum


def word_key(value: object) -> str:
    """How a typed word is compared: case, accents, surrounding spaces and a closing full stop
    or exclamation mark do not matter (``Beeindigd.`` is ``beëindigd``)."""
    return _word_key(str(value) if value is not None else "")


@functools.lru_cache(maxsize=8192)
def _word_key(text: str) -> str:
    # Cached: a sheet repeats the same few words (actief, ja, telefoon) hundreds of
    # thousands of times, and this runs for every one of them.
    text = text.casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.strip().rstrip(".!").split())


class PersonStatus(StrEnum):
    """`Status` of a person row (Grootouders, Gezinnen, Ouderen)."""

    ACTIVE = "actief"
    PAUSED = "pauze"
    STOPPED = "gestopt"


class ProposalStatus(StrEnum):
    """`Status` of a proposal in Voorstellen or Hulpvoorstellen (worker-owned)."""

    OPEN = "open"
    MATCHED = "gekoppeld"
    REJECTED = "afgewezen"
    LAPSED = "vervallen"


class ProposalDecision(StrEnum):
    """`Besluit` on a proposal in Voorstellen or Hulpvoorstellen (the coordinator's)."""

    ACCEPT = "akkoord"
    REJECT = "afgewezen"


# Every word a `Besluit` in Voorstellen or Hulpvoorstellen understands, compared by
# ``word_key``; anything else is answered with a signal saying what to write.
ACCEPT_WORDS = frozenset(
    word_key(w)
    for w in (ProposalDecision.ACCEPT, "accoord", "akoord", "ja", "goedgekeurd", "goed",
              "ok", "oké", "prima", "koppelen", "gekoppeld", "doen")
)  # fmt: skip
REJECT_WORDS = frozenset(
    word_key(w)
    for w in (ProposalDecision.REJECT, "afwijzen", "afgekeurd", "nee", "niet", "geen",
              "niet akkoord", "niet doen")
)  # fmt: skip


class MatchStatus(StrEnum):
    """`Status` of a Koppeling (the coordinator's)."""

    ACTIVE = "actief"
    ENDED = "beëindigd"


class SuggestionStatus(StrEnum):
    """`Status` of an activity suggestion (worker-owned)."""

    OPEN = "open"
    SIGNED_UP = "aangemeld"
    DECLINED = "afgewezen"
    LAPSED = "vervallen"


class SuggestionDecision(StrEnum):
    """`Besluit` on an activity suggestion (partner staff's)."""

    SIGNED_UP = "aangemeld"
    NOT_INTERESTED = "geen interesse"


class SuggestionKind(StrEnum):
    """`Soort` of an activity suggestion: take part, or help prepare and run it."""

    JOIN = "deelnemen"
    HELP = "meehelpen"


class Contribution(StrEnum):
    """What older people offer (`Wil bijdragen`) and activities ask for (`Zoekt hulp bij`).

    Free words are allowed too; these are the words the dropdown-less columns suggest."""

    ORGANISE = "organiseren"
    HOST = "gastvrouw/gastheer"
    COOK = "koken"
    TELL = "vertellen"
    DRIVE = "rijden"
    CALL = "bellen"
    MUSIC = "muziek"


# How `Waarom` of a meehelpen suggestion says what someone offers ("wil koken en gastvrouw of
# gastheer zijn") and what an activity asks ("activiteit zoekt kookhulp"); other words:
# "helpen met <woord>" and "hulp bij <woord>".
OFFER_TEXT: dict[str, str] = {
    Contribution.ORGANISE: "organiseren",
    Contribution.HOST: "gastvrouw of gastheer zijn",
    Contribution.COOK: "koken",
    Contribution.TELL: "vertellen",
    Contribution.DRIVE: "rijden",
    Contribution.CALL: "bellen",
    Contribution.MUSIC: "muziek maken",
}
ASK_TEXT: dict[str, str] = {
    Contribution.ORGANISE: "hulp bij het organiseren",
    Contribution.HOST: "een gastvrouw of gastheer",
    Contribution.COOK: "kookhulp",
    Contribution.TELL: "een verteller",
    Contribution.DRIVE: "een chauffeur",
    Contribution.CALL: "iemand die belt",
    Contribution.MUSIC: "muziek",
}


# `Besluit` in Activiteitvoorstellen: also the words of the other decision columns.
SIGNUP_WORDS = frozenset(
    word_key(w)
    for w in (SuggestionDecision.SIGNED_UP, "aanmelden", "ingeschreven", "doet mee",
              "gaat mee", "komt", *ACCEPT_WORDS)
)  # fmt: skip
DECLINE_WORDS = frozenset(
    word_key(w)
    for w in (SuggestionDecision.NOT_INTERESTED, "geen interesse.", "niet geinteresseerd",
              "geen zin", "afgemeld", *REJECT_WORDS)
)  # fmt: skip


class ProgrammeSetting(StrEnum):
    """A programme's cell in Overzicht's `Instellingen` block (the coordinator's)."""

    GOES_AHEAD = "gaat door"
    PAUSED = "gepauzeerd"


# Every word that cell understands, compared by ``word_key``; empty is `gaat door`.
GOES_AHEAD_WORDS = frozenset(
    word_key(w)
    for w in (ProgrammeSetting.GOES_AHEAD, "door", "gaat door", "doorgaan", "ja", "actief",
              "aan", "loopt", "hervat", "hervatten")
)  # fmt: skip
PAUSE_WORDS = frozenset(
    word_key(w)
    for w in (ProgrammeSetting.PAUSED, "pauze", "pauzeren", "gepauseerd", "gepauzeert",
              "pauzeer", "stil", "staat stil", "stilgezet", "uit", "nee", "gaat niet door")
)  # fmt: skip


class SignalStatus(StrEnum):
    """`Status` of a signal (worker-owned; `Actie` is the human's)."""

    OPEN = "open"
    SNOOZED = "uitgesteld"
    IGNORED = "genegeerd"
    RESOLVED = "opgelost"


class SignalType(StrEnum):
    """`Type` of a signal that more than one wing reads (rules add their own types)."""

    LATE = "gesprek te laat"
    SOON = "gesprek binnenkort"
    DATA = "gegevens"
    DUPLICATE = "dubbel"
    POSSIBLE_DUPLICATE = "mogelijk dubbel"


class DuplicateAnswer(StrEnum):
    """What the coordinator writes in `Actie` of a `mogelijk dubbel` signal."""

    SAME = "zelfde persoon"
    DIFFERENT = "verschillend"


class Mobility(StrEnum):
    """`Mobiliteit` of an older person."""

    INDEPENDENT = "zelfstandig"
    WALKER = "rollator"
    WHEELCHAIR = "rolstoel"


class Frequency(StrEnum):
    """How often a volunteer and a family want to meet."""

    WEEKLY = "wekelijks"
    FORTNIGHTLY = "tweewekelijks"
    MONTHLY = "maandelijks"


class ConversationKind(StrEnum):
    """`Soort` of a conversation in Gesprekken."""

    INTAKE = "intake"
    INTRODUCTION = "kennismaking"
    EVALUATION = "evaluatie"
    MEANING = "zingeving"
    CONTACT = "contact"
    CLOSING = "afsluiting"
    NEIGHBOURHOOD = "wijkgesprek"  # with a neighbourhood, never about one person


class HelpKind(StrEnum):
    """`Soort` of a request for practical help (Hulpvragen) and `Soorten` a helper offers."""

    GROCERIES = "boodschappen"
    TRANSPORT = "vervoer"
    ODD_JOB = "klus"
    PHONE = "telefoon"
    COMPANY = "gezelschap"
    OTHER = "anders"


class Urgency(StrEnum):
    """`Urgentie` of a request for help, most urgent first."""

    TODAY = "vandaag"
    THIS_WEEK = "deze week"
    FLEXIBLE = "flexibel"


class HelpSource(StrEnum):
    """`Bron`: how a request for help reached the coalition (does the folder work?)."""

    PHONE = "telefoon"
    FOLDER = "folder"
    FORM = "formulier"
    REFERRER = "doorverwijzer"
    OTHER = "anders"


class TransportMode(StrEnum):
    """`Vervoer` a helper has."""

    CAR = "auto"
    BIKE = "fiets"
    NONE = "geen"


class HelpRequestStatus(StrEnum):
    """`Status` of a request for help (the partner's)."""

    OPEN = "open"
    HELPED = "geholpen"
    CANCELLED = "geannuleerd"


# `Wanneer` of a request for help that has no date: as soon as possible.
AS_SOON_AS_POSSIBLE = "zo snel mogelijk"


class EndReason(StrEnum):
    """Why a match ended, in groups: `Reden einde` is free text, and the report shows only
    these groups (never the text), so the words can also be offered in a dropdown."""

    MOVED = "verhuisd"
    HEALTH = "gezondheid of overlijden"
    NO_CLICK = "klikte niet"
    NO_TIME = "geen tijd meer"
    NOT_NEEDED = "niet meer nodig"
    OTHER = "andere reden"
    UNKNOWN = "niet ingevuld"


# A neighbourhood's code in `Betreft` or `Wijk` of a `wijkgesprek`: WIJK-ROKKEVEEN.
NEIGHBOURHOOD_PREFIX = "WIJK-"


def is_neighbourhood_code(text: str) -> bool:
    """Whether ``text`` has the form of a neighbourhood code (the prefix, then a name)."""
    code = text.strip().upper()
    rest = code.removeprefix(NEIGHBOURHOOD_PREFIX)
    return rest != code and bool(rest) and " " not in rest


YES, NO = "ja", "nee"

# Days are 0 = Monday … 6 = Sunday, as ``date.weekday()``.
DAY_NAMES = ("ma", "di", "wo", "do", "vr", "za", "zo")
MONTH_NAMES = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def choices(words: type[StrEnum]) -> tuple[str, ...]:
    """The Dutch words of an enum, in order, as plain strings (for dropdowns and parsers)."""
    return tuple(str(word) for word in words)


# Logboek rows of commands a person runs (not syncs) start with the command's name; the run
# counts (report, status, health) leave them out.
COMMAND_ROWS = ("anonimiseer",)


def is_sync_row(result: str) -> bool:
    """Whether a Logboek `Resultaat` is a sync's (ok / mislukt), not a command's."""
    return not result.strip().casefold().startswith(COMMAND_ROWS)
