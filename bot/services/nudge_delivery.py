"""Deciding, at the moment of sending, whether a claimed nudge is still worth sending.

Planning happens days ahead; the world changes in between. Just before each send the nudge is
checked again: a reminder for a session that was cancelled, moved or has already started
(after downtime) is skipped, not sent late; anything falling inside the person's quiet hours
waits for the morning if it will still be useful then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    ActivityRow,
    Booking,
    BookingStatus,
    Nudge,
    NudgeKind,
    NudgeStatus,
    OccurrenceRow,
    OccurrenceStatus,
    Person,
    Reachability,
    VenueRow,
)
from bot.services import digest as digests
from bot.services.nudge_planning import (
    AFTER_SESSION_USEFUL_FOR,
    DEFAULT_LENGTH,
    MIN_NOTICE,
    SESSION_KINDS,
)
from bot.services.nudge_policy import NudgePolicy, reminders_on

_SESSION_NOTICES = (*SESSION_KINDS, NudgeKind.SESSION_CHANGE)


@dataclass(frozen=True, slots=True)
class SessionFacts:
    """What a message about one session says: its title, local start, place and state."""

    title: str
    starts_at: datetime
    venue: str | None
    status: OccurrenceStatus
    note: str | None


@dataclass(frozen=True, slots=True)
class Delivery:
    """A nudge cleared to send now, with what its message needs."""

    nudge_id: int
    kind: NudgeKind
    chat_id: int
    session: SessionFacts | None = None
    digest: digests.Digest | None = None


@dataclass(frozen=True, slots=True)
class Hold:
    """A nudge not to send now: skipped for `reason`, or postponed `until` a later time."""

    reason: str
    until: datetime | None = None


async def _facts(
    session: AsyncSession, occurrence: OccurrenceRow, policy: NudgePolicy, person: Person
) -> SessionFacts:
    activity = await session.get(ActivityRow, occurrence.activity_id)
    venue_id = occurrence.venue_id or (activity.venue_id if activity else None)
    venue = await session.get(VenueRow, venue_id) if venue_id is not None else None
    return SessionFacts(
        title=activity.title if activity else "your session",
        starts_at=occurrence.starts_at.astimezone(policy.zone_of(person.timezone)),
        venue=venue.name if venue else None,
        status=occurrence.status,
        note=occurrence.note,
    )


def _session_hold(
    nudge: Nudge, booking: Booking | None, occurrence: OccurrenceRow | None, now: datetime
) -> Hold | None:
    if occurrence is None:
        return Hold("session_gone")
    if nudge.kind is NudgeKind.SESSION_CHANGE:
        return None
    if booking is None or booking.status is BookingStatus.CANCELLED:
        return Hold("booking_cancelled")
    if occurrence.status is OccurrenceStatus.CANCELLED:
        return Hold("cancelled")
    if not nudge.key.endswith(f":{int(occurrence.starts_at.timestamp() // 60)}"):
        return Hold("moved")
    if nudge.kind is NudgeKind.SESSION_REMINDER and occurrence.starts_at <= now:
        return Hold("started")
    if nudge.kind is NudgeKind.AFTER_SESSION:
        if booking.attendance_recorded_at is not None:
            return Hold("answered")
        if now > (occurrence.ends_at or occurrence.starts_at + DEFAULT_LENGTH) + (
            AFTER_SESSION_USEFUL_FOR
        ):
            return Hold("too_late")
    return None


async def _superseded(session: AsyncSession, nudge: Nudge, now: datetime) -> Hold | None:
    """After downtime, of several reminders for one booking only the latest due one goes."""
    if nudge.kind is not NudgeKind.SESSION_REMINDER:
        return None
    later = await session.scalar(
        select(Nudge.id).where(
            Nudge.booking_id == nudge.booking_id,
            Nudge.kind == NudgeKind.SESSION_REMINDER,
            Nudge.status == NudgeStatus.PENDING,
            Nudge.due_at > nudge.due_at,
            Nudge.due_at <= now,
        )
    )
    return Hold("superseded") if later is not None else None


def _useful_until(nudge: Nudge, occurrence: OccurrenceRow | None) -> datetime | None:
    """The latest moment a postponed nudge is still worth sending (None: any time)."""
    if occurrence is None:
        return None
    if nudge.kind is NudgeKind.SESSION_REMINDER:
        return occurrence.starts_at - MIN_NOTICE
    if nudge.kind is NudgeKind.SESSION_CHANGE:
        return occurrence.starts_at
    if nudge.kind is NudgeKind.AFTER_SESSION:
        ends = occurrence.ends_at or occurrence.starts_at + DEFAULT_LENGTH
        return ends + AFTER_SESSION_USEFUL_FOR
    return None


async def prepare(
    session: AsyncSession, nudge_id: int, *, policy: NudgePolicy, now: datetime
) -> Delivery | Hold:
    """Checks a claimed nudge against the world as it is now.

    Returns:
        A `Delivery` to send now, or a `Hold` saying why not (skip) or until when (postpone).
    """
    nudge = await session.get(Nudge, nudge_id)
    if nudge is None or nudge.status is not NudgeStatus.PENDING:
        return Hold("not_pending")
    person = await session.get(Person, nudge.person_id)
    if person is None or person.reachability is Reachability.BLOCKED:
        return Hold("blocked")
    if person.chat_id is None:
        return Hold("no_chat")
    if nudge.kind in SESSION_KINDS and not reminders_on(person.preferences):
        return Hold("reminders_off")
    occurrence = booking = None
    if nudge.kind in _SESSION_NOTICES:
        booking = await session.get(Booking, nudge.booking_id) if nudge.booking_id else None
        occurrence = (
            await session.get(OccurrenceRow, nudge.occurrence_id) if nudge.occurrence_id else None
        )
        hold = _session_hold(nudge, booking, occurrence, now) or await _superseded(
            session, nudge, now
        )
        if hold is not None:
            return hold
    quiet = policy.quiet_for(person.preferences)
    zone = policy.zone_of(person.timezone)
    if quiet is not None and quiet.contains(now.astimezone(zone).time()):
        later = quiet.release(now, zone)
        limit = _useful_until(nudge, occurrence)
        return Hold("quiet_hours", None if limit is not None and later > limit else later)
    if nudge.kind is NudgeKind.DIGEST:
        found = await digests.compose(session, person.id, now=now)
        if found.empty:
            return Hold("nothing_new")
        return Delivery(nudge.id, nudge.kind, person.chat_id, digest=found)
    facts = await _facts(session, occurrence, policy, person) if occurrence else None
    return Delivery(nudge.id, nudge.kind, person.chat_id, session=facts)
