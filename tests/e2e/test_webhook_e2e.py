"""Webhook mode: the sandbox pushes updates with the secret header; others are refused."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.application import ChorusApplication, build_application
from bot.config import load_settings
from bot.db.migrate import upgrade
from bot.local_bot import sandbox_token
from bot.sandbox.client import SandboxClient
from bot.sandbox.server import SandboxServer

SECRET = "a-long-random-webhook-secret"
ALICE = 1001


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
async def webhook_bot(
    database_url: str,
) -> AsyncIterator[tuple[SandboxClient, str, ChorusApplication]]:
    token = sandbox_token()
    port = _free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    await asyncio.to_thread(upgrade, database_url)
    async with SandboxServer(token) as server:
        settings = load_settings(
            _env_file=None,
            telegram_bot_token=token,
            telegram_api_base_url=server.base_url,
            database_url=database_url,
            webhook_url=url,
            webhook_secret=SECRET,
            webhook_port=port,
        )
        app = build_application(settings)
        await app.initialize()
        assert app.post_init is not None
        await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="telegram",
            webhook_url=url,
            secret_token=SECRET,
        )
        async with SandboxClient(server.control_url) as client:
            yield client, url, app
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        assert app.post_shutdown is not None
        await app.post_shutdown(app)


async def test_updates_arrive_by_webhook_and_get_answers(
    webhook_bot: tuple[SandboxClient, str, ChorusApplication],
) -> None:
    client, url, _ = webhook_bot
    info = await client.webhook_info()
    assert info["url"] == url
    await client.register_user(ALICE, "Alice")
    await client.send_text(ALICE, "/help")
    [reply] = await client.wait_for_messages(ALICE, 1)
    assert reply.text is not None and "What I can do" in reply.text


async def test_a_request_without_the_secret_is_refused(
    webhook_bot: tuple[SandboxClient, str, ChorusApplication],
) -> None:
    _, url, _ = webhook_bot
    forged = {
        "update_id": 999,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": ALICE, "type": "private"},
            "from": {"id": ALICE, "is_bot": False, "first_name": "Mallory"},
            "text": "/start",
        },
    }
    async with httpx.AsyncClient() as http:
        missing = await http.post(url, json=forged)
        wrong = await http.post(
            url, json=forged, headers={"X-Telegram-Bot-Api-Secret-Token": "guess"}
        )
    assert missing.status_code == 403
    assert wrong.status_code == 403
