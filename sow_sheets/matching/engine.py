"""Bonus-grandparent matching: from records and the existing Voorstellen rows to a plan.

``plan_matching`` is what the sync calls. It applies the coordinator's decisions
(``proposals``), builds the candidate graph of eligible pairs (``scoring``) a slice of
volunteers at a time into compact arrays, picks the optimal set of new proposals
(``assignment``: all pairs at once up to ``PRICED_ABOVE``, else generate-and-price) and
explains each one (``explanation``; Alternatieven from each family's best pairs, kept while
the slices stream).
Pure: no I/O, no clock.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np

from sow_sheets.matching.assignment import assign, assign_priced
from sow_sheets.matching.eligibility import family_problem, volunteer_problem
from sow_sheets.matching.explanation import alternatives, reasons, warnings
from sow_sheets.matching.proposals import PROPOSAL_PREFIX, Lifecycle, run_lifecycle
from sow_sheets.matching.scoring import candidate_slices, pair_km
from sow_sheets.matching.settings import MatchingSettings, ScoreWeights
from sow_sheets.model.cells import Cell
from sow_sheets.model.keys import make_key
from sow_sheets.model.records import Family, Records, Volunteer
from sow_sheets.model.words import ProposalStatus
from sow_sheets.model.worktab import Desired, WorkerRow

__all__ = ["MatchingPlan", "MatchingSettings", "ScoreWeights", "plan_matching"]


@dataclass
class MatchingPlan:
    """What one sync changes in Voorstellen and Koppelingen, and what other rules need."""

    proposals: Desired  # Voorstellen: updated existing rows and new rows
    matches: Desired  # Koppelingen: new rows only
    new_proposals: int
    new_matches: int
    open_volunteers: set[str]  # volunteers in an open proposal (for the VOG signal)
    proposed_ids: set[str]  # every person ID ever in a proposal or match (waiting rule)
    expired: int = 0  # proposals made vervallen this run
    rejected: int = 0  # proposals closed as afgewezen this run
    open_proposals: int = 0  # open proposals after this run, old and new
    candidate_pairs: int = 0  # eligible pairs the assignment chose from
    unmatched_families: set[str] = field(default_factory=set)  # available, but no proposal


def _unique(people: list[Volunteer] | list[Family]) -> set[str]:
    counts = Counter(p.id for p in people)
    return {pid for pid, n in counts.items() if pid and n == 1}


def available_people(
    records: Records, life: Lifecycle, today: dt.date, settings: MatchingSettings
) -> tuple[list[Volunteer], list[int], list[Family]]:
    """Volunteers with free capacity (and that capacity), and families still to be matched.

    People whose ID occurs twice are left out until the duplicate is resolved.
    """
    unique_v, unique_f = _unique(records.volunteers), _unique(records.families)
    volunteers, room = [], []
    for v in sorted(records.volunteers, key=lambda p: p.id):
        free = v.max_families - life.active[v.id] - life.open_count[v.id]
        if v.id in unique_v and free > 0 and volunteer_problem(v, today, settings) is None:
            volunteers.append(v)
            room.append(free)
    busy = life.matched_families | life.open_families
    families = [
        f
        for f in sorted(records.families, key=lambda p: p.id)
        if f.id in unique_f and f.id not in busy and family_problem(f) is None
    ]
    return volunteers, room, families


START_PER_FAMILY = 4  # each family's best pairs the priced assignment starts from
# More candidate pairs than this (a dense town) go to the priced assignment, whose memory grows
# with the pairs it needs; fewer are solved at once, which is quicker at ordinary density.
PRICED_ABOVE = 1_000_000
_FAMILY_SHIFT, _SCORE_SHIFT = 40, 32  # a top-list key: family, 100 - score, pair index


@dataclass(frozen=True)
class _Pairs:
    """Every eligible pair compactly (9 bytes a pair), and each family's best few as keys."""

    volunteer: np.ndarray
    family: np.ndarray
    score: np.ndarray
    best: np.ndarray  # sorted keys: by family, then score (high first), then pair index


def _top(keys: np.ndarray, keep: int) -> np.ndarray:
    """The first ``keep`` keys of each family, in order."""
    keys = np.sort(keys)
    group = keys >> _FAMILY_SHIFT
    starts = np.flatnonzero(np.concatenate([[True], group[1:] != group[:-1]]))
    rank = np.arange(len(keys)) - np.repeat(starts, np.diff(np.append(starts, len(keys))))
    return keys[rank < keep]


