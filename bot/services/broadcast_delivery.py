"""Draining broadcasts: claiming deliveries, recording outcomes, counting progress.

Deliveries are claimed like nudges: a lease (`claimed_until`) marks a row as being sent by one
worker; on PostgreSQL the rows are first locked with ``FOR UPDATE SKIP LOCKED`` so workers in
different processes never take each other's rows. A worker that stops cleanly gives back
what it claimed but did not send; one that dies loses its lease when it runs out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from bot.db.models import Broadcast, BroadcastStatus, Delivery, DeliveryStatus

LEASE = timedelta(minutes=1)
BATCH = 30
MAX_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class Claimed:
    delivery_id: int
    broadcast_id: int
    person_id: int
    chat_id: int
    text: str


@dataclass(frozen=True, slots=True)
class Progress:
    broadcast_id: int
    author_chat_id: int
    progress_message_id: int | None
    total: int
    sent: int
    unreachable: int
    failed: int

    @property
    def done(self) -> int:
        return self.sent + self.unreachable + self.failed


def _free(now: datetime) -> ColumnElement[bool]:
    return or_(Delivery.claimed_until.is_(None), Delivery.claimed_until <= now)


async def claim(
    session: AsyncSession, *, now: datetime, limit: int = BATCH, lease: timedelta = LEASE
) -> list[Claimed]:
    """Claims up to `limit` pending deliveries of sending broadcasts, oldest first."""
    due = (
        select(Delivery.id)
        .join(Broadcast, Broadcast.id == Delivery.broadcast_id)
        .where(
            Delivery.status == DeliveryStatus.PENDING,
            Broadcast.status == BroadcastStatus.SENDING,
            _free(now),
        )
        .order_by(Delivery.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        # Lock first, then update: a LIMITed IN-subquery may be re-run inside an UPDATE.
        chosen: Sequence[int] | Select[int] = (
            await session.scalars(due.with_for_update(of=Delivery, skip_locked=True))
        ).all()
        if not chosen:
            return []
    else:
        # SQLite has one writer: this single statement chooses and claims atomically.
        chosen = due
    result = await session.execute(
        update(Delivery)
        .where(Delivery.id.in_(chosen), Delivery.status == DeliveryStatus.PENDING, _free(now))
        .values(claimed_until=now + lease, attempts=Delivery.attempts + 1)
        .execution_options(synchronize_session=False)
        .returning(Delivery.id)
    )
    ids = sorted(row.id for row in result.all())
    if not ids:
        return []
    rows = await session.execute(
        select(
            Delivery.id, Delivery.broadcast_id, Delivery.person_id, Delivery.chat_id, Broadcast.text
        )
        .join(Broadcast, Broadcast.id == Delivery.broadcast_id)
        .where(Delivery.id.in_(ids))
        .order_by(Delivery.id)
    )
    return [Claimed(r.id, r.broadcast_id, r.person_id, r.chat_id, r.text or "") for r in rows]


async def record(
    session: AsyncSession,
    delivery_id: int,
    status: DeliveryStatus,
    *,
    now: datetime,
    message_id: int | None = None,
    error: str | None = None,
) -> None:
    """Records a claimed delivery's outcome (a failure is retried until `MAX_ATTEMPTS`)."""
    values: dict[str, object] = {"claimed_until": None}
    if status is DeliveryStatus.FAILED:
        attempts = await session.scalar(select(Delivery.attempts).where(Delivery.id == delivery_id))
        values["error"] = (error or "")[:300]
        if (attempts or 0) < MAX_ATTEMPTS:
            status = DeliveryStatus.PENDING
    values["status"] = status
    if status is DeliveryStatus.SENT:
        values.update(sent_at=now, message_id=message_id)
    elif status is DeliveryStatus.UNREACHABLE:
        values["error"] = (error or "blocked")[:300]
    await session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == DeliveryStatus.PENDING)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


async def release(session: AsyncSession, delivery_ids: Sequence[int]) -> None:
    """Gives back claimed deliveries that were not attempted (the worker is stopping)."""
    if not delivery_ids:
        return
    await session.execute(
        update(Delivery)
        .where(Delivery.id.in_(list(delivery_ids)), Delivery.status == DeliveryStatus.PENDING)
        .values(claimed_until=None, attempts=Delivery.attempts - 1)
        .execution_options(synchronize_session=False)
    )


async def progress(session: AsyncSession, broadcast_id: int) -> Progress | None:
    """How far a broadcast has got."""
    broadcast = await session.get(Broadcast, broadcast_id)
    if broadcast is None:
        return None
    rows = await session.execute(
        select(Delivery.status, func.count())
        .where(Delivery.broadcast_id == broadcast_id)
        .group_by(Delivery.status)
    )
    counts: dict[DeliveryStatus, int] = {status: count for status, count in rows.all()}
    return Progress(
        broadcast_id=broadcast.id,
        author_chat_id=broadcast.author_chat_id,
        progress_message_id=broadcast.progress_message_id,
        total=broadcast.total,
        sent=counts.get(DeliveryStatus.SENT, 0),
        unreachable=counts.get(DeliveryStatus.UNREACHABLE, 0),
        failed=counts.get(DeliveryStatus.FAILED, 0),
    )


async def finish_if_complete(session: AsyncSession, broadcast_id: int, *, now: datetime) -> bool:
    """Marks the broadcast done when nothing is pending; True for the one caller that did it.

    The conditional UPDATE means exactly one worker, in any process, sends the final report.
    """
    pending = await session.scalar(
        select(Delivery.id)
        .where(Delivery.broadcast_id == broadcast_id, Delivery.status == DeliveryStatus.PENDING)
        .limit(1)
    )
    if pending is not None:
        return False
    result = await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status == BroadcastStatus.SENDING)
        .values(status=BroadcastStatus.DONE, finished_at=now)
        .execution_options(synchronize_session=False)
    )
    return getattr(result, "rowcount", 0) == 1


async def unfinished(session: AsyncSession) -> list[int]:
    """Broadcasts still sending (after a restart, their reports are still owed)."""
    rows = await session.scalars(
        select(Broadcast.id).where(Broadcast.status == BroadcastStatus.SENDING)
    )
    return list(rows)
