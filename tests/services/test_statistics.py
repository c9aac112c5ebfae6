"""Paired before/after statistics checked against R's documented output and hand derivations."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.statistics import direction_of_change, paired_analysis

# R's `sleep` data set: extra hours of sleep for the same ten people on two drugs.
SLEEP_GROUP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_GROUP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]

# ?wilcox.test: Hamilton depression scale at the first (x) and second (y) visit.
DEPRESSION_X = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
DEPRESSION_Y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]


def test_paired_t_test_matches_r_sleep_example() -> None:
    # R: t.test(SLEEP_GROUP_1, SLEEP_GROUP_2, paired = TRUE) gives t = -4.0621, df = 9,
    # p-value = 0.002833, 95% CI -2.4598858 -0.7001142, mean difference -1.58. R's x - y is
    # our after - before, so group 1 plays "after".
    result = paired_analysis(SLEEP_GROUP_2, SLEEP_GROUP_1, scale="metric", meaningful_change=1)

    assert result.test == "paired t-test"
    assert result.statistic == pytest.approx(-4.0621, abs=5e-5)
    assert result.df == 9
    assert result.p_value == pytest.approx(0.002833, abs=5e-7)
    assert result.mean_change == pytest.approx(-1.58)
    assert result.mean_change_ci is not None
    assert result.mean_change_ci.low == pytest.approx(-2.4598858, abs=5e-8)
    assert result.mean_change_ci.high == pytest.approx(-0.7001142, abs=5e-8)
    assert result.mean_change_ci.level == 0.95
    # Cohen's d_z = mean / SD of the differences: -1.58 / 1.229995.
    assert result.effect_size == pytest.approx(-1.58 / 1.2299955, abs=1e-6)


def test_signed_rank_exact_matches_r_help_example() -> None:
    # R: wilcox.test(x, y, paired = TRUE, alternative = "greater") gives V = 40,
    # p-value = 0.01953; two-sided is twice that, 0.03906 (no ties, no zeros, n = 9 < 50,
    # so the exact distribution is used: P(V <= 5) = 10 / 512).
    result = paired_analysis(DEPRESSION_Y, DEPRESSION_X, scale="ordinal", meaningful_change=0)

    assert result.method == "Wilcoxon signed rank exact test"
    assert result.statistic == 40
    assert result.p_value == pytest.approx(0.0390625, abs=1e-12)
    assert result.p_value == pytest.approx(2 * 0.01953, abs=1e-5)
    # Exact interval: qsignrank(0.025, 9) = 6 (cumulative counts 1, 2, 3, 5, 7, 10, 14 of 512
    # first reach 12.8 at 6), so the limits are the 6th and 40th of the 45 sorted Walsh
    # averages; the estimate is their median (the 23rd).
    assert result.pseudo_median == pytest.approx(0.46)
    assert result.pseudo_median_ci is not None
    assert result.pseudo_median_ci.low == pytest.approx(0.01)
    assert result.pseudo_median_ci.high == pytest.approx(0.786)
    assert result.pseudo_median_ci.level == 0.95


def test_swapping_the_depression_visits_reverses_v() -> None:
    result = paired_analysis(DEPRESSION_X, DEPRESSION_Y, scale="ordinal", meaningful_change=0)

    # V counts positive changes; reversing them leaves 45 - 40 = 5 and the same p-value.
    assert result.statistic == 5
    assert result.p_value == pytest.approx(0.0390625, abs=1e-12)
    assert result.worsened == 7
    assert result.improved == 2


def test_signed_rank_with_tie_and_zero_matches_r_sleep_example() -> None:
    # R: wilcox.test(SLEEP_GROUP_1, SLEEP_GROUP_2, paired = TRUE) prints V = 0,
    # p-value = 0.009091 with warnings about ties and zeroes.
    # Differences: -1.2 -2.4 -1.3 -1.3 0 -1.0 -1.8 -0.8 -4.6 -1.4. The zero is dropped (n = 9);
    # the two -1.3s tie. V = 0 (no positive differences).
    # sigma^2 = 9*10*19/24 - (2^3 - 2)/48 = 71.25 - 0.125 = 71.125, sigma = 8.433564.
    # z = (0 - 22.5 + 0.5) / 8.433564 = -2.608624, p = 2 * pnorm(-2.608624) = 0.0090907.
    result = paired_analysis(SLEEP_GROUP_2, SLEEP_GROUP_1, scale="ordinal", meaningful_change=0)

    assert result.method == "Wilcoxon signed rank test with continuity correction"
    assert result.statistic == 0
    assert result.n_zero == 1
    assert result.p_value == pytest.approx(0.009091, abs=5e-7)
    assert result.effect_size == pytest.approx(-22.5 / 8.4335639 / 10**0.5, abs=1e-6)
    assert "1 unchanged pair was left out of the signed-rank test" in result.notes


def test_signed_rank_ons4_life_satisfaction_with_ties_and_zeros() -> None:
    # ONS4 life satisfaction (0-10), twelve people.
    before = [4, 5, 3, 6, 5, 7, 4, 2, 6, 5, 3, 4]
    after = [6, 5, 5, 7, 4, 7, 6, 4, 8, 5, 5, 5]
    # Changes: 2 0 2 1 -1 0 2 2 2 0 2 1. Three zeros are dropped, n = 9.
    # |change| = 1 for three people (ranks 1-3, midrank 2), = 2 for six (ranks 4-9, midrank 6.5).
    # V = 2 + 2 (the two +1s) + 6 * 6.5 = 43; E[V] = 9*10/4 = 22.5.
    # Tie correction: (3^3 - 3) + (6^3 - 6) = 24 + 210 = 234;
    # sigma^2 = 9*10*19/24 - 234/48 = 71.25 - 4.875 = 66.375, sigma = 8.147085.
    # Continuity correction: V - E[V] = 20.5 > 0, so subtract 0.5: z = 20 / 8.147085 = 2.454866.
    # p = 2 * pnorm(-2.454866) = 0.0140937. r = (20.5 / 8.147085) / sqrt(12) = 0.726375.
    result = paired_analysis(before, after, scale="ordinal", meaningful_change=1)

    assert result.statistic == 43
    assert result.p_value == pytest.approx(0.0140937, abs=5e-8)
    assert result.effect_size == pytest.approx(0.726375, abs=5e-7)
    assert (result.n, result.n_zero) == (12, 3)
    # Only the 2-point gains are more than 1 point: six people; nobody fell by more than 1.
    assert (result.improved, result.unchanged, result.worsened) == (6, 6, 0)
    assert result.share_improved == pytest.approx(0.5)
    # Interval, inverting R's statistic W(d) (with continuity correction) over the non-zero
    # changes x = -1, 1, 1, 2 x 6. Between Walsh averages W is constant (sigma^2 = 66.75 there,
    # ties 2 and 6): (-1,0) 2.570; (0,0.5) 2.326; (0.5,1) 1.591; (1,1.5) 1.224; (1.5,2) -0.122.
    # At the ends: W(-1) = 17.5 / sqrt(46.5) = 2.566; W(2) = -2.5 / sqrt(3.375) = -1.361.
    # W(2) > qnorm(0.025) and > qnorm(0.05), so R doubles alpha to 0.2 (80% interval);
    # W crosses qnorm(0.9) = 1.2816 at d = 1 and never drops below -1.2816 before d = 2.
    # Estimate (no correction): zd = 10.5 on (1,1.5), -1.5 on (1.5,2): it crosses at 1.5.
    assert result.pseudo_median == 1.5
    assert result.pseudo_median_ci is not None
    assert (result.pseudo_median_ci.low, result.pseudo_median_ci.high) == (1.0, 2.0)
    assert result.pseudo_median_ci.level == pytest.approx(0.8)
    assert "the pseudo-median's interval reaches only 80% confidence" in result.notes


def test_signed_rank_ons4_anxiety_where_lower_is_better() -> None:
    # ONS4 anxiety (0-10, lower is better), fourteen people.
    before = [7, 6, 8, 5, 7, 9, 6, 4, 8, 7, 5, 6, 7, 8]
    after = [5, 6, 5, 5, 4, 6, 7, 4, 5, 6, 3, 6, 4, 6]
    # Changes: -2 0 -3 0 -3 -3 1 0 -3 -1 -2 0 -3 -2. Four zeros dropped, n = 10.
    # |1| x 2 (ranks 1-2, midrank 1.5), |2| x 3 (ranks 3-5, midrank 4), |3| x 5 (ranks 6-10, 8).
    # V = 1.5 (the single +1); E[V] = 10*11/4 = 27.5.
    # Tie correction: 6 + 24 + 120 = 150; sigma^2 = 10*11*21/24 - 150/48 = 96.25 - 3.125
    # = 93.125, sigma = 9.650130. V - E[V] = -26 < 0, so add 0.5: z = -25.5 / 9.650130
    # = -2.642452, p = 2 * pnorm(-2.642452) = 0.00823082.
    result = paired_analysis(
        before, after, scale="ordinal", meaningful_change=1, higher_is_better=False
    )

    assert result.statistic == 1.5
    assert result.p_value == pytest.approx(0.00823082, abs=5e-9)
    assert result.effect_size == pytest.approx(-26 / 9.650130 / 14**0.5, abs=1e-6)
    # Falls of 2 or 3 points are improvements beyond 1 point; the rise of 1 is not beyond it.
    assert (result.improved, result.unchanged, result.worsened) == (8, 6, 0)
    assert result.median_change == -2
    assert result.pseudo_median_ci is not None
    assert result.pseudo_median_ci.low <= result.pseudo_median <= result.pseudo_median_ci.high


def test_zero_changes_without_ties_still_use_the_normal_approximation() -> None:
    # Changes 0, 1, -2, 3, 4, 5: no ties, but a zero rules out R's exact test.
    # n = 5 after dropping it, V = 1 + 3 + 4 + 5 = 13, E[V] = 7.5, sigma^2 = 5*6*11/24 = 13.75.
    # z = (13 - 7.5 - 0.5) / sqrt(13.75) = 1.348400, p = 2 * pnorm(-1.348400) = 0.1775299.
    result = paired_analysis(
        [5, 5, 5, 5, 5, 5], [5, 6, 3, 8, 9, 10], scale="ordinal", meaningful_change=0
    )

    assert result.method == "Wilcoxon signed rank test with continuity correction"
    assert result.statistic == 13
    assert result.p_value == pytest.approx(0.1775299, abs=5e-8)


def test_fewer_pairs_than_the_minimum_withholds_inference() -> None:
    result = paired_analysis([3, 4, 5, 6], [5, 6, 7, 9], scale="metric", meaningful_change=1)

    assert result.reason == "fewer than 5 pairs"
    assert result.p_value is None
    assert result.mean_change_ci is None
    assert result.statistic is None
    assert result.effect_size is None
    # Description is still honest: four people, their mean change.
    assert result.n == 4
    assert result.mean_change == pytest.approx(2.25)
    assert result.improved == 4


def test_min_n_is_configurable() -> None:
    result = paired_analysis(
        [3, 4, 5, 6, 4, 4], [5, 6, 7, 9, 3, 5], scale="ordinal", meaningful_change=1, min_n=8
    )
    assert result.reason == "fewer than 8 pairs"
    assert result.p_value is None


def test_no_pairs_at_all() -> None:
    result = paired_analysis([], [], scale="ordinal", meaningful_change=1)

    assert result.n == 0
    assert result.mean_change is None
    assert result.median_change is None
    assert result.share_improved is None
    assert result.reason == "fewer than 5 pairs"


@pytest.mark.parametrize("scale", ["ordinal", "metric"])
def test_all_zero_changes_do_not_crash(scale: str) -> None:
    scores = [4, 5, 6, 7, 8, 5]
    result = paired_analysis(scores, scores, scale=scale, meaningful_change=1)  # type: ignore[arg-type]

    assert result.p_value is None
    assert result.reason is not None
    assert result.mean_change == 0
    assert result.n_zero == 6
    assert (result.improved, result.unchanged, result.worsened) == (0, 6, 0)


def test_identical_non_zero_changes_give_no_t_test() -> None:
    result = paired_analysis(
        [1.5, 2.5, 3.5, 4.5, 5.5], [2.5, 3.5, 4.5, 5.5, 6.5], scale="metric", meaningful_change=0
    )
    assert result.reason == "every change is the same, so a t-test cannot be computed"
    assert result.p_value is None
    assert result.mean_change == pytest.approx(1.0)


def test_identical_non_zero_changes_give_a_pseudo_median_without_interval() -> None:
    # R 4.0-4.5 returns the midrange as the estimate and NaN limits in this case.
    # All five changes are +1, one tie group of 5: sigma^2 = 5*6*11/24 - 120/48 = 11.25,
    # z = (15 - 7.5 - 0.5) / sqrt(11.25) = 2.087, p = 0.036888.
    result = paired_analysis([1, 2, 3, 4, 5], [2, 3, 4, 5, 6], scale="ordinal", meaningful_change=0)
    assert result.pseudo_median == 1.0
    assert result.pseudo_median_ci is None
    assert result.p_value == pytest.approx(0.0368884, abs=5e-7)


def test_meaningful_change_is_a_strict_threshold_robust_to_rounding() -> None:
    # 19.98 - 17.43 is 2.5500000000000007 in binary floating point: still "not more than" 2.55.
    result = paired_analysis(
        [17.43, 10.0, 10.0, 10.0, 10.0],
        [19.98, 12.56, 7.44, 10.0, 12.0],
        scale="metric",
        meaningful_change=2.55,
    )
    assert (result.improved, result.unchanged, result.worsened) == (1, 3, 1)


@pytest.mark.parametrize(
    ("before", "after", "options"),
    [
        ([1, 2], [1], {}),
        ([1, float("nan")], [1, 2], {}),
        ([1, 2], [1, float("inf")], {}),
        ([1, 2], [1, 2], {"meaningful_change": -1}),
        ([1, 2], [1, 2], {"confidence": 1.0}),
        ([1, 2], [1, 2], {"min_n": 1}),
        ([1, 2], [1, 2], {"scale": "interval"}),
    ],
)
def test_bad_input_is_refused(
    before: list[float], after: list[float], options: dict[str, object]
) -> None:
    arguments: dict[str, object] = {"scale": "metric", "meaningful_change": 1.0, **options}
    with pytest.raises(ValueError):
        paired_analysis(before, after, **arguments)  # type: ignore[arg-type]


def test_confidence_level_is_honoured() -> None:
    narrow = paired_analysis(
        SLEEP_GROUP_2, SLEEP_GROUP_1, scale="metric", meaningful_change=1, confidence=0.8
    )
    wide = paired_analysis(SLEEP_GROUP_2, SLEEP_GROUP_1, scale="metric", meaningful_change=1)
    assert narrow.mean_change_ci is not None and wide.mean_change_ci is not None
    assert narrow.mean_change_ci.level == 0.8
    assert wide.mean_change_ci.low < narrow.mean_change_ci.low < narrow.mean_change_ci.high
    assert narrow.mean_change_ci.high < wide.mean_change_ci.high


@pytest.mark.parametrize(
    ("change", "higher_is_better", "expected"),
    [
        (2.0, True, "improved"),
        (1.0, True, "no change"),
        (-1.0, True, "no change"),
        (-1.5, True, "worsened"),
        (-2.0, False, "improved"),
        (1.5, False, "worsened"),
        (1.0000000001, True, "no change"),
    ],
)
def test_direction_of_change_is_direction_aware_and_strict(
    change: float, higher_is_better: bool, expected: str
) -> None:
    assert (
        direction_of_change(change, meaningful_change=1, higher_is_better=higher_is_better)
        == expected
    )


def test_direction_with_no_threshold_counts_any_change() -> None:
    assert direction_of_change(0.5, meaningful_change=0) == "improved"
    assert direction_of_change(0.0, meaningful_change=0) == "no change"
    assert direction_of_change(-0.5, meaningful_change=0) == "worsened"


ORDINAL_PAIRS = st.lists(st.tuples(st.integers(0, 10), st.integers(0, 10)), min_size=0, max_size=70)
METRIC_PAIRS = st.lists(
    st.tuples(
        st.floats(7, 35, allow_nan=False, allow_subnormal=False),
        st.floats(7, 35, allow_nan=False, allow_subnormal=False),
    ),
    min_size=0,
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(pairs=st.one_of(ORDINAL_PAIRS, METRIC_PAIRS), ordinal=st.booleans())
def test_swapping_before_and_after_negates_change_and_keeps_p(
    pairs: list[tuple[float, float]], ordinal: bool
) -> None:
    before = [b for b, _ in pairs]
    after = [a for _, a in pairs]
    scale = "ordinal" if ordinal else "metric"
    forward = paired_analysis(before, after, scale=scale, meaningful_change=1)
    backward = paired_analysis(after, before, scale=scale, meaningful_change=1)

    if forward.mean_change is None:
        assert backward.mean_change is None
    else:
        assert backward.mean_change == pytest.approx(-forward.mean_change, abs=1e-9)
    assert (forward.p_value is None) == (backward.p_value is None)
    if forward.p_value is not None and backward.p_value is not None:
        assert 0 <= forward.p_value <= 1
        assert backward.p_value == pytest.approx(forward.p_value, rel=1e-9, abs=1e-12)
    assert (forward.improved, forward.worsened) == (backward.worsened, backward.improved)
    assert forward.improved + forward.unchanged + forward.worsened == len(pairs)


@settings(max_examples=150, deadline=None)
@given(pairs=ORDINAL_PAIRS)
def test_estimates_lie_inside_their_intervals(pairs: list[tuple[int, int]]) -> None:
    before = [b for b, _ in pairs]
    after = [a for _, a in pairs]
    result = paired_analysis(before, after, scale="ordinal", meaningful_change=1)

    if result.p_value is not None:
        assert 0 <= result.p_value <= 1
    if result.mean_change_ci is not None and result.mean_change is not None:
        assert result.mean_change_ci.low <= result.mean_change <= result.mean_change_ci.high
    if result.pseudo_median_ci is not None and result.pseudo_median is not None:
        ci = result.pseudo_median_ci
        assert ci.low <= result.pseudo_median <= ci.high
        assert 0 < ci.level <= 0.95
    if result.effect_size is not None:
        assert -1 <= result.effect_size <= 1
