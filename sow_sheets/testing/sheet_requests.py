"""spreadsheets.batchUpdate: the structural requests `init` and the tests send."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from sow_sheets.testing.cellvalues import StoredCell, from_raw, from_user_entered
from sow_sheets.testing.faults import ApiError
from sow_sheets.testing.model import DEFAULT_COLS, DEFAULT_ROWS, Sheet, Spreadsheet

Request = dict[str, Any]
Reply = dict[str, Any]


def batch_update(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    """Apply every request to a copy and keep it only if all succeed (Google is atomic)."""
    requests = body.get("requests")
    if not isinstance(requests, list) or not requests:
        raise ApiError(400, "Must specify at least one request.")
    work = book.snapshot()
    replies: list[Reply] = []
    for i, request in enumerate(requests):
        if not isinstance(request, dict) or len(request) != 1:
            raise ApiError(400, f"Invalid requests[{i}]: exactly one request kind expected")
        ((kind, args),) = request.items()
        handler = HANDLERS.get(kind)
        if handler is None:
            raise ApiError(400, f"Invalid requests[{i}]: the emulator does not support {kind}")
        try:
            replies.append(handler(work, args))
        except ApiError as err:
            raise ApiError(400, f"Invalid requests[{i}].{kind}: {err.message}") from err
    book.__dict__.update(work.__dict__)
    return {"spreadsheetId": book.spreadsheet_id, "replies": replies}


def _grid_range(book: Spreadsheet, rng: dict[str, Any]) -> tuple[Sheet, dict[str, Any]]:
    sheet = book.sheet_by_id(int(rng.get("sheetId", 0)))
    end_row = rng.get("endRowIndex", sheet.row_count)
    end_col = rng.get("endColumnIndex", sheet.col_count)
    if end_row > sheet.row_count or end_col > sheet.col_count:
        raise ApiError(
            400,
            f"Range exceeds grid limits. Max rows: {sheet.row_count}, "
            f"max columns: {sheet.col_count}",
        )
    clean = {k: v for k, v in rng.items() if k != "sheetId"}
    if sheet.sheet_id:
        clean["sheetId"] = sheet.sheet_id
    return sheet, clean


def add_sheet(book: Spreadsheet, args: Request) -> Reply:
    props = args.get("properties", {})
    grid = props.get("gridProperties", {})
    sheet = book.add_sheet(
        str(props.get("title") or f"Sheet{len(book.sheets) + 1}"),
        sheet_id=props.get("sheetId"),
        rows=int(grid.get("rowCount", DEFAULT_ROWS)),
        cols=int(grid.get("columnCount", DEFAULT_COLS)),
        index=props.get("index"),
    )
    for key in ("frozenRowCount", "frozenColumnCount"):
        if grid.get(key):
            sheet.grid[key] = grid[key]
    return {"addSheet": {"properties": copy.deepcopy(sheet.properties)}}


def delete_sheet(book: Spreadsheet, args: Request) -> Reply:
    sheet = book.sheet_by_id(int(args.get("sheetId", 0)))
    if len(book.sheets) == 1:
        raise ApiError(400, "You can't remove all the sheets in a document.")
    book.sheets.remove(sheet)
    book.reindex()
    return {}


def update_sheet_properties(book: Spreadsheet, args: Request) -> Reply:
    props = args.get("properties", {})
    sheet = book.sheet_by_id(int(props.get("sheetId", 0)))
    fields = str(args.get("fields", ""))
    if not fields:
        raise ApiError(400, "At least one field must be updated, but 'fields' is empty.")
    paths = [f.strip().replace("/", ".") for f in fields.split(",") if f.strip()]
    if "*" in paths:
        paths = [k for k in props if k != "sheetId"]
    for path in paths:
        keys = path.split(".")
        source: Any = props
        for key in keys:
            source = source.get(key) if isinstance(source, dict) else None
        _set_property(book, sheet, keys, source)
    if all(s.properties.get("hidden") for s in book.sheets):
        raise ApiError(400, "You can't hide all the sheets in a document.")
    return {}


def _set_property(book: Spreadsheet, sheet: Sheet, keys: list[str], value: Any) -> None:
    if keys == ["gridProperties"]:
        for key, item in (value or {}).items():
            _set_property(book, sheet, ["gridProperties", key], item)
        return
    if keys == ["gridProperties", "rowCount"]:
        book.grow(sheet, int(value or 0), sheet.col_count)
        sheet.resize(int(value or 0), sheet.col_count)
    elif keys == ["gridProperties", "columnCount"]:
        book.grow(sheet, sheet.row_count, int(value or 0))
        sheet.resize(sheet.row_count, int(value or 0))
    elif keys == ["title"]:
        other = book.sheet_by_title(str(value))
        if other is not None and other is not sheet:
            raise ApiError(400, f'A sheet with the name "{value}" already exists.')
        sheet.properties["title"] = str(value)
    elif keys == ["index"]:
        book.sheets.remove(sheet)
        book.sheets.insert(min(int(value or 0), len(book.sheets)), sheet)
        book.reindex()
    else:
        node = sheet.properties
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        if value in (None, 0, False):
            node.pop(keys[-1], None)
        else:
            node[keys[-1]] = value


def update_spreadsheet_properties(book: Spreadsheet, args: Request) -> Reply:
    props = args.get("properties", {})
    for field in str(args.get("fields", "")).split(","):
        if field == "title":
            book.title = str(props.get("title", ""))
        elif field == "locale":
            book.locale = str(props.get("locale", "en_US"))
        elif field == "timeZone":
            book.time_zone = str(props.get("timeZone", "Etc/GMT"))
    return {}


def set_data_validation(book: Spreadsheet, args: Request) -> Reply:
    """A rule (or none: clears) on every cell of the range; the last rule set wins."""
    sheet, rng = _grid_range(book, args.get("range", {}))
    sheet.validations.append({"range": rng, "rule": copy.deepcopy(args.get("rule"))})
    return {}


def merge_cells(book: Spreadsheet, args: Request) -> Reply:
    sheet, rng = _grid_range(book, args.get("range", {}))
    if str(args.get("mergeType", "MERGE_ALL")) != "MERGE_ALL":
        raise ApiError(400, "The emulator merges with MERGE_ALL only")
    r0, r1, c0, c1 = sheet.bounds(rng)
    if (r1 - r0) * (c1 - c0) < 2:
        raise ApiError(400, "Must merge more than one cell.")
    for other in sheet.merges:
        o0, o1, p0, p1 = sheet.bounds(other)
        if r0 < o1 and o0 < r1 and c0 < p1 and p0 < c1:
            raise ApiError(400, "You can't merge cells that are already merged.")
    sheet.merges.append({**rng, "sheetId": sheet.sheet_id})
    return {}


def unmerge_cells(book: Spreadsheet, args: Request) -> Reply:
    sheet, rng = _grid_range(book, args.get("range", {}))
    r0, r1, c0, c1 = sheet.bounds(rng)
    sheet.merges = [
        m
        for m in sheet.merges
        if not (
            r0 <= sheet.bounds(m)[0]
            and sheet.bounds(m)[1] <= r1
            and c0 <= sheet.bounds(m)[2]
            and sheet.bounds(m)[3] <= c1
        )
    ]
    return {}


def add_protected_range(book: Spreadsheet, args: Request) -> Reply:
    spec = copy.deepcopy(args.get("protectedRange", {}))
    _sheet, rng = _grid_range(book, spec.get("range", {}))
    sheet = _sheet
    stored: dict[str, Any] = {"protectedRangeId": book.new_id("protectedRange"), "range": rng}
    if spec.get("description"):
        stored["description"] = spec["description"]
    if spec.get("warningOnly"):
        stored["warningOnly"] = True  # proto3 JSON leaves false out
    stored["requestingUserCanEdit"] = True
    sheet.protected_ranges.append(stored)
    return {"addProtectedRange": {"protectedRange": {**copy.deepcopy(stored), "editors": {}}}}


def create_developer_metadata(book: Spreadsheet, args: Request) -> Reply:
    spec = copy.deepcopy(args.get("developerMetadata", {}))
    location = spec.get("location", {})
    meta: dict[str, Any] = {
        "metadataId": int(spec.get("metadataId") or book.new_id("metadata")),
        "metadataKey": str(spec.get("metadataKey", "")),
    }
    if "metadataValue" in spec:
        meta["metadataValue"] = str(spec["metadataValue"])
    if not meta["metadataKey"]:
        raise ApiError(400, "developerMetadata.metadataKey is required")
    if "sheetId" in location:
        target = book.sheet_by_id(int(location["sheetId"]))
        meta["location"] = {"locationType": "SHEET", "sheetId": target.sheet_id}
        holder = target.developer_metadata
    elif location.get("spreadsheet"):
        meta["location"] = {"locationType": "SPREADSHEET", "spreadsheet": True}
        holder = book.developer_metadata
    else:
        raise ApiError(400, "The emulator supports sheet and spreadsheet metadata locations")
    meta["visibility"] = str(spec.get("visibility", "DOCUMENT"))
    holder.append(meta)
    return {"createDeveloperMetadata": {"developerMetadata": copy.deepcopy(meta)}}


def add_conditional_format_rule(book: Spreadsheet, args: Request) -> Reply:
    rule = copy.deepcopy(args.get("rule", {}))
    ranges = rule.get("ranges") or []
    if not ranges:
        raise ApiError(400, "rule.ranges is required")
    condition = rule.get("booleanRule", {}).get("condition", {})
    if condition.get("type") == "CUSTOM_FORMULA":
        formulas = [str(v.get("userEnteredValue", "")) for v in condition.get("values", [])]
        if len(formulas) != 1 or not formulas[0].startswith("="):
            raise ApiError(400, "CUSTOM_FORMULA takes exactly one formula starting with '='")
    sheet, _ = _grid_range(book, ranges[0])
    rule["ranges"] = [_grid_range(book, r)[1] for r in ranges]
    index = int(args.get("index", 0))
    sheet.conditional_formats.insert(min(index, len(sheet.conditional_formats)), rule)
    return {}


def delete_dimension(book: Spreadsheet, args: Request) -> Reply:
    rng = args.get("range", {})
    sheet = book.sheet_by_id(int(rng.get("sheetId", 0)))
    start, end = int(rng.get("startIndex", 0)), rng.get("endIndex")
    if rng.get("dimension") == "ROWS":
        end = sheet.row_count if end is None else int(end)
        if start == 0 and end >= sheet.row_count:
            raise ApiError(400, "You can't delete all the rows on the sheet.")
        sheet.delete_rows(start, end)
    elif rng.get("dimension") == "COLUMNS":
        end = sheet.col_count if end is None else int(end)
        if start == 0 and end >= sheet.col_count:
            raise ApiError(400, "You can't delete all the columns on the sheet.")
        sheet.delete_cols(start, end)
    else:
        raise ApiError(400, "range.dimension must be ROWS or COLUMNS")
    return {}


def append_dimension(book: Spreadsheet, args: Request) -> Reply:
    sheet = book.sheet_by_id(int(args.get("sheetId", 0)))
    length = int(args.get("length", 0))
    if length <= 0:
        raise ApiError(400, "length must be positive")
    if args.get("dimension") == "ROWS":
        book.grow(sheet, sheet.row_count + length, sheet.col_count)
    elif args.get("dimension") == "COLUMNS":
        book.grow(sheet, sheet.row_count, sheet.col_count + length)
    else:
        raise ApiError(400, "dimension must be ROWS or COLUMNS")
    return {}


def _cell_from_data(data: dict[str, Any]) -> StoredCell | None:
    entered = data.get("userEnteredValue") or {}
    if "formulaValue" in entered:
        formula = str(entered["formulaValue"])
        if not formula.startswith("="):
            raise ApiError(400, f"Invalid formula value: {formula!r} must start with '='")
        return from_user_entered(formula)
    for key in ("stringValue", "numberValue", "boolValue"):
        if key in entered:
            return from_raw(entered[key])
    return None


def update_cells(book: Spreadsheet, args: Request) -> Reply:
    if "start" in args:
        start = args["start"]
        sheet = book.sheet_by_id(int(start.get("sheetId", 0)))
        r0, c0 = int(start.get("rowIndex", 0)), int(start.get("columnIndex", 0))
    else:
        sheet, rng = _grid_range(book, args.get("range", {}))
        r0, c0 = int(rng.get("startRowIndex", 0)), int(rng.get("startColumnIndex", 0))
    if "userEnteredValue" not in str(args.get("fields", "")) and args.get("fields") != "*":
        raise ApiError(400, "The emulator's updateCells only writes userEnteredValue")
    rows = args.get("rows", [])
    height = len(rows)
    width = max((len(r.get("values", [])) for r in rows), default=0)
    if r0 + height > sheet.row_count or c0 + width > sheet.col_count:
        raise ApiError(400, "updateCells writes beyond the grid")
    for i, row in enumerate(rows):
        for j, data in enumerate(row.get("values", [])):
            sheet.put(r0 + i, c0 + j, _cell_from_data(data))
    return {}


def update_dimension_properties(book: Spreadsheet, args: Request) -> Reply:
    """Column widths (pixelSize); other properties are accepted and not kept."""
    rng = args.get("range", {})
    sheet = book.sheet_by_id(int(rng.get("sheetId", 0)))
    if "pixelSize" not in str(args.get("fields", "")):
        return {}
    size = int(args.get("properties", {}).get("pixelSize", 100))
    if rng.get("dimension") == "COLUMNS":
        start = int(rng.get("startIndex", 0))
        end = int(rng.get("endIndex", sheet.col_count))
        if end > sheet.col_count:
            raise ApiError(400, f"Invalid endIndex {end}: the sheet has {sheet.col_count} columns")
        sizes = sheet.looks.setdefault("columnSizes", {})
        for col in range(start, end):
            sizes[col] = size
    return {}


def repeat_cell(book: Spreadsheet, args: Request) -> Reply:
    """A format on every cell of a range; the fields mask says which parts it sets."""
    sheet, rng = _grid_range(book, args.get("range", {}))
    fields = str(args.get("fields", ""))
    if not fields.startswith("userEnteredFormat"):
        raise ApiError(400, "The emulator's repeatCell sets userEnteredFormat only")
    fmt = copy.deepcopy(args.get("cell", {}).get("userEnteredFormat", {}))
    sheet.looks.setdefault("formats", []).append({"range": rng, "format": fmt, "fields": fields})
    return {}


def set_basic_filter(book: Spreadsheet, args: Request) -> Reply:
    spec = copy.deepcopy(args.get("filter", {}))
    sheet, rng = _grid_range(book, spec.get("range", {}))
    spec["range"] = {**rng, "sheetId": sheet.sheet_id}
    sheet.looks["basicFilter"] = spec
    return {}


def clear_basic_filter(book: Spreadsheet, args: Request) -> Reply:
    sheet = book.sheet_by_id(int(args.get("sheetId", 0)))
    sheet.looks.pop("basicFilter", None)
    return {}


def delete_conditional_format_rule(book: Spreadsheet, args: Request) -> Reply:
    sheet = book.sheet_by_id(int(args.get("sheetId", 0)))
    index = int(args.get("index", 0))
    if not 0 <= index < len(sheet.conditional_formats):
        raise ApiError(400, f"No conditional format on sheet {sheet.sheet_id} at index {index}")
    rule = sheet.conditional_formats.pop(index)
    return {"deleteConditionalFormatRule": {"rule": rule}}


def add_filter_view(book: Spreadsheet, args: Request) -> Reply:
    spec = copy.deepcopy(args.get("filter", {}))
    sheet, rng = _grid_range(book, spec.get("range", {}))
    spec["range"] = {**rng, "sheetId": sheet.sheet_id}
    spec["filterViewId"] = int(spec.get("filterViewId") or book.new_id("filterView"))
    views = sheet.looks.setdefault("filterViews", [])
    if any(
        v["filterViewId"] == spec["filterViewId"]
        for s in book.sheets
        for v in s.looks.get("filterViews", [])
    ):
        raise ApiError(400, f"A filter view with id {spec['filterViewId']} already exists.")
    views.append(spec)
    return {"addFilterView": {"filter": copy.deepcopy(spec)}}


def delete_filter_view(book: Spreadsheet, args: Request) -> Reply:
    target = int(args.get("filterId", -1))
    for sheet in book.sheets:
        views = sheet.looks.get("filterViews", [])
        for view in views:
            if view["filterViewId"] == target:
                views.remove(view)
                return {}
    raise ApiError(400, f"No filter view with id: {target}")


def _chart_sheet(book: Spreadsheet, chart: dict[str, Any]) -> Sheet:
    anchor = chart.get("position", {}).get("overlayPosition", {}).get("anchorCell")
    if anchor is None:
        raise ApiError(400, "The emulator places charts by overlayPosition.anchorCell only")
    return book.sheet_by_id(int(anchor.get("sheetId", 0)))


def add_chart(book: Spreadsheet, args: Request) -> Reply:
    chart = copy.deepcopy(args.get("chart", {}))
    spec = chart.get("spec", {})
    if "basicChart" not in spec:
        raise ApiError(400, "The emulator draws basicChart specs only")
    for series in spec["basicChart"].get("series", []) + spec["basicChart"].get("domains", []):
        source = (series.get("series") or series.get("domain") or {}).get("sourceRange", {})
        for rng in source.get("sources", []):
            _grid_range(book, rng)
    sheet = _chart_sheet(book, chart)
    chart["chartId"] = int(chart.get("chartId") or book.new_id("chart"))
    sheet.looks.setdefault("charts", []).append(chart)
    return {"addChart": {"chart": copy.deepcopy(chart)}}


def _find_chart(book: Spreadsheet, chart_id: int) -> tuple[Sheet, dict[str, Any]]:
    for sheet in book.sheets:
        for chart in sheet.looks.get("charts", []):
            if chart["chartId"] == chart_id:
                return sheet, chart
    raise ApiError(400, f"No chart with id: {chart_id}")


def update_chart_spec(book: Spreadsheet, args: Request) -> Reply:
    _sheet, chart = _find_chart(book, int(args.get("chartId", -1)))
    chart["spec"] = copy.deepcopy(args.get("spec", {}))
    return {}


def delete_embedded_object(book: Spreadsheet, args: Request) -> Reply:
    sheet, chart = _find_chart(book, int(args.get("objectId", -1)))
    sheet.looks["charts"].remove(chart)
    return {}


HANDLERS: dict[str, Callable[[Spreadsheet, Request], Reply]] = {
    "addSheet": add_sheet,
    "deleteSheet": delete_sheet,
    "updateSheetProperties": update_sheet_properties,
    "updateSpreadsheetProperties": update_spreadsheet_properties,
    "setDataValidation": set_data_validation,
    "addProtectedRange": add_protected_range,
    "createDeveloperMetadata": create_developer_metadata,
    "addConditionalFormatRule": add_conditional_format_rule,
    "deleteDimension": delete_dimension,
    "appendDimension": append_dimension,
    "updateCells": update_cells,
    "mergeCells": merge_cells,
    "unmergeCells": unmerge_cells,
    "updateDimensionProperties": update_dimension_properties,
    "repeatCell": repeat_cell,
    "setBasicFilter": set_basic_filter,
    "clearBasicFilter": clear_basic_filter,
    "deleteConditionalFormatRule": delete_conditional_format_rule,
    "addFilterView": add_filter_view,
    "deleteFilterView": delete_filter_view,
    "addChart": add_chart,
    "updateChartSpec": update_chart_spec,
    "deleteEmbeddedObject": delete_embedded_object,
}
