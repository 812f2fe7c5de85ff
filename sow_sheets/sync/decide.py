"""The deciding step of a sync: from validated records to the desired worker-tab rows.

Pure: no I/O, no clock. Each part (matching, activity suggestions, follow-up) lives in its own
module; this one only feeds them in order and collects their desired rows and counts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from sow_sheets.activities.engine import plan_activities
from sow_sheets.duplicates.signals import linked_conversations, plan_duplicates
from sow_sheets.followup.engine import follow_up_findings
from sow_sheets.followup.signals import OPEN, problem_finding, signal_rows
from sow_sheets.forms.resubmissions import pairs as form_pairs
from sow_sheets.forms.resubmissions import review
from sow_sheets.help.engine import HelpPlan, plan_help
from sow_sheets.matching.engine import plan_matching
from sow_sheets.matching.proposals import withdrawn_match_names
from sow_sheets.model.findings import Finding
from sow_sheets.model.records import Records
from sow_sheets.model.worktab import Desired
from sow_sheets.reading.validation import Validated
from sow_sheets.settings import EngineSettings


@dataclass
class Decisions:
    """Desired rows per worker tab key, and the counts the summary and Logboek show."""

    desired: dict[str, Desired] = field(default_factory=dict)
    new_proposals: int = 0
    new_matches: int = 0
    new_suggestions: int = 0
    help: HelpPlan | None = None
    links: dict[str, frozenset[str]] = field(default_factory=dict)
    open_by_type: dict[str, int] = field(default_factory=dict)
    open_by_organisation: dict[str, int] = field(default_factory=dict)


def last_contacts(records: Records) -> dict[str, dt.date]:
    """Per person ID the latest conversation or attended activity (for "most isolated")."""
    last: dict[str, dt.date] = {}
    events = [(c.subject, c.date) for c in records.conversations] + [
        (a.elder, a.date) for a in records.attendances
    ]
    for subject, day in events:
        if subject not in last or day > last[subject]:
            last[subject] = day
    return last


def decide(
    validated: Validated,
    settings: EngineSettings,
    today: dt.date,
    now: dt.datetime | None = None,
    notices: Sequence[Finding] = (),
) -> Decisions:
    """Everything the worker wants the worker tabs to say after this run.

    ``now`` is the moment of the run (the help signals count hours); it defaults to the start
    of ``today``. ``notices`` are findings about the spreadsheet itself (e.g. its locale)
    that become signals too.
    """
    rows = validated.worker_rows
    # A form submitted twice: the response that does not (yet) stand sits out (docs/forms.md).
    resubmissions = review(validated.responses, rows.get("signalen", []))
    validated = validated.without(set(resubmissions.sit_out))
    records = validated.records
    moment = now if now is not None else dt.datetime.combine(today, dt.time())
    match_keys = (
        {r.key for r in rows.get("koppelingen", [])}
        | {fill.value for fill in validated.id_fills if fill.tab_key == "koppelingen"}
        | validated.issued
    )
    matching = plan_matching(
        records, rows.get("voorstellen", []), today, settings.matching, match_keys=match_keys
    )
    activities = plan_activities(
        records,
        rows.get("activiteitvoorstellen", []),
        last_contacts(records),
        today,
        settings.activities,
        validated.issued,
    )
    # Sign-ups recorded in Activiteitvoorstellen count as attendance once the date has passed.
    with_signups = dataclasses.replace(
        records, attendances=[*records.attendances, *activities.attended]
    )
    helping = plan_help(
        records, rows.get("hulpvoorstellen", []), moment, settings.help, validated.issued
    )
    # A form sent twice is asked about by its own signal (`formulier:`), not again here.
    sent_twice = [(older.id, newer.id) for older, newer in form_pairs(validated.responses)]
    doubles = plan_duplicates(
        records.identities, rows.get("signalen", []), settings.duplicates, asked=sent_twice
    )
    findings: list[Finding] = [*notices, *(problem_finding(p) for p in records.problems)]
    findings += resubmissions.findings
    findings += doubles.findings
    # Two IDs confirmed as one person: a conversation under either counts for both.
    findings += follow_up_findings(
        linked_conversations(with_signups, doubles.links),
        today,
        settings.followup,
        matching.open_volunteers,
        matching.proposed_ids,
    )
    findings += helping.findings
    signals, by_type = signal_rows(findings, rows.get("signalen", []), today)
    by_org = Counter(
        str(values.get("organisation") or "(geen organisatie)")
        for values in signals.values()
        if values.get("status") == OPEN and "type" in values
    )
    return Decisions(
        desired={
            "voorstellen": matching.proposals,
            "koppelingen": {
                **withdrawn_match_names(rows.get("koppelingen", []), records),
                **matching.matches,
            },
            "activiteitvoorstellen": activities.suggestions,
            "hulpvoorstellen": helping.proposals,
            "signalen": signals,
        },
        new_proposals=matching.new_proposals,
        new_matches=matching.new_matches,
        new_suggestions=activities.new_suggestions,
        help=helping,
        links=doubles.links,
        open_by_type=by_type,
        open_by_organisation=dict(by_org),
    )
