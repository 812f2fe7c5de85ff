"""Meehelpen: older people proposed as helpers for activities that ask for what they offer.

Properties: a helper suggestion never breaks access, transport, capacity or consent and never
takes a participant's place; with enough helper places every willing person who fits gets one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from sow_sheets.activities.engine import plan_activities
from sow_sheets.activities.rules import explain_help, help_problem, helper_places
from sow_sheets.activities.settings import ActivitySettings
from sow_sheets.model.geo import locate_pc4
from sow_sheets.model.programmes import ProgrammeSettings
from sow_sheets.model.records import Records
from sow_sheets.model.worktab import WorkerRow
from sow_sheets.reading.values import parse_contributions
from tests.test_activities import PC4, TODAY, activity, apply, decide, elder

OFFERS = ("koken", "rijden", "muziek", "bellen", "vertellen", "tuin")


@st.composite
def worlds(draw: st.DrawFn) -> Records:
    elders = [
        elder(
            f"OU-{i:03d}",
            status=draw(st.sampled_from(["actief", "actief", "pauze"])),
            consent=draw(st.booleans() | st.just(True)),
            point=draw(st.sampled_from([None, *map(locate_pc4, PC4)])),
            mobility=draw(st.sampled_from(["zelfstandig", "rollator", "rolstoel"])),
            needs_transport=draw(st.booleans()),
            offers=frozenset(draw(st.sets(st.sampled_from(OFFERS), max_size=3))),
            invalid=frozenset(draw(st.sampled_from([(), ("postcode",)]))),
        )
        for i in range(draw(st.integers(1, 12)))
    ]
    acts = [
        activity(
            f"AC-{j:03d}",
            date=draw(st.none() | st.just(TODAY + dt.timedelta(days=draw(st.integers(-5, 50))))),
            point=draw(st.sampled_from([None, *map(locate_pc4, PC4)])),
            wheelchair=draw(st.booleans()),
            transport=draw(st.booleans()),
            places=draw(st.none() | st.integers(0, 3)),
            asks=frozenset(draw(st.sets(st.sampled_from(OFFERS), max_size=2))),
            helper_places=draw(st.none() | st.integers(0, 3)),
            goes_ahead=draw(st.booleans() | st.just(True)),
        )
        for j in range(draw(st.integers(1, 8)))
    ]
    return Records(elders=elders, activities=acts)


def rows_of(records: Records, cfg: ActivitySettings) -> list[WorkerRow]:
    return apply([], plan_activities(records, [], {}, TODAY, cfg))


def kind_rows(rows: list[WorkerRow], kind: str) -> list[tuple[object, object]]:
    return [(r.values["elder"], r.values["activity"]) for r in rows if r.values["kind"] == kind]


@settings(max_examples=60, deadline=None)
@given(worlds(), st.integers(1, 3))
def test_helper_suggestions_keep_every_hard_rule(records: Records, most: int) -> None:
    cfg = ActivitySettings(help_per_person=most)
    rows = rows_of(records, cfg)
    elders = {e.id: e for e in records.elders}
    acts = {a.id: a for a in records.activities}
    helping = kind_rows(rows, "meehelpen")
    assert len(helping) == len(set(helping))
    for elder_id, activity_id in helping:
        e, a = elders[str(elder_id)], acts[str(activity_id)]
        assert e.eligible  # active, consenting, no bad cells
        assert a.goes_ahead and a.date is not None
        assert TODAY <= a.date <= TODAY + dt.timedelta(days=cfg.horizon_days)
        assert help_problem(e, a, cfg) is None  # access, transport, something asked for
    per_activity = Counter(a for _, a in helping)
    for a in acts.values():
        assert per_activity[a.id] <= helper_places(a, cfg)
    assert max(Counter(e for e, _ in helping).values(), default=0) <= most

    # A night later, with every other suggestion signed up: places of each kind still hold.
    for r in rows[::2]:
        decide(rows, r.key, "aangemeld")
    later = apply(rows, plan_activities(records, rows, {}, TODAY, cfg))
    live = [r for r in later if r.values["status"] in ("open", "aangemeld")]
    for a in acts.values():
        kinds = Counter(r.values["kind"] for r in live if r.values["activity"] == a.id)
        assert kinds["meehelpen"] <= helper_places(a, cfg)
        assert a.places is None or kinds["deelnemen"] <= a.places


@settings(max_examples=60, deadline=None)
@given(worlds())
def test_helpers_never_take_a_participant_place(records: Records) -> None:
    cfg = ActivitySettings()
    nobody_helps = Records(
        elders=[dataclasses.replace(e, offers=frozenset()) for e in records.elders],
        activities=records.activities,
    )
    with_help = rows_of(records, cfg)
    assert kind_rows(with_help, "deelnemen") == kind_rows(rows_of(nobody_helps, cfg), "deelnemen")
    joined = Counter(a for _, a in kind_rows(with_help, "deelnemen"))
    for a in records.activities:
        if a.places is not None:
            assert joined[a.id] <= a.places


@settings(max_examples=60, deadline=None)
@given(worlds())
def test_with_enough_helper_places_every_willing_person_who_fits_gets_one(
    records: Records,
) -> None:
    cfg = ActivitySettings()
    roomy = Records(
        elders=records.elders,
        activities=[dataclasses.replace(a, helper_places=50) for a in records.activities],
    )
    helped = {e for e, _ in kind_rows(rows_of(roomy, cfg), "meehelpen")}
    end = TODAY + dt.timedelta(days=cfg.horizon_days)
    for e in roomy.elders:
        fits = any(
            a.goes_ahead
            and a.date is not None
            and TODAY <= a.date <= end
            and help_problem(e, a, cfg) is None
            for a in roomy.activities
        )
        assert (e.id in helped) == (e.eligible and fits), e.id


def helping_world(**act: object) -> Records:
    cook = elder("OU-1", offers=frozenset({"koken"}))
    guest = elder("OU-2")
    dinner = activity("AC-1", **{"asks": frozenset({"koken"}), "places": 1} | act)
    return Records(elders=[cook, guest], activities=[dinner])


def test_a_person_can_take_part_and_help_and_each_kind_has_its_own_places() -> None:
    records = helping_world(helper_places=1)
    rows = rows_of(records, ActivitySettings())
    assert kind_rows(rows, "meehelpen") == [("OU-1", "AC-1")]
    assert len(kind_rows(rows, "deelnemen")) == 1  # one participant place, filled once
    helper = next(r for r in rows if r.values["kind"] == "meehelpen")
    decide(rows, helper.key, "aangemeld")
    again = apply(rows, plan_activities(records, rows, {}, TODAY, ActivitySettings()))
    assert [r.values["status"] for r in again] == ["open", "aangemeld"]  # nothing new, none lapse


def test_waarom_of_a_helper_suggestion() -> None:
    cook = elder("OU-1", offers=frozenset({"koken", "muziek"}))
    dinner = activity("AC-1", asks=frozenset({"koken"}), point=locate_pc4(2712))
    why = explain_help(cook, dinner, 2)
    assert why.startswith("wil koken; activiteit zoekt kookhulp; ")
    assert why.endswith("; eerder aangemeld bij 2 activiteiten")
    assert " km; " in why
    host = elder("OU-2", offers=frozenset({"gastvrouw/gastheer", "breien", "koken"}))
    party = activity("AC-2", asks=frozenset({"koken", "breien", "gastvrouw/gastheer"}))
    assert explain_help(host, party, 0).split("; ")[:2] == [
        "wil helpen met breien, gastvrouw of gastheer zijn en koken",
        "activiteit zoekt hulp bij breien, een gastvrouw of gastheer en kookhulp",
    ]


def test_no_new_suggestions_for_a_paused_programme_or_a_cancelled_activity() -> None:
    paused = ProgrammeSettings(paused=("magisch zoetermeer",))
    records = helping_world(programme="Magisch Zoetermeer")
    assert plan_activities(records, [], {}, TODAY, ActivitySettings(), paused).suggestions == {}
    assert plan_activities(records, [], {}, TODAY, ActivitySettings()).new_suggestions == 2
    off = helping_world(goes_ahead=False)
    assert plan_activities(off, [], {}, TODAY, ActivitySettings()).suggestions == {}


def test_cancelling_lapses_open_suggestions_and_reports_sign_ups_once() -> None:
    records = helping_world(helper_places=1, places=2)
    rows = rows_of(records, ActivitySettings())
    for r in rows:
        if r.values["elder"] == "OU-1":
            decide(rows, r.key, "aangemeld")  # OU-1 takes part and helps
    cancelled = dataclasses.replace(records.activities[0], goes_ahead=False)
    off = Records(elders=records.elders, activities=[cancelled])
    plan = plan_activities(off, rows, {}, TODAY, ActivitySettings())
    assert [(s.elder, s.activity) for s in plan.cancelled] == [("OU-1", "AC-1")]
    after = apply(rows, plan)
    lapsed = [r for r in after if r.values["status"] == "vervallen"]
    assert [r.values["elder"] for r in lapsed] == ["OU-2"]
    assert lapsed[0].values["why"] == "vervallen: activiteit gaat niet door"


def test_contribution_words_are_made_the_same_and_free_words_kept() -> None:
    assert parse_contributions("Kok; gastheer, Verhalen vertellen, breien") == frozenset(
        {"koken", "gastvrouw/gastheer", "vertellen", "breien"}
    )
