"""R-compatible signed-rank statistic and Hodges–Lehmann interval, derived by hand from R's code."""

from __future__ import annotations

import itertools
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.signed_rank import hodges_lehmann, signed_rank


def test_signed_rank_statistic_drops_zeros_and_uses_midranks() -> None:
    # Non-zero: 1, -2, 2, 3 -> |.| ranks 1, 2.5, 2.5, 4; V = 1 + 2.5 + 4 = 7.5.
    rank = signed_rank([0, 1, -2, 2, 3, 0])

    assert rank.v == 7.5
    assert rank.n == 4
    assert rank.ties
    assert rank.expected == 5
    # sigma^2 = 4*5*9/24 - (2^3 - 2)/48 = 7.5 - 0.125.
    assert rank.sd == pytest.approx(7.375**0.5)
    assert rank.z == pytest.approx(2.5 / 7.375**0.5)


def test_signed_rank_of_nothing_has_no_z() -> None:
    rank = signed_rank([0, 0, 0])
    assert rank.n == 0
    assert rank.z is None


def test_exact_null_distribution_matches_brute_force() -> None:
    # Every sign pattern of ranks 1..6 has the same chance; the exact interval must agree
    # with the brute-force count of P(V <= q).
    n = 6
    sums = [sum(c) for k in range(n + 1) for c in itertools.combinations(range(1, n + 1), k)]
    assert len(sums) == 2**n
    # qsignrank(0.025, 6): P(V <= 0) = 1/64 = 0.0156, P(V <= 1) = 2/64 = 0.03125 >= 0.025.
    assert sum(1 for s in sums if s <= 1) == 2
    x = [0.3, -0.1, 0.8, 1.4, 2.2, 0.5]
    walsh = sorted((a + b) / 2 for a, b in itertools.combinations_with_replacement(x, 2))
    location = hodges_lehmann(x, confidence=0.95)

    assert location is not None
    # So qu = 1 and ql = 21 - 1 = 20; R takes diffs[qu] and diffs[ql + 1] (1-based), the
    # 1st and 21st of the 21 sorted Walsh averages.
    assert location.low == pytest.approx(walsh[1 - 1])
    assert location.high == pytest.approx(walsh[20])
    assert location.estimate == pytest.approx(statistics.median(walsh))
    # achieved alpha = 2 * P(V <= 0) = 0.03125, within alpha / 2 of 0.05: R keeps 95%.
    assert location.level == 0.95


def test_exact_interval_reports_the_level_r_reports_when_unreachable() -> None:
    # n = 4: P(V <= 0) = 1/16, so qu = 0 -> 1 and the achieved alpha is 2/16 = 0.125.
    # 0.125 - 0.05 > 0.025, so R reports conf.level 1 - signif(0.125, 2) = 0.88.
    location = hodges_lehmann([1.0, 2.0, 3.0, 4.0], confidence=0.95)

    assert location is not None
    assert (location.low, location.high) == (1.0, 4.0)
    assert location.level == pytest.approx(0.88)
    assert location.estimate == 2.5


def test_asymptotic_estimate_on_a_plateau_takes_its_midpoint() -> None:
    # The zero forces R's asymptotic branch; non-zero x = -3, 1, 2 (n = 3, E[V] = 3).
    # For d in (-0.5, 1): |1-d| < |2-d| < |-3-d|, V = 1 + 2 = 3, so the uncorrected statistic
    # is exactly 0 over the whole gap; on (-1, -0.5) V = 4 and on (1, 1.5) V = 2.
    # R's uniroot stops at the first point it tries inside; we take the midpoint 0.25, which
    # is also the median of the Walsh averages -3, -1, -0.5, 1, 1.5, 2.
    location = hodges_lehmann([0.0, -3.0, 1.0, 2.0], confidence=0.95)

    assert location is not None
    assert location.estimate == pytest.approx(0.25)


