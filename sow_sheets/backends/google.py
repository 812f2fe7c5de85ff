"""The Google Sheets backend: a constant number of API requests per read and per write.

The only module that imports gspread and google-auth; their errors become sow_sheets errors.
The requests that change the spreadsheet's structure are built in ``google_setup``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import gspread
import requests
from gspread.exceptions import APIError
from gspread.http_client import ParamsType
from gspread.utils import extract_id_from_url

from sow_sheets.backends.google_setup import (
    TAB_METADATA_KEY,
    col_letters,
    new_tab_requests,
    quote,
    setup_requests,
)
from sow_sheets.backends.retry import RetryingHTTPClient
from sow_sheets.model.cells import Cell, Row
from sow_sheets.model.errors import BackendError, ConfigError, MissingTabError, SheetAccessError
from sow_sheets.model.schema import Schema
from sow_sheets.model.sheet import CellRange, CellWrite, Table, WritePlan

SCOPE = "https://www.googleapis.com/auth/spreadsheets"
CREDENTIALS_ENV = "GOOGLE_APPLICATION_CREDENTIALS"
READ_FIELDS = (
    "properties.title,sheets(properties(sheetId,title,index,gridProperties),"
    "developerMetadata(metadataKey,metadataValue),protectedRanges(description),"
    "conditionalFormats(booleanRule(condition)))"
)
UNFORMATTED = {"valueRenderOption": "UNFORMATTED_VALUE", "dateTimeRenderOption": "SERIAL_NUMBER"}
# Rows added when a write goes past the grid: the extra structure request stays rare.
ROW_HEADROOM = 1000
T = TypeVar("T")


def open_google_backend(
    spreadsheet: str, credentials: str, *, schema: Schema | None = None
) -> GoogleBackend:
    """The backend for ``sow-sheets --spreadsheet``: the key file named by the config, or by
    the GOOGLE_APPLICATION_CREDENTIALS environment variable when the config names none."""
    path = credentials.strip() or os.environ.get(CREDENTIALS_ENV, "").strip()
    if not path:
        raise ConfigError(
            "no Google credentials: set [sheet] credentials in the config file, or the "
            f"{CREDENTIALS_ENV} environment variable, to the path of a service-account JSON "
            "key file (see docs/google.md)"
        )
    return GoogleBackend(spreadsheet, credentials_file=path, schema=schema)


def load_key_file(path: str | Path) -> dict[str, Any]:
    """A service-account key file's JSON, or a ConfigError naming the file and what is wrong."""
    file = Path(path)
    if not file.is_file():
        raise ConfigError(f"Service-account key file {file} does not exist.")
    try:
        info = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise ConfigError(f"Service-account key file {file} is not valid JSON ({err}).") from None
    if not isinstance(info, dict) or info.get("type") != "service_account":
        raise ConfigError(
            f'{file} is not a service-account key (expected "type": "service_account"); '
            "create a JSON key for a service account in Google Cloud Console."
        )
    missing = [k for k in ("client_email", "private_key", "token_uri") if not info.get(k)]
    if missing:
        raise ConfigError(f"Service-account key file {file} lacks {', '.join(missing)}.")
    return info


def cell_json(value: Cell) -> str | int | float | bool:
    """A cell as JSON for a RAW write: dates as ISO text, None as "", NaN/inf as ""."""
    if value is None:
        return ""
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    return value.isoformat()


