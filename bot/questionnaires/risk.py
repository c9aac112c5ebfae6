"""Safeguarding inputs: which answers crossed a per-item risk threshold.

The shipped thresholds live in the data files (for example life satisfaction at most 2,
anxiety at least 9) and are a starting point, not clinical advice: an organisation's
safeguarding lead may set its own and pass them in. A crossed threshold only tells
``services.safeguarding`` that a person should look; it decides what happens next.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.questionnaires.model import Questionnaire, RiskThreshold
from bot.questionnaires.scoring import validate_answers


def default_risk_thresholds(questionnaire: Questionnaire) -> list[RiskThreshold]:
    """Returns the thresholds shipped in the questionnaire's data file, in asking order."""
    return [item.risk for item in questionnaire.items if item.risk is not None]


def risk_flags(
    questionnaire: Questionnaire,
    answers: Mapping[str, int],
    thresholds: Iterable[RiskThreshold] | None = None,
) -> list[str]:
    """Returns the ids of answered items whose value crossed a risk threshold.

    Args:
        questionnaire: the questionnaire answered.
        answers: stored values keyed by item id (partial answers are fine: an item not
            answered cannot cross anything).
        thresholds: the thresholds to apply, on stored values (so a mood scale's "1" button
            is 10); None means the shipped defaults. Several thresholds may name one item
            (say "at most 1" and "at least 10"); it is listed once.

    Returns:
        Item ids in asking order.

    Raises:
        UnknownItemError: an answer or a threshold names an item the questionnaire lacks.
        InvalidAnswerError: an answer value is not one the item allows.
    """
    given = validate_answers(questionnaire, answers)
    chosen = default_risk_thresholds(questionnaire) if thresholds is None else list(thresholds)
    for threshold in chosen:
        # A threshold for a mistyped item would never fire; fail loudly instead.
        questionnaire.item(threshold.item_id)
    crossed = {
        threshold.item_id
        for threshold in chosen
        if threshold.item_id in given and threshold.crossed(given[threshold.item_id])
    }
    return [item_id for item_id in questionnaire.item_ids if item_id in crossed]
