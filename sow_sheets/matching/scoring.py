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
    tree: cKDTree, xyz: FloatArray, radius: FloatArray, start: int
) -> tuple[IntArray, IntArray]:
    """Pairs whose straight-line (chord) distance is within the volunteer's maximum, for the
    volunteers ``start``.. (``xyz``/``radius`` of that slice; indices into the whole list).

    The chord is never longer than the great-circle distance, so this is a superset of the
    pairs within reach; the exact distance filters it afterwards.
    """
    hits = tree.query_ball_point(xyz, r=radius, return_sorted=False)
    lengths = np.fromiter((len(h) for h in hits), dtype=np.int64, count=len(hits))
    total = int(lengths.sum())
    fam = np.fromiter(itertools.chain.from_iterable(hits), dtype=np.int64, count=total)
    vol = np.repeat(np.arange(start, start + len(hits), dtype=np.int64), lengths)
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


def _age_part(low: FloatArray, high: FloatArray, pair_ages: FloatArray) -> FloatArray:
    """How close the children are to the middle of the volunteer's age range (0–1).

    ``low``/``high`` per row (NaN: no range), ``pair_ages`` rows of children's ages (NaN pads).
    """
    mid, half = (low + high) / 2, (high - low) / 2 + 1
    close = 1.0 - np.abs(pair_ages - mid[:, None]) / half[:, None]
    present = ~np.isnan(pair_ages)
    counts = present.sum(axis=1)
    sums = np.where(present, close, 0.0).sum(axis=1)
    part = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
    return np.where(np.isnan(low) | (counts == 0), _NEUTRAL, np.clip(part, 0.0, 1.0))


# Pairs are judged for a slice of volunteers at a time, about this many pairs per slice, so the
# arrays the rules need grow with the slice, not with volunteers × families (a dense town).
SLICE_PAIRS = 1 << 19
# The age part is looked up per (distinct age range, family) when that table stays this small.
AGE_TABLE_CELLS = 1 << 22


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


