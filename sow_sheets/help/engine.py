"""Practical help matched the same day: from Hulpvragen, Hulpaanbod and the existing
Hulpvoorstellen rows to what Hulpvoorstellen and Signalen should say now.

``plan_help`` applies the coordinator's decisions (``lifecycle``), finds every allowed pair of
a waiting request and a helper (``rules``), chooses first choices for all requests together
(``assignment``), adds the next-nearest helpers as Rang 2 and 3, explains each in plain Dutch
and lists what needs a partner's attention (``findings``). Pure: ``now`` is a parameter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np

from sow_sheets.help.assignment import FirstChoiceProblem, first_choices
from sow_sheets.help.findings import asked_moment, helper_findings, request_findings
from sow_sheets.help.lifecycle import run_lifecycle
from sow_sheets.help.rules import (
    Candidates,
    Terms,
    candidate_pairs,
    explain,
    helper_problem,
    request_problem,
)
from sow_sheets.help.settings import HelpSettings
from sow_sheets.help.sources import SourceCount, source_counts
from sow_sheets.model.cells import Cell
from sow_sheets.model.findings import Finding
from sow_sheets.model.keys import make_key
from sow_sheets.model.records import HelpRequest, Records, first_by_id
from sow_sheets.model.words import ProposalStatus, Urgency, choices
from sow_sheets.model.worktab import Desired, WorkerRow

__all__ = ["HelpPlan", "HelpSettings", "plan_help", "source_counts"]

TIER = {urgency: tier for tier, urgency in enumerate(choices(Urgency))}  # vandaag = 0


@dataclass
class HelpPlan:
    """What one sync changes in Hulpvoorstellen, the findings for Signalen, and counts."""

    proposals: Desired  # Hulpvoorstellen: updated existing rows and new rows
    findings: list[Finding]
    new_proposals: int = 0  # rows added this run (all ranks)
    served: int = 0  # requests given a first choice this run
    waiting: int = 0  # requests that could be given helpers this run
    linked: int = 0  # proposals accepted this run
    rejected: int = 0
    expired: int = 0
    candidate_pairs: int = 0
    sources: dict[str, SourceCount] = field(default_factory=dict)  # requests per `Bron`


def _choose(
    waiting: list[HelpRequest], found: Candidates, load: dict[tuple[int, int], int]
) -> np.ndarray:
    """The pair index of every request's first choice (``load``: open Rang 1 per slot)."""
    weeks = max(len(found.weeks), 1)
    slot_of_pair = found.helper * weeks + found.week
    slots, slot = np.unique(slot_of_pair, return_inverse=True)
    capacity = found.room[slots // weeks, slots % weeks] - np.array(
        [load.get((int(s // weeks), int(s % weeks)), 0) for s in slots], dtype=np.int64
    )
    tier = np.array([TIER.get(r.urgency, len(TIER)) for r in waiting], dtype=np.int64)
    problem = FirstChoiceProblem(tier, found.request, slot.astype(np.int64), found.units, capacity)
    return first_choices(problem)


def _ranked(found: Candidates, chosen: np.ndarray, per_request: int) -> dict[int, list[int]]:
    """Per served request its pair indices: the first choice, then the nearest others."""
    order = np.lexsort((found.helper, found.units, found.request))
    by_request = found.request[order]
    requests = found.request[chosen]
    starts = np.searchsorted(by_request, requests, side="left")
    ends = np.minimum(np.searchsorted(by_request, requests, side="right"), starts + per_request)
    ranked: dict[int, list[int]] = {}
    for index, request, lo, hi in zip(
        chosen.tolist(), requests.tolist(), starts.tolist(), ends.tolist(), strict=True
    ):
        others = [i for i in order[lo:hi].tolist() if i != index]
        ranked[request] = [index, *others[: per_request - 1]]
    return ranked


def plan_help(
    records: Records,
    rows: list[WorkerRow],
    now: dt.datetime,
    settings: HelpSettings,
    issued: Collection[str] = (),
) -> HelpPlan:
    """Tonight's (or this hour's) Hulpvoorstellen and help signals; see the module docstring.

    ``issued``: keys the sheet holds or refers to; a new key never takes one of their numbers.
    """
    today = now.date()
    requests = first_by_id(records.help_requests)
    helpers = first_by_id(records.helpers)
    life = run_lifecycle(requests, helpers, rows, today, settings, issued)
    terms = Terms(today, settings, life.accepted, frozenset(life.rejected))
    blocked = {r.id: problem for r in requests.values() if (problem := request_problem(r, today))}
    waiting = sorted(
        (
            r
            for r in requests.values()
            if r.id not in life.linked and not life.open_count[r.id] and r.id not in blocked
        ),
        key=lambda r: r.id,
    )
    able = sorted((h for h in helpers.values() if helper_problem(h) is None), key=lambda h: h.id)
    found = candidate_pairs(waiting, able, terms)
    helper_index = {h.id: j for j, h in enumerate(able)}
    week_index = {w: i for i, w in enumerate(found.weeks)}
    load = {
        (helper_index[hid], week_index[week]): n
        for (hid, week), n in life.first_load.items()
        if hid in helper_index and week in week_index
    }
    chosen = _choose(waiting, found, load) if len(found) else np.zeros(0, dtype=np.int64)
    ranked = _ranked(found, chosen, settings.proposals)

    def urgent_first(request: int) -> tuple[int, dt.datetime, str]:
        r = waiting[request]
        return (TIER.get(r.urgency, len(TIER)), asked_moment(r) or dt.datetime.max, r.id)

    desired: Desired = dict(life.updates)
    number = life.next_number
    for request in sorted(ranked, key=urgent_first):
        r = waiting[request]
        for rank, index in enumerate(ranked[request], start=1):
            helper = able[int(found.helper[index])]
            km = float(found.km[index])
            known = None if np.isnan(km) else km
            row: dict[str, Cell] = {
                "date": today,
                "request": r.id,
                "kind": r.kind,
                "helper": helper.id,
                "helper_name": helper.name,
                "rank": rank,
                "km": None if known is None else round(known, 1),
                "why": explain(r, helper, known, terms),
                "status": ProposalStatus.OPEN,
            }
            desired[make_key(settings.key_prefix, number)] = row
            number += 1
            life.open_count[r.id] += 1
            life.last_asked[helper.id] = today
    findings = request_findings(
        requests.values(), life.linked, life.open_count, blocked, now, settings
    )
    findings += helper_findings(helpers.values(), life.last_asked, today, settings)
    return HelpPlan(
        proposals=desired,
        findings=findings,
        new_proposals=number - life.next_number,
        served=len(ranked),
        waiting=len(waiting),
        linked=life.linked_now,
        rejected=life.rejected_now,
        expired=life.expired,
        candidate_pairs=len(found),
        sources=source_counts(records.help_requests),
    )
