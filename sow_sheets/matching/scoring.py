"""The candidate graph: every eligible volunteer–family pair with its distance and score.

Vectorised with numpy so that 10,000 × 10,000 people stay within seconds: a KD-tree finds the
pairs within each volunteer's maximum distance, then the hard constraints filter them and the
soft score (0–100, weights from the settings) is computed for all remaining pairs at once.
``match_eligibility.pair_problem`` is the one-pair reference this must agree with.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree

from sow_sheets.matching.eligibility import (
    family_problem,
    languages,
    normalized,
    volunteer_problem,
)
from sow_sheets.matching.settings import MatchingSettings
from sow_sheets.model.geo import EARTH_RADIUS_KM, distances_km
from sow_sheets.model.records import Family, Person, Volunteer
from sow_sheets.model.words import Frequency

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BitArray = npt.NDArray[np.uint64]
_NEUTRAL = 0.5  # a part scores this when one side left the cell empty (unknown, not bad)


@dataclass(frozen=True)
class Candidates:
    """Eligible pairs as parallel arrays; indices point into the lists given to the builder."""

    volunteer: IntArray
    family: IntArray
    km: FloatArray
    score: IntArray

    def __len__(self) -> int:
        return len(self.volunteer)


def _bits(sets: Sequence[frozenset[str]], vocabulary: dict[str, int]) -> BitArray:
    """Each set as a row of 64-bit words with one bit per vocabulary word."""
    words = max(1, (len(vocabulary) + 63) // 64)
    out = np.zeros((len(sets), words), dtype=np.uint64)
    for row, items in enumerate(sets):
        values = [0] * words
        for item in items:
            bit = vocabulary[item]
            values[bit // 64] |= 1 << (bit % 64)
        out[row] = values
    return out


def _encode(
    volunteer_sets: Sequence[frozenset[str]], family_sets: Sequence[frozenset[str]]
) -> tuple[BitArray, BitArray]:
    vocabulary: dict[str, int] = {}
    for items in itertools.chain(volunteer_sets, family_sets):
        for item in items:
            vocabulary.setdefault(item, len(vocabulary))
    return _bits(volunteer_sets, vocabulary), _bits(family_sets, vocabulary)


_BYTE_BITS = np.array([bin(i).count("1") for i in range(256)], dtype=np.int64)


def _popcount(a: npt.NDArray[np.uint64] | IntArray) -> IntArray:
    """Set bits per element (``np.bitwise_count`` where numpy 2 has it; a byte table on 1.26)."""
    if hasattr(np, "bitwise_count"):
        return np.asarray(np.bitwise_count(a), np.int64)
    as_bytes = np.ascontiguousarray(a, dtype=np.uint64).view(np.uint8)
    return np.asarray(_BYTE_BITS[as_bytes].reshape(*np.shape(a), 8).sum(axis=-1), np.int64)


def _shared(a: BitArray, b: BitArray) -> IntArray:
    if a.shape[1] == 1:  # up to 64 words: one word per row
        return _popcount(a[:, 0] & b[:, 0])
    return np.asarray(_popcount(a & b).sum(axis=1), np.int64)


def _count(a: BitArray) -> IntArray:
    return np.asarray(_popcount(a).sum(axis=1), np.int64)


def _xyz(people: Sequence[Person]) -> FloatArray:
    lat = np.radians([p.point.lat if p.point else 0.0 for p in people])
    lon = np.radians([p.point.lon if p.point else 0.0 for p in people])
    xyz = np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
    return np.asarray(xyz * EARTH_RADIUS_KM, dtype=np.float64).reshape(len(people), 3)


def _pairs_within(
    volunteers: Sequence[Volunteer], families: Sequence[Family]
) -> tuple[IntArray, IntArray]:
    """Pairs whose straight-line (chord) distance is within the volunteer's maximum.

    The chord is never longer than the great-circle distance, so this is a superset of the
    pairs within reach; the exact distance filters it afterwards.
    """
    if not volunteers or not families:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    tree = cKDTree(_xyz(families))
    radius = np.array([max(v.max_km, 0.0) for v in volunteers], dtype=np.float64)
    hits = tree.query_ball_point(_xyz(volunteers), r=radius, return_sorted=False)
    lengths = np.fromiter((len(h) for h in hits), dtype=np.int64, count=len(hits))
    total = int(lengths.sum())
    fam = np.fromiter(itertools.chain.from_iterable(hits), dtype=np.int64, count=total)
    vol = np.repeat(np.arange(len(volunteers), dtype=np.int64), lengths)
    return vol, fam


def _frequency_codes(people: Sequence[Volunteer] | Sequence[Family]) -> IntArray:
    codes = {str(name): i for i, name in enumerate(Frequency)}
    return np.array([codes.get((p.frequency or "").casefold(), -1) for p in people], np.int64)


def _day_masks(people: Sequence[Volunteer] | Sequence[Family]) -> IntArray:
    return np.array([sum(1 << d for d in p.days) for p in people], dtype=np.int64)


def _set_part(shared: IntArray, left: IntArray, right: IntArray, full_at: int) -> FloatArray:
    """Shared items scored up to ``full_at``; neutral when either side gave none."""
    part = np.minimum(1.0, shared / full_at)
    return np.where((left == 0) | (right == 0), _NEUTRAL, part)


def _age_part(
    volunteers: Sequence[Volunteer], families: Sequence[Family], vi: IntArray, fi: IntArray
) -> FloatArray:
    """How close the children are to the middle of the volunteer's age range (0–1)."""
    width = max([len(f.children) for f in families] + [1])
    ages = np.full((len(families), width), np.nan)
    for row, family in enumerate(families):
        ages[row, : len(family.children)] = family.children
    bounds = np.array(
        [v.child_ages if v.child_ages else (np.nan, np.nan) for v in volunteers]
    ).reshape(-1, 2)
    low, high = bounds[vi, 0], bounds[vi, 1]
    mid, half = (low + high) / 2, (high - low) / 2 + 1
    pair_ages = ages[fi]
    close = 1.0 - np.abs(pair_ages - mid[:, None]) / half[:, None]
    present = ~np.isnan(pair_ages)
    counts = present.sum(axis=1)
    sums = np.where(present, close, 0.0).sum(axis=1)
    part = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
    return np.where(np.isnan(low) | (counts == 0), _NEUTRAL, np.clip(part, 0.0, 1.0))


