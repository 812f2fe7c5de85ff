"""Settings of duplicate detection (config section ``[duplicates]``), with the defaults.

Plain fields only, so the generic TOML loader can fill them; importing this loads no numpy.
"""

from __future__ import annotations

from dataclasses import dataclass

# The person tabs that can be compared (schema keys).
PERSON_TABS = ("grootouders", "gezinnen", "ouderen", "hulpvragen", "hulpaanbod")


@dataclass(frozen=True)
class DuplicateSettings:
    """Which tab pairs count as one role, and how alike two names must be."""

    enabled: bool = True
    # Two names that differ by a typo: at most this many letters added, left out, changed or
    # swapped (Damerau-Levenshtein), and at least this many percent alike (rapidfuzz ratio).
    # Names are compared without particles, accents and word order (see normalise.py).
    name_edits: int = 1
    name_similarity: int = 85
    # Pairs of tabs whose rows may describe the same person twice, as "tab+tab". An older
    # person who is both a volunteer (Grootouders) and a participant (Ouderen) is not a
    # duplicate, so that pair is not listed. Hulpvragen has a row per request, so it is
    # compared with Ouderen only (the same person asking more than once is no duplicate).
    tab_pairs: tuple[str, ...] = (
        "grootouders+grootouders",
        "gezinnen+gezinnen",
        "ouderen+ouderen",
        "hulpaanbod+hulpaanbod",
        "ouderen+hulpvragen",
    )

    def __post_init__(self) -> None:
        if isinstance(self.name_similarity, bool) or not 50 <= self.name_similarity <= 100:
            raise ValueError(
                f"name_similarity must be a whole number from 50 to 100, got "
                f"{self.name_similarity!r}"
            )
        if isinstance(self.name_edits, bool) or not 0 <= self.name_edits <= 3:
            raise ValueError(f"name_edits must be 0, 1, 2 or 3, got {self.name_edits!r}")
        self.pairs()

    def pairs(self) -> frozenset[tuple[str, str]]:
        """The tab pairs as sorted (tab, tab) tuples; an unknown tab is a ValueError."""
        found = set()
        for text in self.tab_pairs:
            left, plus, right = text.strip().casefold().partition("+")
            left, right = left.strip(), right.strip()
            if not plus or left not in PERSON_TABS or right not in PERSON_TABS:
                raise ValueError(
                    f'tab_pairs: expected "tab+tab" with tabs from {", ".join(PERSON_TABS)}, '
                    f'found "{text}"'
                )
            found.add((min(left, right), max(left, right)))
        return frozenset(found)
