"""`chorus report`: the review's outputs from the command line, for scheduled funder reports.

    chorus report --from 2026-09-01 --to 2026-11-30 --format html --out report.html
    chorus report --from 2026-09-01 --to 2026-11-30 --cohort area=LA4 --format csv --out a.csv

The command line acts as a coordinator (it runs with the server's own database access) and
every run is audit-logged with no actor. Heavy modules (SciPy, matplotlib) are imported only
when a report is actually made, so `chorus --help` stays quick.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bot.clock import Clock, SystemClock
from bot.config import Settings

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.db.models import Person
    from bot.services.report_cohorts import Cohort, Period
    from bot.services.reports import Report

EXIT_REFUSED = 1
FORMATS = ("csv", "json", "html", "png")


def add_parser(commands: Any) -> None:
    """Adds the ``report`` subcommand to the top-level subparsers."""
    report = commands.add_parser(
        "report", help="write the review's CSV, JSON, HTML report or PNG charts for a period"
    )
    report.add_argument(
        "--from", dest="first", required=True, type=date.fromisoformat, help="first day"
    )
    report.add_argument(
        "--to", dest="last", required=True, type=date.fromisoformat, help="last day"
    )
    report.add_argument(
        "--cohort",
        default="all",
        help="all (default), lw<link worker id>, a<activity id>, c=<category> or area=<area>",
    )
    report.add_argument("--format", choices=FORMATS, required=True, dest="output_format")
    report.add_argument(
        "--out",
        type=Path,
        required=True,
        help="the file to write (for png: a folder, one file per chart)",
    )


def main(
    args: argparse.Namespace,
    settings: Settings,
    *,
    stdout: TextIO = sys.stdout,
    stderr: TextIO = sys.stderr,
) -> int:
    """Runs ``chorus report`` from parsed arguments, writes the files; returns the exit status."""
    try:
        files = asyncio.run(
            outputs(
                settings,
                first=args.first,
                last=args.last,
                cohort=args.cohort,
                output_format=args.output_format,
                out=args.out,
            )
        )
    except ValueError as exc:
        stderr.write(f"Report refused: {exc}.\n")
        return EXIT_REFUSED
    for path, data in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        stdout.write(f"Wrote {path} ({len(data):,} bytes)\n")
    return 0


async def outputs(
    settings: Settings,
    *,
    first: date,
    last: date,
    cohort: str,
    output_format: str,
    out: Path,
    clock: Clock | None = None,
) -> list[tuple[Path, bytes]]:
    """Builds one output: the files to write and their contents.

    For ``csv`` the answers go to ``out`` and the data dictionary beside it
    (``<name>-dictionary.csv``); for ``png`` ``out`` is a folder with one file per chart.

    Raises:
        ValueError: the dates, cohort or format are not usable.
    """
    from bot.db.models import Person, Role
    from bot.db.session import create_engine, create_session_factory
    from bot.services.report_cohorts import Cohort, custom_period
    from bot.services.report_csv import export_csv

    if output_format not in FORMATS:
        raise ValueError(f"unknown format {output_format!r}")
    now = (clock or SystemClock()).now()
    period = custom_period(first, last, settings.zone)
    chosen = Cohort.parse(cohort)
    # Never added to the session: it only carries the coordinator's scope, and audit events
    # record no actor for the command line.
    operator = Person(role=Role.COORDINATOR, code="CLI")
    engine = create_engine(settings.database_url)
    try:
        async with create_session_factory(engine).begin() as session:
            if output_format == "csv":
                export = await export_csv(session, operator, period, chosen, now=now)
                return [
                    (out, export.answers),
                    (out.with_name(f"{out.stem}-dictionary.csv"), export.dictionary),
                ]
            report = await _report(session, operator, period, chosen, now, settings, output_format)
    finally:
        await engine.dispose()
    return await _render(report, output_format, out)


async def _report(
    session: AsyncSession,
    operator: Person,
    period: Period,
    cohort: Cohort,
    now: datetime,
    settings: Settings,
    purpose: str,
) -> Report:
    from bot.services.reports import build_report

    return await build_report(
        session,
        operator,
        period,
        cohort,
        now=now,
        zone=settings.zone,
        min_n=settings.report_min_n,
        threshold=settings.disclosure_threshold,
        purpose=f"cli-{purpose}",
    )


async def _render(report: Report, output_format: str, out: Path) -> list[tuple[Path, bytes]]:
    from bot.services.report_charts import report_charts
    from bot.services.report_exports import report_to_json
    from bot.services.report_html import render_html

    if output_format == "json":
        return [(out, report_to_json(report))]
    if output_format == "html":
        page = await asyncio.to_thread(render_html, report)
        return [(out, page.encode("utf-8"))]
    charts = await asyncio.to_thread(report_charts, report)
    return [(out / f"{chart.name}.png", chart.png) for chart in charts]
