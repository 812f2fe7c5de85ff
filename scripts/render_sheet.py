"""Render each worker tab of a workbook to a PNG as LibreOffice shows it (for docs/reviews).

Usage: python scripts/render_sheet.py WORKBOOK OUTDIR [--rows N] [--tabs A,B]

Per tab: a copy of the workbook holding that tab alone (landscape, fitted to the page width,
its first N rows), converted to PDF by LibreOffice headless, its first page to PNG by
pdftoppm. Needs `soffice` and `pdftoppm` on PATH (apt-get install libreoffice-calc
poppler-utils); not used by the tests.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl

from sow_sheets.model.schema import DEFAULT_SCHEMA
from sow_sheets.reporting.overview import OVERVIEW_TITLE


def render(workbook: Path, outdir: Path, rows: int, tabs: list[str]) -> list[Path]:
    soffice, pdftoppm = shutil.which("soffice"), shutil.which("pdftoppm")
    if not soffice or not pdftoppm:
        raise SystemExit("render_sheet: needs soffice (LibreOffice) and pdftoppm on PATH")
    outdir.mkdir(parents=True, exist_ok=True)
    made = []
    with tempfile.TemporaryDirectory() as tmp:
        for tab in tabs:
            book = openpyxl.load_workbook(workbook)
            if tab not in book.sheetnames:
                continue
            for other in list(book.worksheets):
                if other.title != tab:
                    book.remove(other)
            ws = book[tab]
            ws.page_setup.orientation = "landscape"
            ws.page_setup.paperSize = ws.PAPERSIZE_A3
            ws.sheet_properties.pageSetUpPr.fitToPage = True
            ws.page_setup.fitToWidth = 1
            ws.page_setup.fitToHeight = 0
            # Through the last column with a width of its own (Overzicht's chart sits there).
            widest = max([0, *(d.max or 0 for d in ws.column_dimensions.values())])
            last = openpyxl.utils.get_column_letter(max(ws.max_column, widest, 1))
            ws.print_area = f"A1:{last}{min(ws.max_row, rows)}"
            ws.print_options.gridLines = True
            name = tab.replace(" ", "_")
            copy = Path(tmp) / f"{name}.xlsx"
            book.save(copy)
            subprocess.run(
                [soffice, "--headless", "--convert-to", "pdf", "--outdir", tmp, str(copy)],
                check=True,
                capture_output=True,
            )
            target = outdir / name
            subprocess.run(
                [pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                 str(Path(tmp) / f"{name}.pdf"), str(target)],
                check=True,
            )  # fmt: skip
            made.append(target.with_suffix(".png"))
    return made


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workbook", type=Path)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--rows", type=int, default=45, help="rows per tab (default 45)")
    worker = [OVERVIEW_TITLE] + [t.title for t in DEFAULT_SCHEMA.tabs if t.worker]
    parser.add_argument("--tabs", default=",".join(worker), help="comma-separated tab titles")
    args = parser.parse_args(argv)
    for path in render(args.workbook, args.outdir, args.rows, args.tabs.split(",")):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
