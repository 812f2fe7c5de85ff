"""spreadsheets.get: the spreadsheet resource without grid data, cut down by a fields mask."""

from __future__ import annotations

import copy
from typing import Any

from sow_sheets.testing.faults import ApiError
from sow_sheets.testing.model import Sheet, Spreadsheet

Mask = dict[str, "Mask | None"]


def parse_fields(text: str) -> Mask:
    """Parse a FieldMask such as ``sheets(properties(sheetId,title),developerMetadata)`` or
    ``sheets.properties.title,spreadsheetId`` into a tree; None leaves keep everything."""
    mask, pos = _parse_list(text.replace(" ", ""), 0)
    if pos != len(text.replace(" ", "")):
        raise ApiError(400, f"Invalid field selection {text}")
    return mask


def _parse_list(text: str, pos: int) -> tuple[Mask, int]:
    mask: Mask = {}
    while pos < len(text):
        start = pos
        while pos < len(text) and text[pos] not in ",()":
            pos += 1
        path = [p for p in text[start:pos].replace("/", ".").split(".") if p]
        if not path:
            raise ApiError(400, f"Invalid field selection {text}")
        sub: Mask | None = None
        if pos < len(text) and text[pos] == "(":
            sub, pos = _parse_list(text, pos + 1)
            if pos >= len(text) or text[pos] != ")":
                raise ApiError(400, f"Invalid field selection {text}")
            pos += 1
        _insert(mask, path, sub)
        if pos < len(text) and text[pos] == ",":
            pos += 1
            continue
        break
    return mask, pos


def _insert(mask: Mask, path: list[str], leaf: Mask | None) -> None:
    node = mask
    for key in path[:-1]:
        child = node.get(key, {})
        if child is None:
            return  # an ancestor already keeps everything
        node[key] = child
        node = child
    last = path[-1]
    if last in node and node[last] is None:
        return
    if leaf is None or last not in node:
        node[last] = leaf
    else:
        existing = node[last]
        assert existing is not None
        existing.update(leaf)


def apply_mask(value: Any, mask: Mask | None) -> Any:
    """Keep only masked keys; lists are masked element by element; ``*`` keeps all."""
    if mask is None or "*" in mask:
        return value
    if isinstance(value, list):
        return [apply_mask(item, mask) for item in value]
    if isinstance(value, dict):
        return {k: apply_mask(v, mask[k]) for k, v in value.items() if k in mask}
    return value


def sheet_resource(sheet: Sheet, account: str) -> dict[str, Any]:
    resource: dict[str, Any] = {"properties": copy.deepcopy(sheet.properties)}
    grid = resource["properties"]["gridProperties"]
    for key in ("frozenRowCount", "frozenColumnCount"):
        if not grid.get(key):
            grid.pop(key, None)  # proto3 JSON leaves zero values out
    if sheet.conditional_formats:
        resource["conditionalFormats"] = copy.deepcopy(sheet.conditional_formats)
    if sheet.protected_ranges:
        ranges = copy.deepcopy(sheet.protected_ranges)
        for item in ranges:
            item["editors"] = {"users": [account]}
        resource["protectedRanges"] = ranges
    if sheet.developer_metadata:
        resource["developerMetadata"] = copy.deepcopy(sheet.developer_metadata)
    if sheet.merges:
        resource["merges"] = copy.deepcopy(sheet.merges)
    for key in ("basicFilter", "filterViews", "charts"):
        if sheet.looks.get(key):
            resource[key] = copy.deepcopy(sheet.looks[key])
    return resource


def grid_data(sheet: Sheet, r0: int, r1: int, c0: int, c1: int) -> dict[str, Any]:
    """GridData of a rectangle: each cell's data validation rule (what `init` looks at) and
    format, and the columns' widths."""
    rows = []
    for r in range(r0, r1):
        values = []
        for c in range(c0, c1):
            value: dict[str, Any] = {}
            rule = sheet.validation(r, c)
            if rule:
                value["dataValidation"] = copy.deepcopy(rule)
            fmt = cell_format(sheet, r, c)
            if fmt:
                value["userEnteredFormat"] = fmt
            values.append(value)
        rows.append({"values": values})
    sizes = sheet.looks.get("columnSizes", {})
    columns = [{"pixelSize": sizes.get(c, 100)} for c in range(c0, c1)]
    data: dict[str, Any] = {"rowData": rows, "columnMetadata": columns}
    if r0:
        data["startRow"] = r0
    if c0:
        data["startColumn"] = c0
    return data


def spreadsheet_resource(book: Spreadsheet, account: str) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "spreadsheetId": book.spreadsheet_id,
        "properties": {
            "title": book.title,
            "locale": book.locale,
            "autoRecalc": "ON_CHANGE",
            "timeZone": book.time_zone,
        },
        "sheets": [sheet_resource(s, account) for s in book.sheets],
        "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{book.spreadsheet_id}/edit",
    }
    if book.developer_metadata:
        resource["developerMetadata"] = copy.deepcopy(book.developer_metadata)
    return resource


def spreadsheets_get(
    book: Spreadsheet, params: dict[str, list[str]], account: str
) -> dict[str, Any]:
    if params.get("includeGridData", ["false"])[-1].lower() == "true":
        raise ApiError(400, "The emulator does not serve includeGridData=true")
    resource = spreadsheet_resource(book, account)
    fields = params.get("fields", [""])[-1]
    ranges = params.get("ranges", [])
    if ranges:
        # Only the sheets the ranges name, each with the grid data of its ranges.
        chosen: dict[int, dict[str, Any]] = {}
        for text in ranges:
            sheet, (r0, r1, c0, c1) = book.rect(text)
            entry = chosen.setdefault(sheet.sheet_id, sheet_resource(sheet, account))
            if "data" in fields:
                entry.setdefault("data", []).append(grid_data(sheet, r0, r1, c0, c1))
        resource["sheets"] = list(chosen.values())
    if fields:
        resource = apply_mask(resource, parse_fields(fields))
    return resource


def cell_format(sheet: Sheet, r: int, c: int) -> dict[str, Any]:
    """The userEnteredFormat of a cell: every repeatCell on a range holding it, in order."""
    out: dict[str, Any] = {}
    for item in sheet.looks.get("formats", []):
        r0, r1, c0, c1 = sheet.bounds(item["range"])
        if not (r0 <= r < r1 and c0 <= c < c1):
            continue
        mask = parse_fields(item["fields"]).get("userEnteredFormat")
        _masked_set(out, item["format"], mask)
    return out


def _masked_set(target: dict[str, Any], source: dict[str, Any], mask: Any) -> None:
    """Copy ``source`` into ``target`` where ``mask`` says; a masked key absent in
    ``source`` is cleared (as Google does)."""
    if mask is None:
        target.clear()
        target.update(copy.deepcopy(source))
        return
    for key, sub in mask.items():
        if sub is None:
            if key in source:
                target[key] = copy.deepcopy(source[key])
            else:
                target.pop(key, None)
        else:
            child = target.setdefault(key, {})
            _masked_set(child, source.get(key, {}) or {}, sub)
            if not child:
                target.pop(key)
