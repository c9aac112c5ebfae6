"""The real PTB Application runs against the sandbox unchanged (long polling)."""

from __future__ import annotations

import pytest
from telegram.ext import AIORateLimiter

from bot.sandbox import Limits, SandboxClient, SandboxServer
from tests.sandbox.chorus_like_bot import running_bot


async def test_application_echoes_and_handles_buttons(
    server: SandboxServer, client: SandboxClient
) -> None:
    async with running_bot(server):
        await client.register_user(11, "Ada")
        await client.send_text(11, "hello <there>")
        [echo] = await client.wait_for_messages(11)
        assert echo.text == "hello <there>"
        assert echo.entities == [{"type": "bold", "offset": 0, "length": 13}]

        await client.send_text(11, "/start")
        [welcome] = await client.wait_for_messages(11)
        assert welcome.text == "Welcome to the choir & friends"
        _, revision = await client.changes(11, after_revision=0)
        query_id = await client.press(11, welcome, "I'll go")
        [chosen], _ = await client.changes(11, after_revision=revision, timeout=3)
        assert chosen.message_id == welcome.message_id
        assert chosen.text == "You chose go" and chosen.buttons == [] and chosen.edited
        [answer] = await client.callback_answers(11)
        assert (answer.callback_query_id, answer.text, answer.answered) == (query_id, "Noted", True)


@pytest.fixture
def limits(monkeypatch: pytest.MonkeyPatch) -> Limits:
    # PTB's RetryAfter warns about its future timedelta type unless this opt-in is set.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    return Limits(chat_rate=2.0, chat_burst=3.0)


async def test_rate_limited_application_retries_after_429(
    server: SandboxServer, client: SandboxClient
) -> None:
    async with running_bot(server, rate_limiter=AIORateLimiter(max_retries=3)):
        await client.send_text(12, "/burst")
        burst = await client.wait_for_messages(12, count=5, timeout=8)
    assert [m.text for m in burst] == [f"burst {n}" for n in range(1, 6)]
    stats = await client.stats()
    assert stats.too_many_requests >= 1
    assert stats.messages_sent == 5
