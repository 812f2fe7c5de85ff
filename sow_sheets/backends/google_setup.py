"""Structure requests for ``spreadsheets.batchUpdate``: new tabs, and what `init` adds to them.

Pure request builders (no I/O): the Google backend sends what these return in one request.
Sheets are the ``sheets[]`` entries of spreadsheet metadata, keyed by their actual title.
"""

from __future__ import annotations

import copy
import math
from typing import Any

from sow_sheets.model.layout import (
    DATE_PATTERN,
    HEADER_COLOUR,
    SERIES_COLOURS,
    BarChart,
    SheetLook,
    TabLayout,
    tab_layout,
)
from sow_sheets.model.locales import DUTCH_LOCALE, DUTCH_TIME_ZONE
from sow_sheets.model.schema import Schema, TabSpec

TAB_METADATA_KEY = "sow-sheets-tab"
LAYOUT_METADATA_KEY = "sow-sheets-layout"  # widths and formats applied, by policy version
LAYOUT_VERSION = "1"
PROTECTION_NOTE = (
    "Deze kolommen vult het programma elke nacht. Wijzig alleen Besluit, Actie, Status van "
    "een koppeling, Einddatum, Reden einde of Toelichting."
)
# Notes of protections earlier versions added: init does not protect those tabs twice.
PROTECTION_NOTES = {
    PROTECTION_NOTE,
    "sow-sheets: deze kolommen schrijft de werker; wijzig alleen Besluit/Actie",
}
OVERDUE_TYPE = "gesprek te laat"
NEW_TAB_ROWS = 1000  # what `init` gives an empty tab, as Google gives a new sheet
FIRST_NEW_SHEET_ID = 1_000_001
# A tab the worker fills or grows gets half as many rows again as it needs (at least
# MIN_ROWS): growth requests stay rare and the grid far from Google's 10 million cell limit.
ROW_SLACK = 1.5
MIN_ROWS = 100

Request = dict[str, Any]
SheetMeta = dict[str, Any]


def quote(title: str) -> str:
    """A tab title quoted for A1 notation: 'It''s' for It's."""
    return "'" + title.replace("'", "''") + "'"


def free_sheet_ids(sheets: dict[str, SheetMeta], count: int) -> list[int]:
    """``count`` sheet IDs not used by any sheet (new tabs get them in the same request)."""
    used = {int(s["properties"]["sheetId"]) for s in sheets.values()}
    ids: list[int] = []
    candidate = FIRST_NEW_SHEET_ID
    while len(ids) < count:
        if candidate not in used:
            ids.append(candidate)
        candidate += 1
    return ids


def slack_rows(rows: int) -> int:
    """The grid rows for a tab that needs ``rows``: never more than twice as many, except
    that a small tab (a few runs of Logboek) gets ``MIN_ROWS``."""
    return max(MIN_ROWS, math.ceil(rows * ROW_SLACK))


def new_tab_requests(
    sheets: dict[str, SheetMeta],
    tabs: list[tuple[str, list[str]]],
    frozen: int = 1,
    sizes: dict[str, tuple[int, int]] | None = None,
) -> list[Request]:
    """addSheet + header updateCells per tab; records the new sheets in ``sheets``.

    ``sizes`` gives the (rows, columns) a tab needs right away (the sync's first write); a
    tab without is an empty one for `init`.
    """
    out: list[Request] = []
    for (title, header), sheet_id in zip(tabs, free_sheet_ids(sheets, len(tabs)), strict=True):
        if sizes is not None and title in sizes:
            rows, cols = sizes[title]
            grid = {"rowCount": slack_rows(rows), "columnCount": max(cols, len(header))}
        else:
            grid = {"rowCount": NEW_TAB_ROWS, "columnCount": max(26, len(header))}
        if frozen:
            grid["frozenRowCount"] = frozen
        props = {"sheetId": sheet_id, "title": title, "gridProperties": grid}
        out.append({"addSheet": {"properties": copy.deepcopy(props)}})
        cells = [{"userEnteredValue": {"stringValue": h}} for h in header]
        out.append(
            {
                "updateCells": {
                    "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
                    "rows": [{"values": cells}],
                    "fields": "userEnteredValue",
                }
            }
        )
        sheets[title] = {"properties": props}  # a copy: later growth must not alter out
    return out


