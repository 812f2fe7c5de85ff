"""The help strand's rules one by one: Waarom, the lifecycle of Hulpvoorstellen, the signals
and the counts per source."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from sow_sheets.help.engine import HelpPlan, plan_help
from sow_sheets.help.rules import Terms, explain
from sow_sheets.help.settings import HelpSettings
from sow_sheets.help.sources import SourceCount, source_counts
from sow_sheets.model.geo import Point, locate_pc4
from sow_sheets.model.records import Helper, HelpRequest, Records
from sow_sheets.model.worktab import WorkerRow
from tests.helpers import help_request as make_request
from tests.helpers import helper

NOW = dt.datetime(2026, 11, 30, 14, 30)  # a Monday afternoon
TODAY = NOW.date()
SETTINGS = HelpSettings()
HERE = locate_pc4(2712)
NEAR = Point(52.0514, 4.5078)  # 0,6 km east of HERE


def help_request(ident: str = "HV-0001", **kw: object) -> HelpRequest:
    """A request asked this morning at 9:00 (see ``tests.helpers.help_request``)."""
    return make_request(ident, **{"asked": TODAY} | kw)


def plan(
    requests: list[HelpRequest],
    helpers: list[Helper],
    rows: list[WorkerRow] | None = None,
    now: dt.datetime = NOW,
) -> HelpPlan:
    return plan_help(Records(help_requests=requests, helpers=helpers), rows or [], now, SETTINGS)


def rows_of(result: HelpPlan, start: int = 2) -> list[WorkerRow]:
    """The plan's desired rows as the sheet would hold them next run."""
    return [
        WorkerRow(key, start + n, dict(values))
        for n, (key, values) in enumerate(result.proposals.items())
    ]


def decide(rows: list[WorkerRow], key: str, word: str) -> list[WorkerRow]:
    return [
        WorkerRow(r.key, r.row, r.values | {"decision": word}) if r.key == key else r for r in rows
    ]


def merged(rows: list[WorkerRow], result: HelpPlan) -> list[WorkerRow]:
    """``rows`` after the run's updates, plus the rows it added."""
    known = {r.key for r in rows}
    out = [WorkerRow(r.key, r.row, r.values | result.proposals.get(r.key, {})) for r in rows]
    start = max((r.row for r in rows), default=1) + 1
    new = {k: v for k, v in result.proposals.items() if k not in known}
    for n, (key, values) in enumerate(new.items()):
        out.append(WorkerRow(key, start + n, dict(values)))
    return out


def status(rows: list[WorkerRow]) -> list[tuple[str, str, object]]:
    return [(str(r.get("request")), str(r.get("helper")), r.get("status")) for r in rows]


# --- Waarom ---------------------------------------------------------------------------------


def test_waarom_in_plain_dutch() -> None:
    request = help_request(point=HERE, needed=dt.date(2026, 12, 1))  # a Tuesday
    helping = helper(point=NEAR, kinds=frozenset({"boodschappen"}), days=frozenset({1, 3}))
    helping = dataclasses.replace(helping, max_per_week=3)
    terms = Terms(TODAY, SETTINGS, {("HA-0001", (2026, 49)): 1})
    text = explain(request, helping, 0.62, terms)
    assert text == "0,6 km; kan boodschappen; vrij op di; deze week 1 van 3 keer geholpen"
    phone = help_request(kind="telefoon", needed=dt.date(2026, 12, 10))
    assert explain(phone, helping, None, terms) == (
        "telefonisch, afstand telt niet; kan bellen; vrij op do; "
        "volgende week 0 van 3 keer geholpen"
    )


# --- new proposals ---------------------------------------------------------------------------


def test_three_ranked_helpers_nearest_first_and_only_those_who_may() -> None:
    request = help_request(point=HERE)
    helpers = [
        helper("HA-0001", point=Point(52.0514, 4.5291)),  # 2,1 km
        helper("HA-0002", point=NEAR),  # 0,6 km
        helper("HA-0003", point=Point(52.0514, 4.5150)),  # 1,1 km
        helper("HA-0004", point=HERE),  # 0 km, but only odd jobs (below)
        helper("HA-0005", point=HERE, consent=False),  # 0 km, but no consent
        helper("HA-0006", point=Point(52.0514, 4.5400)),  # 2,8 km
    ]
    helpers[3] = dataclasses.replace(helpers[3], kinds=frozenset({"klus"}))
    result = plan([request], helpers)
    rows = list(result.proposals.values())
    assert [(r["helper"], r["rank"]) for r in rows] == [
        ("HA-0002", 1),
        ("HA-0003", 2),
        ("HA-0001", 3),
    ]
    assert rows[0]["helper_name"] == "Naam HA-0002" and rows[0]["km"] == 0.6
    assert result.served == 1 and result.new_proposals == 3


