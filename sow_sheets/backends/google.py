"""The Google Sheets backend: a constant number of API requests per read and per write.

The only module that imports gspread and google-auth; their errors become sow_sheets errors.
The requests that change the spreadsheet's structure are built in ``google_setup``.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import gspread
import requests
from google.auth.exceptions import RefreshError, TransportError
from gspread.exceptions import APIError
from gspread.http_client import ParamsType
from gspread.urls import (
    SPREADSHEET_BATCH_UPDATE_URL,
    SPREADSHEET_URL,
    SPREADSHEET_VALUES_BATCH_UPDATE_URL,
    SPREADSHEET_VALUES_BATCH_URL,
)
from gspread.utils import extract_id_from_url

from sow_sheets.backends.google_io import Rect, batches, blocks, bodies, value_ranges
from sow_sheets.backends.google_setup import (
    TAB_METADATA_KEY,
    Request,
    growth_requests,
    layout_requests,
    locale_request,
    look_requests,
    new_tab_requests,
    partner_view_requests,
    quote,
    setup_requests,
)
from sow_sheets.backends.retry import RetryingHTTPClient, UncertainWriteError
from sow_sheets.model.cells import Row
from sow_sheets.model.cells import column_letters as col_letters
from sow_sheets.model.errors import (
    BackendError,
    ConfigError,
    MissingTabError,
    SheetAccessError,
    SignInError,
)
from sow_sheets.model.layout import OVERVIEW_TITLE, column_dropdown
from sow_sheets.model.schema import Schema, TabSpec, map_headers
from sow_sheets.model.sheet import CellRange, SheetLocale, Table, WritePlan

SCOPE = "https://www.googleapis.com/auth/spreadsheets"
CREDENTIALS_ENV = "GOOGLE_APPLICATION_CREDENTIALS"
READ_FIELDS = (
    "properties(title,locale,timeZone),sheets(properties(sheetId,title,index,gridProperties),"
    "developerMetadata(metadataKey,metadataValue),protectedRanges(description),"
    "conditionalFormats(booleanRule(condition)),merges,basicFilter(range),"
    "filterViews(filterViewId,title),charts(chartId))"
)
QUIET: dict[str, str] = {"prettyPrint": "false"}  # Google pretty-prints replies by default
UNFORMATTED = {
    "valueRenderOption": "UNFORMATTED_VALUE",
    "dateTimeRenderOption": "SERIAL_NUMBER",
    **QUIET,
}
# A structure request whose outcome is unknown is re-planned from fresh metadata this often.
STRUCTURE_ROUNDS = 3
# A read split over several requests that sees rows move in between is tried this often.
READ_TRIES = 3
T = TypeVar("T")
log = logging.getLogger(__name__)


def open_google_backend(
    spreadsheet: str,
    credentials: str,
    *,
    schema: Schema | None = None,
    http_client: type[RetryingHTTPClient] = RetryingHTTPClient,
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
    return GoogleBackend(spreadsheet, credentials_file=path, schema=schema, http_client=http_client)


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
        http_client: type[RetryingHTTPClient] = RetryingHTTPClient,
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
            self.client = gspread.Client(None, session=session, http_client=http_client)  # type: ignore[arg-type]
        elif credentials_file is not None:
            self.client = self._service_account_client(credentials_file, http_client)
        else:
            raise ConfigError("No Google credentials: name a service-account key file.")
        self.http = self.client.http_client
        self.sheets: dict[str, dict[str, Any]] = {}  # actual title -> sheet properties
        self.titles: dict[str, str] = {}  # contract title -> actual title
        self.columns: dict[str, frozenset[int]] = {}  # contract title -> columns read
        self.locale: str | None = None
        self.time_zone: str | None = None

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

    def _service_account_client(
        self, path: str | Path, http_client: type[RetryingHTTPClient]
    ) -> gspread.Client:
        from google.oauth2.service_account import Credentials

        info = load_key_file(path)
        self.account = str(info["client_email"])
        try:
            credentials = Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
                info, scopes=[SCOPE]
            )
        except (ValueError, KeyError) as err:
            raise ConfigError(f"Service-account key file {path} is unusable ({err}).") from None
        return gspread.Client(credentials, http_client=http_client)

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
        except RefreshError as err:
            raise SignInError(
                f"Google refused the service account's key ({_oauth_error(err)}): it was "
                "probably deleted or replaced. Create a new JSON key for the service account "
                "(docs/google.md, step 3) and point [sheet] credentials or "
                f"{CREDENTIALS_ENV} at it."
            ) from None
        except TransportError:
            raise SignInError(
                "Could not reach Google to sign the service account in (network error while "
                "fetching the access token). Check the network and run again."
            ) from None
        except requests.RequestException as err:
            raise BackendError(f"Google Sheets {what} failed: {type(err).__name__}") from None

    def _friendly(self, err: APIError, what: str) -> BackendError:
        code = err.response.status_code
        error = err.error if isinstance(err.error, Mapping) else {}
        if "invalid JSON" in str(error.get("status", "")):
            return BackendError(
                f"Google Sheets refused the {what} (HTTP {code}, an HTML error page): "
                "run again later; if it keeps failing, see docs/google.md"
            )
        message = str(error.get("message", ""))
        disabled = _DISABLED.search(message)
        if code == 403 and disabled:
            return SheetAccessError(
                "The Google Sheets API is turned off in Google Cloud project "
                f"{disabled.group(1)}: enable it there (APIs & Services > Library > Google "
                "Sheets API > Enable, docs/google.md step 1), wait a few minutes and run again."
            )
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
        return BackendError(f"Google Sheets refused the {what} (HTTP {code}): {message[:300]}")

    def _get(self, what: str, url: str, params: Mapping[str, Any]) -> dict[str, Any]:
        query: ParamsType = dict(params)
        reply = self._call(what, lambda: self.http.request("get", url, params=query))
        data: dict[str, Any] = reply.json()
        return data

    def _post(self, what: str, url: str, body: dict[str, Any]) -> dict[str, Any]:
        params: ParamsType = dict(QUIET)
        reply = self._call(what, lambda: self.http.request("post", url, params=params, json=body))
        data: dict[str, Any] = reply.json()
        return data

    def _metadata(self) -> dict[str, Any]:
        params: ParamsType = {"fields": READ_FIELDS, **QUIET}
        meta = self._get("metadata read", SPREADSHEET_URL % self.key, params)
        props = meta.get("properties", {})
        self.locale = props.get("locale")
        self.time_zone = props.get("timeZone")
        self.sheets = {s["properties"]["title"]: s for s in meta.get("sheets", [])}
        self.titles = self._contract_titles()
        return meta

    def _contract_titles(self) -> dict[str, str]:
        """Contract title -> actual title: exact, else ignoring case, else the developer
        metadata tag of a worker tab someone renamed."""
        folded: dict[str, str] = {}
        for title in self.sheets:
            folded.setdefault(title.casefold(), title)
        tagged: dict[str, str] = {}
        for title, sheet in self.sheets.items():
            for item in sheet.get("developerMetadata", []):
                if item.get("metadataKey") == TAB_METADATA_KEY:
                    tagged.setdefault(str(item.get("metadataValue")), title)
        titles: dict[str, str] = {}
        for spec in self.schema.tabs:
            if spec.title in self.sheets:
                titles[spec.title] = spec.title
            elif spec.title.casefold() in folded:
                titles[spec.title] = folded[spec.title.casefold()]
            elif spec.key in tagged and tagged[spec.key] not in titles.values():
                titles[spec.title] = tagged[spec.key]
        return titles

    def _actual(self, title: str) -> str:
        return self.titles.get(title, title)

    def _grid(self, actual: str) -> tuple[int, int]:
        grid = self.sheets[actual]["properties"].get("gridProperties", {})
        return int(grid.get("rowCount", 1000)), int(grid.get("columnCount", 26))

    def _read_rects(self, rects: list[Rect], tries: int = READ_TRIES) -> list[list[list[Any]]]:
        """The rows of each rectangle as Google returns them (trailing blanks trimmed), in
        values.batchGet requests each within the URL and reply-size budget.

        A rectangle too big for one reply comes in row blocks from several requests; each
        block after the first starts one row early, and that row must match the previous
        block's last. If it does not, someone inserted, deleted or sorted rows in between:
        the rectangle is read again, so no row is read twice or skipped.
        """
        pieces: list[tuple[int, Rect, bool]] = []  # (rectangle, block, starts one row early)
        grid_rows: dict[str, int] = {}
        for index, rect in enumerate(rects):
            rows, _ = self._grid(rect.title)
            grid_rows[rect.title] = rows
            for n, block in enumerate(blocks(rect, rows)):
                shifted = dataclasses.replace(block, first_row=block.first_row - 1)
                pieces.append((index, shifted, True) if n else (index, block, False))
        out: list[list[list[Any]]] = [[] for _ in rects]
        torn: set[int] = set()
        done = 0
        for group in batches([piece[1] for piece in pieces], grid_rows):
            reply = self._get(
                "read",
                SPREADSHEET_VALUES_BATCH_URL % self.key,
                {"ranges": [r.a1() for r in group], **UNFORMATTED},
            )
            value_ranges_ = reply.get("valueRanges", [])
            for (index, block, early), value_range in zip(
                pieces[done : done + len(group)], value_ranges_, strict=True
            ):
                values = value_range.get("values", [])
                got = out[index]
                offset = block.first_row - rects[index].first_row
                if early:  # the overlap row, read before by the previous block
                    before = got[offset] if offset < len(got) else []
                    if (values[0] if values else []) != before:
                        torn.add(index)
                    values, offset = values[1:], offset + 1
                if values:
                    got.extend([] for _ in range(offset - len(got)))
                    got.extend(values)
            done += len(group)
        if torn:
            if tries <= 1:
                raise BackendError(
                    "Rows kept moving while the sheet was read (rows inserted, deleted or "
                    "sorted); run again."
                )
            log.warning("rows moved during the read of %d range(s); reading them again", len(torn))
            again = self._read_rects([rects[i] for i in sorted(torn)], tries - 1)
            for i, rows_ in zip(sorted(torn), again, strict=True):
                out[i] = rows_
        return out

    # --- Backend protocol ---------------------------------------------------------------

    def spreadsheet_locale(self) -> SheetLocale:
        """The spreadsheet's locale and time zone as of the last read."""
        return SheetLocale(self.locale, self.time_zone)

    def read(self) -> dict[str, Table]:
        """The tabs of the schema, only the columns it names: one metadata request, one for
        the header rows, then the columns in requests of bounded reply size."""
        self._metadata()
        wanted: list[Rect] = []
        spans: list[tuple[TabSpec, list[Any], list[Rect]]] = []
        self.columns = {}
        for spec, header in self._headers().items():
            actual = self._actual(spec.title)
            columns = sorted(set(map_headers(spec, header).positions.values()))
            self.columns[spec.title] = frozenset(columns)
            # A grid of one row has nothing below its header (and Google refuses row 2).
            runs = _runs(columns) if self._grid(actual)[0] >= 2 else []
            rects = [Rect(actual, 2, None, a, b - 1) for a, b in runs]
            spans.append((spec, header, rects))
            wanted += rects
        # Overzicht's two left columns (the coordinator's Instellingen cells) come in the
        # same requests as the columns: no request more.
        overview = OVERVIEW_TITLE in self.sheets and OVERVIEW_TITLE not in self.columns
        if overview:
            wanted.append(Rect(OVERVIEW_TITLE, 1, None, 0, 1))
        read = self._read_rects(wanted)
        parts = iter(read)
        tables: dict[str, Table] = {}
        for spec, header, rects in spans:
            merged = _merges(self.sheets[self._actual(spec.title)], spec.title)
            tables[spec.title] = Table(spec.title, _assemble(header, rects, parts), merged)
        if overview:
            rows = [[None if v == "" else v for v in row] for row in read[-1]]
            tables[OVERVIEW_TITLE] = Table(OVERVIEW_TITLE, rows)
        return tables

    def _headers(self) -> dict[TabSpec, list[Any]]:
        """The header row of each schema tab the spreadsheet has (as of the last metadata)."""
        present = [spec for spec in self.schema.tabs if spec.title in self.titles]
        rects = []
        for spec in present:
            actual = self._actual(spec.title)
            rects.append(Rect(actual, 1, 1, 0, self._grid(actual)[1] - 1))
        heads = self._read_rects(rects)
        return {spec: (head[0] if head else []) for spec, head in zip(present, heads, strict=True)}

    def reread(self, ranges: list[CellRange]) -> list[Table]:
        """Fresh rectangles (tab titles as of the last read), read so that the request does
        not grow with the number of ranges: the rows of one tab asked for one by one (rows
        whose blank ID will be filled) come from one block of rows.

        A tab that did not exist at the last read comes back empty, as from the xlsx
        backend: the sync then creates it. Columns the last read left out stay blank here.
        """
        single: dict[str, list[CellRange]] = {}
        other: list[CellRange] = []
        for rng in ranges:
            if self._actual(rng.tab) not in self.sheets:
                continue
            if rng.last_row == rng.first_row and rng.first_row > 1:
                single.setdefault(rng.tab, []).append(rng)
            else:
                other.append(rng)
        rects: list[Rect] = []
        where: dict[CellRange, tuple[int, int, int]] = {}  # range -> (rect, row0, col0)
        for rng in other:
            rect = self._rect(rng)
            where[rng] = (len(rects), rect.first_row, rect.first_col)
            rects.append(rect)
        for tab, group in single.items():
            rows, cols = self._grid(self._actual(tab))
            top = min(r.first_row for r in group)
            bottom = min(max(r.first_row for r in group), rows)
            last = max(cols - 1 if r.last_col is None else r.last_col for r in group)
            first = min(r.first_col for r in group)
            for rng in group:
                where[rng] = (len(rects), top, first)
            rects.append(Rect(self._actual(tab), top, bottom, first, last))
        fresh = self._read_rects(rects)
        out: list[Table] = []
        for rng in ranges:
            if rng not in where:
                out.append(Table(rng.tab))
                continue
            index, row0, col0 = where[rng]
            out.append(
                Table(rng.tab, _cut(fresh[index], row0, col0, rng, self.columns.get(rng.tab)))
            )
        return out

    def _rect(self, rng: CellRange) -> Rect:
        actual = self._actual(rng.tab)
        rows, cols = self._grid(actual)
        last_col = rng.last_col if rng.last_col is not None else cols - 1
        return Rect(actual, min(rng.first_row, rows), rng.last_row, rng.first_col, last_col)

    def write(self, plan: WritePlan) -> None:
        """New tabs and grid growth in one spreadsheets.batchUpdate when needed, then the
        cells with RAW in as few values.batchUpdate requests as fit under 2 MB each."""
        if not plan:
            return
        tries: list[int] = []

        def structure() -> list[Request]:
            tries.append(1)
            return self._write_structure(plan, again=len(tries) > 1)

        self._structure("tab creation", structure)
        latest = {(c.tab, c.row, c.col): c.value for c in plan.cells}  # the last write wins
        actual = {tab: self._actual(tab) for tab, _, _ in latest}
        for data in bodies(value_ranges(latest, actual)):
            body = {"valueInputOption": "RAW", "data": data}
            self._post("write", SPREADSHEET_VALUES_BATCH_UPDATE_URL % self.key, body)

    def _write_structure(self, plan: WritePlan, again: bool = False) -> list[Request]:
        needed: dict[str, tuple[int, int]] = {}
        for cell in plan.cells:
            rows, cols = needed.get(cell.tab, (1, 1))
            needed[cell.tab] = (max(rows, cell.row), max(cols, cell.col + 1))
        # A tab that exists by now (made by a run that failed later) is not added twice.
        tabs = [(t, h) for t, h in plan.new_tabs if self._actual(t) not in self.sheets]
        sizes = {t: needed.get(t, (1, len(h))) for t, h in tabs}
        for title, layout in plan.layouts.items():
            if title in sizes:  # room for every column the layout shapes
                sizes[title] = (sizes[title][0], max(sizes[title][1], layout.width))
        out = new_tab_requests(self.sheets, tabs, sizes=sizes)
        for title, _ in tabs:
            if title in plan.layouts:
                out += layout_requests(plan.layouts[title], self.sheets[title], set())
        for tab, (rows, cols) in needed.items():
            if tab in sizes:
                continue
            sheet = self.sheets.get(self._actual(tab))
            if sheet is None:
                raise MissingTabError(f'Tab "{tab}" is missing; run `sow-sheets init`.')
            out += growth_requests(sheet, rows, cols)
        for title, (col, partners) in plan.partner_views.items():
            sheet = self.sheets.get(self._actual(title))
            if sheet is not None:
                out += partner_view_requests(sheet, col, partners)
        for title, look in plan.looks.items():
            sheet = self.sheets.get(self._actual(title))
            if sheet is None or (again and look.chart and sheet.get("charts")):
                continue  # re-planned after an unknown outcome: the look arrived with its chart
            out += look_requests(sheet, look, self.sheets)
        return out

    def _structure(self, what: str, plan: Callable[[], list[Request]]) -> None:
        """Send a spreadsheets.batchUpdate; when its outcome is unknown (timeout, dropped
        connection, 5xx after it was sent) re-read the metadata and send only what is still
        missing: a blind retry would add a tab twice or duplicate rules."""
        for _ in range(STRUCTURE_ROUNDS):
            requests_ = plan()
            if not requests_:
                return
            try:
                self._post(what, SPREADSHEET_BATCH_UPDATE_URL % self.key, {"requests": requests_})
                return
            except UncertainWriteError as err:
                log.warning("%s: outcome unknown (%s); re-reading before sending again", what, err)
                self._metadata()
        raise BackendError(
            f"Google Sheets {what} did not complete after {STRUCTURE_ROUNDS} tries; run again."
        )

    # --- init ---------------------------------------------------------------------------

    def setup(self, schema: Schema) -> list[str]:
        """`init`: add what is missing, never replace what is there; one structure request."""
        self.schema = schema
        created: list[str] = []

        def plan() -> list[Request]:
            self._metadata()
            headers = {s.title: [str(h or "") for h in row] for s, row in self._headers().items()}
            new = not headers
            ruled = self._validated_columns(schema, headers)
            requests_, made = setup_requests(schema, headers, self.sheets, self.titles, ruled)
            if new:
                requests_.insert(0, locale_request())
            created[:] = made
            return requests_

        self._structure("init", plan)
        return created

    def _validated_columns(
        self, schema: Schema, headers: dict[str, list[str]]
    ) -> dict[str, set[int]]:
        """Per tab, the dropdown columns that already have a data validation rule in row 2
        (a rule a person may have changed: init leaves it as it is)."""
        ranges: list[tuple[str, int, str]] = []
        for spec in schema.tabs:
            if spec.title not in headers:
                continue
            actual = self._actual(spec.title)
            rows, _ = self._grid(actual)
            positions = map_headers(spec, headers[spec.title]).positions
            for column in spec.columns:
                listed = column.dropdown or column_dropdown(spec, column)
                if listed and column.key in positions and rows >= 2:
                    letters = col_letters(positions[column.key])
                    ranges.append(
                        (spec.title, positions[column.key], f"{quote(actual)}!{letters}2")
                    )
        ruled: dict[str, set[int]] = {}
        for start in range(0, len(ranges), 40):  # 40 ranges keep the URL under 2 KB
            chunk = ranges[start : start + 40]
            params: ParamsType = {
                "ranges": [text for *_, text in chunk],
                "fields": "sheets(properties(title),data(rowData(values(dataValidation))))",
                **QUIET,
            }
            meta = self._get("dropdown read", SPREADSHEET_URL % self.key, params)
            rules: dict[str, list[bool]] = {}
            for sheet in meta.get("sheets", []):
                title = sheet["properties"]["title"]
                for grid in sheet.get("data", []):
                    rows = grid.get("rowData", [{}])
                    values = rows[0].get("values", [{}]) if rows else [{}]
                    rules.setdefault(title, []).append(
                        bool(values and values[0].get("dataValidation"))
                    )
            seen: dict[str, int] = {}
            for tab, col, _ in chunk:
                actual = self._actual(tab)
                i = seen.get(actual, 0)
                seen[actual] = i + 1
                if i < len(rules.get(actual, [])) and rules[actual][i]:
                    ruled.setdefault(tab, set()).add(col)
        return ruled


