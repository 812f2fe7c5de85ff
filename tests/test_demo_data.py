"""The synthetic demo workbook: deterministic, well-formed, fake, and carrying its mistakes."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sow_sheets.demo.data import (
    DEMO_MISTAKES,
    ELDER_COUNT,
    FAMILY_COUNT,
    FORMULA_NAME,
    VOLUNTEER_COUNT,
    DemoMistake,
    demo_tables,
    impossible_date,
)
from sow_sheets.demo.forms import DEMO_FORMS
from sow_sheets.demo.voices import WIJK_TALKS
from sow_sheets.model.cells import Cell, is_blank
from sow_sheets.model.geo import pc4_centroids
from sow_sheets.model.schema import (
    ACTIVITEITEN,
    ACTIVITEITVOORSTELLEN,
    DEELNAMES,
    GESPREKKEN,
    GEZINNEN,
    GROOTOUDERS,
    HULPAANBOD,
    HULPVRAGEN,
    HUMAN_TABS,
    KOPPELINGEN,
    OUDEREN,
    TabSpec,
)
from sow_sheets.model.words import ConversationKind, choices

TODAY = dt.date(2026, 3, 15)
Tables = dict[str, list[list[Cell]]]
POSTCODE = re.compile(r"^(\d{4})(?: ?[A-Za-z]{2})?$")


@pytest.fixture(scope="module")
def tables() -> Tables:
    return demo_tables(TODAY)


def column(tables: Tables, tab: TabSpec, key: str) -> list[Cell]:
    index = [c.key for c in tab.columns].index(key)
    return [row[index] for row in tables[tab.title][1:]]


def as_date(value: Cell) -> dt.date | None:
    """The test's own reading of the three typed date forms the demo uses (plus date cells)."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    for pattern, order in (
        (r"(\d{4})-(\d{2})-(\d{2})", "ymd"),
        (r"(\d{1,2})-(\d{1,2})-(\d{4})", "dmy"),
        (r"(\d{2})/(\d{2})/(\d{4})", "dmy"),
    ):
        found = re.fullmatch(pattern, value)
        if found:
            a, b, c = (int(g) for g in found.groups())
            try:
                return dt.date(a, b, c) if order == "ymd" else dt.date(c, b, a)
            except ValueError:
                return None
    return None


def ids(tables: Tables, tab: TabSpec) -> list[str]:
    return [str(v) for v in column(tables, tab, "id") if not is_blank(v)]


# --- determinism and shape -------------------------------------------------------------------


def test_same_seed_and_day_give_identical_tables() -> None:
    assert demo_tables(TODAY, seed=7) == demo_tables(TODAY, seed=7)


def test_another_seed_gives_other_data() -> None:
    one, other = demo_tables(TODAY, seed=7), demo_tables(TODAY, seed=8)
    assert one[GROOTOUDERS.title] != other[GROOTOUDERS.title]
    assert one[GESPREKKEN.title] != other[GESPREKKEN.title]


def test_tabs_are_the_human_tabs_plus_koppelingen_sign_ups_and_two_forms(tables: Tables) -> None:
    expected = {t.title for t in HUMAN_TABS} | {KOPPELINGEN.title, ACTIVITEITVOORSTELLEN.title}
    assert set(tables) == expected | {f.tab for f in DEMO_FORMS}


def test_headers_are_the_schema_defaults_and_rows_fit_them(tables: Tables) -> None:
    allowed = (str, int, float, bool, dt.date, type(None))
    for tab in (*HUMAN_TABS, KOPPELINGEN):
        rows = tables[tab.title]
        assert rows[0] == tab.headers
        for row in rows[1:]:
            assert len(row) == len(tab.headers)
            assert all(isinstance(v, allowed) for v in row)
            assert not all(is_blank(v) for v in row)


