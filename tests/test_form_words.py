"""The words files of intake forms: complete, unambiguous, and parsed without surprises
(docs/forms.md, "Languages")."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sow_sheets.config import settings_from_mapping
from sow_sheets.forms.schema import form_spec
from sow_sheets.forms.settings import FORM_FIELDS, FormSettings
from sow_sheets.model.errors import ValueProblem
from sow_sheets.model.schema import DEFAULT_SCHEMA, Column, TabSpec
from sow_sheets.model.sheet import Table
from sow_sheets.model.words import DAY_NAMES
from sow_sheets.reading.answers import as_dutch, section_of
from sow_sheets.reading.form_reader import FormReader
from sow_sheets.reading.validation import validate
from sow_sheets.reading.vocabulary import FORM_SECTIONS, fold, form_languages, form_words
from tests.helpers import TODAY, minimal_tables

LANGUAGES = form_languages()
EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def test_the_four_languages_of_the_issue_have_a_words_file() -> None:
    assert {"nl", "en", "tr", "ar"} <= set(LANGUAGES)
    assert LANGUAGES[0] == "nl"
    assert form_words("ar").direction == "rtl"


@pytest.mark.parametrize("code", LANGUAGES)
def test_each_words_file_covers_every_word_and_question_the_dutch_one_has(code: str) -> None:
    dutch, other = form_words("nl"), form_words(code)
    for section in FORM_SECTIONS:
        missing = set(dutch.sections[section]) - set(other.sections[section])
        assert not missing, f"{code}.toml [{section}] lacks {sorted(missing)}"
        extra = set(other.sections[section]) - set(dutch.sections[section])
        assert not extra, f"{code}.toml [{section}] has keys Dutch does not: {sorted(extra)}"
    assert set(other.questions) == set(dutch.questions)
    every_field = {f for fields in FORM_FIELDS.values() for f in fields} | {"organisation"}
    assert every_field == set(dutch.questions)


@pytest.mark.parametrize("code", LANGUAGES)
def test_no_word_means_two_things_in_one_section(code: str) -> None:
    words = form_words(code)
    for section in FORM_SECTIONS:
        seen: dict[str, str] = {}
        for key, options in words.sections[section].items():
            for option in options:
                assert seen.setdefault(fold(option), key) == key, (code, section, option)


def columns_with_words() -> list[Column]:
    """One column of each record tab whose answers a words file translates."""
    found: dict[str, Column] = {}
    for record, fields in FORM_FIELDS.items():
        spec = DEFAULT_SCHEMA.tab(record)
        for field in fields:
            column = spec.column(field)
            section = section_of(column)
            if section is not None:
                found.setdefault(section, column)
    return list(found.values())


def reader(code: str, record: str = "gezinnen") -> FormReader:
    form = FormSettings(tab="Antwoorden", type=record, language=code, organisation="X")
    spec = form_spec(form, 1, DEFAULT_SCHEMA)
    return FormReader(spec, Table(spec.title, [list(spec.headers)]), [])


def parse(spec_reader: FormReader, column: Column, value: object) -> object:
    return spec_reader.parser(column)(value)


@pytest.mark.parametrize("code", LANGUAGES)
@pytest.mark.parametrize("column", columns_with_words(), ids=lambda c: c.key)
def test_every_word_of_every_language_parses_as_its_dutch_key(code: str, column: Column) -> None:
    words, section = form_words(code), section_of(column)
    assert section is not None
    record = next(r for r, fields in FORM_FIELDS.items() if column.key in fields)
    form_reader = reader(code, record)
    for key, options in words.sections[section].items():
        for option in options:
            if section == "help" and key == "alles" and column.key == "kind":
                continue  # one request asks for one kind
            value = parse(form_reader, column, f"  {option.upper()} ")
            dutch = parse(reader("nl", record), column, key)
            assert value == dutch, (code, section, option)


@pytest.mark.parametrize("code", LANGUAGES)
def test_days_lists_join_with_the_languages_own_separators(code: str) -> None:
    words = form_words(code)
    column = DEFAULT_SCHEMA.tab("gezinnen").column("days")
    monday, friday = words.option("days", "ma"), words.option("days", "vr")
    join = words.sections["separators"]["en"][0]
    for text in (f"{monday}, {friday}", f"{monday} {join} {friday}", f"{monday}; {friday}"):
        assert parse(reader(code), column, text) == frozenset({0, 4}), text
    assert as_dutch(column, f"{monday}, {friday}", words) == f"{DAY_NAMES[0]}, {DAY_NAMES[4]}"


def test_arabic_joins_and_to_the_next_word_and_writes_eastern_digits() -> None:
    form_reader = reader("ar")
    spec: TabSpec = form_reader.spec
    assert parse(form_reader, spec.column("days"), "الإثنين والجمعة") == frozenset({0, 4})
    assert parse(form_reader, spec.column("children"), "٣ و ٦") == (3, 6)
    assert parse(form_reader, spec.column("postcode"), "٢٧١١ AB") == (2711, "AB")
    assert parse(form_reader, spec.column("no_pets"), "نَعَم") is True  # vowel marks


def form_columns() -> list[tuple[str, Column]]:
    out = []
    for record in FORM_FIELDS:
        spec = reader("nl", record).spec
        out += [(record, c) for c in spec.columns]
    return out


FORM_COLUMNS = form_columns()
TEXTS = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="٠١٢٣٤٥٦٧٨٩،؛٫٬ـوأإآةى ,-/.:0123456789abcİıŞçğ", max_size=30),
    st.sampled_from(
        [
            w
            for c in LANGUAGES
            for s in FORM_SECTIONS
            for ws in form_words(c).sections[s].values()
            for w in ws
        ]
    ),
)


@settings(max_examples=400, deadline=None)
@given(
    code=st.sampled_from(LANGUAGES),
    column=st.sampled_from(FORM_COLUMNS),
    text=TEXTS,
)
def test_no_answer_in_any_language_raises_anything_but_a_value_problem(
    code: str, column: tuple[str, Column], text: str
) -> None:
    record, col = column
    with contextlib.suppress(ValueProblem):  # anything else fails the test
        parse(reader(code, record), col, text)


DIGIT_TEXTS = st.one_of(
    st.from_regex(r"[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{2,4}", fullmatch=True),
    st.from_regex(r"[0-9]{1,2}(, ?[0-9]{1,2}){0,3}", fullmatch=True),
    st.from_regex(r"[0-9]{4} ?[A-Z]{0,2}", fullmatch=True),
    st.from_regex(r"[0-9]{1,3}([.,][0-9])?", fullmatch=True),
    st.from_regex(r"0[0-9]{1,2}-[0-9]{6,8}", fullmatch=True),
    st.from_regex(r"[0-9]{1,2}-[0-9]{1,2}-20[0-9]{2} [0-9]{1,2}:[0-9]{2}", fullmatch=True),
)


def outcome(form_reader: FormReader, column: Column, text: str) -> object:
    try:
        return parse(form_reader, column, text)
    except ValueProblem as problem:
        return ("problem", problem.expected)


@settings(max_examples=300, deadline=None)
@given(
    code=st.sampled_from(LANGUAGES),
    column=st.sampled_from(FORM_COLUMNS),
    text=DIGIT_TEXTS,
)
def test_eastern_arabic_digits_parse_like_western_ones(
    code: str, column: tuple[str, Column], text: str
) -> None:
    record, col = column
    form_reader = reader(code, record)
    western = outcome(form_reader, col, text)
    eastern = outcome(form_reader, col, text.translate(EASTERN))
    if col.kind.value in ("text", "personal", "id"):
        return  # free text is kept as typed
    assert eastern == western


# Per record type: field → (words section or None, the Dutch keys or value typed in the tab).
MIRRORED: dict[str, dict[str, tuple[str | None, tuple[str, ...]]]] = {
    "grootouders": {
        "birth_year": (None, ("1956",)), "postcode": (None, ("2711 AB",)),
        "days": ("days", ("di", "do")), "frequency": ("frequencies", ("maandelijks",)),
        "contact_kinds": ("contact", ("oppassen", "huiswerkhulp")),
        "child_ages": (None, ("4-12",)), "max_km": (None, ("7,5",)),
        "max_families": (None, ("2",)), "pets": ("yesno", ("ja",)),
        "smokes": ("yesno", ("nee",)), "consent": ("yesno", ("ja",)),
    },
    "ouderen": {
        "birth_year": (None, ("1941",)), "postcode": (None, ("2712",)),
        "mobility": ("mobility", ("rollator",)), "needs_transport": ("yesno", ("ja",)),
        "consent": ("yesno", ("nee",)),
    },
    "hulpvragen": {
        "postcode": (None, ("2713 CD",)), "kind": ("help", ("vervoer",)),
        "urgency": ("urgency", ("deze week",)), "consent": ("yesno", ("ja",)),
    },
    "hulpaanbod": {
        "postcode": (None, ("2715 EF",)), "kinds": ("help", ("boodschappen", "klus")),
        "days": ("days", ("weekend",)), "transport": ("transport", ("fiets",)),
        "max_km": (None, ("3",)), "max_per_week": (None, ("1",)), "consent": ("yesno", ("ja",)),
    },
}  # fmt: skip
DUTCH_LISTS = {"days", "contact_kinds", "kinds"}


@pytest.mark.parametrize("code", LANGUAGES)
@pytest.mark.parametrize("record", list(MIRRORED))
def test_every_record_type_from_a_form_equals_its_typed_dutch_row(code: str, record: str) -> None:
    words = form_words(code)
    spec = DEFAULT_SCHEMA.tab(record)
    typed: dict[str, object] = {"ID": f"{spec.id_prefix}-0001", "Organisatie": "Palet Welzijn"}
    stamp = "20-11-2026 09:30" if record == "hulpvragen" else "20-11-2026"
    typed[spec.column("asked" if record == "hulpvragen" else "intake_date").header] = stamp
    answers: dict[str, object] = {"Tijdstempel": "20-11-2026 09:30:00"}
    for field, (section, keys) in MIRRORED[record].items():
        typed[spec.column(field).header] = ", ".join(keys)
        if section is None:
            answer = ", ".join(keys)
            answer = answer.translate(EASTERN) if code == "ar" else answer
        else:
            answer = ", ".join(words.option(section, k) for k in keys)
        answers[words.questions[field]] = answer
    tables = minimal_tables()
    tables[spec.title].append([typed.get(h) for h in spec.headers])
    tables["Antwoorden"] = [list(answers), list(answers.values())]
    form = {"tab": "Antwoorden", "type": record, "language": code, "organisation": "Palet Welzijn"}
    settings = settings_from_mapping({"forms": [form]}, "test")
    validated = validate({t: Table(t, r) for t, r in tables.items()}, settings.schema, TODAY)
    assert validated.records.problems == []
    listed = {
        "grootouders": "volunteers",
        "ouderen": "elders",
        "hulpvragen": "help_requests",
        "hulpaanbod": "helpers",
    }
    first, second = getattr(validated.records, listed[record])
    for field in first.__dataclass_fields__:
        if field not in ("id", "row", "source"):
            assert getattr(second, field) == getattr(first, field), (code, record, field)