def test_asymptotic_interval_when_no_level_is_reachable() -> None:
    # Non-zero x = 1, 2 after dropping three zeros. W(1) = (0.5 - 0.5) / 0.5 = 0 and
    # W(2) = 0, so R doubles alpha up to 1.6 and returns median(x) twice at conf.level 0.
    # The estimate (no correction): W = 0.5/0.5 on (1, 1.5) and -1 on (1.5, 2) -> 1.5.
    location = hodges_lehmann([0.0, 0.0, 0.0, 1.0, 2.0], confidence=0.95)

    assert location is not None
    assert location.estimate == 1.5
    assert (location.low, location.high) == (1.5, 1.5)
    assert location.level == 0.0


def test_all_changes_equal_gives_midrange_and_no_interval() -> None:
    location = hodges_lehmann([2.0, 2.0, 2.0, 0.0], confidence=0.95)

    assert location is not None
    assert location.estimate == 2.0
    assert location.low is None and location.high is None


def test_all_zero_gives_nothing() -> None:
    assert hodges_lehmann([0.0, 0.0], confidence=0.95) is None


def test_large_untied_sample_uses_the_asymptotic_branch_and_agrees_with_hodges_lehmann() -> None:
    # 60 distinct differences (>= 50, so R inverts the normal approximation). Without ties
    # V(d) counts Walsh averages above d, so the estimate is their median and both limits
    # are Walsh averages.
    x = [((i * 37) % 61 - 25) / 7 for i in range(1, 61)]
    assert len(set(x)) == 60
    walsh = sorted((a + b) / 2 for a, b in itertools.combinations_with_replacement(x, 2))
    location = hodges_lehmann(x, confidence=0.95)

    assert location is not None
    assert location.estimate == pytest.approx(statistics.median(walsh))
    assert location.low is not None and location.high is not None
    assert any(location.low == pytest.approx(w) for w in walsh)
    assert any(location.high == pytest.approx(w) for w in walsh)
    assert location.low < location.estimate < location.high
    assert location.level == 0.95
    # The normal approximation is close to the exact order statistics: with N = 1830 Walsh
    # averages the exact 95% limits sit near the 1830/2 -/+ 1.96 * sqrt(60*61*121/24) ranks.
    offset = 1.96 * (60 * 61 * 121 / 24) ** 0.5
    assert walsh[int(915 - offset) - 3] <= location.low <= walsh[int(915 - offset) + 3]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(1, 10), min_size=1, max_size=80), st.integers(1, 20))
def test_interval_moves_with_the_data(values: list[int], shift: int) -> None:
    # Shifting every (positive, so never zero) difference shifts the estimate and both limits;
    # negating them mirrors the interval. Both follow from W(d) depending only on x - d.
    x = [float(v) for v in values]
    base = hodges_lehmann(x, confidence=0.95)
    moved = hodges_lehmann([v + shift for v in x], confidence=0.95)
    mirrored = hodges_lehmann([-v for v in x], confidence=0.95)
    assert base is not None and moved is not None and mirrored is not None

    assert moved.estimate == pytest.approx(base.estimate + shift)
    assert mirrored.estimate == pytest.approx(-base.estimate)
    assert moved.level == base.level == mirrored.level
    if base.low is None or base.high is None:
        assert moved.low is None and mirrored.low is None
    else:
        assert moved.low == pytest.approx(base.low + shift)
        assert moved.high == pytest.approx(base.high + shift)
        assert mirrored.low == pytest.approx(-base.high)
        assert mirrored.high == pytest.approx(-base.low)


def test_thousands_of_tied_changes_are_quick_and_sensible() -> None:
    # 20,000 changes on a 0-10 scale: only the distinct values' Walsh averages are built.
    x = [float((i * 7) % 21 - 8) for i in range(20_000)]
    location = hodges_lehmann(x, confidence=0.95)

    assert location is not None
    assert location.low is not None and location.high is not None
    assert location.low <= location.estimate <= location.high
    assert min(x) <= location.low and location.high <= max(x)
