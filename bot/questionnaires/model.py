"""Questionnaire definitions as typed, frozen values.

A `Questionnaire` is a list of `Item`s (one question each, answered on buttons), the
`Measure`s that come out of it (an item on its own, or a summary such as a total), and how
those measures behave in analysis: which direction is better, how big a change means
something, and which paired test suits the scale. The values are built from the YAML files
in this package by `bot.questionnaires.parser` and never change afterwards.

Answers are always the *stored* value of an option (for the mood check, a 0–10 button is
stored as 0–100), so everything downstream works on one set of numbers.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace

from bot.questionnaires.bands import Band, check_band_coverage
from bot.questionnaires.errors import InvalidAnswerError, UnknownItemError, UnknownMeasureError


class Direction(enum.StrEnum):
    """Which way is good news for a measure."""

    HIGHER_IS_BETTER = "higher_is_better"
    HIGHER_IS_WORSE = "higher_is_worse"


class StatisticalScale(enum.StrEnum):
    """How a questionnaire's numbers may be analysed, which decides the paired test.

    Single 0–10 ratings and short sum scores are ordinal: the distance between 2 and 3 need
    not equal the distance between 8 and 9, so pre/post change is tested with the Wilcoxon
    signed-rank test. SWEMWBS metric scores are Rasch-transformed to an interval scale and
    roughly normal, which is what the paired t-test assumes.
    """

    ORDINAL = "ordinal"
    METRIC = "metric"

    @property
    def paired_test(self) -> str:
        """The name of the paired test for this scale: ``"wilcoxon"`` or ``"paired_t"``."""
        return "wilcoxon" if self is StatisticalScale.ORDINAL else "paired_t"


class SummaryMethod(enum.StrEnum):
    """How a questionnaire's summary measure is computed from its items."""

    SUM = "sum"
    MEAN = "mean"
    CONVERSION = "conversion"  # the raw sum looked up in a published conversion table


@dataclass(frozen=True)
class Option:
    """One answer button: the value stored in the database and the label on the button."""

    value: int
    label: str


@dataclass(frozen=True)
class RiskThreshold:
    """A per-item safeguarding trigger on the stored value: at most, or at least, a limit.

    Crossing a threshold does not diagnose anything; it asks a person (the link worker) to
    look. Thresholds ship as data and callers may pass their own.
    """

    item_id: str
    at_most: int | None = None
    at_least: int | None = None

    def __post_init__(self) -> None:
        if (self.at_most is None) == (self.at_least is None):
            raise ValueError(f"risk threshold for {self.item_id!r} needs exactly one limit")

    def crossed(self, value: int) -> bool:
        """Returns whether a stored answer ``value`` reaches this threshold."""
        if self.at_most is not None:
            return value <= self.at_most
        return self.at_least is not None and value >= self.at_least


@dataclass(frozen=True)
class Item:
    """One question with its answer buttons."""

    id: str
    text: str
    hint: str | None
    options: tuple[Option, ...]
    direction: Direction
    reverse_scored: bool = False
    risk: RiskThreshold | None = None

    @property
    def allowed_values(self) -> tuple[int, ...]:
        """The stored values this item accepts, in button order."""
        return tuple(option.value for option in self.options)

    @property
    def minimum(self) -> int:
        """The smallest stored value."""
        return min(self.allowed_values)

    @property
    def maximum(self) -> int:
        """The largest stored value."""
        return max(self.allowed_values)

    def option_for(self, value: int) -> Option:
        """Returns the option whose stored value is ``value``.

        Raises:
            InvalidAnswerError: no option stores that value.
        """
        for option in self.options:
            if option.value == value:
                return option
        raise InvalidAnswerError(self.id, value, self.allowed_values)

    def scored_value(self, value: int) -> int:
        """Returns the value used in scores: reversed within the item's range if needed."""
        self.option_for(value)
        return self.minimum + self.maximum - value if self.reverse_scored else value


@dataclass(frozen=True)
class Measure:
    """A number reports track over time: one item's score, or a questionnaire summary."""

    id: str
    label: str
    direction: Direction
    meaningful_change: float
    meaningful_change_basis: str
    bands: tuple[Band, ...] = ()

    def band_for(self, value: float) -> Band | None:
        """Returns the band holding ``value``, or None when the measure has no bands."""
        return next((band for band in self.bands if band.contains(value)), None)


