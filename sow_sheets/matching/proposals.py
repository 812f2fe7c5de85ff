"""The Voorstellen lifecycle: carry the coordinator's decisions through, keep open proposals.

Per existing proposal row: ``afgewezen`` closes it for good; ``akkoord`` creates a Koppeling
when both people are still eligible, else the proposal lapses (``vervallen``) with the reason
in Let op; an undecided open proposal stays exactly as it is unless it became invalid. A bad
cell in either person's row only holds the proposal (open, the reason in Let op): a typo
must not cost the coordinator the proposal or the akkoord already typed, which is carried
out by the first sync after the cell is fixed.
Human columns (Besluit, Toelichting) are never written.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sow_sheets.matching.eligibility import pair_problem
from sow_sheets.matching.explanation import without_names
from sow_sheets.matching.settings import MatchingSettings
from sow_sheets.model.cells import Cell, canonical
from sow_sheets.model.keys import MATCH_PREFIX, key_number, make_key
from sow_sheets.model.records import Family, Records, Volunteer, first_by_id
from sow_sheets.model.words import (
    ACCEPT_WORDS,
    REJECT_WORDS,
    MatchStatus,
    PersonStatus,
    ProposalStatus,
    word_key,
)
from sow_sheets.model.worktab import Desired, WorkerRow

PROPOSAL_PREFIX = "VS"
_ACCEPT, _REJECT = ACCEPT_WORDS, REJECT_WORDS
_CLOSED = {ProposalStatus.MATCHED, ProposalStatus.REJECTED, ProposalStatus.LAPSED}

Pair = tuple[str, str]  # (volunteer ID, family ID)


def _text(value: Cell) -> str:
    return canonical(value)


@dataclass
class Lifecycle:
    """What the existing proposals and matches mean for this run."""

    updates: Desired = field(default_factory=dict)  # changes to existing Voorstellen rows
    matches: Desired = field(default_factory=dict)  # new Koppelingen rows
    active: Counter[str] = field(default_factory=Counter)  # active matches per volunteer
    matched_families: set[str] = field(default_factory=set)  # families in an active match
    open_count: Counter[str] = field(default_factory=Counter)  # open proposals per volunteer
    open_families: set[str] = field(default_factory=set)
    excluded: set[Pair] = field(default_factory=set)  # never propose: rejected or matched
    proposed_ids: set[str] = field(default_factory=set)
    next_proposal: int = 1
    expired: int = 0
    rejected: int = 0
    linked: int = 0


@dataclass
class _Context:
    volunteers: dict[str, Volunteer]
    families: dict[str, Family]
    today: dt.date
    settings: MatchingSettings
    active_pairs: set[Pair]
    next_match: int


def run_lifecycle(
    records: Records,
    rows: list[WorkerRow],
    today: dt.date,
    settings: MatchingSettings,
    match_keys: Iterable[str] = (),
) -> Lifecycle:
    """Apply decisions and re-check open proposals; see the module docstring."""
    match_keys = list(match_keys)
    life = Lifecycle()
    ctx = _Context(
        volunteers=first_by_id(records.volunteers),
        families=first_by_id(records.families),
        today=today,
        settings=settings,
        active_pairs=set(),
        next_match=1
        + max(
            (key_number(k, MATCH_PREFIX) for k in [*match_keys, *(m.key for m in records.matches)]),
            default=0,
        ),
    )
    for match in records.matches:
        life.excluded.add((match.volunteer, match.family))
        life.proposed_ids.update({match.volunteer, match.family} - {""})
        if match.active:
            life.active[match.volunteer] += 1
            life.matched_families.add(match.family)
            ctx.active_pairs.add((match.volunteer, match.family))
    ordered = sorted(rows, key=lambda r: r.row)
    life.next_proposal = 1 + max(
        (key_number(k, PROPOSAL_PREFIX) for k in [*(r.key for r in ordered), *match_keys]),
        default=0,
    )
    undecided = []
    typed_matched = []
    linked = {(m.volunteer, m.family) for m in records.matches}
    for row in ordered:
        pair = (_text(row.get("volunteer")), _text(row.get("family")))
        life.proposed_ids.update(set(pair) - {""})
        status = word_key(row.get("status"))
        decision = word_key(row.get("decision"))
        if status == ProposalStatus.MATCHED and decision not in _ACCEPT and pair not in linked:
            # `gekoppeld` typed in the worker's Status, and no Koppeling for the pair: the
            # proposal stays open and "Let op" says how to link them.
            typed_matched.append(row.key)
            status = ProposalStatus.OPEN
        if status == ProposalStatus.REJECTED or decision in _REJECT:
            life.excluded.add(pair)
        if status in _CLOSED or not all(pair):
            continue
        if decision in _REJECT:
            life.updates[row.key] = {"status": ProposalStatus.REJECTED}
            life.rejected += 1
        elif decision in _ACCEPT:
            _accept(row, pair, life, ctx)
        else:
            undecided.append((row, pair))
    for row, pair in undecided:
        _recheck(row, pair, life, ctx)
    for key in typed_matched:
        if life.updates.get(key, {}).get("status") != ProposalStatus.LAPSED:
            life.updates.setdefault(key, {})["warnings"] = TYPED_MATCHED_NOTE
    _blank_withdrawn_names(ordered, life, ctx)
    return life


TYPED_MATCHED_NOTE = (
    'In Status stond "gekoppeld", maar er is geen koppeling. Schrijf akkoord in Besluit om '
    "grootouder en gezin te koppelen."
)


def _problem(pair: Pair, life: Lifecycle, ctx: _Context, accepting: bool) -> str | None:
    volunteer, family = ctx.volunteers.get(pair[0]), ctx.families.get(pair[1])
    if volunteer is None:
        return "grootouder niet meer gevonden"
    if family is None:
        return "gezin niet meer gevonden"
    problem = pair_problem(volunteer, family, ctx.today, ctx.settings)
    if problem:
        return problem
    if family.id in life.matched_families:
        return "gezin is al gekoppeld"
    if not accepting and family.id in life.open_families:
        return "gezin heeft al een ander open voorstel"
    taken = life.active[volunteer.id] + (0 if accepting else life.open_count[volunteer.id])
    if taken >= volunteer.max_families:
        return f"grootouder heeft geen ruimte meer (max. {volunteer.max_families} gezin(nen))"
    if pair in life.excluded:
        return "dit paar is eerder afgewezen of al gekoppeld geweest"
    return None


def _expire(row: WorkerRow, pair: Pair, reason: str, life: Lifecycle, ctx: _Context) -> None:
    update: dict[str, Cell] = {"status": ProposalStatus.LAPSED, "warnings": f"Vervallen: {reason}."}
    volunteer, family = ctx.volunteers.get(pair[0]), ctx.families.get(pair[1])
    if volunteer is None or not volunteer.consent:
        update["volunteer_name"] = ""
    if family is None or not family.consent:
        update["family_name"] = ""
    life.updates[row.key] = update
    life.expired += 1


def _held(pair: Pair, ctx: _Context) -> str | None:
    """Why the pair waits (a bad cell in a row that is otherwise fine), or None."""
    for person, who in (
        (ctx.volunteers.get(pair[0]), "de grootouder"),
        (ctx.families.get(pair[1]), "het gezin"),
    ):
        usable = person is not None and person.consent and person.status == PersonStatus.ACTIVE
        if usable and person is not None and person.invalid:
            return f"een cel van {who} klopt niet (zie Signalen)"
    return None


def _hold(row: WorkerRow, pair: Pair, reason: str, life: Lifecycle, accepted: bool) -> None:
    """Keep the proposal open and its place taken; Let op says what it waits for."""
    life.open_count[pair[0]] += 1
    life.open_families.add(pair[1])
    then = "Het akkoord wordt verwerkt" if accepted else "Het voorstel blijft staan"
    life.updates[row.key] = {
        "status": ProposalStatus.OPEN,
        "warnings": f"Wacht: {reason}. {then} zodra dat is verbeterd.",
    }


def _accept(row: WorkerRow, pair: Pair, life: Lifecycle, ctx: _Context) -> None:
    if pair in ctx.active_pairs:  # already linked (by hand, or by an interrupted run)
        life.updates[row.key] = {"status": ProposalStatus.MATCHED}
        return
    held = _held(pair, ctx)
    if held:
        _hold(row, pair, held, life, accepted=True)
        return
    problem = _problem(pair, life, ctx, accepting=True)
    if problem:
        _expire(row, pair, problem, life, ctx)
        return
    volunteer, family = ctx.volunteers.get(pair[0]), ctx.families.get(pair[1])
    life.matches[make_key(MATCH_PREFIX, ctx.next_match)] = {
        "volunteer": pair[0],
        "volunteer_name": volunteer.name if volunteer and volunteer.consent else "",
        "family": pair[1],
        "family_name": family.name if family and family.consent else "",
        "start": ctx.today,
        "proposal": row.key,
        "status": MatchStatus.ACTIVE,
    }
    ctx.next_match += 1
    life.linked += 1
    life.active[pair[0]] += 1
    life.matched_families.add(pair[1])
    life.excluded.add(pair)
    ctx.active_pairs.add(pair)
    life.updates[row.key] = {"status": ProposalStatus.MATCHED}


def _recheck(row: WorkerRow, pair: Pair, life: Lifecycle, ctx: _Context) -> None:
    if pair in ctx.active_pairs:
        life.updates[row.key] = {"status": ProposalStatus.MATCHED}
        return
    held = _held(pair, ctx)
    if held:
        _hold(row, pair, held, life, accepted=False)
        return
    problem = _problem(pair, life, ctx, accepting=False)
    if problem:
        _expire(row, pair, problem, life, ctx)
        return
    life.open_count[pair[0]] += 1
    life.open_families.add(pair[1])
    if _text(row.get("status")).casefold() != ProposalStatus.OPEN:
        life.updates[row.key] = {"status": ProposalStatus.OPEN}


def _blank_withdrawn_names(rows: list[WorkerRow], life: Lifecycle, ctx: _Context) -> None:
    """People who withdrew consent keep no name in Voorstellen (docs/sheet-contract.md, privacy)."""
    withdrawn = {v.id for v in ctx.volunteers.values() if not v.consent}
    for row in rows:
        for id_column, name_column, people in (
            ("volunteer", "volunteer_name", ctx.volunteers),
            ("family", "family_name", ctx.families),
        ):
            person = people.get(_text(row.get(id_column)))
            if person is not None and not person.consent and _text(row.get(name_column)):
                life.updates.setdefault(row.key, {})[name_column] = ""
        listed = _text(row.get("alternatives"))
        if listed and withdrawn:
            cleaned = without_names(listed, withdrawn)
            if cleaned != listed:
                life.updates.setdefault(row.key, {})["alternatives"] = cleaned


def withdrawn_match_names(rows: list[WorkerRow], records: Records) -> Desired:
    """Koppelingen rows whose volunteer or family withdrew consent keep no name."""
    consent = {p.id: p.consent for p in (*records.volunteers, *records.families)}
    updates: Desired = {}
    for row in rows:
        for id_column, name_column in (("volunteer", "volunteer_name"), ("family", "family_name")):
            if _text(row.get(name_column)) and not consent.get(_text(row.get(id_column)), True):
                updates.setdefault(row.key, {})[name_column] = ""
    return updates
