"""The report's charts, drawn with matplotlib (Agg) as SVG to inline in the page.

Accessible by construction: each chart has a title and axis labels, carries its title as the
SVG's <title>, marks series by hatching and markers as well as colour (a colour-blind-safe
palette), writes each value next to its bar, and comes with the data table the page prints
under it. Hidden values are not drawn; the chart writes "<5" or "x" in their place.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Literal

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sow_sheets.reporting.figures import RETENTION_MONTHS, WAIT_BINS, bin_label
from sow_sheets.reporting.frames import ALL_PROGRAMMES, MATCHING
from sow_sheets.reporting.period import MONTH
from sow_sheets.reporting.render.views import (
    Column,
    Grid,
    number,
    partner_grid,
    shown_of,
    slice_grid,
)
from sow_sheets.reporting.report import Report
from sow_sheets.reporting.survival import DAYS_PER_MONTH

# Okabe–Ito: distinguishable with every common colour-vision deficiency.
BLUE, ORANGE, GREEN, GREY = "#0072B2", "#E69F00", "#009E73", "#555555"
plt.rcParams.update(
    {
        "svg.fonttype": "none",  # text stays text: readable by screen readers, sharp in print
        "svg.hashsalt": "sow-sheets",  # the same data gives the same SVG
        "font.family": "sans-serif",
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "hatch.linewidth": 0.8,
    }
)


@dataclass(frozen=True)
class Chart:
    """One chart: its title, the SVG markup, and the data table printed under it."""

    key: str
    title: str
    svg: str
    table: Grid


def _svg(figure: Figure, title: str, key: str) -> str:
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(figure)
    text = out.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r"<svg\1", text, count=1)
    label = f"chart-{key}-title"
    return text.replace(
        "<svg",
        f'<svg role="img" aria-labelledby="{label}" class="chart-svg"',
        1,
    ).replace(">", f'><title id="{label}">{escape(title)}</title>', 1)


def _title(figure: Figure, title: str) -> None:
    """The title over the whole chart, from the left edge (long axis labels never cut it)."""
    figure.suptitle(title, fontsize=10, x=0.01, ha="left")


def _finish(
    figure: Figure,
    ax: Axes,
    chart: tuple[str, str, Grid],
    labels: tuple[str, str],
    legend: Literal["upper left", "lower left"] | None = "upper left",
) -> Chart:
    """Axis labels, the title, the legend; then the chart as SVG with its data table."""
    key, title, grid = chart
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    _title(figure, title)
    if legend and ax.get_legend_handles_labels()[0]:  # no series drawn: no empty legend box
        ax.legend(fontsize=8, frameon=False, loc=legend)
    return Chart(key, title, _svg(figure, title, key), grid)


def _bars(
    ax: Axes,
    positions: Sequence[float],
    shown: Sequence[str],
    width: float,
    colour: str,
    hatch: str,
    label: str,
    horizontal: bool = False,
) -> None:
    """Bars for the shown values; hidden ones get their marker written at the base."""
    values = [number(s) for s in shown]
    drawn = [v if v is not None else 0.0 for v in values]
    draw = ax.barh if horizontal else ax.bar
    bars = draw(positions, drawn, width, color=colour, hatch=hatch, edgecolor="white", label=label)
    for bar, text, v in zip(bars, shown, values, strict=True):
        if horizontal:
            x, y = bar.get_width(), bar.get_y() + bar.get_height() / 2
            ax.annotate(text, (x, y), xytext=(3, 0), textcoords="offset points",
                        va="center", fontsize=8, color=GREY if v is None else "black")  # fmt: skip
        else:
            x, y = bar.get_x() + bar.get_width() / 2, bar.get_height()
            ax.annotate(text, (x, y), xytext=(0, 2), textcoords="offset points",
                        ha="center", fontsize=7, color=GREY if v is None else "black")  # fmt: skip


def matches_over_time(report: Report) -> Chart:
    title = "Koppelingen per maand: gestart, beëindigd en lopend aan het eind van de maand"
    columns = [
        Column("Gestart", "koppelingen gestart", programme=MATCHING),
        Column("Beëindigd", "koppelingen beëindigd", programme=MATCHING),
        Column("Lopend aan het eind", "koppelingen actief aan het eind", programme=MATCHING),
    ]
    grid = slice_grid(report, title, columns, MONTH)
    figure, ax = plt.subplots(layout="constrained", figsize=(7.2, 3.4))
    x = list(range(len(grid.rows)))
    _bars(ax, [i - 0.2 for i in x], [r[1] for r in grid.rows], 0.4, BLUE, "//", "Gestart")
    _bars(ax, [i + 0.2 for i in x], [r[2] for r in grid.rows], 0.4, ORANGE, "..", "Beëindigd")
    running = [number(r[3]) for r in grid.rows]
    ax.plot(
        [i for i, v in zip(x, running, strict=True) if v is not None],
        [v for v in running if v is not None],
        color=GREEN, marker="o", linestyle="-", label="Lopend aan het eind van de maand",
    )  # fmt: skip
    ax.set_xticks(x, [r[0] for r in grid.rows], rotation=45, ha="right", fontsize=8)
    return _finish(figure, ax, ("koppelingen", title, grid), ("Maand", "Aantal koppelingen"))


def retention(report: Report) -> Chart:
    title = "Hoe lang koppelingen duren: aandeel dat nog loopt (Kaplan–Meier)"
    columns = [Column(f"Na {m} maanden", "nog actief", f"na {m} maanden") for m in RETENTION_MONTHS]
    grid = partner_grid(report, title, columns)
    figure, ax = plt.subplots(layout="constrained", figsize=(7.2, 3.2))
    curve = report.curve
    if curve is not None and len(curve.steps):
        months = [0.0, *(curve.steps["day"] / DAYS_PER_MONTH)]
        share = [100.0, *(curve.steps["survival"] * 100)]
        ax.step(months, share, where="post", color=BLUE, label="Aandeel dat nog loopt")
        censored = curve.steps[curve.steps["censored"] > 0]
        ax.plot(
            censored["day"] / DAYS_PER_MONTH, censored["survival"] * 100, linestyle="none",
            marker="|", markersize=9, color=GREY, label="Koppeling loopt nog (telt tot hier mee)",
        )  # fmt: skip
    else:
        ax.text(0.5, 0.5, "Te weinig koppelingen om te tonen (minder dan 5)",
                transform=ax.transAxes, ha="center", color=GREY)  # fmt: skip
    ax.axhline(50, color=GREY, linestyle=":", linewidth=0.8)
    ax.set_ylim(0, 105)
    ax.set_xlim(left=0)
    labels = ("Maanden sinds de start", "Nog lopend (%)")
    return _finish(figure, ax, ("duur", title, grid), labels, "lower left")


def waiting(report: Report) -> Chart:
    title = "Wachttijd van gezinnen: dagen van intake tot eerste voorstel en tot koppeling"
    bins = [bin_label(*b) for b in WAIT_BINS]
    columns = [
        Column(f"Tot {step}: {b}", f"wachttijd tot {step}", f"Gezinnen: {b}")
        for step in ("eerste voorstel", "koppeling")
        for b in bins
    ]
    shown = {c.header: shown_of(report, c.figure, c.part) for c in columns}
    rows = [[b, shown[f"Tot eerste voorstel: {b}"], shown[f"Tot koppeling: {b}"]] for b in bins]
    grid = Grid(title, ["Wachttijd", "Tot eerste voorstel", "Tot koppeling"], rows)
    figure, ax = plt.subplots(layout="constrained", figsize=(7.2, 3.0))
    x = list(range(len(bins)))
    _bars(ax, [i - 0.2 for i in x], [r[1] for r in rows], 0.4, BLUE, "//", "Tot eerste voorstel")
    _bars(ax, [i + 0.2 for i in x], [r[2] for r in rows], 0.4, ORANGE, "..", "Tot koppeling")
    ax.set_xticks(x, bins, fontsize=8)
    labels = ("Dagen sinds de intake", "Aantal gezinnen")
    return _finish(figure, ax, ("wachttijd", title, grid), labels, "upper left")


def reach(report: Report) -> Chart:
    title = "Ouderen bereikt met activiteiten, per programma en per organisatie"
    table = report.table
    whole = table[(table["figure"] == "ouderen bereikt") & (table["level"] == "periode")]
    programmes = [p for p in dict.fromkeys(whole["programme"]) if p != ALL_PROGRAMMES]
    by_programme = [(p, shown_of(report, "ouderen bereikt", "", p)) for p in programmes]
    partners = partner_grid(
        report, title, [Column("Bereikt", "ouderen bereikt", programme=ALL_PROGRAMMES)]
    ).rows
    if len(programmes) == 1:
        partners = partner_grid(report, title, [Column("Bereikt", "ouderen bereikt")]).rows
    rows = [[f"Programma {p}", s] for p, s in by_programme] + [
        [f"Organisatie {r[0]}", r[1]] for r in partners
    ]
    grid = Grid(title, ["Programma of organisatie", "Ouderen bereikt"], rows)
    figure, (left, right) = plt.subplots(
        1,
        2,
        layout="constrained",
        figsize=(7.2, max(2.4, 0.35 * max(len(by_programme), len(partners)) + 1.2)),
    )
    for ax, items, colour, hatch, heading in (
        (left, by_programme, BLUE, "//", "Per programma"),
        (right, [(r[0], r[1]) for r in partners], GREEN, "\\\\", "Per organisatie"),
    ):
        y = list(range(len(items)))
        _bars(ax, y, [s for _, s in items], 0.6, colour, hatch, heading, horizontal=True)
        ax.set_yticks(y, [name for name, _ in items], fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel("Aantal ouderen")
        ax.set_title(heading, fontsize=9, loc="left")
    _title(figure, title)
    return Chart("bereik", title, _svg(figure, title, "bereik"), grid)


def on_time(report: Report) -> Chart:
    title = "Gesprekken op tijd: aandeel gevoerd uiterlijk op de afgesproken dag, per afspraak"
    table = report.table
    rules = [
        p for p in dict.fromkeys(table[table["figure"] == "gesprekken nodig"]["part"]) if p != ""
    ]
    rows = [
        [
            rule,
            shown_of(report, "gesprekken nodig", rule),
            shown_of(report, "gesprekken op tijd", rule),
            shown_of(report, "gesprekken op tijd, aandeel", rule),
        ]
        for rule in ["", *rules]
    ]
    rows[0][0] = "Alle afspraken samen"
    grid = Grid(title, ["Afspraak", "Nodig", "Op tijd", "Aandeel op tijd"], rows)
    figure, ax = plt.subplots(layout="constrained", figsize=(7.2, 0.32 * len(rows) + 1.3))
    y = list(range(len(rows)))
    _bars(ax, y, [r[3] for r in rows], 0.6, BLUE, "//", "Aandeel op tijd", horizontal=True)
    ax.set_yticks(y, [r[0] for r in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 110)
    return _finish(figure, ax, ("gesprekken", title, grid), ("Op tijd (%)", "Afspraak"), None)


def all_charts(report: Report) -> dict[str, Chart]:
    charts = (matches_over_time, retention, waiting, reach, on_time)
    return {chart.key: chart for chart in (draw(report) for draw in charts)}
