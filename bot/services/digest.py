"""The link worker's daily digest: new referrals, safeguarding flags and no-shows.

One `digest` nudge per link worker per day is planned at `DIGEST_AT` in their time zone; the
key names the day, so every process may plan it and only one row exists. People appear by
pseudonymous code only. A day with nothing to report sends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    ActivityRow,
    Booking,
    BookingStatus,
    Nudge,
    NudgeKind,
    NudgeStatus,
    Person,
    Reachability,
    Role,
    SafeguardingFlag,
)
from bot.services.nudge_policy import NudgePolicy, local_moment

# With no earlier digest to count from, report the last day.
FIRST_WINDOW = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Digest:
    """What happened in a link worker's caseload since their last digest."""

    since: datetime
    new_referrals: list[str] = field(default_factory=list)
    new_flags: list[str] = field(default_factory=list)
    open_flags: int = 0
    no_shows: list[tuple[str, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.new_referrals or self.new_flags or self.open_flags or self.no_shows)


async def plan_digests(session: AsyncSession, *, policy: NudgePolicy, now: datetime) -> int:
    """Makes sure every reachable link worker has their next digest planned.

    Safe to run in several processes at once: a digest that exists is left alone.

    Returns:
        How many digests were newly planned.
    """
    workers = (
        await session.execute(
            select(Person.id, Person.timezone).where(
                Person.role == Role.LINK_WORKER, Person.reachability == Reachability.ACTIVE
            )
        )
    ).all()
    rows = []
    for worker_id, timezone in workers:
        zone = policy.zone_of(timezone)
        day = now.astimezone(zone).date()
        due = local_moment(day, policy.digest_at, zone)
        if due <= now:
            day += timedelta(days=1)
            due = local_moment(day, policy.digest_at, zone)
        rows.append(
            {
                "key": f"dig:{worker_id}:{day.isoformat()}",
                "kind": NudgeKind.DIGEST,
                "person_id": worker_id,
                "due_at": due,
                "status": NudgeStatus.PENDING,
                "attempts": 0,
                "created_at": now,
                "updated_at": now,
            }
        )
    if not rows:
        return 0
    postgres = session.get_bind().dialect.name == "postgresql"
    insert = postgres_insert(Nudge) if postgres else sqlite_insert(Nudge)
    result = await session.execute(
        insert.values(rows).on_conflict_do_nothing(index_elements=["key"]).returning(Nudge.id)
    )
    return len(result.all())


async def compose(session: AsyncSession, link_worker_id: int, *, now: datetime) -> Digest:
    """Gathers the digest for a link worker, counting from their last digest sent."""
    last = await session.scalar(
        select(func.max(Nudge.sent_at)).where(
            Nudge.person_id == link_worker_id,
            Nudge.kind == NudgeKind.DIGEST,
            Nudge.status == NudgeStatus.SENT,
        )
    )
    since = last or now - FIRST_WINDOW
    caseload = select(Person.id).where(Person.link_worker_id == link_worker_id)
    referrals = await session.scalars(
        select(Person.code)
        .where(
            Person.link_worker_id == link_worker_id,
            func.coalesce(Person.consent_at, Person.created_at) > since,
        )
        .order_by(Person.code)
    )
    flagged = await session.scalars(
        select(Person.code)
        .join(SafeguardingFlag, SafeguardingFlag.person_id == Person.id)
        .where(Person.id.in_(caseload), SafeguardingFlag.raised_at > since)
        .order_by(SafeguardingFlag.raised_at)
    )
    open_flags = await session.scalar(
        select(func.count(SafeguardingFlag.id)).where(
            SafeguardingFlag.person_id.in_(caseload), SafeguardingFlag.resolved_at.is_(None)
        )
    )
    no_shows = await session.execute(
        select(Person.code, ActivityRow.title)
        .join(Booking, Booking.person_id == Person.id)
        .join(ActivityRow, ActivityRow.id == Booking.activity_id)
        .where(
            Person.id.in_(caseload),
            Booking.status == BookingStatus.DID_NOT_ATTEND,
            Booking.attendance_recorded_at > since,
        )
        .order_by(Booking.attendance_recorded_at)
    )
    return Digest(
        since=since,
        new_referrals=list(referrals),
        new_flags=list(dict.fromkeys(flagged)),
        open_flags=open_flags or 0,
        no_shows=[(code, title) for code, title in no_shows],
    )
