"""Coordinators' reports: the review summary, honest outcomes, attendance and participants' words.

Use cases take an open session, the staff member asking (already authorised by
``report_cohorts.authorise``), a period and a cohort, and audit-log what they show. The
statistics are ``bot.services.statistics``; the pairing rules are in ``report_outcomes``;
every group of fewer people than the disclosure threshold is withheld.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Select, String, case, or_, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    Answer,
    CheckIn,
    CheckInContext,
    CheckInStatus,
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
from bot.services.report_sessions import attendance_weeks, occurrence_groups, shared_quotes
from bot.services.report_summary import ReviewSummary, summarise


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