@dataclass(frozen=True)
class Summary:
    """How the questionnaire's summary measure (total, mean or metric score) is computed.

    ``min_answered`` is how many of ``item_ids`` must be answered for a summary to exist;
    sums and conversions need every item, because a skipped item is not a zero.
    ``conversion`` holds ``(raw total, converted score)`` pairs for `SummaryMethod.CONVERSION`.
    """

    measure_id: str
    method: SummaryMethod
    item_ids: tuple[str, ...]
    min_answered: int
    conversion: tuple[tuple[int, float], ...] = ()

    def convert(self, raw_total: int) -> float:
        """Returns the converted score for a raw total.

        Raises:
            ValueError: the table has no row for ``raw_total``.
        """
        for raw, converted in self.conversion:
            if raw == raw_total:
                return converted
        raise ValueError(f"no conversion for raw total {raw_total} in {self.measure_id!r}")


@dataclass(frozen=True)
class Questionnaire:
    """A questionnaire definition: items in asking order, measures, and analysis metadata."""

    key: str
    title: str
    intro: str
    order: int
    statistical_scale: StatisticalScale
    licence_required: bool
    licence_note: str | None
    source: str
    items: tuple[Item, ...]
    measures: tuple[Measure, ...]
    summary: Summary | None = None

    @property
    def item_ids(self) -> tuple[str, ...]:
        """Item ids in asking order."""
        return tuple(item.id for item in self.items)

    def item(self, item_id: str) -> Item:
        """Returns the item called ``item_id``.

        Raises:
            UnknownItemError: the questionnaire has no such item.
        """
        for item in self.items:
            if item.id == item_id:
                return item
        raise UnknownItemError(self.key, item_id)

    def measure(self, measure_id: str) -> Measure:
        """Returns the measure called ``measure_id``.

        Raises:
            UnknownMeasureError: the questionnaire has no such measure.
        """
        for measure in self.measures:
            if measure.id == measure_id:
                return measure
        raise UnknownMeasureError(self.key, measure_id)

    def possible_values(self, measure_id: str) -> tuple[float, ...] | None:
        """Returns every value a measure can take, ascending, or None if it is continuous.

        Item measures and sums take finitely many values, so bands can be checked to cover
        each of them exactly once; a mean of answered items can land anywhere in its range.

        Raises:
            UnknownMeasureError: the questionnaire has no such measure.
        """
        self.measure(measure_id)
        if measure_id in self.item_ids:
            item = self.item(measure_id)
            return tuple(sorted({item.scored_value(v) for v in item.allowed_values}))
        summary = self.summary
        if summary is None or summary.method is SummaryMethod.MEAN:
            return None
        totals = self.possible_totals()
        if summary.method is SummaryMethod.SUM:
            return tuple(float(total) for total in totals)
        return tuple(sorted({summary.convert(total) for total in totals}))

    def possible_totals(self) -> tuple[int, ...]:
        """Returns every raw sum of the summary's items, ascending (empty without a summary)."""
        if self.summary is None:
            return ()
        return possible_totals(self.item(item_id) for item_id in self.summary.item_ids)

    def with_bands(self, measure_id: str, bands: tuple[Band, ...]) -> Questionnaire:
        """Returns a copy whose measure ``measure_id`` uses ``bands`` instead.

        Banding conventions (such as UCLA 3–5 / 6–9) are not part of the published scales,
        so an organisation may choose its own without editing the shipped data.

        Raises:
            UnknownMeasureError: the questionnaire has no such measure.
            DefinitionError: the bands miss or double-count a possible value.
        """
        target = self.measure(measure_id)
        check_band_coverage(self.possible_values(measure_id), bands, f"{self.key}.{measure_id}")
        measures = tuple(
            replace(measure, bands=bands) if measure is target else measure
            for measure in self.measures
        )
        return replace(self, measures=measures)


def possible_totals(items: Iterable[Item]) -> tuple[int, ...]:
    """Returns every sum of scored values one answer per item can make, ascending."""
    totals = {0}
    for item in items:
        scores = {item.scored_value(value) for value in item.allowed_values}
        totals = {total + score for total in totals for score in scores}
    return tuple(sorted(totals))
