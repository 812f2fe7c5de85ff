"""Intake through forms in four languages, end to end through the command line on real
workbooks (docs/forms.md)."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from sow_sheets.backends.xlsx import XlsxBackend
from sow_sheets.config import load_settings, settings_from_mapping
from sow_sheets.demo.data import demo_tables
from sow_sheets.demo.forms import DEMO_FORMS
from sow_sheets.forms.resubmissions import review
from sow_sheets.forms.schema import with_forms
from sow_sheets.forms.settings import FORM_FIELDS
from sow_sheets.model.cells import Cell, canonical
from sow_sheets.model.schema import DEFAULT_SCHEMA
from sow_sheets.model.sheet import Table
from sow_sheets.reading.validation import validate
from sow_sheets.reading.vocabulary import form_words
from tests.conftest import CliResult
from tests.helpers import TODAY, minimal_tables, read_workbook, tab_row
from tests.test_google_sync import FIRST, LATER, Sheet

Tables = dict[str, list[list[Cell]]]
RunCli = Callable[..., CliResult]
MakeWorkbook = Callable[[Tables], Path]

# One family as partner staff type it in Gezinnen, in Dutch.
TYPED = tab_row(
    "gezinnen",
    ID="GZ-0001", Naam="Fam. Yilmaz", Postcode="2711 AB", Telefoon="06-11112222",
    **{"E-mail": "typed@example.nl"}, Organisatie="Humanitas", Intakedatum="20-11-2026",
    Status="actief", Toestemming="ja", Kinderen="3, 6", Frequentie="tweewekelijks",
    **{"Soort contact": "uitjes, samen spelen"}, Dagen="ma, wo, za", Talen="Nederlands, Turks",
    Interesses="koken, wandelen", **{"Geen huisdieren": "ja"}, Rookvrij="nee",
)  # fmt: skip

# The same family's answers on a form in each language (field → answer).
ANSWERS: dict[str, dict[str, str]] = {
    "nl": {
        "stamp": "20-11-2026 10:15:00", "postcode": "2711 AB", "children": "3, 6",
        "days": "Maandag, Woensdag, Zaterdag", "frequency": "Om de week",
        "contact_kinds": "Uitjes, Samen spelen", "yes": "Ja", "no": "Nee",
    },
    "en": {
        "stamp": "2026-11-20 10:15:00", "postcode": "2711AB", "children": "3 and 6",
        "days": "Monday, Wednesday, Saturday", "frequency": "Every two weeks",
        "contact_kinds": "Outings, Playing together", "yes": "Yes", "no": "No",
    },
    "tr": {
        "stamp": "20.11.2026 10:15:00", "postcode": "2711 ab", "children": "3 ve 6",
        "days": "Pazartesi, ÇARŞAMBA ve Cumartesi", "frequency": "İki haftada bir",
        "contact_kinds": "Geziler, Birlikte oyun", "yes": "Evet", "no": "Hayır",
    },
    "ar": {
        "stamp": "٢٠/١١/٢٠٢٦ ١٠:١٥:٠٠", "postcode": "٢٧١١ AB", "children": "٣، ٦",
        "days": "الاثنين، الأربعاء والسبت", "frequency": "كل أسبوعين",
        "contact_kinds": "نزهات، اللعب معا", "yes": "نعم", "no": "لا",
    },
}  # fmt: skip
LANGUAGES = tuple(ANSWERS)


def response(language: str, number: int, **override: str) -> dict[str, Cell]:
    """Header → answer of one response, the questions in the form's language."""
    a = ANSWERS[language] | override
    q = form_words(language).questions
    return {
        "Tijdstempel": a["stamp"],
        q["name"]: "Fam. Yilmaz",
        q["postcode"]: a["postcode"],
        q["phone"]: f"06-2222333{number}",
        q["email"]: override.get("email", f"form{number}@example.nl"),
        q["children"]: a["children"],
        q["days"]: a["days"],
        q["frequency"]: a["frequency"],
        q["contact_kinds"]: a["contact_kinds"],
        q["languages"]: "Nederlands, Turks",
        q["interests"]: "koken, wandelen",
        q["no_pets"]: a["yes"],
        q["smoke_free"]: a["no"],
        q["consent"]: a["yes"],
    }


def responses_tab(rows: list[dict[str, Cell]]) -> list[list[Cell]]:
    header = list(rows[0])
    return [header] + [[r.get(h) for h in header] for r in rows]


