"""Candidate duplicate pairs among person rows, vectorised with numpy and rapidfuzz.

    pairs = candidate_pairs(records.identities, settings.duplicates)
    # [Candidate(first=Identity(GO-0012 ...), second=Identity(GO-0480 ...), phone=True, ...)]

Blocking keeps it fast: only rows that share a normalised phone number, e-mail address, or
the first letters of their names together with a birth year or 4-digit postcode are
compared, never all pairs.
Two rows are a candidate when they share a phone number or e-mail address, or when their
names are alike (``name_similarity`` percent or more, same first letters, initials agreeing)
and they share the birth year or the 4-digit postcode (a known, different birth year rules
the name out). Only tab pairs listed in the settings count.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein
from rapidfuzz.process import cpdist

from sow_sheets.duplicates.normalise import email_key, name_form, phone_key
from sow_sheets.duplicates.settings import PERSON_TABS, DuplicateSettings
from sow_sheets.model.records import Identity

Ints = npt.NDArray[np.int64]

# A phone number or e-mail address on more rows than this is an office's or a shared one
# (a partner typing its own number for people without one): it proves nothing.
SHARED_CONTACT = 8


class Candidate(NamedTuple):
    """Two rows that may describe one person, and why (the order is by ID)."""

    first: Identity
    second: Identity
    phone: bool
    email: bool
    name: int  # how alike the names are in percent, when that counts; else 0
    birth_year: bool
    pc4: bool


def _codes(values: Sequence[str]) -> Ints:
    """Each value's number among the distinct values; -1 for ""."""
    if not values:
        return np.zeros(0, dtype=np.int64)
    distinct, inverse = np.unique(np.asarray(values, dtype=object), return_inverse=True)
    codes = inverse.astype(np.int64)
    blank = np.flatnonzero(distinct == "")
    if len(blank):
        codes[codes == blank[0]] = -1
    return codes


def _shared_to_blank(codes: Ints) -> Ints:
    """Codes of a contact on more than ``SHARED_CONTACT`` rows become -1 (unknown)."""
    known = codes[codes >= 0]
    if not len(known):
        return codes
    counts = np.bincount(known)
    shared = np.flatnonzero(counts > SHARED_CONTACT)
    if len(shared):
        codes = np.where(np.isin(codes, shared), -1, codes)
    return codes


