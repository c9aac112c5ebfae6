"""The daily clean-up: participation data older than `RETENTION_DAYS` is deleted.

What goes: finished nudges, check-ins (with their answers), bookings for sessions that took
place, and safeguarding flags resolved, all before the cut-off. What stays: people and their
consent (erasure is the person's own choice, see /forget), the catalogue, open safeguarding
flags (never dropped while someone still needs to act) and the audit trail, which records
this clean-up itself. Deleting is idempotent, so every process may run it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import Delete, Integer, delete, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Booking, CheckIn, Nudge, NudgeStatus, OccurrenceRow, SafeguardingFlag
from bot.services import audit


@dataclass(frozen=True, slots=True)
class Removed:
    """How many rows of each kind the clean-up deleted."""

    nudges: int = 0
    check_ins: int = 0
    bookings: int = 0
    safeguarding_flags: int = 0

    @property
    def total(self) -> int:
        return self.nudges + self.check_ins + self.bookings + self.safeguarding_flags


async def _delete(session: AsyncSession, statement: Delete) -> int:
    # RETURNING counts the rows on both databases, unlike rowcount through every driver.
    result = await session.execute(statement.returning(literal_column("1", Integer)))
    return len(result.all())


async def clean_up(session: AsyncSession, *, retention_days: int, now: datetime) -> Removed:
    """Deletes participation data older than `retention_days` and audits what went.

    Args:
        retention_days: keep this many days; 0 keeps everything (the clean-up is off).
        now: the current time.
    """
    if retention_days <= 0:
        return Removed()
    cutoff = now - timedelta(days=retention_days)
    old_sessions = select(OccurrenceRow.id).where(OccurrenceRow.starts_at < cutoff)
    removed = Removed(
        nudges=await _delete(
            session,
            delete(Nudge).where(Nudge.status != NudgeStatus.PENDING, Nudge.due_at < cutoff),
        ),
        check_ins=await _delete(session, delete(CheckIn).where(CheckIn.started_at < cutoff)),
        bookings=await _delete(
            session, delete(Booking).where(Booking.occurrence_id.in_(old_sessions))
        ),
        safeguarding_flags=await _delete(
            session,
            delete(SafeguardingFlag).where(
                SafeguardingFlag.resolved_at.is_not(None), SafeguardingFlag.resolved_at < cutoff
            ),
        ),
    )
    if removed.total:
        await audit.record(
            session,
            actor_id=None,
            action="retention.clean_up",
            now=now,
            detail={**asdict(removed), "retention_days": retention_days},
        )
    return removed
