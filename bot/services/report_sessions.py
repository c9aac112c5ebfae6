"""Sessions in a report: grouping by activity and category, attendance by week, and quotes.

Attendance is counted per session in the database and bucketed into local weeks (Monday
first); quotes are the newest notes participants agreed to share, shown without a code or date
so they cannot be traced back.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import ActivityRow, Booking, BookingStatus, CheckIn, OccurrenceRow
from bot.services.report_cohorts import Period

# A few voices beside the numbers; more would read as a sample chosen to persuade.
MAX_QUOTES = 3
MAX_QUOTE_LENGTH = 280


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
