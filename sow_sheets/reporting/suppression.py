"""Small counts hidden, and the figures they could be worked out from (docs/report.md).

1. A count of people, matches or conversations below 5 (0 included) is shown as ``<5``.
2. Where a total is the sum of other figures (partners → all partners, programmes → all
   programmes, quarters → the period, months → their quarter, parts → their whole), no such
   sum may have exactly one hidden figure: then the smallest shown member of that sum (or,
   if none is left, its total) is hidden too, shown as ``x``. The sums are checked in the
   order of their totals in the table, again and again until nothing changes.
3. A share, median or estimate is shown only when it rests on at least 5 (its ``base``) and
   the counts it is computed from are shown; otherwise ``x``.

Counts that are not about people (runs, places offered, activities, data problems) are
always shown.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from sow_sheets.reporting.frames import ALL_PARTNERS, ALL_PROGRAMMES
from sow_sheets.reporting.period import MONTH, QUARTER, WHOLE

SMALL, HIDDEN, NOTHING, NOT_REACHED = "<5", "x", "–", "niet bereikt"
MINIMUM = 5
_NEXT_LEVEL = {WHOLE: QUARTER, QUARTER: MONTH}

Relation = tuple[int, list[int]]  # (total row, member rows)


def plain(value: float, unit: str) -> str:
    """A figure's value as text (dot decimals; the page turns them into commas)."""
    if pd.isna(value):
        return NOTHING
    if value == float("inf"):
        return NOT_REACHED
    if unit == "maanden":
        return f"{value:.1f}"
    return str(round(value))


def relations(table: pd.DataFrame, additive: dict[str, frozenset[str]]) -> list[Relation]:
    """Every sum in the table: a total row and the rows that add up to it."""
    by_total: dict[tuple[object, ...], tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    parts: dict[tuple[object, ...], dict[str, int]] = defaultdict(dict)
    periods: dict[tuple[object, ...], list[tuple[str, object, object, int]]] = defaultdict(list)
    columns = ["figure", "part", "organisation", "programme", "first", "last", "level"]
    for index, row in zip(table.index, table[columns].itertuples(index=False), strict=True):
        figure, part, org, prog, first, last, level = row
        dims = additive.get(figure, frozenset())
        if "organisation" in dims:
            totals, members = by_total[("o", figure, part, prog, first, last)]
            (totals if org == ALL_PARTNERS else members).append(index)
        if "programme" in dims:
            totals, members = by_total[("p", figure, part, org, first, last)]
            (totals if prog == ALL_PROGRAMMES else members).append(index)
        if "part" in dims:
            parts[(figure, org, prog, first, last)][part] = index
        if "period" in dims:
            periods[(figure, part, org, prog)].append((level, first, last, index))
    found = [
        (totals[0], members)
        for totals, members in by_total.values()
        if len(totals) == 1 and members
    ]
    for named in parts.values():
        for whole, index in named.items():
            if whole == "":
                members = [i for p, i in named.items() if p and ": " not in p]
            else:
                members = [i for p, i in named.items() if p.startswith(whole + ": ")]
            if members:
                found.append((index, members))
    for spans in periods.values():
        for level, first, last, index in spans:
            below = _NEXT_LEVEL.get(level)
            members = [
                i
                for lv, f, la, i in spans
                if lv == below and first <= f and la <= last  # type: ignore[operator]
            ]
            if members:
                found.append((index, members))
    return found


def suppress(
    table: pd.DataFrame,
    additive: dict[str, frozenset[str]],
    needs: dict[str, tuple[str, ...]],
) -> pd.Series:
    """The text to show for every row of ``table`` (columns: figure, part, organisation,
    programme, period bounds, level, value, base, unit, personal)."""
    shown = pd.Series(
        [plain(v, u) for v, u in zip(table["value"], table["unit"], strict=True)],
        index=table.index,
        dtype=object,
    )
    counts = table["unit"] == "aantal"
    small = counts & table["personal"] & (table["value"] < MINIMUM)
    shown[small] = SMALL
    hidden = set(table.index[small])
    _secondary(table, relations(table[counts], additive), hidden, shown)
    _derived(table, needs, hidden, shown)
    return shown


def _secondary(
    table: pd.DataFrame, sums: list[Relation], hidden: set[int], shown: pd.Series
) -> None:
    """Passes over the sums in table order until none has exactly one hidden figure; such a
    sum hides its smallest shown member (the first of equals), or its total if none is left."""
    value = dict(zip(table.index, table["value"], strict=True))
    ordered = sorted(sums, key=lambda relation: (relation[0], relation[1][0]))
    changed = True
    while changed:
        changed = False
        for total, members in ordered:
            if sum(r in hidden for r in (total, *members)) != 1:
                continue
            visible = [r for r in members if r not in hidden] or [total]
            chosen = min(visible, key=lambda r: (value[r], r))
            hidden.add(chosen)
            shown[chosen] = HIDDEN
            changed = True


def _derived(
    table: pd.DataFrame, needs: dict[str, tuple[str, ...]], hidden: set[int], shown: pd.Series
) -> None:
    columns = ["figure", "part", "organisation", "programme", "first", "last", "unit", "base"]
    rows: list[tuple[object, ...]] = list(table[columns].itertuples(index=False, name=None))
    index = {row[:6]: i for i, row in zip(table.index, rows, strict=True)}
    for i, row in zip(table.index, rows, strict=True):
        figure, unit, base = str(row[0]), row[6], float(row[7])  # type: ignore[arg-type]
        if unit == "aantal":
            continue
        wanted = (index.get((f, *row[1:6])) for f in needs.get(figure, ()))
        if base < MINIMUM or any(w is None or w in hidden for w in wanted):
            shown[i] = HIDDEN
