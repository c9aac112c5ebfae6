"""Scores one filled-in questionnaire: item values, the summary score and bands in plain words.

How partial answers are scored (a skipped item is never counted as zero):

* Every answered item that is a measure on its own (each ONS4 question, each mood scale, the
  ONS direct loneliness question) is scored, whatever else was skipped.
* Sums (the UCLA total) and converted sums (the SWEMWBS metric score) exist only when every
  item in them was answered. Neither scale publishes a rule for pro-rating a missing item,
  and the SWEMWBS conversion table is defined for complete raw totals only.
* The mood mean is the mean of the scales answered, provided at least ``min_answered`` of
  them were (three of five in the shipped data).

Anything not computed is None and absent from ``Scores.measures``, so reports can tell
"not answered" from a low score.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from bot.questionnaires.bands import Band
from bot.questionnaires.errors import InvalidAnswerError
from bot.questionnaires.model import Questionnaire, SummaryMethod


def validate_answers(questionnaire: Questionnaire, answers: Mapping[str, int]) -> dict[str, int]:
    """Checks every answer against the questionnaire and returns them in asking order.

    Args:
        questionnaire: the questionnaire answered.
        answers: stored values keyed by item id; skipped items are simply absent.

    Returns:
        The same answers, ordered as the items are asked.

    Raises:
        UnknownItemError: an answer names an item the questionnaire does not have.
        InvalidAnswerError: a value is not one the item allows (booleans included: a
            ``True`` from a mangled callback is not the number 1).
    """
    for item_id in answers:
        questionnaire.item(item_id)
    ordered: dict[str, int] = {}
    for item in questionnaire.items:
        if item.id not in answers:
            continue
        value: object = answers[item.id]
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidAnswerError(item.id, value, item.allowed_values)
        item.option_for(value)
        ordered[item.id] = value
    return ordered


@dataclass(frozen=True)
class Scores:
    """The result of scoring one questionnaire.

    Attributes:
        questionnaire_key: which questionnaire was scored.
        answers: the stored values given, keyed by item id, in asking order.
        item_values: the values used in scores (after any reverse scoring), same keys.
        skipped: item ids not answered, in asking order.
        complete: whether every item was answered.
        total: the raw sum for sum and conversion summaries, when it could be computed.
        mean: the mean for a mean summary (the mood check), when it could be computed.
        metric_score: the converted score (SWEMWBS), when it could be computed.
        measures: every measure that could be computed, keyed by measure id.
        bands: the band of each banded measure in ``measures``.
    """

    questionnaire_key: str
    answers: Mapping[str, int]
    item_values: Mapping[str, int]
    skipped: tuple[str, ...]
    complete: bool
    total: int | None
    mean: float | None
    metric_score: float | None
    measures: Mapping[str, float]
    bands: Mapping[str, Band]

    @property
    def band_labels(self) -> dict[str, str]:
        """Each banded measure's band in plain words, e.g. ``{"anxiety": "very low"}``."""
        return {measure_id: band.label for measure_id, band in self.bands.items()}

    def to_record(self) -> dict[str, object]:
        """Returns the scores as plain JSON-ready values, for storing beside a check-in."""
        return {
            "questionnaire": self.questionnaire_key,
            "complete": self.complete,
            "skipped": list(self.skipped),
            "total": self.total,
            "mean": self.mean,
            "metric_score": self.metric_score,
            "measures": dict(self.measures),
            "bands": {measure_id: band.id for measure_id, band in self.bands.items()},
        }


def score(questionnaire: Questionnaire, answers: Mapping[str, int]) -> Scores:
    """Scores a set of answers, partial or complete.

    Args:
        questionnaire: the questionnaire answered.
        answers: stored values keyed by item id; leave skipped items out.

    Returns:
        Item values, the summary score when it can be computed (see the module notes on
        partial answers), every computable measure and its band.

    Raises:
        UnknownItemError: an answer names an item the questionnaire does not have.
        InvalidAnswerError: a value is not one the item allows.
    """
    given = validate_answers(questionnaire, answers)
    scored = {item_id: questionnaire.item(item_id).scored_value(v) for item_id, v in given.items()}
    measure_ids = {measure.id for measure in questionnaire.measures}
    measures: dict[str, float] = {i: v for i, v in scored.items() if i in measure_ids}
    total: int | None = None
    mean: float | None = None
    metric: float | None = None
    summary = questionnaire.summary
    if summary is not None:
        values = [scored[i] for i in summary.item_ids if i in scored]
        if len(values) >= summary.min_answered:
            if summary.method is SummaryMethod.MEAN:
                mean = sum(values) / len(values)
                measures[summary.measure_id] = mean
            else:
                total = sum(values)
                if summary.method is SummaryMethod.CONVERSION:
                    metric = summary.convert(total)
                    measures[summary.measure_id] = metric
                else:
                    measures[summary.measure_id] = total
    bands: dict[str, Band] = {}
    for measure_id, value in measures.items():
        band = questionnaire.measure(measure_id).band_for(value)
        if band is not None:
            bands[measure_id] = band
    skipped = tuple(item.id for item in questionnaire.items if item.id not in given)
    return Scores(
        questionnaire_key=questionnaire.key,
        answers=MappingProxyType(given),
        item_values=MappingProxyType(scored),
        skipped=skipped,
        complete=not skipped,
        total=total,
        mean=mean,
        metric_score=metric,
        measures=MappingProxyType(measures),
        bands=MappingProxyType(bands),
    )