def _ages_ok(
    volunteers: Sequence[Volunteer], families: Sequence[Family], vi: IntArray, fi: IntArray
) -> npt.NDArray[np.bool_]:
    big = 10**6
    low = np.array([v.child_ages[0] if v.child_ages else -big for v in volunteers], np.int64)
    high = np.array([v.child_ages[1] if v.child_ages else big for v in volunteers], np.int64)
    young = np.array([min(f.children, default=big) for f in families], np.int64)
    old = np.array([max(f.children, default=-big) for f in families], np.int64)
    return np.asarray((young[fi] >= low[vi]) & (old[fi] <= high[vi]))


# Pairs are judged for a slice of volunteers at a time, about this many pairs per slice, so the
# arrays the rules need grow with the slice, not with volunteers × families (a dense town).
SLICE_PAIRS = 1 << 22


def build_candidates(
    volunteers: Sequence[Volunteer],
    families: Sequence[Family],
    today: dt.date,
    settings: MatchingSettings,
    excluded: Collection[tuple[str, str]] = (),
) -> Candidates:
    """All pairs that pass every hard constraint (except capacity), scored.

    ``excluded`` holds (volunteer ID, family ID) pairs that must never be proposed (rejected
    before, or matched before). Result order: by volunteer index, then family index.
    """
    parts = list(candidate_slices(volunteers, families, today, settings, excluded))
    if len(parts) == 1:
        return parts[0]
    return Candidates(
        np.concatenate([p.volunteer for p in parts]),
        np.concatenate([p.family for p in parts]),
        np.concatenate([p.km for p in parts]),
        np.concatenate([p.score for p in parts]),
    )