class _Graph:
    """What the rules and the score need of every person, computed once for all slices."""

    def __init__(
        self,
        volunteers: Sequence[Volunteer],
        families: Sequence[Family],
        today: dt.date,
        settings: MatchingSettings,
        excluded: Collection[tuple[str, str]],
    ) -> None:
        vs, fs = volunteers, families
        self.settings = settings
        self.n_families = len(fs)
        self.ok_v = np.array([volunteer_problem(v, today, settings) is None for v in vs], bool)
        self.ok_f = np.array([family_problem(f) is None for f in fs], bool)
        self.tree = cKDTree(_xyz(fs))
        self.xyz_v = _xyz(vs)
        self.radius = np.array([max(v.max_km, 0.0) for v in vs], dtype=np.float64)
        self.max_km = np.array([v.max_km for v in vs], np.float64)

        def coords(people: Sequence[Person]) -> tuple[FloatArray, FloatArray]:
            lat = np.array([p.point.lat if p.point else np.nan for p in people], np.float64)
            lon = np.array([p.point.lon if p.point else np.nan for p in people], np.float64)
            return lat, lon

        self.vlat, self.vlon = coords(vs)
        self.flat, self.flon = coords(fs)
        self.vlang, self.flang = _encode(
            [languages(v.languages) for v in vs], [languages(f.languages) for f in fs]
        )
        self.flang_count = _count(self.flang)
        self.pets = np.array([v.pets for v in vs], bool)
        self.no_pets = np.array([f.no_pets for f in fs], bool)
        self.smokes = np.array([v.smokes for v in vs], bool)
        self.smoke_free = np.array([f.smoke_free for f in fs], bool)
        big = 10**6
        self.low = np.array([v.child_ages[0] if v.child_ages else -big for v in vs], np.int64)
        self.high = np.array([v.child_ages[1] if v.child_ages else big for v in vs], np.int64)
        self.young = np.array([min(f.children, default=big) for f in fs], np.int64)
        self.old = np.array([max(f.children, default=-big) for f in fs], np.int64)
        self.vdays, self.fdays = _day_masks(vs), _day_masks(fs)
        self.vfreq, self.ffreq = _frequency_codes(vs), _frequency_codes(fs)
        self.vkind, self.fkind = _encode(
            [normalized(v.contact_kinds) for v in vs], [normalized(f.contact_kinds) for f in fs]
        )
        self.vkind_count, self.fkind_count = _count(self.vkind), _count(self.fkind)
        self.vint, self.fint = _encode(
            [normalized(v.interests) for v in vs], [normalized(f.interests) for f in fs]
        )
        self.vint_count, self.fint_count = _count(self.vint), _count(self.fint)
        waited = np.array(
            [max(0, (today - f.intake_date).days) if f.intake_date else 0 for f in fs],
            np.float64,
        )
        self.waiting = np.minimum(1.0, waited / settings.waiting_full_days)
        width = max([len(f.children) for f in fs] + [1])
        self.ages = np.full((len(fs), width), np.nan)
        for row, family in enumerate(fs):
            self.ages[row, : len(family.children)] = family.children
        bounds = np.array(
            [v.child_ages if v.child_ages else (np.nan, np.nan) for v in vs], np.float64
        )
        self.bounds = bounds.reshape(-1, 2)
        no_range = -(10.0**9)  # np.unique tells NaN rows apart; one stand-in joins them
        ranges, range_of = np.unique(
            np.nan_to_num(self.bounds, nan=no_range), axis=0, return_inverse=True
        )
        ranges[ranges == no_range] = np.nan
        self.range_of = range_of.reshape(-1)
        self.age_table: FloatArray | None = None
        if len(ranges) * len(fs) <= AGE_TABLE_CELLS and len(fs):
            # The same sums as per pair, once per distinct range: identical values, cheaper.
            low, high = np.repeat(ranges[:, 0], len(fs)), np.repeat(ranges[:, 1], len(fs))
            table = _age_part(low, high, np.tile(self.ages, (len(ranges), 1)))
            self.age_table = table.reshape(len(ranges), len(fs))
        v_index = {v.id: i for i, v in enumerate(vs)}
        f_index = {f.id: i for i, f in enumerate(fs)}
        self.excluded = np.array(
            [
                v_index[a] * len(fs) + f_index[b]
                for a, b in excluded
                if a in v_index and b in f_index
            ],
            np.int64,
        )
        self.has_excluded = np.zeros(len(vs), bool)
        self.has_excluded[self.excluded // max(len(fs), 1)] = True

    def slice(self, start: int, end: int) -> Candidates:
        """The eligible, scored pairs of volunteers ``start``..``end``."""
        vi, fi = _pairs_within(self.tree, self.xyz_v[start:end], self.radius[start:end], start)
        keep = self.ok_v[vi] & self.ok_f[fi]
        # The cheap rules first, so the exact distance is computed only for the pairs they keep.
        keep &= ~(self.pets[vi] & self.no_pets[fi]) & ~(self.smokes[vi] & self.smoke_free[fi])
        keep &= (self.young[fi] >= self.low[vi]) & (self.old[fi] <= self.high[vi])
        vi, fi = vi[keep], fi[keep]
        keep = _shared(self.vlang[vi], self.flang[fi]) > 0
        vi, fi = vi[keep], fi[keep]
        km = distances_km(self.vlat[vi], self.vlon[vi], self.flat[fi], self.flon[fi])
        keep = km <= self.max_km[vi]
        if len(self.excluded) and len(vi):
            # Only the pairs of volunteers with an excluded pair need the (slower) look-up.
            some = np.flatnonzero(self.has_excluded[vi])
            keep[some] &= ~np.isin(vi[some] * self.n_families + fi[some], self.excluded)
        vi, fi, km = vi[keep], fi[keep], km[keep]
        return Candidates(vi, fi, km, self._scores(vi, fi, km))

    def _scores(self, vi: IntArray, fi: IntArray, km: FloatArray) -> IntArray:
        """The soft score 0–100 of each pair (see docs: distance, days, contact, …)."""
        w = self.settings.weights
        max_km = self.max_km[vi]
        distance = np.where(max_km > 0, 1.0 - km / np.where(max_km > 0, max_km, 1.0), 1.0)
        vdays, fdays = self.vdays[vi], self.fdays[fi]
        days = _set_part(_popcount(vdays & fdays), vdays, fdays, 2)
        vfreq, ffreq = self.vfreq[vi], self.ffreq[fi]
        freq = np.where((vfreq < 0) | (ffreq < 0), _NEUTRAL, 1.0 - np.abs(vfreq - ffreq) / 2)
        shared_kinds = np.minimum(_shared(self.vkind[vi], self.fkind[fi]), 1)
        kinds = _set_part(shared_kinds, self.vkind_count[vi], self.fkind_count[fi], 1)
        shared_int = _shared(self.vint[vi], self.fint[fi])
        interests = _set_part(shared_int, self.vint_count[vi], self.fint_count[fi], 2)
        if self.age_table is not None:
            ages = self.age_table[self.range_of[vi], fi]
        else:
            ages = _age_part(self.bounds[vi, 0], self.bounds[vi, 1], self.ages[fi])
        waiting = self.waiting[fi]
        shared_lang = _shared(self.vlang[vi], self.flang[fi])
        language = shared_lang / np.maximum(self.flang_count[fi], 1)
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


def candidate_slices(
    volunteers: Sequence[Volunteer],
    families: Sequence[Family],
    today: dt.date,
    settings: MatchingSettings,
    excluded: Collection[tuple[str, str]] = (),
) -> Iterator[Candidates]:
    """``build_candidates`` a slice of volunteers at a time (indices into the whole lists), so a
    caller can keep the pairs compactly instead of holding every slice's arrays at once."""
    if not volunteers or not families:
        empty = np.zeros(0, dtype=np.int64)
        yield Candidates(empty, empty, np.zeros(0, np.float64), empty)
        return
    graph = _Graph(volunteers, families, today, settings, excluded)
    reach = np.asarray(graph.tree.query_ball_point(graph.xyz_v, r=graph.radius, return_length=True))
    cut = np.cumsum(reach) // SLICE_PAIRS
    bounds = sorted({0, *(np.flatnonzero(np.diff(cut)) + 1).tolist(), len(volunteers)})
    for start, end in itertools.pairwise(bounds):
        yield graph.slice(start, end)


def pair_km(
    volunteers: Sequence[Volunteer], families: Sequence[Family], vi: IntArray, fi: IntArray
) -> FloatArray:
    """The distance of the given pairs, exactly as the candidate graph computes it."""

    def coord(people: Sequence[Person], index: IntArray, lat: bool) -> FloatArray:
        return np.array(
            [
                (p.lat if lat else p.lon) if (p := people[i].point) else np.nan
                for i in index.tolist()
            ],
            np.float64,
        )

    return np.asarray(
        distances_km(
            coord(volunteers, vi, True),
            coord(volunteers, vi, False),
            coord(families, fi, True),
            coord(families, fi, False),
        ),
        np.float64,
    )


def pair_score(
    volunteer: Volunteer, family: Family, today: dt.date, settings: MatchingSettings
) -> int | None:
    """The score of one pair, or None when the pair is not eligible."""
    found = build_candidates([volunteer], [family], today, settings)
    return int(found.score[0]) if len(found) else None


__all__ = ["Candidates", "build_candidates", "candidate_slices", "pair_km", "pair_score"]