def test_counts_are_about_the_stated_sizes(tables: Tables) -> None:
    def size(tab: TabSpec) -> int:
        return len(tables[tab.title]) - 1

    assert VOLUNTEER_COUNT == size(GROOTOUDERS) == 40
    assert FAMILY_COUNT <= size(GEZINNEN) <= FAMILY_COUNT + 1
    assert ELDER_COUNT <= size(OUDEREN) <= ELDER_COUNT + 1
    assert size(GESPREKKEN) == 300 + WIJK_TALKS
    assert 1 <= size(DEELNAMES) <= 20
    assert 5 <= size(KOPPELINGEN) <= 10
    programmes = Counter(column(tables, ACTIVITEITEN, "programme"))
    assert programmes["Zomereenzaamheid"] + programmes["Magisch Zoetermeer"] >= 25


# --- fake but plausible personal data --------------------------------------------------------


def test_phone_numbers_and_emails_are_obviously_fake(tables: Tables) -> None:
    phones = [
        v
        for tab in (GROOTOUDERS, GEZINNEN, HULPVRAGEN, HULPAANBOD)
        for v in column(tables, tab, "phone")
    ]
    emails = [
        v for tab in (GROOTOUDERS, GEZINNEN, HULPAANBOD) for v in column(tables, tab, "email")
    ]
    assert len(set(phones)) == len(phones)
    assert phones and all(isinstance(p, str) and re.fullmatch(r"06-1234\d{4}", p) for p in phones)
    present = [e for e in emails if not is_blank(e)]
    assert present and all(isinstance(e, str) and e.endswith("@example.nl") for e in present)
    assert all(re.fullmatch(r"[a-z]+\.[a-z]+@example\.nl", str(e)) for e in present)


def test_postcodes_are_real_zoetermeer_areas_except_the_mistake(tables: Tables) -> None:
    centroids = pc4_centroids()
    bad = {m.value for m in DEMO_MISTAKES if m.column == "Postcode"}
    seen = 0
    for tab in (GROOTOUDERS, GEZINNEN, OUDEREN, ACTIVITEITEN, HULPVRAGEN, HULPAANBOD):
        for value in column(tables, tab, "postcode"):
            if value in bad:
                continue
            found = POSTCODE.match(str(value))
            assert found, value
            pc4 = int(found.group(1))
            assert 2711 <= pc4 <= 2729 and pc4 in centroids
            seen += 1
    assert seen > 200


def test_names_are_first_name_plus_surname_and_unique(tables: Tables) -> None:
    names = [
        str(v)
        for tab in (GROOTOUDERS, GEZINNEN, OUDEREN, HULPVRAGEN, HULPAANBOD)
        for v in column(tables, tab, "name")
        if v != FORMULA_NAME
    ]
    assert all(re.fullmatch(r"[A-Z][a-zë]+ [A-Za-z ]+", n) for n in names)
    assert len(set(names)) == len(names)


# --- the deliberate mistakes -----------------------------------------------------------------


def _twin_id(tables: Tables, today: dt.date) -> bool:
    counts = Counter(ids(tables, GEZINNEN))
    return sorted(counts.values()).count(2) == 1 and max(counts.values()) == 2


def _blank_elder_id(tables: Tables, today: dt.date) -> bool:
    return sum(is_blank(v) for v in column(tables, OUDEREN, "id")) == 1


def _unknown_subject(tables: Tables, today: dt.date) -> bool:
    known = {k for tab in (GROOTOUDERS, GEZINNEN, OUDEREN) for k in ids(tables, tab)}
    known |= {str(k) for k in column(tables, KOPPELINGEN, "key")}
    unknown = [
        s
        for s, kind in zip(
            column(tables, GESPREKKEN, "subject"), column(tables, GESPREKKEN, "kind"), strict=True
        )
        if s not in known and kind != "wijkgesprek"
    ]
    return unknown == [m.value for m in DEMO_MISTAKES if m.tab == GESPREKKEN.title]


Check = Callable[[Tables, dt.date], bool]


def _value_in(tab: TabSpec, key: str, value: str | Callable[[dt.date], str]) -> Check:
    def check(tables: Tables, today: dt.date) -> bool:
        expected = value(today) if callable(value) else value
        return column(tables, tab, key).count(expected) == 1

    return check


