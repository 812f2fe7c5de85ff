"""Property tests of the help strand over random small towns: no proposal breaks a hard rule,
first choices are optimal (checked against brute force), urgent requests come first, and the
bulk candidate pairs agree with the one-pair rules."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from dataclasses import dataclass

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sow_sheets.help.assignment import FirstChoiceProblem, first_choices
from sow_sheets.help.engine import plan_help
from sow_sheets.help.rules import Terms, candidate_pairs, helper_problem, pair_problem
from sow_sheets.help.rules import request_problem as request_blocked
from sow_sheets.help.settings import HelpSettings
from sow_sheets.model.dates import add_months
from sow_sheets.model.geo import Point, distance_km
from sow_sheets.model.records import Helper, HelpRequest, Records
from sow_sheets.model.worktab import WorkerRow
from tests.helpers import help_request, helper

NOW = dt.datetime(2026, 11, 26, 11, 0)  # a Thursday
TODAY = NOW.date()
SETTINGS = HelpSettings()
KINDS = ["boodschappen", "vervoer", "klus", "telefoon", "gezelschap", "anders"]
URGENCY = ["vandaag", "deze week", "flexibel"]
PROPS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def points(draw: st.DrawFn) -> Point | None:
    if draw(st.integers(0, 12)) == 0:
        return None
    north, east = draw(st.integers(0, 8)), draw(st.integers(0, 8))
    return Point(52.05 + north * 0.004, 4.47 + east * 0.006)  # ~0.45 km by ~0.4 km grid


@st.composite
def requests(draw: st.DrawFn, index: int) -> HelpRequest:
    needed = draw(st.one_of(st.none(), st.integers(-1, 12)))
    return help_request(
        f"HV-{index:04d}",
        row=index + 2,
        point=draw(points()),
        kind=draw(st.sampled_from(KINDS)),
        urgency=draw(st.sampled_from(URGENCY)),
        needed=None if needed is None else TODAY + dt.timedelta(days=needed),
        consent=draw(st.integers(0, 12)) > 0,
        status=draw(st.sampled_from(["open"] * 10 + ["geholpen", "geannuleerd"])),
        invalid=frozenset({"phone"}) if draw(st.integers(0, 15)) == 0 else frozenset(),
    )


@st.composite
def helpers(draw: st.DrawFn, index: int) -> Helper:
    vog = draw(st.sampled_from([None, 400, 1300, 2000]))
    return helper(
        f"HA-{index:04d}",
        row=index + 2,
        point=draw(points()),
        status=draw(st.sampled_from(["actief"] * 8 + ["pauze"])),
        consent=draw(st.integers(0, 10)) > 0,
        kinds=frozenset(draw(st.lists(st.sampled_from(KINDS), max_size=3))),
        days=frozenset(draw(st.lists(st.integers(0, 6), max_size=3))),
        transport=draw(st.sampled_from(["auto", "fiets", "geen"])),
        max_km=draw(st.sampled_from([0.5, 1.0, 2.0, 3.5])),
        max_per_week=draw(st.integers(0, 2)),
        vog_date=None if vog is None else TODAY - dt.timedelta(days=vog),
        invalid=frozenset({"email"}) if draw(st.integers(0, 15)) == 0 else frozenset(),
    )


@dataclass
class Town:
    requests: list[HelpRequest]
    helpers: list[Helper]
    rows: list[WorkerRow]  # history: help linked this week, pairs rejected

    def records(self) -> Records:
        return Records(help_requests=self.requests, helpers=self.helpers)


@st.composite
def towns(draw: st.DrawFn, max_requests: int = 5, max_helpers: int = 4) -> Town:
    reqs = [draw(requests(i)) for i in range(1, draw(st.integers(1, max_requests)) + 1)]
    helps = [draw(helpers(j)) for j in range(1, draw(st.integers(1, max_helpers)) + 1)]
    rows = []
    # Help already given this week (a closed request, linked today) uses up capacity.
    for n in range(draw(st.integers(0, 2))):
        done = help_request(f"HV-9{n:03d}", status="geholpen")
        reqs.append(done)
        who = draw(st.sampled_from(helps)).id
        rows.append(_row(len(rows), done.id, who, "gekoppeld"))
    for _ in range(draw(st.integers(0, 2))):
        r, h = draw(st.sampled_from(reqs)).id, draw(st.sampled_from(helps)).id
        rows.append(_row(len(rows), r, h, "afgewezen"))
    return Town(reqs, helps, rows)


def _row(n: int, request: str, helper_id: str, status: str) -> WorkerRow:
    values = {"date": TODAY, "request": request, "helper": helper_id, "status": status}
    return WorkerRow(f"HP-{n + 1:04d}", n + 2, values)  # type: ignore[arg-type]


# --- an independent statement of the hard rules ------------------------------------------------


def week(day: dt.date) -> tuple[int, int]:
    return day.isocalendar()[0], day.isocalendar()[1]


def accepted(town: Town) -> Counter[tuple[str, tuple[int, int]]]:
    out: Counter[tuple[str, tuple[int, int]]] = Counter()
    for row in town.rows:
        if row.values["status"] == "gekoppeld":
            out[(str(row.values["helper"]), week(TODAY))] += 1
    return out


def rejected(town: Town) -> set[tuple[str, str]]:
    return {
        (str(r.values["request"]), str(r.values["helper"]))
        for r in town.rows
        if r.values["status"] == "afgewezen"
    }


def may_help(town: Town, r: HelpRequest, h: Helper) -> bool:
    """The contract's hard rules, written out once more, plainly."""
    if r.status != "open" or not r.consent or r.invalid or r.kind is None:
        return False
    if r.needed is not None and r.needed < TODAY:
        return False
    if h.status != "actief" or not h.consent or h.invalid:
        return False
    if h.kinds and r.kind not in h.kinds:
        return False
    day = r.needed or TODAY
    if r.needed is not None:
        wanted = {r.needed.weekday()}
    elif r.urgency == "vandaag":
        wanted = {TODAY.weekday()}
    else:
        wanted = set(range(7))
    if h.days and not wanted & h.days:
        return False
    km = None if r.point is None or h.point is None else distance_km(r.point, h.point)
    if r.kind != "telefoon" and (km is None or km > h.max_km):
        return False
    by_bike = km is not None and km <= 3.0
    if r.kind == "vervoer" and not (h.transport == "auto" or (h.transport == "fiets" and by_bike)):
        return False
    vog_valid = h.vog_date is not None and add_months(h.vog_date, 36) > day
    if r.kind == "gezelschap" and not vog_valid:
        return False
    if accepted(town)[(h.id, week(day))] >= h.max_per_week:
        return False
    return (r.id, h.id) not in rejected(town)


