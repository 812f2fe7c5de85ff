"""When a helper can take a request for help, and why: the hard rules and ``Waarom``.

``pair_problem`` judges one pair and says in plain Dutch what stands in the way (it decides
whether an open proposal lapses, and it is the reference the tests hold the bulk version to);
``candidate_pairs`` applies the same rules to every pair at once, as arrays.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sow_sheets.help.settings import HelpSettings
from sow_sheets.model.dates import add_months
from sow_sheets.model.dutch import date_text, days_text, km_text, number_text
from sow_sheets.model.geo import Point, distance_km, distances_km
from sow_sheets.model.records import Helper, HelpRequest, hold_reason
from sow_sheets.model.words import (
    HelpKind,
    HelpRequestStatus,
    TransportMode,
    Urgency,
    choices,
)

Week = tuple[int, int]  # ISO year and week number
ALL_DAYS = frozenset(range(7))
# What a helper "can" in `Waarom`, per kind of help, as people say it.
CAN: dict[str, str] = {
    HelpKind.GROCERIES: "kan boodschappen",
    HelpKind.TRANSPORT: "kan vervoer",
    HelpKind.ODD_JOB: "kan klussen",
    HelpKind.PHONE: "kan bellen",
    HelpKind.COMPANY: "kan gezelschap bieden",
    HelpKind.OTHER: "kan ook andere hulp",
}
# Distances enter the assignment as whole units of 10 m; an unknown one (phone help) as 100 km.
UNITS_PER_KM = 100
UNKNOWN_UNITS = 100 * UNITS_PER_KM


@dataclass(frozen=True)
class Terms:
    """What the rules need besides the pair: the day, the settings, help already accepted
    per (helper, week) and the pairs the coordinator rejected (request ID, helper ID)."""

    today: dt.date
    settings: HelpSettings
    accepted: Mapping[tuple[str, Week], int]
    rejected: frozenset[tuple[str, str]] = frozenset()


def week_of(day: dt.date) -> Week:
    iso = day.isocalendar()
    return iso[0], iso[1]


def help_day(request: HelpRequest, today: dt.date) -> dt.date:
    """The day the help is for: `Wanneer`, or today for `zo snel mogelijk`."""
    return request.needed or today


def request_days(request: HelpRequest, today: dt.date) -> frozenset[int]:
    """Weekdays on which a helper could do it: `Wanneer`'s, today's for an urgent request
    without a date, else any day (within the coming week)."""
    if request.needed is not None:
        return frozenset({request.needed.weekday()})
    if request.urgency == Urgency.TODAY:
        return frozenset({today.weekday()})
    return ALL_DAYS


def helper_days(helper: Helper) -> frozenset[int]:
    """A helper's days; an empty `Dagen` means any day."""
    return helper.days or ALL_DAYS


def offers(helper: Helper, kind: str) -> bool:
    """Whether the helper does this kind of help; an empty `Soorten` means every kind."""
    return not helper.kinds or kind in helper.kinds


def vog_expiry(helper: Helper, settings: HelpSettings) -> dt.date | None:
    """The first day the helper's VOG is no longer valid, or None without a VOG."""
    if helper.vog_date is None:
        return None
    return add_months(helper.vog_date, settings.vog_max_months)


def pair_km(request: HelpRequest, helper: Helper) -> float | None:
    if request.point is None or helper.point is None:
        return None
    return distance_km(request.point, helper.point)


def week_text(week: Week, today: dt.date) -> str:
    """``deze week``, ``volgende week`` or ``in de week van 7-12-2026``."""
    if week == week_of(today):
        return "deze week"
    if week == week_of(today + dt.timedelta(days=7)):
        return "volgende week"
    return f"in de week van {date_text(dt.date.fromisocalendar(week[0], week[1], 1))}"


def request_problem(request: HelpRequest, today: dt.date) -> str | None:
    """Why no helper can be proposed for this request at all, or None."""
    if request.status != HelpRequestStatus.OPEN:
        return f"hulpvraag is {request.status}"
    if request.needed is not None and request.needed < today:
        return f"de datum {date_text(request.needed)} is voorbij"
    if not request.awaiting_help:
        if not request.consent:
            return "hulpvraag heeft geen toestemming (meer)"
        return "een cel van de hulpvraag klopt niet (zie Signalen)"
    if request.kind is None:
        return "soort hulp onbekend"
    if request.kind != HelpKind.PHONE and request.point is None:
        return "locatie van hulpvraag onbekend (postcode)"
    return None


def helper_problem(helper: Helper) -> str | None:
    """Why this helper cannot be proposed at all, or None: the model's one rule for people."""
    return hold_reason(helper, "helper")


def room(helper: Helper, week: Week, terms: Terms) -> int:
    """How many more times the helper may help in ``week``, counting accepted help."""
    return helper.max_per_week - terms.accepted.get((helper.id, week), 0)