def growth_requests(sheet: SheetMeta, rows: int, cols: int) -> list[Request]:
    """appendDimension requests so a tab holds ``rows`` x ``cols``; records the new size."""
    props = sheet["properties"]
    grid = props.setdefault("gridProperties", {})
    out: list[Request] = []
    for dimension, key, want, default in (
        ("ROWS", "rowCount", rows, 1000),
        ("COLUMNS", "columnCount", cols, 26),
    ):
        have = int(grid.get(key, default))
        if want > have:
            target = slack_rows(want) if dimension == "ROWS" else want
            args = {"sheetId": props["sheetId"], "dimension": dimension, "length": target - have}
            out.append({"appendDimension": args})
            grid[key] = target
    return out


def locale_request() -> Request:
    """A new spreadsheet reads typed dates the Dutch way (1-3-2026 is 1 March)."""
    props = {"locale": DUTCH_LOCALE, "timeZone": DUTCH_TIME_ZONE}
    return {"updateSpreadsheetProperties": {"properties": props, "fields": "locale,timeZone"}}


def setup_requests(
    schema: Schema,
    headers: dict[str, list[str]],
    sheets: dict[str, SheetMeta],
    titles: dict[str, str],
    ruled: dict[str, set[int]] | None = None,
) -> tuple[list[Request], list[str]]:
    """Everything `init` sends, and the titles of the tabs it creates.

    ``headers`` holds the header row of every existing tab by contract title; ``titles``
    maps a contract title to the actual title (another case, or a renamed worker tab);
    ``ruled`` the columns per tab that already have a dropdown or other validation rule.
    """
    missing = [t for t in schema.tabs if t.title not in headers]
    out = new_tab_requests(sheets, [(t.title, t.headers) for t in missing])
    for tab in schema.tabs:
        sheet = sheets[titles.get(tab.title, tab.title)]
        header = headers.get(tab.title, list(tab.headers))
        out += tab_setup_requests(tab, sheet, header, (ruled or {}).get(tab.title, set()))
    return out, [t.title for t in missing]


def tab_setup_requests(
    tab: TabSpec, sheet: SheetMeta, header: list[str], ruled: set[int] | None = None
) -> list[Request]:
    """`init` for one tab: the layout policy, a developer-metadata tag on worker tabs."""
    out: list[Request] = []
    if tab.worker and not any(
        m.get("metadataKey") == TAB_METADATA_KEY for m in sheet.get("developerMetadata", [])
    ):
        meta = {
            "metadataKey": TAB_METADATA_KEY,
            "metadataValue": tab.key,
            "location": {"sheetId": sheet["properties"]["sheetId"]},
            "visibility": "DOCUMENT",
        }
        out.append({"createDeveloperMetadata": {"developerMetadata": meta}})
    return out + layout_requests(tab_layout(tab, header), sheet, ruled or set())


