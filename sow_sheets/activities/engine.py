"""Activity suggestions for older people at risk of isolation (docs/sheet-contract.md).

Pure core: from validated records and the existing Activiteitvoorstellen rows, decide what the
tab should say tonight — the status of every existing suggestion (mirroring the staff's
Besluit, or vervallen with the reason) and a few new, fairly divided suggestions per person.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np

from sow_sheets.activities.assignment import (
    SCORE_SCALE,
    Candidates,
    assign_pairs,
    assign_scored,
)
from sow_sheets.activities.rules import (
    explain,
    explain_help,
    help_mask,
    help_problem,
    helper_places,
    isolation,
    pair_km,
    pair_problem,
    pair_scores,
    tokens,
    when_text,
)
from sow_sheets.activities.settings import ActivitySettings
from sow_sheets.model.cells import Cell, canonical
from sow_sheets.model.keys import make_key, next_number
from sow_sheets.model.programmes import NONE_PAUSED, ProgrammeSettings
from sow_sheets.model.records import Activity, Attendance, Elder, Records, hold_reason
from sow_sheets.model.words import (
    DECLINE_WORDS,
    SIGNUP_WORDS,
    SuggestionKind,
    SuggestionStatus,
    word_key,
)
from sow_sheets.model.worktab import Desired, WorkerRow

__all__ = ["ActivityPlan", "SignUp", "plan_activities"]

JOIN, HELP = SuggestionKind.JOIN, SuggestionKind.HELP
CANCELLED_WHY = "vervallen: activiteit gaat niet door"


@dataclass(frozen=True)
class SignUp:
    """An older person signed up (`Besluit` aangemeld) for an activity that does not go ahead."""

    elder: str
    activity: str


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
    cancelled: list[SignUp] = field(default_factory=list)  # one per person and activity
    new_help: int = 0  # of new_suggestions: meehelpen


@dataclass
class _Row:
    row: WorkerRow
    elder: str
    activity: str
    signed_up: bool
    declined: bool
    status: str
    kind: SuggestionKind


def _text(value: Cell) -> str:
    return " ".join(canonical(value).split())


def _read_rows(suggestions: list[WorkerRow]) -> list[_Row]:
    rows = []
    for r in sorted(suggestions, key=lambda w: (w.row, w.key)):
        decision = word_key(r.get("decision"))
        kind = HELP if _text(r.get("kind")).casefold() == HELP else JOIN
        rows.append(
            _Row(
                r,
                _text(r.get("elder")),
                _text(r.get("activity")),
                decision in SIGNUP_WORDS,
                decision in DECLINE_WORDS,
                _text(r.get("status")).casefold(),
                kind,
            )
        )
    return rows


def _places(activity: Activity, kind: SuggestionKind, settings: ActivitySettings) -> int | None:
    """Places of one kind (None = no limit): participants' `Plaatsen`, helpers' `Hulphanden`."""
    return helper_places(activity, settings) if kind == HELP else activity.places


def plan_activities(
    records: Records,
    suggestions: list[WorkerRow],
    last_contact: dict[str, dt.date],
    today: dt.date,
    settings: ActivitySettings,
    programmes: ProgrammeSettings = NONE_PAUSED,
    issued: Collection[str] = (),
) -> ActivityPlan:
    """Tonight's Activiteitvoorstellen: every existing row's status, and new suggestions
    (deelnemen and meehelpen), none for a cancelled activity or a paused programme.

    ``issued``: keys the sheet holds or refers to; a new key never takes one of their numbers.
    """
    elders: dict[str, Elder] = {}
    for e in records.elders:
        elders.setdefault(e.id, e)
    activities: dict[str, Activity] = {}
    for a in records.activities:
        activities.setdefault(a.id, a)
    rows = _read_rows(suggestions)
    experience = Counter(
        elder
        for elder, _ in {(r.elder, r.activity) for r in rows if r.signed_up}
        | {(a.elder, a.activity) for a in records.attendances}
    )

    def why_text(kind: SuggestionKind, elder: Elder, activity: Activity) -> str:
        if kind == HELP:
            return explain_help(elder, activity, experience[elder.id])
        return explain(elder, activity, last_contact.get(elder.id), today, settings)

    desired: Desired = {}
    signups = Counter((r.activity, r.kind) for r in rows if r.signed_up)
    known_attendance = {(a.elder, a.activity) for a in records.attendances}
    attended: list[Attendance] = []
    cancelled: dict[tuple[str, str], SignUp] = {}
    kept: dict[tuple[str, SuggestionKind], list[_Row]] = {}
    expired = 0

    for r in rows:
        values: dict[str, Cell] = {"kind": r.kind}
        elder, activity = elders.get(r.elder), activities.get(r.activity)
        if (elder is None or not elder.consent) and _text(r.row.get("name")):
            values["name"] = ""  # people without consent appear in worker tabs only by ID
        if r.signed_up:
            values["status"] = SuggestionStatus.SIGNED_UP
            if activity is not None and not activity.goes_ahead:
                cancelled.setdefault((r.elder, r.activity), SignUp(r.elder, r.activity))
            past = activity is not None and activity.date is not None and activity.date < today
            if past and (r.elder, r.activity) not in known_attendance:
                assert activity is not None and activity.date is not None
                if activity.goes_ahead:
                    attended.append(Attendance(r.row.row, activity.date, r.elder, r.activity))
                    known_attendance.add((r.elder, r.activity))
        elif r.declined:
            values["status"] = SuggestionStatus.DECLINED
        elif r.status == SuggestionStatus.LAPSED and _text(r.row.get("why")) == CANCELLED_WHY:
            # Cancelled, then back on (`Gaat door` ja again): the suggestion opens again.
            back = activity is not None and activity.goes_ahead and elder is not None
            if back and _open_problem(r, elder, activity, today, settings) is None:
                assert elder is not None and activity is not None
                kept.setdefault((r.activity, r.kind), []).append(r)
                values.update(status=SuggestionStatus.OPEN, why=why_text(r.kind, elder, activity))
        elif r.status != SuggestionStatus.LAPSED:
            reason = _open_problem(r, elder, activity, today, settings)
            if reason is None:
                kept.setdefault((r.activity, r.kind), []).append(r)
                values["status"] = SuggestionStatus.OPEN
            else:
                values.update(status=SuggestionStatus.LAPSED, why=f"vervallen: {reason}")
                expired += 1
        desired[r.row.key] = values

    for (activity_id, kind), open_rows in kept.items():
        places = _places(activities[activity_id], kind, settings)
        room = None if places is None else max(0, places - signups[activity_id, kind])
        if room is not None and len(open_rows) > room:
            full = "activiteit is vol" if kind == JOIN else "genoeg hulp voor de activiteit"
            for r in open_rows[room:]:  # the oldest suggestions keep their place
                desired[r.row.key].update(status=SuggestionStatus.LAPSED, why=f"vervallen: {full}")
                expired += 1
            kept[activity_id, kind] = open_rows[:room]

    upcoming = [
        a for a in activities.values() if a.goes_ahead and not programmes.is_paused(a.programme)
    ]
    new_rows: list[dict[str, Cell]] = []
    for kind in (JOIN, HELP):
        held = Counter(r.elder for (_, k), group in kept.items() if k == kind for r in group)
        for r in rows:
            act = activities.get(r.activity)
            if r.kind == kind and r.signed_up and act is not None and act.date is not None:
                held[r.elder] += act.date >= today
        taken = {aid: signups[aid, kind] + len(g) for (aid, k), g in kept.items() if k == kind}
        for (aid, k), count in signups.items():
            if k == kind:
                taken.setdefault(aid, count)
        blocked = {(r.elder, r.activity) for r in rows if r.kind == kind}
        new_rows += _new_suggestions(
            kind,
            list(elders.values()),
            upcoming,
            held,
            taken,
            blocked,
            last_contact,
            experience,
            today,
            settings,
        )
    first = next_number([*(r.row.key for r in rows), *issued], settings.key_prefix)
    for offset, values in enumerate(new_rows):
        desired[make_key(settings.key_prefix, first + offset)] = values
    new_help = sum(1 for v in new_rows if v["kind"] == HELP)
    return ActivityPlan(
        desired, len(new_rows), attended, expired, list(cancelled.values()), new_help
    )


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
    if not activity.goes_ahead:
        return CANCELLED_WHY.removeprefix("vervallen: ")
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
    if r.kind == HELP:
        return help_problem(elder, activity, settings)
    return pair_problem(elder, activity, settings)


def _new_suggestions(
    kind: SuggestionKind,
    elders: list[Elder],
    activities: list[Activity],
    held: Counter[str],
    taken: dict[str, int],
    blocked: set[tuple[str, str]],
    last_contact: dict[str, dt.date],
    experience: Counter[str],
    today: dt.date,
    settings: ActivitySettings,
) -> list[dict[str, Cell]]:
    """New suggestion rows of one kind, the most isolated people first. Helpers fill only
    helper places (`Hulphanden`), never a participant's place."""
    most = settings.help_per_person if kind == HELP else settings.per_person
    people = sorted(
        (
            e
            for e in elders
            if e.eligible and held[e.id] < most and (kind == JOIN or tokens(e.offers))
        ),
        key=lambda e: e.id,
    )
    end = today + dt.timedelta(days=settings.horizon_days)
    upcoming = sorted(
        (
            a
            for a in activities
            if a.usable
            and a.date is not None
            and today <= a.date <= end
            and (kind == JOIN or helper_places(a, settings) > 0)
        ),
        key=lambda a: a.id,
    )
    if not people or not upcoming:
        return []
    capacity = np.array(
        [
            len(people) if (p := _places(a, kind, settings)) is None else p - taken.get(a.id, 0)
            for a in upcoming
        ],
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
    only = help_mask(people, upcoming) if kind == HELP else None  # something offered is asked
    table = pair_scores(people, upcoming, iso, settings, skip, only)
    held_arr = np.array([held[e.id] for e in people], dtype=np.int64)
    slots = most - held_arr
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
        why = (
            explain_help(elder, activity, experience[elder.id])
            if kind == HELP
            else explain(elder, activity, lasts[i], today, settings)
        )
        out.append(
            {
                "date": today,
                "kind": kind,
                "elder": elder.id,
                "name": elder.name,
                "organisation": elder.organisation,
                "activity": activity.id,
                "title": activity.title,
                "when": when_text(activity),
                "location": activity.location,
                "km": None if km is None else round(km, 1),
                "why": why,
                "status": SuggestionStatus.OPEN,
            }
        )
    return out
