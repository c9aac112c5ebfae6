"""Session changes: a cancelled or moved meeting updates everyone's nudges, and tells them once.

Called by whoever cancels or moves a meeting, inside their transaction. Pending reminders and
prompts for the old time are skipped; a moved meeting gets fresh ones for its new time; each
booked person gets one change notice, keyed by the change itself, so repeating the same
cancellation (a double press) sends nothing more.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    Booking,
    BookingStatus,
    Nudge,
    NudgeKind,
    NudgeStatus,
    OccurrenceRow,
)
from bot.services.nudge_planning import (
    SESSION_KINDS,
    existing_by_key,
    minute_of,
    plan_for_booking,
    skip_pending,
)
from bot.services.nudge_policy import NudgePolicy


async def _booked(session: AsyncSession, occurrence_id: int) -> list[Booking]:
    rows = await session.scalars(
        select(Booking).where(
            Booking.occurrence_id == occurrence_id, Booking.status == BookingStatus.BOOKED
        )
    )
    return list(rows)


async def _notify_change(
    session: AsyncSession, occurrence: OccurrenceRow, bookings: list[Booking], *, now: datetime
) -> None:
    # The key names the change (new state, and the minute it was made), so the same change
    # made twice at once (a double press) adds no second notice, while a later change (moved
    # again, or back) does. An older notice still waiting is dropped: the new one says it all.
    change = ":".join(
        str(part)
        for part in (
            occurrence.status.value,
            minute_of(occurrence.starts_at),
            occurrence.venue_id or 0,
            minute_of(now),
        )
    )
    keys = {f"chg:{b.id}:{change}": b for b in bookings}
    await skip_pending(
        session,
        Nudge.occurrence_id == occurrence.id,
        Nudge.kind == NudgeKind.SESSION_CHANGE,
        Nudge.key.not_in(list(keys)),
        reason="superseded",
        now=now,
    )
    existing = await existing_by_key(session, keys)
    for key, booking in keys.items():
        if key not in existing:
            session.add(
                Nudge(
                    key=key,
                    kind=NudgeKind.SESSION_CHANGE,
                    person_id=booking.person_id,
                    booking_id=booking.id,
                    occurrence_id=occurrence.id,
                    due_at=now,
                    status=NudgeStatus.PENDING,
                    attempts=0,
                )
            )


async def skip_for_occurrence(
    session: AsyncSession, occurrence_id: int, *, reason: str, now: datetime, notify: bool = True
) -> int:
    """Skips every pending nudge about a cancelled session and tells each booked person once.

    Returns:
        How many pending nudges were skipped.
    """
    skipped = await skip_pending(
        session,
        Nudge.occurrence_id == occurrence_id,
        Nudge.kind != NudgeKind.SESSION_CHANGE,
        reason=reason,
        now=now,
    )
    occurrence = await session.get(OccurrenceRow, occurrence_id)
    if notify and occurrence is not None:
        await _notify_change(session, occurrence, await _booked(session, occurrence_id), now=now)
    await session.flush()
    return skipped


async def replan_for_occurrence(
    session: AsyncSession,
    occurrence_id: int,
    *,
    policy: NudgePolicy,
    now: datetime,
    notify: bool = True,
) -> list[Nudge]:
    """Re-plans reminders for a moved session: old ones skipped, new ones planned, one notice.

    Returns:
        The pending reminders and prompts for the new time.
    """
    occurrence = await session.get(OccurrenceRow, occurrence_id)
    if occurrence is None:
        return []
    await skip_pending(
        session,
        Nudge.occurrence_id == occurrence_id,
        Nudge.kind.in_(SESSION_KINDS),
        Nudge.key.not_like(f"%:{minute_of(occurrence.starts_at)}"),
        reason="moved",
        now=now,
    )
    bookings = await _booked(session, occurrence_id)
    planned: list[Nudge] = []
    for booking in bookings:
        planned += await plan_for_booking(session, booking, policy=policy, now=now)
    if notify:
        await _notify_change(session, occurrence, bookings, now=now)
    await session.flush()
    return planned
