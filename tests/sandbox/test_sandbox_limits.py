"""Flood control: token buckets, and 429 RetryAfter from the server when the bot goes too fast."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
import telegram
from telegram.error import RetryAfter

from bot.sandbox import Limits, SandboxClient
from bot.sandbox.limits import FloodControl, TokenBucket


def test_bucket_allows_a_burst_then_refills_at_its_rate() -> None:
    bucket = TokenBucket(rate=1.0, capacity=3.0, updated_at=0.0)
    for _ in range(3):
        assert bucket.wait_time(0.0) == 0.0
        bucket.take(0.0)
    assert bucket.wait_time(0.0) == pytest.approx(1.0)
    assert bucket.wait_time(0.5) == pytest.approx(0.5)
    assert bucket.wait_time(1.0) == 0.0


def test_bucket_never_holds_more_than_its_capacity() -> None:
    bucket = TokenBucket(rate=10.0, capacity=2.0, updated_at=0.0)
    bucket.wait_time(100.0)
    assert bucket.tokens == 2.0


def test_bucket_rejects_impossible_settings() -> None:
    with pytest.raises(ValueError, match="positive rate"):
        TokenBucket(rate=0.0, capacity=1.0)


def test_per_chat_limit_answers_whole_seconds() -> None:
    flood = FloodControl(Limits(chat_rate=1.0, chat_burst=2.0))
    assert flood.acquire(1, now=0.0) == 0
    assert flood.acquire(1, now=0.0) == 0
    assert flood.acquire(1, now=0.1) == 1
    # Another chat has its own bucket.
    assert flood.acquire(2, now=0.1) == 0
    assert flood.acquire(1, now=1.0) == 0


def test_slow_refill_reports_the_full_wait() -> None:
    flood = FloodControl(Limits(chat_rate=0.25, chat_burst=1.0))
    assert flood.acquire(1, now=0.0) == 0
    assert flood.acquire(1, now=0.0) == 4


def test_global_limit_applies_across_chats() -> None:
    flood = FloodControl(Limits(global_rate=30.0, global_burst=30.0, chat_burst=5.0))
    allowed = sum(flood.acquire(chat, now=0.0) == 0 for chat in range(40))
    assert allowed == 30
    assert flood.acquire(99, now=0.0) == 1


@pytest.mark.parametrize(
    "settings",
    [{"chat_rate": 0.0}, {"global_burst": 0.5}, {"callback_query_ttl": 0.0}],
)
def test_limits_refuse_impossible_settings(settings: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must"):
        Limits(**settings)  # type: ignore[arg-type]


def test_flood_control_can_be_switched_off() -> None:
    flood = FloodControl(Limits.unlimited())
    assert all(flood.acquire(1, now=0.0) == 0 for _ in range(1000))


@pytest.fixture
def limits(monkeypatch: pytest.MonkeyPatch) -> Limits:
    # PTB's RetryAfter warns about its future timedelta type unless this opt-in is set.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    return Limits(chat_rate=1.0, chat_burst=2.0, global_rate=30.0, global_burst=30.0)


async def test_server_answers_429_with_retry_after(
    bot: telegram.Bot, client: SandboxClient, user: int
) -> None:
    first = await bot.send_message(user, "one")
    await bot.send_message(user, "two")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(user, "three")
    assert caught.value.retry_after == dt.timedelta(seconds=1)
    # Edits draw from the same bucket.
    with pytest.raises(RetryAfter):
        await bot.edit_message_text("uno", user, first.message_id)
    stats = await client.stats()
    assert stats.too_many_requests == 2
    assert stats.messages_sent == 2
    assert [m.text for m in await client.messages(user)] == ["one", "two"]


async def test_waiting_the_advised_time_lets_the_message_through(
    bot: telegram.Bot, client: SandboxClient, user: int
) -> None:
    await bot.send_message(user, "one")
    await bot.send_message(user, "two")
    with pytest.raises(RetryAfter):
        await bot.send_message(user, "three")
    await asyncio.sleep(1.0)
    assert (await bot.send_message(user, "three")).text == "three"
    times = (await client.stats()).send_times[user]
    assert times[2] - times[0] >= 0.9