class GoogleBackend:
    """A Google spreadsheet, opened by key or URL, via a service account or a given client."""

    def __init__(
        self,
        spreadsheet: str,
        *,
        credentials_file: str | Path | None = None,
        client: gspread.Client | None = None,
        session: requests.Session | None = None,
        schema: Schema | None = None,
    ) -> None:
        self.key = self._key(spreadsheet)
        self.schema = schema or Schema()
        self.account = "the service account"
        if credentials_file is not None:
            # Validated even when a client is injected: the e-mail goes into access errors.
            self.account = str(load_key_file(credentials_file)["client_email"])
        if client is not None:
            self.client = client
        elif session is not None:
            self.client = gspread.Client(None, session=session, http_client=RetryingHTTPClient)  # type: ignore[arg-type]
        elif credentials_file is not None:
            self.client = self._service_account_client(credentials_file)
        else:
            raise ConfigError("No Google credentials: name a service-account key file.")
        self.http = self.client.http_client
        self.sheets: dict[str, dict[str, Any]] = {}  # actual title -> sheet properties
        self.aliases: dict[str, str] = {}  # contract title -> actual (renamed) title

    @staticmethod
    def _key(spreadsheet: str) -> str:
        text = spreadsheet.strip()
        if text.startswith("http"):
            try:
                return extract_id_from_url(text)
            except gspread.exceptions.NoValidUrlKeyFound:
                raise ConfigError(f"No spreadsheet key found in the URL {text}.") from None
        if not text:
            raise ConfigError("The spreadsheet key is empty.")
        return text

    def _service_account_client(self, path: str | Path) -> gspread.Client:
        from google.oauth2.service_account import Credentials

        info = load_key_file(path)
        self.account = str(info["client_email"])
        try:
            credentials = Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
                info, scopes=[SCOPE]
            )
        except (ValueError, KeyError) as err:
            raise ConfigError(f"Service-account key file {path} is unusable ({err}).") from None
        return gspread.Client(credentials, http_client=RetryingHTTPClient)

    def target(self) -> str:
        return f"google:{self.key}"

    def tab_url(self, title: str) -> str:
        """The address people open the spreadsheet at, on tab ``title`` once it has been read."""
        sheet = self.sheets.get(self._actual(title), {})
        gid = sheet.get("properties", {}).get("sheetId")
        url = f"https://docs.google.com/spreadsheets/d/{self.key}/edit"
        return url if gid is None else f"{url}#gid={gid}"

    # --- requests -----------------------------------------------------------------------

    def _call(self, what: str, request: Callable[[], T]) -> T:
        try:
            return request()
        except APIError as err:
            raise self._friendly(err, what) from None
        except requests.RequestException as err:
            raise BackendError(f"Google Sheets {what} failed: {type(err).__name__}") from None

    def _friendly(self, err: APIError, what: str) -> BackendError:
        code = err.response.status_code
        message = str(err.error.get("message", "")) if isinstance(err.error, dict) else ""
        if code == 404:
            return SheetAccessError(
                f"Spreadsheet key {self.key!r} was not found: check the key or URL "
                "(--spreadsheet or the config)."
            )
        if code in (401, 403):
            return SheetAccessError(
                f"No access to spreadsheet {self.key!r}: share it with {self.account} "
                "as Editor (Share button in Google Sheets)."
            )
        return BackendError(f"Google Sheets refused the {what} (HTTP {code}): {message}")

    def _metadata(self) -> dict[str, Any]:
        params: ParamsType = {"includeGridData": "false", "fields": READ_FIELDS}
        meta = dict(
            self._call(
                "metadata read", lambda: self.http.fetch_sheet_metadata(self.key, params=params)
            )
        )
        self.sheets = {s["properties"]["title"]: s for s in meta.get("sheets", [])}
        self.aliases = {}
        for title, sheet in self.sheets.items():
            for item in sheet.get("developerMetadata", []):
                if item.get("metadataKey") != TAB_METADATA_KEY:
                    continue
                try:
                    contract = self.schema.tab(str(item.get("metadataValue"))).title
                except KeyError:
                    continue
                if contract not in self.sheets:
                    self.aliases[contract] = title
        return meta

    def _actual(self, title: str) -> str:
        return self.aliases.get(title, title)

    def _batch_get(self, ranges: list[str]) -> list[dict[str, Any]]:
        if not ranges:
            return []
        reply = self._call(
            "read", lambda: self.http.values_batch_get(self.key, ranges, params=dict(UNFORMATTED))
        )
        value_ranges: list[dict[str, Any]] = reply.get("valueRanges", [])
        return value_ranges

    # --- Backend protocol ---------------------------------------------------------------

    def read(self) -> dict[str, Table]:
        """Every tab: one metadata request and one values.batchGet."""
        self._metadata()
        titles = list(self.sheets)
        tables: dict[str, Table] = {}
        for title, value_range in zip(
            titles, self._batch_get([quote(t) for t in titles]), strict=True
        ):
            tables[title] = Table(title, _padded(value_range.get("values", [])))
        for contract, actual in self.aliases.items():
            tables[contract] = Table(contract, tables[actual].rows)
        return tables

    def reread(self, ranges: list[CellRange]) -> list[Table]:
        """Fresh rectangles in one values.batchGet (tab titles as of the last read).

        A tab that did not exist at the last read comes back empty, without a request,
        as from the xlsx backend: the sync then creates it.
        """
        texts: list[str] = []
        for rng in ranges:
            sheet = self.sheets.get(self._actual(rng.tab))
            if sheet is not None:
                texts.append(self._a1(rng, sheet))
        replies = iter(self._batch_get(texts))
        return [
            Table(rng.tab, [list(r) for r in next(replies).get("values", [])])
            if self._actual(rng.tab) in self.sheets
            else Table(rng.tab)
            for rng in ranges
        ]

    def _a1(self, rng: CellRange, sheet: dict[str, Any]) -> str:
        grid = sheet["properties"].get("gridProperties", {})
        last_col = rng.last_col if rng.last_col is not None else grid.get("columnCount", 26) - 1
        first_row = min(rng.first_row, grid.get("rowCount", 1000))
        end_row = "" if rng.last_row is None else str(rng.last_row)
        return (
            f"{quote(self._actual(rng.tab))}!{col_letters(rng.first_col)}{first_row}:"
            f"{col_letters(last_col)}{end_row}"
        )

    def write(self, plan: WritePlan) -> None:
        """New tabs (and grid growth) in one spreadsheets.batchUpdate when needed, then every
        cell in one values.batchUpdate with RAW."""
        if not plan:
            return
        # A tab that exists by now (made by a run that failed later) is not added twice.
        tabs = [(t, h) for t, h in plan.new_tabs if self._actual(t) not in self.sheets]
        structure = new_tab_requests(self.sheets, tabs) + self._growth_requests(plan.cells)
        if structure:
            self._call(
                "tab creation", lambda: self.http.batch_update(self.key, {"requests": structure})
            )
        data = self._value_ranges(plan.cells)
        if data:
            body = {"valueInputOption": "RAW", "data": data}
            self._call("write", lambda: self.http.values_batch_update(self.key, body=body))

    def _growth_requests(self, cells: list[CellWrite]) -> list[dict[str, Any]]:
        needed: dict[str, tuple[int, int]] = {}
        for cell in cells:
            rows, cols = needed.get(cell.tab, (0, 0))
            needed[cell.tab] = (max(rows, cell.row), max(cols, cell.col + 1))
        requests_: list[dict[str, Any]] = []
        for tab, (rows, cols) in needed.items():
            sheet = self.sheets.get(self._actual(tab))
            if sheet is None:
                raise MissingTabError(f'Tab "{tab}" is missing; run `sow-sheets init`.')
            props = sheet["properties"]
            grid = props.setdefault("gridProperties", {})
            for dimension, key, want in (
                ("ROWS", "rowCount", rows),
                ("COLUMNS", "columnCount", cols),
            ):
                have = int(grid.get(key, 1000 if dimension == "ROWS" else 26))
                if want > have:
                    extra = max(want - have, ROW_HEADROOM if dimension == "ROWS" else 0)
                    requests_.append(
                        {
                            "appendDimension": {
                                "sheetId": props["sheetId"],
                                "dimension": dimension,
                                "length": extra,
                            }
                        }
                    )
                    grid[key] = have + extra
        return requests_

    def _value_ranges(self, cells: list[CellWrite]) -> list[dict[str, Any]]:
        """Adjacent cells of one row become one range: 'Tab'!B5:D5."""
        data: list[dict[str, Any]] = []
        latest = {(c.tab, c.row, c.col): c.value for c in cells}  # the last write wins
        run: list[tuple[str, int, int, Cell]] = []
        for (tab, row, col), value in sorted(latest.items()):
            if run and not (run[-1][0] == tab and run[-1][1] == row and run[-1][2] == col - 1):
                data.append(self._range(run))
                run = []
            run.append((tab, row, col, value))
        if run:
            data.append(self._range(run))
        return data

    def _range(self, run: list[tuple[str, int, int, Cell]]) -> dict[str, Any]:
        tab, row, first, _ = run[0]
        last = run[-1][2]
        text = f"{quote(self._actual(tab))}!{col_letters(first)}{row}:{col_letters(last)}{row}"
        return {"range": text, "values": [[cell_json(v) for *_, v in run]]}

    # --- init ---------------------------------------------------------------------------

    def setup(self, schema: Schema) -> list[str]:
        """`init`: read, then everything in one spreadsheets.batchUpdate (3 requests)."""
        self.schema = schema
        tables = self.read()
        headers = {title: [str(h or "") for h in t.header] for title, t in tables.items()}
        requests_, created = setup_requests(schema, headers, self.sheets, self.aliases)
        if requests_:
            self._call("init", lambda: self.http.batch_update(self.key, {"requests": requests_}))
        return created


def _padded(values: list[list[Any]]) -> list[Row]:
    """Google trims trailing blanks; pad every row to the table's width with None."""
    width = max((len(r) for r in values), default=0)
    return [[None if v == "" else v for v in r] + [None] * (width - len(r)) for r in values]
