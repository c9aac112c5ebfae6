"""The shipped data files load, agree with themselves and fit on a phone."""

from __future__ import annotations

from importlib import resources

import pytest

from bot.questionnaires import (
    MAX_BUTTON_LABEL,
    MAX_QUESTION_TEXT,
    Direction,
    Questionnaire,
    StatisticalScale,
    UnknownQuestionnaireError,
    all_questionnaires,
    available_questionnaires,
    load_questionnaire,
    questionnaire_keys,
)

SHIPPED = ("ons4", "loneliness", "mood", "swemwbs")


def test_every_yaml_file_is_a_loadable_questionnaire() -> None:
    files = sorted(
        entry.name.removesuffix(".yaml")
        for entry in resources.files("bot.questionnaires").iterdir()
        if entry.name.endswith(".yaml")
    )
    assert files == sorted(SHIPPED)
    assert questionnaire_keys() == tuple(files)
    assert [q.key for q in all_questionnaires()] == list(SHIPPED)


@pytest.mark.parametrize("key", SHIPPED)
def test_item_ids_are_unique(key: str) -> None:
    ids = load_questionnaire(key).item_ids
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("key", SHIPPED)
def test_measure_ids_are_unique_and_item_measures_match_items(key: str) -> None:
    questionnaire = load_questionnaire(key)
    ids = [m.id for m in questionnaire.measures]
    assert len(set(ids)) == len(ids)
    summary_id = questionnaire.summary.measure_id if questionnaire.summary else None
    assert set(ids) - {summary_id} <= set(questionnaire.item_ids)


@pytest.mark.parametrize("key", SHIPPED)
def test_options_are_unique_and_within_the_item_range(key: str) -> None:
    for item in load_questionnaire(key).items:
        values = [option.value for option in item.options]
        assert len(set(values)) == len(values), item.id
        assert all(item.minimum <= v <= item.maximum for v in values)
        assert values == sorted(values), f"{item.id}: buttons should run low to high"
        labels = [option.label for option in item.options]
        assert len(set(labels)) == len(labels), item.id


@pytest.mark.parametrize("key", SHIPPED)
def test_text_fits_on_a_phone(key: str) -> None:
    for item in load_questionnaire(key).items:
        assert 0 < len(item.text) <= MAX_QUESTION_TEXT, item.id
        assert item.hint is None or len(item.hint) <= MAX_QUESTION_TEXT, item.id
        for option in item.options:
            assert 0 < len(option.label) <= 20, (item.id, option.label)
    assert MAX_BUTTON_LABEL == 20
    assert MAX_QUESTION_TEXT == 200


@pytest.mark.parametrize("key", SHIPPED)
def test_every_measure_explains_its_meaningful_change(key: str) -> None:
    for measure in load_questionnaire(key).measures:
        assert measure.meaningful_change > 0
        assert len(measure.meaningful_change_basis) > 80, measure.id


def test_ons4_matches_the_published_wording(ons4: Questionnaire) -> None:
    assert [item.text for item in ons4.items] == [
        "Overall, how satisfied are you with your life nowadays?",
        "Overall, to what extent do you feel that the things you do in your life are worthwhile?",
        "Overall, how happy did you feel yesterday?",
        "Overall, how anxious did you feel yesterday?",
    ]
    for item in ons4.items:
        assert item.allowed_values == tuple(range(11))
        assert not item.reverse_scored
    assert ons4.item("anxiety").direction is Direction.HIGHER_IS_WORSE
    assert {ons4.item(i).direction for i in ("life_satisfaction", "worthwhile", "happiness")} == {
        Direction.HIGHER_IS_BETTER
    }


def test_loneliness_items_and_codes(loneliness: Questionnaire) -> None:
    assert loneliness.item_ids == ("lack_companionship", "left_out", "isolated", "lonely_direct")
    for item_id in ("lack_companionship", "left_out", "isolated"):
        item = loneliness.item(item_id)
        assert [(o.value, o.label) for o in item.options] == [
            (1, "Hardly ever or never"),
            (2, "Some of the time"),
            (3, "Often"),
        ]
        assert item.direction is Direction.HIGHER_IS_WORSE
    direct = loneliness.item("lonely_direct")
    assert [o.label for o in direct.options] == [
        "Often/always",
        "Some of the time",
        "Occasionally",
        "Hardly ever",
        "Never",
    ]
    assert direct.allowed_values == (1, 2, 3, 4, 5)
    assert direct.direction is Direction.HIGHER_IS_BETTER


def test_mood_buttons_show_zero_to_ten_and_store_tenfold(mood: Questionnaire) -> None:
    assert mood.item_ids == ("happy", "interested", "confident", "relaxed", "well")
    for item in mood.items:
        assert [(o.label, o.value) for o in item.options] == [(str(n), n * 10) for n in range(11)]
        assert item.direction is Direction.HIGHER_IS_BETTER


def test_statistical_scales_choose_the_paired_test() -> None:
    scales = {q.key: q.statistical_scale for q in all_questionnaires()}
    assert scales == {
        "ons4": StatisticalScale.ORDINAL,
        "loneliness": StatisticalScale.ORDINAL,
        "mood": StatisticalScale.ORDINAL,
        "swemwbs": StatisticalScale.METRIC,
    }
    assert StatisticalScale.ORDINAL.paired_test == "wilcoxon"
    assert StatisticalScale.METRIC.paired_test == "paired_t"


def test_only_swemwbs_needs_a_licence(swemwbs: Questionnaire) -> None:
    assert [q.key for q in all_questionnaires() if q.licence_required] == ["swemwbs"]
    assert swemwbs.licence_note is not None
    assert "NHS Health Scotland" in swemwbs.licence_note


def test_swemwbs_is_offered_only_when_licensed() -> None:
    assert [q.key for q in available_questionnaires(swemwbs_licensed=False)] == [
        "ons4",
        "loneliness",
        "mood",
    ]
    assert [q.key for q in available_questionnaires(swemwbs_licensed=True)] == list(SHIPPED)


def test_loading_twice_returns_the_same_definition() -> None:
    assert load_questionnaire("ons4") is load_questionnaire("ons4")


@pytest.mark.parametrize("key", ["nope", "../ons4", "ONS4", "", "ons4.yaml"])
def test_unknown_keys_are_refused(key: str) -> None:
    with pytest.raises(UnknownQuestionnaireError) as caught:
        load_questionnaire(key)
    assert isinstance(caught.value, LookupError)
    assert "ons4" in str(caught.value)
