"""The deciding step of a sync: from validated records to the desired worker-tab rows.

Pure: no I/O, no clock. Each part (matching, activity suggestions, follow-up) lives in its own
module; this one only feeds them and collects their desired rows and counts.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sow_sheets.config import Settings
from sow_sheets.findings import Finding
from sow_sheets.signals import OPEN, problem_finding, signal_rows
from sow_sheets.validation import Validated
from sow_sheets.worktab import Desired


@dataclass
class Decisions:
    """Desired rows per worker tab key, and the counts the summary and Logboek show."""

    desired: dict[str, Desired] = field(default_factory=dict)
    new_proposals: int = 0
    new_matches: int = 0
    new_suggestions: int = 0
    open_by_type: dict[str, int] = field(default_factory=dict)
    open_by_organisation: dict[str, int] = field(default_factory=dict)


def decide(validated: Validated, settings: Settings, today: dt.date) -> Decisions:
    """Everything the worker wants the worker tabs to say after this run."""
    records = validated.records
    findings: list[Finding] = [problem_finding(p) for p in records.problems]
    signals, by_type = signal_rows(findings, validated.worker_rows.get("signalen", []), today)
    by_org = Counter(
        str(values.get("organisation") or "(geen organisatie)")
        for values in signals.values()
        if values.get("status") == OPEN and "type" in values
    )
    return Decisions(
        desired={"signalen": signals},
        open_by_type=by_type,
        open_by_organisation=dict(by_org),
    )
