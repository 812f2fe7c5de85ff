"""Property tests over random populations: the candidate graph agrees with the one-pair rules,
new proposals never break a hard constraint or a capacity, and the plan is optimal."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sow_sheets.matching import engine, scoring
from sow_sheets.matching.eligibility import pair_problem
from sow_sheets.matching.engine import plan_matching
from sow_sheets.matching.scoring import build_candidates, pair_score
from sow_sheets.matching.settings import MatchingSettings
from sow_sheets.model.geo import Point, distance_km, distances_km
from sow_sheets.model.records import Family, Match, Records, Volunteer

TODAY = dt.date(2026, 3, 1)
SETTINGS = MatchingSettings()
WORDS = ["wandelen", "koken", "tuinieren", "voorlezen", "muziek"]
LANGS = ["nederlands", "engels", "arabisch"]
KINDS = ["thuis", "buiten", "uitjes"]
FREQS = [None, "wekelijks", "tweewekelijks", "maandelijks"]
PROPS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

subset = st.frozensets


@st.composite
def points(draw: st.DrawFn) -> Point | None:
    if draw(st.integers(0, 19)) == 0:
        return None
    north, east = draw(st.integers(0, 16)), draw(st.integers(0, 16))
    return Point(52.0 + north * 0.005, 4.45 + east * 0.008)  # ~0.55 km by ~0.55 km grid


@st.composite
def languages(draw: st.DrawFn) -> frozenset[str]:
    """Mostly Dutch (empty means Dutch too), sometimes only another language."""
    extra = draw(subset(st.sampled_from(LANGS[1:]), max_size=1))
    kind = draw(st.integers(0, 5))
    return extra if kind == 0 else frozenset() if kind == 1 else extra | {"nederlands"}


@st.composite
def volunteers(draw: st.DrawFn, index: int) -> Volunteer:
    low = draw(st.sampled_from([0, 0, 0, 2, 4, 6]))
    return Volunteer(
        id=f"GO-{index:04d}",
        row=index + 2,
        name=f"Grootouder {index}",
        organisation="Present",
        intake_date=TODAY - dt.timedelta(days=draw(st.integers(0, 400))),
        status=draw(st.sampled_from(["actief"] * 8 + ["pauze", "gestopt"])),
        consent=draw(st.integers(0, 9)) > 0,
        point=draw(points()),
        vog_date=None
        if draw(st.integers(0, 9)) == 0
        else TODAY - dt.timedelta(days=30 * draw(st.integers(0, 40))),
        max_km=draw(st.sampled_from([1.0, 2.5, 5.0, 8.0])),
        max_families=draw(st.integers(1, 3)),
        frequency=draw(st.sampled_from(FREQS)),
        contact_kinds=draw(subset(st.sampled_from(KINDS), max_size=2)),
        days=draw(subset(st.integers(0, 6), max_size=4)),
        child_ages=None if draw(st.integers(0, 4)) == 0 else (low, low + draw(st.integers(4, 14))),
        languages=draw(languages()),
        interests=draw(subset(st.sampled_from(WORDS), max_size=3)),
        pets=draw(st.integers(0, 3)) == 0,
        smokes=draw(st.integers(0, 5)) == 0,
    )


@st.composite
def families(draw: st.DrawFn, index: int) -> Family:
    return Family(
        id=f"GZ-{index:04d}",
        row=index + 2,
        name=f"Gezin {index}",
        organisation="Present",
        intake_date=draw(st.none() | st.integers(0, 300).map(lambda d: TODAY - dt.timedelta(d))),
        status=draw(st.sampled_from(["actief"] * 9 + ["pauze"])),
        consent=draw(st.integers(0, 9)) > 0,
        point=draw(points()),
        children=tuple(draw(st.lists(st.integers(0, 14), max_size=3))),
        frequency=draw(st.sampled_from(FREQS)),
        contact_kinds=draw(subset(st.sampled_from(KINDS), max_size=2)),
        days=draw(subset(st.integers(0, 6), max_size=4)),
        languages=draw(languages()),
        interests=draw(subset(st.sampled_from(WORDS), max_size=3)),
        no_pets=draw(st.integers(0, 3)) == 0,
        smoke_free=draw(st.integers(0, 2)) == 0,
    )


@st.composite
def populations(draw: st.DrawFn, max_v: int, max_f: int) -> Records:
    vols = [draw(volunteers(i)) for i in range(draw(st.integers(1, max_v)))]
    fams = [draw(families(i)) for i in range(draw(st.integers(1, max_f)))]
    matches = []
    if vols and fams and draw(st.booleans()):  # one earlier, hand-typed match
        matches.append(Match("K1", 2, vols[0].id, fams[0].id, TODAY, active=draw(st.booleans())))
    return Records(volunteers=vols, families=fams, matches=matches)


def brute_force(records: Records) -> tuple[int, int]:
    """Best (families served, total score) by trying every assignment."""
    active = Counter(m.volunteer for m in records.matches if m.active)
    busy = {m.family for m in records.matches if m.active}
    before = {(m.volunteer, m.family) for m in records.matches}
    room = {v.id: v.max_families - active[v.id] for v in records.volunteers}
    options = []
    for f in records.families:
        choices: list[tuple[str, int] | None] = [None]
        if f.id not in busy:
            for v in records.volunteers:
                if (v.id, f.id) in before or room[v.id] <= 0:
                    continue
                score = pair_score(v, f, TODAY, SETTINGS)
                if score is not None:
                    choices.append((v.id, score))
        options.append(choices)
    best = (0, 0)
    for combo in itertools.product(*options):
        picked = [c for c in combo if c is not None]
        used = Counter(v for v, _ in picked)
        if all(used[v] <= room[v] for v in used):
            best = max(best, (len(picked), sum(s for _, s in picked)))
    return best


@PROPS
@given(populations(max_v=8, max_f=10))
def test_candidate_graph_equals_the_one_pair_rules(records: Records) -> None:
    found = build_candidates(records.volunteers, records.families, TODAY, SETTINGS)
    graph = {(int(v), int(f)) for v, f in zip(found.volunteer, found.family, strict=True)}
    for vi, v in enumerate(records.volunteers):
        for fi, f in enumerate(records.families):
            eligible = pair_problem(v, f, TODAY, SETTINGS) is None
            assert ((vi, fi) in graph) == eligible, pair_problem(v, f, TODAY, SETTINGS)
    assert all(0 <= s <= 100 for s in found.score.tolist())


@PROPS
@given(populations(max_v=8, max_f=12), st.integers(1, 30))
def test_candidates_built_in_slices_of_volunteers_equal_the_whole(
    records: Records, slice_pairs: int
) -> None:
    """A dense town is judged a few volunteers at a time: the same pairs, kms and scores."""
    excluded = {(v.id, f.id) for v in records.volunteers[:1] for f in records.families[:2]}
    args = (records.volunteers, records.families, TODAY, SETTINGS, excluded)
    whole = build_candidates(*args)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scoring, "SLICE_PAIRS", slice_pairs)
        sliced = build_candidates(*args)
    for name in ("volunteer", "family", "km", "score"):
        assert getattr(sliced, name).tolist() == getattr(whole, name).tolist(), name


@PROPS
@given(populations(max_v=8, max_f=12))
def test_age_part_per_range_table_equals_the_per_pair_sums(records: Records) -> None:
    """The age part is looked up per (distinct age range, family): the same scores as the
    sums per pair that a very varied population falls back to."""
    args = (records.volunteers, records.families, TODAY, SETTINGS)
    table = build_candidates(*args)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scoring, "AGE_TABLE_CELLS", 0)
        per_pair = build_candidates(*args)
    assert per_pair.score.tolist() == table.score.tolist()
    assert per_pair.volunteer.tolist() == table.volunteer.tolist()


@pytest.fixture(params=["at once", "priced"])
def path(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each plan solved on all pairs at once, and through the priced path (best few, priced)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "PRICED_ABOVE", 10**9 if request.param == "at once" else 0)
        yield


@pytest.mark.usefixtures("path")
@PROPS
@given(populations(max_v=8, max_f=12))
def test_new_proposals_respect_every_hard_constraint_and_capacity(records: Records) -> None:
    plan = plan_matching(records, [], TODAY, SETTINGS)
    vols = {v.id: v for v in records.volunteers}
    fams = {f.id: f for f in records.families}
    active = Counter(m.volunteer for m in records.matches if m.active)
    busy = {m.family for m in records.matches if m.active}
    before = {(m.volunteer, m.family) for m in records.matches}
    per_volunteer: Counter[str] = Counter()
    seen_families = set()
    for row in plan.proposals.values():
        v, f = vols[str(row["volunteer"])], fams[str(row["family"])]
        assert pair_problem(v, f, TODAY, SETTINGS) is None
        assert f.id not in busy and (v.id, f.id) not in before and f.id not in seen_families
        assert (
            v.point
            and f.point
            and abs(distance_km(v.point, f.point) - float(str(row["km"]))) < 0.06
        )
        assert row["score"] == pair_score(v, f, TODAY, SETTINGS)
        seen_families.add(f.id)
        per_volunteer[v.id] += 1
    for vid, count in per_volunteer.items():
        assert active[vid] + count <= vols[vid].max_families
    assert plan.new_proposals == len(plan.proposals) == plan.open_proposals


@pytest.mark.usefixtures("path")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(populations(max_v=4, max_f=5))
def test_plan_equals_brute_force_optimum(records: Records) -> None:
    plan = plan_matching(records, [], TODAY, SETTINGS)
    total = sum(int(str(row["score"])) for row in plan.proposals.values())
    assert (plan.new_proposals, total) == brute_force(records)


@PROPS
@given(st.floats(51.0, 53.0), st.floats(3.5, 7.0), st.floats(-0.2, 0.2), st.floats(-0.2, 0.2))
def test_vector_distance_equals_geo_distance(
    lat: float, lon: float, dlat: float, dlon: float
) -> None:
    import numpy as np

    got = distances_km(
        np.array([lat]), np.array([lon]), np.array([lat + dlat]), np.array([lon + dlon])
    )
    assert abs(float(got[0]) - distance_km(Point(lat, lon), Point(lat + dlat, lon + dlon))) < 1e-9
