"""The Voorstellen/Koppelingen lifecycle across nights, on WorkerRow inputs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from hypothesis import given, settings
from hypothesis import strategies as st

from sow_sheets.matching.eligibility import pair_problem
from sow_sheets.matching.engine import MatchingPlan, MatchingSettings, plan_matching
from sow_sheets.model.cells import Cell
from sow_sheets.model.geo import Point
from sow_sheets.model.keys import key_number, make_key
from sow_sheets.model.records import Family, Match, Records, Volunteer
from sow_sheets.model.worktab import WorkerRow
from tests import helpers

DAY1 = dt.date(2026, 3, 2)
DAY2 = DAY1 + dt.timedelta(days=1)
SETTINGS = MatchingSettings()
HUMAN = {"decision", "comment"}


def volunteer(index: int, **kw: object) -> Volunteer:
    fields: dict[str, object] = {
        "row": index + 1,
        "name": f"Grootouder {index}",
        "point": Point(52.06 + index * 0.002, 4.49),
        "frequency": "wekelijks",
        "days": frozenset({1, 5}),
    }
    return helpers.volunteer(f"GO-{index:04d}", **fields | kw)


def family(index: int, **kw: object) -> Family:
    fields: dict[str, object] = {
        "row": index + 1,
        "name": f"Gezin {index}",
        "intake_date": dt.date(2025, 9, 1),
        "point": Point(52.06 + index * 0.003, 4.50),
        "children": (4,),
        "frequency": "wekelijks",
        "days": frozenset({1}),
    }
    return helpers.family(f"GZ-{index:04d}", **fields | kw)


@dataclass
class Sheet:
    """Voorstellen and Koppelingen as a merge would leave them (human columns on create only)."""

    volunteers: list[Volunteer]
    families: list[Family]
    voorstellen: dict[str, dict[str, Cell]] = field(default_factory=dict)
    koppelingen: dict[str, dict[str, Cell]] = field(default_factory=dict)

    def records(self, today: dt.date) -> Records:
        matches = []
        for i, (key, row) in enumerate(self.koppelingen.items()):
            end = row.get("end")
            ended = row.get("status") == "beëindigd" or (isinstance(end, dt.date) and end <= today)
            matches.append(
                Match(
                    key,
                    i + 2,
                    str(row["volunteer"]),
                    str(row["family"]),
                    row.get("start"),  # type: ignore[arg-type]
                    str(row.get("proposal") or ""),
                    active=not ended,
                )
            )
        return Records(volunteers=self.volunteers, families=self.families, matches=matches)

    def sync(self, today: dt.date) -> MatchingPlan:
        rows = [WorkerRow(k, i + 2, dict(v)) for i, (k, v) in enumerate(self.voorstellen.items())]
        plan = plan_matching(self.records(today), rows, today, SETTINGS)
        for key, values in plan.proposals.items():
            assert key in self.voorstellen or values.get("status") == "open"
            if key in self.voorstellen:
                assert not HUMAN & values.keys(), "human column written on an existing row"
            self.voorstellen.setdefault(key, {}).update(values)
        for key, values in plan.matches.items():
            assert key not in self.koppelingen
            self.koppelingen[key] = dict(values)
        return plan

    def by_family(self, family_id: str) -> list[dict[str, Cell]]:
        return [r for r in self.voorstellen.values() if r["family"] == family_id]


def test_second_sync_without_edits_changes_nothing() -> None:
    sheet = Sheet([volunteer(1), volunteer(2, max_families=2)], [family(1), family(2), family(3)])
    first = sheet.sync(DAY1)
    assert first.new_proposals == 3 and set(sheet.voorstellen) == {"VS-0001", "VS-0002", "VS-0003"}
    row = sheet.voorstellen["VS-0001"]
    assert row["status"] == "open" and row["date"] == DAY1 and isinstance(row["km"], float)
    assert "km" in str(row["why"]) and "," in str(row["why"]).split(" km")[0]
    again = sheet.sync(DAY2)
    assert again.proposals == {} and again.matches == {} and again.new_proposals == 0
    assert again.open_volunteers == {"GO-0001", "GO-0002"} and again.open_proposals == 3


def test_accept_creates_a_koppeling_and_closes_the_proposal() -> None:
    sheet = Sheet([volunteer(1, max_families=2)], [family(1)])
    sheet.sync(DAY1)
    sheet.voorstellen["VS-0001"]["decision"] = "akkoord"
    plan = sheet.sync(DAY2)
    assert plan.new_matches == 1
    assert sheet.koppelingen == {
        "KP-0001": {
            "volunteer": "GO-0001",
            "volunteer_name": "Grootouder 1",
            "family": "GZ-0001",
            "family_name": "Gezin 1",
            "start": DAY2,
            "proposal": "VS-0001",
            "status": "actief",
        }
    }
    assert plan.proposals == {"VS-0001": {"status": "gekoppeld"}}
    # A new family arrives: the volunteer still has room for one more, the matched family
    # is not proposed again.
    sheet.families.append(family(2))
    plan = sheet.sync(DAY2 + dt.timedelta(days=1))
    assert [(r["volunteer"], r["family"]) for r in plan.proposals.values()] == [
        ("GO-0001", "GZ-0002")
    ]
    assert sheet.sync(DAY2 + dt.timedelta(days=2)).proposals == {}


def test_reject_closes_for_good_and_the_pair_is_never_proposed_again() -> None:
    sheet = Sheet([volunteer(1)], [family(1)])
    sheet.sync(DAY1)
    sheet.voorstellen["VS-0001"]["decision"] = "afgewezen"
    plan = sheet.sync(DAY2)
    assert plan.proposals == {"VS-0001": {"status": "afgewezen"}} and plan.rejected == 1
    for night in range(1, 4):
        assert sheet.sync(DAY2 + dt.timedelta(days=night)).proposals == {}
    sheet.volunteers.append(volunteer(2))  # another volunteer may still be proposed
    plan = sheet.sync(DAY2 + dt.timedelta(days=5))
    assert [(r["volunteer"], r["family"]) for r in plan.proposals.values()] == [
        ("GO-0002", "GZ-0001")
    ]


def test_accept_when_no_longer_eligible_lapses_with_the_reason() -> None:
    sheet = Sheet([volunteer(1, vog_date=dt.date(2023, 3, 3))], [family(1)])
    sheet.sync(DAY1)
    sheet.voorstellen["VS-0001"]["decision"] = "akkoord"
    plan = sheet.sync(dt.date(2026, 3, 4))  # the VOG expired on 3-3-2026
    assert plan.matches == {} and sheet.koppelingen == {}
    assert plan.proposals["VS-0001"]["status"] == "vervallen"
    assert plan.proposals["VS-0001"]["warnings"] == (
        "Vervallen: VOG van grootouder is verlopen op 3-3-2026."
    )
    assert sheet.sync(dt.date(2026, 3, 5)).proposals == {}


def test_stale_open_proposal_lapses_with_the_reason() -> None:
    sheet = Sheet([volunteer(1)], [family(1)])
    sheet.sync(DAY1)
    sheet.families[0] = replace(sheet.families[0], status="pauze")
    plan = sheet.sync(DAY2)
    assert plan.proposals == {
        "VS-0001": {"status": "vervallen", "warnings": "Vervallen: gezin heeft status pauze."}
    }
    assert plan.expired == 1 and plan.open_volunteers == set()


def test_open_proposals_stay_even_when_a_better_volunteer_appears() -> None:
    sheet = Sheet([volunteer(1, days=frozenset({6}), frequency="maandelijks")], [family(1)])
    sheet.sync(DAY1)
    before = dict(sheet.voorstellen["VS-0001"])
    sheet.volunteers.append(volunteer(2))  # a better fit for the family
    plan = sheet.sync(DAY2)
    assert plan.proposals == {} and sheet.voorstellen["VS-0001"] == before


def test_withdrawn_consent_lapses_and_blanks_the_name() -> None:
    sheet = Sheet([volunteer(1, max_families=2)], [family(1), family(2)])
    sheet.sync(DAY1)
    sheet.voorstellen["VS-0001"]["decision"] = "akkoord"
    sheet.sync(DAY2)
    sheet.families = [replace(f, consent=False) for f in sheet.families]
    plan = sheet.sync(DAY2 + dt.timedelta(days=1))
    lapsed = plan.proposals["VS-0002"]
    assert lapsed["status"] == "vervallen" and lapsed["family_name"] == ""
    assert "gezin heeft geen toestemming" in str(lapsed["warnings"])
    assert plan.proposals["VS-0001"] == {"family_name": ""}  # closed row: only the name goes
    assert all(r["family_name"] == "" for r in sheet.voorstellen.values())
    assert sheet.sync(DAY2 + dt.timedelta(days=2)).proposals == {}


def test_hand_typed_and_ended_koppelingen() -> None:
    sheet = Sheet([volunteer(1), volunteer(2)], [family(1), family(2), family(3)])
    sheet.koppelingen["K-oud"] = {"volunteer": "GO-0001", "family": "GZ-0001", "status": "actief"}
    sheet.koppelingen["7"] = {"volunteer": "GO-0002", "family": "GZ-0002", "status": "beëindigd"}
    plan = sheet.sync(DAY1)
    pairs = {(r["volunteer"], r["family"]) for r in plan.proposals.values()}
    # GO-0001 is full and GZ-0001 is matched; GO-0002 is free again, but not for GZ-0002.
    assert pairs == {("GO-0002", "GZ-0003")}
    assert plan.proposed_ids >= {"GO-0001", "GZ-0001", "GO-0002", "GZ-0002", "GZ-0003"}


def test_akkoord_on_a_pair_already_linked_by_hand_adds_no_second_koppeling() -> None:
    sheet = Sheet([volunteer(1)], [family(1)])
    sheet.sync(DAY1)
    sheet.voorstellen["VS-0001"]["decision"] = "akkoord"
    sheet.koppelingen["KP-0009"] = {"volunteer": "GO-0001", "family": "GZ-0001"}
    plan = sheet.sync(DAY2)
    assert plan.matches == {} and plan.proposals == {"VS-0001": {"status": "gekoppeld"}}


def test_lowered_capacity_lapses_the_later_open_proposal() -> None:
    sheet = Sheet([volunteer(1, max_families=2)], [family(1), family(2)])
    sheet.sync(DAY1)
    sheet.volunteers[0] = replace(sheet.volunteers[0], max_families=1)
    plan = sheet.sync(DAY2)
    assert list(plan.proposals) == ["VS-0002"]
    assert "geen ruimte meer" in str(plan.proposals["VS-0002"]["warnings"])


def test_keys_continue_after_the_highest_existing_number() -> None:
    rows = [
        WorkerRow(
            "VS-0007", 2, {"volunteer": "GO-0099", "family": "GZ-0099", "status": "vervallen"}
        ),
        WorkerRow("handmatig", 3, {"status": "afgewezen"}),
    ]
    records = Records(volunteers=[volunteer(1)], families=[family(1)])
    records.matches.append(Match("KP-0003", 2, "GO-0050", "GZ-0050", DAY1))
    plan = plan_matching(records, rows, DAY1, SETTINGS, match_keys=["KP-0012", "rommel"])
    assert list(plan.proposals) == ["VS-0008"]
    assert key_number("KP-0012", "KP") == 12 and make_key("KP", 13) == "KP-0013"
    assert key_number("VS-12345", "VS") == 12345 and make_key("VS", 12345) == "VS-12345"


def test_alternatives_list_the_next_best_volunteers() -> None:
    vols = [volunteer(i) for i in range(1, 6)]
    plan = plan_matching(Records(volunteers=vols, families=[family(1)]), [], DAY1, SETTINGS)
    (row,) = plan.proposals.values()
    alts = str(row["alternatives"]).split("; ")
    assert len(alts) == SETTINGS.alternatives and str(row["volunteer"]) not in str(
        row["alternatives"]
    )
    scores = [int(a.split("(")[1].rstrip(")")) for a in alts]
    assert scores == sorted(scores, reverse=True) and max(scores) <= int(str(row["score"]))
    assert plan.unmatched_families == set() and plan.candidate_pairs == 5


def test_nobody_to_match_and_duplicated_ids_are_left_out() -> None:
    empty = plan_matching(Records(), [], DAY1, SETTINGS)
    assert empty.proposals == {} and empty.matches == {} and empty.candidate_pairs == 0
    twins = [volunteer(1), volunteer(1, row=9)]
    plan = plan_matching(Records(volunteers=twins, families=[family(1)]), [], DAY1, SETTINGS)
    assert plan.proposals == {} and plan.unmatched_families == {"GZ-0001"}
    unlocated = [volunteer(1, point=None)]
    plan = plan_matching(Records(volunteers=unlocated, families=[family(1)]), [], DAY1, SETTINGS)
    assert plan.proposals == {}


def test_worker_never_writes_human_columns() -> None:
    sheet = Sheet([volunteer(1), volunteer(2)], [family(1), family(2)])
    plan = sheet.sync(DAY1)
    assert all(not HUMAN & row.keys() for row in plan.proposals.values())
    sheet.voorstellen["VS-0001"]["decision"] = "Akkoord "
    sheet.voorstellen["VS-0002"]["decision"] = "afgewezen"
    plan = sheet.sync(DAY2)
    assert all(not HUMAN & row.keys() for row in plan.proposals.values())
    assert all(not {"end", "end_reason"} & row.keys() for row in plan.matches.values())
    assert plan.new_matches == 1 and plan.rejected == 1


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_invariants_hold_over_nights_of_random_decisions(data: st.DataObject) -> None:
    draw = data.draw
    sheet = Sheet(
        [volunteer(i, max_families=draw(st.integers(1, 2))) for i in range(1, 5)],
        [family(i, children=(draw(st.integers(0, 14)),)) for i in range(1, 7)],
    )
    day = DAY1
    for _ in range(4):
        for row in sheet.voorstellen.values():
            if row["status"] == "open" and "decision" not in row:
                choice = draw(st.sampled_from([None, None, "akkoord", "afgewezen"]))
                if choice:
                    row["decision"] = choice
        for i, f in enumerate(sheet.families):
            if draw(st.integers(0, 7)) == 0:
                sheet.families[i] = replace(f, status=draw(st.sampled_from(["actief", "pauze"])))
        for i, v in enumerate(sheet.volunteers):
            if draw(st.integers(0, 7)) == 0:
                sheet.volunteers[i] = replace(v, max_families=draw(st.integers(0, 2)))
        sheet.sync(day)
        vols = {v.id: v for v in sheet.volunteers}
        fams = {f.id: f for f in sheet.families}
        records = sheet.records(day)
        active = [(m.volunteer, m.family) for m in records.matches if m.active]
        opened = [
            (str(r["volunteer"]), str(r["family"]))
            for r in sheet.voorstellen.values()
            if r["status"] == "open"
        ]
        rejected = {
            (str(r["volunteer"]), str(r["family"]))
            for r in sheet.voorstellen.values()
            if r["status"] == "afgewezen"
        }
        families_taken = [f for _, f in active + opened]
        assert len(families_taken) == len(set(families_taken))
        assert not set(opened) & rejected
        for vid, v in vols.items():
            used = sum(1 for a, _ in opened if a == vid)
            assert used == 0 or used + sum(1 for a, _ in active if a == vid) <= v.max_families
        for vid, fid in opened:
            assert pair_problem(vols[vid], fams[fid], day, SETTINGS) is None
        assert sheet.sync(day).proposals == {}  # same night again: nothing changes
        day += dt.timedelta(days=1)


def test_withdrawn_consent_takes_names_out_of_alternatives_and_koppelingen() -> None:
    from sow_sheets.matching.proposals import withdrawn_match_names

    gone = volunteer(2, consent=False)
    records = Records(volunteers=[volunteer(1), gone], families=[family(1)])
    listed = f"{gone.id} {gone.name} (70); GO-0003 Naam GO-0003 (60)"
    row = WorkerRow(
        "VS-0001",
        2,
        {"volunteer": "GO-0001", "family": "GZ-0001", "status": "open", "alternatives": listed},
    )
    plan = plan_matching(records, [row], DAY1, SETTINGS)
    assert plan.proposals["VS-0001"]["alternatives"] == f"{gone.id} (70); GO-0003 Naam GO-0003 (60)"
    match = WorkerRow(
        "KP-0001",
        2,
        {"volunteer": gone.id, "volunteer_name": gone.name, "family": "GZ-0001",
         "family_name": "Naam GZ-0001"},
    )  # fmt: skip
    assert withdrawn_match_names([match], records) == {"KP-0001": {"volunteer_name": ""}}
