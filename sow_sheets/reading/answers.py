"""Form answers in the form's language, as the Dutch the value parsers read (docs/forms.md).

A response to a Turkish form says ``Evet`` and ``Pazartesi, Çarşamba``; ``as_dutch`` turns
that into ``ja`` and ``ma, wo`` before the same parser as a typed cell runs, so a form row and
a typed row give the same record. Words it does not know are left as they are: the parser
then reports the cell with the form it expected. Nothing here raises.
"""

from __future__ import annotations

import re

from sow_sheets.model.cells import Cell
from sow_sheets.model.schema import Column, Kind
from sow_sheets.reading.vocabulary import FormWords, fold, western

# Which section of a words file translates a column's answers, by kind (one word).
WHOLE: dict[Kind, str] = {
    Kind.YESNO: "yesno",
    Kind.FREQUENCY: "frequencies",
    Kind.HELP_KIND: "help",
    Kind.MOBILITY: "mobility",
    Kind.URGENCY: "urgency",
    Kind.TRANSPORT: "transport",
}
# Columns whose answer is a list, and the section that translates each item.
LISTS: dict[Kind, str] = {Kind.DAYS: "days", Kind.HELP_KINDS: "help"}
LIST_COLUMNS: dict[str, str] = {"contact_kinds": "contact"}
# Lists of numbers: only the separators change (``3 ve 6`` is ``3, 6``).
NUMBER_LISTS = (Kind.AGES, Kind.AGE_RANGE)
# Free text is kept as typed (digits too): names, notes, interests and languages.
FREE = (Kind.TEXT, Kind.PERSONAL, Kind.ID)


def section_of(column: Column) -> str | None:
    """The words-file section that translates this column's answers, if any."""
    return WHOLE.get(column.kind) or LISTS.get(column.kind) or LIST_COLUMNS.get(column.key)


def items(text: str, words: FormWords) -> list[str]:
    """The items of a list answer: split on commas, semicolons, new lines and the language's
    words for "and"/"or" (``Pazartesi ve Salı``, ``الاثنين و الأربعاء``)."""
    joins = [re.escape(fold(w)) for w in words.sections["separators"].get("en", ())]
    pattern = r"[,;\n]+" + "".join(rf"|\s+{j}\s+" for j in joins if j)
    return [part.strip() for part in re.split(pattern, fold(text)) if part.strip()]


def _find(item: str, lookup: dict[str, str], words: FormWords) -> list[str] | None:
    """The Dutch keys of one folded item: the whole item, or each of its words (``ma di
    wo``); either may carry a joined separator (Arabic ``والسبت``, "and Saturday")."""
    joins = [fold(j) for j in words.sections["separators"].get("en", ())]

    def one(text: str) -> str | None:
        if text in lookup:
            return lookup[text]
        for join in joins:
            if join and text.startswith(join) and text[len(join) :] in lookup:
                return lookup[text[len(join) :]]
        return None

    whole = one(item)
    if whole is not None:
        return [whole]
    parts = [one(p) for p in item.split()]
    if len(parts) > 1 and all(parts):
        return [p for p in parts if p]
    return None


def _list(text: str, section: str, words: FormWords) -> str:
    lookup = words.lookup(section)
    out: list[str] = []
    for item in items(text, words):
        found = _find(item, lookup, words)
        if found is None and section == "days" and "-" in item:
            ends = [_find(end.strip(), lookup, words) for end in item.split("-", 1)]
            if all(e is not None and len(e) == 1 for e in ends):
                out.append("-".join(e[0] for e in ends if e))
                continue
        out.extend(found if found is not None else [item])
    return ", ".join(out)


def as_dutch(column: Column, value: Cell, words: FormWords) -> Cell:
    """One answer as the Dutch its column's parser reads; other cells unchanged."""
    if not isinstance(value, str) or column.kind in FREE:
        return value
    section = section_of(column)
    if column.kind in WHOLE:
        folded = fold(value)
        return words.lookup(WHOLE[column.kind]).get(folded, western(value))
    if section is not None:
        return _list(value, section, words)
    if column.kind in NUMBER_LISTS:
        return ", ".join(items(value, words)) if column.kind is Kind.AGES else fold(value)
    return western(value)
