"""The parser refuses inconsistent definitions and honours reverse scoring and custom bands."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from bot.questionnaires import (
    Band,
    DefinitionError,
    Questionnaire,
    UnknownMeasureError,
    parse_questionnaire,
    score,
)

FIVE = [{"value": v, "label": label} for v, label in enumerate("abcde", start=1)]


def _document() -> dict[str, Any]:
    """A small valid questionnaire: three 1-5 items, one reverse-scored, summed to 3-15."""
    return {
        "key": "sample",
        "order": 9,
        "title": "Sample",
        "intro": "Three questions.",
        "statistical_scale": "ordinal",
        "source": "Written for these tests.",
        "items": [
            {"id": "a", "text": "First?", "direction": "higher_is_better", "options": FIVE},
            {
                "id": "b",
                "text": "Second?",
                "direction": "higher_is_better",
                "reverse_scored": True,
                "options": FIVE,
                "risk": {"at_most": 1},
            },
            {
                "id": "c",
                "text": "Third?",
                "direction": "higher_is_better",
                "options": FIVE,
                "measure": {
                    "label": "Third",
                    "meaningful_change": 1,
                    "meaningful_change_basis": "One step.",
                    "bands": [
                        {"id": "low", "label": "low", "min": 1, "max": 2},
                        {"id": "high", "label": "high", "min": 3, "max": 5},
                    ],
                },
            },
        ],
        "summary": {
            "measure_id": "total",
            "method": "sum",
            "items": ["a", "b", "c"],
            "measure": {
                "label": "Total",
                "direction": "higher_is_better",
                "meaningful_change": 2,
                "meaningful_change_basis": "Two steps.",
                "bands": [
                    {"id": "low", "label": "low", "min": 3, "max": 9},
                    {"id": "high", "label": "high", "min": 10, "max": 15},
                ],
            },
        },
    }


def _parse(document: dict[str, Any]) -> Questionnaire:
    return parse_questionnaire(yaml.safe_dump(document), "sample.yaml")


def test_the_sample_is_valid_and_reverse_scores_b() -> None:
    sample = _parse(_document())
    scores = score(sample, {"a": 5, "b": 1, "c": 2})
    # b answered 1 on a reversed 1-5 item scores 5.
    assert scores.answers == {"a": 5, "b": 1, "c": 2}
    assert scores.item_values == {"a": 5, "b": 5, "c": 2}
    assert scores.total == 12
    assert scores.band_labels == {"c": "low", "total": "high"}
    assert sample.possible_values("total") == tuple(float(v) for v in range(3, 16))


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        target: Any = document
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return change


def _drop(path: tuple[Any, ...]) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        target: Any = document
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]

    return change


BROKEN: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "missing key": (_drop(("key",)), "missing 'key'"),
    "duplicate item id": (_set(("items", 1, "id"), "a"), "item ids repeat: a"),
    "long button label": (
        _set(("items", 0, "options"), [{"value": 1, "label": "x" * 21}]),
        "21 characters, limit 20",
    ),
    "long question": (_set(("items", 0, "text"), "y" * 201), "201 characters, limit 200"),
    "repeated option value": (
        _set(("items", 0, "options"), [{"value": 1, "label": "p"}, {"value": 1, "label": "q"}]),
        "option values repeat",
    ),
    "unknown direction": (_set(("items", 0, "direction"), "sideways"), "not one of"),
    "order is not a number": (_set(("order",), True), "expected a whole number"),
    "no items": (_set(("items",), []), "non-empty list"),
    "band gap": (
        _set(("summary", "measure", "bands", 1, "min"), 11),
        "value 10 falls in no band",
    ),
    "band overlap": (
        _set(("summary", "measure", "bands", 1, "min"), 9),
        "value 9 falls in low, high",
    ),
    "empty band": (
        _set(
            ("items", 2, "measure", "bands"),
            [
                {"id": "all", "label": "all", "min": 1, "max": 5},
                {"id": "none", "label": "none", "min": 7, "max": 6},
            ],
        ),
        "band 'none' holds no possible value",
    ),
    "summary names an unknown item": (
        _set(("summary", "items"), ["a", "b", "z"]),
        "unknown items ['z']",
    ),
    "sum pro-rated": (_set(("summary", "min_answered"), 2), "sums need every item answered"),
    "uncrossable risk": (_set(("items", 1, "risk"), {"at_most": 0}), "no answer can cross"),
    "risk with both limits": (
        _set(("items", 1, "risk"), {"at_most": 1, "at_least": 5}),
        "exactly one limit",
    ),
    "zero meaningful change": (
        _set(("summary", "measure", "meaningful_change"), 0),
        "must be above zero",
    ),
    "summary named like an item": (_set(("summary", "measure_id"), "a"), "already an item id"),
    "licence without note": (_set(("licence_required",), True), "needs a licence_note"),
    "licence flag as text": (_set(("licence_required",), "yes"), "expected true or false"),
    "item id unfit for callback data": (_set(("items", 0, "id"), "First Item"), "not 1-24 of"),
    "misspelt field": (
        _set(("items", 1, "reverse_score"), True),
        "unknown fields ['reverse_score']",
    ),
    "item measure with its own direction": (
        _set(("items", 2, "measure", "direction"), "higher_is_worse"),
        "unknown fields ['direction']",
    ),
    "misspelt band field": (
        _set(("summary", "measure", "bands", 0, "maximum"), 9),
        "unknown fields ['maximum']",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_definitions_are_refused(case: str) -> None:
    change, message = BROKEN[case]
    document = copy.deepcopy(_document())
    change(document)
    with pytest.raises(DefinitionError) as caught:
        _parse(document)
    assert message in str(caught.value)
    assert "sample.yaml" in str(caught.value)


def test_conversion_table_must_cover_every_total() -> None:
    document = _document()
    summary = document["summary"]
    summary["method"] = "conversion"
    del summary["measure"]["bands"]
    summary["conversion"] = [{"raw": raw, "score": raw * 1.5} for raw in range(3, 15)]
    with pytest.raises(DefinitionError, match="needs one row per total 3–15"):
        _parse(document)
    summary["conversion"].append({"raw": 15, "score": 22.5})
    swapped = copy.deepcopy(document)
    swapped["summary"]["conversion"][4]["score"] = 100.0
    with pytest.raises(DefinitionError, match="score falls after raw 7"):
        _parse(swapped)
    converted = score(_parse(document), {"a": 1, "b": 5, "c": 1})
    assert (converted.total, converted.metric_score) == (3, 4.5)


def test_a_mean_cannot_be_banded() -> None:
    document = _document()
    document["summary"]["method"] = "mean"
    with pytest.raises(DefinitionError, match="bands need a measure with a fixed set of values"):
        _parse(document)


@pytest.mark.parametrize("text", ["key: [unclosed", "- just\n- a list\n", ""])
def test_text_that_is_not_a_questionnaire(text: str) -> None:
    with pytest.raises(DefinitionError, match=r"sample\.yaml"):
        parse_questionnaire(text, "sample.yaml")


def test_organisations_can_swap_the_ucla_banding(loneliness: Questionnaire) -> None:
    three_bands = (
        Band("low", "rarely lonely", 3, 4),
        Band("some", "sometimes lonely", 5, 6),
        Band("high", "often lonely", 7, 9),
    )
    custom = loneliness.with_bands("ucla3_total", three_bands)
    answers = {"lack_companionship": 2, "left_out": 2, "isolated": 2}
    assert score(custom, answers).band_labels == {"ucla3_total": "sometimes lonely"}
    # The shipped definition is untouched.
    assert score(loneliness, answers).band_labels == {"ucla3_total": "lonely"}


def test_swapped_bands_are_checked(loneliness: Questionnaire) -> None:
    with pytest.raises(DefinitionError, match="value 5 falls in no band"):
        loneliness.with_bands("ucla3_total", (Band("a", "a", 3, 4), Band("b", "b", 6, 9)))
    with pytest.raises(UnknownMeasureError):
        loneliness.with_bands("left_out", (Band("a", "a", 1, 3),))


def test_bands_can_be_removed(ons4: Questionnaire) -> None:
    plain = ons4.with_bands("anxiety", ())
    assert dict(score(plain, {"anxiety": 9}).bands) == {}