def units(r: HelpRequest, h: Helper) -> int:
    if r.point is None or h.point is None:
        return 10_000
    return round(distance_km(r.point, h.point) * 100)


def best_by_brute_force(town: Town) -> tuple[int, int, int, int]:
    """(served, served vandaag, served deze week, -total distance) of the best first choices."""
    waiting = [r for r in town.requests if any(may_help(town, r, h) for h in town.helpers)]
    options = [[None, *(h for h in town.helpers if may_help(town, r, h))] for r in waiting]
    done = accepted(town)
    best = (0, 0, 0, 0)
    for pick in itertools.product(*options):
        load: Counter[tuple[str, tuple[int, int]]] = Counter()
        for r, h in zip(waiting, pick, strict=True):
            if h is not None:
                load[(h.id, week(r.needed or TODAY))] += 1
        helpers_by_id = {h.id: h for h in town.helpers}
        if any(n + done[k] > helpers_by_id[k[0]].max_per_week for k, n in load.items()):
            continue
        chosen = [(r, h) for r, h in zip(waiting, pick, strict=True) if h is not None]
        best = max(best, objective(chosen))
    return best


def objective(chosen: list[tuple[HelpRequest, Helper]]) -> tuple[int, int, int, int]:
    return (
        len(chosen),
        sum(r.urgency == "vandaag" for r, _ in chosen),
        sum(r.urgency == "deze week" for r, _ in chosen),
        -sum(units(r, h) for r, h in chosen),
    )


# --- the properties ---------------------------------------------------------------------------


def new_rows(town: Town) -> list[dict[str, object]]:
    plan = plan_help(town.records(), town.rows, NOW, SETTINGS)
    keys = {r.key for r in town.rows}
    return [dict(v) for k, v in plan.proposals.items() if k not in keys]


@PROPS
@given(towns())
def test_no_proposal_breaks_a_hard_rule_and_first_choices_share_capacity(town: Town) -> None:
    by_request = {r.id: r for r in town.requests}
    by_helper = {h.id: h for h in town.helpers}
    rows = new_rows(town)
    load: Counter[tuple[str, tuple[int, int]]] = Counter()
    ranks: dict[str, list[int]] = {}
    for row in rows:
        r, h = by_request[str(row["request"])], by_helper[str(row["helper"])]
        assert may_help(town, r, h), (r, h)
        ranks.setdefault(r.id, []).append(int(row["rank"]))  # type: ignore[call-overload]
        if row["rank"] == 1:
            load[(h.id, week(r.needed or TODAY))] += 1
    done = accepted(town)
    for (hid, w), n in load.items():
        assert n + done[(hid, w)] <= by_helper[hid].max_per_week
    for got in ranks.values():
        assert got == list(range(1, len(got) + 1)) and len(got) <= SETTINGS.proposals
    assert len({(row["request"], row["helper"]) for row in rows}) == len(rows)