def test_an_urgent_request_takes_the_helper_a_flexible_one_also_wanted() -> None:
    urgent = help_request("HV-0002", point=HERE, urgency="vandaag")
    flexible = help_request("HV-0001", point=HERE, urgency="flexibel")
    only = helper("HA-0001", point=NEAR)
    only = dataclasses.replace(only, max_per_week=1)
    rows = list(plan([flexible, urgent], [only]).proposals.values())
    assert [(r["request"], r["rank"]) for r in rows] == [("HV-0002", 1)]


def test_first_choices_serve_as_many_requests_as_possible() -> None:
    # Greedy nearest-first would give A to the first request and leave the second without.
    a = dataclasses.replace(helper("HA-0001", point=HERE), max_per_week=1)
    b = dataclasses.replace(helper("HA-0002", point=NEAR), max_per_week=1, max_km=1.0)
    near_both = help_request("HV-0001", point=HERE)
    only_a = help_request("HV-0002", point=Point(52.0514, 4.4700))  # 2,1 km from A, not B
    rows = list(plan([near_both, only_a], [a, b]).proposals.values())
    first = {r["request"]: r["helper"] for r in rows if r["rank"] == 1}
    assert first == {"HV-0001": "HA-0002", "HV-0002": "HA-0001"}


def test_no_helper_for_a_closed_cancelled_or_non_consenting_request() -> None:
    helpers = [helper(point=HERE)]
    for request in (
        help_request(point=HERE, status="geholpen"),
        help_request(point=HERE, status="geannuleerd"),
        help_request(point=HERE, consent=False),
        help_request(point=HERE, needed=TODAY - dt.timedelta(days=1)),
        help_request(point=None),
    ):
        assert plan([request], helpers).proposals == {}
    assert plan([help_request(point=None, kind="telefoon")], helpers).served == 1


# --- the lifecycle ---------------------------------------------------------------------------


def test_akkoord_links_the_helper_and_the_other_proposals_lapse() -> None:
    request = help_request(point=HERE)
    helpers = [helper("HA-0001", point=HERE), helper("HA-0002", point=NEAR)]
    rows = rows_of(plan([request], helpers))
    rows = decide(rows, rows[1].key, "akkoord")
    later = plan([request], helpers, rows, NOW + dt.timedelta(hours=1))
    after = merged(rows, later)
    assert status(after) == [
        ("HV-0001", "HA-0001", "vervallen"),
        ("HV-0001", "HA-0002", "gekoppeld"),
    ]
    assert after[0].get("why") == "vervallen: hulpvraag heeft al een helper"
    assert later.linked == 1 and later.new_proposals == 0
    again = plan([request], helpers, after, NOW + dt.timedelta(hours=2))
    assert again.proposals == {}  # nothing left to change: a second run is a no-op


def test_afgewezen_never_proposes_the_pair_again_and_others_step_in() -> None:
    request = help_request(point=HERE)
    helpers = [helper("HA-0001", point=HERE)]
    rows = decide(rows_of(plan([request], helpers)), "HP-0001", "nee")
    helpers.append(helper("HA-0002", point=NEAR))
    later = plan([request], helpers, rows)
    after = merged(rows, later)
    assert status(after) == [
        ("HV-0001", "HA-0001", "afgewezen"),
        ("HV-0001", "HA-0002", "open"),
    ]
    for day in range(1, 4):
        assert "HA-0001" not in {
            r["helper"]
            for r in plan(
                [request], helpers[:1], rows, NOW + dt.timedelta(days=day)
            ).proposals.values()
            if "helper" in r
        }


def test_afgewezen_after_a_link_undoes_it_and_asks_again() -> None:
    request = help_request(point=HERE)
    helpers = [helper("HA-0001", point=HERE), helper("HA-0002", point=NEAR)]
    rows = decide(rows_of(plan([request], helpers)), "HP-0001", "akkoord")
    rows = merged(rows, plan([request], helpers, rows))
    assert status(rows)[0][2] == "gekoppeld"
    rows = decide(rows, "HP-0001", "afgewezen")  # the helper could not after all
    later = plan([request], helpers, rows)
    after = merged(rows, later)
    assert [s for s in status(after) if s[2] in ("gekoppeld", "open")] == [
        ("HV-0001", "HA-0002", "open")
    ]
    assert after[0].get("status") == "afgewezen"


