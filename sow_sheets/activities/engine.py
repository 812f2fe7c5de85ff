"""Activity suggestions for older people at risk of isolation (docs/sheet-contract.md).

Pure core: from validated records and the existing Activiteitvoorstellen rows, decide what the
tab should say tonight — the status of every existing suggestion (mirroring the staff's
Besluit, or vervallen with the reason) and a few new, fairly divided suggestions per person.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from sow_sheets.activities.assignment import (
    SCORE_SCALE,
    Candidates,
    assign_pairs,
    assign_scored,
)
from sow_sheets.activities.rules import (
    explain,
    isolation,
    pair_km,
    pair_problem,
    pair_scores,
    when_text,
)
from sow_sheets.activities.settings import ActivitySettings
from sow_sheets.model.cells import Cell, canonical
from sow_sheets.model.keys import make_key, next_number
from sow_sheets.model.records import Activity, Attendance, Elder, Records, hold_reason
from sow_sheets.model.words import DECLINE_WORDS, SIGNUP_WORDS, SuggestionStatus, word_key
from sow_sheets.model.worktab import Desired, WorkerRow

__all__ = ["ActivityPlan", "plan_activities"]

# Up to this many allowed pairs the whole network is solved at once; beyond, its arcs are
# generated as needed (``assign_scored``), with the same optimum.
SMALL_NETWORK = 300_000


@dataclass
class ActivityPlan:
    """What the sync writes to Activiteitvoorstellen, and what it feeds the follow-up rules."""

    suggestions: Desired  # rows by key; columns are schema.ACTIVITEITVOORSTELLEN keys
    new_suggestions: int
    attended: list[Attendance]  # suggestions marked aangemeld whose date has passed
    expired: int = 0  # suggestions that became vervallen in this run


@dataclass
class _Row:
    row: WorkerRow
    elder: str
    activity: str
    signed_up: bool
    declined: bool
    status: str


def _text(value: Cell) -> str:
    return " ".join(canonical(value).split())


def _read_rows(suggestions: list[WorkerRow]) -> list[_Row]:
    rows = []
    for r in sorted(suggestions, key=lambda w: (w.row, w.key)):
        decision = word_key(r.get("decision"))
        rows.append(
            _Row(
                r,
                _text(r.get("elder")),
                _text(r.get("activity")),
                decision in SIGNUP_WORDS,
                decision in DECLINE_WORDS,
                _text(r.get("status")).casefold(),
            )
        )
    return rows


def plan_activities(
    records: Records,
    suggestions: list[WorkerRow],
    last_contact: dict[str, dt.date],
    today: dt.date,
    settings: ActivitySettings,
    issued: Collection[str] = (),
) -> ActivityPlan:
    """Tonight's Activiteitvoorstellen: every existing row's status, and new suggestions.

    ``issued``: keys the sheet holds or refers to; a new key never takes one of their numbers.
    """
    elders: dict[str, Elder] = {}
    for e in records.elders:
        elders.setdefault(e.id, e)
    activities: dict[str, Activity] = {}
    for a in records.activities:
        activities.setdefault(a.id, a)
    rows = _read_rows(suggestions)
    desired: Desired = {}
    signups = Counter(r.activity for r in rows if r.signed_up)
    known_attendance = {(a.elder, a.activity) for a in records.attendances}
    attended: list[Attendance] = []
    kept: dict[str, list[_Row]] = {}
    expired = 0

    for r in rows:
        values: dict[str, Cell] = {}
        elder, activity = elders.get(r.elder), activities.get(r.activity)
        if (elder is None or not elder.consent) and _text(r.row.get("name")):
            values["name"] = ""  # people without consent appear in worker tabs only by ID
        if r.signed_up:
            values["status"] = SuggestionStatus.SIGNED_UP
            past = activity is not None and activity.date is not None and activity.date < today
            if past and (r.elder, r.activity) not in known_attendance:
                assert activity is not None and activity.date is not None
                attended.append(Attendance(r.row.row, activity.date, r.elder, r.activity))
                known_attendance.add((r.elder, r.activity))
        elif r.declined:
            values["status"] = SuggestionStatus.DECLINED
        elif r.status != SuggestionStatus.LAPSED:
            reason = _open_problem(r, elder, activity, today, settings)
            if reason is None:
                kept.setdefault(r.activity, []).append(r)
                values["status"] = SuggestionStatus.OPEN
            else:
                values.update(status=SuggestionStatus.LAPSED, why=f"vervallen: {reason}")
                expired += 1
        desired[r.row.key] = values

    for activity_id, open_rows in kept.items():
        places = activities[activity_id].places
        room = None if places is None else max(0, places - signups[activity_id])
        if room is not None and len(open_rows) > room:
            for r in open_rows[room:]:  # the oldest suggestions keep their place
                desired[r.row.key].update(
                    status=SuggestionStatus.LAPSED, why="vervallen: activiteit is vol"
                )
                expired += 1
            kept[activity_id] = open_rows[:room]

    held = Counter(r.elder for group in kept.values() for r in group)
    for r in rows:
        act = activities.get(r.activity)
        if r.signed_up and act is not None and act.date is not None and act.date >= today:
            held[r.elder] += 1
    taken = {aid: signups[aid] + len(group) for aid, group in kept.items()}
    for aid, count in signups.items():
        taken.setdefault(aid, count)
    blocked = {(r.elder, r.activity) for r in rows}
    new_rows = _new_suggestions(
        list(elders.values()),
        list(activities.values()),
        held,
        taken,
        blocked,
        last_contact,
        today,
        settings,
    )
    first = next_number([*(r.row.key for r in rows), *issued], settings.key_prefix)
    for offset, values in enumerate(new_rows):
        desired[make_key(settings.key_prefix, first + offset)] = values
    return ActivityPlan(desired, len(new_rows), attended, expired)


def _open_problem(
    r: _Row,
    elder: Elder | None,
    activity: Activity | None,
    today: dt.date,
    settings: ActivitySettings,
) -> str | None:
    """Why an undecided suggestion can no longer stand (Dutch), or None."""
    if elder is None:
        return "oudere staat niet meer in Ouderen"
    held = hold_reason(elder, "oudere")
    if held:
        return held
    if activity is None:
        return "activiteit staat niet meer in Activiteiten"
    if not activity.usable:
        return "een cel van de activiteit klopt niet (zie Signalen)"
    if activity.date is None:
        return "activiteit heeft geen datum meer"
    if activity.date < today:
        return "activiteit is voorbij"
    changed = [
        label
        for label, column, now in (
            ("wanneer", "when", when_text(activity)),
            ("locatie", "location", activity.location),
        )
        if _text(r.row.get(column)) and _text(r.row.get(column)) != _text(now)
    ]
    if changed:
        return "activiteit gewijzigd (" + ", ".join(changed) + ")"
    return pair_problem(elder, activity, settings)


def _new_suggestions(
    elders: list[Elder],
    activities: list[Activity],
    held: Counter[str],
    taken: dict[str, int],
    blocked: set[tuple[str, str]],
    last_contact: dict[str, dt.date],
    today: dt.date,
    settings: ActivitySettings,
) -> list[dict[str, Cell]]:
    """New suggestion rows, the most isolated people first."""
    people = sorted(
        (e for e in elders if e.eligible and held[e.id] < settings.per_person), key=lambda e: e.id
    )
    end = today + dt.timedelta(days=settings.horizon_days)
    upcoming = sorted(
        (a for a in activities if a.usable and a.date is not None and today <= a.date <= end),
        key=lambda a: a.id,
    )
    if not people or not upcoming:
        return []
    capacity = np.array(
        [len(people) if a.places is None else a.places - taken.get(a.id, 0) for a in upcoming],
        dtype=np.int64,
    )
    lasts = [last_contact.get(e.id) for e in people]
    iso = np.array([isolation(last, today, settings) for last in lasts], dtype=np.float64)
    person_index = {e.id: i for i, e in enumerate(people)}
    activity_index = {a.id: j for j, a in enumerate(upcoming)}
    skip = [
        (person_index[e], activity_index[a])
        for e, a in blocked
        if e in person_index and a in activity_index
    ]
    table = pair_scores(people, upcoming, iso, settings, skip)
    held_arr = np.array([held[e.id] for e in people], dtype=np.int64)
    slots = settings.per_person - held_arr
    if table.count == 0:
        return []
    if table.count <= SMALL_NETWORK:
        pi, ai, sc = (np.concatenate(parts) for parts in zip(*table.blocks(), strict=True))
        candidates = Candidates(pi, ai, sc.astype(np.float64) / SCORE_SCALE)
        result = assign_pairs(candidates, slots, held_arr, capacity)
    else:
        result = assign_scored(table, slots, held_arr, capacity)

    def order(pair: tuple[int, int]) -> tuple[int, str, dt.date, str]:
        last, activity = lasts[pair[0]], upcoming[pair[1]]
        days = -(10**9) if last is None else -(today - last).days
        assert activity.date is not None
        return (days, people[pair[0]].id, activity.date, activity.id)

    out: list[dict[str, Cell]] = []
    for i, j in sorted(result.pairs, key=order):
        elder, activity = people[i], upcoming[j]
        km = pair_km(elder, activity)
        out.append(
            {
                "date": today,
                "elder": elder.id,
                "name": elder.name,
                "organisation": elder.organisation,
                "activity": activity.id,
                "title": activity.title,
                "when": when_text(activity),
                "location": activity.location,
                "km": None if km is None else round(km, 1),
                "why": explain(elder, activity, lasts[i], today, settings),
                "status": SuggestionStatus.OPEN,
            }
        )
    return out
