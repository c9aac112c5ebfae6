"""Keeps the catalogue's rolling window of meetings filled: at start and every night."""

from __future__ import annotations

import logging
from datetime import time

from sqlalchemy.exc import IntegrityError
from telegram.ext import JobQueue

from bot.context import BotData, ChorusContext
from bot.services import bookings, catalogue
from bot.services.nudge_policy import NudgePolicy

log = logging.getLogger(__name__)

# Quiet hours for everyone: nothing else is busy, and nobody is looking at results.
REFRESH_AT = time(3, 30)


async def refresh_occurrences(context: ChorusContext) -> None:
    """Adds the meetings that came into the window and drops ones schedules no longer make."""
    now = context.clock.now()
    try:
        async with context.sessions.begin() as session:
            added, removed = await catalogue.refresh_occurrences(session, now=now)
            # Standing ("every week") bookings follow the newly materialised meetings.
            policy = NudgePolicy.from_settings(context.settings)
            await bookings.extend_standing(session, now=now, policy=policy)
    except IntegrityError:
        # Another process refreshed the same window at the same moment; its rows stand.
        log.info("occurrence refresh raced another process; skipped")
        return
    context.bot_data.search.invalidate()
    log.info("occurrences refreshed: %s added, %s removed", added, removed)


def install(data: BotData, job_queue: JobQueue[ChorusContext]) -> None:
    """Runs the refresh shortly after start and then nightly (local time)."""
    job_queue.run_once(refresh_occurrences, when=2, name="occurrences-start")
    job_queue.run_daily(
        refresh_occurrences,
        time=REFRESH_AT.replace(tzinfo=data.settings.zone),
        name="occurrences-nightly",
    )
