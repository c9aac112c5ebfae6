"""Meaningful change per measure, and classifying one person's change with its direction."""

from __future__ import annotations

import pytest

from bot.questionnaires import (
    Change,
    Questionnaire,
    UnknownMeasureError,
    all_questionnaires,
    classify_change,
    meaningful_change,
)


def test_chosen_thresholds() -> None:
    chosen = {
        (q.key, m.id): meaningful_change(q, m.id) for q in all_questionnaires() for m in q.measures
    }
    assert chosen == {
        ("ons4", "life_satisfaction"): 1,
        ("ons4", "worthwhile"): 1,
        ("ons4", "happiness"): 1,
        ("ons4", "anxiety"): 2,
        ("loneliness", "lonely_direct"): 1,
        ("loneliness", "ucla3_total"): 1,
        ("mood", "happy"): 10,
        ("mood", "interested"): 10,
        ("mood", "confident"): 10,
        ("mood", "relaxed"): 10,
        ("mood", "well"): 10,
        ("mood", "mood_mean"): 10,
        ("swemwbs", "swemwbs_metric"): 3,
    }


def test_swemwbs_basis_cites_its_source(swemwbs: Questionnaire) -> None:
    basis = swemwbs.measure("swemwbs_metric").meaningful_change_basis
    assert "Shah et al. 2018" in basis


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (5, 6, Change.IMPROVED),
        (5, 5, Change.NO_MEANINGFUL_CHANGE),
        (6, 5, Change.WORSENED),
        (0, 10, Change.IMPROVED),
    ],
)
def test_higher_is_better(ons4: Questionnaire, before: int, after: int, expected: Change) -> None:
    assert classify_change(ons4.measure("life_satisfaction"), before, after) is expected


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (8, 6, Change.IMPROVED),
        (8, 7, Change.NO_MEANINGFUL_CHANGE),
        (7, 8, Change.NO_MEANINGFUL_CHANGE),
        (6, 8, Change.WORSENED),
    ],
)
def test_anxiety_falling_is_an_improvement(
    ons4: Questionnaire, before: int, after: int, expected: Change
) -> None:
    assert classify_change(ons4.measure("anxiety"), before, after) is expected


def test_ucla_total_falling_is_an_improvement(loneliness: Questionnaire) -> None:
    measure = loneliness.measure("ucla3_total")
    assert classify_change(measure, 7, 6) is Change.IMPROVED
    assert classify_change(measure, 6, 7) is Change.WORSENED


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (20.73, 23.21, Change.NO_MEANINGFUL_CHANGE),  # 2.48 points
        (19.25, 22.35, Change.IMPROVED),  # 3.10 points
        (21.54, 24.54, Change.IMPROVED),  # exactly 3, despite floating point
        (24.11, 21.11, Change.WORSENED),
    ],
)
def test_swemwbs_metric_change(
    swemwbs: Questionnaire, before: float, after: float, expected: Change
) -> None:
    assert classify_change(swemwbs.measure("swemwbs_metric"), before, after) is expected


def test_unknown_measure(ons4: Questionnaire) -> None:
    with pytest.raises(UnknownMeasureError):
        meaningful_change(ons4, "ucla3_total")
