"""Scoring: bands, totals, the mood check's storage, SWEMWBS conversion and partial answers."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from bot.questionnaires import Questionnaire, score

# Published ONS thresholds, typed here from the ONS guidance so the test does not trust the
# data file it checks. (measure, first value, last value, band id)
ONS4_BANDS = [
    *[
        (measure, low, high, band)
        for measure in ("life_satisfaction", "worthwhile", "happiness")
        for low, high, band in (
            (0, 4, "low"),
            (5, 6, "medium"),
            (7, 8, "high"),
            (9, 10, "very_high"),
        )
    ],
    ("anxiety", 0, 1, "very_low"),
    ("anxiety", 2, 3, "low"),
    ("anxiety", 4, 5, "medium"),
    ("anxiety", 6, 10, "high"),
]

# Stewart-Brown et al. 2009: SWEMWBS raw total to metric score.
ReferenceReader = Callable[[str], list[dict[str, str]]]

SWEMWBS_METRIC = {
    7: 7.00, 8: 9.51, 9: 11.25, 10: 12.40, 11: 13.33, 12: 14.08, 13: 14.75, 14: 15.32,
    15: 15.84, 16: 16.36, 17: 16.88, 18: 17.43, 19: 17.98, 20: 18.59, 21: 19.25, 22: 19.98,
    23: 20.73, 24: 21.54, 25: 22.35, 26: 23.21, 27: 24.11, 28: 25.03, 29: 26.02, 30: 27.03,
    31: 28.13, 32: 29.31, 33: 30.70, 34: 32.55, 35: 35.00,
}  # fmt: skip


def _ons4_cases() -> list[tuple[str, int, str]]:
    return [
        (measure, value, band)
        for measure, low, high, band in ONS4_BANDS
        for value in range(low, high + 1)
    ]


@pytest.mark.parametrize(("measure", "value", "band"), _ons4_cases())
def test_ons4_item_bands(ons4: Questionnaire, measure: str, value: int, band: str) -> None:
    scores = score(ons4, {measure: value})
    assert scores.measures == {measure: value}
    assert scores.bands[measure].id == band
    assert scores.band_labels[measure] == band.replace("_", " ")


def test_ons4_bands_match_the_reference_thresholds(
    ons4: Questionnaire, reference_csv: ReferenceReader
) -> None:
    rows = reference_csv("ons4_thresholds.csv")
    assert len(rows) == 16
    for row in rows:
        measure, band = row["measure"], row["band"]
        low, high = int(row["min_inclusive"]), int(row["max_inclusive"])
        # Both boundaries of every band, and the values just outside them.
        assert score(ons4, {measure: low}).bands[measure].id == band
        assert score(ons4, {measure: high}).bands[measure].id == band
        if low > 0:
            assert score(ons4, {measure: low - 1}).bands[measure].id != band
        if high < 10:
            assert score(ons4, {measure: high + 1}).bands[measure].id != band
    shipped = {(m.id, b.id, b.minimum, b.maximum) for m in ons4.measures for b in m.bands}
    reference = {
        (r["measure"], r["band"], float(r["min_inclusive"]), float(r["max_inclusive"]))
        for r in rows
    }
    assert shipped == reference


def test_ons4_has_no_total_because_ons_never_sums_it(ons4: Questionnaire) -> None:
    scores = score(ons4, dict.fromkeys(ons4.item_ids, 10))
    assert scores.complete
    assert scores.total is None and scores.mean is None and scores.metric_score is None
    assert dict(scores.measures) == dict.fromkeys(ons4.item_ids, 10)


@pytest.mark.parametrize("answer", list(itertools.product((1, 2, 3), repeat=3)))
def test_every_ucla_total(loneliness: Questionnaire, answer: tuple[int, int, int]) -> None:
    answers = dict(zip(("lack_companionship", "left_out", "isolated"), answer, strict=True))
    scores = score(loneliness, answers)
    expected = sum(answer)
    assert scores.total == expected
    assert scores.measures["ucla3_total"] == expected
    assert scores.bands["ucla3_total"].id == ("not_lonely" if expected <= 5 else "lonely")
    # The direct question was skipped, which does not stop the UCLA total.
    assert scores.skipped == ("lonely_direct",)
    assert not scores.complete


@pytest.mark.parametrize(
    ("value", "band"),
    [(1, "often_or_always"), (2, "sometimes"), (3, "sometimes"), (4, "rarely_or_never"),
     (5, "rarely_or_never")],
)  # fmt: skip
def test_direct_loneliness_is_scored_on_its_own(
    loneliness: Questionnaire, value: int, band: str
) -> None:
    scores = score(loneliness, {"lonely_direct": value})
    assert scores.measures == {"lonely_direct": value}
    assert scores.bands["lonely_direct"].id == band
    assert scores.total is None
    assert "ucla3_total" not in scores.measures


@pytest.mark.parametrize("missing", ["lack_companionship", "left_out", "isolated"])
def test_ucla_total_needs_all_three_items(loneliness: Questionnaire, missing: str) -> None:
    answers = {"lack_companionship": 3, "left_out": 3, "isolated": 3, "lonely_direct": 1}
    del answers[missing]
    scores = score(loneliness, answers)
    assert scores.total is None
    assert "ucla3_total" not in scores.measures
    assert scores.skipped == (missing,)
    # A skipped item is not scored as zero (or as anything else).
    assert missing not in scores.item_values


@pytest.mark.parametrize("button", range(11))
def test_mood_buttons_are_stored_times_ten(mood: Questionnaire, button: int) -> None:
    item = mood.item("happy")
    option = next(o for o in item.options if o.label == str(button))
    assert option.value == button * 10
    scores = score(mood, {"happy": option.value})
    assert scores.item_values["happy"] == button * 10
    assert scores.measures["happy"] == button * 10


def test_mood_mean_of_all_five_scales(mood: Questionnaire) -> None:
    answers = {"happy": 70, "interested": 80, "confident": 40, "relaxed": 50, "well": 60}
    scores = score(mood, answers)
    assert scores.complete
    assert scores.mean == pytest.approx(60.0)
    assert scores.measures["mood_mean"] == pytest.approx(60.0)
    assert {k: scores.measures[k] for k in answers} == answers


def test_mood_mean_uses_answered_scales_only_when_three_or_more(mood: Questionnaire) -> None:
    three = score(mood, {"happy": 0, "relaxed": 30, "well": 90})
    assert three.mean == pytest.approx(40.0)
    assert three.skipped == ("interested", "confident")
    two = score(mood, {"happy": 0, "well": 90})
    assert two.mean is None
    assert "mood_mean" not in two.measures
    assert two.measures == {"happy": 0, "well": 90}


def _swemwbs_answers(swemwbs: Questionnaire, raw: int, *, front: bool) -> dict[str, int]:
    """Seven answers of 1-5 that add up to ``raw``, piled at the front or the back."""
    values = [1] * 7
    extra = raw - 7
    order = range(7) if front else range(6, -1, -1)
    for index in order:
        step = min(4, extra)
        values[index] += step
        extra -= step
    assert sum(values) == raw
    return dict(zip(swemwbs.item_ids, values, strict=True))


@pytest.mark.parametrize("raw", range(7, 36))
def test_swemwbs_metric_for_every_raw_total(swemwbs: Questionnaire, raw: int) -> None:
    for front in (True, False):
        scores = score(swemwbs, _swemwbs_answers(swemwbs, raw, front=front))
        assert scores.complete
        assert scores.total == raw
        assert scores.metric_score == SWEMWBS_METRIC[raw]
        assert scores.measures == {"swemwbs_metric": SWEMWBS_METRIC[raw]}


def test_swemwbs_metric_matches_the_reference_table(
    swemwbs: Questionnaire, reference_csv: ReferenceReader
) -> None:
    rows = reference_csv("swemwbs_raw_to_metric.csv")
    assert [int(r["raw_score"]) for r in rows] == list(range(7, 36))
    for row in rows:
        raw = int(row["raw_score"])
        scores = score(swemwbs, _swemwbs_answers(swemwbs, raw, front=True))
        assert scores.metric_score == pytest.approx(float(row["metric_score"]), abs=1e-9), raw


def test_swemwbs_has_no_score_with_an_item_skipped(swemwbs: Questionnaire) -> None:
    answers = dict.fromkeys(swemwbs.item_ids[1:], 5)
    scores = score(swemwbs, answers)
    assert not scores.complete
    assert scores.skipped == (swemwbs.item_ids[0],)
    assert scores.total is None and scores.metric_score is None
    assert dict(scores.measures) == {}


def test_nothing_answered_scores_nothing(ons4: Questionnaire) -> None:
    scores = score(ons4, {})
    assert scores.skipped == ons4.item_ids
    assert not scores.complete
    assert dict(scores.measures) == {} and dict(scores.bands) == {}


def test_answers_come_back_in_asking_order(ons4: Questionnaire) -> None:
    scores = score(ons4, {"anxiety": 2, "life_satisfaction": 8})
    assert list(scores.answers) == ["life_satisfaction", "anxiety"]


def test_record_is_plain_data(loneliness: Questionnaire) -> None:
    record = score(loneliness, {"lack_companionship": 2, "left_out": 2, "isolated": 3}).to_record()
    assert record == {
        "questionnaire": "loneliness",
        "complete": False,
        "skipped": ["lonely_direct"],
        "total": 7,
        "mean": None,
        "metric_score": None,
        "measures": {"ucla3_total": 7},
        "bands": {"ucla3_total": "lonely"},
    }