CHECKS: dict[tuple[str, str], Check] = {
    ("Grootouders", "Postcode"): _value_in(GROOTOUDERS, "postcode", "27x"),
    ("Grootouders", "Toestemming"): _value_in(GROOTOUDERS, "consent", "misschien"),
    ("Gezinnen", "Intakedatum"): _value_in(GEZINNEN, "intake_date", impossible_date),
    ("Gezinnen", "Kinderen"): _value_in(GEZINNEN, "children", "drie"),
    ("Gezinnen", "ID"): _twin_id,
    ("Gesprekken", "Betreft"): _unknown_subject,
    ("Ouderen", "ID"): _blank_elder_id,
    ("Ouderen", "Naam"): _value_in(OUDEREN, "name", '=HYPERLINK("http://example.nl";"klik")'),
    ("Hulpvragen", "Wanneer"): _value_in(HULPVRAGEN, "needed", "na het weekend"),
}


def test_every_documented_mistake_has_a_check() -> None:
    assert {(m.tab, m.column) for m in DEMO_MISTAKES} == set(CHECKS)
    assert all(m.what for m in DEMO_MISTAKES)


@pytest.mark.parametrize("mistake", DEMO_MISTAKES, ids=lambda m: f"{m.tab}-{m.column}")
def test_every_deliberate_mistake_is_in_the_data(tables: Tables, mistake: DemoMistake) -> None:
    assert CHECKS[(mistake.tab, mistake.column)](tables, TODAY)
    if mistake.value:
        assert any(mistake.value in row for row in tables[mistake.tab])


def test_the_impossible_date_is_really_impossible() -> None:
    assert re.fullmatch(r"31-02-\d{4}", impossible_date(TODAY))
    assert as_date(impossible_date(TODAY)) is None


def test_formula_name_is_a_plain_string_cell(tables: Tables) -> None:
    names = column(tables, OUDEREN, "name")
    assert FORMULA_NAME in names
    assert type(names[names.index(FORMULA_NAME)]) is str


def test_mistakes_are_not_in_hand_typed_matches(tables: Tables) -> None:
    """Matches stay valid so the follow-up demo works; mistakes sit on other people."""
    matched = set(column(tables, KOPPELINGEN, "volunteer")) | set(
        column(tables, KOPPELINGEN, "family")
    )
    counts = Counter(ids(tables, GEZINNEN))
    assert not {i for i, n in counts.items() if n > 1} & matched
    keys = [c.key for c in GROOTOUDERS.columns]
    for row in tables[GROOTOUDERS.title][1:]:
        if row[keys.index("id")] in matched:
            assert row[keys.index("postcode")] != "27x"
            assert row[keys.index("consent")] != "misschien"


# --- realistic value forms --------------------------------------------------------------------


def test_values_use_the_mix_of_typed_forms(tables: Tables) -> None:
    everything = [v for rows in tables.values() for row in rows[1:] for v in row]
    dates = column(tables, GESPREKKEN, "date") + column(tables, GROOTOUDERS, "intake_date")
    assert any(isinstance(v, dt.date) for v in dates)
    assert any(isinstance(v, str) and re.fullmatch(r"\d{1,2}-\d{1,2}-\d{4}", v) for v in dates)
    assert any(isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) for v in dates)
    for form in ("ja", "j", "x", "nee"):
        assert form in everything
    postcodes = [str(v) for v in column(tables, GROOTOUDERS, "postcode")]
    assert any(re.fullmatch(r"\d{4} [A-Z]{2}", p) for p in postcodes)
    assert set(column(tables, GESPREKKEN, "kind")) == set(choices(ConversationKind))
    for text in ("wekelijks", "1x per week", "tweewekelijks", "maandelijks"):
        assert text in column(tables, GROOTOUDERS, "frequency") + column(
            tables, GEZINNEN, "frequency"
        )


