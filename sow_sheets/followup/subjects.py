"""What the follow-up rules look at: a match or a person with its conversations and dates."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from sow_sheets.model.records import Family, Match, Person, Records, Volunteer


class Talk(NamedTuple):
    """A conversation as the rules need it; sorted by date, then sheet row."""

    day: int  # date ordinal
    row: int
    kind: str
    next_due: dt.date | None  # `Volgende gesprek`


def _when(talk: Talk) -> tuple[int, int]:
    """By date, then sheet row, so "the latest conversation" is well defined."""
    return talk.day, talk.row


@dataclass
class Subject:
    """A match or a person: what the conversation rules look at."""

    id: str
    name: str
    organisation: str
    talks: list[Talk] = field(default_factory=list)  # sorted by date, then row
    # Clock → date; "base" starts the contact interval when there is no conversation yet.
    anchors: dict[str, dt.date | None] = field(default_factory=dict)
    events: list[int] = field(default_factory=list)  # attended activity date ordinals

    @property
    def latest(self) -> Talk | None:
        return self.talks[-1] if self.talks else None

    @functools.cached_property
    def days(self) -> list[int]:
        """The date ordinals of every conversation, for rules that any kind satisfies."""
        return [t.day for t in self.talks]


def talks_by_subject(records: Records, today: dt.date) -> dict[str, list[Talk]]:
    """Each subject's conversations up to ``today`` (later ones have not happened yet)."""
    talks: dict[str, list[Talk]] = defaultdict(list)
    for c in records.conversations:
        if c.date <= today:
            talks[c.subject].append(Talk(c.date.toordinal(), c.row, c.kind, c.next_due))
    for listed in talks.values():
        listed.sort(key=_when)
    return talks


def person_subject(
    person: Person,
    talks: list[Talk] | None = None,
    anchors: dict[str, dt.date | None] | None = None,
    events: list[int] | None = None,
) -> Subject:
    """A person as a subject; the name only with consent (docs/sheet-contract.md, privacy)."""
    name = person.name if person.consent else ""
    return Subject(person.id, name, person.organisation, talks or [], anchors or {}, events or [])


def match_subject(
    match: Match,
    volunteers: Mapping[str, Volunteer],
    families: Mapping[str, Family],
    talks: Mapping[str, list[Talk]],
) -> Subject:
    """A match as a subject: conversations about its key or either party count for it.

    Its organisation is the family's (the family's partner follows the household), else the
    volunteer's; its name joins the names of the parties who gave consent.
    """
    volunteer = volunteers.get(match.volunteer)
    family = families.get(match.family)
    parties = (match.key, match.volunteer, match.family)
    joined = sorted((t for s in parties for t in talks.get(s, ())), key=_when)
    names = [p.name for p in (volunteer, family) if p is not None and p.consent and p.name]
    organisation = (family.organisation if family else "") or (
        volunteer.organisation if volunteer else ""
    )
    anchors = {"start": match.start, "end": match.end, "base": match.start}
    return Subject(match.key, " / ".join(names), organisation, joined, anchors)
