"""A form's responses tab as a tab of the schema, so every backend reads it like any other
(Google: only its mapped columns) and validation reads it into the record type it feeds."""

from __future__ import annotations

from dataclasses import replace

from sow_sheets.forms.settings import TIMESTAMP_HEADERS, FormSettings
from sow_sheets.model.schema import Column, Kind, Schema, TabSpec

# The field the moment of a response feeds: the intake date, or when help was asked.
TIMESTAMP_FIELD = {"hulpvragen": "asked"}


def form_spec(form: FormSettings, index: int, schema: Schema) -> TabSpec:
    """The tab spec of one form: its ID column, its timestamp and one column per question,
    each parsed as the record tab's column of that field."""
    base = schema.tab(form.type)
    stamp = TIMESTAMP_FIELD.get(form.type, "intake_date")
    aliases = tuple(h for h in TIMESTAMP_HEADERS if h != form.timestamp)
    columns = [
        Column("id", form.id_header, Kind.ID),
        Column(stamp, form.timestamp, Kind.MOMENT, aliases),
    ]
    for key, question in form.mapping().items():
        column = base.column(key)
        columns.append(replace(column, header=question, aliases=(), human=False))
    return TabSpec(
        key=f"formulier{index}",
        title=form.tab,
        columns=tuple(columns),
        optional=True,
        id_prefix=base.id_prefix,
        feeds=form.type,
        language=form.language,
        organisation=form.organisation.strip(),
    )


def with_forms(schema: Schema, forms: tuple[FormSettings, ...]) -> Schema:
    """The schema with one tab per form added after the tabs it already has."""
    specs = tuple(form_spec(form, index, schema) for index, form in enumerate(forms, start=1))
    return Schema(schema.tabs + specs)
