"""Duplicate detection: normal forms, the candidate rules, the measured accuracy on a
population with planted duplicates, and the signals and links it makes."""

from __future__ import annotations

import datetime as dt

import pytest

from sow_sheets.demo.duplicates import duplicate_world
from sow_sheets.duplicates.engine import SHARED_CONTACT, candidate_pairs
from sow_sheets.duplicates.normalise import name_form, phone_key
from sow_sheets.duplicates.settings import DuplicateSettings
from sow_sheets.duplicates.signals import linked_conversations, pair_key, plan_duplicates
from sow_sheets.model.records import Identity, Records
from sow_sheets.model.schema import DEFAULT_SCHEMA
from sow_sheets.model.sheet import Table
from sow_sheets.model.worktab import WorkerRow
from sow_sheets.reading.validation import validate
from tests.helpers import TODAY, conversation


def person(ident: str, tab: str = "ouderen", **kw: object) -> Identity:
    base: dict[str, object] = {
        "tab": tab,
        "id": ident,
        "row": 2,
        "organisation": "Humanitas",
        "name": "Riet de Vries",
        "birth_year": 1948,
        "pc4": 2711,
    }
    return Identity(**(base | kw))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Riet van der Berg", "Berg, Riet van der"),
        ("Riet van der Berg", "Riet v.d. Berg"),
        ("Riet van der Berg", "RIET VD BERG"),
        ("Thérèse Çelik", "Therese Celik"),
        ("Gijs van 't Hof", "Gijs van t Hof"),
        ("Gijs van 't Hof", "Gijs v. 't Hof"),
    ],
)
def test_name_forms_leave_out_particles_accents_and_order(one: str, other: str) -> None:
    assert name_form(one).full == name_form(other).full


def test_an_initial_is_kept_apart() -> None:
    form = name_form("R. de Vries")
    assert (form.full, form.initials, form.letters) == ("vries", "r", "rv")
    assert name_form("T. Demir").initials == "t" and name_form("Ineke D. Demir").initials == "d"


def test_different_middle_initials_are_different_people() -> None:
    a = person("OU-1", name="Ineke D. Demir")
    b = person("OU-2", name="Ineke V. Demir")
    c = person("OU-3", name="Ineke Demir", birth_year=1950)
    assert candidate_pairs([a, b, c], DuplicateSettings()) == []
    plain = person("OU-4", name="Ineke Demir")
    (pair,) = candidate_pairs([plain, person("OU-5", name="I. Demir")], DuplicateSettings())
    assert pair.name == 100


@pytest.mark.parametrize("typed", ["06-12345678", "+31 6 1234 5678", "0031612345678", "0612345678"])
def test_phone_numbers_in_any_spelling_are_one_key(typed: str) -> None:
    assert phone_key(typed) == "0612345678"


def test_too_short_a_phone_number_is_no_key() -> None:
    assert phone_key("1234") == ""


def test_same_phone_across_partners_is_a_candidate() -> None:
    a = person("GO-1", "grootouders", name="Henk Bos", phone="06-12345678", organisation="A")
    b = person("GO-2", "grootouders", name="Kees Smit", phone="+31 6 1234 5678", pc4=2799)
    (pair,) = candidate_pairs([a, b], DuplicateSettings())
    assert (pair.first.id, pair.second.id, pair.phone, pair.name) == ("GO-1", "GO-2", True, 0)


def test_a_typo_with_the_same_birth_year_is_a_candidate_a_different_year_is_not() -> None:
    a = person("OU-1", name="Hendrik Verhoeven")
    b = person("OU-2", name="Hendirk Verhoeven", pc4=2722)  # moved, same birth year
    (pair,) = candidate_pairs([a, b], DuplicateSettings())
    assert pair.birth_year and not pair.pc4 and 85 <= pair.name < 100
    c = person("OU-3", name="Hendirk Verhoeven", birth_year=1950)
    assert candidate_pairs([a, c], DuplicateSettings()) == []


def test_similar_but_different_names_are_not_candidates() -> None:
    people = [
        person("OU-1", name="Wil de Vries"),
        person("OU-2", name="Wilma de Vries"),
        person("OU-3", name="Kees van Dijk"),
        person("OU-4", name="Kees van Wijk"),
    ]
    assert candidate_pairs(people, DuplicateSettings()) == []


def test_only_configured_tab_pairs_count() -> None:
    volunteer = person("GO-1", "grootouders", name="Riet de Vries")
    elder = person("OU-1", "ouderen", name="Vries, Riet de")
    assert candidate_pairs([volunteer, elder], DuplicateSettings()) == []
    both = DuplicateSettings(tab_pairs=("grootouders+ouderen",))
    (pair,) = candidate_pairs([volunteer, elder], both)
    assert pair.name == 100 and pair.birth_year and pair.pc4


def test_a_phone_number_on_many_rows_proves_nothing() -> None:
    office = [
        person(f"GZ-{n}", "gezinnen", name=f"{first} Bos", phone="079-3456789", birth_year=None)
        for n, first in enumerate(
            ["Anna", "Bert", "Carla", "Dirk", "Els", "Frans", "Geert", "Hans", "Ineke", "Jan"][
                : SHARED_CONTACT + 1
            ]
        )
    ]
    assert candidate_pairs(office, DuplicateSettings()) == []
    (pair,) = candidate_pairs(office[:2], DuplicateSettings())
    assert pair.phone and not pair.name


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="tab_pairs"):
        DuplicateSettings(tab_pairs=("ouderen+koppelingen",))
    with pytest.raises(ValueError, match="name_similarity"):
        DuplicateSettings(name_similarity=30)


