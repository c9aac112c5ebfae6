"""Which charts a report shows, drawn with ``bot.services.charts`` from the report's own numbers.

Only groups that passed the disclosure rule have pairs to draw, so a withheld group can never
leak through a chart. For a questionnaire with a summary score (UCLA total, SWEMWBS metric
score) the summary is charted; ONS4 has none, so each of its four questions is.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.questionnaires import load_questionnaire
from bot.services.charts import attendance_chart, change_histogram, paired_slope_chart
from bot.services.report_outcomes import OutcomeRow
from bot.services.reports import Report


@dataclass(frozen=True, slots=True)
class Chart:
    """One PNG chart: a file-safe name, a title, the image and a text alternative."""

    name: str
    title: str
    png: bytes
    alt: str


def headline_rows(report: Report) -> list[OutcomeRow]:
    """The outcome rows worth a chart: summary measures, or every item without one."""
    chosen: list[OutcomeRow] = []
    for row in report.outcomes:
        summary = load_questionnaire(row.questionnaire).summary
        if row.suppressed:
            continue
        if summary is None or summary.measure_id == row.measure_id:
            chosen.append(row)
    chosen.extend(row for row in report.mood if row.group == "All sessions" and not row.suppressed)
    return chosen


def _range_label(row: OutcomeRow) -> str:
    low, high = row.y_range
    return f"{row.label} ({low:g}–{high:g})"


def row_charts(row: OutcomeRow) -> list[Chart]:
    """The slope chart and the change histogram for one outcome row."""
    stem = f"{row.questionnaire}-{row.measure_id}"
    context = (
        "before and after the session" if row.questionnaire == "mood" else "baseline to latest"
    )
    slope_title = f"{row.label}: {context}"
    changes = [after - before for before, after in row.pairs]
    better = "higher is better" if row.higher_is_better else "lower is better"
    return [
        Chart(
            name=f"{stem}-slope",
            title=slope_title,
            png=paired_slope_chart(
                row.pairs,
                title=slope_title,
                y_label=_range_label(row),
                y_range=row.y_range,
                higher_is_better=row.higher_is_better,
            ),
            alt=(
                f"Slope chart of {row.n} people's {row.label.lower()}, {context} ({better}); "
                "each line is one person."
            ),
        ),
        Chart(
            name=f"{stem}-change",
            title=f"{row.label}: change",
            png=change_histogram(
                changes,
                title=f"{row.label}: change",
                meaningful_change=row.meaningful_change,
                higher_is_better=row.higher_is_better,
            ),
            alt=(
                f"Histogram of {row.n} people's change in {row.label.lower()}; the shaded band "
                f"marks changes smaller than {row.meaningful_change:g}, the meaningful change."
            ),
        ),
    ]


def attendance(report: Report) -> Chart | None:
    """Places booked and attended week by week, or None when no sessions were booked."""
    if not report.attendance:
        return None
    title = "Sessions booked and attended"
    return Chart(
        name="attendance",
        title=title,
        png=attendance_chart(report.attendance, title=title),
        alt=f"Bar chart of places booked and attended over {len(report.attendance)} weeks.",
    )


def report_charts(report: Report) -> list[Chart]:
    """Every chart of the report, headline measures first, attendance last."""
    charts = [chart for row in headline_rows(report) for chart in row_charts(row)]
    weekly = attendance(report)
    return charts + ([weekly] if weekly is not None else [])