def pair_problem(request: HelpRequest, helper: Helper, terms: Terms) -> str | None:
    """The first hard rule this pair breaks, as a Dutch reason, or None when it may be proposed."""
    problem = request_problem(request, terms.today) or helper_problem(helper)
    if problem:
        return problem
    kind = str(request.kind)
    settings = terms.settings
    if not offers(helper, kind):
        return f"{kind} staat niet bij de Soorten van de helper"
    wanted = request_days(request, terms.today)
    if not wanted & helper_days(helper):
        return f"helper is niet vrij op {days_text(wanted)}"
    km = pair_km(request, helper)
    if kind != HelpKind.PHONE:
        if km is None:
            return "locatie van helper onbekend (postcode)"
        if km > helper.max_km:
            return (
                f"afstand {number_text(km)} km is meer dan de maximale "
                f"{number_text(helper.max_km)} km van helper"
            )
    if kind == HelpKind.TRANSPORT:
        if helper.transport == TransportMode.NONE:
            return "voor vervoer is een helper met auto of fiets nodig"
        if helper.transport == TransportMode.BIKE and km is not None and km > settings.bike_km:
            return (
                f"met de fiets hooguit {number_text(settings.bike_km)} km, "
                f"afstand {number_text(km)} km"
            )
    day = help_day(request, terms.today)
    if kind in settings.vog_kinds:
        expiry = vog_expiry(helper, settings)
        if expiry is None:
            return f"voor {kind} is een VOG nodig; VOG-datum van helper ontbreekt"
        if expiry <= day:
            verb = "is verlopen" if expiry <= terms.today else "verloopt vóór de hulp"
            return f"VOG van helper {verb} op {date_text(expiry)}"
    week = week_of(day)
    if room(helper, week, terms) <= 0:
        done = terms.accepted.get((helper.id, week), 0)
        return (
            f"helper heeft {week_text(week, terms.today)} al {done} van "
            f"{helper.max_per_week} keer geholpen"
        )
    if (request.id, helper.id) in terms.rejected:
        return "dit paar is eerder afgewezen"
    return None


def explain(request: HelpRequest, helper: Helper, km: float | None, terms: Terms) -> str:
    """``Waarom`` in plain Dutch: "0,6 km; kan boodschappen; vrij op di; deze week 1 van 3
    keer geholpen"."""
    kind = str(request.kind)
    parts = []
    if kind == HelpKind.PHONE:
        parts.append("telefonisch, afstand telt niet")
    elif km is not None:
        parts.append(km_text(km))
    can = CAN.get(kind, f"kan {kind}")
    parts.append(f"{can} ({helper.transport})" if kind == HelpKind.TRANSPORT else can)
    wanted = request_days(request, terms.today)
    if not helper.days:
        parts.append("dagen niet ingevuld")
    elif wanted != ALL_DAYS:
        parts.append(f"vrij op {days_text(wanted)}")
    else:
        parts.append(f"vrij op {days_text(helper.days)}")
    day = help_day(request, terms.today)
    expiry = vog_expiry(helper, terms.settings)
    if kind in terms.settings.vog_kinds and expiry is not None:
        parts.append(f"VOG geldig tot {date_text(expiry)}")
    week = week_of(day)
    done = terms.accepted.get((helper.id, week), 0)
    parts.append(f"{week_text(week, terms.today)} {done} van {helper.max_per_week} keer geholpen")
    return "; ".join(parts)


# --- all pairs at once: the same rules as arrays ----------------------------------------------

KIND_BIT = {kind: 1 << i for i, kind in enumerate(choices(HelpKind))}
EVERY_KIND = sum(KIND_BIT.values())
EVERY_DAY = (1 << 7) - 1
TRANSPORT_CODE: dict[str, int] = {
    TransportMode.NONE: 0,
    TransportMode.BIKE: 1,
    TransportMode.CAR: 2,
}
PAIRS_PER_BLOCK = 1 << 21  # request × helper cells evaluated at once (bounds the memory)


@dataclass(frozen=True)
class Candidates:
    """Every allowed (request, helper) pair, as index arrays into the lists given, with the
    distance (NaN when unknown), its whole units for the assignment, and the pair's week.

    ``weeks`` lists the weeks the requests fall in; ``room[h, w]`` is how many more times
    helper h may help in week w.
    """

    request: NDArray[np.int64]
    helper: NDArray[np.int64]
    km: NDArray[np.float64]
    units: NDArray[np.int64]
    week: NDArray[np.int64]
    weeks: list[Week]
    room: NDArray[np.int64]

    def __len__(self) -> int:
        return int(self.request.size)


