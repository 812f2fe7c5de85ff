"""The Sheets v4 emulator: spreadsheets in memory behind a requests session for gspread."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import requests

from sow_sheets.testing import router
from sow_sheets.testing.faults import ApiError, Fault, FaultQueue
from sow_sheets.testing.model import Spreadsheet
from sow_sheets.testing.transport import SHEETS_ORIGIN, RefusingAdapter, SheetsAdapter
from sow_sheets.testing.workbook_io import (
    export_to_xlsx,
    fill_sheet,
    seed_from_xlsx,
    sheet_rows,
    stored,
)

if TYPE_CHECKING:
    import gspread

DEFAULT_ACCOUNT = "sow-sheets@emulator.iam.gserviceaccount.com"

# Called before a request is answered: (emulator, 1-based request number, method name).
Hook = Callable[["SheetsEmulator", int, str], None]


class SheetsEmulator:
    """An in-process Google Sheets v4 API for what sow-sheets uses.

    ``counts`` holds requests by method name ("get", "batchGet", "batchUpdate",
    "spreadsheets.batchUpdate", "values.get", "update", "append", "clear", "batchClear"),
    including requests that failed by injected fault.
    """

    def __init__(self, account: str = DEFAULT_ACCOUNT) -> None:
        self.account = account
        self.books: dict[str, Spreadsheet] = {}
        self.denied: set[str] = set()
        self.counts: Counter[str] = Counter()
        self.faults = FaultQueue()
        self.hooks: list[Hook] = []
        self.requests_seen = 0
        # (method name, HTTP status, reply body) of every answered request, when enabled.
        self.journal: list[tuple[str, int, dict[str, Any]]] | None = None

    # --- spreadsheets -------------------------------------------------------------------

    def create(
        self,
        tabs: Mapping[str, list[list[Any]]] | None = None,
        spreadsheet_id: str | None = None,
        title: str = "sow-sheets emulator",
        locale: str = "en_US",
    ) -> Spreadsheet:
        """A new spreadsheet; with no tabs it has one empty "Sheet1", as Google creates it."""
        key = spreadsheet_id or "emu" + secrets.token_hex(20)
        book = Spreadsheet(key, title, locale=locale)
        for name, rows in ({"Sheet1": []} if tabs is None else tabs).items():
            fill_sheet(book, name, rows)
        self.books[key] = book
        return book

    def seed_xlsx(self, path: str | Path, spreadsheet_id: str | None = None) -> Spreadsheet:
        """A new spreadsheet holding the workbook's tabs; date cells become date serials."""
        book = self.create({}, spreadsheet_id, title=Path(path).stem)
        seed_from_xlsx(book, Path(path))
        return book

    def export_xlsx(self, spreadsheet_id: str, path: str | Path) -> None:
        export_to_xlsx(self.book(spreadsheet_id), Path(path))

    def export(self, spreadsheet_id: str) -> dict[str, list[list[Any]]]:
        """{title: rows} with unformatted values (date serials back as dates)."""
        return {s.title: sheet_rows(s) for s in self.book(spreadsheet_id).sheets}

    def book(self, spreadsheet_id: str) -> Spreadsheet:
        return self.books[spreadsheet_id]

    def set_cell(self, spreadsheet_id: str, title: str, row: int, col: int, value: Any) -> None:
        """A human edit: put a value at a 1-based row and 0-based column of a tab."""
        book = self.book(spreadsheet_id)
        sheet = book.sheet_by_title(title)
        if sheet is None:
            raise KeyError(title)
        book.grow(sheet, row, col + 1)
        sheet.put(row - 1, col, stored(value))

    def deny(self, spreadsheet_id: str) -> None:
        """Answer 403 PERMISSION_DENIED for this key (a sheet not shared with the account)."""
        self.denied.add(spreadsheet_id)

    # --- faults and hooks ---------------------------------------------------------------

    def fail_next(
        self, times: int = 1, status: int | str = 429, retry_after: int | None = None
    ) -> None:
        """The next ``times`` requests fail with ``status``, or "connection" / "timeout"."""
        self.faults.add(Fault(status, retry_after), times)

    def on_request(self, hook: Hook) -> None:
        self.hooks.append(hook)

    def before(self, method: str, edit: Callable[[SheetsEmulator], None], nth: int = 1) -> None:
        """Run ``edit`` once, right before the ``nth`` next request of ``method``."""
        seen = [0]

        def hook(emulator: SheetsEmulator, number: int, name: str) -> None:
            if name == method:
                seen[0] += 1
                if seen[0] == nth:
                    edit(emulator)

        self.hooks.append(hook)

    def reset_counts(self) -> None:
        self.counts.clear()

    # --- HTTP ---------------------------------------------------------------------------

    def handle(
        self, request: requests.PreparedRequest
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        self.requests_seen += 1
        try:
            body = request.body if isinstance(request.body, bytes | str) else None
            call = router.parse_call(request.method or "GET", request.url or "", body)
        except ApiError as err:
            return err.code, err.body(), err.headers()
        self.counts[call.name] += 1
        for hook in list(self.hooks):
            hook(self, self.requests_seen, call.name)
        fault = self.faults.take()
        try:
            if fault is not None:
                fault.raise_it(request.url or "")
            if call.spreadsheet_id in self.denied:
                raise ApiError(403)
            book = self.books.get(call.spreadsheet_id)
            if book is None:
                raise ApiError(404)
            reply = router.dispatch(call, book, self.account)
            status, headers = 200, {}
        except ApiError as err:
            reply, status, headers = err.body(), err.code, err.headers()
        if self.journal is not None:
            self.journal.append((call.name, status, reply))
        return status, reply, headers

    def session(self) -> requests.Session:
        """A requests session answering Sheets calls here and refusing every other host."""
        session = requests.Session()
        refuse = RefusingAdapter()
        session.mount("http://", refuse)
        session.mount("https://", refuse)
        session.mount(SHEETS_ORIGIN, SheetsAdapter(self.handle))
        return session

    def client(self, http_client: type[Any] | None = None) -> gspread.Client:
        """A real gspread Client wired to this emulator (optionally with another HTTPClient)."""
        import gspread

        if http_client is None:
            return gspread.Client(None, session=self.session())  # type: ignore[arg-type]
        return gspread.Client(None, session=self.session(), http_client=http_client)  # type: ignore[arg-type]


@contextmanager
def sheets_emulator(
    tabs: Mapping[str, list[list[Any]]] | None = None, spreadsheet_id: str = "emulated-sheet"
) -> Iterator[tuple[SheetsEmulator, Spreadsheet]]:
    """``with sheets_emulator({"Tab": rows}) as (emu, book):`` for tests and scripts."""
    emulator = SheetsEmulator()
    book = emulator.create(tabs, spreadsheet_id)
    yield emulator, book
