"""End-to-end fixtures: the real bot, over HTTP, against the project's local Bot API server."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.local_bot import LocalChorus
from bot.sandbox.limits import Limits
from bot.services.catalogue import apply_import
from catalogue.detect import read_catalogue
from catalogue.model import Catalogue
from tests.e2e.helpers import COORDINATOR_ID

DEMO_CATALOGUE = Path(__file__).resolve().parents[2] / "catalogue" / "demo" / "activities.csv"


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
    """Telegram's overall limit, with per-chat bursts wide enough for a test's fast tapping.

    A test presses buttons milliseconds apart, far faster than a person, so the per-chat burst
    is raised; flood tests that need the strict per-chat bucket set their own limits.
    """
    return Limits(chat_burst=30.0)


@pytest.fixture
async def chorus(
    database_url: str,
    clock: FixedClock,
    e2e_settings: dict[str, object],
    e2e_limits: Limits,
    caplog: pytest.LogCaptureFixture,
) -> AsyncIterator[LocalChorus]:
    """The real Application running against the sandbox server on a fresh database.

    A handler error anywhere in the test fails it, even when the person got a polite answer:
    "something went wrong" is never an acceptable outcome of a journey.
    """
    caplog.set_level(logging.ERROR, logger="handlers")
    async with LocalChorus(database_url, clock=clock, limits=e2e_limits, **e2e_settings) as local:
        yield local
    errors = [
        r for r in caplog.records if r.name.startswith("handlers") and r.levelno >= logging.ERROR
    ]
    assert not errors, "handler errors: " + "; ".join(r.getMessage() for r in errors)


@pytest.fixture(scope="session")
def demo_catalogue() -> Catalogue:
    """The demo catalogue, read once per test run."""
    result = read_catalogue(DEMO_CATALOGUE)
    assert result.ok, result.errors[:3]
    return result.catalogue


@pytest.fixture
async def with_demo(chorus: LocalChorus, demo_catalogue: Catalogue) -> LocalChorus:
    """The running bot with the demo catalogue imported (as `make run` does)."""
    async with chorus.sessions.begin() as session:
        await apply_import(session, demo_catalogue, now=chorus.clock.now())
    return chorus