def form_config(tmp_path: Path, workbook: Path, forms: list[tuple[str, str]]) -> Path:
    lines = [f'[sheet]\nworkbook = "{workbook}"\n']
    for tab, language in forms:
        lines.append(
            f'[[forms]]\ntab = "{tab}"\ntype = "gezinnen"\nlanguage = "{language}"\n'
            'organisation = "Humanitas"\n'
        )
    path = tmp_path / "sow.toml"
    path.write_text("\n".join(lines), "utf-8")
    return path


def four_forms(tmp_path: Path, workbook: MakeWorkbook) -> tuple[Path, Path]:
    tables = minimal_tables()
    tables["Gezinnen"].append(TYPED)
    for index, language in enumerate(LANGUAGES, start=1):
        tables[f"Formulierreacties {index}"] = responses_tab([response(language, index)])
    path = workbook(tables)
    tabs = [(f"Formulierreacties {i}", lang) for i, lang in enumerate(LANGUAGES, start=1)]
    return path, form_config(tmp_path, path, tabs)


def families(config: Path) -> dict[str, Any]:
    settings = load_settings(config)
    tables = XlsxBackend(Path(settings.sheet.workbook)).read()
    validated = validate(tables, settings.schema, TODAY)
    return {f.id: f for f in validated.records.families}


def test_answers_in_each_language_become_the_typed_dutch_record(
    tmp_path: Path, workbook: MakeWorkbook, run_cli: RunCli
) -> None:
    path, config = four_forms(tmp_path, workbook)
    before = read_workbook(path)
    result = run_cli("sync", "--config", str(config), "--today", TODAY.isoformat())
    assert result.code == 0, result.err
    after = read_workbook(path)
    found = families(config)
    typed = found.pop("GZ-0001")
    assert sorted(found) == ["GZ-0002", "GZ-0003", "GZ-0004", "GZ-0005"]
    skip = {"id", "row", "invalid"}
    for ident, family in found.items():
        for field in dataclasses.fields(family):
            if field.name not in skip:
                assert getattr(family, field.name) == getattr(typed, field.name), (
                    ident,
                    field.name,
                )
        assert family.invalid == frozenset()
    for index in range(1, 5):
        tab = f"Formulierreacties {index}"
        width = len(before[tab][0])
        # The worker added its ID column right of the form's own and wrote nothing else.
        assert after[tab][0][width] == "ID"
        assert after[tab][1][width] == f"GZ-000{index + 1}"
        assert [r[:width] for r in after[tab]] == before[tab]
    # No signal but that the five rows look like one family (they are, on purpose): every
    # answer was understood.
    types = {row[1] for row in after.get("Signalen", [[]])[1:]}
    assert types <= {"mogelijk dubbel"}


def proposal_families(path: Path) -> set[str]:
    rows = read_workbook(path).get("Voorstellen", [[]])
    if not rows[0]:
        return set()
    col = rows[0].index("Gezin")
    return {str(r[col]) for r in rows[1:]}


def signal_rows(path: Path, kind: str) -> list[dict[str, Cell]]:
    rows = read_workbook(path).get("Signalen", [[]])
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:] if r[1] == kind]  # type: ignore[arg-type]