def test_volunteers_have_a_realistic_mix(tables: Tables) -> None:
    vogs = [as_date(v) for v in column(tables, GROOTOUDERS, "vog_date")]
    three_years = TODAY.replace(year=TODAY.year - 3)
    assert sum(v is not None and v > three_years for v in vogs) > len(vogs) / 2
    assert any(v is not None and v <= three_years for v in vogs)
    assert None in vogs
    km = [v for v in column(tables, GROOTOUDERS, "max_km") if v is not None]
    assert all(isinstance(k, int | float) and 2 <= k <= 8 for k in km)
    families = Counter(column(tables, GROOTOUDERS, "max_families"))
    assert families[1] > families[2] > 0
    languages = [str(v) for v in column(tables, GROOTOUDERS, "languages") if v]
    assert Counter(languages).most_common(1)[0][0] == "Nederlands"
    statuses = Counter(column(tables, OUDEREN, "status"))
    assert statuses["actief"] > statuses["pauze"] + statuses["gestopt"] > 0
    consent = Counter(str(v).lower() for v in column(tables, GEZINNEN, "consent"))
    assert consent["nee"] + consent["n"] > 0


def test_references_point_at_existing_rows(tables: Tables) -> None:
    elders = set(ids(tables, OUDEREN))
    activity_dates = dict(
        zip(
            column(tables, ACTIVITEITEN, "id"),
            (as_date(v) for v in column(tables, ACTIVITEITEN, "date")),
            strict=True,
        )
    )
    for elder, activity in zip(
        column(tables, DEELNAMES, "elder"), column(tables, DEELNAMES, "activity"), strict=True
    ):
        assert elder in elders
        when = activity_dates[activity]
        assert when is not None and when < TODAY
    assert set(column(tables, KOPPELINGEN, "volunteer")) <= set(ids(tables, GROOTOUDERS))
    assert set(column(tables, KOPPELINGEN, "family")) <= set(ids(tables, GEZINNEN))
    assert all(re.fullmatch(r"KP-\d{4}", str(k)) for k in column(tables, KOPPELINGEN, "key"))


# --- dates relative to today ------------------------------------------------------------------


def _check_relative_dates(tables: Tables, today: dt.date) -> None:
    activities = [
        (as_date(d), p)
        for d, p in zip(
            column(tables, ACTIVITEITEN, "date"),
            column(tables, ACTIVITEITEN, "programme"),
            strict=True,
        )
    ]
    for when, programme in activities:
        assert when is not None
        month = {7: "Zomereenzaamheid", 8: "Zomereenzaamheid", 12: "Magisch Zoetermeer"}
        assert programme == month.get(when.month, "Overig")
    horizon = today + dt.timedelta(days=42)
    assert sum(today <= w <= horizon for w, _ in activities if w) >= 3
    assert any(w and w > today and p == "Zomereenzaamheid" for w, p in activities)
    assert any(w and w > today and p == "Magisch Zoetermeer" for w, p in activities)

    talks = [as_date(v) for v in column(tables, GESPREKKEN, "date")]
    assert all(d is not None and d <= today for d in talks)
    assert talks == sorted(talks)  # type: ignore[type-var]
    next_due = [as_date(v) for v in column(tables, GESPREKKEN, "next_due") if v]
    assert any(d and d < today for d in next_due)
    assert any(d and d > today for d in next_due)
    for cell in column(tables, GROOTOUDERS, "intake_date") + column(tables, OUDEREN, "intake_date"):
        when = as_date(cell)
        assert when is not None and when <= today


