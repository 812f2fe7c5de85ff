"""Someone who submits a form twice: a signal asks which response stands, and until the
coordinator answers in `Actie` the newer one sits out of matching (docs/forms.md).

Two responses that feed the same record tab are the same person when they share an e-mail
address or a phone number (normalised while reading). Nothing is merged or overwritten.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sow_sheets.model.cells import canonical
from sow_sheets.model.findings import Finding
from sow_sheets.model.words import SignalType
from sow_sheets.model.worktab import WorkerRow
from sow_sheets.reading.validation import FormResponse

NEWEST, FIRST, BOTH = "nieuwste geldt", "eerste geldt", "beide"
ACTIONS = (NEWEST, FIRST, BOTH)


@dataclass(frozen=True)
class Review:
    """What the resubmissions ask (one finding per undecided pair) and which responses'
    records sit out of this run's matching."""

    findings: tuple[Finding, ...] = ()
    sit_out: frozenset[str] = frozenset()


def signal_key(older: FormResponse, newer: FormResponse) -> str:
    """The stable key of the signal about one pair (IDs never change once written)."""
    return f"formulier:{older.id}:{newer.id}"


def _action(row: WorkerRow | None) -> str:
    if row is None:
        return ""
    text = " ".join(canonical(row.get("action")).casefold().split()).rstrip(".")
    return text if text in ACTIONS else ""


def _order(response: FormResponse) -> tuple[dt.date, str, int]:
    return (response.when or dt.date.min, response.tab, response.row)


def pairs(responses: list[FormResponse]) -> list[tuple[FormResponse, FormResponse]]:
    """(earlier, later) for each response and the last earlier one from the same person."""
    found = []
    last: dict[tuple[str, str], FormResponse] = {}
    for response in sorted(responses, key=_order):
        earlier = [
            last[(response.feeds, c)] for c in response.contact if (response.feeds, c) in last
        ]
        if earlier:
            found.append((max(earlier, key=_order), response))
        for contact in response.contact:
            last[(response.feeds, contact)] = response
    return found


def review(responses: list[FormResponse], signals: list[WorkerRow]) -> Review:
    """The findings and sit-outs of every resubmission, given the coordinator's `Actie`s."""
    by_key = {row.key: row for row in signals}
    findings: list[Finding] = []
    out: set[str] = set()
    for older, newer in pairs(responses):
        key = signal_key(older, newer)
        action = _action(by_key.get(key))
        if action == NEWEST:
            out.add(older.id)
        elif action == FIRST:
            out.add(newer.id)
        elif action != BOTH:
            out.add(newer.id)
            findings.append(
                Finding(
                    key=key,
                    type=SignalType.DUPLICATE,
                    subject=newer.id,
                    description=(
                        f'Tab "{newer.tab}", rij {newer.row} ({newer.id}) heeft hetzelfde '
                        f'e-mailadres of telefoonnummer als tab "{older.tab}", rij {older.row} '
                        f"({older.id}): iemand heeft het formulier twee keer ingevuld. Welke "
                        f"aanmelding geldt? Schrijf in Actie: {NEWEST}, {FIRST} of {BOTH}. "
                        f"Tot dan doet {newer.id} nog niet mee."
                    ),
                    organisation=newer.organisation,
                    actions=f"'{NEWEST}', '{FIRST}' of '{BOTH}'",
                )
            )
    return Review(tuple(findings), frozenset(out))
