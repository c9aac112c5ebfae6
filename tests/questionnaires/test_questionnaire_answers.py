"""Answers that a questionnaire does not allow are refused with a clear error, never scored."""

from __future__ import annotations

import pytest

from bot.questionnaires import (
    AnswerError,
    InvalidAnswerError,
    Questionnaire,
    UnknownItemError,
    score,
    validate_answers,
)


@pytest.mark.parametrize("value", [-1, 11, 100])
def test_ons4_values_outside_zero_to_ten(ons4: Questionnaire, value: int) -> None:
    with pytest.raises(InvalidAnswerError) as caught:
        score(ons4, {"anxiety": value})
    assert caught.value.item_id == "anxiety"
    assert caught.value.value == value
    assert caught.value.allowed == tuple(range(11))
    assert "anxiety" in str(caught.value)


@pytest.mark.parametrize("value", [7, 5, 101, -10])
def test_mood_refuses_button_numbers_and_in_between_values(mood: Questionnaire, value: int) -> None:
    # The stored value is the button times ten, so a raw button number is a bug upstream.
    with pytest.raises(InvalidAnswerError):
        score(mood, {"happy": value})


@pytest.mark.parametrize("value", [0, 4])
def test_ucla_codes_are_one_to_three(loneliness: Questionnaire, value: int) -> None:
    with pytest.raises(InvalidAnswerError):
        score(loneliness, {"left_out": value})


@pytest.mark.parametrize("value", [True, 3.0, "3", None])
def test_values_must_be_whole_numbers(ons4: Questionnaire, value: object) -> None:
    with pytest.raises(InvalidAnswerError):
        score(ons4, {"happiness": value})  # type: ignore[dict-item]


def test_an_item_from_another_questionnaire_is_refused(ons4: Questionnaire) -> None:
    with pytest.raises(UnknownItemError) as caught:
        score(ons4, {"life_satisfaction": 5, "happy": 70})
    assert caught.value.item_id == "happy"
    assert caught.value.questionnaire_key == "ons4"


def test_answer_errors_are_value_errors(ons4: Questionnaire) -> None:
    # Handlers catch ValueError (or AnswerError) to tell the person the button was stale.
    for bad in ({"anxiety": 12}, {"unknown": 1}):
        with pytest.raises(AnswerError):
            validate_answers(ons4, bad)
        with pytest.raises(ValueError):
            validate_answers(ons4, bad)


def test_valid_answers_pass_unchanged(ons4: Questionnaire) -> None:
    answers = {"worthwhile": 0, "anxiety": 10}
    assert validate_answers(ons4, answers) == answers


def test_option_lookup_by_stored_value(mood: Questionnaire) -> None:
    item = mood.item("relaxed")
    assert item.option_for(30).label == "3"
    with pytest.raises(InvalidAnswerError):
        item.option_for(3)


def test_unknown_item_lookup(ons4: Questionnaire) -> None:
    with pytest.raises(UnknownItemError):
        ons4.item("lonely_direct")
