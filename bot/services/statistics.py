"""Honest before/after statistics for coordinators' reports: each person's own change.

Pure functions over numbers (NumPy and SciPy only, no database, no Telegram). The tests match R:
``t.test(after, before, paired = TRUE)`` for metric scores and
``wilcox.test(after, before, paired = TRUE, conf.int = TRUE)`` with R 4.0–4.5's defaults for
ordinal scores. See ``docs/statistics.md`` for the methods and their references.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import stats

from bot.services.signed_rank import EXACT_LIMIT, FloatArray, hodges_lehmann, signed_rank

Scale = Literal["ordinal", "metric"]
Direction = Literal["improved", "no change", "worsened"]

# A change this close to the meaningful-change threshold counts as equal to it, so that
# floating-point noise (e.g. 2.55 stored as 2.5500000000000007) never decides a category.
_BOUNDARY_TOLERANCE = 1e-9
# R's t.test() refuses "essentially constant" data below this multiple of machine epsilon.
_CONSTANT_FACTOR = 10 * float(np.finfo(np.float64).eps)


@dataclass(frozen=True, slots=True)
class Interval:
    """A two-sided confidence interval and the level it really has."""

    low: float
    high: float
    level: float


@dataclass(frozen=True, slots=True)
class PairedResult:
    """Everything a report says about one measure's before/after change.

    Changes are ``after - before``; effect sizes keep that sign. ``improved`` and ``worsened``
    count people whose change went beyond ``meaningful_change`` in the good or bad direction.
    Inferential fields are None, with ``reason`` saying why, whenever a number would mislead.
    """

    scale: Scale
    n: int
    n_zero: int
    improved: int
    unchanged: int
    worsened: int
    meaningful_change: float
    higher_is_better: bool
    mean_change: float | None
    mean_change_ci: Interval | None
    median_change: float | None
    pseudo_median: float | None
    pseudo_median_ci: Interval | None
    test: str
    method: str | None
    statistic_name: str
    statistic: float | None
    df: float | None
    p_value: float | None
    effect_size_name: str
    effect_size: float | None
    reason: str | None
    notes: tuple[str, ...] = ()

    @property
    def share_improved(self) -> float | None:
        """Fraction of people who improved by more than the meaningful change."""
        return self.improved / self.n if self.n else None

    @property
    def share_unchanged(self) -> float | None:
        """Fraction of people whose change stayed within the meaningful change either way."""
        return self.unchanged / self.n if self.n else None

    @property
    def share_worsened(self) -> float | None:
        """Fraction of people who worsened by more than the meaningful change."""
        return self.worsened / self.n if self.n else None


@dataclass(frozen=True, slots=True)
class _Inference:
    """The test-specific part of a result, None wherever a number would mislead."""

    method: str | None = None
    statistic: float | None = None
    df: float | None = None
    p_value: float | None = None
    effect_size: float | None = None
    pseudo_median: float | None = None
    pseudo_median_ci: Interval | None = None
    reason: str | None = None
    notes: tuple[str, ...] = ()


def paired_analysis(
    before: Sequence[float],
    after: Sequence[float],
    *,
    scale: Scale,
    meaningful_change: float,
    higher_is_better: bool = True,
    min_n: int = 5,
    confidence: float = 0.95,
) -> PairedResult:
    """Analyses paired scores: each person's change, the right test, and how many people.

    Args:
        before: Each person's score before (baseline), in the same order as ``after``.
        after: The same people's scores afterwards.
        scale: ``"ordinal"`` for rating scales (Wilcoxon signed-rank test) or ``"metric"`` for
            interval scores such as SWEMWBS metric scores (paired t-test).
        meaningful_change: The smallest change that matters to a person (0 or more).
        higher_is_better: False for measures such as anxiety, where a fall is an improvement.
        min_n: Fewer pairs than this get no p-value, interval or effect size.
        confidence: Level of the confidence intervals.

    Returns:
        The analysis; see ``PairedResult``.

    Raises:
        ValueError: If the inputs differ in length, hold non-finite numbers, or an option is
            out of range.
    """
    first, second = _pairs(before, after)
    _check_options(scale, meaningful_change, min_n, confidence)
    changes: FloatArray = second - first
    n = int(changes.size)
    directions = Counter(
        direction_of_change(
            change, meaningful_change=meaningful_change, higher_is_better=higher_is_better
        )
        for change in changes.tolist()
    )
    is_ordinal = scale == "ordinal"
    mean_ci = None
    if n < min_n:
        inference = _Inference(reason=f"fewer than {min_n} pairs")
    else:
        mean_ci = _mean_interval(first, second, confidence)
        if is_ordinal:
            inference = _signed_rank_test(changes, confidence)
        else:
            inference = _paired_t_test(first, second)
    return PairedResult(
        scale=scale,
        n=n,
        n_zero=int(np.count_nonzero(changes == 0)),
        improved=directions["improved"],
        unchanged=directions["no change"],
        worsened=directions["worsened"],
        meaningful_change=meaningful_change,
        higher_is_better=higher_is_better,
        mean_change=float(np.mean(changes)) if n else None,
        mean_change_ci=mean_ci,
        median_change=float(np.median(changes)) if n else None,
        pseudo_median=inference.pseudo_median,
        pseudo_median_ci=inference.pseudo_median_ci,
        test="Wilcoxon signed-rank test" if is_ordinal else "paired t-test",
        method=inference.method,
        statistic_name="V" if is_ordinal else "t",
        statistic=inference.statistic,
        df=inference.df,
        p_value=inference.p_value,
        effect_size_name="r" if is_ordinal else "d_z",
        effect_size=inference.effect_size,
        reason=inference.reason,
        notes=inference.notes,
    )


def direction_of_change(
    change: float, *, meaningful_change: float, higher_is_better: bool = True
) -> Direction:
    """Names one person's change, counting only changes beyond the meaningful change.

    Args:
        change: After minus before.
        meaningful_change: The smallest change that matters; exactly this much is "no change".
        higher_is_better: False for measures such as anxiety, where a fall is an improvement.

    Returns:
        "improved", "worsened" or "no change".
    """
    gain = change if higher_is_better else -change
    margin = meaningful_change + _BOUNDARY_TOLERANCE * max(1.0, meaningful_change)
    if gain > margin:
        return "improved"
    return "worsened" if gain < -margin else "no change"


def _pairs(before: Sequence[float], after: Sequence[float]) -> tuple[FloatArray, FloatArray]:
    """Checks that the scores really are pairs of finite numbers."""
    if len(before) != len(after):
        raise ValueError(f"before has {len(before)} scores but after has {len(after)}")
    first = np.asarray(before, dtype=np.float64)
    second = np.asarray(after, dtype=np.float64)
    if not (np.all(np.isfinite(first)) and np.all(np.isfinite(second))):
        raise ValueError("scores must be finite numbers; pair only complete answers")
    return first, second


def _check_options(scale: str, meaningful_change: float, min_n: int, confidence: float) -> None:
    """Rejects options that would make the figures meaningless."""
    if scale not in ("ordinal", "metric"):
        raise ValueError(f"scale must be 'ordinal' or 'metric', not {scale!r}")
    if not (math.isfinite(meaningful_change) and meaningful_change >= 0):
        raise ValueError("meaningful_change must be a finite number of 0 or more")
    if min_n < 2:
        raise ValueError("min_n must be at least 2: one pair has no spread to test")
    if not 0 < confidence < 1:
        raise ValueError("confidence must lie strictly between 0 and 1")


def _essentially_constant(changes: FloatArray) -> bool:
    """R's t.test() check for changes with no usable spread (all the same)."""
    centre = float(np.mean(changes))
    standard_error = float(np.std(changes, ddof=1)) / math.sqrt(changes.size)
    # The last check mirrors SciPy's precision-loss warning, which R's check implies
    # mathematically but rounding might not.
    largest_deviation = float(np.max(np.abs(changes - centre)))
    limit = _CONSTANT_FACTOR * abs(centre)
    return standard_error == 0 or standard_error < limit or largest_deviation < limit


