"""Claims: due nudges in order, at most `limit`, each held by one claimant until its lease ends."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert

from bot.db.migrate import upgrade
from bot.db.models import Nudge, NudgeKind, NudgeStatus, Person
from bot.db.session import SessionFactory, create_engine, create_session_factory
from bot.services import nudge_claims as claims

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


async def _due(sessions: SessionFactory, count: int, *, at: datetime = NOW) -> list[int]:
    """`count` check-in nudges, one a second from `at - count s`, oldest first."""
    async with sessions.begin() as session:
        person = Person(
            telegram_user_id=1,
            chat_id=1,
            code="P-CLM1",
            interests=[],
            access_needs=[],
            preferences={},
        )
        session.add(person)
        await session.flush()
        result = await session.execute(
            insert(Nudge).returning(Nudge.id),
            [
                {
                    "key": f"claim:{n}",
                    "kind": NudgeKind.CHECK_IN_DUE,
                    "person_id": person.id,
                    "due_at": at - timedelta(seconds=count - n),
                    "status": NudgeStatus.PENDING,
                    "attempts": 0,
                }
                for n in range(count)
            ],
        )
        return list(result.scalars())


async def test_claims_are_earliest_first_limited_and_leased(sessions: SessionFactory) -> None:
    ids = await _due(sessions, 12)
    async with sessions.begin() as session:
        first = await claims.claim_due(session, now=NOW, limit=5)
    async with sessions.begin() as session:
        second = await claims.claim_due(session, now=NOW, limit=5)
        rest = await claims.claim_due(session, now=NOW, limit=5)
        nothing = await claims.claim_due(session, now=NOW, limit=5)
    assert (first, second, rest, nothing) == (ids[:5], ids[5:10], ids[10:], [])
    async with sessions() as session:
        # Everything is held; the next moment anything can be claimed is the first lease's end.
        assert await claims.next_due_at(session, now=NOW) == NOW + claims.LEASE
        assert await claims.earliest_unclaimed(session, now=NOW) is None


async def test_a_lapsed_lease_is_claimed_again_and_counted(sessions: SessionFactory) -> None:
    [nudge_id] = await _due(sessions, 1)
    async with sessions.begin() as session:
        assert await claims.claim_due(session, now=NOW) == [nudge_id]
    later = NOW + claims.LEASE + timedelta(seconds=1)
    async with sessions.begin() as session:
        assert await claims.claim_due(session, now=later) == [nudge_id]
        assert await claims.record_sent(session, nudge_id, now=later, message_id=7)
        # Recording twice (a crash replay) changes nothing.
        assert not await claims.record_sent(session, nudge_id, now=later, message_id=8)
        stored = await session.get(Nudge, nudge_id)
    assert stored is not None
    assert (stored.status, stored.attempts, stored.message_id) == (NudgeStatus.SENT, 2, 7)
    assert stored.claimed_until is None


async def test_nothing_is_claimed_before_it_is_due(sessions: SessionFactory) -> None:
    await _due(sessions, 3, at=NOW + timedelta(hours=1))
    async with sessions.begin() as session:
        assert await claims.claim_due(session, now=NOW) == []
        assert await claims.next_due_at(session, now=NOW) == NOW + timedelta(minutes=59, seconds=57)


@pytest.mark.postgres
async def test_two_open_claims_on_postgres_take_disjoint_rows(postgres_url: str) -> None:
    await asyncio.to_thread(upgrade, postgres_url)
    engines = [create_engine(postgres_url), create_engine(postgres_url)]
    first, second = (create_session_factory(engine) for engine in engines)
    ids = await _due(first, 30)
    # The first claimant's transaction is still open (rows locked) when the second claims.
    async with first.begin() as one, second.begin() as two:
        mine = await claims.claim_due(one, now=NOW, limit=10)
        theirs = await asyncio.wait_for(claims.claim_due(two, now=NOW, limit=10), timeout=5)
    assert mine == ids[:10] and theirs == ids[10:20]
    for engine in engines:
        await engine.dispose()
