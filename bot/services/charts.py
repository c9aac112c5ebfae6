"""PNG charts for coordinators' reports: each person's change, its spread, and attendance.

Charts take numbers only, never names, so nothing on them identifies a person; titles come from
the caller and must not carry names either. Colours are the Okabe–Ito palette, which stays
distinguishable with the common colour-vision deficiencies, and line styles repeat the colour's
meaning for readers who see no colour at all. Each PNG carries a plain-English description in
its metadata, usable as alt text.

Figures are built with the object-oriented ``Figure`` API rather than ``pyplot``: there is no
global figure registry to leak or to race on when a report renders in a worker thread.
"""

from __future__ import annotations

import io
import math
from collections import Counter
from collections.abc import Sequence
from datetime import date

import matplotlib

matplotlib.use("Agg")  # Render off-screen: the bot runs on servers with no display.

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.services.statistics import Direction, direction_of_change

WIDTH_INCHES, HEIGHT_INCHES, DPI = 8.0, 5.0, 100  # Always 800 x 500 pixels.
NOT_ENOUGH_DATA = "Not enough data to draw this chart"

# Okabe & Ito (2008), "Color Universal Design".
BLUE, VERMILLION, GREY, SKY_BLUE = "#0072B2", "#D55E00", "#999999", "#56B4E9"
_STYLE: dict[Direction, tuple[str, str]] = {
    "improved": (BLUE, "-"),
    "worsened": (VERMILLION, "--"),
    "no change": (GREY, ":"),
}
# Bars repeat the line styles' message with texture, for readers who see no colour.
_HATCH: dict[Direction, str] = {"improved": "", "worsened": "xx", "no change": ".."}


def paired_slope_chart(
    pairs: Sequence[tuple[float, float]],
    *,
    title: str,
    y_label: str,
    y_range: tuple[float, float],
    higher_is_better: bool = True,
    meaningful_change: float = 0.0,
) -> bytes:
    """Draws each person's before→after score as a line, coloured by direction of change.

    Args:
        pairs: One ``(before, after)`` score per person.
        title: Chart title; the number of people is added to it.
        y_label: What the score measures, e.g. "Life satisfaction (0–10)".
        y_range: The scale's lowest and highest possible scores.
        higher_is_better: False for measures such as anxiety, where a fall is an improvement.
        meaningful_change: Changes up to this size are drawn as "no change", as in the report.

    Returns:
        The chart as PNG bytes, or a "not enough data" notice for fewer than two people.

    Raises:
        ValueError: If the range is empty, a score lies outside it, or ``meaningful_change``
            is negative.
    """
    low, high = y_range
    _check_threshold(meaningful_change)
    if not low < high:
        raise ValueError("y_range must run from a lower to a higher score")
    if any(not (low <= score <= high) for pair in pairs for score in pair):
        raise ValueError(f"every score must lie within {low}–{high}")
    full_title = f"{title} (n = {len(pairs)})"
    if len(pairs) < 2:
        return _not_enough_data(full_title)
    figure, axes = _canvas(full_title)
    counts: dict[Direction, int] = {"improved": 0, "worsened": 0, "no change": 0}
    # Identical pairs are common on short rating scales; draw each once, thicker per person.
    for (before, after), people in sorted(Counter(pairs).items()):
        kind = direction_of_change(
            after - before, meaningful_change=meaningful_change, higher_is_better=higher_is_better
        )
        counts[kind] += people
        colour, style = _STYLE[kind]
        width = 1.2 + 0.8 * min(people - 1, 6)
        axes.plot(
            [0, 1], [before, after], color=colour, linestyle=style, linewidth=width, alpha=0.75
        )
        axes.plot([0, 1], [before, after], "o", color=colour, markersize=3 + width)
    medians = np.median(np.asarray(pairs, dtype=float), axis=0)
    axes.plot([0, 1], medians, color="black", linewidth=3.5, label="Median")
    for kind, (colour, style) in _STYLE.items():
        axes.plot(
            [],
            [],
            color=colour,
            linestyle=style,
            linewidth=2,
            label=f"{_label(kind, meaningful_change)} ({counts[kind]})",
        )
    margin = (high - low) * 0.04
    axes.set(xlim=(-0.25, 1.25), ylim=(low - margin, high + margin), ylabel=y_label)
    axes.set_xticks([0, 1], ["Before", "After"])
    axes.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    description = (
        f"{full_title}. Each line is one person's score before and after. "
        f"{counts['improved']} improved, {counts['worsened']} worsened, "
        f"{counts['no change']} did not change. Median {medians[0]:g} before, {medians[1]:g} after."
    )
    return _png(figure, full_title, description)