def _check_follow_up_mix(tables: Tables, today: dt.date) -> None:
    """Matches overdue and on time for their introduction; older people in and out of time."""
    subjects = column(tables, GESPREKKEN, "subject")
    kinds = column(tables, GESPREKKEN, "kind")
    dates = [as_date(v) for v in column(tables, GESPREKKEN, "date")]
    late_intro = on_time_intro = 0
    for key, vol, fam, start, status in zip(
        *(
            column(tables, KOPPELINGEN, k)
            for k in ("key", "volunteer", "family", "start", "status")
        ),
        strict=True,
    ):
        began = as_date(start)
        assert began is not None and began <= today
        if status != "actief" or (today - began).days <= 21:
            continue
        about = {key, vol, fam}
        if any(s in about and k == "kennismaking" for s, k in zip(subjects, kinds, strict=True)):
            on_time_intro += 1
        else:
            late_intro += 1
    assert late_intro >= 1 and on_time_intro >= 1

    latest: dict[str, dt.date] = {}
    for subject, when in zip(subjects, dates, strict=True):
        if str(subject).startswith("OU-") and when:
            latest[str(subject)] = max(when, latest.get(str(subject), when))
    ages = [(today - d).days for d in latest.values()]
    assert sum(a <= 21 for a in ages) >= 5
    assert sum(a > 91 for a in ages) >= 3


@settings(max_examples=25, deadline=None)
@given(
    today=st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2035, 12, 31)),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_any_day_and_seed_give_a_consistent_demo(today: dt.date, seed: int) -> None:
    tables = demo_tables(today, seed)
    assert len(tables[GESPREKKEN.title]) == 301 + WIJK_TALKS
    for tab in (*HUMAN_TABS, KOPPELINGEN):
        assert tables[tab.title][0] == tab.headers
    for check in CHECKS.values():
        assert check(tables, today)
    _check_relative_dates(tables, today)
    _check_follow_up_mix(tables, today)


def test_relative_dates_and_follow_up_mix_on_fixed_days() -> None:
    for today in (TODAY, dt.date(2026, 7, 20), dt.date(2026, 12, 28), dt.date(2028, 2, 29)):
        tables = demo_tables(today)
        _check_relative_dates(tables, today)
        _check_follow_up_mix(tables, today)


# --- the demo through the project's own validation ---------------------------------------------


@pytest.mark.parametrize("today", [TODAY, dt.date(2026, 7, 20), dt.date(2028, 2, 29)])
def test_validation_finds_exactly_the_deliberate_mistakes(today: dt.date) -> None:
    """Every other value is in a form the parsers accept, so the demo's signals are the
    documented mistakes and nothing else; the blank ID is the one ID to fill."""
    from sow_sheets.model.schema import DEFAULT_SCHEMA
    from sow_sheets.model.sheet import Table
    from sow_sheets.reading.validation import validate

    tables = demo_tables(today)
    result = validate({k: Table(k, rows) for k, rows in tables.items()}, DEFAULT_SCHEMA, today)
    found = {(p.tab, p.column) for p in result.records.problems}
    # A blank ID is filled, not flagged; a formula-looking name is a valid name.
    not_problems = {(OUDEREN.title, "ID"), (OUDEREN.title, "Naam")}
    assert found == {(m.tab, m.column) for m in DEMO_MISTAKES} - not_problems
    assert len(result.records.problems) == len(DEMO_MISTAKES) - 2  # blank ID, formula name
    assert [f.tab for f in result.id_fills] == [OUDEREN.title]
    assert len(result.records.matches) == len(tables[KOPPELINGEN.title]) - 1
    # The 80 elders plus the new row whose blank ID the sync fills (it takes part at once).
    assert len(result.records.elders) == ELDER_COUNT + 1


def test_the_national_workbook_scales_every_count_and_keeps_ids_unique() -> None:
    from sow_sheets.demo.national import ELDERS, VOLUNTEERS, national_tables

    tables = national_tables(dt.date(2026, 11, 27), scale=0.02)
    assert len(tables["Grootouders"]) - 1 == round(VOLUNTEERS * 0.02)
    assert len(tables["Ouderen"]) - 1 == round(ELDERS * 0.02)
    for title in ("Grootouders", "Gezinnen", "Ouderen", "Activiteiten", "Koppelingen"):
        ids = [row[0] for row in tables[title][1:]]
        assert all(ids) and len(set(ids)) == len(ids), title
    assert national_tables(dt.date(2026, 11, 27), scale=0.02) == tables  # reproducible


# --- the help strand -------------------------------------------------------------------------


