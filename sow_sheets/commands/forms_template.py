"""`sow-sheets forms-template`: the questions and answer options a form should have, in its
language, and the `[[forms]]` section that reads it (needs no spreadsheet)."""

from __future__ import annotations

import argparse
from typing import TextIO

from sow_sheets.forms.template import template
from sow_sheets.reading.vocabulary import form_words


def cmd_forms_template(args: argparse.Namespace, out: TextIO) -> int:
    words = form_words(args.language)
    questions = template(args.type, args.language)
    print(f"# A form for {args.type} in {words.code} ({words.name})", file=out)
    print(
        "# Use these question texts and options exactly; a question you leave out is not "
        "read. The form's sheet adds the timestamp (Tijdstempel) itself.",
        file=out,
    )
    for number, question in enumerate(questions, start=1):
        extra = f", e.g. {question.example}" if question.example else ""
        required = ", required" if question.required else ""
        print(f"{number}. {question.text}  [{question.answer}{extra}{required}]", file=out)
        for option in question.options:
            print(f"   - {option}", file=out)
    print("", file=out)
    print("# Then add to the config (docs/forms.md):", file=out)
    print("[[forms]]", file=out)
    print('tab = "Formulierreacties 1"       # the responses tab the form fills', file=out)
    print(f'type = "{args.type}"', file=out)
    print(f'language = "{words.code}"', file=out)
    print('organisation = "Naam partner"     # or questions.organisation', file=out)
    return 0
