"""Activity suggestions for older people at risk of isolation (DESIGN.md §3 step 6, issue 7).

Pure core: from validated records and the existing Activiteitvoorstellen rows, decide what the
tab should say tonight — the status of every existing suggestion (mirroring the staff's
Besluit, or vervallen with the reason) and a few new, fairly divided suggestions per person.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass, fields

import numpy as np
from numpy.typing import NDArray

from sow_sheets.activity_assignment import AssignmentProblem, assign
from sow_sheets.cells import Cell, canonical
from sow_sheets.geo import EARTH_RADIUS_KM, Point, distance_km
from sow_sheets.records import Activity, Attendance, Elder, Records
from sow_sheets.worktab import Desired, WorkerRow

DAY_NAMES = ("ma", "di", "wo", "do", "vr", "za", "zo")
MONTH_NAMES = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
SIGNED_UP = "aangemeld"
NOT_INTERESTED = "geen interesse"


@dataclass(frozen=True)
class ActivitySettings:
    """Tunable rules for activity suggestions (config section ``[activities]``)."""

    horizon_days: int = 42  # suggest activities dated today .. today + horizon
    per_person: int = 3  # open (and upcoming signed-up) suggestions per person at most
    transport_km: float = 1.5  # people needing transport: farthest activity without transport
    max_km: float = 10.0  # farthest activity for anyone, unless transport is arranged
    isolation_days: int = 91  # days without contact at which someone counts as fully isolated
    cost_max_eur: float = 25.0  # activities costing this or more get no cost credit
    weight_interests: float = 0.35
    weight_distance: float = 0.25
    weight_season: float = 0.15
    weight_cost: float = 0.10
    weight_isolation: float = 0.15
    summer_programme: str = "Zomereenzaamheid"
    summer_months: tuple[int, ...] = (7, 8)
    christmas_programme: str = "Magisch Zoetermeer"
    christmas_months: tuple[int, ...] = (12,)
    key_prefix: str = "AS-"
    max_lp_rounds: int = 0  # 0 = price until optimal; n > 0 bounds the LP solves (large runs)

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name.endswith("_months"):
                if isinstance(value, list):
                    value = tuple(value)
                    object.__setattr__(self, f.name, value)
                if not isinstance(value, tuple) or not all(
                    isinstance(m, int) and not isinstance(m, bool) and 1 <= m <= 12 for m in value
                ):
                    raise ValueError(
                        f"{f.name} must be a list of month numbers 1-12, got {value!r}"
                    )
            elif f.type in ("int", "float"):
                whole = f.type == "int"
                kinds = (int,) if whole else (int, float)
                if isinstance(value, bool) or not isinstance(value, kinds) or math.isnan(value):
                    raise ValueError(f"{f.name} must be a {'whole ' if whole else ''}number")
                if value < 0:
                    raise ValueError(f"{f.name} must not be negative, got {value}")
            elif not isinstance(value, str):
                raise ValueError(f"{f.name} must be text, got {value!r}")
        if self.per_person < 1:
            raise ValueError(f"per_person must be at least 1, got {self.per_person}")
        if self.max_km <= 0 or self.isolation_days <= 0:
            raise ValueError("max_km and isolation_days must be greater than 0")
        if sum(self._weights()) <= 0:
            raise ValueError("at least one weight_* must be greater than 0")
        if not self.key_prefix.strip():
            raise ValueError("key_prefix must not be empty")

    def _weights(self) -> tuple[float, float, float, float, float]:
        return (
            self.weight_interests,
            self.weight_distance,
            self.weight_season,
            self.weight_cost,
            self.weight_isolation,
        )


@dataclass
class ActivityPlan:
    """What the sync writes to Activiteitvoorstellen, and what it feeds the follow-up rules."""

    suggestions: Desired  # rows by key; columns are schema.ACTIVITEITVOORSTELLEN keys
    new_suggestions: int
    attended: list[Attendance]  # suggestions marked aangemeld whose date has passed
    expired: int = 0  # suggestions that became vervallen in this run


# --- one pair: rules and explanation -------------------------------------------------------


def decimal(value: float, digits: int = 1) -> str:
    """A number the Dutch way: ``1,5``."""
    return f"{value:.{digits}f}".replace(".", ",")


def pair_km(elder: Elder, activity: Activity) -> float | None:
    if elder.point is None or activity.point is None:
        return None
    return distance_km(elder.point, activity.point)


def pair_problem(elder: Elder, activity: Activity, settings: ActivitySettings) -> str | None:
    """Why this person cannot go to this activity (Dutch), or None when they can.

    Covers access and travel only; dates, capacity and earlier answers are checked elsewhere.
    """
    if _uses_wheelchair(elder) and not activity.wheelchair:
        return "activiteit is niet rolstoeltoegankelijk"
    if activity.transport:
        return None  # distance lowers the score but never excludes
    km = pair_km(elder, activity)
    if km is None:
        return "vervoer nodig en afstand onbekend" if elder.needs_transport else None
    if elder.needs_transport and km > settings.transport_km:
        return (
            f"vervoer nodig en {decimal(km)} km zonder vervoer geregeld "
            f"(meer dan {decimal(settings.transport_km)} km)"
        )
    if km > settings.max_km:
        return f"{decimal(km)} km, verder dan {decimal(settings.max_km)} km"
    return None


def in_season(activity: Activity, settings: ActivitySettings) -> str:
    """The seasonal programme this activity belongs to in its season, or ""."""
    if activity.date is None:
        return ""
    programme = activity.programme.strip().casefold()
    for name, months in (
        (settings.summer_programme, settings.summer_months),
        (settings.christmas_programme, settings.christmas_months),
    ):
        if programme == name.strip().casefold() and activity.date.month in months:
            return name
    return ""


def explain(
    elder: Elder,
    activity: Activity,
    last: dt.date | None,
    today: dt.date,
    settings: ActivitySettings,
) -> str:
    """``Waarom`` in plain Dutch: "interesses: koken; 1,2 km; gratis; 95 dagen geen contact"."""
    parts: list[str] = []
    shared = sorted(_tokens(elder.interests) & _tokens(activity.themes))
    if shared:
        parts.append("interesses: " + ", ".join(shared))
    km = pair_km(elder, activity)
    parts.append("afstand onbekend" if km is None else f"{decimal(km)} km")
    if activity.transport and elder.needs_transport:
        parts.append("vervoer geregeld")
    if _uses_wheelchair(elder):
        parts.append("rolstoeltoegankelijk")
    programme = in_season(activity, settings)
    if programme:
        parts.append(f"programma {programme}")
    parts.append("gratis" if activity.cost <= 0 else f"€ {decimal(activity.cost, 2)}")
    if activity.registration:
        parts.append("aanmelden nodig")
    if last is None:
        parts.append("nog geen contact vastgelegd")
    else:
        parts.append(f"{(today - last).days} dagen geen contact")
    return "; ".join(parts)


def when_text(activity: Activity) -> str:
    """``Wanneer`` as a Dutch reader expects it: "za 12 jul 2026 14:00"."""
    if activity.date is None:
        return ""
    d = activity.date
    text = f"{DAY_NAMES[d.weekday()]} {d.day} {MONTH_NAMES[d.month - 1]} {d.year}"
    return f"{text} {activity.time.strip()}".strip()


def isolation(last: dt.date | None, today: dt.date, settings: ActivitySettings) -> float:
    """0 = contact today, 1 = no contact for ``isolation_days`` or ever."""
    if last is None:
        return 1.0
    return min(1.0, max(0, (today - last).days) / settings.isolation_days)


def _uses_wheelchair(elder: Elder) -> bool:
    return elder.mobility.strip().casefold() == "rolstoel"


def _tokens(values: frozenset[str]) -> set[str]:
    return {v.strip().casefold() for v in values if v.strip()}


# --- all pairs at once: the same rules as arrays ----------------------------------------------


@dataclass(frozen=True)
class PairTable:
    """Eligibility (access and travel) and score in [0, 1] for every (elder, activity)."""

    eligible: NDArray[np.bool_]
    score: NDArray[np.float64]


def pair_table(
    elders: list[Elder],
    activities: list[Activity],
    isolations: NDArray[np.float64],
    settings: ActivitySettings,
) -> PairTable:
    """Vectorised ``pair_problem`` and score; must agree with the one-pair rules above."""

    def coords(points: list[Point | None]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        lat = np.array([np.nan if p is None else p.lat for p in points], dtype=float)
        lon = np.array([np.nan if p is None else p.lon for p in points], dtype=float)
        return np.radians(lat), np.radians(lon)

    e_lat, e_lon = coords([e.point for e in elders])
    a_lat, a_lon = coords([a.point for a in activities])
    h = (
        np.sin((a_lat[None, :] - e_lat[:, None]) / 2) ** 2
        + np.cos(e_lat)[:, None]
        * np.cos(a_lat)[None, :]
        * np.sin((a_lon[None, :] - e_lon[:, None]) / 2) ** 2
    )
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
    known = ~np.isnan(km)
    needs = np.array([e.needs_transport for e in elders], dtype=bool)[:, None]
    wheel = np.array([_uses_wheelchair(e) for e in elders], dtype=bool)[:, None]
    transport = np.array([a.transport for a in activities], dtype=bool)[None, :]
    accessible = np.array([a.wheelchair for a in activities], dtype=bool)[None, :]
    with np.errstate(invalid="ignore"):
        near = known & (km <= settings.max_km) & (~needs | (km <= settings.transport_km))
    eligible = (~wheel | accessible) & (transport | near | (~known & ~needs))

    vocabulary = sorted(
        set().union(
            *(_tokens(e.interests) for e in elders), *(_tokens(a.themes) for a in activities)
        )
    )
    index = {word: i for i, word in enumerate(vocabulary)}

    def bag(sets: list[set[str]]) -> NDArray[np.float32]:
        out = np.zeros((len(sets), len(vocabulary)), dtype=np.float32)
        for row, words in enumerate(sets):
            out[row, [index[w] for w in words]] = 1.0
        return out

    interests = bag([_tokens(e.interests) for e in elders])
    shared = interests @ bag([_tokens(a.themes) for a in activities]).T
    has_interests = interests.sum(axis=1, keepdims=True) > 0
    f_interest = np.where(has_interests, np.minimum(shared, 2.0) / 2.0, 0.5)
    with np.errstate(invalid="ignore"):
        f_distance = np.where(known, np.clip(1.0 - km / settings.max_km, 0.0, 1.0), 0.5)
    f_season = np.array([1.0 if in_season(a, settings) else 0.0 for a in activities])[None, :]
    f_cost = np.array([_cost_credit(a.cost, settings) for a in activities])[None, :]
    weights = settings._weights()
    total = (
        weights[0] * f_interest
        + weights[1] * f_distance
        + weights[2] * f_season
        + weights[3] * f_cost
        + weights[4] * isolations[:, None]
    ) / sum(weights)
    return PairTable(eligible, total.astype(np.float64))


def pair_score(
    elder: Elder, activity: Activity, isolation_value: float, settings: ActivitySettings
) -> float:
    """The score of one pair in [0, 1] (the same formula as ``pair_table``)."""
    interests = _tokens(elder.interests)
    shared = len(interests & _tokens(activity.themes))
    km = pair_km(elder, activity)
    factors = (
        min(shared, 2) / 2 if interests else 0.5,
        0.5 if km is None else min(1.0, max(0.0, 1.0 - km / settings.max_km)),
        1.0 if in_season(activity, settings) else 0.0,
        _cost_credit(activity.cost, settings),
        isolation_value,
    )
    weights = settings._weights()
    return sum(w * f for w, f in zip(weights, factors, strict=True)) / sum(weights)


def _cost_credit(cost: float, settings: ActivitySettings) -> float:
    if cost <= 0:
        return 1.0
    if settings.cost_max_eur <= 0:
        return 0.0
    return max(0.0, 1.0 - cost / settings.cost_max_eur)


# --- the plan ---------------------------------------------------------------------------------


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
        decision = _text(r.get("decision")).casefold()
        rows.append(
            _Row(
                r,
                _text(r.get("elder")),
                _text(r.get("activity")),
                decision == SIGNED_UP,
                decision == NOT_INTERESTED,
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
) -> ActivityPlan:
    """Tonight's Activiteitvoorstellen: every existing row's status, and new suggestions."""
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
            values["status"] = "aangemeld"
            past = activity is not None and activity.date is not None and activity.date < today
            if past and (r.elder, r.activity) not in known_attendance:
                assert activity is not None and activity.date is not None
                attended.append(Attendance(r.row.row, activity.date, r.elder, r.activity))
                known_attendance.add((r.elder, r.activity))
        elif r.declined:
            values["status"] = "afgewezen"
        elif r.status != "vervallen":
            reason = _open_problem(r, elder, activity, today, settings)
            if reason is None:
                kept.setdefault(r.activity, []).append(r)
                values["status"] = "open"
            else:
                values.update(status="vervallen", why=f"vervallen: {reason}")
                expired += 1
        desired[r.row.key] = values

    for activity_id, open_rows in kept.items():
        places = activities[activity_id].places
        room = None if places is None else max(0, places - signups[activity_id])
        if room is not None and len(open_rows) > room:
            for r in open_rows[room:]:  # the oldest suggestions keep their place
                desired[r.row.key].update(status="vervallen", why="vervallen: activiteit is vol")
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
    next_number = 1 + max((_key_number(r.row.key, settings.key_prefix) for r in rows), default=0)
    for offset, values in enumerate(new_rows):
        desired[f"{settings.key_prefix}{next_number + offset:04d}"] = values
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
    if not elder.consent:
        return "geen toestemming meer"
    if elder.status != "actief":
        return f"oudere heeft status {elder.status}"
    if activity is None:
        return "activiteit staat niet meer in Activiteiten"
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


def _key_number(key: str, prefix: str) -> int:
    match = re.fullmatch(re.escape(prefix) + r"(\d+)", key.strip())
    return int(match.group(1)) if match else 0


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
        (a for a in activities if a.date is not None and today <= a.date <= end),
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
    table = pair_table(people, upcoming, iso, settings)
    eligible = table.eligible.copy()
    person_index = {e.id: i for i, e in enumerate(people)}
    activity_index = {a.id: j for j, a in enumerate(upcoming)}
    for elder_id, activity_id in blocked:
        i, j = person_index.get(elder_id), activity_index.get(activity_id)
        if i is not None and j is not None:
            eligible[i, j] = False
    held_arr = np.array([held[e.id] for e in people], dtype=np.int64)
    result = assign(
        AssignmentProblem(
            table.score, eligible, settings.per_person - held_arr, held_arr, capacity
        ),
        settings.max_lp_rounds,
    )

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
                "activity": activity.id,
                "title": activity.title,
                "when": when_text(activity),
                "location": activity.location,
                "km": None if km is None else round(km, 1),
                "why": explain(elder, activity, lasts[i], today, settings),
                "status": "open",
            }
        )
    return out
