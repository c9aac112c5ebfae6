"""The funder report: one self-contained HTML file (styles and charts inline, no scripts).

It opens offline in any browser and can be emailed as it is. Every figure has its n beside it,
withheld groups say so instead of showing numbers, and a few participants' own words (only
notes they agreed to share) stand beside the statistics.
"""

from __future__ import annotations

import base64
from html import escape
from string import Template

from bot.services import report_format as fmt
from bot.services.disclosure import disclosed_count
from bot.services.report_charts import Chart, report_charts
from bot.services.report_outcomes import OutcomeRow
from bot.services.reports import Report

_PAGE = Template("""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem;
       padding: 0 1rem; color: #1a1a1a; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
.meta { color: #555; margin-top: 0; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr));
           gap: 0.75rem; padding: 0; list-style: none; }
.figures li { border: 1px solid #ccc; border-radius: 6px; padding: 0.6rem 0.8rem; }
.figures strong { display: block; font-size: 1.5rem; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.35rem 0.5rem; text-align: left;
         vertical-align: top; }
th { background: #f3f3f3; }
figure { margin: 1.5rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
blockquote { border-left: 4px solid #0072B2; margin: 1rem 0; padding: 0.3rem 1rem;
             background: #f7fbfd; }
.withheld { color: #555; font-style: italic; }
</style>
</head>
<body>
<h1>$title</h1>
<p class="meta">$period · $cohort · produced $generated</p>
<h2>At a glance</h2>
$figures
<h2>Change in wellbeing</h2>
<p>Each person's latest follow-up in the period is compared with their own baseline. Ordinal
scales (ONS4, loneliness, session mood) use the Wilcoxon signed-rank test; SWEMWBS metric
scores use the paired t-test. With fewer than $min_n people no p-value is given, and groups
of fewer than $threshold people are withheld so that no one can be recognised.</p>
$outcomes
<h2>Mood before and after sessions</h2>
<p>Overall mood (0 to 100) just before and just after the same session. Each person
counts once per row: the mean of their scores before against the mean after.</p>
$mood
<h2>In their own words</h2>
$quotes
<h2>Charts</h2>
$charts
</body>
</html>
""")

_HEADERS = (
    "Measure",
    "People (n)",
    "Median change",
    "Mean change (95% CI)",
    "Test",
    "p-value",
    "Effect size",
    "Improved beyond the meaningful change",
)


def _figures(report: Report) -> str:
    summary = report.summary
    if summary.suppressed:
        count = disclosed_count(summary.people, report.threshold)
        return f'<p class="withheld">This group has {count} people, so figures are withheld.</p>'
    items = [
        ("People in the group", f"{summary.people:,}"),
        ("Referred in the period", f"{summary.referrals:,}"),
        ("Joined (gave consent)", f"{summary.joined:,}"),
        ("Active", f"{summary.active:,}"),
        ("Check-ins completed", f"{summary.check_ins_completed:,}"),
        ("Places booked", f"{summary.bookings:,}"),
        ("Attendance", fmt.rate(summary.attendance_rate)),
        ("Not reachable", f"{summary.unreachable:,}"),
    ]
    known = summary.attended + summary.did_not_attend
    cells = [f"<li><strong>{value}</strong>{escape(label)}" for label, value in items]
    cells[6] += f" (n = {known:,} bookings)"
    return '<ul class="figures">' + "".join(cell + "</li>" for cell in cells) + "</ul>"


def _row(row: OutcomeRow, threshold: int, *, name: str) -> str:
    result = row.result
    label = escape(name)
    if result is None:
        count = disclosed_count(row.n, threshold)
        return (
            f'<tr><td>{label}</td><td>{count}</td><td class="withheld" colspan="6">'
            "withheld: too few people</td></tr>"
        )
    mean = fmt.number(result.mean_change)
    ci = fmt.interval(result.mean_change_ci)
    test = escape(result.method or result.test)
    if result.reason:
        test += f" <span class='withheld'>({escape(result.reason)})</span>"
    people = f"{result.n:,}"
    if row.questionnaire == "mood":
        people += f" ({row.sessions:,} sessions)"
    cells = (
        label,
        people,
        fmt.number(result.median_change),
        f"{mean} ({ci})" if ci else mean,
        test,
        fmt.p_value(result.p_value),
        escape(fmt.effect(result)),
        fmt.share(result.improved, result.n),
    )
    return "<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"


def _table(rows: tuple[OutcomeRow, ...], threshold: int, *, by_group: bool) -> str:
    if not rows:
        return '<p class="withheld">No before-and-after pairs in this period.</p>'
    header = "".join(f"<th>{escape(h)}</th>" for h in _HEADERS)
    if not by_group:
        # Session mood has one measure, so one table with a row per activity or category.
        body = "".join(_row(row, threshold, name=row.group) for row in rows)
        header = header.replace("Measure", "Sessions", 1)
        return f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"
    parts: list[str] = []
    for group in dict.fromkeys(row.group for row in rows):
        body = "".join(_row(row, threshold, name=row.label) for row in rows if row.group == group)
        parts.append(f"<h3>{escape(group)}</h3>")
        parts.append(f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>")
    return "\n".join(parts)


def _quotes(report: Report) -> str:
    if not report.quotes:
        return '<p class="withheld">No one chose to share a note in this period.</p>'
    return "\n".join(f"<blockquote>{escape(quote)}</blockquote>" for quote in report.quotes)


def _chart(chart: Chart) -> str:
    data = base64.b64encode(chart.png).decode("ascii")
    return (
        f'<figure id="{escape(chart.name)}"><img src="data:image/png;base64,{data}" '
        f'alt="{escape(chart.alt)}" width="800" height="500">'
        f"<figcaption>{escape(chart.title)}</figcaption></figure>"
    )


def render_html(report: Report, charts: list[Chart] | None = None) -> str:
    """The funder report as one HTML document.

    Args:
        report: the report to show.
        charts: charts to embed; drawn from the report when not given.
    """
    drawn = report_charts(report) if charts is None else charts
    chart_html = "\n".join(_chart(chart) for chart in drawn)
    return _PAGE.substitute(
        title="Chorus: wellbeing and participation report",
        period=escape(report.period.label),
        cohort=escape(report.cohort_label),
        generated=report.generated_at.strftime("%-d %B %Y %H:%M UTC"),
        figures=_figures(report),
        min_n=report.min_n,
        threshold=report.threshold,
        outcomes=_table(report.outcomes, report.threshold, by_group=True),
        mood=_table(report.mood, report.threshold, by_group=False),
        quotes=_quotes(report),
        charts=chart_html or '<p class="withheld">Not enough data for charts.</p>',
    )
