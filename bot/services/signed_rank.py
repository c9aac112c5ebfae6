"""Wilcoxon signed-rank pieces SciPy lacks, computed as R 4.0–4.5's ``wilcox.test`` does.

SciPy gives the signed-rank p-value. It does not give R's statistic ``V`` for a two-sided test,
nor the Hodges–Lehmann location estimate and its confidence interval
(``wilcox.test(conf.int = TRUE)``). This module supplies those, following R's algorithm step by
step so that a coordinator who re-runs the numbers in R sees the same figures:

* no zeros, no ties and fewer than 50 differences: the exact interval, order statistics of the
  Walsh averages picked with ``qsignrank`` (Bauer 1972), and the median of the Walsh averages;
* otherwise: R inverts the normal approximation (with tie and continuity correction) with
  ``uniroot(tol = 1e-4)``. That statistic is a step function of the shift ``d`` whose steps sit
  on Walsh averages, so R's root is an approximation (within 1e-4) of the exact step we return.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
from scipy import stats

FloatArray = npt.NDArray[np.float64]

# R switches from the exact null distribution to the normal approximation at 50 differences.
EXACT_LIMIT = 50
# R's qsignrank() nudges the probability by this much so rounding never skips a quantile.
_QUANTILE_FUZZ = 10 * float(np.finfo(np.float64).eps)


@dataclass(frozen=True, slots=True)
class SignedRank:
    """The signed-rank statistic of some differences, zeros dropped as R does.

    Attributes:
        v: R's ``V``, the sum of the ranks of the positive differences.
        n: How many non-zero differences were ranked.
        ties: Whether any absolute differences share a rank.
        expected: ``V``'s mean under no change, ``n(n + 1) / 4``.
        sd: ``V``'s standard deviation under no change, corrected for ties.
    """

    v: float
    n: int
    ties: bool
    expected: float
    sd: float

    @property
    def z(self) -> float | None:
        """The standardised statistic without continuity correction; None with nothing ranked."""
        return (self.v - self.expected) / self.sd if self.sd > 0 else None


@dataclass(frozen=True, slots=True)
class LocationEstimate:
    """R's ``(pseudo)median`` and its confidence interval.

    Attributes:
        estimate: The Hodges–Lehmann estimate (or R's midrange when every difference is equal).
        low: Lower confidence limit, None when R cannot give one.
        high: Upper confidence limit, None when R cannot give one.
        level: The confidence level R reports for the limits; lower than requested when the
            data cannot reach it.
    """

    estimate: float
    low: float | None
    high: float | None
    level: float | None


def signed_rank(differences: Sequence[float] | FloatArray) -> SignedRank:
    """Ranks the non-zero differences by size and sums the ranks of the positive ones.

    Args:
        differences: Paired differences (after minus before).

    Returns:
        The statistic with the tie-corrected null mean and standard deviation.
    """
    x = np.asarray(differences, dtype=np.float64)
    x = x[x != 0]
    n = int(x.size)
    ranks = stats.rankdata(np.abs(x))
    _, counts = np.unique(ranks, return_counts=True)
    variance = n * (n + 1) * (2 * n + 1) / 24 - float(np.sum(counts**3 - counts)) / 48
    return SignedRank(
        v=float(np.sum(ranks[x > 0])),
        n=n,
        ties=bool(np.any(counts > 1)),
        expected=n * (n + 1) / 4,
        sd=math.sqrt(variance),
    )


def hodges_lehmann(
    differences: Sequence[float] | FloatArray, *, confidence: float
) -> LocationEstimate | None:
    """Estimates the pseudo-median change with a two-sided interval, as R's ``wilcox.test``.

    Args:
        differences: Paired differences (after minus before); zeros are dropped as R does.
        confidence: Requested confidence level, between 0 and 1.

    Returns:
        The estimate and interval, or None when every difference is zero (R gives NaN).
    """
    every = np.asarray(differences, dtype=np.float64)
    x = every[every != 0]
    if x.size == 0:
        return None
    had_zeros = x.size < every.size
    if x.size < EXACT_LIMIT and not had_zeros and not signed_rank(x).ties:
        return _exact(x, confidence)
    return _asymptotic(x, confidence)


@cache
def _subset_sum_counts(n: int) -> tuple[int, ...]:
    """How many subsets of 1..n add up to each total: the signed-rank null, times 2**n."""
    counts = [1] + [0] * (n * (n + 1) // 2)
    for k in range(1, n + 1):
        for total in range(len(counts) - 1, k - 1, -1):
            counts[total] += counts[total - k]
    return tuple(counts)


def _walsh_averages(x: FloatArray) -> FloatArray:
    """Every pairwise mean (x_i + x_j) / 2 with i <= j, sorted, as R's ``outer`` builds them."""
    upper = np.triu_indices(x.size)
    sums: FloatArray = np.add.outer(x, x)[upper] / 2
    return np.sort(sums)


def _exact(x: FloatArray, confidence: float) -> LocationEstimate:
    """R's exact interval: Walsh averages at ranks taken from the signed-rank distribution."""
    n = int(x.size)
    counts = _subset_sum_counts(n)
    alpha = 1 - confidence
    # qsignrank(alpha / 2, n): counts are dyadic, so comparing integer totals is exact.
    cumulative = np.cumsum(counts)
    qu = int(np.argmax(cumulative >= (alpha / 2 - _QUANTILE_FUZZ) * 2**n))
    qu = max(qu, 1)
    ql = n * (n + 1) // 2 - qu
    achieved = 2 * float(cumulative[qu - 1]) / 2**n
    level = confidence
    if achieved - alpha > alpha / 2:
        # R then reports the level it reached, to two significant figures.
        level = 1 - float(f"{achieved:.2g}")
    walsh = _walsh_averages(x)
    return LocationEstimate(
        estimate=float(np.median(walsh)),
        low=float(walsh[qu - 1]),
        high=float(walsh[ql]),
        level=level,
    )


def _standardised(x: FloatArray, shift: float, *, correct: bool) -> float:
    """R's ``W(d)``: the normal-approximation statistic of ``x - d`` (NaN if nothing is left)."""
    moved = x - shift
    rank = signed_rank(moved)
    if rank.sd == 0:
        return math.nan
    centred = rank.v - rank.expected
    correction = 0.5 * float(np.sign(centred)) if correct else 0.0
    return (centred - correction) / rank.sd


def _asymptotic(x: FloatArray, confidence: float) -> LocationEstimate:
    """R's asymptotic interval: where the shifted statistic crosses the normal quantiles."""
    low_end, high_end = float(np.min(x)), float(np.max(x))
    at_low = _standardised(x, low_end, correct=True)
    at_high = _standardised(x, high_end, correct=True)
    if not (math.isfinite(at_low) and math.isfinite(at_high)):
        # Every difference is the same: R gives the midrange and no interval.
        return LocationEstimate((low_end + high_end) / 2, None, None, None)
    # Only distinct values matter for where W(d) steps: O(k²) memory for k distinct changes.
    walsh = np.unique(_walsh_averages(np.unique(x)))
    alpha = 1 - confidence
    # R widens the interval until both quantiles fall inside the data's range.
    while at_low - stats.norm.isf(alpha / 2) < 0 or at_high - stats.norm.ppf(alpha / 2) > 0:
        alpha *= 2
    level = confidence
    if alpha >= 1 or 1 - confidence < alpha * 0.75:
        level = 1 - min(1.0, alpha)
    if alpha < 1:
        low = _step(x, walsh, float(stats.norm.isf(alpha / 2)), correct=True)
        high = _step(x, walsh, float(stats.norm.ppf(alpha / 2)), correct=True)
    else:
        low = high = float(np.median(x))
    # R drops the continuity correction for the point estimate.
    estimate = _step(x, walsh, 0.0, correct=False)
    return LocationEstimate(estimate, low, high, level)


def _step(x: FloatArray, walsh: FloatArray, quantile: float, *, correct: bool) -> float:
    """Finds the Walsh average where ``W(d) - quantile`` changes sign.

    ``W`` is constant between neighbouring Walsh averages and never rises as ``d`` grows, so
    bisection over the gaps finds the first gap below the quantile. If the statistic equals the
    quantile over a run of gaps (possible only for the point estimate), R's root-finder stops at
    whichever point it happens to try first; the midpoint of the run is returned instead.
    """

    def side(gap: int) -> float:
        return _standardised(x, (walsh[gap] + walsh[gap + 1]) / 2, correct=correct) - quantile

    def first_gap(*, strictly_below: bool) -> int:
        # Bisection over gap indices; walsh.size - 1 means "no gap", i.e. the largest value.
        lo, hi = 0, walsh.size - 1
        while lo < hi:
            mid = (lo + hi) // 2
            value = side(mid)
            if value < 0 or (value == 0 and not strictly_below):
                hi = mid
            else:
                lo = mid + 1
        return lo

    start, end = first_gap(strictly_below=False), first_gap(strictly_below=True)
    return float((walsh[start] + walsh[end]) / 2)
