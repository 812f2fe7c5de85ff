"""`mogelijk dubbel` signals, the coordinator's answers, and the links they make.

    plan = plan_duplicates(records.identities, signal_rows, settings.duplicates)
    plan.findings   # one per pair: both IDs, tabs, organisations and why; never the data
    plan.links      # ID → every ID the coordinator confirmed as the same person

The answer lives in the pair's `Actie` cell: `zelfde persoon` links the two IDs (follow-up
then sees both IDs' conversations, see ``linked_conversations``); `verschillend` ends the
question for that pair for good. A confirmed pair keeps its signal row even when the rows
no longer look alike, so the link stays as long as both IDs exist.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sow_sheets.duplicates.engine import Candidate, candidate_pairs
from sow_sheets.duplicates.settings import DuplicateSettings
from sow_sheets.model.cells import Cell, canonical
from sow_sheets.model.findings import Finding
from sow_sheets.model.records import Conversation, Identity, Records
from sow_sheets.model.words import DuplicateAnswer, SignalType
from sow_sheets.model.worktab import WorkerRow

TYPE = SignalType.POSSIBLE_DUPLICATE
TAB_NAMES = {
    "grootouders": "Grootouders",
    "gezinnen": "Gezinnen",
    "ouderen": "Ouderen",
    "hulpvragen": "Hulpvragen",
    "hulpaanbod": "Hulpaanbod",
}
ASK = "Zijn dit twee keer dezelfde persoon? Schrijf in Actie 'zelfde persoon' of 'verschillend'."


@dataclass
class DuplicatePlan:
    """The findings for Signalen and the confirmed links between IDs."""

    findings: list[Finding] = field(default_factory=list)
    links: dict[str, frozenset[str]] = field(default_factory=dict)
    pairs: int = 0  # candidate pairs found this run


def pair_key(first: str, second: str) -> str:
    """The signal key of a pair: the same whichever ID comes first."""
    low, high = sorted((first, second))
    return f"{TYPE}:{low}:{high}"


def parse_answer(value: Cell) -> DuplicateAnswer | None:
    """`zelfde persoon` / `verschillend` (case and spaces ignored); None for anything else."""
    text = " ".join(canonical(value).casefold().split())
    for answer in DuplicateAnswer:
        if text == answer.value:
            return answer
    return None


def answers(rows: Iterable[WorkerRow]) -> dict[tuple[str, str], DuplicateAnswer]:
    """The answered pairs among existing Signalen rows."""
    found: dict[tuple[str, str], DuplicateAnswer] = {}
    prefix = f"{TYPE}:"
    for row in rows:
        if not row.key.startswith(prefix):
            continue
        first, _, second = row.key[len(prefix) :].partition(":")
        answer = parse_answer(row.get("action"))
        if first and second and answer is not None:
            found[(first, second)] = answer
    return found


def _who(person: Identity) -> str:
    organisation = person.organisation or "geen organisatie"
    return f"{person.id} ({TAB_NAMES[person.tab]}, {organisation})"


def _why(pair: Candidate) -> str:
    reasons = []
    if pair.phone:
        reasons.append("zelfde telefoonnummer")
    if pair.email:
        reasons.append("zelfde e-mailadres")
    if pair.name:
        also = []
        if pair.birth_year:
            also.append("zelfde geboortejaar")
        if pair.pc4:
            also.append("zelfde postcodegebied (4 cijfers)")
        alike = "zelfde naam" if pair.name >= 100 else f"naam lijkt {pair.name} % op elkaar"
        reasons.append(f"{alike}, {' en '.join(also)}")
    return "; ".join(reasons)


def _finding(first: Identity, second: Identity, text: str) -> Finding:
    return Finding(
        key=pair_key(first.id, second.id),
        type=TYPE,
        subject=first.id,
        description=text,
        organisation=first.organisation,
    )


def _groups(pairs: Iterable[tuple[str, str]]) -> dict[str, frozenset[str]]:
    """Connected IDs: every ID to the whole group it was linked into."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[root(a)] = root(b)
    members: dict[str, set[str]] = {}
    for x in list(parent):
        members.setdefault(root(x), set()).add(x)
    return {x: frozenset(members[root(x)]) for x in parent}


def plan_duplicates(
    identities: Sequence[Identity],
    signal_rows: Iterable[WorkerRow],
    settings: DuplicateSettings,
    asked: Iterable[tuple[str, str]] = (),
) -> DuplicatePlan:
    """The `mogelijk dubbel` findings of one run and the links confirmed in `Actie`.

    ``asked``: ID pairs another signal already asks about (a form sent twice); not again.
    """
    if not settings.enabled:
        return DuplicatePlan()
    answered = answers(signal_rows)
    skip = {tuple(sorted(pair)) for pair in asked}
    plan = DuplicatePlan()
    seen: set[tuple[str, str]] = set()
    for pair in candidate_pairs(identities, settings):
        ids = (pair.first.id, pair.second.id)
        if ids in skip:
            continue
        seen.add(ids)
        plan.pairs += 1
        text = f"Mogelijk dezelfde persoon: {_who(pair.first)} en {_who(pair.second)}: "
        text += f"{_why(pair)}. {ASK}"
        if answered.get(ids) is DuplicateAnswer.SAME:
            text = f"Zelfde persoon (bevestigd): {_who(pair.first)} en {_who(pair.second)}."
        plan.findings.append(_finding(pair.first, pair.second, text))
    by_id = {p.id: p for p in identities}
    confirmed = [
        ids
        for ids, answer in answered.items()
        if answer is DuplicateAnswer.SAME and ids[0] in by_id and ids[1] in by_id
    ]
    for first, second in confirmed:
        if (first, second) not in seen:
            text = f"Zelfde persoon (bevestigd): {_who(by_id[first])} en {_who(by_id[second])}."
            plan.findings.append(_finding(by_id[first], by_id[second], text))
    plan.links = _groups(confirmed)
    return plan


def stand_ins(rows: Iterable[WorkerRow], people: Sequence[Identity]) -> dict[str, str]:
    """For counting each person once: every ID confirmed as the same person as an earlier
    registration in the same tab, mapped to that registration's ID (earliest intake row
    first, then the lowest row). IDs in different tabs stay apart: they count in different
    figures."""
    same = [ids for ids, a in answers(rows).items() if a is DuplicateAnswer.SAME]
    groups = _groups(same)
    by_id = {p.id: p for p in people}
    mapping: dict[str, str] = {}
    for members in {frozenset(g) for g in groups.values()}:
        present = sorted((by_id[i] for i in members if i in by_id), key=lambda p: (p.tab, p.row))
        first_of_tab: dict[str, str] = {}
        for person in present:
            kept = first_of_tab.setdefault(person.tab, person.id)
            if kept != person.id:
                mapping[person.id] = kept
    return mapping


def linked_conversations(records: Records, links: dict[str, frozenset[str]]) -> Records:
    """The records with each conversation about a linked ID also logged under the IDs it is
    linked to, so a follow-up rule for either ID sees the conversations of both."""
    if not links:
        return records
    extra = [
        dataclasses.replace(c, subject=other)
        for c in records.conversations
        for other in sorted(links.get(c.subject, ()))
        if other != c.subject
    ]
    conversations: list[Conversation] = [*records.conversations, *extra]
    return dataclasses.replace(records, conversations=conversations)
