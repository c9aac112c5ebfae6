"""Properties that hold for any partial set of valid answers to any shipped questionnaire."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.questionnaires import Questionnaire, SummaryMethod, all_questionnaires, score

Answers = dict[str, int]


@st.composite
def _partial_answers(draw: st.DrawFn) -> tuple[Questionnaire, Answers]:
    questionnaire = draw(st.sampled_from(all_questionnaires()))
    answers: Answers = {}
    for item in questionnaire.items:
        # None stands for "skipped": each item is either skipped or given an allowed value.
        value = draw(st.none() | st.sampled_from(item.allowed_values))
        if value is not None:
            answers[item.id] = value
    return questionnaire, answers


@given(_partial_answers())
def test_skipped_and_answered_items_partition_the_questionnaire(
    case: tuple[Questionnaire, Answers],
) -> None:
    questionnaire, answers = case
    scores = score(questionnaire, answers)
    assert set(scores.skipped) | set(scores.answers) == set(questionnaire.item_ids)
    assert not set(scores.skipped) & set(scores.answers)
    assert scores.complete == (not scores.skipped)
    assert dict(scores.answers) == answers


@given(_partial_answers())
def test_a_summary_exists_only_with_enough_answers(case: tuple[Questionnaire, Answers]) -> None:
    questionnaire, answers = case
    scores = score(questionnaire, answers)
    summary = questionnaire.summary
    if summary is None:
        assert scores.total is None and scores.mean is None and scores.metric_score is None
        return
    answered = [scores.item_values[i] for i in summary.item_ids if i in answers]
    enough = len(answered) >= summary.min_answered
    assert (summary.measure_id in scores.measures) == enough
    if summary.method is SummaryMethod.MEAN:
        assert scores.mean == (sum(answered) / len(answered) if enough else None)
    else:
        assert scores.total == (sum(answered) if enough else None)


@given(_partial_answers())
def test_item_measures_are_the_answers_and_every_banded_value_has_a_band(
    case: tuple[Questionnaire, Answers],
) -> None:
    questionnaire, answers = case
    scores = score(questionnaire, answers)
    for measure in questionnaire.measures:
        if measure.id in questionnaire.item_ids:
            assert scores.measures.get(measure.id) == answers.get(measure.id)
        if measure.bands and measure.id in scores.measures:
            assert scores.bands[measure.id].contains(scores.measures[measure.id])
    assert set(scores.bands) <= set(scores.measures)
