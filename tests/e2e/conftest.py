"""End-to-end fixtures: the real bot, over HTTP, against the project's local Bot API server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.clock import FixedClock
from bot.local_bot import LocalChorus
from bot.sandbox.limits import Limits
from tests.e2e.helpers import COORDINATOR_ID


@pytest.fixture
def clock() -> FixedClock:
    """The services' clock in end-to-end tests: a Monday morning in late November 2026."""
    return FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))


@pytest.fixture
def e2e_settings() -> dict[str, object]:
    """Settings for the bot under test; override this fixture in a module to change them."""
    return {"admin_telegram_ids": frozenset({COORDINATOR_ID})}


@pytest.fixture
def e2e_limits() -> Limits:
    """Telegram-like flood limits; chats in tests stay under them, as real people do."""
    return Limits()


@pytest.fixture
async def chorus(
    database_url: str, clock: FixedClock, e2e_settings: dict[str, object], e2e_limits: Limits
) -> AsyncIterator[LocalChorus]:
    """The real Application running against the sandbox server on a fresh database."""
    async with LocalChorus(database_url, clock=clock, limits=e2e_limits, **e2e_settings) as local:
        yield local
