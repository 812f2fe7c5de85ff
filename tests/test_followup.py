"""The follow-up engine: every default rule with a fixed today, seasons, repeats, leap years,
`Volgende gesprek`, and the signal keys the lifecycle depends on."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sow_sheets.followup.engine import follow_up_findings
from sow_sheets.followup.rules import default_rules, parse_rules
from sow_sheets.followup.settings import FollowupSettings
from sow_sheets.model.findings import Finding
from sow_sheets.model.records import (
    Attendance,
    Conversation,
    Elder,
    Family,
    Match,
    Records,
    Volunteer,
)
from tests import helpers

D = dt.date
SOON, LATE = "gesprek binnenkort", "gesprek te laat"


def volunteer(**kw: object) -> Volunteer:
    return helpers.volunteer("GO1", **{"organisation": "Humanitas"} | kw)


def family(**kw: object) -> Family:
    return helpers.family("GZ1", **{"organisation": "Present"} | kw)


def elder(**kw: object) -> Elder:
    return helpers.elder("OU1", **{"organisation": "Welzijn"} | kw)


def match(start: D | None, key: str = "KP1", **kw: object) -> Match:
    return helpers.match(start, key, "GO1", **{"family": "GZ1"} | kw)


talk = helpers.conversation


def only(*names: str, **kw: object) -> FollowupSettings:
    rules = tuple(r for r in default_rules() if r.name in names)
    assert len(rules) == len(names)
    return FollowupSettings(rules=rules, **kw)  # type: ignore[arg-type]


def run(
    today: D,
    rules: FollowupSettings,
    open_volunteers: set[str] | None = None,
    proposed: set[str] | None = None,
    **records: object,
) -> list[Finding]:
    return follow_up_findings(
        Records(**records),  # type: ignore[arg-type]
        today,
        rules,
        open_volunteers or set(),
        proposed if proposed is not None else {"GO1", "GZ1"},
    )


def matched(today: D, rule: str, start: D, *talks: Conversation, **kw: Any) -> list[Finding]:
    return run(
        today,
        only(rule),
        volunteers=[volunteer()],
        families=[family()],
        matches=[match(start, **kw)],
        conversations=list(talks),
    )


def dues(findings: list[Finding]) -> list[D | None]:
    return [f.due for f in findings]


# -- matches ----------------------------------------------------------------------------------


def test_kennismaking_due_soon_then_late_with_stable_key() -> None:
    start = D(2026, 3, 1)
    assert matched(D(2026, 3, 14), "kennismaking", start) == []  # due 22 March, beyond 7 days
    [soon] = matched(D(2026, 3, 15), "kennismaking", start)
    assert (soon.key, soon.type, soon.due) == ("kennismaking:KP1:2026-03-22", SOON, D(2026, 3, 22))
    assert soon.days_late == 0
    [late] = matched(D(2026, 4, 1), "kennismaking", start)
    assert (late.key, late.type, late.days_late) == (soon.key, "gesprek te laat", 10)
    assert "Kennismakingsgesprek nodig: 3 weken na de start" in late.description


@pytest.mark.parametrize("subject", ["KP1", "GO1", "GZ1"])
def test_a_match_conversation_counts_by_key_or_either_party(subject: str) -> None:
    logged = talk(D(2026, 3, 10), subject, "kennismaking")
    assert matched(D(2026, 4, 1), "kennismaking", D(2026, 3, 1), logged) == []


def test_wrong_kind_other_person_or_before_start_does_not_count() -> None:
    for logged in (
        talk(D(2026, 3, 10), "KP1", "contact"),
        talk(D(2026, 3, 10), "GO9", "kennismaking"),
        talk(D(2025, 3, 10), "GO1", "kennismaking"),  # an earlier match of this volunteer
        talk(D(2026, 4, 2), "KP1", "kennismaking"),  # after today: not yet happened
    ):
        assert dues(matched(D(2026, 4, 1), "kennismaking", D(2026, 3, 1), logged)) == [
            D(2026, 3, 22)
        ]


def test_evaluation_schedule_and_yearly_repeat_across_leap_day() -> None:
    start = D(2024, 2, 29)
    schedule = [D(2024, 4, 11), D(2024, 5, 29), D(2024, 8, 29), D(2025, 2, 28), D(2026, 2, 28)]
    schedule += [D(2027, 2, 28), D(2028, 2, 29)]
    for done in range(len(schedule)):
        talks = [talk(day, "KP1", "evaluatie") for day in schedule[:done]]
        due = schedule[done]
        [finding] = matched(due, "evaluatie", start, *talks)
        assert finding.key == f"evaluatie:KP1:{due.isoformat()}"


def test_one_late_evaluation_catches_up_on_every_missed_milestone() -> None:
    late = talk(D(2025, 8, 1), "KP1", "evaluatie")  # after the 6-week, 3- and 6-month dates
    assert dues(matched(D(2025, 12, 28), "evaluatie", D(2025, 1, 1), late)) == [D(2026, 1, 1)]


def test_evaluation_too_early_for_the_next_milestone_does_not_count() -> None:
    talks = [talk(D(2026, 1, 5), "KP1", "evaluatie"), talk(D(2026, 2, 20), "KP1", "evaluatie")]
    # First covers 6 weeks; second comes before the 3-month window opens (halfway, 8 March).
    assert dues(matched(D(2026, 3, 28), "evaluatie", D(2026, 1, 1), *talks)) == [D(2026, 4, 1)]


@pytest.mark.parametrize(
    ("start", "last", "due"),
    [
        (D(2026, 1, 1), None, D(2026, 3, 3)),  # 61 days after the start
        (D(2026, 1, 1), D(2026, 2, 1), D(2026, 4, 3)),
        (D(2025, 1, 1), D(2025, 10, 15), D(2025, 12, 15)),  # still in the first year
        (D(2025, 1, 1), D(2025, 12, 1), D(2026, 3, 2)),  # 61 days would be in year two: 91
        (D(2024, 1, 1), D(2025, 6, 1), D(2025, 8, 31)),
    ],
)
def test_match_contact_every_61_days_then_91(start: D, last: D | None, due: D) -> None:
    talks = [talk(last, "GZ1", "evaluatie")] if last else []
    [finding] = matched(due, "contact-koppeling", start, *talks)
    assert finding.due == due and finding.type == "gesprek binnenkort"
    assert matched(due - dt.timedelta(days=8), "contact-koppeling", start, *talks) == []


def test_closing_conversation_after_the_end_date() -> None:
    ended = {"active": False, "end": D(2026, 3, 1)}
    [finding] = matched(D(2026, 3, 25), "afsluiting", D(2025, 1, 1), **ended)
    assert finding.due == D(2026, 3, 29)
    just_before = talk(D(2026, 2, 20), "KP1", "afsluiting")
    assert matched(D(2026, 4, 25), "afsluiting", D(2025, 1, 1), just_before, **ended) == []
    long_before = talk(D(2025, 6, 1), "KP1", "afsluiting")
    assert matched(D(2026, 4, 25), "afsluiting", D(2025, 1, 1), long_before, **ended) != []
    assert matched(D(2026, 4, 25), "afsluiting", D(2025, 1, 1)) == []  # no end date


def test_an_ended_match_gets_only_the_closing_rule() -> None:
    found = run(
        D(2026, 3, 25),
        FollowupSettings(),
        volunteers=[volunteer()],
        families=[family()],
        matches=[match(D(2026, 2, 1), active=False, end=D(2026, 3, 1))],
    )
    assert {f.key.split(":")[0] for f in found} == {"afsluiting"}


def test_match_organisation_is_the_familys_and_names_need_consent() -> None:
    [finding] = run(
        D(2026, 4, 1),
        only("kennismaking"),
        volunteers=[volunteer(consent=False)],
        families=[family()],
        matches=[match(D(2026, 3, 1))],
    )
    assert finding.organisation == "Present" and finding.name == "Naam GZ1"
    [finding] = run(D(2026, 4, 1), only("kennismaking"), matches=[match(D(2026, 3, 1))])
    assert finding.organisation == "" and finding.name == ""


# -- waiting, VOG, privacy ---------------------------------------------------------------------


def test_waiting_without_a_proposal() -> None:
    people: dict[str, Any] = {
        "volunteers": [volunteer(intake_date=D(2026, 1, 1))],
        "families": [family()],
    }
    [finding] = run(D(2026, 3, 15), only("wachtend"), proposed={"GZ1"}, **people)
    assert (finding.key, finding.type, finding.days_late) == (
        "wachtend:GO1:2026-03-02",
        "wachtend",
        13,
    )
    assert run(D(2026, 3, 1), only("wachtend"), proposed={"GZ1"}, **people) == []
    assert run(D(2026, 3, 15), only("wachtend"), proposed={"GZ1", "GO1"}, **people) == []
    shorter = only("wachtend", waiting_days=30)
    assert dues(run(D(2026, 2, 1), shorter, proposed={"GZ1"}, **people)) == [D(2026, 1, 31)]
    no_consent = [volunteer(consent=False, intake_date=D(2026, 1, 1))]
    assert run(D(2026, 3, 15), only("wachtend"), proposed=set(), volunteers=no_consent) == []


def test_vog_expiry_for_volunteers_with_an_open_proposal_or_active_match() -> None:
    vol = [volunteer(vog_date=D(2023, 4, 1))]
    [finding] = run(D(2026, 3, 15), only("vog"), {"GO1"}, volunteers=vol)
    assert (finding.key, finding.type, finding.due) == ("vog:GO1:2026-04-01", "VOG", D(2026, 4, 1))
    assert run(D(2026, 3, 1), only("vog"), {"GO1"}, volunteers=vol) == []  # 31 days ahead
    assert run(D(2026, 3, 15), only("vog"), volunteers=vol) == []  # nothing open
    active = run(D(2026, 3, 15), only("vog"), volunteers=vol, matches=[match(D(2025, 1, 1))])
    assert len(active) == 1
    [expired] = run(D(2026, 4, 11), only("vog"), {"GO1"}, volunteers=vol)
    assert expired.days_late == 10 and "verlopen" in expired.description
    [leap] = run(
        D(2027, 2, 1), only("vog"), {"GO1"}, volunteers=[volunteer(vog_date=D(2024, 2, 29))]
    )
    assert leap.due == D(2027, 2, 28)
    [missing] = run(D(2026, 3, 15), only("vog"), {"GO1"}, volunteers=[volunteer(vog_date=None)])
    assert missing.key == "vog:GO1:ontbreekt" and missing.due is None


def test_privacy_for_a_stopped_person_without_activity() -> None:
    stopped = volunteer(status="gestopt", intake_date=D(2024, 1, 1), consent=False)
    [finding] = run(D(2026, 3, 15), only("privacy"), volunteers=[stopped])
    assert (finding.type, finding.due, finding.name) == ("privacy", D(2024, 12, 31), "")
    assert f"sow-sheets anonimiseer {stopped.id}" in finding.description  # says what to run
    recent = [talk(D(2025, 6, 1), "GO1")]
    assert run(D(2026, 3, 15), only("privacy"), volunteers=[stopped], conversations=recent) == []
    ended = match(D(2024, 1, 1), active=False, end=D(2025, 5, 1))
    assert run(D(2026, 3, 15), only("privacy"), volunteers=[stopped], matches=[ended]) == []
    quiet = elder(status="gestopt", intake_date=D(2023, 1, 1))
    attended = [Attendance(row=2, date=D(2025, 4, 1), elder="OU1", activity="AC1")]
    assert run(D(2026, 3, 15), only("privacy"), elders=[quiet], attendances=attended) == []
    assert len(run(D(2026, 4, 2), only("privacy"), elders=[quiet], attendances=attended)) == 1
    assert run(D(2026, 3, 15), only("privacy"), volunteers=[replace(stopped, status="pauze")]) == []


# -- older residents ---------------------------------------------------------------------------


def aged(today: D, rule: str, *talks: Conversation, **kw: object) -> list[Finding]:
    attendances = kw.pop("attendances", [])
    return run(
        today, only(rule), elders=[elder(**kw)], conversations=list(talks), attendances=attendances
    )


def test_zingeving_within_six_weeks_of_intake_then_yearly() -> None:
    intake = {"intake_date": D(2026, 2, 1)}
    assert dues(aged(D(2026, 3, 10), "zingeving", **intake)) == [D(2026, 3, 15)]
    done = talk(D(2026, 3, 1), "OU1", "zingeving")
    assert aged(D(2026, 3, 10), "zingeving", done, **intake) == []
    assert dues(aged(D(2027, 3, 10), "zingeving", done, **intake)) == [D(2027, 3, 15)]
    assert aged(D(2026, 3, 10), "zingeving", status="gestopt", **intake) == []
    assert aged(D(2026, 3, 10), "zingeving", status="pauze", **intake) == []


@pytest.mark.parametrize(
    ("last", "due"),
    [
        (D(2026, 3, 1), D(2026, 5, 31)),  # 91 days
        (D(2026, 5, 15), D(2026, 7, 1)),  # the summer starts: 21 days already passed
        (D(2026, 6, 10), D(2026, 7, 1)),  # exactly 21 days to the first summer day
        (D(2026, 7, 10), D(2026, 7, 31)),
        (D(2026, 8, 10), D(2026, 8, 31)),  # the last summer day
        (D(2026, 8, 11), D(2026, 11, 10)),  # 21 days would be September: 91 again
        (D(2026, 4, 2), D(2026, 7, 1)),  # 91 days is 2 July, the season is earlier
    ],
)
def test_elder_contact_every_91_days_and_21_in_summer(last: D, due: D) -> None:
    [finding] = aged(due, "contact-oudere", talk(last, "OU1", "intake"))
    assert finding.due == due and finding.key == f"contact-oudere:OU1:{due.isoformat()}"


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (D(2026, 6, 9), None),  # before the 30-day run-up
        (D(2026, 6, 10), D(2026, 7, 10)),
        (D(2026, 8, 31), D(2026, 7, 10)),  # still late at the end of the summer programme
        (D(2026, 9, 1), None),
        (D(2026, 11, 10), D(2026, 12, 10)),
        (D(2026, 12, 31), D(2026, 12, 10)),
        (D(2027, 1, 1), None),
    ],
)
def test_calendar_run_up_to_summer_and_christmas(today: D, due: D | None) -> None:
    found = run(today, only("zomer", "kerst"), elders=[elder()])
    assert dues(found) == ([due] if due else [])
    if due:
        late = (today - due).days
        assert found[0].type == ("gesprek te laat" if late > 0 else "gesprek binnenkort")


def test_calendar_contact_counts_only_inside_the_window() -> None:
    assert aged(D(2026, 6, 20), "zomer", talk(D(2026, 6, 12), "OU1", "contact")) == []
    assert len(aged(D(2026, 6, 20), "zomer", talk(D(2026, 6, 9), "OU1", "contact"))) == 1
    assert aged(D(2026, 6, 20), "zomer", intake_date=D(2026, 7, 15)) == []  # not yet known


def test_contact_within_a_week_after_an_activity() -> None:
    def visits(*days: D) -> dict[str, object]:
        return {"attendances": [Attendance(row=2, date=d, elder="OU1", activity="A") for d in days]}

    assert dues(aged(D(2026, 3, 15), "na-activiteit", **visits(D(2026, 3, 10)))) == [D(2026, 3, 17)]
    for day, found in ((D(2026, 3, 12), 0), (D(2026, 3, 10), 0), (D(2026, 3, 9), 1)):
        logged = talk(day, "OU1", "contact")
        assert len(aged(D(2026, 3, 15), "na-activiteit", logged, **visits(D(2026, 3, 10)))) == found
    # The first activity since the last contact sets the due date; future ones do not count.
    two = visits(D(2026, 3, 1), D(2026, 3, 10), D(2026, 3, 20))
    [late] = aged(D(2026, 3, 15), "na-activiteit", **two)
    assert (late.due, late.days_late) == (D(2026, 3, 8), 7)


# -- Volgende gesprek ---------------------------------------------------------------------------


def test_next_due_on_the_latest_conversation_replaces_every_started_rule() -> None:
    every_rule = FollowupSettings()
    people: dict[str, Any] = {"volunteers": [volunteer()], "families": [family()]}
    start = match(D(2026, 1, 1))
    planned = talk(D(2026, 1, 20), "KP1", "contact", next_due=D(2026, 5, 1))
    assert run(D(2026, 3, 15), every_rule, matches=[start], **people) != []
    assert run(D(2026, 3, 15), every_rule, matches=[start], conversations=[planned], **people) == []
    [finding] = run(D(2026, 4, 28), every_rule, matches=[start], conversations=[planned], **people)
    assert (finding.key, finding.type) == ("volgende:KP1:2026-05-01", "gesprek binnenkort")
    assert "kennismaking" in finding.description and "evaluatie" in finding.description
    # A later conversation without a date hands the subject back to the rules.
    after = talk(D(2026, 4, 1), "GO1", "contact")
    found = run(
        D(2026, 4, 28), every_rule, matches=[start], conversations=[planned, after], **people
    )
    assert {f.key.split(":")[0] for f in found} == {"kennismaking", "evaluatie"}


def test_next_due_earlier_than_the_rule_and_not_for_cycles_started_later() -> None:
    soon = talk(D(2026, 3, 1), "OU1", "contact", next_due=D(2026, 3, 10))
    [finding] = aged(D(2026, 3, 12), "contact-oudere", soon)
    assert (finding.key, finding.days_late) == ("volgende:OU1:2026-03-10", 2)
    visit = Attendance(row=2, date=D(2026, 3, 5), elder="OU1", activity="A")
    [after_visit] = aged(D(2026, 3, 9), "na-activiteit", soon, attendances=[visit])
    assert after_visit.key == "na-activiteit:OU1:2026-03-12"


# -- properties -------------------------------------------------------------------------------

days = st.dates(D(2023, 1, 1), D(2027, 12, 31))
kinds = st.sampled_from(["intake", "kennismaking", "evaluatie", "zingeving", "contact"])


@settings(max_examples=60, deadline=None)
@given(
    start=days,
    today=days,
    logged=st.lists(st.tuples(days, kinds, st.sampled_from(["KP1", "GO1", "OU1"])), max_size=6),
    visits=st.lists(days, max_size=3),
)
def test_logging_the_needed_conversation_today_resolves_the_finding(
    start: D, today: D, logged: list[tuple[D, str, str]], visits: list[D]
) -> None:
    def compute(talks: list[Conversation]) -> list[Finding]:
        return run(
            today,
            FollowupSettings(),
            volunteers=[volunteer()],
            families=[family()],
            elders=[elder(intake_date=start)],
            matches=[match(start)],
            conversations=talks,
            attendances=[Attendance(row=2, date=d, elder="OU1", activity="A") for d in visits],
        )

    talks = [talk(day, subject, kind) for day, kind, subject in logged]
    rules = {r.name: r for r in default_rules()}
    defaults = FollowupSettings()
    notices = [r.notice.days for r in defaults.rules if r.notice is not None]
    longest_notice = max(defaults.horizon_days, defaults.vog_warning_days, *notices)
    for finding in compute(talks):
        assert finding.due is None or (finding.due - today).days <= longest_notice
        rule = rules.get(finding.key.split(":")[0])
        if rule is None or rule.applies_to not in ("matches", "elders"):
            continue
        kind = min(rule.kinds) if rule.kinds else "contact"
        now = [*talks, Conversation(row=10**7, date=today, subject=finding.subject, kind=kind)]
        assert finding.key not in {f.key for f in compute(now)}


@pytest.mark.parametrize(("rows", "override"), [((5, 6), False), ((6, 5), True)])
def test_the_latest_conversation_is_by_date_then_sheet_row(
    rows: tuple[int, int], override: bool
) -> None:
    planned = replace(talk(D(2026, 3, 1), "GO1", next_due=D(2026, 3, 20)), row=rows[0])
    plain = replace(talk(D(2026, 3, 1), "GZ1"), row=rows[1])
    found = matched(D(2026, 3, 18), "contact-koppeling", D(2026, 1, 1), planned, plain)
    assert [f.key.split(":")[0] for f in found] == (["volgende"] if override else [])


def test_a_configured_expiry_also_ends_a_waiting_signal() -> None:
    table = {"name": "lang-wachtend", "applies_to": "waiting", "clock": "intake"}
    table |= {"due": "30d", "expires": "10d", "description": "Wacht lang."}
    rules = FollowupSettings(rules=parse_rules([table], "test.toml"))
    people: dict[str, Any] = {"volunteers": [volunteer(intake_date=D(2026, 1, 1))]}
    assert dues(run(D(2026, 2, 10), rules, proposed=set(), **people)) == [D(2026, 1, 31)]
    assert run(D(2026, 2, 11), rules, proposed=set(), **people) == []
