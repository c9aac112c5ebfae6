"""What Chorus says during `/review`: the summary, outcomes and check-in logs, in plain words.

Staff views show pseudonymous codes and first names only. Free text a participant typed (a
note) is escaped before it goes into a message; every message fits one phone screen.
"""

from __future__ import annotations

from html import escape

from bot.services import report_format as fmt
from bot.services.disclosure import disclosed_count
from bot.services.report_logs import LogEntry, LogPage
from bot.services.reports import Report
from bot.services.review_files import ReviewFile
from bot.services.reviews import SummaryView

# Outcome lines in the Telegram message; the HTML report has them all.
MAX_OUTCOME_LINES = 8

CHOOSE_PERIOD = (
    "<b>Review</b>: which period?\n\n"
    "Other dates: <code>/review 2026-01-01 2026-03-31</code>\n"
    "One person's check-ins: <code>/review P-7K3Q</code>\n"
    "One session's check-ins: <code>/review session 12</code>\n"
    "An area or activity: <code>/review area LA4</code>, <code>/review activity 12</code>"
)
THIS_MONTH = "This month"
LAST_THREE_MONTHS = "Last 3 months"
CHOOSE_COHORT = "<b>{period}</b>\nWho should the review cover?"
OUTCOMES_BUTTON = "Outcomes"
CSV_BUTTON = "CSV export"
CHART_BUTTON = "Chart"
HTML_BUTTON = "Funder report"
OLDER_BUTTON = "Older ›"
NEWER_BUTTON = "‹ Newer"
STALE_BUTTON = "That button is out of date. Send /review to start again."
WORKING = "Working on it…"
NO_CHART = "There isn't enough data for a chart yet (or the group is too small to show)."
NO_CHECK_INS = "No check-ins to show."


def summary_text(view: SummaryView) -> str:
    """The one-screen summary."""
    counts = view.summary
    heading = f"<b>Review: {escape(view.period.label)}</b>\n{escape(view.cohort_label)}\n\n"
    if counts.suppressed:
        people = disclosed_count(counts.people, view.threshold)
        return heading + (
            f"This group has {people} people, so figures are withheld to keep them anonymous."
        )
    known = counts.attended + counts.did_not_attend
    lines = [
        f"People: {counts.people:,}",
        f"Referrals: {counts.referrals:,}",
        f"Joined: {counts.joined:,}",
        f"Active: {counts.active:,}",
        f"Check-ins completed: {counts.check_ins_completed:,}",
        f"Bookings: {counts.bookings:,}",
        f"Attendance: {fmt.rate(counts.attendance_rate)} (of {known:,} with attendance known)",
        f"Not reachable: {counts.unreachable:,}",
    ]
    return heading + "\n".join(lines)


def outcomes_text(report: Report) -> str:
    """Headline outcome lines with n and p, or why there are none."""
    heading = f"<b>Outcomes: {escape(report.period.label)}</b>\n{escape(report.cohort_label)}\n\n"
    rows = [*report.outcomes, *(row for row in report.mood if row.group == "All sessions")]
    if report.summary.suppressed:
        return heading + "This group is too small to show outcomes."
    if not rows:
        return heading + "No one has both a baseline and a follow-up in this period yet."
    lines = [escape(fmt.outcome_line(row, report.threshold)) for row in rows[:MAX_OUTCOME_LINES]]
    footer = (
        f"\n\nPaired tests on each person's own change; no p-value under {report.min_n} people. "
        "The funder report has the full tables."
    )
    return heading + "\n".join(f"• {line}" for line in lines) + footer


def _entry(entry: LogEntry) -> str:
    name = f" ({escape(entry.first_name)})" if entry.first_name else ""
    context = entry.context.replace("_", " ")
    when = entry.at.strftime("%-d %b %Y %H:%M UTC")
    lines = [f"<b>{entry.code}</b>{name} · {escape(entry.questionnaire)} · {context} · {when}"]
    if entry.status != "completed":
        lines.append(f"<i>{entry.status.replace('_', ' ')}</i>")
    if entry.measures:
        scores = ", ".join(
            f"{key.replace('_', ' ')} {value:g}" for key, value in entry.measures.items()
        )
        lines.append(escape(scores))
    if entry.note:
        shared = " (may be quoted)" if entry.note_shareable else ""
        note = entry.note if len(entry.note) <= 300 else entry.note[:299] + "…"
        lines.append(f"Note{shared}: <i>{escape(note)}</i>")
    return "\n".join(lines)


def log_text(page: LogPage) -> str:
    """A page of check-ins, newest first."""
    heading = f"<b>Check-ins: {escape(page.subject)}</b> (page {page.page} of {page.pages})\n\n"
    if not page.entries:
        return heading + NO_CHECK_INS
    return heading + "\n\n".join(_entry(entry) for entry in page.entries)


def caption(file: ReviewFile) -> str:
    """The caption under a sent document."""
    period = escape(file.period_label)
    if file.kind == "answers":
        packed = " Compressed (gzip) to fit Telegram's size limit." if file.compressed else ""
        return (
            f"Check-in answers: {file.rows} rows from {file.people} people, codes only. "
            f"{period}. Row-level data: for analysis, not for publication.{packed}"
        )
    if file.kind == "dictionary":
        return "What each column of the answers export means."
    if file.kind == "html":
        return f"Report for funders: {period}, {escape(file.cohort_label)}. Opens in any browser."
    return f"{escape(file.title)}. {period}, {escape(file.cohort_label)}."