_DISABLED = re.compile(r"has not been used in project (\d+) before or it is disabled")


def _oauth_error(err: RefreshError) -> str:
    """The OAuth error code of a refused token request (e.g. invalid_grant), nothing else."""
    text = str(err.args[0]) if err.args else ""
    code = text.split(":", 1)[0].strip()
    return code if re.fullmatch(r"[a-z_]{3,40}", code) else "sign-in refused"


def _merges(sheet: Mapping[str, Any], title: str) -> list[CellRange]:
    """The sheet's merged ranges (GridRanges: 0-based, ends exclusive) as CellRanges."""
    out = []
    for grid in sheet.get("merges", []):
        first_row = int(grid.get("startRowIndex", 0)) + 1
        first_col = int(grid.get("startColumnIndex", 0))
        end_row, end_col = grid.get("endRowIndex"), grid.get("endColumnIndex")
        out.append(
            CellRange(
                title,
                first_row,
                None if end_row is None else int(end_row),
                first_col,
                None if end_col is None else int(end_col) - 1,
            )
        )
    return out


def _runs(columns: list[int]) -> list[tuple[int, int]]:
    """[0, 1, 2, 5] -> [(0, 3), (5, 6)]; gaps of one or two columns are read through, so a
    tab is a few ranges, not one per column."""
    spans: list[tuple[int, int]] = []
    for col in columns:
        if spans and col - spans[-1][1] <= 2:
            spans[-1] = (spans[-1][0], col + 1)
        else:
            spans.append((col, col + 1))
    return spans


