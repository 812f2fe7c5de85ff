"""The rules for one older person and one activity: settings, access, score and ``Waarom``.

Pure core shared by the nightly plan (``activities``) and the benchmark: ``pair_problem`` and
``pair_score`` judge one pair, ``pair_table`` applies the same rules to all pairs at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sow_sheets.activities.assignment import PairScores
from sow_sheets.activities.settings import ActivitySettings
from sow_sheets.model.dutch import day_date_text, km_text, number_text
from sow_sheets.model.geo import Point, distance_km, distances_km
from sow_sheets.model.records import Activity, Elder

# --- one pair ---------------------------------------------------------------------------------


def pair_km(elder: Elder, activity: Activity) -> float | None:
    """Distance in km between the person and the activity, or None when either is unknown."""
    if elder.point is None or activity.point is None:
        return None
    return distance_km(elder.point, activity.point)


def pair_problem(elder: Elder, activity: Activity, settings: ActivitySettings) -> str | None:
    """Why this person cannot go to this activity (Dutch), or None when they can.

    Covers access and travel only; dates, capacity and earlier answers are checked elsewhere.
    """
    if uses_wheelchair(elder) and not activity.wheelchair:
        return "activiteit is niet rolstoeltoegankelijk"
    if activity.transport:
        return None  # distance lowers the score but never excludes
    km = pair_km(elder, activity)
    if km is None:
        return "vervoer nodig en afstand onbekend" if elder.needs_transport else None
    if elder.needs_transport and km > settings.transport_km:
        return (
            f"vervoer nodig en {number_text(km)} km zonder vervoer geregeld "
            f"(meer dan {number_text(settings.transport_km)} km)"
        )
    if km > settings.max_km:
        return f"{number_text(km)} km, verder dan {number_text(settings.max_km)} km"
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
    shared = sorted(tokens(elder.interests) & tokens(activity.themes))
    if shared:
        parts.append("interesses: " + ", ".join(shared))
    km = pair_km(elder, activity)
    parts.append("afstand onbekend" if km is None else km_text(km))
    if activity.transport and elder.needs_transport:
        parts.append("vervoer geregeld")
    if uses_wheelchair(elder):
        parts.append("rolstoeltoegankelijk")
    programme = in_season(activity, settings)
    if programme:
        parts.append(f"programma {programme}")
    parts.append("gratis" if activity.cost <= 0 else f"€ {number_text(activity.cost, 2)}")
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
    text = day_date_text(d)
    return f"{text} {activity.time.strip()}".strip()


def isolation(last: dt.date | None, today: dt.date, settings: ActivitySettings) -> float:
    """0 = contact today, 1 = no contact for ``isolation_days`` or ever."""
    if last is None:
        return 1.0
    return min(1.0, max(0, (today - last).days) / settings.isolation_days)


def uses_wheelchair(elder: Elder) -> bool:
    """Whether only wheelchair-accessible activities fit this person."""
    return elder.mobility.strip().casefold() == "rolstoel"


def tokens(values: frozenset[str]) -> set[str]:
    """Interests or themes compared case-insensitively."""
    return {v.strip().casefold() for v in values if v.strip()}


def pair_score(
    elder: Elder, activity: Activity, isolation_value: float, settings: ActivitySettings
) -> float:
    """The score of one pair in [0, 1] (the same formula as ``pair_table``)."""
    interests = tokens(elder.interests)
    shared = len(interests & tokens(activity.themes))
    km = pair_km(elder, activity)
    factors = (
        min(shared, 2) / 2 if interests else 0.5,
        0.5 if km is None else min(1.0, max(0.0, 1.0 - km / settings.max_km)),
        1.0 if in_season(activity, settings) else 0.0,
        _cost_credit(activity.cost, settings),
        isolation_value,
    )
    weights = settings.weights()
    return sum(w * f for w, f in zip(weights, factors, strict=True)) / sum(weights)


def _cost_credit(cost: float, settings: ActivitySettings) -> float:
    if cost <= 0:
        return 1.0
    if settings.cost_max_eur <= 0:
        return 0.0
    return max(0.0, 1.0 - cost / settings.cost_max_eur)


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
    """Vectorised ``pair_problem`` and ``pair_score``; must agree with the one-pair rules."""

    def coords(points: list[Point | None]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        lat = np.array([np.nan if p is None else p.lat for p in points], dtype=float)
        lon = np.array([np.nan if p is None else p.lon for p in points], dtype=float)
        return lat, lon

    e_lat, e_lon = coords([e.point for e in elders])
    a_lat, a_lon = coords([a.point for a in activities])
    km = distances_km(e_lat[:, None], e_lon[:, None], a_lat[None, :], a_lon[None, :])
    known = ~np.isnan(km)
    needs = np.array([e.needs_transport for e in elders], dtype=bool)[:, None]
    wheel = np.array([uses_wheelchair(e) for e in elders], dtype=bool)[:, None]
    transport = np.array([a.transport for a in activities], dtype=bool)[None, :]
    accessible = np.array([a.wheelchair for a in activities], dtype=bool)[None, :]
    with np.errstate(invalid="ignore"):
        near = known & (km <= settings.max_km) & (~needs | (km <= settings.transport_km))
    eligible = (~wheel | accessible) & (transport | near | (~known & ~needs))

    interest_sets = [tokens(e.interests) for e in elders]
    theme_sets = [tokens(a.themes) for a in activities]
    vocabulary = sorted(set().union(*interest_sets, *theme_sets))
    index = {word: i for i, word in enumerate(vocabulary)}

    def bag(sets: list[set[str]]) -> NDArray[np.float32]:
        out = np.zeros((len(sets), len(vocabulary)), dtype=np.float32)
        for row, words in enumerate(sets):
            out[row, [index[w] for w in words]] = 1.0
        return out

    interests = bag(interest_sets)
    shared = interests @ bag(theme_sets).T
    has_interests = interests.sum(axis=1, keepdims=True) > 0
    f_interest = np.where(has_interests, np.minimum(shared, 2.0) / 2.0, 0.5)
    with np.errstate(invalid="ignore"):
        f_distance = np.where(known, np.clip(1.0 - km / settings.max_km, 0.0, 1.0), 0.5)
    f_season = np.array([1.0 if in_season(a, settings) else 0.0 for a in activities])[None, :]
    f_cost = np.array([_cost_credit(a.cost, settings) for a in activities])[None, :]
    weights = settings.weights()
    total = (
        weights[0] * f_interest
        + weights[1] * f_distance
        + weights[2] * f_season
        + weights[3] * f_cost
        + weights[4] * isolations[:, None]
    ) / sum(weights)
    return PairTable(eligible, total.astype(np.float64))


# At most this many (person, activity) cells are evaluated at once: the rules run as arrays on
# a slice of people at a time and only the allowed pairs' scores are kept (``PairScores``).
CHUNK_CELLS = 1 << 19


def pair_scores(
    elders: list[Elder],
    activities: list[Activity],
    isolations: NDArray[np.float64],
    settings: ActivitySettings,
    blocked: Collection[tuple[int, int]] = (),
) -> PairScores:
    """The allowed pairs' integer scores, evaluated on slices of people (the same rules as
    ``pair_table``); ``blocked`` (person index, activity index) pairs are left out."""
    table = PairScores(len(elders), len(activities))
    by_person: dict[int, list[int]] = {}
    for i, j in blocked:
        by_person.setdefault(i, []).append(j)
    step = max(1, CHUNK_CELLS // max(1, len(activities)))
    if activities:
        for start in range(0, len(elders), step):
            part = pair_table(
                elders[start : start + step], activities, isolations[start : start + step], settings
            )
            allowed = part.eligible
            for i in range(start, min(start + step, len(elders))):
                for j in by_person.get(i, ()):
                    allowed[i - start, j] = False
            table.add(start, allowed, part.score)
    return table
