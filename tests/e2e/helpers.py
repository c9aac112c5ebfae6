"""Small helpers shared by the end-to-end tests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from sqlalchemy import select

from bot.db.models import Person
from bot.local_bot import LocalChorus

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
