"""A broadcast to 1,000 participants against the local Bot API server's real flood limits.

50 of them blocked the bot without the bot hearing of it; the bot is restarted part-way; a
participant chats during it. Everyone else gets exactly one message, the 50 are marked
unreachable, and the chatting participant is answered promptly.
"""

from __future__ import annotations

import asyncio
import logging
import time

import pytest
from sqlalchemy import func, select

from bot.db.models import (
    Broadcast,
    BroadcastStatus,
    Delivery,
    DeliveryStatus,
    Person,
    Reachability,
    Role,
)
from bot.local_bot import LocalChorus
from bot.sandbox.limits import Limits
from tests.e2e.helpers import COORDINATOR_ID, eventually, press_and_wait

RECIPIENTS = 1000
FIRST_ID = 700_000
BLOCKED = {FIRST_ID + i for i in range(0, RECIPIENTS, RECIPIENTS // 50)}
CHATTER = FIRST_ID + 1
TEXT = "Tonight's choir moves to the library hall & starts at 7"


@pytest.fixture
def e2e_limits() -> Limits:
    """Telegram's real limits: 30 a second overall, one a second per chat with small bursts."""
    return Limits()


async def _seed(chorus: LocalChorus) -> None:
    now = chorus.clock.now()
    async with chorus.sessions.begin() as session:
        session.add_all(
            Person(
                telegram_user_id=FIRST_ID + i,
                chat_id=FIRST_ID + i,
                code=f"B-{i:04d}",
                role=Role.PARTICIPANT,
                display_name=f"Person {i}",
                consent_at=now,
                interests=[],
                access_needs=[],
                preferences={},
            )
            for i in range(RECIPIENTS)
        )
    for start in range(0, RECIPIENTS, 100):
        await asyncio.gather(
            *(
                chorus.client.register_user(FIRST_ID + i, f"Person {i}")
                for i in range(start, min(start + 100, RECIPIENTS))
            )
        )
    # They joined before this test began, so each has written to the bot at some point: a bot
    # may only message people who started it (the sandbox refuses others with 403, as Telegram
    # does). Marking that on the server avoids 1,000 /start exchanges the test is not about.
    for i in range(RECIPIENTS):
        chorus.server.state.users[FIRST_ID + i].started = True
    # These blocked the bot while it was down for longer than Telegram keeps updates, so the
    # bot has not heard: only the broadcast's own 403s can tell it they are unreachable.
    for user_id in BLOCKED:
        chorus.server.state.users[user_id].blocked = True


async def _delivered(chorus: LocalChorus) -> int:
    async with chorus.sessions() as session:
        count = await session.scalar(
            select(func.count()).where(Delivery.status != DeliveryStatus.PENDING)
        )
    return int(count or 0)


async def _reply_latency(chorus: LocalChorus) -> float:
    started = time.monotonic()
    await chorus.client.send_text(CHATTER, "/help")
    await chorus.client.wait_for_messages(CHATTER, 1, timeout=10)
    return time.monotonic() - started


async def test_broadcast_to_1000_with_blocks_restart_and_a_chat(
    chorus: LocalChorus, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.messaging")
    await chorus.client.register_user(COORDINATOR_ID, "Cora")
    await chorus.client.send_text(COORDINATOR_ID, "/start")
    await chorus.client.wait_for_messages(COORDINATOR_ID, 1)
    await _seed(chorus)

    await chorus.client.send_text(COORDINATOR_ID, "/broadcast")
    [choose] = await chorus.client.wait_for_messages(COORDINATOR_ID, 1)
    await press_and_wait(chorus, COORDINATOR_ID, choose, "Everyone")
    await chorus.client.send_text(COORDINATOR_ID, TEXT)
    [preview] = await chorus.client.wait_for_messages(COORDINATOR_ID, 1)
    assert "It will go to 1,000 people." in (preview.text or "")
    [progress] = await press_and_wait(chorus, COORDINATOR_ID, preview, "Send")

    async def some_sent() -> bool:
        return await _delivered(chorus) >= 250

    await eventually(some_sent, timeout=30)
    await chorus.restart()
    after_restart = await _delivered(chorus)
    assert after_restart < RECIPIENTS, "the restart happened in the middle of the broadcast"

    latencies = []
    for _ in range(5):
        latencies.append(await _reply_latency(chorus))
        await asyncio.sleep(1.0)
    assert max(latencies) < 1.5, latencies

    async def finished() -> bool:
        async with chorus.sessions() as session:
            status = await session.scalar(select(Broadcast.status))
        return status is BroadcastStatus.DONE

    await eventually(finished, timeout=90)

    for user_id in range(FIRST_ID, FIRST_ID + RECIPIENTS):
        got = [m for m in await chorus.client.messages(user_id) if m.text == TEXT]
        assert len(got) == (0 if user_id in BLOCKED else 1), [
            (m.text, m.html) for m in await chorus.client.messages(user_id)
        ]
    async with chorus.sessions() as session:
        blocked = set(
            await session.scalars(
                select(Person.telegram_user_id).where(Person.reachability == Reachability.BLOCKED)
            )
        )
        rows = await session.execute(
            select(Delivery.status, func.count()).group_by(Delivery.status)
        )
        statuses = {status: count for status, count in rows.all()}
    assert blocked == BLOCKED
    assert statuses == {DeliveryStatus.SENT: 950, DeliveryStatus.UNREACHABLE: 50}

    async def reported() -> bool:
        texts = [m.text or "" for m in await chorus.client.messages(COORDINATOR_ID)]
        return any(
            "Delivered: 950" in t and "Not reachable (blocked the bot): 50" in t for t in texts
        )

    await eventually(reported, timeout=10)
    shown = next(
        m
        for m in await chorus.client.messages(COORDINATOR_ID)
        if m.message_id == progress.message_id
    )
    assert shown.edit_count >= 2 and "1,000 of 1,000" in (shown.text or "")
    problems = [r.getMessage() for r in caplog.records if r.name.startswith("bot.messaging")]
    assert not problems, problems