def _help_plan(today: dt.date, seed: int) -> tuple[Tables, object]:
    """The demo's help strand as the engine sees it at 10:00 on ``today``."""
    from sow_sheets.help.engine import plan_help
    from sow_sheets.help.settings import HelpSettings
    from sow_sheets.model.schema import DEFAULT_SCHEMA
    from sow_sheets.model.sheet import Table
    from sow_sheets.reading.validation import validate

    tables = demo_tables(today, seed)
    records = validate(
        {k: Table(k, rows) for k, rows in tables.items()}, DEFAULT_SCHEMA, today
    ).records
    now = dt.datetime.combine(today, dt.time(10, 0))
    return tables, plan_help(records, [], now, HelpSettings())


@settings(max_examples=12, deadline=None)
@given(
    today=st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2035, 12, 31)),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_the_demo_always_shows_each_help_situation(today: dt.date, seed: int) -> None:
    """An urgent ride nobody can give, a helper nobody asked, an expired VOG, and plenty of
    requests that do get helpers, on any day and seed."""
    from sow_sheets.help.engine import HelpPlan

    tables, plan = _help_plan(today, seed)
    assert isinstance(plan, HelpPlan)
    ids = column(tables, HULPVRAGEN, "id")
    notes = column(tables, HULPVRAGEN, "notes")
    unreachable = ids[notes.index("Afspraak in het ziekenhuis, kan niet met de bus")]
    proposed = {row["request"] for row in plan.proposals.values()}
    assert unreachable not in proposed
    by_type = Counter(f.type for f in plan.findings)
    urgent = [f for f in plan.findings if f.subject == unreachable]
    assert [f.type for f in urgent] == ["hulpvraag zonder helper"]
    assert "geen helper die kan" in urgent[0].description
    assert by_type["helper benaderen"] >= 1 and by_type["VOG"] >= 1
    assert plan.served >= 5 and len(proposed) == plan.served
    sources = Counter(column(tables, HULPVRAGEN, "source"))
    assert sources["folder"] > 0 and sources["telefoon"] > 0


@settings(max_examples=10, deadline=None)
@given(
    today=st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2035, 12, 31)),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_the_demo_shows_helpers_rokkeveen_and_a_cancelled_activity(
    today: dt.date, seed: int
) -> None:
    """Older people proposed as helpers, the Rokkeveen conversations counted, and one call per
    person signed up for the cancelled activity, routed to its organisation — on any day."""
    from sow_sheets.model.schema import DEFAULT_SCHEMA
    from sow_sheets.model.sheet import Table
    from sow_sheets.reading.validation import validate
    from sow_sheets.reporting.neighbourhoods import neighbourhood_counts
    from sow_sheets.settings import EngineSettings
    from sow_sheets.sync.decide import decide

    tables = demo_tables(today, seed)
    validated = validate({k: Table(k, rows) for k, rows in tables.items()}, DEFAULT_SCHEMA, today)
    decisions = decide(validated, EngineSettings(), today)
    kinds = Counter(str(v.get("kind")) for v in decisions.desired["activiteitvoorstellen"].values())
    assert kinds["meehelpen"] >= 1 and kinds["deelnemen"] >= 10
    signed = tables[ACTIVITEITVOORSTELLEN.title][1:]
    cancelled = {row[[c.key for c in ACTIVITEITVOORSTELLEN.columns].index("activity")]
                 for row in signed}  # fmt: skip
    (activity_id,) = cancelled
    organisation = dict(zip(column(tables, ACTIVITEITEN, "id"),
                            column(tables, ACTIVITEITEN, "organisation"), strict=True))  # fmt: skip
    calls = [v for k, v in decisions.desired["signalen"].items() if k.startswith("afgelast:")]
    assert len(calls) == len(signed) == 3
    assert {v["organisation"] for v in calls} == {organisation[activity_id]}
    counts = neighbourhood_counts(validated.records.conversations, dt.date.min, today)
    assert counts.conversations == Counter({"WIJK-ROKKEVEEN": WIJK_TALKS})
    assert f"ontmoetingsruimte kinderboerderij: {WIJK_TALKS - 1}×" in counts.lines()