def test_a_helped_or_cancelled_request_closes_its_open_proposals() -> None:
    helpers = [helper("HA-0001", point=HERE), helper("HA-0002", point=NEAR)]
    for word in ("geholpen", "geannuleerd"):
        rows = rows_of(plan([help_request(point=HERE)], helpers))
        closed = help_request(point=HERE, status=word)
        after = merged(rows, plan([closed], helpers, rows))
        assert {r.get("status") for r in after} == {"vervallen"}
        assert after[0].get("why") == f"vervallen: hulpvraag is {word}"


def test_two_akkoord_for_one_request_the_first_row_wins() -> None:
    helpers = [helper("HA-0001", point=HERE), helper("HA-0002", point=NEAR)]
    rows = rows_of(plan([help_request(point=HERE)], helpers))
    rows = decide(decide(rows, "HP-0001", "akkoord"), "HP-0002", "ja")
    after = merged(rows, plan([help_request(point=HERE)], helpers, rows))
    assert [r.get("status") for r in after] == ["gekoppeld", "vervallen"]


def test_a_helper_who_withdraws_consent_loses_name_and_proposals() -> None:
    request = help_request(point=HERE)
    rows = rows_of(plan([request], [helper(point=HERE)]))
    after = merged(rows, plan([request], [helper(point=HERE, consent=False)], rows))
    assert after[0].get("helper_name") == "" and after[0].get("status") == "vervallen"
    assert after[0].get("why") == "vervallen: helper heeft geen toestemming (meer)"


def test_accepted_help_counts_against_the_weekly_maximum() -> None:
    busy = dataclasses.replace(helper("HA-0001", point=HERE), max_per_week=1)
    first, second = help_request("HV-0001", point=HERE), help_request("HV-0002", point=HERE)
    rows = decide(rows_of(plan([first], [busy])), "HP-0001", "akkoord")
    rows = merged(rows, plan([first], [busy], rows))
    # This week the helper is full; a request for next week may have them.
    assert plan([first, second], [busy], rows).proposals == {}
    next_week = help_request("HV-0002", point=HERE, needed=TODAY + dt.timedelta(days=7))
    (row,) = plan([first, next_week], [busy], rows).proposals.values()
    assert row["why"] == (
        "zelfde postcodegebied; kan boodschappen; dagen niet ingevuld; "
        "volgende week 0 van 1 keer geholpen"
    )


def test_open_proposals_lapse_when_a_hard_rule_stops_holding() -> None:
    request = help_request(point=HERE, kind="gezelschap")
    vog = helper(point=HERE, vog_date=dt.date(2024, 1, 1))
    rows = rows_of(plan([request], [vog]))
    assert len(rows) == 1
    expired = plan([request], [vog], rows, dt.datetime(2027, 1, 4, 9, 0))
    assert expired.proposals["HP-0001"] == {
        "status": "vervallen",
        "why": "vervallen: VOG van helper is verlopen op 1-1-2027",
    }


# --- signals ---------------------------------------------------------------------------------


def findings(result: HelpPlan, kind: str) -> list[str]:
    return [f.key for f in result.findings if f.type == kind]


def test_an_urgent_request_is_signalled_four_hours_after_it_was_asked() -> None:
    urgent = help_request(point=HERE, urgency="vandaag", asked_time=dt.time(10, 15))
    lonely = [helper(point=HERE, kinds=frozenset({"klus"}))]
    early = plan([urgent], lonely, now=dt.datetime(2026, 11, 30, 14, 14))
    assert findings(early, "hulpvraag zonder helper") == []
    late = plan([urgent], lonely, now=dt.datetime(2026, 11, 30, 14, 15))
    (finding,) = late.findings
    assert finding.key == "hulp-vandaag:HV-0001:2026-11-30"
    assert finding.organisation == "UVV Zoetermeer" and finding.name == "Naam HV-0001"
    assert finding.description.startswith(
        "Hulp voor vandaag (boodschappen), gevraagd op 30-11-2026 om 10:15: na 4 uur nog geen "
        "helper gekoppeld. Er is geen helper die kan"
    )
    without_consent = help_request(urgency="vandaag", consent=False)
    (hidden,) = plan([without_consent], lonely).findings
    assert hidden.name == "" and "geen toestemming" in hidden.description


def test_the_urgent_signal_goes_once_a_helper_is_linked() -> None:
    urgent = help_request(point=HERE, urgency="vandaag", asked_time=dt.time(8, 0))
    helpers = [helper(point=HERE)]
    first = plan([urgent], helpers)
    assert "1 voorstel wacht op een besluit" in first.findings[0].description
    rows = decide(rows_of(first), "HP-0001", "akkoord")
    assert plan([urgent], helpers, rows).findings == []