def _mean_interval(first: FloatArray, second: FloatArray, confidence: float) -> Interval | None:
    """The t-interval for the mean change (None when every change is the same)."""
    if _essentially_constant(second - first):
        return None
    low, high = stats.ttest_rel(second, first).confidence_interval(confidence_level=confidence)
    return Interval(float(low), float(high), confidence)


def _paired_t_test(first: FloatArray, second: FloatArray) -> _Inference:
    """R's ``t.test(after, before, paired = TRUE)`` with Cohen's d_z as the effect size."""
    changes = second - first
    if _essentially_constant(changes):
        return _Inference(reason="every change is the same, so a t-test cannot be computed")
    result = stats.ttest_rel(second, first)
    return _Inference(
        method="Paired t-test",
        statistic=float(result.statistic),
        df=float(result.df),
        p_value=float(result.pvalue),
        effect_size=float(np.mean(changes) / np.std(changes, ddof=1)),
    )


def _signed_rank_test(changes: FloatArray, confidence: float) -> _Inference:
    """R's ``wilcox.test(after, before, paired = TRUE, conf.int = TRUE)`` with r = Z / √n."""
    rank = signed_rank(changes)
    z = rank.z
    if z is None:  # Nothing left to rank once the zero changes are dropped.
        return _Inference(reason="no one's score changed, so there is nothing to test")
    n_zero = int(changes.size) - rank.n
    exact = rank.n < EXACT_LIMIT and not rank.ties and n_zero == 0
    result = stats.wilcoxon(
        changes,
        zero_method="wilcox",
        correction=True,
        method="exact" if exact else "asymptotic",
    )
    notes: list[str] = []
    if n_zero:
        pairs = "pair was" if n_zero == 1 else "pairs were"
        notes.append(f"{n_zero} unchanged {pairs} left out of the signed-rank test")
    if not exact and rank.n < EXACT_LIMIT:
        notes.append("ties or zero changes: p-value from the normal approximation")
    location = hodges_lehmann(changes, confidence=confidence)
    interval = None
    if location is not None and location.low is not None and location.high is not None:
        level = location.level if location.level is not None else confidence
        # R reports a 0% "interval" when the data cannot support any; that is no interval.
        if level > 0:
            interval = Interval(location.low, location.high, level)
        if 0 < level < confidence:
            notes.append(f"the pseudo-median's interval reaches only {level:.0%} confidence")
    if interval is None:
        notes.append("too few distinct changes for an interval around the pseudo-median")
    return _Inference(
        method="Wilcoxon signed rank exact test"
        if exact
        else "Wilcoxon signed rank test with continuity correction",
        statistic=rank.v,
        p_value=float(result.pvalue),
        effect_size=z / math.sqrt(changes.size),
        pseudo_median=location.estimate if location is not None else None,
        pseudo_median_ci=interval,
        notes=tuple(notes),
    )
