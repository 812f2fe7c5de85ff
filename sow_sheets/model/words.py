"""The words of the programme that the worker reads and writes: one home for each list.

Status and decision words are ``StrEnum``s, so code compares with names and the sheet still
shows the Dutch word; the schema's dropdown choices and the parsers read these same lists.
"""

from __future__ import annotations

from enum import StrEnum


class PersonStatus(StrEnum):
    """`Status` of a person row (Grootouders, Gezinnen, Ouderen)."""

    ACTIVE = "actief"
    PAUSED = "pauze"
    STOPPED = "gestopt"


class ProposalStatus(StrEnum):
    """`Status` of a match proposal (worker-owned)."""

    OPEN = "open"
    MATCHED = "gekoppeld"
    REJECTED = "afgewezen"
    LAPSED = "vervallen"


class ProposalDecision(StrEnum):
    """`Besluit` on a match proposal (the coordinator's)."""

    ACCEPT = "akkoord"
    REJECT = "afgewezen"


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


YES, NO = "ja", "nee"

# Days are 0 = Monday … 6 = Sunday, as ``date.weekday()``.
DAY_NAMES = ("ma", "di", "wo", "do", "vr", "za", "zo")
MONTH_NAMES = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def choices(words: type[StrEnum]) -> tuple[str, ...]:
    """The Dutch words of an enum, in order, as plain strings (for dropdowns and parsers)."""
    return tuple(str(word) for word in words)