def change_histogram(
    changes: Sequence[float],
    *,
    title: str,
    meaningful_change: float,
    higher_is_better: bool = True,
) -> bytes:
    """Draws how many people changed by how much, marking the meaningful-change band.

    Args:
        changes: Each person's change (after minus before).
        title: Chart title; the number of people is added to it.
        meaningful_change: Changes up to this size either way count as "no change".
        higher_is_better: False for measures such as anxiety, where a fall is an improvement.

    Returns:
        The chart as PNG bytes, or a "not enough data" notice for fewer than two people.

    Raises:
        ValueError: If ``meaningful_change`` is negative.
    """
    _check_threshold(meaningful_change)
    full_title = f"{title} (n = {len(changes)})"
    if len(changes) < 2:
        return _not_enough_data(full_title)
    values = np.asarray(changes, dtype=float)
    figure, axes = _canvas(full_title)
    whole = bool(np.all(values == np.round(values)))
    if whole:
        # Whole-number scales: one bar per possible change, centred on it, and the dividing
        # lines fall between the last bar inside the threshold and the first beyond it.
        edges = np.arange(values.min() - 0.5, values.max() + 1.5)
        boundary = math.floor(meaningful_change) + 0.5
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    else:
        edges = np.histogram_bin_edges(values, bins="auto")
        boundary = meaningful_change
    kinds = [
        direction_of_change(
            v, meaningful_change=meaningful_change, higher_is_better=higher_is_better
        )
        for v in values.tolist()
    ]
    # Stack each bar by kind, so a bar straddling the threshold never hides who is on which side.
    bottom = np.zeros(edges.size - 1)
    counts: dict[Direction, int] = {}
    for kind, (colour, _) in _STYLE.items():
        chosen = values[[k == kind for k in kinds]]
        counts[kind] = int(chosen.size)
        heights, _ = np.histogram(chosen, bins=edges)
        axes.bar(
            (edges[:-1] + edges[1:]) / 2,
            heights,
            width=np.diff(edges) * 0.9,
            bottom=bottom,
            color=colour,
            edgecolor="black",
            hatch=_HATCH[kind],
            label=f"{_label(kind, meaningful_change)} ({counts[kind]})",
        )
        bottom += heights
    for edge in {-boundary, boundary}:
        axes.axvline(edge, color="black", linestyle="--", linewidth=1)
    axes.set(xlabel="Change (after − before)", ylabel="People")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.margins(y=0.08)
    axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    description = (
        f"{full_title}. {counts['improved']} improved and {counts['worsened']} worsened by more "
        f"than {meaningful_change:g}; {counts['no change']} changed by {meaningful_change:g} "
        "or less."
    )
    return _png(figure, full_title, description)


def attendance_chart(weeks: Sequence[tuple[date, int, int]], *, title: str) -> bytes:
    """Draws places booked against sessions attended, week by week.

    Args:
        weeks: One ``(week starting, booked, attended)`` per week, in any order.
        title: Chart title; the overall attendance is added to it.

    Returns:
        The chart as PNG bytes, or a "not enough data" notice for fewer than two weeks.

    Raises:
        ValueError: If a count is negative, more people attended than booked, or a week repeats.
    """
    if any(booked < 0 or attended < 0 for _, booked, attended in weeks):
        raise ValueError("booked and attended counts cannot be negative")
    if any(attended > booked for _, booked, attended in weeks):
        raise ValueError("attendance is recorded on bookings, so it cannot exceed them")
    if len({week for week, _, _ in weeks}) != len(weeks):
        raise ValueError("each week may appear only once")
    ordered = sorted(weeks)
    booked_total = sum(booked for _, booked, _ in ordered)
    attended_total = sum(attended for _, _, attended in ordered)
    full_title = f"{title} ({attended_total} of {booked_total} bookings attended)"
    if len(ordered) < 2:
        return _not_enough_data(full_title)
    figure, axes = _canvas(full_title)
    positions = np.arange(len(ordered))
    axes.bar(positions - 0.2, [b for _, b, _ in ordered], 0.4, color=SKY_BLUE, label="Booked")
    axes.bar(
        positions + 0.2, [a for _, _, a in ordered], 0.4, color=BLUE, hatch="//", label="Attended"
    )
    step = max(1, len(ordered) // 12)  # Keep week labels legible on long runs.
    axes.set_xticks(positions[::step], [f"{w.day} {w:%b}" for w, _, _ in ordered][::step])
    axes.set(xlabel="Week starting", ylabel="People")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(frameon=False)
    description = (
        f"{full_title}. Bars compare places booked with people who came, over "
        f"{len(ordered)} weeks from {ordered[0][0].isoformat()} to {ordered[-1][0].isoformat()}."
    )
    return _png(figure, full_title, description)


def _check_threshold(meaningful_change: float) -> None:
    """Refuses a negative meaningful change, which would make "no change" impossible."""
    if meaningful_change < 0:
        raise ValueError("meaningful_change must be 0 or more")


def _label(kind: Direction, meaningful_change: float) -> str:
    """Legend wording for a kind of change, naming the threshold when there is one."""
    if meaningful_change == 0:
        return kind.capitalize()
    if kind == "no change":
        return f"Within ±{meaningful_change:g}"
    return f"{kind.capitalize()} by more than {meaningful_change:g}"


def _canvas(title: str) -> tuple[Figure, Axes]:
    """A fixed-size figure with one set of axes and the title."""
    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    axes.set_title(title)
    axes.spines[["top", "right"]].set_visible(False)
    return figure, axes


def _not_enough_data(title: str) -> bytes:
    """A notice in place of a chart that would mislead with one point or none."""
    figure, axes = _canvas(title)
    axes.axis("off")
    axes.text(0.5, 0.5, NOT_ENOUGH_DATA, ha="center", va="center", fontsize=16, color="#333333")
    return _png(figure, title, f"{title}. {NOT_ENOUGH_DATA}.")


def _png(figure: Figure, title: str, description: str) -> bytes:
    """Renders a figure to PNG bytes with its title and description as metadata."""
    buffer = io.BytesIO()
    figure.savefig(
        buffer, format="png", dpi=DPI, metadata={"Title": title, "Description": description}
    )
    return buffer.getvalue()