def test_recall_and_precision_on_5000_people_with_5_percent_duplicates() -> None:
    """The issue's measure: recall at least 95 %, precision at least 99 %."""
    world = duplicate_world(5_000, share=0.05, seed=7)
    tables = {title: Table(title, rows) for title, rows in world.tables.items()}
    validated = validate(tables, DEFAULT_SCHEMA, TODAY)
    identities = validated.records.identities
    assert len(identities) == 5_000 and not validated.records.problems
    found = {(p.first.id, p.second.id) for p in candidate_pairs(identities, DuplicateSettings())}
    true_pos = len(found & world.truth)
    false_pos = len(found - world.truth)
    false_neg = len(world.truth - found)
    assert len(world.truth) == 250
    recall, precision = true_pos / len(world.truth), true_pos / len(found)
    print(
        f"tp={true_pos} fp={false_pos} fn={false_neg} recall={recall:.3f} precision={precision:.3f}"
    )
    assert recall >= 0.95
    assert precision >= 0.99


def test_signal_names_ids_tabs_partners_and_why_never_the_number() -> None:
    a = person(
        "GO-7", "grootouders", name="Henk Bos", phone="06-12345678", organisation="Humanitas"
    )
    b = person("GO-3", "grootouders", name="Henk Bos", phone="0612345678", organisation="Present")
    plan = plan_duplicates([a, b], [], DuplicateSettings())
    (finding,) = plan.findings
    assert finding.key == pair_key("GO-7", "GO-3") == "mogelijk dubbel:GO-3:GO-7"
    assert finding.type == "mogelijk dubbel" and finding.subject == "GO-3"
    text = finding.description
    assert "GO-3 (Grootouders, Present) en GO-7 (Grootouders, Humanitas)" in text
    assert "zelfde telefoonnummer" in text
    assert "zelfde naam, zelfde geboortejaar en zelfde postcodegebied (4 cijfers)" in text
    assert "zelfde persoon" in text and "verschillend" in text
    assert "1234" not in text and "Henk" not in text and finding.name == ""
    assert plan.links == {}


def answered(a: str, b: str, action: str) -> WorkerRow:
    return WorkerRow(pair_key(a, b), 2, {"type": "mogelijk dubbel", "action": action})


def test_same_person_links_ids_and_keeps_the_link_when_rows_no_longer_look_alike() -> None:
    a = person("OU-1", name="Riet de Vries")
    b = person("OU-2", name="Ria Jansen", birth_year=1950, pc4=2799)  # edited since
    c = person("OU-3", name="Kees Bos")
    plan = plan_duplicates(
        [a, b, c], [answered("OU-1", "OU-2", "Zelfde  persoon")], DuplicateSettings()
    )
    assert plan.links == {"OU-1": {"OU-1", "OU-2"}, "OU-2": {"OU-1", "OU-2"}}
    (finding,) = plan.findings
    assert finding.key == pair_key("OU-1", "OU-2") and "bevestigd" in finding.description
    gone = plan_duplicates(
        [a, c], [answered("OU-1", "OU-2", "zelfde persoon")], DuplicateSettings()
    )
    assert gone.links == {} and gone.findings == []


def test_different_keeps_the_finding_but_makes_no_link() -> None:
    a, b = person("OU-1"), person("OU-2")
    plan = plan_duplicates([a, b], [answered("OU-1", "OU-2", "verschillend")], DuplicateSettings())
    assert plan.links == {} and len(plan.findings) == 1


def test_linked_ids_share_their_conversations() -> None:
    records = Records(
        conversations=[
            conversation(dt.date(2026, 11, 1), "OU-2"),
            conversation(dt.date(2026, 11, 2), "OU-9"),
        ]
    )
    links = {"OU-1": frozenset({"OU-1", "OU-2"}), "OU-2": frozenset({"OU-1", "OU-2"})}
    shared = linked_conversations(records, links)
    assert sorted((c.subject, c.date.day) for c in shared.conversations) == [
        ("OU-1", 1),
        ("OU-2", 1),
        ("OU-9", 2),
    ]
    assert linked_conversations(records, {}) is records


def test_a_pair_another_signal_asks_about_is_not_asked_again() -> None:
    a, b = person("GZ-1", "gezinnen"), person("GZ-2", "gezinnen")
    assert len(plan_duplicates([a, b], [], DuplicateSettings()).findings) == 1
    assert plan_duplicates([a, b], [], DuplicateSettings(), asked=[("GZ-2", "GZ-1")]).findings == []


def test_blocking_loses_no_pair_the_rules_accept() -> None:
    """Every pair found when each pair is compared on its own is found in one run too."""
    world = duplicate_world(100, share=0.3, seed=3)
    tables = {title: Table(title, rows) for title, rows in world.tables.items()}
    people = validate(tables, DEFAULT_SCHEMA, TODAY).records.identities
    settings = DuplicateSettings()
    together = {(p.first.id, p.second.id) for p in candidate_pairs(people, settings)}
    alone = {
        (p.first.id, p.second.id)
        for i, a in enumerate(people)
        for b in people[i + 1 :]
        for p in candidate_pairs([a, b], settings)
    }
    assert together == alone and len(together) >= 25
