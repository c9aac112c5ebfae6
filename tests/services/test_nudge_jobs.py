"""The dispatcher's wake-up on PTB's JobQueue: one armed job, brought forward, never pushed back."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from telegram.ext import JobQueue

from bot.application import ChorusApplication, build_application
from bot.clock import FixedClock
from bot.config import load_settings
from bot.context import ChorusContext
from bot.db.session import SessionFactory
from bot.messaging.nudge_dispatcher import NudgeDispatcher
from bot.messaging.sender import Sender
from handlers.nudge_jobs import NudgeSchedule
from tests.services import nudge_builders as build

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
TOKEN = "123456789:AAHsandboxTestTokenForNudgeJobs_0123"


@pytest.fixture
async def app(clean_env: None) -> AsyncIterator[ChorusApplication]:
    settings = load_settings(_env_file=None, telegram_bot_token=TOKEN)
    application = build_application(settings)
    assert application.job_queue is not None
    await application.job_queue.start()
    yield application
    await application.job_queue.stop()


def _armed_in(job_queue: JobQueue[ChorusContext]) -> list[float]:
    """Seconds from now until each armed dispatcher wake-up."""
    now = datetime.now(UTC)
    return [
        (job.next_t - now).total_seconds()
        for job in job_queue.get_jobs_by_name("nudge-dispatch")
        if job.next_t is not None and not job.removed
    ]


async def test_an_earlier_nudge_brings_the_wake_up_forward_and_a_later_one_does_not(
    app: ChorusApplication, sessions: SessionFactory
) -> None:
    job_queue = app.job_queue
    assert job_queue is not None
    clock = FixedClock(NOW)
    dispatcher = NudgeDispatcher(sessions, Sender(app.bot), clock, build.policy())
    schedule = NudgeSchedule(dispatcher, job_queue, clock)
    schedule.arm(NOW + timedelta(minutes=10))
    schedule.arm(NOW + timedelta(minutes=20))  # later: the earlier wake-up stands
    schedule.arm(None)
    [first] = _armed_in(job_queue)
    assert 595 <= first <= 600 and schedule.armed_for == NOW + timedelta(minutes=10)
    schedule.arm(NOW + timedelta(minutes=1))  # earlier: replaces it, leaving one job
    [second] = _armed_in(job_queue)
    assert 55 <= second <= 60 and schedule.armed_for == NOW + timedelta(minutes=1)