def _assemble(header: list[Any], rects: list[Rect], parts: Iterator[list[list[Any]]]) -> list[Row]:
    """The header and the column ranges of one tab as full-width rows; blanks are None and
    columns not read stay None."""
    columns = [(rect, next(parts)) for rect in rects]
    height = max((len(rows) for _, rows in columns), default=0)
    width = max([len(header)] + [rect.last_col + 1 for rect, rows in columns if rows])
    out: list[Row] = [[None if v == "" else v for v in header] + [None] * (width - len(header))]
    for i in range(height):
        row: Row = [None] * width
        for rect, rows in columns:
            if i < len(rows):
                for j, value in enumerate(rows[i]):
                    if value != "":
                        row[rect.first_col + j] = value
        out.append(row)
    while len(out) > 1 and all(v is None for v in out[-1]):
        out.pop()
    return out


def _cut(
    rows: list[list[Any]], row0: int, col0: int, rng: CellRange, mask: frozenset[int] | None
) -> list[list[Any]]:
    """The rectangle ``rng`` out of rows read from sheet row ``row0``, column ``col0``;
    columns outside ``mask`` (what the last read left out) blank, trailing blanks trimmed."""
    start = rng.first_row - row0
    stop = None if rng.last_row is None else rng.last_row - row0 + 1
    out: list[list[Any]] = []
    for row in rows[start:stop]:
        a = rng.first_col - col0
        b = None if rng.last_col is None else rng.last_col - col0 + 1
        part = list(row[a:b])
        if mask is not None and rng.last_col is None:
            part = [v if rng.first_col + j in mask else "" for j, v in enumerate(part)]
        while part and part[-1] == "":
            part.pop()
        out.append(part)
    while out and not out[-1]:
        out.pop()
    return out
