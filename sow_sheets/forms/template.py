"""What a form of one record type should ask in one language: its questions, each with the
kind of answer and the options the parser understands (`sow-sheets forms-template`)."""

from __future__ import annotations

from dataclasses import dataclass

from sow_sheets.forms.settings import FORM_FIELDS
from sow_sheets.model.schema import DEFAULT_SCHEMA, Kind
from sow_sheets.reading.answers import LISTS, section_of
from sow_sheets.reading.vocabulary import form_words

# What a short answer looks like, for the form's description of a question.
EXAMPLES: dict[Kind, str] = {
    Kind.POSTCODE: "2711 AB",
    Kind.YEAR: "1954",
    Kind.PHONE: "06-12345678",
    Kind.EMAIL: "naam@voorbeeld.nl",
    Kind.AGES: "3, 6",
    Kind.AGE_RANGE: "0-12",
    Kind.KM: "5",
    Kind.COUNT: "2",
}
# Options a question of one answer leaves out: a request asks for one kind of help.
NOT_AN_OPTION = {"kind": ("alles",)}


@dataclass(frozen=True)
class Question:
    """One question of a form: its text, how it is answered and its options (if any)."""

    field: str
    text: str
    answer: str  # "multiple choice", "checkboxes", "short answer", "paragraph"
    options: tuple[str, ...] = ()
    example: str = ""
    required: bool = False


def template(record: str, language: str) -> list[Question]:
    """The questions of a form for ``record`` in ``language``, in the order to ask them."""
    words = form_words(language)
    spec = DEFAULT_SCHEMA.tab(record)
    questions = []
    for field in FORM_FIELDS[record]:
        column = spec.column(field)
        section = section_of(column)
        text = words.questions[field]
        required = field in ("postcode", "consent")
        if section is not None:
            keys = [k for k in words.sections[section] if k not in NOT_AN_OPTION.get(field, ())]
            many = column.kind in LISTS or field == "contact_kinds"
            options = tuple(words.option(section, k) for k in keys)
            answer = "checkboxes" if many else "multiple choice"
            questions.append(Question(field, text, answer, options, required=required))
        elif column.kind is Kind.PERSONAL and field == "notes":
            questions.append(Question(field, text, "paragraph"))
        else:
            example = EXAMPLES.get(column.kind, "")
            questions.append(Question(field, text, "short answer", (), example, required))
    return questions
