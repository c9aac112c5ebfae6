"""Getting updates: long polling with offset/limit/timeout/allowed_updates, and webhooks."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import telegram
from aiohttp import web
from telegram.error import BadRequest, Conflict

from bot.sandbox import Limits, SandboxClient, SandboxServer


async def test_offset_confirms_and_limit_caps(bot: telegram.Bot, client: SandboxClient) -> None:
    for text in ("one", "two", "three"):
        await client.send_text(7, text)
    first_two = await bot.get_updates(limit=2)
    assert [u.message.text for u in first_two if u.message] == ["one", "two"]
    # Without a new offset the same updates come again.
    assert len(await bot.get_updates()) == 3
    rest = await bot.get_updates(offset=first_two[-1].update_id + 1)
    assert [u.message.text for u in rest if u.message] == ["three"]
    assert await bot.get_updates(offset=rest[-1].update_id + 1) == ()


async def test_negative_offset_keeps_only_the_latest(
    bot: telegram.Bot, client: SandboxClient
) -> None:
    for text in ("a", "b", "c"):
        await client.send_text(7, text)
    latest = await bot.get_updates(offset=-1)
    assert [u.message.text for u in latest if u.message] == ["c"]


async def test_long_poll_waits_for_an_update(bot: telegram.Bot, client: SandboxClient) -> None:
    async def later() -> None:
        await asyncio.sleep(0.2)
        await client.send_text(7, "hello")

    task = asyncio.create_task(later())
    started = time.monotonic()
    updates = await bot.get_updates(timeout=5)
    await task
    assert 0.15 < time.monotonic() - started < 4
    assert updates[0].message is not None and updates[0].message.text == "hello"


async def test_long_poll_returns_empty_after_its_timeout(bot: telegram.Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=dt.timedelta(seconds=0.3)) == ()
    assert time.monotonic() - started >= 0.25


async def test_allowed_updates_filters_types(bot: telegram.Bot, client: SandboxClient) -> None:
    sent_id = await client.send_text(7, "/start")
    await bot.get_updates(offset=(await bot.get_updates())[-1].update_id + 1)
    message = await bot.send_message(
        7,
        "pick",
        reply_markup=telegram.InlineKeyboardMarkup(
            [[telegram.InlineKeyboardButton("Go", callback_data="go")]]
        ),
    )
    await client.send_text(7, "words")
    await client.press(7, message.message_id, "Go")
    only_callbacks = await bot.get_updates(allowed_updates=["callback_query"])
    assert [u.callback_query.data for u in only_callbacks if u.callback_query] == ["go"]
    assert all(u.message is None for u in only_callbacks)
    assert sent_id == 1


async def test_a_second_poller_ends_the_first_with_conflict(
    server: SandboxServer, bot: telegram.Bot
) -> None:
    async with telegram.Bot(bot.token, base_url=server.base_url) as rival:
        waiting = asyncio.create_task(bot.get_updates(timeout=5))
        await asyncio.sleep(0.1)
        assert await rival.get_updates(timeout=0) == ()
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await waiting


@dataclass
class Receiver:
    """A tiny webhook endpoint recording what Telegram (the sandbox) posts."""

    url: str
    received: list[dict[str, Any]] = field(default_factory=list)
    secrets: list[str | None] = field(default_factory=list)
    failures_left: int = 0
    arrived: asyncio.Event = field(default_factory=asyncio.Event)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    box: list[Receiver] = []

    async def handle(request: web.Request) -> web.Response:
        hook = box[0]
        if hook.failures_left:
            hook.failures_left -= 1
            return web.Response(status=500)
        hook.received.append(json.loads(await request.text()))
        hook.secrets.append(request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        hook.arrived.set()
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/hook", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    box.append(Receiver(url=f"http://127.0.0.1:{port}/hook"))
    yield box[0]
    await runner.cleanup()


async def _wait_for(receiver: Receiver, count: int) -> None:
    async with asyncio.timeout(5):
        while len(receiver.received) < count:
            receiver.arrived.clear()
            await receiver.arrived.wait()


async def test_webhook_receives_updates_with_the_secret_header(
    bot: telegram.Bot, client: SandboxClient, receiver: Receiver
) -> None:
    assert await bot.set_webhook(receiver.url, secret_token="s3cret-token")
    await client.send_text(7, "/start")
    await client.send_text(7, "second")
    await _wait_for(receiver, 2)
    assert [u["message"]["text"] for u in receiver.received] == ["/start", "second"]
    assert receiver.secrets == ["s3cret-token", "s3cret-token"]
    update = telegram.Update.de_json(receiver.received[0], bot)
    assert update.message is not None and update.message.entities[0].type == "bot_command"
    info = await bot.get_webhook_info()
    assert info.url == receiver.url and info.pending_update_count == 0
    with pytest.raises(Conflict, match="can't use getUpdates method while webhook is active"):
        await bot.get_updates()
    assert (await client.webhook_info())["delivered"] == 2


async def test_webhook_without_secret_sends_no_header(
    bot: telegram.Bot, client: SandboxClient, receiver: Receiver
) -> None:
    await bot.set_webhook(receiver.url)
    await client.send_text(7, "hi")
    await _wait_for(receiver, 1)
    assert receiver.secrets == [None]


@pytest.fixture
def limits() -> Limits:
    return Limits(flood_control=False, webhook_retry_delay=0.05)


async def test_refused_webhook_deliveries_are_retried_and_reported(
    bot: telegram.Bot, client: SandboxClient, receiver: Receiver
) -> None:
    receiver.failures_left = 2
    await bot.set_webhook(receiver.url)
    await client.send_text(7, "persistent")
    await _wait_for(receiver, 1)
    assert receiver.received[0]["message"]["text"] == "persistent"
    info = await bot.get_webhook_info()
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"


async def test_delete_webhook_returns_to_polling_and_can_drop_pending(
    bot: telegram.Bot, client: SandboxClient
) -> None:
    # Nothing listens on port 9, so updates stay queued.
    await bot.set_webhook("http://127.0.0.1:9/hook")
    await client.send_text(7, "queued")
    assert await bot.delete_webhook()
    assert [u.message.text for u in await bot.get_updates() if u.message] == ["queued"]
    await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == ()
    assert (await bot.get_webhook_info()).url == ""


async def test_webhook_url_must_be_http(bot: telegram.Bot) -> None:
    with pytest.raises(BadRequest, match="Bad webhook: an https url must be provided for webhook"):
        await bot.set_webhook("ftp://example.org/hook")
    with pytest.raises(BadRequest, match="Secret token contains unallowed characters"):
        await bot.set_webhook("https://example.org/hook", secret_token="no spaces")
