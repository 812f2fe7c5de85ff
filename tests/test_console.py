"""The console a coordinator reads: decisions applied by kind, and a dry run that lists per
tab the rows it would add or change (keys, column names, old -> new for status and dates),
never a name or a note."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl

from sow_sheets.model.cells import canonical
from tests.conftest import CliResult

RunCli = Callable[..., CliResult]


def _type_decisions(path: Path) -> dict[str, str]:
    """Type one decision of each kind into the demo; returns key -> what was typed."""
    book = openpyxl.load_workbook(path)
    typed: dict[str, str] = {}

    def put(title: str, column: str, words: list[str], status: str = "open") -> None:
        ws = book[title]
        header = [canonical(c.value) for c in ws[1]]
        col, status_col = header.index(column) + 1, header.index("Status") + 1
        rows = [r for r in range(2, ws.max_row + 1) if ws.cell(r, status_col).value == status]
        for row, word in zip(rows, words, strict=False):
            ws.cell(row, col).value = word
            typed[str(ws.cell(row, 1).value)] = word

    put("Voorstellen", "Besluit", ["akkoord", "afgewezen", "misschien"])
    put("Signalen", "Actie", ["negeren", "uitstellen tot 1-6-2027", "later graag"])
    book.save(path)
    return typed


def test_dry_run_lists_rows_and_sync_counts_the_decisions(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "demo.xlsx"
    assert run_cli("demo", str(path), "--today", "2026-11-27").code == 0
    typed = _type_decisions(path)
    names = {
        canonical(v)
        for title in ("Grootouders", "Gezinnen", "Ouderen")
        for row in openpyxl.load_workbook(path)[title].iter_rows(min_row=2, values_only=True)
        for v in row[1:2]
        if v
    }
    dry = run_cli("sync", "--workbook", str(path), "--today", "2026-11-28", "--dry-run")
    assert dry.code == 0, dry.err
    assert "decisions to apply: 1 accepted, 1 rejected, 1 snoozed, 1 ignored, 2 not understood" in (
        dry.out
    )
    lines = dry.out.splitlines()
    assert any(line.startswith("Voorstellen: ") and "to change" in line for line in lines)
    ignored = next(k for k, w in typed.items() if w == "negeren")
    assert any(f"~ {ignored} " in line and "Status open -> genegeerd" in line for line in lines)
    assert not any(name in dry.out for name in names if len(name) > 4)
    result = run_cli("sync", "--workbook", str(path), "--today", "2026-11-28")
    assert "decisions applied: 1 accepted, 1 rejected, 1 snoozed, 1 ignored, 2 not understood" in (
        result.out
    )
    again = run_cli("sync", "--workbook", str(path), "--today", "2026-11-28")
    assert "decisions applied: 2 not understood" in again.out  # only the unclear ones stay
