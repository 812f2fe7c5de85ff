"""Map a Sheets v4 HTTP request to its method, and run it against a spreadsheet."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from sow_sheets.testing import discovery, metadata, sheet_requests, values_api
from sow_sheets.testing.faults import ApiError
from sow_sheets.testing.model import Spreadsheet

PREFIX = "/v4/spreadsheets/"


@dataclass(frozen=True)
class Call:
    """One request, parsed: the counted method name, spreadsheet, range and options."""

    name: str
    spreadsheet_id: str
    range: str | None
    params: dict[str, list[str]]
    body: dict[str, Any] | None


# (HTTP verb, has a range in the path, ":suffix") -> counted method name
_ROUTES = {
    ("GET", False, ""): "get",
    ("POST", False, "batchUpdate"): "spreadsheets.batchUpdate",
    ("GET", False, "values:batchGet"): "batchGet",
    ("POST", False, "values:batchUpdate"): "batchUpdate",
    ("POST", False, "values:batchClear"): "batchClear",
    ("GET", True, ""): "values.get",
    ("PUT", True, ""): "update",
    ("POST", True, "append"): "append",
    ("POST", True, "clear"): "clear",
}


def parse_call(method: str, url: str, body: bytes | str | None) -> Call:
    """Parse the URL while it is still percent-encoded: ``:append`` is literal, ``%3A`` is not."""
    parts = urlsplit(url)
    if not parts.path.startswith(PREFIX):
        raise ApiError(404, f"Method not found: {parts.path}")
    rest = parts.path[len(PREFIX) :]
    spreadsheet_id, slash, tail = rest.partition("/")
    suffix = ""
    range_text: str | None = None
    if not slash:
        spreadsheet_id, _, suffix = spreadsheet_id.partition(":")
    elif tail.startswith("values:"):
        suffix = tail
    elif tail.startswith("values/"):
        raw, _, suffix = tail[len("values/") :].partition(":")
        range_text = unquote(raw)
    else:
        raise ApiError(404, f"Method not found: {parts.path}")
    name = _ROUTES.get((method.upper(), range_text is not None, suffix))
    if name is None:
        raise ApiError(404, f"Method not found: {method} {parts.path}")
    params = parse_qs(parts.query, keep_blank_values=True)
    payload: dict[str, Any] | None = None
    if body:
        try:
            payload = json.loads(body)
        except ValueError as err:
            raise ApiError(400, f"Invalid JSON payload received. {err}") from err
        if not isinstance(payload, dict):
            raise ApiError(400, "Invalid JSON payload received. Expected an object.")
    return Call(name, unquote(spreadsheet_id), range_text, params, payload)


def check(call: Call) -> None:
    """Query parameters and body against the discovery document (Google's 400s)."""
    discovery.check_params(call.name, call.params)
    discovery.check_body(call.name, call.body)


def dispatch(call: Call, book: Spreadsheet, account: str) -> dict[str, Any]:
    """Run one parsed call; raises ApiError with Google's code and message on failure."""
    body = call.body or {}
    rng = call.range or ""
    if call.name == "get":
        return metadata.spreadsheets_get(book, call.params, account)
    if call.name == "spreadsheets.batchUpdate":
        return sheet_requests.batch_update(book, body)
    if call.name == "batchGet":
        return values_api.values_batch_get(book, call.params)
    if call.name == "batchUpdate":
        return values_api.values_batch_update(book, body)
    if call.name == "batchClear":
        return values_api.values_batch_clear(book, body)
    if call.name == "values.get":
        return values_api.values_get(book, rng, call.params)
    if call.name == "update":
        return values_api.values_update(book, rng, call.params, body)
    if call.name == "append":
        return values_api.values_append(book, rng, call.params, body)
    return values_api.values_clear(book, rng)
