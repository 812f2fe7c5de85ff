"""Activity suggestions: hard rules as properties, scoring, Waarom, lifecycle, idempotency."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sow_sheets.activities import rules
from sow_sheets.activities.assignment import integer_scores
from sow_sheets.activities.engine import ActivityPlan, plan_activities
from sow_sheets.activities.rules import (
    explain,
    isolation,
    pair_problem,
    pair_score,
    pair_scores,
    pair_table,
    when_text,
)
from sow_sheets.activities.settings import ActivitySettings
from sow_sheets.model.cells import Cell
from sow_sheets.model.geo import locate_pc4
from sow_sheets.model.records import Activity, Attendance, Elder, Records
from sow_sheets.model.schema import ACTIVITEITVOORSTELLEN
from sow_sheets.model.worktab import WorkerRow
from tests import helpers

TODAY = dt.date(2026, 6, 22)
PC4 = (2711, 2712, 2713, 2715, 2716, 2717, 2718, 2719, 2721, 2722, 2725, 2729)
WORDS = ("wandelen", "koken", "muziek", "kaarten", "tuinieren")
COLUMN_KEYS = {c.key for c in ACTIVITEITVOORSTELLEN.columns}


def elder(eid: str, **kw: object) -> Elder:
    fields = {"organisation": "Welzijn", "intake_date": None, "point": locate_pc4(2711)}
    return helpers.elder(eid, **fields | kw)


def activity(aid: str, **kw: object) -> Activity:
    return helpers.activity(
        aid, **{"date": TODAY + dt.timedelta(days=7)} | {"point": locate_pc4(2711)} | kw
    )


def apply(rows: list[WorkerRow], plan: ActivityPlan) -> list[WorkerRow]:
    """What the merge does: update mentioned columns of existing rows, append new rows."""
    by_key = {r.key: r for r in rows}
    out = [WorkerRow(r.key, r.row, dict(r.values)) for r in rows]
    index = {r.key: i for i, r in enumerate(out)}
    for key, values in plan.suggestions.items():
        if key in by_key:
            out[index[key]].values.update(values)
        else:
            out.append(WorkerRow(key, len(out) + 2, {"key": key, **values}))
    return out


def decide(rows: list[WorkerRow], key: str, decision: str) -> None:
    next(r for r in rows if r.key == key).values["decision"] = decision


@st.composite
def worlds(draw: st.DrawFn) -> tuple[Records, dict[str, dt.date]]:
    n_elders, n_acts = draw(st.integers(1, 12)), draw(st.integers(1, 8))
    elders = []
    last: dict[str, dt.date] = {}
    for i in range(n_elders):
        eid = f"OU-{i:03d}"
        elders.append(
            elder(
                eid,
                status=draw(st.sampled_from(["actief", "actief", "pauze"])),
                consent=draw(st.booleans() | st.just(True)),
                point=draw(st.sampled_from([None, *map(locate_pc4, PC4)])),
                interests=frozenset(draw(st.sets(st.sampled_from(WORDS), max_size=3))),
                mobility=draw(st.sampled_from(["zelfstandig", "rollator", "rolstoel"])),
                needs_transport=draw(st.booleans()),
            )
        )
        if draw(st.booleans()):
            last[eid] = TODAY - dt.timedelta(days=draw(st.integers(0, 300)))
    acts = [
        activity(
            f"AC-{j:03d}",
            date=draw(st.none() | st.just(TODAY + dt.timedelta(days=draw(st.integers(-10, 60))))),
            point=draw(st.sampled_from([None, *map(locate_pc4, PC4)])),
            themes=frozenset(draw(st.sets(st.sampled_from(WORDS), max_size=3))),
            wheelchair=draw(st.booleans()),
            transport=draw(st.booleans()),
            cost=draw(st.sampled_from([0.0, 2.5, 30.0])),
            places=draw(st.none() | st.integers(0, 4)),
            programme=draw(st.sampled_from(["Overig", "Zomereenzaamheid"])),
        )
        for j in range(n_acts)
    ]
    return Records(elders=elders, activities=acts), last


def check_hard_rules(records: Records, rows: list[WorkerRow], cfg: ActivitySettings) -> None:
    elders = {e.id: e for e in records.elders}
    acts = {a.id: a for a in records.activities}
    pairs = [(r.values["elder"], r.values["activity"]) for r in rows]
    assert len(pairs) == len(set(pairs)), "same activity twice to the same person"
    live = [r for r in rows if r.values.get("status") in ("open", "aangemeld")]
    for r in live:
        e, a = elders[str(r.values["elder"])], acts[str(r.values["activity"])]
        assert e.eligible
        assert a.date is not None and TODAY <= a.date <= TODAY + dt.timedelta(cfg.horizon_days)
        if e.mobility == "rolstoel":
            assert a.wheelchair
        if e.needs_transport and not a.transport:
            assert e.point is not None and a.point is not None
            assert pair_problem(e, a, cfg) is None
        assert set(r.values) <= COLUMN_KEYS
    for a in acts.values():
        taken = sum(1 for r in live if r.values["activity"] == a.id)
        if a.places is not None:
            assert taken <= a.places
    per_person: dict[Cell, int] = {}
    for r in live:
        per_person[r.values["elder"]] = per_person.get(r.values["elder"], 0) + 1
    assert max(per_person.values(), default=0) <= cfg.per_person


@settings(max_examples=60, deadline=None)
@given(worlds(), st.integers(1, 3))
def test_hard_rules_are_never_broken(
    world: tuple[Records, dict[str, dt.date]], per_person: int
) -> None:
    records, last = world
    cfg = ActivitySettings(per_person=per_person)
    plan = plan_activities(records, [], last, TODAY, cfg)
    rows = apply([], plan)
    assert plan.new_suggestions == len(rows)
    check_hard_rules(records, rows, cfg)


@settings(max_examples=40, deadline=None)
@given(worlds())
def test_with_enough_places_everyone_eligible_gets_a_suggestion(
    world: tuple[Records, dict[str, dt.date]],
) -> None:
    records, last = world
    records.activities = [dataclasses.replace(a, places=None) for a in records.activities]
    cfg = ActivitySettings()
    rows = apply([], plan_activities(records, [], last, TODAY, cfg))
    served = {r.values["elder"] for r in rows}
    end = TODAY + dt.timedelta(cfg.horizon_days)
    for e in records.elders:
        reachable = any(
            a.date is not None and TODAY <= a.date <= end and pair_problem(e, a, cfg) is None
            for a in records.activities
        )
        assert (e.id in served) == (e.eligible and reachable)


@settings(max_examples=30, deadline=None)
@given(worlds(), st.data())
def test_nights_with_decisions_keep_every_rule_and_settle(
    world: tuple[Records, dict[str, dt.date]], data: st.DataObject
) -> None:
    """Staff decide at random between nights; the rules hold and an unchanged night is a no-op."""
    records, last = world
    cfg = ActivitySettings(per_person=2)
    rows: list[WorkerRow] = []
    for _ in range(3):
        plan = plan_activities(records, rows, last, TODAY, cfg)
        rows = apply(rows, plan)
        check_hard_rules(records, rows, cfg)
        for r in rows:
            choice = data.draw(st.sampled_from([None, None, "aangemeld", "geen interesse"]))
            if choice and r.values.get("status") == "open":
                r.values["decision"] = choice
    settled = apply(rows, plan_activities(records, rows, last, TODAY, cfg))
    again = plan_activities(records, settled, last, TODAY, cfg)
    assert again.new_suggestions == 0
    assert apply(settled, again) == settled


def test_pair_table_agrees_with_the_one_pair_rules() -> None:
    rng = np.random.default_rng(7)
    cfg = ActivitySettings()
    elders = [
        elder(
            f"OU-{i}",
            point=None if i % 9 == 0 else locate_pc4(int(rng.choice(PC4))),
            interests=frozenset(rng.choice(WORDS, size=int(rng.integers(0, 3)), replace=False)),
            mobility=str(rng.choice(["zelfstandig", "rolstoel"])),
            needs_transport=bool(rng.random() < 0.4),
        )
        for i in range(40)
    ]
    acts = [
        activity(
            f"AC-{j}",
            point=None if j % 7 == 0 else locate_pc4(int(rng.choice(PC4))),
            themes=frozenset(rng.choice(WORDS, size=2, replace=False)),
            wheelchair=bool(rng.random() < 0.5),
            transport=bool(rng.random() < 0.3),
            cost=float(rng.choice([0, 5, 40])),
            programme=str(rng.choice(["Overig", "Zomereenzaamheid"])),
            date=dt.date(2026, int(rng.choice([6, 7])), 15),
        )
        for j in range(15)
    ]
    iso = rng.random(len(elders))
    table = pair_table(elders, acts, iso, cfg)
    for i, e in enumerate(elders):
        for j, a in enumerate(acts):
            assert table.eligible[i, j] == (pair_problem(e, a, cfg) is None)
            assert table.score[i, j] == pytest.approx(pair_score(e, a, float(iso[i]), cfg))
    # The compact scores, built a few people at a time, hold exactly the allowed pairs.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rules, "CHUNK_CELLS", 40)  # three people per slice: many slices
        scores = pair_scores(elders, acts, iso, cfg, blocked=[(0, 1), (5, 2)])
    person, act, score = (np.concatenate(p) for p in zip(*scores.blocks(), strict=True))
    order = np.lexsort((act, person))
    expected = table.eligible.copy()
    expected[0, 1] = expected[5, 2] = False
    rows, cols = np.nonzero(expected)
    assert person[order].tolist() == rows.tolist() and act[order].tolist() == cols.tolist()
    assert np.array_equal(score[order], integer_scores(table.score[rows, cols]))
    assert (scores.dense and scores.sparse) or scores.count == rows.size


def test_transport_needs_are_respected() -> None:
    cfg = ActivitySettings(transport_km=1.5)
    walker = elder("OU-1", needs_transport=True, point=locate_pc4(2711))
    far = activity("AC-1", point=locate_pc4(2729))  # about 3 km away
    assert pair_problem(walker, far, cfg) is not None
    assert (
        pair_problem(walker, activity("AC-2", point=locate_pc4(2729), transport=True), cfg) is None
    )
    assert pair_problem(walker, activity("AC-3", point=locate_pc4(2711)), cfg) is None
    assert pair_problem(elder("OU-2"), far, cfg) is None
    assert "rolstoel" in str(pair_problem(elder("OU-3", mobility="rolstoel"), far, cfg))


def test_scores_prefer_interests_season_low_cost_and_isolation() -> None:
    cfg = ActivitySettings()
    e = elder("OU-1", interests=frozenset({"koken"}))
    base = activity("AC-1", date=dt.date(2026, 6, 30))
    better = {
        "interests": activity("AC-2", date=dt.date(2026, 6, 30), themes=frozenset({"koken"})),
        "season": activity("AC-3", date=dt.date(2026, 7, 2), programme="Zomereenzaamheid"),
        "christmas": activity("AC-4", date=dt.date(2026, 12, 20), programme="Magisch Zoetermeer"),
    }
    for a in better.values():
        assert pair_score(e, a, 0.5, cfg) > pair_score(e, base, 0.5, cfg)
    costly = activity("AC-5", date=dt.date(2026, 6, 30), cost=10.0)
    assert pair_score(e, costly, 0.5, cfg) < pair_score(e, base, 0.5, cfg)
    out_of_season = activity("AC-6", date=dt.date(2026, 9, 2), programme="Zomereenzaamheid")
    assert pair_score(e, out_of_season, 0.5, cfg) == pytest.approx(pair_score(e, base, 0.5, cfg))
    assert isolation(None, TODAY, cfg) == 1.0
    assert isolation(TODAY, TODAY, cfg) < isolation(TODAY - dt.timedelta(30), TODAY, cfg)


def test_the_most_isolated_get_the_last_place() -> None:
    records = Records(
        elders=[elder("OU-1"), elder("OU-2")], activities=[activity("AC-1", places=1)]
    )
    last = {"OU-1": TODAY - dt.timedelta(days=2), "OU-2": TODAY - dt.timedelta(days=80)}
    plan = plan_activities(records, [], last, TODAY, ActivitySettings())
    assert [v["elder"] for v in plan.suggestions.values()] == ["OU-2"]


def test_new_rows_look_right() -> None:
    e = elder("OU-7", interests=frozenset({"koken", "muziek"}), point=locate_pc4(2711))
    a = activity(
        "AC-9",
        date=dt.date(2026, 7, 11),
        time="14:00",
        themes=frozenset({"koken"}),
        programme="Zomereenzaamheid",
        point=locate_pc4(2712),
        cost=2.5,
        registration=True,
    )
    plan = plan_activities(Records(elders=[e], activities=[a]), [], {}, TODAY, ActivitySettings())
    assert list(plan.suggestions) == ["AS-0001"]
    row = plan.suggestions["AS-0001"]
    assert set(row) <= COLUMN_KEYS and "decision" not in row and "comment" not in row
    assert row["when"] == "za 11 jul 2026 14:00" == when_text(a)
    assert isinstance(row["km"], float) and row["km"] == round(row["km"], 1) and row["km"] > 0
    why = str(row["why"])
    assert "interesses: koken" in why and "Zomereenzaamheid" in why and "€ 2,50" in why
    assert f"{row['km']:.1f}".replace(".", ",") + " km" in why
    assert "nog geen contact" in why and "aanmelden nodig" in why
    assert row["status"] == "open" and row["date"] == TODAY and row["name"] == "Naam OU-7"
    assert explain(e, a, TODAY - dt.timedelta(days=95), TODAY, ActivitySettings()).endswith(
        "95 dagen geen contact"
    )


def test_keys_continue_after_the_highest_existing() -> None:
    rows = [
        WorkerRow("AS-0041", 2, {"key": "AS-0041", "elder": "OU-9", "activity": "AC-9"}),
        WorkerRow("hand", 3, {"key": "hand", "elder": "OU-9", "activity": "AC-8"}),
    ]
    records = Records(elders=[elder("OU-1")], activities=[activity("AC-1"), activity("AC-2")])
    plan = plan_activities(records, rows, {}, TODAY, ActivitySettings())
    assert sorted(k for k in plan.suggestions if k not in ("AS-0041", "hand")) == [
        "AS-0042",
        "AS-0043",
    ]


def night(records: Records, rows: list[WorkerRow], today: dt.date = TODAY) -> list[WorkerRow]:
    return apply(rows, plan_activities(records, rows, {}, today, ActivitySettings()))


def test_lifecycle_sign_up_decline_attendance_and_no_repeat() -> None:
    records = Records(
        elders=[elder("OU-1")],
        activities=[activity("AC-1", places=1), activity("AC-2"), activity("AC-3")],
    )
    rows = night(records, [])
    keys = {r.values["activity"]: r.key for r in rows}
    decide(rows, keys["AC-1"], "aangemeld")
    decide(rows, keys["AC-2"], " Geen interesse ")
    rows = night(records, rows)
    status = {r.values["activity"]: r.values["status"] for r in rows}
    assert status == {"AC-1": "aangemeld", "AC-2": "afgewezen", "AC-3": "open"}
    assert len(rows) == 3  # declined and signed-up activities are never suggested again

    later = TODAY + dt.timedelta(days=10)
    plan = plan_activities(records, rows, {}, later, ActivitySettings())
    assert plan.attended == [Attendance(rows[0].row, TODAY + dt.timedelta(7), "OU-1", "AC-1")]
    assert plan.suggestions[keys["AC-3"]]["status"] == "vervallen"
    assert "voorbij" in str(plan.suggestions[keys["AC-3"]]["why"])
    records.attendances = [Attendance(5, TODAY + dt.timedelta(7), "OU-1", "AC-1")]
    assert plan_activities(records, rows, {}, later, ActivitySettings()).attended == []


def test_sign_ups_count_against_places_and_full_activities_expire() -> None:
    records = Records(
        elders=[elder("OU-1"), elder("OU-2"), elder("OU-3")],
        activities=[activity("AC-1", places=3)],
    )
    rows = night(records, [])
    assert len(rows) == 3
    records.activities = [activity("AC-1", places=2)]  # places cut after suggesting
    decide(rows, rows[2].key, "aangemeld")
    rows = night(records, rows)
    assert [r.values["status"] for r in rows] == ["open", "vervallen", "aangemeld"]
    assert rows[1].values["why"] == "vervallen: activiteit is vol"
    records.elders.append(elder("OU-4"))
    assert night(records, rows) == rows  # no place left for a newcomer


def test_changed_activity_and_withdrawn_consent_expire_with_reason() -> None:
    records = Records(
        elders=[elder("OU-1"), elder("OU-2")],
        activities=[activity("AC-1"), activity("AC-2", location="Bibliotheek")],
    )
    rows = night(records, [])
    assert len(rows) == 4
    records.activities[0] = activity("AC-1", time="15:30")
    records.elders[1] = elder("OU-2", consent=False)
    rows = night(records, rows)
    by = {(r.values["elder"], r.values["activity"]): r.values for r in rows}
    assert by["OU-1", "AC-1"]["status"] == "vervallen"
    assert "gewijzigd (wanneer)" in str(by["OU-1", "AC-1"]["why"])
    assert by["OU-1", "AC-2"]["status"] == "open"
    for aid in ("AC-1", "AC-2"):
        assert by["OU-2", aid]["status"] == "vervallen" and by["OU-2", aid]["name"] == ""
        assert "toestemming" in str(by["OU-2", aid]["why"])
    assert len(rows) == 4  # the changed activity is not suggested again
    assert night(records, rows) == rows


def test_wheelchair_change_expires_open_suggestion() -> None:
    records = Records(elders=[elder("OU-1")], activities=[activity("AC-1")])
    rows = night(records, [])
    records.elders = [elder("OU-1", mobility="rolstoel")]
    rows = night(records, rows)
    assert rows[0].values["status"] == "vervallen"
    assert "rolstoeltoegankelijk" in str(rows[0].values["why"])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"horizon_days": -1},
        {"per_person": 0},
        {"per_person": True},
        {"max_km": 0},
        {"transport_km": float("nan")},
        {"summer_months": [13]},
        {
            "weight_interests": 0,
            "weight_distance": 0,
            "weight_season": 0,
            "weight_cost": 0,
            "weight_isolation": 0,
        },
        {"key_prefix": " "},
        {"summer_programme": 3},
    ],
)
def test_settings_reject_bad_values(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        ActivitySettings(**kwargs)  # type: ignore[arg-type]


def test_settings_accept_toml_lists() -> None:
    assert ActivitySettings(summer_months=[6, 7, 8]).summer_months == (6, 7, 8)  # type: ignore[arg-type]


def test_bench_runs_at_a_tiny_size() -> None:
    import json
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "scripts" / "bench_activities.py"
    out = subprocess.run(
        [sys.executable, str(script), "--elders", "60", "--activities", "12", "--repeat", "1"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    result = json.loads(out.stdout)
    assert result["plan_cpu_seconds"] >= 0 and result["peak_rss_mb"] > 0
    assert 0 <= result["people_with_helper_suggestion"] <= result["helpers_offering"]
    flow = result["min_cost_flow"]
    assert 0 <= flow["share_at_least_one"] <= 1
    for name in ("greedy_most_isolated_first", "greedy_round_robin"):
        assert flow["people_with_suggestion"] >= result[name]["people_with_suggestion"]
        assert result[name]["people_vs_min_cost_flow"] <= 1
