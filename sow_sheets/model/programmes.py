"""Settings more than one engine reads: paused programmes (``[programmes]``) and the known
neighbourhoods (``[neighbourhoods]``). Plain fields, so the generic TOML loader fills them."""

from __future__ import annotations

from dataclasses import dataclass

from sow_sheets.model.words import is_neighbourhood_code


@dataclass(frozen=True)
class ProgrammeSettings:
    """``[programmes]``: programmes on hold. A paused programme gets no new activity
    suggestions, and its seasonal outreach rule asks for a phone call instead."""

    paused: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if isinstance(self.paused, list):
            object.__setattr__(self, "paused", tuple(self.paused))
        for name in self.paused:
            if not isinstance(name, str) or not name.strip():
                raise ValueError(f"paused must list programme names, found {name!r}")

    def is_paused(self, programme: str) -> bool:
        """Whether ``programme`` (as typed in `Programma`) is paused; case does not matter."""
        wanted = programme.strip().casefold()
        return bool(wanted) and any(p.strip().casefold() == wanted for p in self.paused)

    def with_paused(self, names: tuple[str, ...]) -> ProgrammeSettings:
        """These settings with ``names`` paused too (the config's pauses and the sheet's)."""
        extra = tuple(n for n in names if n.strip() and not self.is_paused(n))
        return ProgrammeSettings((*self.paused, *extra)) if extra else self


@dataclass(frozen=True)
class NeighbourhoodSettings:
    """``[neighbourhoods]``: the neighbourhood codes a `wijkgesprek` may name. Empty = any code
    of the right form; otherwise an unknown code is a data signal."""

    codes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if isinstance(self.codes, list):
            object.__setattr__(self, "codes", tuple(self.codes))
        for code in self.codes:
            if not isinstance(code, str) or not is_neighbourhood_code(code):
                raise ValueError(
                    f"codes must be neighbourhood codes like WIJK-ROKKEVEEN, found {code!r}"
                )

    def known(self, code: str) -> bool:
        """Whether ``code`` is a configured neighbourhood (any code when none are configured)."""
        return not self.codes or code.strip().upper() in {c.strip().upper() for c in self.codes}


NONE_PAUSED = ProgrammeSettings()
ANY_NEIGHBOURHOOD = NeighbourhoodSettings()
