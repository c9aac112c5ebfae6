"""Small-number suppression: figures about too few people are withheld from reports.

A count, average or chart about three people in one village choir can identify them, so every
figure a report shows passes through this rule first. The threshold is the service's own
(its information governance decides it, often 5 or 10); nothing here picks one.
"""

from __future__ import annotations


def suppress_small_cohort(n: int, threshold: int) -> bool:
    """Says whether a cohort is too small to report without risking re-identification.

    Args:
        n: How many people the figure is about.
        threshold: The smallest cohort that may be shown.

    Returns:
        True when ``n`` is below ``threshold`` and the figure must be withheld. An empty cohort
        is suppressed too: "0 people improved" from a cohort of none says nothing true.

    Raises:
        ValueError: If ``n`` is negative or ``threshold`` is below 1.
    """
    if n < 0:
        raise ValueError("a cohort cannot have a negative number of people")
    if threshold < 1:
        raise ValueError("the disclosure threshold must be at least 1")
    return n < threshold


def disclosed_count(n: int, threshold: int) -> str:
    """Renders a head count for a report, hiding it when the cohort is too small.

    Args:
        n: How many people.
        threshold: The smallest cohort that may be shown.

    Returns:
        The count as digits, or ``"fewer than <threshold>"`` when it must be suppressed.

    Raises:
        ValueError: If ``n`` is negative or ``threshold`` is below 1.
    """
    return f"fewer than {threshold}" if suppress_small_cohort(n, threshold) else str(n)


def disclosed_share(count: int, total: int, threshold: int) -> str:
    """Renders "how many of the cohort" for a report, hiding it when the cohort is too small.

    Args:
        count: How many people have the property (e.g. improved).
        total: How many people are in the cohort.
        threshold: The smallest cohort that may be shown.

    Returns:
        For example ``"6 of 12 (50%)"``, or ``"fewer than 10 people"`` when suppressed.

    Raises:
        ValueError: If ``count`` is negative or larger than ``total``, or as
            ``suppress_small_cohort``.
    """
    if not 0 <= count <= total:
        raise ValueError("count must lie between 0 and the cohort's size")
    if suppress_small_cohort(total, threshold):
        return f"fewer than {threshold} people"
    return f"{count} of {total} ({count / total:.0%})"
