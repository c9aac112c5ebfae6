"""Report charts: real PNGs of a fixed size, honest about their data, safe with too little."""

from __future__ import annotations

import io
from datetime import date, timedelta

import matplotlib
import numpy as np
import pytest
from matplotlib import image
from PIL import Image

from bot.services.charts import (
    BLUE,
    NOT_ENOUGH_DATA,
    VERMILLION,
    attendance_chart,
    change_histogram,
    paired_slope_chart,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
BEFORE = [4, 5, 3, 6, 5, 7, 4, 2, 6, 5, 3, 4]
AFTER = [6, 5, 5, 7, 4, 7, 6, 4, 8, 5, 5, 5]


def _pixels(png: bytes) -> np.ndarray:
    assert png.startswith(PNG_SIGNATURE)
    pixels = image.imread(io.BytesIO(png))
    assert pixels.shape == (500, 800, 4)
    return pixels


def _metadata(png: bytes) -> dict[str, str]:
    with Image.open(io.BytesIO(png)) as picture:
        return {key: str(value) for key, value in picture.info.items()}


def _count_colour(pixels: np.ndarray, hex_colour: str) -> int:
    rgb = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return int(np.count_nonzero(np.all(np.abs(pixels[..., :3] - rgb) < 0.01, axis=-1)))


def _assert_not_blank(pixels: np.ndarray) -> None:
    # A white canvas has one colour; a drawn chart has text, axes and marks.
    distinct = np.unique(pixels.reshape(-1, 4), axis=0)
    assert len(distinct) > 20
    assert np.mean(pixels[..., :3] < 0.5) > 0.002


def test_backend_is_off_screen() -> None:
    assert matplotlib.get_backend().lower() == "agg"


def test_slope_chart_is_a_png_describing_each_direction() -> None:
    png = paired_slope_chart(
        list(zip(BEFORE, AFTER, strict=True)),
        title="Life satisfaction",
        y_label="Score (0–10)",
        y_range=(0, 10),
    )
    pixels = _pixels(png)
    _assert_not_blank(pixels)
    metadata = _metadata(png)

    assert metadata["Title"] == "Life satisfaction (n = 12)"
    assert "8 improved, 1 worsened, 3 did not change" in metadata["Description"]
    assert "Median 4.5 before, 5 after" in metadata["Description"]
    assert _count_colour(pixels, BLUE) > 100


def test_slope_chart_colours_follow_direction_and_threshold() -> None:
    pairs = list(zip(BEFORE, AFTER, strict=True))
    options = {"title": "Anxiety", "y_label": "Score", "y_range": (0.0, 10.0)}
    rising_is_good = _pixels(paired_slope_chart(pairs, **options))  # type: ignore[arg-type]
    rising_is_bad = paired_slope_chart(pairs, higher_is_better=False, **options)  # type: ignore[arg-type]
    thresholded = paired_slope_chart(pairs, meaningful_change=1, **options)  # type: ignore[arg-type]

    # For anxiety the eight rises are worsenings: far more vermillion is drawn.
    assert _count_colour(_pixels(rising_is_bad), VERMILLION) > 3 * _count_colour(
        rising_is_good, VERMILLION
    )
    assert "1 improved, 8 worsened" in _metadata(rising_is_bad)["Description"]
    # Only the six 2-point gains are beyond a meaningful change of 1.
    assert "6 improved, 0 worsened, 6 did not change" in _metadata(thresholded)["Description"]


@pytest.mark.parametrize("pairs", [[], [(3.0, 5.0)]])
def test_slope_chart_with_too_little_data_says_so(pairs: list[tuple[float, float]]) -> None:
    png = paired_slope_chart(pairs, title="Life satisfaction", y_label="Score", y_range=(0, 10))

    _assert_not_blank(_pixels(png))
    metadata = _metadata(png)
    assert NOT_ENOUGH_DATA in metadata["Description"]
    assert metadata["Title"] == f"Life satisfaction (n = {len(pairs)})"


@pytest.mark.parametrize(
    ("pairs", "y_range", "threshold"),
    [
        ([(1.0, 2.0), (3.0, 4.0)], (10.0, 0.0), 0.0),
        ([(1.0, 2.0), (3.0, 11.0)], (0.0, 10.0), 0.0),
        ([(1.0, 2.0), (3.0, 4.0)], (0.0, 10.0), -1.0),
    ],
)
def test_slope_chart_refuses_impossible_input(
    pairs: list[tuple[float, float]], y_range: tuple[float, float], threshold: float
) -> None:
    with pytest.raises(ValueError):
        paired_slope_chart(
            pairs, title="t", y_label="y", y_range=y_range, meaningful_change=threshold
        )


def test_histogram_counts_people_on_each_side_of_the_threshold() -> None:
    changes = [a - b for a, b in zip(AFTER, BEFORE, strict=True)]
    png = change_histogram(changes, title="Change in life satisfaction", meaningful_change=1)
    pixels = _pixels(png)
    _assert_not_blank(pixels)
    metadata = _metadata(png)

    assert metadata["Title"] == "Change in life satisfaction (n = 12)"
    assert (
        "6 improved and 0 worsened by more than 1; 6 changed by 1 or less"
        in (metadata["Description"])
    )
    assert _count_colour(pixels, BLUE) > 1000


def test_histogram_of_continuous_changes_keeps_sides_apart() -> None:
    # -1.2 and -0.4 can share a bin; stacking keeps -1.2 counted (and coloured) as worse.
    changes = [0.3, 2.55, -1.2, 4.1, 0.9, 1.7, -0.4, -2.2]
    png = change_histogram(changes, title="SWEMWBS", meaningful_change=1)
    pixels = _pixels(png)

    assert (
        "3 improved and 2 worsened by more than 1; 3 changed by 1 or less"
        in (_metadata(png)["Description"])
    )
    assert _count_colour(pixels, VERMILLION) > 1000


@pytest.mark.parametrize("changes", [[], [2.0]])
def test_histogram_with_too_little_data_says_so(changes: list[float]) -> None:
    png = change_histogram(changes, title="Change", meaningful_change=1)
    _pixels(png)
    assert NOT_ENOUGH_DATA in _metadata(png)["Description"]


def test_histogram_refuses_a_negative_threshold() -> None:
    with pytest.raises(ValueError):
        change_histogram([1.0, 2.0], title="Change", meaningful_change=-0.5)


def _weeks(count: int) -> list[tuple[date, int, int]]:
    start = date(2026, 9, 7)
    return [(start + timedelta(weeks=i), 10 + i % 4, 7 + i % 3) for i in range(count)]


def test_attendance_chart_totals_and_orders_the_weeks() -> None:
    weeks = _weeks(10)
    png = attendance_chart(list(reversed(weeks)), title="Drumming circle")
    pixels = _pixels(png)
    _assert_not_blank(pixels)
    metadata = _metadata(png)

    booked = sum(b for _, b, _ in weeks)
    attended = sum(a for _, _, a in weeks)
    assert metadata["Title"] == f"Drumming circle ({attended} of {booked} bookings attended)"
    assert "over 10 weeks from 2026-09-07 to 2026-11-09" in metadata["Description"]
    assert _count_colour(pixels, BLUE) > 1000


@pytest.mark.parametrize("count", [0, 1])
def test_attendance_chart_with_too_little_data_says_so(count: int) -> None:
    png = attendance_chart(_weeks(count), title="Pottery")
    _pixels(png)
    assert NOT_ENOUGH_DATA in _metadata(png)["Description"]


@pytest.mark.parametrize(
    "weeks",
    [
        [(date(2026, 9, 7), 5, 6), (date(2026, 9, 14), 5, 5)],
        [(date(2026, 9, 7), -1, 0), (date(2026, 9, 14), 5, 5)],
        [(date(2026, 9, 7), 5, 4), (date(2026, 9, 7), 5, 5)],
    ],
)
def test_attendance_chart_refuses_impossible_counts(weeks: list[tuple[date, int, int]]) -> None:
    with pytest.raises(ValueError):
        attendance_chart(weeks, title="Choir")


def test_charts_leave_no_open_pyplot_figures() -> None:
    from matplotlib import pyplot

    paired_slope_chart([(1, 2), (2, 1)], title="t", y_label="y", y_range=(0, 10))
    change_histogram([1, 2, 3], title="t", meaningful_change=1)
    attendance_chart(_weeks(3), title="t")
    assert pyplot.get_fignums() == []
