"""Fixtures: a running sandbox, a real PTB `Bot` pointed at it, and a control client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import telegram

from bot.sandbox import Limits, SandboxClient, SandboxServer

TOKEN = "123456789:AAHsandboxTestTokenForChorus_0123456"
USER_ID = 4242


@pytest.fixture
def limits() -> Limits:
    """Flood control off: only the flood tests turn it on."""
    return Limits.unlimited()


@pytest.fixture
async def server(limits: Limits) -> AsyncIterator[SandboxServer]:
    async with SandboxServer(TOKEN, limits=limits) as running:
        yield running


@pytest.fixture
async def bot(server: SandboxServer) -> AsyncIterator[telegram.Bot]:
    async with telegram.Bot(
        TOKEN, base_url=server.base_url, base_file_url=server.base_file_url
    ) as instance:
        yield instance


@pytest.fixture
async def client(server: SandboxServer) -> AsyncIterator[SandboxClient]:
    async with SandboxClient(server.control_url) as control:
        yield control


@pytest.fixture
async def user(client: SandboxClient, bot: telegram.Bot) -> int:
    """A registered user who has sent /start, so the bot may write to them."""
    await client.register_user(USER_ID, "Ada", username="ada_l")
    await client.send_text(USER_ID, "/start")
    updates = await bot.get_updates(timeout=1)
    await bot.get_updates(offset=updates[-1].update_id + 1)
    return USER_ID
