"""The report as data: every figure, suppressed, with what the charts need.

    report = build_report(validated, schema, rules, Period(first, last, today), "Humanitas")

Pure: validated records in, a ``Report`` out; ``render/`` draws and writes it.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from sow_sheets.followup.rules import Rule
from sow_sheets.model.errors import ConfigError
from sow_sheets.model.schema import Schema
from sow_sheets.reading.validation import Validated
from sow_sheets.reporting.figures import SECTIONS, SPECS, Context, Section, figure_table
from sow_sheets.reporting.frames import (
    ALL_PARTNERS,
    build_frames,
    only_partner,
    partner_name,
    partners,
    signed_up_attendance,
)
from sow_sheets.reporting.period import Period
from sow_sheets.reporting.suppression import HIDDEN, MINIMUM, SMALL, suppress
from sow_sheets.reporting.survival import Curve


@dataclass(frozen=True)
class Report:
    """Every figure with the text to show (``shown``), and the safe part of the curve."""

    period: Period
    organisation: str | None
    table: pd.DataFrame
    curve: Curve | None  # all partners (or the one partner), cut where fewer than 5 remain
    partners: list[str]

    @functools.cached_property
    def index(self) -> dict[tuple[object, ...], list[tuple[str, str, str]]]:
        """(figure, part, partner, first, last) → [(programme, shown, unit), …] for lookups."""
        found: dict[tuple[object, ...], list[tuple[str, str, str]]] = {}
        columns = ["figure", "part", "organisation", "first", "last", "programme", "shown", "unit"]
        for row in self.table[columns].itertuples(index=False, name=None):
            found.setdefault(row[:5], []).append(row[5:])  # type: ignore[arg-type]
        return found

    @property
    def scope(self) -> str:
        """Whose figures these are: one partner or all of them."""
        return self.organisation or ALL_PARTNERS

    def counts(self) -> dict[str, int]:
        """How many figures, and how many of them hidden (for the console)."""
        shown = self.table["shown"]
        return {
            "figures": len(self.table),
            "small": int((shown == SMALL).sum()),
            "hidden": int((shown == HIDDEN).sum()),
        }


def build_report(
    validated: Validated,
    schema: Schema,
    rules: Sequence[Rule],
    period: Period,
    organisation: str | None = None,
    sections: Sequence[Section] = SECTIONS,
) -> Report:
    """Every figure of the report for ``period`` (one partner's, with ``organisation``);
    ``sections`` limits it to the figures a caller shows (Overzicht's quarter block)."""
    frames = build_frames(validated, schema, period.today)
    known = partners(frames)
    only = None
    if organisation is not None:
        wanted = partner_name(organisation).casefold()
        named = [p for p in known if p.casefold() == wanted]
        if not named:
            listed = ", ".join(known) or "none"
            raise ConfigError(f'no partner "{organisation}" in the sheet; partners: {listed}')
        organisation, only = named[0], wanted
        frames = only_partner(frames, organisation)
    suggestions = validated.worker_rows.get("activiteitvoorstellen", [])
    ctx = Context(
        frames,
        period,
        validated.records,
        rules,
        signed_up_attendance(validated.records, suggestions),
        partner_totals=organisation is None,
        only=only,
    )
    table = figure_table(ctx, sections)
    additive = {s.name: s.additive for s in SPECS}
    needs = {s.name: s.needs for s in SPECS}
    table["shown"] = suppress(table, additive, needs) if len(table) else []
    scope = organisation or ALL_PARTNERS
    return Report(period, organisation, table, _safe(ctx.curves.get(scope)), known)


def _safe(curve: Curve | None) -> Curve | None:
    """The curve up to the last day on which at least 5 matches are still followed."""
    if curve is None or curve.size < MINIMUM:
        return None
    until = curve.followed_until(MINIMUM)
    return Curve(curve.steps[curve.steps["day"] <= until].reset_index(drop=True), curve.size)
