"""The nudge dispatcher on PTB's JobQueue: it sleeps until the next nudge is due.

One `run_once` job is armed for the earliest pending nudge and re-armed after every run, or
sooner when a handler plans an earlier one (`wake`). A slow `run_repeating` safety net notices
nudges planned by other processes and plans link workers' digests; a daily job deletes data
past its retention. Nothing here holds state the database does not: a restart re-arms from
the table.
"""

from __future__ import annotations

import logging
from datetime import datetime, time

from telegram.ext import Job, JobQueue

from bot.clock import Clock
from bot.context import BotData, ChorusContext
from bot.messaging.nudge_dispatcher import NudgeDispatcher
from bot.services import digest, retention
from bot.services import nudge_claims as claims
from bot.services.nudge_policy import NudgePolicy

log = logging.getLogger(__name__)

EXTRAS_KEY = "nudges"
# Other processes' nudges and missed wake-ups are noticed within this many seconds.
SAFETY_NET_SECONDS = 60.0
# The first run, on start, picks up whatever fell due while no process was running.
FIRST_RUN_SECONDS = 0.01
# The clean-up runs when hardly anyone is using the bot (local time).
CLEAN_UP_AT = time(4, 15)


class NudgeSchedule:
    """The one armed wake-up of this process's dispatcher."""

    def __init__(
        self, dispatcher: NudgeDispatcher, job_queue: JobQueue[ChorusContext], clock: Clock
    ) -> None:
        self.dispatcher = dispatcher
        self._clock = clock
        self._job_queue = job_queue
        self._job: Job[ChorusContext] | None = None
        self._armed_for: datetime | None = None

    @property
    def armed_for(self) -> datetime | None:
        return self._armed_for

    def arm(self, due: datetime | None, *, replace: bool = False) -> None:
        """Wakes the dispatcher at `due`, unless it is already due to wake earlier."""
        if due is None:
            return
        if not replace and self._armed_for is not None and self._armed_for <= due:
            return
        if self._job is not None:
            self._job.schedule_removal()
        delay = max(0.0, (due - self._clock.now()).total_seconds())
        self._job = self._job_queue.run_once(_dispatch, when=delay, name="nudge-dispatch")
        self._armed_for = due

    async def run_and_rearm(self, *, fired: bool) -> None:
        """Sends what is due, then arms the wake-up for what is next.

        Args:
            fired: this run is the armed wake-up itself (so it is no longer armed).
        """
        if fired:
            self._job, self._armed_for = None, None
        stats = await self.dispatcher.run()
        if stats.handled:
            log.info("nudges: %s", stats)
        self.arm(await self.dispatcher.next_due())


async def rearm_after_update(update: object, context: ChorusContext) -> None:
    """Brings the wake-up forward if handling this update planned an earlier nudge.

    Runs after every other handler, so any journey that plans nudges (a booking, a changed
    session, new settings) gets them sent on time without having to call `wake` itself.
    """
    schedule = context.bot_data.extras.get(EXTRAS_KEY)
    if not isinstance(schedule, NudgeSchedule):
        return
    async with context.sessions() as session:
        due = await claims.earliest_unclaimed(session, now=context.clock.now())
    schedule.arm(due)


def schedule_of(bot_data: BotData) -> NudgeSchedule:
    schedule = bot_data.extras.get(EXTRAS_KEY)
    if not isinstance(schedule, NudgeSchedule):
        raise RuntimeError("the nudge dispatcher is not installed (post_init has not run)")
    return schedule


def wake(bot_data: BotData, due_at: datetime) -> None:
    """Tells this process's dispatcher that a nudge is now due at `due_at`.

    Call it after committing newly planned nudges (a booking, a change) so an early reminder
    is not left waiting for the safety net.
    """
    schedule_of(bot_data).arm(due_at)


async def _dispatch(context: ChorusContext) -> None:
    await schedule_of(context.bot_data).run_and_rearm(fired=True)


async def _safety_net(context: ChorusContext) -> None:
    policy = NudgePolicy.from_settings(context.settings)
    async with context.sessions.begin() as session:
        await digest.plan_digests(session, policy=policy, now=context.clock.now())
    await schedule_of(context.bot_data).run_and_rearm(fired=False)


async def _clean_up(context: ChorusContext) -> None:
    async with context.sessions.begin() as session:
        removed = await retention.clean_up(
            session, retention_days=context.settings.retention_days, now=context.clock.now()
        )
    log.info("retention clean-up removed %s", removed)


def install(bot_data: BotData, job_queue: JobQueue[ChorusContext]) -> NudgeSchedule:
    """Creates this process's dispatcher and its jobs; the first run picks up whatever is due.

    Call once from `post_init`, after the database and the sender are ready.
    """
    settings = bot_data.settings
    dispatcher = NudgeDispatcher(
        bot_data.sessions, bot_data.sender, bot_data.clock, NudgePolicy.from_settings(settings)
    )
    schedule = NudgeSchedule(dispatcher, job_queue, bot_data.clock)
    bot_data.extras[EXTRAS_KEY] = schedule
    # The safety net's first run plans digests and catches anything missed at start.
    # (A `first` of 0 would count as "not given" and wait a whole interval.)
    job_queue.run_repeating(
        _safety_net, interval=SAFETY_NET_SECONDS, first=FIRST_RUN_SECONDS, name="nudge-net"
    )
    job_queue.run_daily(
        _clean_up, time=CLEAN_UP_AT.replace(tzinfo=settings.zone), name="retention-clean-up"
    )
    return schedule
