"""Numbers in words for reports: p-values, intervals, changes and shares, the same everywhere.

The Telegram summary, the HTML report and the command line all show figures through these
functions, so a p-value never reads "0.0" in one place and "< 0.001" in another.
"""

from __future__ import annotations

from bot.services.disclosure import disclosed_count
from bot.services.report_outcomes import OutcomeRow
from bot.services.statistics import Interval, PairedResult


def p_value(value: float | None) -> str:
    """``p = 0.032``, ``p < 0.001``, or ``no p-value`` when none may be shown."""
    if value is None:
        return "no p-value"
    if value < 0.001:
        return "p < 0.001"
    return f"p = {value:.3f}"


def number(value: float | None, places: int = 2) -> str:
    """A signed figure such as ``+1.25`` or ``−0.50`` (a true minus sign), or an en dash."""
    if value is None:
        return "–"
    text = f"{value:+.{places}f}"
    return text.replace("-", "−")


def interval(value: Interval | None, places: int = 2) -> str:
    """``95% CI −0.20 to +1.40``, or an empty string when there is no interval."""
    if value is None:
        return ""
    return f"{value.level:.0%} CI {number(value.low, places)} to {number(value.high, places)}"


def share(count: int, total: int) -> str:
    """``6 of 12 (50%)``."""
    return f"{count:,} of {total:,} ({count / total:.0%})" if total else "0"


def rate(value: float | None) -> str:
    """A proportion as a whole percentage, or ``not known``."""
    return "not known" if value is None else f"{value:.0%}"


def outcome_line(row: OutcomeRow, threshold: int) -> str:
    """One outcome row in one plain line, e.g. for the Telegram summary.

    Example: ``Life satisfaction: n = 12, median change +1.00, p = 0.012, 7 of 12 (58%) improved``.
    """
    result = row.result
    if result is None:
        return f"{row.label}: {disclosed_count(row.n, threshold)} people, figures withheld"
    centre = result.median_change
    parts = [f"n = {result.n:,}", f"median change {number(centre)}"]
    if result.p_value is not None:
        parts.append(p_value(result.p_value))
    else:
        parts.append(f"no test ({result.reason})" if result.reason else "no test")
    parts.append(f"{share(result.improved, result.n)} improved")
    return f"{row.label}: " + ", ".join(parts)


def effect(result: PairedResult) -> str:
    """The effect size with its name, e.g. ``r = 0.45`` or ``d_z = 0.62``."""
    if result.effect_size is None:
        return "–"
    return f"{result.effect_size_name} = {result.effect_size:.2f}"
