"""The Hulpvoorstellen lifecycle: carry the coordinator's decisions through, re-check the rest.

Per existing row, in sheet order: ``afgewezen`` closes it for good (also a link already made:
the helper could not after all) and the pair is never proposed again; ``akkoord`` links that
helper to the request (``gekoppeld``) unless the request already has one or someone withdrew;
every other open proposal stays as it is while all hard rules still hold, and otherwise lapses
(``vervallen``) with the reason in ``Waarom``. Human columns are never written.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from sow_sheets.help.rules import Terms, Week, pair_problem, week_of
from sow_sheets.help.settings import HelpSettings
from sow_sheets.model.cells import Cell, canonical
from sow_sheets.model.errors import ValueProblem
from sow_sheets.model.keys import next_number
from sow_sheets.model.records import Helper, HelpRequest, hold_reason
from sow_sheets.model.words import (
    ACCEPT_WORDS,
    REJECT_WORDS,
    HelpRequestStatus,
    ProposalStatus,
    word_key,
)
from sow_sheets.model.worktab import Desired, WorkerRow
from sow_sheets.reading.values import parse_date

Pair = tuple[str, str]  # (request ID, helper ID)


@dataclass(frozen=True)
class ProposalRow:
    """One existing row of Hulpvoorstellen, read."""

    row: WorkerRow
    request: str
    helper: str
    status: str
    decision: str
    rank: int | None
    date: dt.date | None


@dataclass
class HelpLifecycle:
    """What the existing rows mean for this run."""

    updates: Desired = field(default_factory=dict)  # changes to existing rows
    linked: dict[str, str] = field(default_factory=dict)  # request → its helper
    accepted: Counter[tuple[str, Week]] = field(default_factory=Counter)  # linked help per week
    open_count: Counter[str] = field(default_factory=Counter)  # open proposals per request
    first_load: Counter[tuple[str, Week]] = field(default_factory=Counter)  # open Rang 1
    rejected: set[Pair] = field(default_factory=set)
    last_asked: dict[str, dt.date] = field(default_factory=dict)  # helper → last proposal
    next_number: int = 1
    linked_now: int = 0
    rejected_now: int = 0
    expired: int = 0


def _date(value: Cell) -> dt.date | None:
    try:
        return parse_date(value)
    except ValueProblem:
        return None


def _rank(value: Cell) -> int | None:
    text = canonical(value)
    return int(text) if text.isdecimal() else None


def read_rows(rows: list[WorkerRow]) -> list[ProposalRow]:
    """The rows in sheet order, with the cells the lifecycle uses parsed."""
    out = []
    for r in sorted(rows, key=lambda w: w.row):
        out.append(
            ProposalRow(
                r,
                canonical(r.get("request")),
                canonical(r.get("helper")),
                " ".join(canonical(r.get("status")).casefold().split()),
                word_key(r.get("decision")),
                _rank(r.get("rank")),
                _date(r.get("date")),
            )
        )
    return out


class _Run:
    """One pass over the rows; the state the steps share."""

    def __init__(
        self,
        requests: Mapping[str, HelpRequest],
        helpers: Mapping[str, Helper],
        today: dt.date,
        settings: HelpSettings,
    ) -> None:
        self.requests, self.helpers = requests, helpers
        self.today, self.settings = today, settings
        self.life = HelpLifecycle()

    def expire(self, row: ProposalRow, reason: str) -> None:
        self.life.updates[row.row.key] = {
            "status": ProposalStatus.LAPSED,
            "why": f"vervallen: {reason}",
        }
        self.life.expired += 1

    def accept_problem(self, row: ProposalRow) -> str | None:
        """Why ``akkoord`` cannot link this helper: the coordinator spoke to both, so only
        what makes the link impossible counts (not distance, days or the weekly maximum)."""
        request, helper = self.requests.get(row.request), self.helpers.get(row.helper)
        if request is None:
            return "hulpvraag staat niet meer in Hulpvragen"
        if helper is None:
            return "helper staat niet meer in Hulpaanbod"
        if request.status == HelpRequestStatus.CANCELLED:
            return "hulpvraag is geannuleerd"
        if row.request in self.life.linked:
            return "hulpvraag heeft al een helper"
        if not request.consent:
            return "hulpvraag heeft geen toestemming (meer)"
        return hold_reason(helper, "helper")

    def help_week(self, row: ProposalRow) -> Week:
        """The week a help counts in: its `Wanneer`, or the day it was proposed."""
        request = self.requests.get(row.request)
        day = request.needed if request is not None and request.needed else row.date
        return week_of(day or self.today)

    def open_problem(self, row: ProposalRow, terms: Terms) -> str | None:
        """Why an undecided open proposal can no longer stand, or None."""
        request, helper = self.requests.get(row.request), self.helpers.get(row.helper)
        if request is None:
            return "hulpvraag staat niet meer in Hulpvragen"
        if helper is None:
            return "helper staat niet meer in Hulpaanbod"
        if row.request in self.life.linked:
            return "hulpvraag heeft al een helper"
        return pair_problem(request, helper, terms)


def run_lifecycle(
    requests: Mapping[str, HelpRequest],
    helpers: Mapping[str, Helper],
    rows: list[WorkerRow],
    today: dt.date,
    settings: HelpSettings,
    issued: Collection[str] = (),
) -> HelpLifecycle:
    """Apply the decisions in Hulpvoorstellen and re-check its open rows; see the docstring."""
    run = _Run(requests, helpers, today, settings)
    life = run.life
    parsed = read_rows(rows)
    life.next_number = next_number([*(r.row.key for r in parsed), *issued], settings.key_prefix)
    for r in parsed:
        if r.helper and r.date and r.date > life.last_asked.get(r.helper, dt.date.min):
            life.last_asked[r.helper] = r.date
        if r.status == ProposalStatus.REJECTED or r.decision in REJECT_WORDS:
            life.rejected.add((r.request, r.helper))

    linked_rows: list[ProposalRow] = []
    accepts: list[ProposalRow] = []
    undecided: list[ProposalRow] = []
    for r in parsed:
        if not r.request or not r.helper:
            continue
        if r.decision in REJECT_WORDS:
            if r.status not in (ProposalStatus.REJECTED, ProposalStatus.LAPSED):
                life.updates[r.row.key] = {"status": ProposalStatus.REJECTED}
                life.rejected_now += 1
        elif r.status == ProposalStatus.MATCHED:
            linked_rows.append(r)
        elif r.status in (ProposalStatus.REJECTED, ProposalStatus.LAPSED):
            continue
        elif r.decision in ACCEPT_WORDS:
            accepts.append(r)
        else:
            undecided.append(r)
    for r in linked_rows:  # a link made in an earlier run stands
        life.linked.setdefault(r.request, r.helper)
    for r in accepts:
        problem = run.accept_problem(r)
        if problem:
            run.expire(r, problem)
            continue
        life.linked[r.request] = r.helper
        life.updates[r.row.key] = {"status": ProposalStatus.MATCHED}
        life.linked_now += 1
        linked_rows.append(r)
    for r in linked_rows:
        request = requests.get(r.request)
        if request is None or request.status != HelpRequestStatus.CANCELLED:
            life.accepted[(r.helper, run.help_week(r))] += 1

    terms = Terms(today, settings, life.accepted, frozenset(life.rejected))
    for r in undecided:
        problem = run.open_problem(r, terms)
        if problem:
            run.expire(r, problem)
            continue
        life.open_count[r.request] += 1
        if r.rank == 1:
            life.first_load[(r.helper, run.help_week(r))] += 1
        if r.status != ProposalStatus.OPEN:
            life.updates[r.row.key] = {"status": ProposalStatus.OPEN}

    for r in parsed:  # helpers who withdrew consent keep no name here
        helper = helpers.get(r.helper)
        if (helper is None or not helper.consent) and canonical(r.row.get("helper_name")):
            life.updates.setdefault(r.row.key, {})["helper_name"] = ""
    return life
