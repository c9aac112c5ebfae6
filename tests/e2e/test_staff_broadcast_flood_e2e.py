"""A broadcast into a much stricter flood limit: RetryAfter pauses and resumes, nothing is lost
or repeated, and a chat that does not exist is recorded as failed and reported."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.db.models import Broadcast, BroadcastStatus, Delivery, DeliveryStatus, Person, Role
from bot.local_bot import LocalChorus
from bot.sandbox.limits import Limits
from tests.e2e.helpers import COORDINATOR_ID, eventually, press_and_wait

FIRST = 800_000
COUNT = 40
MISSING_CHAT = 899_999


@pytest.fixture
def e2e_limits() -> Limits:
    """Ten messages a second overall: the sender's 27 a second must be pushed back."""
    return Limits(global_rate=10.0, global_burst=10.0)


async def test_retry_after_pauses_and_failures_are_reported(chorus: LocalChorus) -> None:
    client = chorus.client
    await client.register_user(COORDINATOR_ID, "Cora")
    await client.send_text(COORDINATOR_ID, "/start")
    await client.wait_for_messages(COORDINATOR_ID, 1)
    now = chorus.clock.now()
    async with chorus.sessions.begin() as session:
        coordinator = await session.scalar(
            select(Person).where(Person.telegram_user_id == COORDINATOR_ID)
        )
        assert coordinator is not None
        for i in range(COUNT):
            await client.register_user(FIRST + i, f"P{i}")
            chorus.server.state.users[FIRST + i].started = True
        session.add_all(
            Person(
                telegram_user_id=chat,
                chat_id=chat,
                code=f"F-{n:03d}",
                role=Role.PARTICIPANT,
                consent_at=now,
                link_worker_id=coordinator.id,
                interests=[],
                access_needs=[],
                preferences={},
            )
            for n, chat in enumerate([*range(FIRST, FIRST + COUNT), MISSING_CHAT])
        )
    stats_before = await client.stats()

    await client.send_text(COORDINATOR_ID, "/broadcast")
    [choose] = await client.wait_for_messages(COORDINATOR_ID, 1)
    await press_and_wait(chorus, COORDINATOR_ID, choose, "My caseload")
    await client.send_text(COORDINATOR_ID, "Rehearsal moved to Wednesday")
    [preview] = await client.wait_for_messages(COORDINATOR_ID, 1)
    assert f"It will go to {COUNT + 1} people." in (preview.text or "")
    await press_and_wait(chorus, COORDINATOR_ID, preview, "Send")

    async def done() -> bool:
        async with chorus.sessions() as session:
            return await session.scalar(select(Broadcast.status)) is BroadcastStatus.DONE

    await eventually(done, timeout=60)
    for i in range(COUNT):
        got = [
            m for m in await client.messages(FIRST + i) if m.text == "Rehearsal moved to Wednesday"
        ]
        assert len(got) == 1, FIRST + i
    stats = await client.stats()
    assert stats.too_many_requests > stats_before.too_many_requests, "the limit pushed back"
    async with chorus.sessions() as session:
        rows = await session.execute(
            select(Delivery.status, func.count()).group_by(Delivery.status)
        )
        statuses = {status: count for status, count in rows.all()}
        error = await session.scalar(select(Delivery.error).where(Delivery.chat_id == MISSING_CHAT))
    assert statuses == {DeliveryStatus.SENT: COUNT, DeliveryStatus.FAILED: 1}
    assert error and "chat not found" in error.lower()

    async def reported() -> bool:
        texts = [m.text or "" for m in await client.messages(COORDINATOR_ID)]
        return any(f"Delivered: {COUNT}" in t and "Could not be sent: 1" in t for t in texts)

    await eventually(reported)