def layout_requests(layout: TabLayout, sheet: SheetMeta, ruled: set[int]) -> list[Request]:
    """The layout policy (``model/layout.py``) as requests for one sheet. Idempotent: what is
    there already is not re-added, a dropdown column that has a rule (``ruled``) keeps it,
    even one a person changed; a rule an earlier version put on a worker-owned column goes."""
    sheet_id = sheet["properties"]["sheetId"]
    grid = sheet["properties"].get("gridProperties", {})
    out: list[Request] = []
    frozen = {
        "frozenRowCount": layout.frozen_rows,
        "frozenColumnCount": layout.frozen_columns,
    }
    if any(grid.get(k, 0) < v for k, v in frozen.items()):
        out.append(
            {
                "updateSheetProperties": {
                    "properties": {"sheetId": sheet_id, "gridProperties": frozen},
                    "fields": "gridProperties.frozenRowCount,gridProperties.frozenColumnCount",
                }
            }
        )
    if layout.first and sheet["properties"].get("index") != 0:
        out.append(
            {
                "updateSheetProperties": {
                    "properties": {"sheetId": sheet_id, "index": 0},
                    "fields": "index",
                }
            }
        )
    tags = {
        (m.get("metadataKey"), m.get("metadataValue")) for m in sheet.get("developerMetadata", [])
    }
    if (LAYOUT_METADATA_KEY, LAYOUT_VERSION) not in tags:
        # Widths and formats are sent once (a person may change them after); the tag says so.
        out += _look_of_columns(layout, sheet_id)
        meta = {
            "metadataKey": LAYOUT_METADATA_KEY,
            "metadataValue": LAYOUT_VERSION,
            "location": {"sheetId": sheet_id},
            "visibility": "DOCUMENT",
        }
        out.append({"createDeveloperMetadata": {"developerMetadata": meta}})
    if layout.basic_filter and "basicFilter" not in sheet:
        rng = {"sheetId": sheet_id, "startRowIndex": 0, "startColumnIndex": 0}
        rng["endColumnIndex"] = layout.width
        out.append({"setBasicFilter": {"filter": {"range": rng}}})
    out += _dropdowns(layout, sheet_id, ruled)
    notes = {p.get("description") for p in sheet.get("protectedRanges", [])}
    if not notes & PROTECTION_NOTES:
        for start, end in layout.protected_spans:
            protected = {
                "range": _column_range(sheet_id, start, end, from_row=0),
                "description": PROTECTION_NOTE,
                "warningOnly": True,
            }
            out.append({"addProtectedRange": {"protectedRange": protected}})
    out += _colours(layout, sheet)
    return out


def pixels(characters: int) -> int:
    """A column width in pixels for a width in characters (Arial 10, as Sheets shows it)."""
    return 7 * characters + 12


def _look_of_columns(layout: TabLayout, sheet_id: int) -> list[Request]:
    """Widths, a bold shaded header, wrapped long text and dates shown as dates."""
    out: list[Request] = []
    for column in layout.columns:
        rng = {
            "sheetId": sheet_id,
            "dimension": "COLUMNS",
            "startIndex": column.index,
            "endIndex": column.index + 1,
        }
        out.append(
            {
                "updateDimensionProperties": {
                    "range": rng,
                    "properties": {"pixelSize": pixels(column.width)},
                    "fields": "pixelSize",
                }
            }
        )
        fmt: dict[str, Any] = {}
        if column.wrap:
            fmt["wrapStrategy"] = "WRAP"
            fmt["verticalAlignment"] = "TOP"
        if column.date:
            fmt["numberFormat"] = {"type": "DATE", "pattern": DATE_PATTERN}
        if fmt:
            out.append(
                {
                    "repeatCell": {
                        "range": _column_range(sheet_id, column.index, column.index + 1),
                        "cell": {"userEnteredFormat": fmt},
                        "fields": "userEnteredFormat(" + ",".join(sorted(fmt)) + ")",
                    }
                }
            )
    if layout.columns:
        header = {
            "sheetId": sheet_id,
            "startRowIndex": 0,
            "endRowIndex": 1,
            "startColumnIndex": 0,
            "endColumnIndex": layout.width,
        }
        fmt = {"textFormat": {"bold": True}, "backgroundColor": rgb(HEADER_COLOUR)}
        out.append(
            {
                "repeatCell": {
                    "range": header,
                    "cell": {"userEnteredFormat": fmt},
                    "fields": "userEnteredFormat(textFormat.bold,backgroundColor)",
                }
            }
        )
    return out


def rgb(colour: str) -> dict[str, float]:
    """RRGGBB as a Sheets Color."""
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return {"red": round(red, 3), "green": round(green, 3), "blue": round(blue, 3)}


