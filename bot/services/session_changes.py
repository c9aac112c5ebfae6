"""Session changes by staff: cancel one meeting, move it (time or venue), or add a note.

Everyone booked is told once, through the nudge dispatcher's session-change notice; their
reminders are skipped (cancelled) or re-planned for the new time (moved). Bookings point at the
occurrence, so they follow a move by themselves. Every change is audit-logged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil import parser as dateparser
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    ActivityRow,
    AudienceKind,
    Booking,
    BookingStatus,
    OccurrenceRow,
    OccurrenceStatus,
    Person,
    VenueRow,
)
from bot.services import audit, broadcasts, nudge_changes
from bot.services.nudge_policy import NudgePolicy

LIST_DAYS = 14
LIST_LIMIT = 8
# With the session's name and time in front, a note still fits on one phone screen.
MAX_NOTE_LENGTH = 300
_CLOCK_TIME = re.compile(r"\d\s*[ap]\.?m\b|\d[:.]\d", re.IGNORECASE)


class ChangeError(ValueError):
    """A change that cannot be made; the message says why, in plain words."""


@dataclass(frozen=True, slots=True)
class Meeting:
    occurrence_id: int
    title: str
    starts_at: datetime
    status: OccurrenceStatus
    booked: int
    venue: str | None = None
    note: str | None = None


async def upcoming(
    session: AsyncSession, *, now: datetime, words: str = "", limit: int = LIST_LIMIT
) -> list[Meeting]:
    """Meetings in the next two weeks, soonest first, filtered by words in the title."""
    booked = (
        select(func.count())
        .where(Booking.occurrence_id == OccurrenceRow.id, Booking.status == BookingStatus.BOOKED)
        .scalar_subquery()
    )
    query = (
        select(OccurrenceRow, ActivityRow.title, booked)
        .join(ActivityRow, ActivityRow.id == OccurrenceRow.activity_id)
        .where(
            OccurrenceRow.starts_at > now,
            OccurrenceRow.starts_at <= now + timedelta(days=LIST_DAYS),
        )
        .order_by(OccurrenceRow.starts_at, OccurrenceRow.id)
        .limit(limit)
    )
    for word in words.lower().split()[:5]:
        query = query.where(func.lower(ActivityRow.title).contains(word, autoescape=True))
    rows = (await session.execute(query)).all()
    return [
        Meeting(o.id, title, o.starts_at, o.status, int(n or 0), None, o.note)
        for o, title, n in rows
    ]


async def meeting(session: AsyncSession, occurrence_id: int) -> Meeting:
    """One meeting with its booked count and venue, for the change menu."""
    occurrence = await session.get(OccurrenceRow, occurrence_id)
    if occurrence is None:
        raise ChangeError("That session no longer exists.")
    activity = await session.get(ActivityRow, occurrence.activity_id)
    venue_id = occurrence.venue_id or (activity.venue_id if activity else None)
    venue = await session.get(VenueRow, venue_id) if venue_id else None
    booked = await session.scalar(
        select(func.count()).where(
            Booking.occurrence_id == occurrence.id, Booking.status == BookingStatus.BOOKED
        )
    )
    return Meeting(
        occurrence.id,
        activity.title if activity else "",
        occurrence.starts_at,
        occurrence.status,
        int(booked or 0),
        venue.name if venue else None,
        occurrence.note,
    )


async def _open(session: AsyncSession, occurrence_id: int, now: datetime) -> OccurrenceRow:
    occurrence = await session.get(OccurrenceRow, occurrence_id)
    if occurrence is None:
        raise ChangeError("That session no longer exists.")
    if occurrence.status is OccurrenceStatus.CANCELLED:
        raise ChangeError("That session is already cancelled.")
    if occurrence.starts_at <= now:
        raise ChangeError("That session has already started.")
    return occurrence


async def cancel(session: AsyncSession, staff: Person, occurrence_id: int, *, now: datetime) -> int:
    """Cancels a meeting, skips its reminders and queues one notice per booked person.

    Returns:
        How many people are booked (and will be told).
    """
    occurrence = await _open(session, occurrence_id, now)
    occurrence.status = OccurrenceStatus.CANCELLED
    await session.flush()
    await nudge_changes.skip_for_occurrence(session, occurrence.id, reason="cancelled", now=now)
    await audit.record(
        session, actor_id=staff.id, action="session.cancel", now=now, detail={"occ": occurrence.id}
    )
    return (await meeting(session, occurrence.id)).booked


def parse_new_time(text: str, current: datetime, zone: ZoneInfo) -> datetime | None:
    """Reads '19:30', 'Thursday 7pm' or '27/11 18:00' as a local time near the current one."""
    local = current.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)
    if _CLOCK_TIME.search(text):
        # "7pm" means 19:00, not 19 and the old minutes; a bare day keeps the old time.
        local = local.replace(minute=0)
    try:
        parsed = dateparser.parse(text, default=local, dayfirst=True, fuzzy=False)
    except (ValueError, OverflowError):
        return None
    if parsed.tzinfo is not None:
        return parsed.astimezone(zone)
    return parsed.replace(tzinfo=zone)


async def _venue_named(session: AsyncSession, text: str) -> VenueRow:
    name = text.strip().removeprefix("at ").strip().lower()
    venues = list(
        await session.scalars(
            select(VenueRow)
            .where(func.lower(VenueRow.name).contains(name, autoescape=True))
            .limit(3)
        )
    )
    if len(venues) != 1:
        raise ChangeError(
            "I could not read that as a time or a single venue. Try '19:30', 'Thursday 7pm' "
            "or part of the venue's name."
        )
    return venues[0]


async def move(
    session: AsyncSession,
    staff: Person,
    occurrence_id: int,
    text: str,
    *,
    zone: ZoneInfo,
    policy: NudgePolicy,
    now: datetime,
) -> Meeting:
    """Moves a meeting to a new time or venue; bookings follow, reminders are re-planned."""
    occurrence = await _open(session, occurrence_id, now)
    when = parse_new_time(text, occurrence.starts_at, zone)
    detail: dict[str, object] = {"occ": occurrence.id}
    if when is not None:
        if when <= now:
            raise ChangeError("That time has already passed.")
        length = (occurrence.ends_at - occurrence.starts_at) if occurrence.ends_at else None
        occurrence.starts_at = when
        occurrence.ends_at = when + length if length is not None else None
        detail["to"] = "time"
    else:
        occurrence.venue_id = (await _venue_named(session, text)).id
        detail["to"] = "venue"
    occurrence.status = OccurrenceStatus.MOVED
    await session.flush()
    await nudge_changes.replan_for_occurrence(session, occurrence.id, policy=policy, now=now)
    await audit.record(session, actor_id=staff.id, action="session.move", now=now, detail=detail)
    return await meeting(session, occurrence.id)


async def add_note(
    session: AsyncSession,
    staff: Person,
    occurrence_id: int,
    note: str,
    *,
    chat_id: int,
    zone: ZoneInfo,
    now: datetime,
) -> int:
    """Stores a note on a meeting and queues it, as a broadcast, for everyone booked.

    Returns:
        How many people will get the note (0: stored, nobody to tell).
    """
    occurrence = await _open(session, occurrence_id, now)
    text = note.strip()[:MAX_NOTE_LENGTH]
    if not text:
        raise ChangeError("The note is empty.")
    occurrence.note = text
    await audit.record(
        session, actor_id=staff.id, action="session.note", now=now, detail={"occ": occurrence.id}
    )
    await session.flush()
    found = await meeting(session, occurrence.id)
    if found.booked == 0:
        return 0
    when = found.starts_at.astimezone(zone).strftime("%a %d %b %H:%M")
    draft = await broadcasts.start_draft(
        session, staff, AudienceKind.OCCURRENCE, ref=str(occurrence.id), chat_id=chat_id, now=now
    )
    await broadcasts.set_text(session, staff, draft.id, f"{found.title}, {when}: {text}")
    return (await broadcasts.confirm(session, staff, draft.id, now=now)).total
