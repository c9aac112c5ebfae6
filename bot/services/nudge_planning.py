"""Planning nudges: the rows written when a booking, a change or a check-in makes one useful.

Every function here runs inside the caller's transaction, so a booking and its reminders (or
a cancellation and its skipped reminders) commit together or not at all. Keys name what each
nudge is for and when its session starts, so planning again finds the same rows, and a moved
session gets fresh reminders while the old ones are skipped.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from bot.db.models import (
    Booking,
    BookingStatus,
    Nudge,
    NudgeKind,
    NudgeStatus,
    OccurrenceRow,
    OccurrenceStatus,
    Person,
    Reachability,
)
from bot.services.nudge_policy import NudgePolicy, QuietHours, local_moment, reminders_on

# A reminder pushed past quiet hours must still leave this much notice (or all it had).
MIN_NOTICE = timedelta(minutes=30)
# Sessions without an end time are taken to last this long.
DEFAULT_LENGTH = timedelta(hours=2)
# Asking "how did it go?" later than this is asking people to remember too far back.
AFTER_SESSION_USEFUL_FOR = timedelta(days=2)
# Kinds that "reminders off" switches off; check-in follow-ups and staff digests stay.
SESSION_KINDS = (NudgeKind.SESSION_REMINDER, NudgeKind.AFTER_SESSION)


def minute_of(moment: datetime) -> int:
    """Minutes since the epoch: the start time as it appears at the end of a nudge key."""
    return int(moment.timestamp() // 60)


def _release(
    due: datetime, quiet: QuietHours | None, person: Person, policy: NudgePolicy
) -> datetime:
    return due if quiet is None else quiet.release(due, policy.zone_of(person.timezone))


async def existing_by_key(session: AsyncSession, keys: Iterable[str]) -> dict[str, Nudge]:
    """The nudges already planned under these keys."""
    keys = list(keys)
    if not keys:
        return {}
    rows = await session.scalars(select(Nudge).where(Nudge.key.in_(keys)))
    return {row.key: row for row in rows}


def _put(
    session: AsyncSession, existing: dict[str, Nudge], key: str, due: datetime, **links: object
) -> Nudge | None:
    """Adds the nudge or makes an unsent one pending again at `due`; leaves sent ones alone."""
    row = existing.get(key)
    if row is None:
        row = Nudge(key=key, due_at=due, status=NudgeStatus.PENDING, attempts=0, **links)
        session.add(row)
        return row
    if row.status is NudgeStatus.SENT:
        return None
    row.due_at, row.status, row.reason, row.claimed_until = due, NudgeStatus.PENDING, None, None
    return row


async def plan_for_booking(
    session: AsyncSession, booking: Booking, *, policy: NudgePolicy, now: datetime
) -> list[Nudge]:
    """Plans the reminders and the after-session prompt for a booking (call after creating it).

    Nothing is planned for a cancelled booking or session, a person who blocked the bot or
    switched reminders off; a reminder whose time has passed, or that quiet hours would
    push too close to the start, is left out.

    Returns:
        The pending nudges for this booking's current start time.
    """
    person = await session.get(Person, booking.person_id)
    occurrence = await session.get(OccurrenceRow, booking.occurrence_id)
    if (
        person is None
        or occurrence is None
        or booking.status is not BookingStatus.BOOKED
        or occurrence.status is OccurrenceStatus.CANCELLED
        or person.reachability is Reachability.BLOCKED
        or not reminders_on(person.preferences)
    ):
        return []
    zone, quiet = policy.zone_of(person.timezone), policy.quiet_for(person.preferences)
    starts, stamp = occurrence.starts_at, minute_of(occurrence.starts_at)
    wanted: dict[str, tuple[NudgeKind, datetime]] = {}
    for offset in policy.offsets_for(person.preferences):
        first = offset.due(starts, zone)
        due = _release(first, quiet, person, policy)
        if due <= now or due > starts - min(MIN_NOTICE, starts - first):
            continue
        slot = offset.label.replace(":", "")  # keys use ':' between their parts
        wanted[f"rem:{booking.id}:{slot}:{stamp}"] = (NudgeKind.SESSION_REMINDER, due)
    ends = occurrence.ends_at or starts + DEFAULT_LENGTH
    after = _release(ends + policy.after, quiet, person, policy)
    if after <= ends + AFTER_SESSION_USEFUL_FOR:
        wanted[f"after:{booking.id}:{stamp}"] = (NudgeKind.AFTER_SESSION, max(after, now))
    existing = await existing_by_key(session, wanted)
    planned = [
        row
        for key, (kind, due) in wanted.items()
        if (
            row := _put(
                session,
                existing,
                key,
                due,
                kind=kind,
                person_id=person.id,
                booking_id=booking.id,
                occurrence_id=occurrence.id,
            )
        )
        is not None
    ]
    await session.flush()
    return planned


async def skip_pending(
    session: AsyncSession, *conditions: ColumnElement[bool], reason: str, now: datetime
) -> int:
    # ORM-enabled update: rows already loaded in this session see the new status too.
    result = await session.execute(
        update(Nudge)
        .where(Nudge.status == NudgeStatus.PENDING, *conditions)
        .values(status=NudgeStatus.SKIPPED, reason=reason, claimed_until=None, updated_at=now)
        .returning(Nudge.id)
    )
    return len(result.all())


async def skip_for_booking(
    session: AsyncSession, booking_id: int, *, reason: str, now: datetime
) -> int:
    """Skips the booking's pending nudges (the booking was cancelled); returns how many."""
    return await skip_pending(session, Nudge.booking_id == booking_id, reason=reason, now=now)