@PROPS
@given(towns())
def test_first_choices_are_optimal_against_brute_force(town: Town) -> None:
    by_request = {r.id: r for r in town.requests}
    by_helper = {h.id: h for h in town.helpers}
    chosen = [
        (by_request[str(row["request"])], by_helper[str(row["helper"])])
        for row in new_rows(town)
        if row["rank"] == 1
    ]
    assert objective(chosen) == best_by_brute_force(town)


@PROPS
@given(towns(max_requests=6, max_helpers=5))
def test_an_urgent_request_never_waits_while_a_less_urgent_one_holds_its_helper(
    town: Town,
) -> None:
    tier = {"vandaag": 0, "deze week": 1, "flexibel": 2}
    by_request = {r.id: r for r in town.requests}
    first = {str(row["request"]): str(row["helper"]) for row in new_rows(town) if row["rank"] == 1}
    done = accepted(town)
    for u in town.requests:
        if u.id in first:
            continue
        for h in town.helpers:
            if not may_help(town, u, h):
                continue
            w = week(u.needed or TODAY)
            holders = [
                by_request[rid]
                for rid, hid in first.items()
                if hid == h.id and week(by_request[rid].needed or TODAY) == w
            ]
            # A free place would have served u; else nobody less urgent may hold h.
            assert len(holders) + done[(h.id, w)] >= h.max_per_week
            assert all(tier[other.urgency] <= tier[u.urgency] for other in holders)


@PROPS
@given(towns(max_requests=6, max_helpers=6))
def test_bulk_candidates_agree_with_the_one_pair_rules(town: Town) -> None:
    terms = Terms(TODAY, SETTINGS, accepted(town), frozenset(rejected(town)))
    waiting = [r for r in town.requests if request_blocked(r, TODAY) is None]
    able = [h for h in town.helpers if helper_problem(h) is None]
    found = candidate_pairs(waiting, able, terms)
    bulk = {(waiting[i].id, able[j].id) for i, j in zip(found.request, found.helper, strict=True)}
    one = {
        (r.id, h.id)
        for r in town.requests
        for h in town.helpers
        if pair_problem(r, h, terms) is None
    }
    assert bulk == one
    assert one == {
        (r.id, h.id) for r in town.requests for h in town.helpers if may_help(town, r, h)
    }


@st.composite
def flow_problems(draw: st.DrawFn) -> FirstChoiceProblem:
    requests_, slots = draw(st.integers(1, 6)), draw(st.integers(1, 4))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, requests_ - 1), st.integers(0, slots - 1)),
            unique=True,
            max_size=14,
        )
    )
    costs = draw(st.lists(st.integers(0, 2000), min_size=len(pairs), max_size=len(pairs)))
    return FirstChoiceProblem(
        np.array(draw(st.lists(st.integers(0, 2), min_size=requests_, max_size=requests_))),
        np.array([p[0] for p in pairs], dtype=np.int64),
        np.array([p[1] for p in pairs], dtype=np.int64),
        np.array(costs, dtype=np.int64),
        np.array(draw(st.lists(st.integers(0, 2), min_size=slots, max_size=slots))),
    )


def _score(problem: FirstChoiceProblem, chosen: list[int]) -> tuple[int, ...]:
    tiers = [int(problem.tier[problem.pair_request[i]]) for i in chosen]
    return (
        len(chosen),
        tiers.count(0),
        tiers.count(1),
        -sum(int(problem.pair_cost[i]) for i in chosen),
    )


@settings(max_examples=150, deadline=None)
@given(flow_problems())
def test_the_min_cost_flow_equals_brute_force(problem: FirstChoiceProblem) -> None:
    chosen = first_choices(problem).tolist()
    requests_ = [int(r) for r in problem.pair_request[chosen]]
    assert len(set(requests_)) == len(requests_)
    load = Counter(int(problem.pair_slot[i]) for i in chosen)
    assert all(n <= max(int(problem.capacity[s]), 0) for s, n in load.items())
    pairs_of: dict[int, list[int]] = {}
    for i, r in enumerate(problem.pair_request.tolist()):
        pairs_of.setdefault(r, []).append(i)
    best: tuple[int, ...] = (0, 0, 0, 0)
    for pick in itertools.product(*([None, *p] for p in pairs_of.values())):
        picked = [i for i in pick if i is not None]
        used = Counter(int(problem.pair_slot[i]) for i in picked)
        if all(n <= problem.capacity[s] for s, n in used.items()):
            best = max(best, _score(problem, picked))
    assert _score(problem, chosen) == best
