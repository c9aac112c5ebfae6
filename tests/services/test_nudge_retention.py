"""The daily clean-up deletes participation data past RETENTION_DAYS, and only that."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.db.models import (
    AuditEvent,
    Booking,
    CheckIn,
    CheckInContext,
    Nudge,
    NudgeKind,
    NudgeStatus,
    Person,
    SafeguardingFlag,
)
from bot.db.session import SessionFactory
from bot.services import retention
from tests.services import nudge_builders as build

NOW = datetime(2026, 12, 3, 4, 15, tzinfo=UTC)
OLD = NOW - timedelta(days=800)
RECENT = NOW - timedelta(days=10)


async def _count(sessions: SessionFactory, model: type[object]) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_old_participation_goes_and_recent_data_stays(sessions: SessionFactory) -> None:
    async with sessions.begin() as session:
        alice = await build.person(session)
        for when in (OLD, RECENT):
            session.add(
                CheckIn(
                    person_id=alice.id,
                    questionnaire="mood",
                    context=CheckInContext.ON_DEMAND,
                    started_at=when,
                    scores={},
                    risk_flags=[],
                )
            )
            meeting = await build.occurrence(session, when)
            await build.booking(session, alice, meeting)
            session.add(
                SafeguardingFlag(
                    person_id=alice.id,
                    source="message",
                    reasons=[],
                    raised_at=when,
                    resolved_at=when,
                )
            )
        # An old flag nobody has resolved must never be dropped.
        session.add(
            SafeguardingFlag(person_id=alice.id, source="message", reasons=[], raised_at=OLD)
        )
        for status in (NudgeStatus.SENT, NudgeStatus.PENDING):
            session.add(
                Nudge(
                    key=f"old:{status.value}",
                    kind=NudgeKind.CHECK_IN_DUE,
                    person_id=alice.id,
                    due_at=OLD,
                    status=status,
                    attempts=0,
                )
            )
    async with sessions.begin() as session:
        removed = await retention.clean_up(session, retention_days=730, now=NOW)
    assert removed == retention.Removed(nudges=1, check_ins=1, bookings=1, safeguarding_flags=1)
    assert await _count(sessions, CheckIn) == 1
    assert await _count(sessions, Booking) == 1
    assert await _count(sessions, SafeguardingFlag) == 2
    assert await _count(sessions, Person) == 1
    async with sessions() as session:
        left = list(await session.scalars(select(Nudge.key)))
        [event] = list(await session.scalars(select(AuditEvent)))
    # A pending nudge is never deleted, however old: the dispatcher still decides its fate.
    assert left == ["old:pending"]
    assert event.action == "retention.clean_up" and event.detail["check_ins"] == 1


async def test_zero_days_keeps_everything_and_a_second_run_removes_nothing(
    sessions: SessionFactory,
) -> None:
    async with sessions.begin() as session:
        alice = await build.person(session)
        await build.booking(session, alice, await build.occurrence(session, OLD))
    async with sessions.begin() as session:
        assert await retention.clean_up(session, retention_days=0, now=NOW) == retention.Removed()
    async with sessions.begin() as session:
        first = await retention.clean_up(session, retention_days=365, now=NOW)
        second = await retention.clean_up(session, retention_days=365, now=NOW)
    assert (first.bookings, second.total) == (1, 0)
    assert await _count(sessions, AuditEvent) == 1  # an empty run leaves no audit noise
