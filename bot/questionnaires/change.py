"""Whether a change in a measure between two check-ins is big enough to mean something.

Each measure carries its own threshold in the data files (``meaningful_change``) with the
reasoning and sources beside it (``meaningful_change_basis``): for example 3 points for the
SWEMWBS metric score, 1 point for ONS4 life satisfaction. Reports use these to count people
who improved, stayed the same or got worse, alongside the group statistics.
"""

from __future__ import annotations

import enum

from bot.questionnaires.model import Direction, Measure, Questionnaire

# Metric scores are two-decimal floats; differences such as 23.21 - 20.21 must count as 3.
_TOLERANCE = 1e-9


class Change(enum.StrEnum):
    """An individual's change on one measure, judged against its meaningful change."""

    IMPROVED = "improved"
    NO_MEANINGFUL_CHANGE = "no meaningful change"
    WORSENED = "worsened"


def meaningful_change(questionnaire: Questionnaire, measure_id: str) -> float:
    """Returns the smallest change in ``measure_id`` that counts as meaningful.

    Raises:
        UnknownMeasureError: the questionnaire has no such measure.
    """
    return questionnaire.measure(measure_id).meaningful_change


def classify_change(measure: Measure, before: float, after: float) -> Change:
    """Judges one person's change on a measure, taking its direction into account.

    A change exactly equal to the threshold counts as meaningful.

    Args:
        measure: the measure compared.
        before: the earlier value.
        after: the later value.

    Returns:
        Whether the person improved, worsened or showed no meaningful change.
    """
    gain = after - before
    if measure.direction is Direction.HIGHER_IS_WORSE:
        gain = -gain
    if gain >= measure.meaningful_change - _TOLERANCE:
        return Change.IMPROVED
    if gain <= -measure.meaningful_change + _TOLERANCE:
        return Change.WORSENED
    return Change.NO_MEANINGFUL_CHANGE