async def skip_for_person(
    session: AsyncSession,
    person_id: int,
    *,
    reason: str,
    now: datetime,
    kinds: Iterable[NudgeKind] | None = None,
) -> int:
    """Skips a person's pending nudges (blocked the bot: all; reminders off: `SESSION_KINDS`)."""
    conditions: list[ColumnElement[bool]] = [Nudge.person_id == person_id]
    if kinds is not None:
        conditions.append(Nudge.kind.in_(list(kinds)))
    return await skip_pending(session, *conditions, reason=reason, now=now)


async def set_reminders(
    session: AsyncSession, person_id: int, *, enabled: bool, policy: NudgePolicy, now: datetime
) -> int:
    """Switches a person's session reminders on or off, updating their pending nudges.

    Returns:
        How many nudges were skipped (off) or planned (on).
    """
    person = await session.get(Person, person_id)
    if person is None:
        return 0
    # A new dict, so SQLAlchemy sees the JSON change.
    person.preferences = {**person.preferences, "reminders": enabled}
    if not enabled:
        return await skip_for_person(
            session, person_id, reason="reminders_off", now=now, kinds=SESSION_KINDS
        )
    upcoming = await session.scalars(
        select(Booking)
        .join(OccurrenceRow, OccurrenceRow.id == Booking.occurrence_id)
        .where(
            Booking.person_id == person_id,
            Booking.status == BookingStatus.BOOKED,
            OccurrenceRow.starts_at > now,
        )
    )
    count = 0
    for booking in upcoming:
        count += len(await plan_for_booking(session, booking, policy=policy, now=now))
    return count


async def plan_follow_ups(
    session: AsyncSession,
    person_id: int,
    *,
    baseline_completed_at: datetime,
    policy: NudgePolicy,
    now: datetime,
    check_in_id: int | None = None,
) -> list[Nudge]:
    """Plans the follow-up check-ins `FOLLOW_UP_WEEKS` after a completed baseline.

    Each is due mid-morning local time on the day, so a baseline done at night does not
    produce follow-ups at night.
    """
    person = await session.get(Person, person_id)
    if person is None or person.reachability is Reachability.BLOCKED:
        return []
    zone, quiet = policy.zone_of(person.timezone), policy.quiet_for(person.preferences)
    start_day = baseline_completed_at.astimezone(zone).date()
    wanted = {
        f"fu:{person_id}:{start_day.isoformat()}:{weeks}w": _release(
            local_moment(start_day + timedelta(weeks=weeks), policy.follow_up_at, zone),
            quiet,
            person,
            policy,
        )
        for weeks in policy.follow_up_weeks
    }
    existing = await existing_by_key(session, wanted)
    planned = [
        row
        for key, due in wanted.items()
        if due > now
        and (
            row := _put(
                session,
                existing,
                key,
                due,
                kind=NudgeKind.CHECK_IN_DUE,
                person_id=person_id,
                check_in_id=check_in_id,
            )
        )
        is not None
    ]
    await session.flush()
    return planned
