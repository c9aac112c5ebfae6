"""Claiming due nudges and recording what happened, so each is sent once by one process.

A claim sets a lease (`claimed_until`) and counts the attempt. On PostgreSQL the rows are
first picked with ``FOR UPDATE SKIP LOCKED``, so two dispatchers never wait for, or take, each
other's rows; SQLite has one writer at a time, so a single UPDATE is already exclusive. A
dispatcher that dies holding a lease loses it when the lease runs out; the nudge is then
claimed again, which is the "at most one duplicate" of a crash.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from bot.db.models import Nudge, NudgeStatus

# Long enough to send a batch at the paced rate, short enough that a crash delays little.
LEASE = timedelta(minutes=2)
BATCH = 50
# A failed send is retried after 1, 5 and 25 minutes, then recorded as failed.
MAX_ATTEMPTS = 4
RETRY_BASE = timedelta(minutes=1)


def _free(now: datetime) -> ColumnElement[bool]:
    return or_(Nudge.claimed_until.is_(None), Nudge.claimed_until <= now)


async def claim_due(
    session: AsyncSession, *, now: datetime, limit: int = BATCH, lease: timedelta = LEASE
) -> list[int]:
    """Claims up to `limit` due nudges, earliest first, and returns their ids.

    Commit promptly after this: the lease, not a held lock, protects the rows afterwards.
    """
    due = (
        select(Nudge.id)
        .where(Nudge.status == NudgeStatus.PENDING, Nudge.due_at <= now, _free(now))
        .order_by(Nudge.due_at, Nudge.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        # Lock the rows first, then update them: PostgreSQL may run a LIMITed IN-subquery
        # more than once inside an UPDATE, which would claim far more than `limit` rows.
        chosen: Sequence[int] | Select[int] = (
            await session.scalars(due.with_for_update(skip_locked=True))
        ).all()
        if not chosen:
            return []
    else:
        # SQLite: one statement takes the single write lock, so no second writer can slip
        # in between choosing the rows and claiming them.
        chosen = due
    result = await session.execute(
        update(Nudge)
        # The conditions are repeated so a row claimed meanwhile is re-checked, not taken.
        .where(Nudge.id.in_(chosen), Nudge.status == NudgeStatus.PENDING, _free(now))
        .values(claimed_until=now + lease, attempts=Nudge.attempts + 1, updated_at=now)
        .execution_options(synchronize_session=False)
        .returning(Nudge.id, Nudge.due_at)
    )
    claimed = sorted(result.all(), key=lambda row: (row.due_at, row.id))
    return [row.id for row in claimed]


async def earliest_unclaimed(session: AsyncSession, *, now: datetime) -> datetime | None:
    """The due time of the first pending nudge nobody holds (one read of the due-time index)."""
    return await session.scalar(
        select(func.min(Nudge.due_at)).where(Nudge.status == NudgeStatus.PENDING, _free(now))
    )


async def next_due_at(session: AsyncSession, *, now: datetime) -> datetime | None:
    """When the dispatcher should next wake: the earliest claimable moment of any pending nudge."""
    unclaimed = await earliest_unclaimed(session, now=now)
    leased = await session.scalar(
        select(func.min(Nudge.claimed_until)).where(
            Nudge.status == NudgeStatus.PENDING, Nudge.claimed_until > now
        )
    )
    moments = [moment for moment in (unclaimed, leased) if moment is not None]
    return min(moments) if moments else None


async def _finish(session: AsyncSession, nudge_id: int, now: datetime, **values: object) -> bool:
    result = await session.execute(
        update(Nudge)
        .where(Nudge.id == nudge_id, Nudge.status == NudgeStatus.PENDING)
        .values(claimed_until=None, updated_at=now, **values)
        .execution_options(synchronize_session=False)
        .returning(Nudge.id)
    )
    return result.first() is not None


async def record_sent(
    session: AsyncSession, nudge_id: int, *, now: datetime, message_id: int | None
) -> bool:
    """Marks a claimed nudge sent; False if it was no longer pending (skipped meanwhile)."""
    return await _finish(
        session, nudge_id, now, status=NudgeStatus.SENT, sent_at=now, message_id=message_id
    )


async def record_skipped(
    session: AsyncSession, nudge_id: int, *, now: datetime, reason: str
) -> bool:
    """Marks a claimed nudge skipped because, at sending time, it was no longer useful."""
    return await _finish(session, nudge_id, now, status=NudgeStatus.SKIPPED, reason=reason)


async def postpone(session: AsyncSession, nudge_id: int, *, now: datetime, due: datetime) -> bool:
    """Gives a claimed nudge back with a later due time (it fell inside quiet hours)."""
    return await _finish(session, nudge_id, now, due_at=due)


async def record_failure(
    session: AsyncSession, nudge_id: int, *, now: datetime, error: str
) -> bool:
    """Records a failed send: retried later with back-off, or `failed` after `MAX_ATTEMPTS`.

    Returns:
        True if the nudge will be tried again.
    """
    attempts = await session.scalar(select(Nudge.attempts).where(Nudge.id == nudge_id))
    if attempts is None:
        return False
    if attempts >= MAX_ATTEMPTS:
        await _finish(session, nudge_id, now, status=NudgeStatus.FAILED, last_error=error[:500])
        return False
    retry_at = now + RETRY_BASE * 5 ** (attempts - 1)
    return await _finish(session, nudge_id, now, due_at=retry_at, last_error=error[:500])