def set_action(path: Path, key: str, action: str) -> None:
    book = openpyxl.load_workbook(path)
    ws = book["Signalen"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == key:
            row[header.index("Actie")].value = action
    book.save(path)
    book.close()


def volunteer_near() -> list[Cell]:
    return tab_row(
        "grootouders",
        ID="GO-0001", Naam="Oma Test", Geboortejaar=1955, Postcode="2711 AB",
        Organisatie="Humanitas", Intakedatum="1-3-2026", Status="actief", Toestemming="ja",
        **{"VOG-datum": "2026-01-10", "Max afstand (km)": 5, "Max gezinnen": 3},
        Frequentie="tweewekelijks", Dagen="ma, wo, za", **{"Leeftijd kinderen": "0-12"},
    )  # fmt: skip


def test_a_resubmission_is_signalled_and_sits_out_until_the_coordinator_decides(
    tmp_path: Path, workbook: MakeWorkbook, run_cli: RunCli
) -> None:
    tables = minimal_tables()
    tables["Grootouders"].append(volunteer_near())
    first = response("tr", 1, email="Aile@Example.nl")
    again = response("tr", 2, email="aile@example.nl ", stamp="22.11.2026 09:00:00")
    tables["Formulierreacties 1"] = responses_tab([first, again])
    path = workbook(tables)
    config = form_config(tmp_path, path, [("Formulierreacties 1", "tr")])
    sync = ("sync", "--config", str(config), "--today", TODAY.isoformat())
    assert run_cli(*sync).code == 0
    signals = signal_rows(path, "dubbel")
    assert [s["Signaal"] for s in signals] == ["formulier:GZ-0001:GZ-0002"]
    text = str(signals[0]["Omschrijving"])
    assert 'Tab "Formulierreacties 1", rij 3 (GZ-0002)' in text
    assert "nieuwste geldt, eerste geldt of beide" in text
    assert "aile@example.nl" not in text.casefold()  # never contact data in a worker tab
    # The newer response sits out: only the first is proposed.
    assert proposal_families(path) == {"GZ-0001"}

    set_action(path, "formulier:GZ-0001:GZ-0002", "nieuwste")  # not one of the three
    assert run_cli(*sync).code == 0
    assert str(signal_rows(path, "dubbel")[0]["Omschrijving"]).endswith(
        "(Actie niet begrepen: schrijf 'nieuwste geldt', 'eerste geldt' of 'beide')"
    )
    assert proposal_families(path) == {"GZ-0001"}

    set_action(path, "formulier:GZ-0001:GZ-0002", "Nieuwste geldt")
    assert run_cli(*sync).code == 0
    assert signal_rows(path, "dubbel")[0]["Status"] == "opgelost"
    # The first response's proposal lapses; the newest is proposed now.
    assert "GZ-0002" in proposal_families(path)

    set_action(path, "formulier:GZ-0001:GZ-0002", "beide")
    assert run_cli(*sync).code == 0
    assert signal_rows(path, "dubbel")[0]["Status"] == "opgelost"


def test_a_bad_answer_names_the_responses_tab_row_and_question(
    tmp_path: Path, workbook: MakeWorkbook, run_cli: RunCli
) -> None:
    tables = minimal_tables()
    bad = response("tr", 1, days="Pazartesi, yarın")
    tables["Formulierreacties 1"] = responses_tab([response("tr", 2), bad])
    path = workbook(tables)
    config = form_config(tmp_path, path, [("Formulierreacties 1", "tr")])
    assert run_cli("sync", "--config", str(config), "--today", TODAY.isoformat()).code == 0
    texts = [str(s["Omschrijving"]) for s in signal_rows(path, "gegevens")]
    question = form_words("tr").questions["days"]
    assert len(texts) == 1
    assert texts[0].startswith(f'tab "Formulierreacties 1", rij 3, kolom "{question}": verwacht ')
    assert "in het Turks: Pazartesi, Salı" in texts[0]


def test_a_form_without_its_consent_question_is_signalled_and_consent_never_assumed(
    tmp_path: Path, workbook: MakeWorkbook, run_cli: RunCli
) -> None:
    tables = minimal_tables()
    tables["Grootouders"].append(volunteer_near())
    answers = response("nl", 1)
    del answers[form_words("nl").questions["consent"]]
    tables["Formulierreacties 1"] = responses_tab([answers])
    path = workbook(tables)
    config = form_config(tmp_path, path, [("Formulierreacties 1", "nl")])
    assert run_cli("sync", "--config", str(config), "--today", TODAY.isoformat()).code == 0
    texts = [str(s["Omschrijving"]) for s in signal_rows(path, "gegevens")]
    assert any("rij 1" in t and "een vraag" in t for t in texts)
    assert proposal_families(path) == set()


def template_answers(output: str) -> dict[str, Cell]:
    """A response that answers every question `forms-template` printed: the first option,
    every checkbox, or the example of a short answer."""
    answers: dict[str, Cell] = {"Tijdstempel": "2026-11-20 10:15:00"}
    question = ""
    options: list[str] = []
    for line in [*output.splitlines(), "0. end  [x]"]:
        if line.startswith("   - "):
            options.append(line[5:])
            continue
        head = line.split(". ", 1)
        if len(head) == 2 and head[0].isdigit():
            if question:
                checkbox, kind = "[checkboxes" in question, question.rsplit("  [", 1)
                text = kind[0]
                example = (
                    kind[1].split("e.g. ", 1)[1].split(", required")[0].rstrip("]")
                    if "e.g. " in kind[1]
                    else "iets"
                )
                if options:
                    answers[text] = ", ".join(options[:3]) if checkbox else options[0]
                else:
                    answers[text] = example
            question, options = head[1], []
    return answers


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("record", list(FORM_FIELDS))
def test_a_form_made_from_the_template_is_read_without_a_problem(
    language: str, record: str, run_cli: RunCli
) -> None:
    result = run_cli("forms-template", "--language", language, "--type", record)
    assert result.code == 0, result.err
    assert f'language = "{language}"' in result.out
    answers = template_answers(result.out)
    assert len(answers) == len(FORM_FIELDS[record]) + 1
    tables = {"Formulierreacties 1": responses_tab([answers])}
    form = {"tab": "Formulierreacties 1", "type": record, "language": language}
    settings = settings_from_mapping({"forms": [form | {"organisation": "X"}]}, "test")
    validated = validate({t: Table(t, rows) for t, rows in tables.items()}, settings.schema, TODAY)
    assert validated.records.problems == []
    assert [r.id[:2] for r in validated.responses] == [settings.schema.tab(record).id_prefix]


def test_check_names_a_form_not_linked_yet_and_init_never_creates_its_tab(
    tmp_path: Path, workbook: MakeWorkbook, run_cli: RunCli
) -> None:
    path = workbook(minimal_tables())
    config = form_config(tmp_path, path, [("Formulierreacties 1", "ar")])
    result = run_cli("check", "--config", str(config))
    assert result.code == 1
    assert 'tab "Formulierreacties 1": missing: link the form\'s responses' in result.out
    assert run_cli("init", "--config", str(config)).code == 0
    assert "Formulierreacties 1" not in read_workbook(path)


def test_the_demo_has_a_dutch_and_a_turkish_form_with_one_resubmission() -> None:
    tables = demo_tables(TODAY)
    schema = with_forms(DEFAULT_SCHEMA, DEMO_FORMS)
    validated = validate({t: Table(t, rows) for t, rows in tables.items()}, schema, TODAY)
    form_tabs = {f.tab for f in DEMO_FORMS}
    assert [p for p in validated.records.problems if p.tab in form_tabs] == []
    assert {form_words(f.language).code for f in DEMO_FORMS} == {"nl", "tr"}
    by_tab = Counter(r.tab for r in validated.responses)
    assert by_tab == {"Formulierreacties 1": 4, "Formulierreacties 2": 4}
    found = review(validated.responses, [])
    assert len(found.findings) == 1
    assert found.sit_out == {max(r.id for r in validated.responses)}


# --- Google Sheets: the strict emulator -------------------------------------------------------


def test_the_google_path_reads_and_writes_responses_tabs_with_no_extra_request(
    tmp_path: Path,
) -> None:
    config = tmp_path / "sow.toml"
    config.write_text(
        "\n".join(
            f'[[forms]]\ntab = "{f.tab}"\ntype = "{f.type}"\nlanguage = "{f.language}"\n'
            f'organisation = "{f.organisation}"\n'
            for f in DEMO_FORMS
        ),
        "utf-8",
    )
    tables = demo_tables(TODAY)
    sheet = Sheet(tables)
    assert sheet.sync("--config", str(config)) == (0, FIRST)
    for form in DEMO_FORMS:
        before, after = tables[form.tab], sheet.tab(form.tab)
        width = len(before[0])
        assert after[0][width] == "ID"
        assert all(str(row[width]).startswith("GZ-") for row in after[1:])
        assert [row[:width] for row in after] == [
            [canonical(v) or "" for v in row] for row in before
        ]
    ids = {str(row[-1]) for form in DEMO_FORMS for row in sheet.tab(form.tab)[1:]}
    signals = sheet.tab("Signalen")
    assert sum(1 for row in signals if str(row[0]).startswith("formulier:")) == 1
    assert sheet.sync("--config", str(config)) == (0, LATER)
    after = {str(row[-1]) for form in DEMO_FORMS for row in sheet.tab(form.tab)[1:]}
    assert after == ids  # the IDs stay


def test_questions_worded_otherwise_and_an_organisation_question_are_read(
    tmp_path: Path, workbook: MakeWorkbook, run_cli: RunCli
) -> None:
    answers = response("ar", 1)
    consent = form_words("ar").questions["consent"]
    answers["هل توافق على مشاركة بياناتك؟"] = answers.pop(consent)
    answers["عن طريق أي منظمة؟"] = "Kwadraad"
    tables = minimal_tables()
    tables["Formulierreacties 1"] = responses_tab([answers])
    path = workbook(tables)
    config = tmp_path / "sow.toml"
    config.write_text(
        f'[sheet]\nworkbook = "{path}"\n[[forms]]\ntab = "Formulierreacties 1"\n'
        'type = "gezinnen"\nlanguage = "ar"\n[forms.questions]\n'
        'consent = "هل توافق على مشاركة بياناتك؟"\norganisation = "عن طريق أي منظمة؟"\n',
        "utf-8",
    )
    assert run_cli("sync", "--config", str(config), "--today", TODAY.isoformat()).code == 0
    (family,) = families(config).values()
    assert family.consent is True
    assert family.organisation == "Kwadraad"
    assert family.days == frozenset({0, 2, 5})