def candidate_slices(
    volunteers: Sequence[Volunteer],
    families: Sequence[Family],
    today: dt.date,
    settings: MatchingSettings,
    excluded: Collection[tuple[str, str]] = (),
) -> Iterator[Candidates]:
    """``build_candidates`` a slice of volunteers at a time (indices into the whole lists), so a
    caller can keep the pairs compactly instead of holding every slice's arrays at once."""
    bounds = _slices(volunteers, families)
    if len(bounds) <= 2:
        yield _build_slice(volunteers, families, today, settings, excluded)
        return
    for start, end in itertools.pairwise(bounds):
        part = _build_slice(volunteers[start:end], families, today, settings, excluded)
        yield Candidates(part.volunteer + start, part.family, part.km, part.score)


def pair_km(
    volunteers: Sequence[Volunteer], families: Sequence[Family], vi: IntArray, fi: IntArray
) -> FloatArray:
    """The distance of the given pairs, exactly as the candidate graph computes it."""
    vlat = np.array([volunteers[i].point.lat for i in vi.tolist()], np.float64)  # type: ignore[union-attr]
    vlon = np.array([volunteers[i].point.lon for i in vi.tolist()], np.float64)  # type: ignore[union-attr]
    flat = np.array([families[i].point.lat for i in fi.tolist()], np.float64)  # type: ignore[union-attr]
    flon = np.array([families[i].point.lon for i in fi.tolist()], np.float64)  # type: ignore[union-attr]
    return np.asarray(distances_km(vlat, vlon, flat, flon), np.float64)


def _slices(volunteers: Sequence[Volunteer], families: Sequence[Family]) -> list[int]:
    """Slice bounds over the volunteers with about ``SLICE_PAIRS`` pairs in reach each."""
    if not volunteers or not families:
        return [0, len(volunteers)]
    tree = cKDTree(_xyz(families))
    radius = np.array([max(v.max_km, 0.0) for v in volunteers], dtype=np.float64)
    reach = np.asarray(tree.query_ball_point(_xyz(volunteers), r=radius, return_length=True))
    cut = np.cumsum(reach) // SLICE_PAIRS
    bounds = [0, *(np.flatnonzero(np.diff(cut)) + 1).tolist(), len(volunteers)]
    return sorted(set(bounds))


def _build_slice(
    volunteers: Sequence[Volunteer],
    families: Sequence[Family],
    today: dt.date,
    settings: MatchingSettings,
    excluded: Collection[tuple[str, str]],
) -> Candidates:
    """``build_candidates`` for one slice of volunteers (indexes within the slice)."""
    ok_v = np.array([volunteer_problem(v, today, settings) is None for v in volunteers], bool)
    ok_f = np.array([family_problem(f) is None for f in families], bool)
    vi, fi = _pairs_within(volunteers, families)
    keep = ok_v[vi] & ok_f[fi] if len(vi) else np.zeros(0, bool)
    vi, fi = vi[keep], fi[keep]

    def coords(people: Sequence[Person]) -> tuple[FloatArray, FloatArray]:
        lat = np.array([p.point.lat if p.point else np.nan for p in people], np.float64)
        lon = np.array([p.point.lon if p.point else np.nan for p in people], np.float64)
        return lat, lon

    vlang, flang = _encode(
        [languages(v.languages) for v in volunteers], [languages(f.languages) for f in families]
    )
    pets = np.array([v.pets for v in volunteers], bool)
    no_pets = np.array([f.no_pets for f in families], bool)
    smokes = np.array([v.smokes for v in volunteers], bool)
    smoke_free = np.array([f.smoke_free for f in families], bool)
    # The cheap rules first, so the exact distance is computed only for the pairs they keep.
    keep = ~(pets[vi] & no_pets[fi]) & ~(smokes[vi] & smoke_free[fi])
    keep &= _ages_ok(volunteers, families, vi, fi)
    vi, fi = vi[keep], fi[keep]
    keep = _shared(vlang[vi], flang[fi]) > 0
    vi, fi = vi[keep], fi[keep]
    vlat, vlon = coords(volunteers)
    flat, flon = coords(families)
    km = distances_km(vlat[vi], vlon[vi], flat[fi], flon[fi])
    max_km = np.array([v.max_km for v in volunteers], np.float64)
    keep = km <= max_km[vi]
    if excluded and len(vi):
        v_index = {v.id: i for i, v in enumerate(volunteers)}
        f_index = {f.id: i for i, f in enumerate(families)}
        codes = [
            v_index[a] * len(families) + f_index[b]
            for a, b in excluded
            if a in v_index and b in f_index
        ]
        keep &= ~np.isin(vi * len(families) + fi, np.array(codes, np.int64))
    vi, fi, km = vi[keep], fi[keep], km[keep]
    score = _scores(volunteers, families, vi, fi, km, today, settings, (vlang, flang))
    return Candidates(vi, fi, km, score)


