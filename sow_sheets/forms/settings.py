"""`[[forms]]`: one section per form, mapping its responses tab to a record type."""

from __future__ import annotations

from dataclasses import dataclass, field

from sow_sheets.model.errors import ConfigError
from sow_sheets.reading.vocabulary import form_words

# The questions a form of each record type asks, by field, in the order a form shows them.
# `forms-template` prints these; a section's `questions` may map any of them.
FORM_FIELDS: dict[str, tuple[str, ...]] = {
    "gezinnen": (
        "name", "postcode", "phone", "email", "children", "days", "frequency",
        "contact_kinds", "languages", "interests", "no_pets", "smoke_free", "notes", "consent",
    ),
    "grootouders": (
        "name", "birth_year", "postcode", "phone", "email", "days", "frequency",
        "contact_kinds", "child_ages", "max_km", "max_families", "languages", "interests",
        "pets", "smokes", "notes", "consent",
    ),
    "ouderen": (
        "name", "birth_year", "postcode", "contact_person", "interests", "mobility",
        "needs_transport", "notes", "consent",
    ),
    "hulpvragen": ("name", "postcode", "phone", "kind", "urgency", "notes", "consent"),
    "hulpaanbod": (
        "name", "postcode", "phone", "email", "kinds", "days", "transport", "max_km",
        "max_per_week", "notes", "consent",
    ),
}  # fmt: skip
RECORD_TYPES = tuple(FORM_FIELDS)
# The headers Google Forms gives the moment of a response, by the spreadsheet owner's language.
TIMESTAMP_HEADERS = ("Tijdstempel", "Timestamp", "Zaman damgası", "الطابع الزمني")


@dataclass(frozen=True)
class FormSettings:
    """One form: its responses tab, the record type it feeds, its language, where its
    organisation comes from, and which question feeds which field (by header text)."""

    tab: str = ""  # the responses tab, e.g. "Formulierreacties 1"
    type: str = ""  # gezinnen, grootouders, ouderen, hulpvragen or hulpaanbod
    language: str = "nl"  # a file in sow_sheets/data/words/ (nl, en, tr, ar, ...)
    organisation: str = ""  # the partner of every response; or questions.organisation
    timestamp: str = "Tijdstempel"  # header of the moment of a response
    id_header: str = "ID"  # header of the column the worker adds at the right
    # field → question (header) text; empty = the language's standard questions
    questions: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.tab.strip():
            raise ValueError('tab: expected the responses tab, e.g. "Formulierreacties 1"')
        if self.type not in FORM_FIELDS:
            raise ValueError(
                f"type: expected one of {', '.join(RECORD_TYPES)}, found {self.type!r}"
            )
        try:
            form_words(self.language)
        except ConfigError as exc:
            raise ValueError(f"language: {exc}") from None
        allowed = (*FORM_FIELDS[self.type], "organisation")
        for key, question in self.questions.items():
            if key not in allowed:
                raise ValueError(
                    f"questions: unknown field {key!r} for {self.type} "
                    f"(valid: {', '.join(allowed)})"
                )
            if not question.strip():
                raise ValueError(f"questions.{key}: expected the question's text")
        if bool(self.organisation.strip()) == ("organisation" in self.questions):
            raise ValueError(
                "set either organisation (one partner for the whole form) or "
                "questions.organisation (a question that asks it), not both or neither"
            )

    def mapping(self) -> dict[str, str]:
        """field → question text this form's responses tab is read by: the language's
        standard questions (`forms-template`), with `questions` on top."""
        standard = form_words(self.language).questions
        fields = {k: standard[k] for k in FORM_FIELDS[self.type] if k in standard}
        return fields | dict(self.questions)