def _dropdowns(layout: TabLayout, sheet_id: int, ruled: set[int]) -> list[Request]:
    out: list[Request] = []
    for column in layout.columns:
        rng = _column_range(sheet_id, column.index, column.index + 1)
        if column.protected and column.index in ruled:
            out.append({"setDataValidation": {"range": rng}})  # no rule: the list goes
        if not column.dropdown or column.index in ruled:
            continue
        rule: dict[str, Any] = {
            "condition": {
                "type": "ONE_OF_LIST",
                "values": [{"userEnteredValue": c} for c in column.dropdown],
            },
            "showCustomUi": True,
            "strict": False,  # staff may need another value; a signal will say so
        }
        if column.dropdown_help:
            rule["inputMessage"] = column.dropdown_help
        out.append({"setDataValidation": {"range": rng, "rule": rule}})
    return out


def _colours(layout: TabLayout, sheet: SheetMeta) -> list[Request]:
    """Row colours keyed on Status; rules of an earlier version (keyed on Type) go first."""
    sheet_id = sheet["properties"]["sheetId"]
    existing = sheet.get("conditionalFormats", [])
    formulas = [
        str(v.get("userEnteredValue", ""))
        for rule in existing
        for v in rule.get("booleanRule", {}).get("condition", {}).get("values", [])
    ]
    out: list[Request] = []
    old = [i for i, f in enumerate(formulas) if f'"{OVERDUE_TYPE}"' in f]
    for index in reversed(old):
        out.append({"deleteConditionalFormatRule": {"sheetId": sheet_id, "index": index}})
    if len(existing) > len(old) or not layout.colours:
        return out
    for index, colour in enumerate(layout.colours):
        rule = {
            "ranges": [_column_range(sheet_id, 0, layout.width)],
            "booleanRule": {
                "condition": {
                    "type": "CUSTOM_FORMULA",
                    "values": [{"userEnteredValue": colour.formula}],
                },
                "format": {"backgroundColor": rgb(colour.colour)},
            },
        }
        out.append({"addConditionalFormatRule": {"rule": rule, "index": index}})
    return out


def _column_range(sheet_id: int, start: int, end: int, from_row: int = 1) -> dict[str, Any]:
    return {
        "sheetId": sheet_id,
        "startRowIndex": from_row,
        "startColumnIndex": start,
        "endColumnIndex": end,
    }


def _column_cells(sheet_id: int, col: int, first_row: int, last_row: int) -> dict[str, Any]:
    """The GridRange of one column (0-based) from sheet row ``first_row`` to ``last_row``
    (1-based, both included)."""
    return {
        "sheetId": sheet_id,
        "startRowIndex": first_row - 1,
        "endRowIndex": last_row,
        "startColumnIndex": col,
        "endColumnIndex": col + 1,
    }