def _collect(
    volunteers: list[Volunteer],
    families: list[Family],
    today: dt.date,
    excluded: Collection[tuple[str, str]],
    settings: MatchingSettings,
) -> _Pairs:
    """The candidate graph a slice of volunteers at a time, kept compactly; each family's best
    pairs (by score, then volunteer ID) streamed along, for the start and for Alternatieven."""
    keep = max(START_PER_FAMILY, settings.alternatives + 1)
    vol, fam, pts = [], [], []
    best = np.zeros(0, np.int64)
    count = 0
    for part in candidate_slices(volunteers, families, today, settings, excluded):
        vol.append(part.volunteer.astype(np.int32))
        fam.append(part.family.astype(np.int32))
        pts.append(part.score.astype(np.uint8))
        index = count + np.arange(len(part), dtype=np.int64)
        keys = (part.family << _FAMILY_SHIFT) | ((100 - part.score) << _SCORE_SHIFT) | index
        best = _top(np.concatenate([best, keys]), keep)
        count += len(part)

    def joined(arrays: list[np.ndarray], dtype: type) -> np.ndarray:
        """One array of the parts; the parts are let go at once (a lower peak)."""
        whole = np.concatenate(arrays) if arrays else np.zeros(0, dtype)
        arrays.clear()
        return whole

    return _Pairs(joined(vol, np.int32), joined(fam, np.int32), joined(pts, np.uint8), best)


def _alternatives_by_family(
    pairs: _Pairs, volunteers: list[Volunteer], chosen: np.ndarray, limit: int
) -> dict[int, str]:
    """For each chosen family: the next-best eligible volunteers, by score then ID.

    ``volunteers`` is sorted by ID, so the pair index (volunteer-major) breaks ties by ID.
    """
    if limit == 0 or not len(chosen):
        return {}
    group = pairs.best >> _FAMILY_SHIFT
    index = pairs.best & ((1 << _SCORE_SHIFT) - 1)
    result = {}
    for i in chosen.tolist():
        f, v = int(pairs.family[i]), int(pairs.volunteer[i])
        lo, hi = np.searchsorted(group, [f, f + 1])
        others = [
            (vol.id, vol.name if vol.consent else "", int(pairs.score[j]))
            for j in index[lo:hi].tolist()
            if int(pairs.volunteer[j]) != v
            for vol in (volunteers[int(pairs.volunteer[j])],)
        ]
        result[f] = alternatives(others[:limit])
    return result


def plan_matching(
    records: Records,
    proposals: list[WorkerRow],
    today: dt.date,
    settings: MatchingSettings,
    *,
    match_keys: Collection[str] = (),
) -> MatchingPlan:
    """Apply decisions on existing proposals and propose the optimal set of new matches.

    ``match_keys``: every key the sheet holds or refers to (Koppelingen, Voorstellen, `Betreft`
    in Gesprekken and Signalen), so a new key is never one issued before and still named.
    """
    life = run_lifecycle(records, proposals, today, settings, match_keys)
    volunteers, room, families = available_people(records, life, today, settings)
    found = _collect(volunteers, families, today, life.excluded, settings)
    if len(found.family) <= PRICED_ABOVE:  # dense or sparse solver on every pair at once
        chosen = assign(
            found.family, found.volunteer, found.score, room, dense_limit=settings.dense_limit
        )
    else:
        start = found.best & ((1 << _SCORE_SHIFT) - 1)
        chosen = assign_priced(found.family, found.volunteer, found.score, room, start)
    chosen = chosen[np.lexsort((found.family[chosen], -found.score[chosen].astype(np.int64)))]
    alts = _alternatives_by_family(found, volunteers, chosen, settings.alternatives)
    kms = pair_km(
        volunteers,
        families,
        found.volunteer[chosen].astype(np.int64),
        found.family[chosen].astype(np.int64),
    )
    rows: Desired = dict(life.updates)
    number = life.next_proposal
    open_volunteers = {v for v, n in life.open_count.items() if n > 0}
    served: set[str] = set()
    for index, km in zip(chosen.tolist(), kms.tolist(), strict=True):
        v, f = volunteers[int(found.volunteer[index])], families[int(found.family[index])]
        row: dict[str, Cell] = {
            "date": today,
            "volunteer": v.id,
            "volunteer_name": v.name,
            "family": f.id,
            "family_name": f.name,
            "organisation": f.organisation,
            "score": int(found.score[index]),
            "km": round(km, 1),
            "why": reasons(v, f, km, today),
            "warnings": warnings(v, f, today, settings),
            "alternatives": alts.get(int(found.family[index]), ""),
            "status": ProposalStatus.OPEN,
        }
        rows[make_key(PROPOSAL_PREFIX, number)] = row
        number += 1
        open_volunteers.add(v.id)
        served.add(f.id)
    return MatchingPlan(
        proposals=rows,
        matches=life.matches,
        new_proposals=len(chosen),
        new_matches=life.linked,
        open_volunteers=open_volunteers,
        proposed_ids=life.proposed_ids | open_volunteers | served,
        expired=life.expired,
        rejected=life.rejected,
        open_proposals=sum(life.open_count.values()) + len(chosen),
        candidate_pairs=len(found.volunteer),
        unmatched_families={f.id for f in families} - served,
    )