def _pairs_within(keys: Ints, rows: Ints) -> tuple[Ints, Ints]:
    """Every pair of rows that share a key."""
    if len(keys) < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    order = np.argsort(keys, kind="stable")
    keys, rows = keys[order], rows[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    sizes = np.diff(np.r_[starts, len(keys)])
    group = np.repeat(np.arange(len(starts)), sizes)
    position = np.arange(len(keys)) - starts[group]
    after = np.maximum(sizes[group] - position - 1, 0)
    total = int(after.sum())
    first = np.repeat(np.arange(len(keys)), after)
    offsets = np.arange(total) - np.repeat(np.cumsum(after) - after, after)
    return rows[first], rows[first + 1 + offsets]


def candidate_pairs(identities: Sequence[Identity], settings: DuplicateSettings) -> list[Candidate]:
    """Every pair of person rows that may be one person, by the settings' rules."""
    n = len(identities)
    if n < 2 or not settings.enabled:
        return []
    tab_index = {tab: i for i, tab in enumerate(PERSON_TABS)}
    allowed = np.zeros((len(PERSON_TABS), len(PERSON_TABS)), dtype=bool)
    for left, right in settings.pairs():
        allowed[tab_index[left], tab_index[right]] = allowed[tab_index[right], tab_index[left]] = (
            True
        )
    tab = np.fromiter((tab_index[p.tab] for p in identities), np.int64, n)
    year = np.fromiter((p.birth_year or -1 for p in identities), np.int64, n)
    pc4 = np.fromiter((p.pc4 or -1 for p in identities), np.int64, n)
    ident = _codes([p.id for p in identities])
    phone = _shared_to_blank(_codes([phone_key(p.phone) for p in identities]))
    email = _shared_to_blank(_codes([email_key(p.email) for p in identities]))
    forms = [name_form(p.name) for p in identities]
    full = np.asarray([f.full for f in forms], dtype=object)
    ordered = np.asarray([f.ordered for f in forms], dtype=object)
    initials = _codes([f.initials for f in forms])
    letters = _codes([f.letters for f in forms])

    # Blocks: contact keys, and the name's first letters with the birth year or the postcode
    # area (a name match needs those letters equal anyway, so no candidate is lost).
    everyone = np.arange(n, dtype=np.int64)
    blocks: list[tuple[Ints, Ints]] = [
        (phone[phone >= 0], everyone[phone >= 0]),
        (email[email >= 0], everyone[email >= 0]),
    ]
    for extra in (year, pc4):
        known = (extra >= 0) & (letters >= 0)
        blocks.append((letters[known] * 10_000 + extra[known], everyone[known]))
    firsts, seconds = [], []
    for keys, rows in blocks:
        a, b = _pairs_within(keys, rows)
        firsts.append(np.minimum(a, b))
        seconds.append(np.maximum(a, b))
    a, b = np.concatenate(firsts), np.concatenate(seconds)
    keep = (a != b) & allowed[tab[a], tab[b]] & (ident[a] != ident[b])
    unique = np.unique(a[keep] * n + b[keep])
    a, b = unique // n, unique % n

    same_phone = (phone[a] >= 0) & (phone[a] == phone[b])
    same_email = (email[a] >= 0) & (email[a] == email[b])
    same_year = (year[a] >= 0) & (year[a] == year[b])
    other_year = (year[a] >= 0) & (year[b] >= 0) & (year[a] != year[b])
    same_pc4 = (pc4[a] >= 0) & (pc4[a] == pc4[b])
    initials_a, initials_b = initials[a], initials[b]
    named = (same_year | same_pc4) & ~other_year & (letters[a] == letters[b])
    named &= (initials_a == initials_b) | (initials_a < 0) | (initials_b < 0)
    score = np.zeros(len(a), dtype=np.int64)  # percent alike (rapidfuzz ratio)
    edits = np.full(len(a), 99, dtype=np.int64)  # Damerau-Levenshtein distance
    one_initial = named & ((initials_a < 0) != (initials_b < 0))
    whole = np.flatnonzero(named & ~one_initial)
    if len(whole):
        left, right = full[a[whole]].tolist(), full[b[whole]].tolist()
        score[whole] = np.floor(cpdist(left, right, scorer=fuzz.ratio, workers=1) + 0.5)
        edits[whole] = cpdist(left, right, scorer=DamerauLevenshtein.distance, workers=1)
        # A typo can change the sorted order of words ("Hekveld, Henk"): also as written.
        as_written = cpdist(
            ordered[a[whole]].tolist(),
            ordered[b[whole]].tolist(),
            scorer=DamerauLevenshtein.distance,
            workers=1,
        )
        edits[whole] = np.minimum(edits[whole], as_written)
    partly = np.flatnonzero(one_initial)
    if len(partly):
        # "R. de Vries" and "Riet de Vries": the words of one are all in the other.
        left, right = full[a[partly]].tolist(), full[b[partly]].tolist()
        found = cpdist(left, right, scorer=fuzz.token_set_ratio, workers=1)
        score[partly] = np.floor(found + 0.5)
        edits[partly] = np.where(found >= 100, 1, 99)  # an initial is as weak as a typo
    # The same name (order, particles, accents and initials aside) needs the birth year or
    # the postcode area; a name one typo away needs the birth year, or the postcode area where
    # one row has no birth year.
    unknown_year = (year[a] < 0) | (year[b] < 0)
    typo = (edits <= settings.name_edits) & (score >= settings.name_similarity)
    name_ok = named & (
        ((edits == 0) & (same_year | same_pc4)) | (typo & (same_year | (same_pc4 & unknown_year)))
    )
    hit = np.flatnonzero(same_phone | same_email | name_ok)
    out = []
    for i in hit.tolist():
        first, second = identities[int(a[i])], identities[int(b[i])]
        if second.id < first.id:
            first, second = second, first
        out.append(
            Candidate(
                first,
                second,
                bool(same_phone[i]),
                bool(same_email[i]),
                int(score[i]) if name_ok[i] else 0,
                bool(same_year[i]),
                bool(same_pc4[i]),
            )
        )
    return out