def look_requests(sheet: SheetMeta, look: SheetLook, sheets: dict[str, SheetMeta]) -> list[Request]:
    """A tab rewritten every run (Overzicht): bold rows, links to rows of other tabs and the
    chart, replacing what the last run drew (``sheets``: every tab, for the links' gids)."""
    sheet_id = sheet["properties"]["sheetId"]
    whole = {"sheetId": sheet_id, "startRowIndex": 0, "startColumnIndex": 0}
    out: list[Request] = [
        {
            "repeatCell": {
                "range": whole,
                "cell": {"userEnteredFormat": {}},
                "fields": "userEnteredFormat.textFormat",
            }
        }
    ]
    for row in look.bold_rows:
        rng = {"sheetId": sheet_id, "startRowIndex": row - 1, "endRowIndex": row}
        out.append(
            {
                "repeatCell": {
                    "range": rng,
                    "cell": {"userEnteredFormat": {"textFormat": {"bold": True}}},
                    "fields": "userEnteredFormat.textFormat.bold",
                }
            }
        )
        header = {**rng, "startColumnIndex": 1}
        out.append(
            {
                "repeatCell": {
                    "range": header,
                    "cell": {"userEnteredFormat": {"wrapStrategy": "WRAP"}},
                    "fields": "userEnteredFormat.wrapStrategy",
                }
            }
        )
    for link in look.links:
        target = sheets.get(link.tab)
        if target is None:
            continue
        gid = target["properties"]["sheetId"]
        rng = _column_cells(sheet_id, link.col, link.row, link.row)
        text = {"link": {"uri": f"#gid={gid}&range=A{link.target_row}"}}
        out.append(
            {
                "repeatCell": {
                    "range": rng,
                    "cell": {"userEnteredFormat": {"textFormat": text}},
                    "fields": "userEnteredFormat.textFormat.link",
                }
            }
        )
    out.append({"setDataValidation": {"range": whole}})  # no rule: last run's lists go
    for cells in look.lists:
        rng = _column_cells(sheet_id, cells.col, cells.first_row, cells.last_row)
        condition = {
            "type": "ONE_OF_LIST",
            "values": [{"userEnteredValue": c} for c in cells.choices],
        }
        rule = {"condition": condition, "showCustomUi": True, "strict": False}
        out.append({"setDataValidation": {"range": rng, "rule": rule}})
    charts = [int(c["chartId"]) for c in sheet.get("charts", [])]
    if look.chart is None or look.chart.last_row <= look.chart.header_row:
        return out + [{"deleteEmbeddedObject": {"objectId": c}} for c in charts]
    spec = chart_spec(sheet_id, look.chart)
    if charts:
        out.append({"updateChartSpec": {"chartId": charts[0], "spec": spec}})
        out += [{"deleteEmbeddedObject": {"objectId": c}} for c in charts[1:]]
    else:
        anchor = {
            "sheetId": sheet_id,
            "rowIndex": look.chart.anchor_row - 1,
            "columnIndex": look.chart.anchor_col,
        }
        chart = {"spec": spec, "position": {"overlayPosition": {"anchorCell": anchor}}}
        out.append({"addChart": {"chart": chart}})
    return out


def chart_spec(sheet_id: int, chart: BarChart) -> dict[str, Any]:
    """A stacked bar chart of the table ``chart`` describes (header row names the series)."""

    def source(col: int) -> dict[str, Any]:
        rng = _column_cells(sheet_id, col, chart.header_row, chart.last_row)
        return {"sourceRange": {"sources": [rng]}}

    series = []
    for n, col in enumerate(chart.series_cols):
        item: dict[str, Any] = {"series": source(col), "targetAxis": "BOTTOM_AXIS"}
        if n < len(SERIES_COLOURS):
            item["colorStyle"] = {"rgbColor": rgb(SERIES_COLOURS[n])}
        series.append(item)
    return {
        "title": chart.title,
        "basicChart": {
            "chartType": "BAR",
            "stackedType": "STACKED",
            "legendPosition": "BOTTOM_LEGEND",
            "headerCount": 1,
            "axis": [
                {"position": "BOTTOM_AXIS", "title": "aantal"},
                {"position": "LEFT_AXIS", "title": "organisatie"},
            ],
            "domains": [{"domain": source(chart.category_col)}],
            "series": series,
        },
    }


def partner_view_title(partner: str) -> str:
    """The name of a partner's filter view (what people pick under Data > Filterweergaven)."""
    return f"Alleen {partner}"


def partner_view_requests(sheet: SheetMeta, col: int, partners: tuple[str, ...]) -> list[Request]:
    """A filter view per partner on its Organisatie column; views already there stay as
    they are (a partner that left keeps its view: people may use it for old rows)."""
    sheet_id = sheet["properties"]["sheetId"]
    have = {v.get("title") for v in sheet.get("filterViews", [])}
    out: list[Request] = []
    for partner in partners:
        title = partner_view_title(partner)
        if title in have:
            continue
        condition = {"type": "TEXT_EQ", "values": [{"userEnteredValue": partner}]}
        view = {
            "title": title,
            "range": {"sheetId": sheet_id, "startRowIndex": 0, "startColumnIndex": 0},
            "filterSpecs": [{"columnIndex": col, "filterCriteria": {"condition": condition}}],
        }
        out.append({"addFilterView": {"filter": view}})
        sheet.setdefault("filterViews", []).append({"title": title})
    return out
