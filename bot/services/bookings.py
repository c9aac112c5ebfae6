"""Bookings: "I'll go" for the next meeting, "every week" for a series, and "can't make it".

Every function runs in the caller's transaction and plans or skips the booking's reminders
in that same transaction (through `nudges`), so a booking and its reminders commit together.
Ids arrive from buttons and are never trusted: each function checks the booking belongs to
the person acting, and refuses with a `BookingRefused` naming why.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningInsert

from bot.db.models import (
    ActivityRow,
    ActivityStatus,
    Booking,
    BookingStatus,
    OccurrenceRow,
    OccurrenceStatus,
    Person,
)
from bot.services import nudges
from bot.services.nudge_policy import NudgePolicy


class Refusal(enum.StrEnum):
    NOT_FOUND = "not_found"
    NOT_YOURS = "not_yours"
    ALREADY_CANCELLED = "already_cancelled"
    STARTED = "started"
    NOTHING_UPCOMING = "nothing_upcoming"


class BookingRefused(Exception):
    """A booking action that cannot be done; `reason` says why, for the person to be told."""

    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Booked:
    """The booking "I'll go" made or found; `created` is False when it already existed.

    `later` counts the series' meetings after this one, so "Every week" is only offered
    for sessions that repeat.
    """

    booking: Booking
    created: bool
    later: int = 0


async def next_occurrence(
    session: AsyncSession, activity_id: int, *, now: datetime
) -> OccurrenceRow | None:
    """The activity's next meeting that is still going ahead (moved ones count)."""
    return await session.scalar(
        select(OccurrenceRow)
        .where(
            OccurrenceRow.activity_id == activity_id,
            OccurrenceRow.starts_at > now,
            OccurrenceRow.status != OccurrenceStatus.CANCELLED,
        )
        .order_by(OccurrenceRow.starts_at)
        .limit(1)
    )


def _insert_new(
    session: AsyncSession, *, person_id: int, occurrence: OccurrenceRow, standing: bool
) -> ReturningInsert[tuple[int]]:
    # Both databases can skip a row that would break the unique (person, occurrence) pair,
    # so two presses racing in two processes leave one booking and no failed transaction.
    values = {
        "person_id": person_id,
        "occurrence_id": occurrence.id,
        "activity_id": occurrence.activity_id,
        "standing": standing,
        "status": BookingStatus.BOOKED,
    }
    keys = ["person_id", "occurrence_id"]
    if session.get_bind().dialect.name == "postgresql":
        pg = postgresql.insert(Booking).values(values).on_conflict_do_nothing(index_elements=keys)
        return pg.returning(Booking.id)
    lite = sqlite.insert(Booking).values(values).on_conflict_do_nothing(index_elements=keys)
    return lite.returning(Booking.id)


async def _book(
    session: AsyncSession,
    person_id: int,
    occurrence: OccurrenceRow,
    *,
    standing: bool,
    now: datetime,
    policy: NudgePolicy,
) -> Booked:
    found = await session.scalar(
        select(Booking).where(
            Booking.person_id == person_id, Booking.occurrence_id == occurrence.id
        )
    )
    if found is not None and found.status is not BookingStatus.CANCELLED:
        found.standing = found.standing or standing
        return Booked(found, created=False)
    if found is not None:
        # They said they couldn't make it, then changed their mind: the same row is booked again.
        found.status, found.cancelled_at = BookingStatus.BOOKED, None
        found.standing = standing
        await session.flush()
        await nudges.plan_for_booking(session, found, policy=policy, now=now)
        return Booked(found, created=True)
    statement = _insert_new(session, person_id=person_id, occurrence=occurrence, standing=standing)
    new_id = await session.scalar(statement)
    if new_id is None:
        raced = await session.scalar(
            select(Booking).where(
                Booking.person_id == person_id, Booking.occurrence_id == occurrence.id
            )
        )
        if raced is None:  # pragma: no cover - the conflicting row cannot vanish mid-transaction
            raise BookingRefused(Refusal.NOTHING_UPCOMING)
        return Booked(raced, created=False)
    booking = await session.get(Booking, new_id)
    if booking is None:  # pragma: no cover - just inserted in this transaction
        raise BookingRefused(Refusal.NOT_FOUND)
    await nudges.plan_for_booking(session, booking, policy=policy, now=now)
    return Booked(booking, created=True)


async def book_next(
    session: AsyncSession, *, person_id: int, activity_id: int, now: datetime, policy: NudgePolicy
) -> Booked:
    """Books the person on the activity's next meeting ("I'll go"); pressing twice is harmless.

    Raises:
        BookingRefused: NOT_FOUND for an unknown or withdrawn activity, NOTHING_UPCOMING when
            no meeting is still going ahead.
    """
    activity = await session.get(ActivityRow, activity_id)
    if activity is None or activity.status is not ActivityStatus.ACTIVE:
        raise BookingRefused(Refusal.NOT_FOUND)
    occurrence = await next_occurrence(session, activity.id, now=now)
    if occurrence is None:
        raise BookingRefused(Refusal.NOTHING_UPCOMING)
    booked = await _book(session, person_id, occurrence, standing=False, now=now, policy=policy)
    later = await session.scalar(
        select(func.count(OccurrenceRow.id)).where(
            OccurrenceRow.activity_id == activity.id,
            OccurrenceRow.starts_at > occurrence.starts_at,
            OccurrenceRow.status != OccurrenceStatus.CANCELLED,
        )
    )
    return Booked(booked.booking, booked.created, later or 0)


