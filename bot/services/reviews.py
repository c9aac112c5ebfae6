"""The `/review` journey's use cases: one call per thing a member of staff asks for.

Every function checks the person again (a button can be forwarded, replayed or forged), reads
the period and cohort from untrusted tokens, and audit-logs through the report services.
Nothing here imports ``telegram``; the handler turns the results into messages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.db.models import ActivityRow, Person, Role
from bot.services import report_logs, review_files
from bot.services.report_cohorts import (
    Cohort,
    CohortKind,
    Period,
    ReportRefused,
    authorise,
    parse_period,
)
from bot.services.report_csv import export_csv
from bot.services.report_summary import ReviewSummary
from bot.services.reports import Report, build_report, review_summary

_CODE_RE = re.compile(r"^P-[0-9A-Z]{4}$", re.IGNORECASE)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# How many caseloads and categories get their own button before the keyboard gets too long.
MAX_CHOICES = 6


@dataclass(frozen=True, slots=True)
class ReviewCommand:
    """What `/review …` asked for. ``kind`` is menu, cohorts, summary, person or session."""

    kind: str
    period: str = "q"
    cohort: str = "all"
    code: str = ""
    occurrence: int = 0


@dataclass(frozen=True, slots=True)
class SummaryView:
    period: Period
    cohort: Cohort
    cohort_label: str
    summary: ReviewSummary
    threshold: int


def parse_command(args: Sequence[str]) -> ReviewCommand:
    """Reads `/review` arguments; see ``review_texts.HOW_TO`` for the forms.

    Raises:
        ReportRefused: the arguments are not one of the forms, with a hint to fix them.
    """
    words = [word.strip() for word in args if word.strip()]
    if not words:
        return ReviewCommand("menu")
    if len(words) == 1 and _CODE_RE.match(words[0]):
        return ReviewCommand("person", code=words[0].upper())
    if len(words) == 2 and words[0].lower() == "session" and words[1].isdigit():
        return ReviewCommand("session", occurrence=int(words[1]))
    period = "q"
    if len(words) >= 2 and _DATE_RE.match(words[0]) and _DATE_RE.match(words[1]):
        period = f"{words[0].replace('-', '')}-{words[1].replace('-', '')}"
        words = words[2:]
        if not words:
            return ReviewCommand("cohorts", period=period)
    return ReviewCommand("summary", period=period, cohort=_cohort_words(words).token)


def _cohort_words(words: list[str]) -> Cohort:
    kind, rest = words[0].lower(), " ".join(words[1:]).strip().lower()
    if kind in ("everyone", "all") and not rest:
        return Cohort(CohortKind.EVERYONE)
    if kind == "area" and rest:
        return Cohort(CohortKind.AREA, rest.replace(" ", ""))
    if kind == "category" and rest:
        return Cohort(CohortKind.CATEGORY, rest)
    if kind == "activity" and rest.isdigit():
        return Cohort(CohortKind.ACTIVITY, str(int(rest)))
    raise ReportRefused(
        "I didn't understand that. Try /review, /review 2026-01-01 2026-03-31, "
        "/review area LA4, /review P-7K3Q or /review session 12."
    )


def _period(token: str, settings: Settings, now: datetime) -> Period:
    try:
        return parse_period(token, now=now, zone=settings.zone)
    except ValueError as exc:
        raise ReportRefused(f"Those dates don't work: {exc}.") from None


def period_label(token: str, settings: Settings, now: datetime) -> str:
    """The period a token names, in words (for the cohort step's heading).

    Raises:
        ReportRefused: the token is not a period Chorus makes.
    """
    return _period(token, settings, now).label


def _cohort(token: str) -> Cohort:
    try:
        return Cohort.parse(token)
    except ValueError:
        raise ReportRefused("That button is out of date. Send /review to start again.") from None


async def open_review(session: AsyncSession, telegram_user_id: int, *, now: datetime) -> Person:
    """Checks the person may review at all (refusals are audit-logged).

    Raises:
        ReportRefused: they are not staff.
    """
    return await authorise(session, telegram_user_id, now=now, action="review")


async def cohort_choices(
    session: AsyncSession, telegram_user_id: int, *, now: datetime
) -> list[tuple[str, str]]:
    """Buttons for the cohort step: ``(label, cohort token)``, the viewer's own first."""
    viewer = await open_review(session, telegram_user_id, now=now)
    if viewer.role is Role.LINK_WORKER:
        return [("My caseload", Cohort(CohortKind.CASELOAD, str(viewer.id)).token)]
    choices = [("Everyone", "all")]
    workers = await session.execute(
        select(Person.id, Person.display_name, Person.code)
        .where(Person.role == Role.LINK_WORKER)
        .order_by(Person.display_name, Person.id)
        .limit(MAX_CHOICES)
    )
    for worker_id, name, code in workers:
        first = name.split()[0] if name and name.split() else code
        choices.append((f"{first}'s caseload", Cohort(CohortKind.CASELOAD, str(worker_id)).token))
    categories: dict[str, None] = {}
    for (listed,) in await session.execute(select(ActivityRow.categories)):
        categories.update(dict.fromkeys(c.lower() for c in listed or []))
    for category in sorted(categories)[:MAX_CHOICES]:
        choices.append((category.capitalize(), Cohort(CohortKind.CATEGORY, category).token))
    return choices


async def summary(
    session: AsyncSession,
    telegram_user_id: int,
    period_token: str,
    cohort_token: str,
    *,
    now: datetime,
    settings: Settings,
) -> SummaryView:
    """The one-screen summary for a period and cohort."""
    viewer = await open_review(session, telegram_user_id, now=now)
    period, cohort = _period(period_token, settings, now), _cohort(cohort_token)
    label, counts = await review_summary(
        session, viewer, period, cohort, now=now, threshold=settings.disclosure_threshold
    )
    return SummaryView(period, cohort, label, counts, settings.disclosure_threshold)


async def report(
    session: AsyncSession,
    telegram_user_id: int,
    period_token: str,
    cohort_token: str,
    *,
    now: datetime,
    settings: Settings,
    purpose: str,
) -> Report:
    """The full report (outcomes, mood, attendance, quotes) behind the outcome, chart and HTML
    buttons."""
    viewer = await open_review(session, telegram_user_id, now=now)
    return await build_report(
        session,
        viewer,
        _period(period_token, settings, now),
        _cohort(cohort_token),
        now=now,
        zone=settings.zone,
        min_n=settings.report_min_n,
        threshold=settings.disclosure_threshold,
        purpose=purpose,
    )


async def csv_export(
    session: AsyncSession,
    telegram_user_id: int,
    period_token: str,
    cohort_token: str,
    *,
    now: datetime,
    settings: Settings,
) -> list[review_files.ReviewFile]:
    """The answers CSV (compressed if it is large) and its data dictionary, ready to send.

    Raises:
        ReportRefused: the viewer may not see this, or the export is too large to send.
    """
    viewer = await open_review(session, telegram_user_id, now=now)
    period = _period(period_token, settings, now)
    export = await export_csv(session, viewer, period, _cohort(cohort_token), now=now)
    return await review_files.answer_files(export, period, settings)


async def person_log(
    session: AsyncSession, telegram_user_id: int, code: str, page: int, *, now: datetime
) -> report_logs.LogPage:
    """A page of one participant's check-ins."""
    viewer = await open_review(session, telegram_user_id, now=now)
    return await report_logs.person_log(session, viewer, code, page=page, now=now)


async def session_log(
    session: AsyncSession, telegram_user_id: int, occurrence_id: int, page: int, *, now: datetime
) -> report_logs.LogPage:
    """A page of one session's check-ins."""
    viewer = await open_review(session, telegram_user_id, now=now)
    return await report_logs.session_log(session, viewer, occurrence_id, page=page, now=now)
