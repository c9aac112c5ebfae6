"""Small-number suppression for report figures."""

from __future__ import annotations

import pytest

from bot.services.disclosure import disclosed_count, disclosed_share, suppress_small_cohort


@pytest.mark.parametrize(("n", "suppressed"), [(0, True), (1, True), (9, True), (10, False)])
def test_cohorts_below_the_threshold_are_suppressed(n: int, suppressed: bool) -> None:
    assert suppress_small_cohort(n, 10) is suppressed


@pytest.mark.parametrize(("n", "threshold"), [(-1, 10), (5, 0)])
def test_nonsense_is_refused(n: int, threshold: int) -> None:
    with pytest.raises(ValueError):
        suppress_small_cohort(n, threshold)


def test_disclosed_count() -> None:
    assert disclosed_count(4, 5) == "fewer than 5"
    assert disclosed_count(5, 5) == "5"
    assert disclosed_count(250, 10) == "250"


def test_disclosed_share() -> None:
    assert disclosed_share(6, 12, 10) == "6 of 12 (50%)"
    assert disclosed_share(0, 10, 10) == "0 of 10 (0%)"
    assert disclosed_share(2, 3, 3) == "2 of 3 (67%)"
    assert disclosed_share(6, 9, 10) == "fewer than 10 people"
    with pytest.raises(ValueError):
        disclosed_share(13, 12, 10)
    with pytest.raises(ValueError):
        disclosed_share(-1, 12, 10)
