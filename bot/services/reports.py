"""Coordinators' reports: the review summary, honest outcomes, attendance and participants' words.

Use cases take an open session, the staff member asking (already authorised by
``report_cohorts.authorise``), a period and a cohort, and audit-log what they show. The
statistics are ``bot.services.statistics``; the pairing rules are in ``report_outcomes``;
every group of fewer people than the disclosure threshold is withheld.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, String, case, func, or_, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    ActivityRow,
    Answer,
    Booking,
    BookingStatus,
    CheckIn,
    CheckInContext,
    CheckInStatus,
    OccurrenceRow,
    Person,
)
from bot.questionnaires import QuestionnaireError, load_questionnaire, score
from bot.services import audit
from bot.services.report_cohorts import Cohort, Period, describe, members
from bot.services.report_outcomes import (
    MOOD,
    MOOD_MEASURE,
    OutcomeRow,
    ScoredCheckIn,
    mood_rows,
    outcome_rows,
    session_pairs,
)
from bot.services.report_summary import ReviewSummary, summarise

# A few voices beside the numbers; more would read as a sample chosen to persuade.
MAX_QUOTES = 3
MAX_QUOTE_LENGTH = 280


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a funder report, export or chart is drawn from, for one period and cohort."""

    period: Period
    cohort: Cohort
    cohort_label: str
    generated_at: datetime
    min_n: int
    threshold: int
    summary: ReviewSummary
    outcomes: tuple[OutcomeRow, ...]
    mood: tuple[OutcomeRow, ...]
    attendance: tuple[tuple[date, int, int], ...]
    quotes: tuple[str, ...]


async def review_summary(
    session: AsyncSession,
    viewer: Person,
    period: Period,
    cohort: Cohort,
    *,
    now: datetime,
    threshold: int,
) -> tuple[str, ReviewSummary]:
    """The one-screen summary and the cohort in words, audit-logged as a view.

    Raises:
        ReportRefused: the viewer may not see this cohort.
    """
    query = await members(session, viewer, cohort)
    summary = await summarise(session, query, period, threshold=threshold)
    await audit.record(
        session,
        actor_id=viewer.id,
        action="review.summary",
        now=now,
        detail={"period": period.token, "cohort": cohort.token},
    )
    return await describe(session, cohort, viewer), summary


async def build_report(
    session: AsyncSession,
    viewer: Person,
    period: Period,
    cohort: Cohort,
    *,
    now: datetime,
    zone: ZoneInfo,
    min_n: int,
    threshold: int,
    purpose: str = "report",
) -> Report:
    """Assembles the full report (summary, outcomes, session mood, attendance, quotes).

    Args:
        purpose: what the report is for, recorded in the audit trail (e.g. ``"html"``).

    Raises:
        ReportRefused: the viewer may not see this cohort.
    """
    query = await members(session, viewer, cohort)
    summary = await summarise(session, query, period, threshold=threshold)
    outcomes: list[OutcomeRow] = []
    mood: list[OutcomeRow] = []
    attendance: tuple[tuple[date, int, int], ...] = ()
    quotes: tuple[str, ...] = ()
    if not summary.suppressed:
        check_ins = await scored_check_ins(session, query, period)
        outcomes = outcome_rows(
            check_ins, start=period.start, end=period.end, min_n=min_n, threshold=threshold
        )
        pairs = session_pairs(check_ins)
        groups = await occurrence_groups(session, {occurrence for _, occurrence, _, _ in pairs})
        mood = mood_rows(pairs, groups, min_n=min_n, threshold=threshold)
        attendance = await attendance_weeks(session, query, period, zone)
        quotes = await shared_quotes(session, query, period)
    await audit.record(
        session,
        actor_id=viewer.id,
        action="report.build",
        now=now,
        detail={"period": period.token, "cohort": cohort.token, "purpose": purpose},
    )
    return Report(
        period=period,
        cohort=cohort,
        cohort_label=await describe(session, cohort, viewer),
        generated_at=now,
        min_n=min_n,
        threshold=threshold,
        summary=summary,
        outcomes=tuple(outcomes),
        mood=tuple(mood),
        attendance=attendance,
        quotes=quotes,
    )