def test_deze_week_after_two_days_and_a_date_without_time_counts_from_midnight() -> None:
    request = help_request(urgency="deze week", asked=dt.date(2026, 11, 28), asked_time=None)
    assert plan([request], [], now=dt.datetime(2026, 11, 29, 23, 59)).findings == []
    (finding,) = plan([request], [], now=dt.datetime(2026, 11, 30, 0, 0)).findings
    assert "gevraagd op 28-11-2026 (tijd onbekend): na 2 dagen" in finding.description
    flexible = help_request(urgency="flexibel", asked=dt.date(2026, 11, 1))
    assert plan([flexible], [], now=dt.datetime(2026, 11, 5, 9, 0)).findings == []


def test_an_open_request_past_its_day_asks_to_check_whether_it_worked() -> None:
    request = help_request(needed=dt.date(2026, 11, 28), urgency="vandaag")
    (finding,) = plan([request], []).findings
    assert finding.key == "hulp-nagaan:HV-0001:2026-11-28" and finding.type == "hulpvraag nagaan"
    assert finding.days_late == 2
    assert "Ga na of het gelukt is en zet Status op geholpen of geannuleerd" in (
        finding.description
    )
    # `zo snel mogelijk`: checked from the 8th day after it was asked.
    calm = {"urgency": "flexibel"}
    assert plan([help_request(asked=dt.date(2026, 11, 23), **calm)], []).findings == []
    (late,) = plan([help_request(asked=dt.date(2026, 11, 22), **calm)], []).findings
    assert late.key == "hulp-nagaan:HV-0001:2026-11-29"
    assert "zo snel mogelijk, gevraagd op 22-11-2026 om 09:00" in late.description
    assert plan([help_request(needed=dt.date(2026, 11, 28), status="geholpen")], []).findings == []


def test_a_helper_nobody_asked_for_sixty_days_is_signalled() -> None:
    idle = helper(intake_date=dt.date(2026, 10, 1))  # 60 days before 30-11
    (finding,) = plan([], [idle]).findings
    assert finding.key == "helper-benaderen:HA-0001:2026-11-30"
    assert finding.organisation == "Present"
    assert finding.description.startswith(
        "Sinds de intake (1-10-2026) nog niet gevraagd voor hulp (60 dagen): bel of de helper"
    )
    assert plan([], [idle], now=NOW - dt.timedelta(days=1)).findings == []
    last = {"date": "2026-10-20", "request": "HV-1", "helper": "HA-0001", "status": "vervallen"}
    assert plan([], [idle], [WorkerRow("HP-0001", 2, last)]).findings == []  # type: ignore[arg-type]
    assert plan([], [helper(intake_date=dt.date(2026, 10, 1), status="pauze")]).findings == []


def test_a_helper_past_a_vog_expiry_where_one_is_needed() -> None:
    old = dt.date(2023, 6, 1)
    company = helper(kinds=frozenset({"gezelschap", "klus"}), vog_date=old, intake_date=TODAY)
    (finding,) = plan([], [company]).findings
    assert finding.key == "helper-vog:HA-0001:2026-06-01" and finding.type == "VOG"
    assert finding.description.startswith("VOG verlopen op 1-6-2026; voor gezelschap is")
    odd_jobs = helper(kinds=frozenset({"klus"}), vog_date=old, intake_date=TODAY)
    assert plan([], [odd_jobs]).findings == []


# --- counts per source -------------------------------------------------------------------------


def test_requests_are_counted_per_source_and_period() -> None:
    requests = [
        help_request("HV-1", source="folder", status="geholpen"),
        help_request("HV-2", source="folder"),
        help_request("HV-3", source="telefoon", status="geannuleerd"),
        help_request("HV-4", source=None, asked=dt.date(2026, 10, 1)),
    ]
    counts = source_counts(requests)
    assert counts["folder"] == SourceCount(asked=2, helped=1, cancelled=0, open=1)
    assert counts["telefoon"] == SourceCount(asked=1, helped=0, cancelled=1, open=0)
    assert counts["onbekend"].asked == 1 and counts["formulier"].asked == 0
    assert list(counts) == [
        "telefoon",
        "folder",
        "formulier",
        "doorverwijzer",
        "anders",
        "onbekend",
    ]
    november = source_counts(requests, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert sum(c.asked for c in november.values()) == 3
    assert plan(requests, []).sources == counts


@pytest.mark.parametrize("hours", [0.5, 4, 24])
def test_the_hours_of_vandaag_are_configurable(hours: float) -> None:
    settings = HelpSettings(today_hours=hours)
    request = help_request(urgency="vandaag", asked_time=dt.time(8, 0))
    at = dt.datetime.combine(TODAY, dt.time(8, 0)) + dt.timedelta(hours=hours)
    records = Records(help_requests=[request])
    assert plan_help(records, [], at - dt.timedelta(minutes=1), settings).findings == []
    assert len(plan_help(records, [], at, settings).findings) == 1
