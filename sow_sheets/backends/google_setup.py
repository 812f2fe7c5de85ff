"""Structure requests for ``spreadsheets.batchUpdate``: new tabs, and what `init` adds to them.

Pure request builders (no I/O): the Google backend sends what these return in one request.
Sheets are the ``sheets[]`` entries of spreadsheet metadata, keyed by their actual title.
"""

from __future__ import annotations

import copy
import math
from typing import Any

from sow_sheets.model.locales import DUTCH_LOCALE, DUTCH_TIME_ZONE
from sow_sheets.model.schema import Schema, TabSpec, map_headers

TAB_METADATA_KEY = "sow-sheets-tab"
PROTECTION_NOTE = "sow-sheets: deze kolommen schrijft de werker; wijzig alleen Besluit/Actie"
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


def col_letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


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
    """Frozen header, dropdowns; for worker tabs warning-only protection, a developer-metadata
    tag and (Signalen) the overdue colour. Idempotent: what is there already is not re-added,
    and a column that has a validation rule (``ruled``) keeps it, even one a person changed."""
    sheet_id = sheet["properties"]["sheetId"]
    out: list[Request] = []
    if sheet["properties"].get("gridProperties", {}).get("frozenRowCount", 0) < 1:
        out.append(
            {
                "updateSheetProperties": {
                    "properties": {"sheetId": sheet_id, "gridProperties": {"frozenRowCount": 1}},
                    "fields": "gridProperties.frozenRowCount",
                }
            }
        )
    positions = map_headers(tab, header).positions
    out += _dropdowns(tab, sheet_id, positions, ruled or set())
    if not tab.worker:
        return out
    notes = [p.get("description") for p in sheet.get("protectedRanges", [])]
    if PROTECTION_NOTE not in notes:
        worker_cols = sorted(
            positions[c.key] for c in tab.columns if not c.human and c.key in positions
        )
        for start, end in _runs(worker_cols):
            protected = {
                "range": _column_range(sheet_id, start, end, from_row=0),
                "description": PROTECTION_NOTE,
                "warningOnly": True,
            }
            out.append({"addProtectedRange": {"protectedRange": protected}})
    if not any(
        m.get("metadataKey") == TAB_METADATA_KEY for m in sheet.get("developerMetadata", [])
    ):
        meta = {
            "metadataKey": TAB_METADATA_KEY,
            "metadataValue": tab.key,
            "location": {"sheetId": sheet_id},
            "visibility": "DOCUMENT",
        }
        out.append({"createDeveloperMetadata": {"developerMetadata": meta}})
    if tab.key == "signalen" and "type" in positions and not sheet.get("conditionalFormats"):
        out.append(_overdue_colour(sheet_id, positions["type"], max(len(header), len(tab.columns))))
    return out


def _dropdowns(
    tab: TabSpec, sheet_id: int, positions: dict[str, int], ruled: set[int]
) -> list[Request]:
    out: list[Request] = []
    for column in tab.columns:
        choices = column.dropdown
        if choices and column.key in positions and positions[column.key] not in ruled:
            col = positions[column.key]
            rule = {
                "condition": {
                    "type": "ONE_OF_LIST",
                    "values": [{"userEnteredValue": c} for c in choices],
                },
                "showCustomUi": True,
                "strict": False,  # staff may need another value; a signal will say so
            }
            rng = _column_range(sheet_id, col, col + 1)
            out.append({"setDataValidation": {"range": rng, "rule": rule}})
    return out


def _overdue_colour(sheet_id: int, type_col: int, width: int) -> Request:
    letter = col_letters(type_col)
    rule = {
        "ranges": [_column_range(sheet_id, 0, width)],
        "booleanRule": {
            "condition": {
                "type": "CUSTOM_FORMULA",
                "values": [{"userEnteredValue": f'=${letter}2="{OVERDUE_TYPE}"'}],
            },
            "format": {"backgroundColor": {"red": 0.98, "green": 0.8, "blue": 0.8}},
        },
    }
    return {"addConditionalFormatRule": {"rule": rule, "index": 0}}


def _column_range(sheet_id: int, start: int, end: int, from_row: int = 1) -> dict[str, Any]:
    return {
        "sheetId": sheet_id,
        "startRowIndex": from_row,
        "startColumnIndex": start,
        "endColumnIndex": end,
    }


def _runs(columns: list[int]) -> list[tuple[int, int]]:
    """[0, 1, 2, 5] -> [(0, 3), (5, 6)]: contiguous columns as half-open spans."""
    spans: list[tuple[int, int]] = []
    for col in columns:
        if spans and spans[-1][1] == col:
            spans[-1] = (spans[-1][0], col + 1)
        else:
            spans.append((col, col + 1))
    return spans