def _coords(points: list[Point | None]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    lat = np.array([np.nan if p is None else p.lat for p in points], dtype=np.float64)
    lon = np.array([np.nan if p is None else p.lon for p in points], dtype=np.float64)
    return lat, lon


def _mask(bits: dict[str, int] | None, values: frozenset[str] | frozenset[int]) -> int:
    if bits is None:
        return sum(1 << int(v) for v in values)
    return sum(bits[str(v)] for v in values if str(v) in bits)


def candidate_pairs(requests: list[HelpRequest], helpers: list[Helper], terms: Terms) -> Candidates:
    """``pair_problem`` for every pair of requests that can be helped (``request_problem`` is
    None) and helpers that may help (``helper_problem`` is None), vectorised: the allowed pairs."""
    settings = terms.settings
    today = terms.today
    days = [help_day(r, today) for r in requests]
    weeks = sorted({week_of(d) for d in days})
    week_index = {w: i for i, w in enumerate(weeks)}
    r_week = np.array([week_index[week_of(d)] for d in days], dtype=np.int64)
    r_day = np.array([d.toordinal() for d in days], dtype=np.int64)
    r_kind = np.array([KIND_BIT[str(r.kind)] for r in requests], dtype=np.int64)
    r_days = np.array([_mask(None, request_days(r, today)) for r in requests], dtype=np.int64)
    r_phone = np.array([r.kind == HelpKind.PHONE for r in requests], dtype=bool)
    r_ride = np.array([r.kind == HelpKind.TRANSPORT for r in requests], dtype=bool)
    r_vog = np.array([r.kind in settings.vog_kinds for r in requests], dtype=bool)
    r_lat, r_lon = _coords([r.point for r in requests])

    h_kinds = np.array([_mask(KIND_BIT, h.kinds) or EVERY_KIND for h in helpers], dtype=np.int64)
    h_days = np.array([_mask(None, h.days) or EVERY_DAY for h in helpers], dtype=np.int64)
    h_mode = np.array([TRANSPORT_CODE.get(h.transport, 0) for h in helpers], dtype=np.int64)
    h_max = np.array([h.max_km for h in helpers], dtype=np.float64)
    expiries = [vog_expiry(h, settings) for h in helpers]
    h_vog = np.array([-1 if e is None else e.toordinal() for e in expiries], dtype=np.int64)
    h_lat, h_lon = _coords([h.point for h in helpers])
    by_request = {r.id: i for i, r in enumerate(requests)}
    by_helper = {h.id: j for j, h in enumerate(helpers)}
    # ``room`` for every helper and week: the weekly maximum minus the help accepted.
    room_of = np.repeat(
        np.array([h.max_per_week for h in helpers], dtype=np.int64)[:, None], len(weeks), axis=1
    )
    for (hid, week), done in terms.accepted.items():
        if hid in by_helper and week in week_index:
            room_of[by_helper[hid], week_index[week]] -= done
    free_t = (room_of > 0).T  # week × helper
    rejected = np.array(
        [
            by_request[rid] * len(helpers) + by_helper[hid]
            for rid, hid in terms.rejected
            if rid in by_request and hid in by_helper
        ],
        dtype=np.int64,
    )

    found_r: list[NDArray[np.int64]] = []
    found_h: list[NDArray[np.int64]] = []
    found_km: list[NDArray[np.float64]] = []
    step = max(1, PAIRS_PER_BLOCK // max(len(helpers), 1))
    for lo in range(0, len(requests), step):
        hi = min(lo + step, len(requests))
        # The cheap rules on the whole block first; distances only for the pairs left.
        ok = (h_kinds[None, :] & r_kind[lo:hi, None]) != 0
        ok &= (h_days[None, :] & r_days[lo:hi, None]) != 0
        ok &= ~r_vog[lo:hi, None] | (h_vog[None, :] > r_day[lo:hi, None])
        ok &= free_t[r_week[lo:hi]]
        i, j = np.nonzero(ok)
        i = i.astype(np.int64) + lo
        j = j.astype(np.int64)
        km = distances_km(r_lat[i], r_lon[i], h_lat[j], h_lon[j])
        with np.errstate(invalid="ignore"):
            near = km <= h_max[j]
            by_bike = km <= settings.bike_km
        keep = r_phone[i] | near
        keep &= ~r_ride[i] | (h_mode[j] == 2) | ((h_mode[j] == 1) & by_bike)
        found_r.append(i[keep])
        found_h.append(j[keep])
        found_km.append(km[keep])
    pi = np.concatenate(found_r) if found_r else np.zeros(0, dtype=np.int64)
    pj = np.concatenate(found_h) if found_h else np.zeros(0, dtype=np.int64)
    pkm = np.concatenate(found_km) if found_km else np.zeros(0, dtype=np.float64)
    if rejected.size:
        keep = ~np.isin(pi * len(helpers) + pj, rejected)
        pi, pj, pkm = pi[keep], pj[keep], pkm[keep]
    units = np.where(np.isnan(pkm), UNKNOWN_UNITS, np.rint(np.nan_to_num(pkm) * UNITS_PER_KM))
    return Candidates(pi, pj, pkm, units.astype(np.int64), r_week[pi], weeks, room_of)