async def owned(session: AsyncSession, *, person_id: int, booking_id: int) -> Booking:
    """The booking, provided it is this person's (checked before acting on a button).

    Raises:
        BookingRefused: NOT_FOUND or NOT_YOURS.
    """
    booking = await session.get(Booking, booking_id)
    if booking is None:
        raise BookingRefused(Refusal.NOT_FOUND)
    if booking.person_id != person_id:
        raise BookingRefused(Refusal.NOT_YOURS)
    return booking


async def _future_meetings(
    session: AsyncSession, activity_id: int, *, now: datetime
) -> list[OccurrenceRow]:
    rows = await session.scalars(
        select(OccurrenceRow)
        .where(
            OccurrenceRow.activity_id == activity_id,
            OccurrenceRow.starts_at > now,
            OccurrenceRow.status != OccurrenceStatus.CANCELLED,
        )
        .order_by(OccurrenceRow.starts_at)
    )
    return list(rows)


async def make_standing(
    session: AsyncSession, *, person_id: int, booking_id: int, now: datetime, policy: NudgePolicy
) -> list[Booking]:
    """Turns a booking into "every week": books every future meeting of its series.

    Meetings the person already has a booking row for (even a cancelled one: they said they
    could not make that date) are left as they are.

    Returns:
        The series' bookings still to come, soonest first.

    Raises:
        BookingRefused: not theirs, not found, or the booking was cancelled.
    """
    booking = await owned(session, person_id=person_id, booking_id=booking_id)
    if booking.status is BookingStatus.CANCELLED:
        raise BookingRefused(Refusal.ALREADY_CANCELLED)
    booking.standing = True
    have = {
        row.occurrence_id: row
        for row in await session.scalars(
            select(Booking).where(
                Booking.person_id == person_id, Booking.activity_id == booking.activity_id
            )
        )
    }
    booked: list[Booking] = []
    for occurrence in await _future_meetings(session, booking.activity_id, now=now):
        row = have.get(occurrence.id)
        if row is None:
            row = (
                await _book(session, person_id, occurrence, standing=True, now=now, policy=policy)
            ).booking
        elif row.status is BookingStatus.BOOKED:
            row.standing = True
        if row.status is BookingStatus.BOOKED:
            booked.append(row)
    await session.flush()
    return booked


async def extend_standing(session: AsyncSession, *, now: datetime, policy: NudgePolicy) -> int:
    """Books people with an "every week" series on meetings materialised since they said so.

    A series is live while the person has a standing booking on it that is not cancelled;
    run this after occurrences are refreshed. Returns how many bookings were added.
    """
    series = (
        await session.execute(
            select(Booking.person_id, Booking.activity_id)
            .join(Person, Person.id == Booking.person_id)
            .where(
                Booking.standing.is_(True),
                Booking.status != BookingStatus.CANCELLED,
                Person.consent_at.is_not(None),
            )
            .distinct()
        )
    ).all()
    added = 0
    for person_id, activity_id in series:
        missing = await session.scalars(
            select(OccurrenceRow)
            .where(
                OccurrenceRow.activity_id == activity_id,
                OccurrenceRow.starts_at > now,
                OccurrenceRow.status != OccurrenceStatus.CANCELLED,
                ~exists().where(
                    and_(
                        Booking.occurrence_id == OccurrenceRow.id,
                        Booking.person_id == person_id,
                    )
                ),
            )
            .order_by(OccurrenceRow.starts_at)
        )
        for occurrence in list(missing):
            result = await _book(
                session, person_id, occurrence, standing=True, now=now, policy=policy
            )
            added += result.created
    return added


async def cancel_booking(
    session: AsyncSession, *, person_id: int, booking_id: int, now: datetime
) -> Booking:
    """Cancels one booking ("Can't make it") and skips its pending reminders.

    Raises:
        BookingRefused: NOT_FOUND, NOT_YOURS, ALREADY_CANCELLED, or STARTED when the meeting
            has begun or attendance was already recorded.
    """
    booking = await owned(session, person_id=person_id, booking_id=booking_id)
    if booking.status is BookingStatus.CANCELLED:
        raise BookingRefused(Refusal.ALREADY_CANCELLED)
    occurrence = await session.get(OccurrenceRow, booking.occurrence_id)
    if booking.status is not BookingStatus.BOOKED or occurrence is None:
        raise BookingRefused(Refusal.STARTED)
    if occurrence.starts_at <= now:
        raise BookingRefused(Refusal.STARTED)
    booking.status, booking.cancelled_at = BookingStatus.CANCELLED, now
    await session.flush()
    await nudges.skip_for_booking(session, booking.id, reason="booking_cancelled", now=now)
    return booking
