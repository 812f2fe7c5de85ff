"""The local workbook backend: the embedded default, no account, no network.

Reads with python-calamine (``reader.py``); writes surgically (``package.py``, ``sheet.py``):
only the worksheet parts that receive values are rewritten, and within them only the rows that
change; every other part of the package is copied byte for byte. A save is atomic (a temporary
file beside the workbook, fsync, rename), so a crash or kill leaves the old or the new workbook.
Every string is stored as a literal inline string: ``=HYPERLINK(...)`` never becomes a formula.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from sow_sheets.backends.xlsx.cells import cell_xml
from sow_sheets.backends.xlsx.chart import put_chart
from sow_sheets.backends.xlsx.files import other_format, save_atomically
from sow_sheets.backends.xlsx.layout import REL_NS, apply_look, relayout, sheet_chunks
from sow_sheets.backends.xlsx.package import (
    CT_NS,
    PKG_REL_NS,
    STYLES_CT,
    STYLES_TYPE,
    WORKBOOK_CT,
    WORKSHEET_CT,
    WORKSHEET_TYPE,
    Package,
    deflate,
)
from sow_sheets.backends.xlsx.reader import read_tables
from sow_sheets.backends.xlsx.sheet import SheetXml, group_writes
from sow_sheets.backends.xlsx.styles import (
    BASE_STYLES,
    DATE_FORMAT,
    MAIN_NS,
    WorkerStyles,
    ensure_styles,
)
from sow_sheets.model.cells import Row
from sow_sheets.model.errors import BackendError, SheetAccessError, WorkbookLockedError
from sow_sheets.model.layout import TabLayout, tab_layout
from sow_sheets.model.schema import DEFAULT_SCHEMA, Schema, TabSpec
from sow_sheets.model.sheet import CellRange, CellWrite, Table, WritePlan

__all__ = [
    "DATE_FORMAT",
    "TabLayout",
    "XlsxBackend",
    "cell_xml",
    "lock_files",
    "write_new_workbook",
]


def lock_files(path: Path) -> list[Path]:
    """Lock files Excel (``~$name``) and LibreOffice (``.~lock.name#``) keep beside an open file."""
    candidates = [path.with_name("~$" + path.name), path.with_name(f".~lock.{path.name}#")]
    if len(path.name) > 2:
        # Excel shortens long names: ~$ replaces the first two characters.
        candidates.append(path.with_name("~$" + path.name[2:]))
    return [p for p in candidates if p.exists()]


class XlsxBackend:
    """A workbook on disk. ``read`` reads it once; ``reread`` reuses that unless it changed."""

    def __init__(self, path: Path, schema: Schema = DEFAULT_SCHEMA) -> None:
        self.path = path
        self.schema = schema
        self._cache: tuple[tuple[float, int], dict[str, Table]] | None = None

    def target(self) -> str:
        return f"workbook {self.path.name}"

    def _stamp(self) -> tuple[float, int]:
        stat = self.path.stat()
        return stat.st_mtime, stat.st_size

    def _exists(self) -> None:
        if not self.path.exists():
            raise SheetAccessError(
                f"workbook {self.path} does not exist; create it with "
                f"`sow-sheets demo {self.path}` or `sow-sheets init --workbook {self.path}`"
            )
        if self.path.is_dir():
            raise SheetAccessError(f"workbook {self.path} is a folder, not an .xlsx file")
        instead = other_format(self.path)
        if instead is not None:
            raise SheetAccessError(
                f"workbook {self.path} is {instead}; the worker reads and writes the usual "
                'Excel format only: save it as "Excel Workbook (.xlsx)" (LibreOffice: "Excel '
                '2007-365"), without a password, and point the worker at that file'
            )

    def read(self) -> dict[str, Table]:
        self._exists()
        stamp = self._stamp()
        try:
            tables = read_tables(self.path)
        except PermissionError:
            raise SheetAccessError(
                f"workbook {self.path} cannot be read: permission denied"
            ) from None
        except Exception as exc:  # calamine raises its own errors for broken packages
            raise SheetAccessError(
                f"workbook {self.path} is not a readable .xlsx file ({type(exc).__name__})"
            ) from None
        self._cache = (stamp, tables)
        return tables

    def reread(self, ranges: list[CellRange]) -> list[Table]:
        if self._cache is None or self._cache[0] != self._stamp():
            self.read()
        assert self._cache is not None
        tables = self._cache[1]
        out = []
        for rng in ranges:
            table = tables.get(rng.tab, Table(rng.tab))
            last_row = rng.last_row if rng.last_row is not None else len(table.rows)
            rows = []
            for row in table.rows[rng.first_row - 1 : last_row]:
                end = None if rng.last_col is None else rng.last_col + 1
                rows.append(list(row[rng.first_col : end]))
            out.append(Table(rng.tab, rows))
        return out

    def write(self, plan: WritePlan) -> None:
        if not plan:
            return
        self._check_not_open()
        package = self._open()
        try:
            created = {t for t, _ in plan.new_tabs if t not in package.sheets}
            for write in plan.cells:
                if write.tab not in package.sheets and write.tab not in created:
                    raise BackendError(f'tab "{write.tab}" disappeared before the write; run again')
            apply_plan(package, plan, self.schema)
            package.save()
        finally:
            package.close()
        self._cache = None

    def setup(self, schema: Schema) -> list[str]:
        """`init`: missing tabs created in the policy's look; existing worker tabs brought up
        to it (widths, panes, filter, colours, dropdowns only); human tabs that exist stay."""
        if not self.path.exists():
            write_new_workbook(self.path, {s.title: [list(s.headers)] for s in schema.tabs}, schema)
            return [s.title for s in schema.tabs]
        self._check_not_open()
        tables = self.read()
        package = self._open()
        try:
            missing = [s for s in schema.tabs if s.title not in package.sheets]
            plan = WritePlan([(s.title, list(s.headers)) for s in missing])
            styles = apply_plan(package, plan, schema)
            for spec in schema.tabs:
                if not spec.worker or spec in missing:
                    continue
                part = package.sheets[spec.title]
                text = package.read(part).decode("utf-8")
                table = tables.get(spec.title)
                header = list(table.rows[0]) if table is not None and table.rows else []
                new = relayout(text, tab_layout(spec, header), header, styles)
                if new != text:
                    package.changed[part] = new.encode("utf-8")
            if package.changed:
                package.save()
        finally:
            package.close()
        self._cache = None
        return [s.title for s in missing]

    def _open(self) -> Package:
        self._exists()
        try:
            return Package.open(self.path)
        except PermissionError:
            raise SheetAccessError(
                f"workbook {self.path} cannot be read: permission denied"
            ) from None
        except (zipfile.BadZipFile, KeyError, OSError, SyntaxError) as exc:
            raise SheetAccessError(
                f"workbook {self.path} is not a readable .xlsx file ({type(exc).__name__})"
            ) from None

    def _check_not_open(self) -> None:
        locks = lock_files(self.path)
        if locks:
            raise WorkbookLockedError(
                f"workbook {self.path.name} is open in Excel or LibreOffice (lock file "
                f"{locks[0].name}); close it and run again (delete the lock file if nothing "
                "has the workbook open)"
            )


def _spec(schema: Schema, title: str) -> TabSpec | None:
    return next((s for s in schema.tabs if s.title == title), None)


def apply_plan(package: Package, plan: WritePlan, schema: Schema) -> WorkerStyles:
    """Put ``plan`` into the package's parts: new tabs rendered whole in their layout,
    existing tabs edited, Overzicht's look redrawn. The worker's styles, for further edits."""
    by_tab: dict[str, list[CellWrite]] = {}
    for write in plan.cells:
        by_tab.setdefault(write.tab, []).append(write)
    styles_name = package.styles_part()
    styles_text, styles = ensure_styles(package.read(styles_name).decode("utf-8"))
    original = package.read(styles_name)
    if styles_text.encode("utf-8") != original:
        package.changed[styles_name] = styles_text.encode("utf-8")
    for title, header in plan.new_tabs:
        if title in package.sheets:
            continue
        rows = group_writes((w.row, w.col, w.value) for w in by_tab.pop(title, []))
        layout = plan.layouts.get(title)
        spec = _spec(schema, title)
        if layout is None and spec is not None:
            layout = tab_layout(spec, header)
        package.add_sheet(title, sheet_chunks(title, layout, header, rows, styles))
        if layout is not None:
            new_tab_created(package, title, layout)
    for title, writes in by_tab.items():
        part = package.sheets[title]
        sheet = SheetXml(package.read(part).decode("utf-8"), title)
        rows = group_writes((w.row, w.col, w.value) for w in writes)
        package.changed[part] = deflate(sheet.edit_chunks(rows, styles.date, styles.wrap))
    for title, look in plan.looks.items():
        if title not in package.sheets:
            continue
        part = package.sheets[title]
        text = apply_look(package.read(part).decode("utf-8"), look, styles)
        text = put_chart(package, part, text, title, look.chart)
        package.changed[part] = text.encode("utf-8")
    return styles


def new_tab_created(package: Package, title: str, layout: TabLayout) -> None:
    """What a new tab needs beyond its own part: a tab that opens first (Overzicht) moves to
    the front of the workbook and becomes the selected one."""
    if layout.first:
        package.move_first(title)


def _empty_package(titles: Iterable[str]) -> dict[str, bytes]:
    """The parts of a new workbook without worksheets yet: content types, relationships,
    a workbook with an empty sheet list, and the base styles."""
    del titles
    return {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Types xmlns="{CT_NS}">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{WORKBOOK_CT}"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{STYLES_CT}"/>'
            "</Types>"
        ).encode(),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{PKG_REL_NS}">'
            f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ).encode(),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
            '<bookViews><workbookView activeTab="0"/></bookViews><sheets></sheets>'
            '<calcPr calcId="191029"/></workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{PKG_REL_NS}">'
            f'<Relationship Id="rId1" Type="{STYLES_TYPE}" Target="styles.xml"/>'
            "</Relationships>"
        ).encode(),
        "xl/styles.xml": BASE_STYLES.encode(),
    }


def write_new_workbook(
    path: Path, tables: dict[str, list[Row]], schema: Schema = DEFAULT_SCHEMA
) -> None:
    """Create a workbook from tab title → rows (row 0 is the header), saved atomically."""
    parts = _empty_package(tables)

    def write(handle: BinaryIO) -> None:
        with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in parts.items():
                zf.writestr(name, data)

    path.parent.mkdir(parents=True, exist_ok=True)
    save_atomically(path, write)
    package = Package.open(path)
    try:
        plan = WritePlan(
            [
                (title, ["" if v is None else str(v) for v in rows[0]])
                for title, rows in tables.items()
            ],
            [
                CellWrite(title, r, c, value)
                for title, rows in tables.items()
                for r, row in enumerate(rows[1:], start=2)
                for c, value in enumerate(row)
            ],
        )
        apply_plan(package, plan, schema)
        package.save()
    finally:
        package.close()


_ = (WORKSHEET_CT, WORKSHEET_TYPE)
