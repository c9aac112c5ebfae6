"""Bands: named ranges of a measure ("low", "lonely") and the check that they fit it.

Bands turn a number into plain words for staff views and reports. Some come from the
publisher (ONS4), some are conventions an organisation may replace (UCLA 3–5 / 6–9), so the
check lives here and runs both when data files load and when a caller swaps bands in.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.questionnaires.errors import DefinitionError


@dataclass(frozen=True)
class Band:
    """A named range of a measure, inclusive at both ends, with a label in plain words."""

    id: str
    label: str
    minimum: float
    maximum: float

    def contains(self, value: float) -> bool:
        """Returns whether ``value`` falls in this band (both ends included)."""
        return self.minimum <= value <= self.maximum


def check_band_coverage(
    possible: tuple[float, ...] | None, bands: tuple[Band, ...], where: str
) -> None:
    """Checks that every possible value of a measure falls in exactly one band.

    Args:
        possible: the measure's possible values, or None for a continuous measure.
        bands: the bands to check; an empty tuple means "not banded" and always passes.
        where: a name for the measure, used in the error message.

    Raises:
        DefinitionError: a value is in no band or in two, or a continuous measure has bands.
    """
    if not bands:
        return
    if possible is None:
        raise DefinitionError(f"{where}: bands need a measure with a fixed set of values")
    ids = [band.id for band in bands]
    if len(set(ids)) != len(ids):
        raise DefinitionError(f"{where}: band ids repeat: {ids}")
    for band in bands:
        # A band no value can reach is a typo (say min 7, max 6) hiding behind good coverage.
        if not any(band.contains(value) for value in possible):
            raise DefinitionError(f"{where}: band {band.id!r} holds no possible value")
    for value in possible:
        holders = [band.id for band in bands if band.contains(value)]
        if len(holders) != 1:
            found = ", ".join(holders) or "no band"
            raise DefinitionError(f"{where}: value {value:g} falls in {found}; expected one band")
