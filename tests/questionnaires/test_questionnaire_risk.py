"""Safeguarding inputs: answers that cross a per-item risk threshold are reported."""

from __future__ import annotations

import pytest

from bot.questionnaires import (
    InvalidAnswerError,
    Questionnaire,
    RiskThreshold,
    UnknownItemError,
    default_risk_thresholds,
    load_questionnaire,
    risk_flags,
)


def test_shipped_thresholds() -> None:
    shipped = {
        key: default_risk_thresholds(load_questionnaire(key))
        for key in ("ons4", "loneliness", "mood", "swemwbs")
    }
    assert shipped == {
        "ons4": [
            RiskThreshold("life_satisfaction", at_most=2),
            RiskThreshold("worthwhile", at_most=2),
            RiskThreshold("anxiety", at_least=9),
        ],
        "loneliness": [RiskThreshold("lonely_direct", at_most=1)],
        "mood": [RiskThreshold("well", at_most=10)],
        "swemwbs": [],
    }


@pytest.mark.parametrize(
    ("life_satisfaction", "flagged"), [(0, True), (1, True), (2, True), (3, False), (10, False)]
)
def test_low_life_satisfaction(ons4: Questionnaire, life_satisfaction: int, flagged: bool) -> None:
    flags = risk_flags(ons4, {"life_satisfaction": life_satisfaction})
    assert flags == (["life_satisfaction"] if flagged else [])


@pytest.mark.parametrize(("anxiety", "flagged"), [(8, False), (9, True), (10, True), (0, False)])
def test_high_anxiety(ons4: Questionnaire, anxiety: int, flagged: bool) -> None:
    assert risk_flags(ons4, {"anxiety": anxiety}) == (["anxiety"] if flagged else [])


def test_flags_come_in_asking_order(ons4: Questionnaire) -> None:
    answers = {"anxiety": 10, "happiness": 0, "worthwhile": 1, "life_satisfaction": 2}
    assert risk_flags(ons4, answers) == ["life_satisfaction", "worthwhile", "anxiety"]


def test_mood_thresholds_are_on_stored_values(mood: Questionnaire) -> None:
    assert risk_flags(mood, {"well": 10}) == ["well"]
    assert risk_flags(mood, {"well": 20}) == []


def test_chronic_loneliness(loneliness: Questionnaire) -> None:
    assert risk_flags(loneliness, {"lonely_direct": 1}) == ["lonely_direct"]
    assert risk_flags(loneliness, {"lonely_direct": 2, "isolated": 3}) == []


def test_caller_thresholds_replace_the_defaults(ons4: Questionnaire) -> None:
    stricter = [
        RiskThreshold("life_satisfaction", at_most=4),
        RiskThreshold("happiness", at_most=1),
    ]
    answers = {"life_satisfaction": 4, "happiness": 1, "anxiety": 10}
    # Anxiety 10 is not flagged: the caller's list has no anxiety threshold.
    assert risk_flags(ons4, answers, stricter) == ["life_satisfaction", "happiness"]
    assert risk_flags(ons4, answers, []) == []


def test_two_thresholds_on_one_item_flag_it_once(ons4: Questionnaire) -> None:
    both_ends = [RiskThreshold("anxiety", at_most=0), RiskThreshold("anxiety", at_least=0)]
    assert risk_flags(ons4, {"anxiety": 0}, both_ends) == ["anxiety"]


def test_unanswered_items_cannot_cross(ons4: Questionnaire) -> None:
    assert risk_flags(ons4, {}) == []


def test_threshold_for_an_unknown_item_is_refused(ons4: Questionnaire) -> None:
    with pytest.raises(UnknownItemError):
        risk_flags(ons4, {"anxiety": 9}, [RiskThreshold("anxiousness", at_least=9)])


def test_invalid_answers_are_refused(ons4: Questionnaire) -> None:
    with pytest.raises(InvalidAnswerError):
        risk_flags(ons4, {"anxiety": 90})


@pytest.mark.parametrize("limits", [{}, {"at_most": 2, "at_least": 9}])
def test_a_threshold_needs_exactly_one_limit(limits: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="exactly one limit"):
        RiskThreshold("anxiety", **limits)
