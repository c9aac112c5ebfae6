"""Starts this process's broadcast worker once the application runs, and wakes it on new work."""

from __future__ import annotations

from telegram.ext import JobQueue

from bot.context import BotData, ChorusContext
from bot.messaging.broadcast_dispatcher import BroadcastWorker

EXTRAS_KEY = "broadcasts"


def install(bot_data: BotData, job_queue: JobQueue[ChorusContext]) -> BroadcastWorker:
    """Creates the worker; it starts as soon as the job queue runs (after `Application.start`).

    Call once from `post_init`, after the database and the sender are ready.
    """
    worker = BroadcastWorker(bot_data.sessions, bot_data.sender, bot_data.clock)
    bot_data.extras[EXTRAS_KEY] = worker
    job_queue.run_once(_start, when=0.01, name="broadcast-worker")
    return worker


async def _start(context: ChorusContext) -> None:
    application = context.application
    worker = worker_of(context.bot_data)
    # `create_task` makes `Application.stop` wait for the worker, which stops claiming as
    # soon as the application stops running and finishes the sends already under way.
    application.create_task(worker.run(lambda: application.running), name="broadcast-worker")


def worker_of(bot_data: BotData) -> BroadcastWorker:
    worker = bot_data.extras.get(EXTRAS_KEY)
    if not isinstance(worker, BroadcastWorker):
        raise RuntimeError("the broadcast worker is not installed (post_init has not run)")
    return worker


def wake(bot_data: BotData) -> None:
    """Tells this process's worker that a broadcast was just queued."""
    worker = bot_data.extras.get(EXTRAS_KEY)
    if isinstance(worker, BroadcastWorker):
        worker.wake()
