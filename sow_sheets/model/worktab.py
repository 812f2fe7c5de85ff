"""Worker tabs as rows by key: what the engines read (``WorkerRow``) and want (``Desired``).

Rules (docs/sheet-contract.md, worker tabs): the key is in the first column; rows are never
reordered or deleted; a human column is written only when the worker creates the row; new
rows are appended.
"""

from __future__ import annotations

from dataclasses import dataclass

from sow_sheets.model.cells import Cell

# Desired state of a worker tab: row key → column key → value. Rows not mentioned are left
# exactly as they are; columns not mentioned in a row are left as they are.
Desired = dict[str, dict[str, Cell]]


@dataclass(frozen=True)
class WorkerRow:
    """One existing row of a worker tab: its key, sheet row number and values by column key."""

    key: str
    row: int
    values: dict[str, Cell]

    def get(self, column: str) -> Cell:
        return self.values.get(column)
