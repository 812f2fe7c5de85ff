"""Reading a form's responses tab: answers in the form's language, the response's moment as
its intake date, the form's fixed organisation (docs/forms.md).

A bad answer is a `Problem` like a bad typed cell: tab, row, the question as its header,
and the Dutch form expected (with the answer options in the form's language).
"""

from __future__ import annotations

from typing import Any

from sow_sheets.model.cells import Cell, is_blank
from sow_sheets.model.records import Problem
from sow_sheets.model.schema import Column, Kind, TabSpec
from sow_sheets.model.words import HelpSource
from sow_sheets.reading.answers import as_dutch, section_of
from sow_sheets.reading.tab_reader import REQUIRED, ParsedRow, Parser, TabReader
from sow_sheets.reading.vocabulary import FormWords, form_words

# Columns of a record tab a form does not ask: the worker fills or derives them.
NOT_ASKED = ("id", "status")


def form_questions(spec: TabSpec) -> list[str]:
    """The fields a form's responses tab cannot do without: the record tab's required
    columns the form asks (consent, postcode, ...), and its organisation unless fixed."""
    asked = {c.key for c in spec.columns}
    wanted = [k for k in REQUIRED.get(spec.feeds, ()) if k not in NOT_ASKED]
    if not spec.organisation:
        wanted.append("organisation")
    return [k for k in wanted if k in asked]


class FormReader(TabReader):
    """A `TabReader` for a responses tab (a spec with ``feeds`` set)."""

    @property
    def words(self) -> FormWords:
        """The words file of the form's language (read once per process)."""
        return form_words(self.spec.language)

    def parser(self, column: Column) -> Parser:
        base = super().parser(column)
        words = self.words
        if column.kind is Kind.MOMENT and column.key != "asked":
            # The timestamp feeds a date field (Intakedatum): the time of day is dropped.
            def moment_date(value: Cell) -> Any:
                parsed = base(as_dutch(column, value, words))
                return None if parsed is None else parsed[0]

            return moment_date
        return lambda value: base(as_dutch(column, value, words))

    def id_column(self) -> int:
        """Where the IDs are: the ID column if the tab has one, else right of the header."""
        return self.hmap.positions.get("id", len(self.table.header))

    def problem(self, row: ParsedRow, key: str, expected: str, kind: str = "gegevens") -> None:
        column = self.spec.column(key) if key in {c.key for c in self.spec.columns} else None
        section = section_of(column) if column is not None else None
        words = self.words
        if section is not None and words.code != "nl":
            options = [words.option(section, k) for k in words.sections[section]]
            expected += f" (in het {words.name}: {', '.join(options)})"
        super().problem(row, key, expected, kind)

    def raw_text(self, row: ParsedRow, key: str) -> str:
        if key == "organisation" and self.spec.organisation:
            return self.spec.organisation
        return super().raw_text(row, key)

    def missing_columns(self) -> None:
        """Only the questions a record cannot do without (consent first of all)."""
        for key in form_questions(self.spec):
            if key in self.hmap.missing:
                self.missing_question(key)

    def missing_question(self, key: str) -> None:
        header = self.spec.column(key).header
        self.problems.append(
            Problem(self.spec.title, 1, header, "", f'een vraag "{header}" in het formulier')
        )

    def rows(self) -> list[ParsedRow]:
        parsed = super().rows()
        for row in parsed:
            if self.spec.organisation:
                row.values["organisation"] = self.spec.organisation
            if self.spec.feeds == "hulpvragen" and is_blank(row.values.get("source")):
                row.values["source"] = HelpSource.FORM
        return parsed