async def scored_check_ins(
    session: AsyncSession, query: Select[int], period: Period
) -> list[ScoredCheckIn]:
    """Completed check-ins the analysis needs: baselines up to the end, the rest in the period.

    Scores come from the stored score record; a check-in stored without one is scored again
    from its answers, so a report never silently drops someone.
    """
    # Core rows, not ORM ones: a year of check-ins for ten thousand people is half a million.
    connection = await session.connection()
    rows = (
        await connection.execute(
            select(
                CheckIn.id,
                CheckIn.person_id,
                CheckIn.questionnaire,
                type_coerce(CheckIn.context, String).label("context"),
                CheckIn.occurrence_id,
                CheckIn.completed_at,
                # Only the measures, and for the (many) mood checks only the one number the
                # analysis uses: decoding whole score records for half a million check-ins
                # costs more than the rest of the report.
                case((CheckIn.questionnaire != MOOD, CheckIn.scores["measures"]), else_=None).label(
                    "measures"
                ),
                CheckIn.scores[("measures", MOOD_MEASURE)].as_float().label("mood"),
            ).where(
                CheckIn.person_id.in_(query),
                CheckIn.status == CheckInStatus.COMPLETED,
                CheckIn.completed_at < period.end,
                or_(
                    CheckIn.context == CheckInContext.BASELINE,
                    CheckIn.completed_at >= period.start,
                ),
            )
        )
    ).all()
    stored: dict[int, dict[str, float]] = {}
    missing: list[int] = []
    for row in rows:
        measures = row.measures
        if row.questionnaire == MOOD and row.mood is not None:
            stored[row.id] = {MOOD_MEASURE: row.mood}
        elif isinstance(measures, dict):
            stored[row.id] = {str(k): float(v) for k, v in measures.items() if v is not None}
        else:
            # No score record (or a mood check too incomplete for a mean): score the answers.
            missing.append(row.id)
    stored |= await _rescore(session, missing, {row.id: row.questionnaire for row in rows})
    return [
        ScoredCheckIn(
            row.id,
            row.person_id,
            row.questionnaire,
            row.context,
            row.occurrence_id,
            row.completed_at,
            stored.get(row.id, {}),
        )
        for row in rows
        if row.completed_at is not None
    ]


async def _rescore(
    session: AsyncSession, check_in_ids: Sequence[int], keys: dict[int, str]
) -> dict[int, dict[str, float]]:
    """Scores check-ins from their answer rows (for rows stored without scores)."""
    if not check_in_ids:
        return {}
    answers: dict[int, dict[str, int]] = defaultdict(dict)
    for chunk_start in range(0, len(check_in_ids), 500):
        chunk = check_in_ids[chunk_start : chunk_start + 500]
        result = await session.execute(
            select(Answer.check_in_id, Answer.item, Answer.value).where(
                Answer.check_in_id.in_(chunk), Answer.value.is_not(None)
            )
        )
        for check_in_id, item, value in result:
            if value is not None:
                answers[check_in_id][item] = value
    scored: dict[int, dict[str, float]] = {}
    for check_in_id in check_in_ids:
        try:
            scores = score(load_questionnaire(keys[check_in_id]), answers.get(check_in_id, {}))
        except QuestionnaireError:
            # An answer the current definition no longer allows: leave the check-in unscored.
            continue
        scored[check_in_id] = dict(scores.measures)
    return scored


async def occurrence_groups(session: AsyncSession, occurrences: set[int]) -> dict[str, set[int]]:
    """Groups occurrences by activity ("Activity: …") and by category ("Category: …")."""
    groups: dict[str, set[int]] = defaultdict(set)
    if not occurrences:
        return {}
    result = await session.execute(
        select(OccurrenceRow.id, ActivityRow.title, ActivityRow.categories)
        .join(ActivityRow, ActivityRow.id == OccurrenceRow.activity_id)
        .where(OccurrenceRow.id.in_(occurrences))
    )
    for occurrence_id, title, categories in result:
        groups[f"Activity: {title}"].add(occurrence_id)
        for category in categories or []:
            groups[f"Category: {category.lower()}"].add(occurrence_id)
    return dict(sorted(groups.items()))


async def attendance_weeks(
    session: AsyncSession, query: Select[int], period: Period, zone: ZoneInfo
) -> tuple[tuple[date, int, int], ...]:
    """Places booked and attended per local week (Monday) on sessions held in the period."""
    # Counted per session in the database; only the sessions' times come back to be bucketed.
    result = await session.execute(
        select(OccurrenceRow.starts_at, Booking.status, func.count(Booking.id))
        .join(OccurrenceRow, OccurrenceRow.id == Booking.occurrence_id)
        .where(
            Booking.person_id.in_(query),
            Booking.status != BookingStatus.CANCELLED,
            OccurrenceRow.starts_at >= period.start,
            OccurrenceRow.starts_at < period.end,
        )
        .group_by(OccurrenceRow.id, OccurrenceRow.starts_at, Booking.status)
    )
    booked: Counter[date] = Counter()
    attended: Counter[date] = Counter()
    for starts_at, status, count in result:
        day = starts_at.astimezone(zone).date()
        week = day - timedelta(days=day.weekday())
        booked[week] += count
        if status == BookingStatus.ATTENDED:
            attended[week] += count
    return tuple((week, booked[week], attended[week]) for week in sorted(booked))


async def shared_quotes(
    session: AsyncSession, query: Select[int], period: Period
) -> tuple[str, ...]:
    """The newest notes participants agreed to share, without codes or dates beside them."""
    result = await session.execute(
        select(CheckIn.note)
        .where(
            CheckIn.person_id.in_(query),
            CheckIn.note_shareable.is_(True),
            CheckIn.note.is_not(None),
            CheckIn.completed_at >= period.start,
            CheckIn.completed_at < period.end,
        )
        .order_by(CheckIn.completed_at.desc(), CheckIn.id.desc())
        .limit(MAX_QUOTES * 3)
    )
    quotes: list[str] = []
    for (note,) in result:
        text = " ".join((note or "").split())
        if text and text not in quotes:
            quotes.append(
                text
                if len(text) <= MAX_QUOTE_LENGTH
                else text[: MAX_QUOTE_LENGTH - 1].rstrip() + "…"
            )
    return tuple(quotes[:MAX_QUOTES])
