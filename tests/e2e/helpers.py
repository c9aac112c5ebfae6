"""Small helpers shared by the end-to-end tests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from sqlalchemy import select

from bot.db.models import Person
from bot.local_bot import LocalChorus
from bot.sandbox.received import BotMessage

COORDINATOR_ID = 9001


async def person(chorus: LocalChorus, user_id: int) -> Person | None:
    """The person row behind a Telegram user id, read fresh from the database."""
    async with chorus.sessions() as session:
        result = await session.execute(select(Person).where(Person.telegram_user_id == user_id))
        return result.scalar_one_or_none()


async def eventually(check: Callable[[], Awaitable[bool]], *, timeout: float = 5.0) -> None:
    """Waits until `check()` is true (for effects with no message to wait for)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


async def press_and_wait(
    chorus: LocalChorus, user_id: int, message: BotMessage, button: str, count: int = 1
) -> list[BotMessage]:
    """Presses a button by its label and waits for `count` new bot messages."""
    await chorus.client.press(user_id, message, button)
    return await chorus.client.wait_for_messages(user_id, count)


async def join(chorus: LocalChorus, user_id: int, first_name: str = "Maggie") -> None:
    """Takes a participant through /start → I agree → Skip the rest → Not now."""
    client = chorus.client
    await client.register_user(user_id, first_name)
    await client.send_text(user_id, "/start")
    _, notice = await client.wait_for_messages(user_id, 2)
    [ask_name] = await press_and_wait(chorus, user_id, notice, "I agree")
    [offer] = await press_and_wait(chorus, user_id, ask_name, "Skip the rest")
    await press_and_wait(chorus, user_id, offer, "Not now")


def buttons(message: BotMessage) -> list[str]:
    """The labels of a message's inline buttons, row by row."""
    markup = message.reply_markup or {}
    return [b["text"] for row in markup.get("inline_keyboard", []) for b in row]


async def _moved_on(chorus: LocalChorus, user_id: int, revision: int) -> bool:
    messages = await chorus.client.messages(user_id)
    return bool(messages) and max(m.revision for m in messages) > revision


async def answer_questions(
    chorus: LocalChorus,
    user_id: int,
    choose: Callable[[list[str]], str] = lambda labels: labels[0],
    *,
    limit: int = 20,
) -> BotMessage:
    """Answers check-in questions on screen until the bot asks for a note; returns that prompt."""
    for _ in range(limit):
        messages = await chorus.client.messages(user_id)
        latest = messages[-1]
        if "link worker to know" in (latest.text or ""):
            return latest
        labels = buttons(latest)
        if "Stop for now" not in labels:
            raise AssertionError(f"no question on screen: {[m.text for m in messages[-4:]]!r}")
        seen = max(m.revision for m in messages)
        await chorus.client.press(user_id, latest, choose(labels))
        await eventually(lambda seen=seen: _moved_on(chorus, user_id, seen))
    raise AssertionError("the check-in did not finish")
