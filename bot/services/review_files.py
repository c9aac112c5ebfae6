"""Review outputs as files to send: the answers CSV and dictionary, a chart, the funder report.

Telegram lets a bot upload documents of up to 50 MB. A year of answers for a large service is
far bigger as plain CSV, so a large export is sent gzip-compressed (long-format CSV shrinks
about tenfold); one still too large is refused with a pointer to ``chorus report``, which has
no size limit.
"""

from __future__ import annotations

import asyncio
import gzip
from dataclasses import dataclass
from datetime import timedelta

from bot.config import Settings
from bot.services import report_charts, report_html
from bot.services.report_cohorts import Period, ReportRefused
from bot.services.report_csv import CsvExport
from bot.services.reports import Report

# Telegram's limit for a bot's uploads, less room for the multipart envelope.
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024 - 64 * 1024


@dataclass(frozen=True, slots=True)
class ReviewFile:
    """A document to send: ``kind`` is answers, dictionary, chart or html."""

    kind: str
    filename: str
    data: bytes
    title: str
    period_label: str
    cohort_label: str = ""
    rows: int = 0
    people: int = 0
    compressed: bool = False


def stem(period: Period, settings: Settings) -> str:
    """``20260901-20261130``: the local first and last day, for file names."""
    first = period.start.astimezone(settings.zone).date()
    last = (period.end - timedelta(seconds=1)).astimezone(settings.zone).date()
    return f"{first:%Y%m%d}-{last:%Y%m%d}"


async def answer_files(
    export: CsvExport, period: Period, settings: Settings, *, limit: int = MAX_DOCUMENT_BYTES
) -> list[ReviewFile]:
    """The answers CSV (gzip-compressed when over ``limit``) and the data dictionary.

    Raises:
        ReportRefused: the answers are too large to send even compressed.
    """
    name, data, compressed = f"chorus-answers-{stem(period, settings)}.csv", export.answers, False
    if len(data) > limit:
        data = await asyncio.to_thread(gzip.compress, data, 6, mtime=0)
        name, compressed = name + ".gz", True
        if len(data) > limit:
            megabytes = len(data) / 1024 / 1024
            raise ReportRefused(
                f"That export is too large to send here ({megabytes:.0f} MB even compressed). "
                "Choose a shorter period or a smaller group, or ask your administrator to run "
                "chorus report on the server."
            )
    return [
        ReviewFile(
            "answers",
            name,
            data,
            "Check-in answers",
            period.label,
            rows=export.rows,
            people=export.people,
            compressed=compressed,
        ),
        ReviewFile(
            "dictionary",
            "chorus-data-dictionary.csv",
            export.dictionary,
            "Data dictionary",
            period.label,
        ),
    ]


async def report_files(report: Report, action: str, settings: Settings) -> list[ReviewFile]:
    """The headline chart (``png``) or the funder report (``html``), drawn off the event loop.

    A chart is only drawn from groups that passed the disclosure rule, so an empty list means
    there is nothing that may be shown.
    """
    name = stem(report.period, settings)
    if action == "html":
        page = await asyncio.to_thread(report_html.render_html, report)
        return [
            ReviewFile(
                "html",
                f"chorus-report-{name}.html",
                page.encode("utf-8"),
                "Report for funders",
                report.period.label,
                report.cohort_label,
            )
        ]
    charts = await asyncio.to_thread(report_charts.report_charts, report)
    return [
        ReviewFile(
            "chart",
            f"chorus-{chart.name}-{name}.png",
            chart.png,
            chart.title,
            report.period.label,
            report.cohort_label,
        )
        for chart in charts[:1]
    ]