def _scores(
    volunteers: Sequence[Volunteer],
    families: Sequence[Family],
    vi: IntArray,
    fi: IntArray,
    km: FloatArray,
    today: dt.date,
    settings: MatchingSettings,
    langs: tuple[BitArray, BitArray],
) -> IntArray:
    """The soft score 0–100 of each pair (see docs: distance, days, contact, …)."""
    w = settings.weights
    max_km = np.array([v.max_km for v in volunteers], np.float64)[vi]
    distance = np.where(max_km > 0, 1.0 - km / np.where(max_km > 0, max_km, 1.0), 1.0)
    vdays, fdays = _day_masks(volunteers)[vi], _day_masks(families)[fi]
    shared_days = _popcount(vdays & fdays)
    days = _set_part(shared_days, vdays, fdays, 2)
    vfreq, ffreq = _frequency_codes(volunteers)[vi], _frequency_codes(families)[fi]
    freq = np.where((vfreq < 0) | (ffreq < 0), _NEUTRAL, 1.0 - np.abs(vfreq - ffreq) / 2)
    vkind, fkind = _encode(
        [normalized(v.contact_kinds) for v in volunteers],
        [normalized(f.contact_kinds) for f in families],
    )
    kinds = _set_part(
        np.minimum(_shared(vkind[vi], fkind[fi]), 1), _count(vkind)[vi], _count(fkind)[fi], 1
    )
    vint, fint = _encode(
        [normalized(v.interests) for v in volunteers], [normalized(f.interests) for f in families]
    )
    interests = _set_part(_shared(vint[vi], fint[fi]), _count(vint)[vi], _count(fint)[fi], 2)
    ages = _age_part(volunteers, families, vi, fi)
    waited = np.array(
        [max(0, (today - f.intake_date).days) if f.intake_date else 0 for f in families],
        np.float64,
    )
    waiting = np.minimum(1.0, waited[fi] / settings.waiting_full_days)
    vlang, flang = langs
    language = _shared(vlang[vi], flang[fi]) / np.maximum(_count(flang)[fi], 1)
    total = (
        w.distance * distance
        + w.days * days
        + w.contact * (freq + kinds) / 2
        + w.interests * interests
        + w.ages * ages
        + w.waiting * waiting
        + w.languages * language
    )
    score = np.floor(100.0 * total / w.total + 0.5)
    return np.clip(score, 0, 100).astype(np.int64)


def pair_score(
    volunteer: Volunteer, family: Family, today: dt.date, settings: MatchingSettings
) -> int | None:
    """The score of one pair, or None when the pair is not eligible."""
    found = build_candidates([volunteer], [family], today, settings)
    return int(found.score[0]) if len(found) else None


__all__ = ["Candidates", "build_candidates", "candidate_slices", "pair_km", "pair_score"]
