"""The broadcast worker: drains delivery rows at a steady pace and keeps the author informed.

It runs for as long as the application runs. Each delivery's outcome is committed right after
its send, so a crash can repeat at most the few messages in flight; a clean stop sends what it
already started, gives back the rest, and the next worker carries on. The pace comes from the
shared `Sender`, which keeps bulk work under Telegram's limit with room for replies.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import time
from collections.abc import Callable

from bot.clock import Clock
from bot.db.models import DeliveryStatus
from bot.db.session import SessionFactory
from bot.messaging import staff_broadcast_texts as texts
from bot.messaging.sender import Outcome, Sender
from bot.services import broadcast_delivery as deliveries

log = logging.getLogger(__name__)

_STATUS = {
    Outcome.SENT: DeliveryStatus.SENT,
    Outcome.UNREACHABLE: DeliveryStatus.UNREACHABLE,
    Outcome.FAILED: DeliveryStatus.FAILED,
}


class BroadcastWorker:
    """Sends every pending delivery once and reports progress to each broadcast's author.

    Args:
        sessions: the database.
        sender: the paced sender.
        clock: the time source for leases and timestamps.
        concurrency: sends in flight at once; enough to keep the pace while one waits on HTTP.
        idle_poll: seconds between looks for work queued by other processes.
        progress_every: seconds between edits of a progress message.
    """

    def __init__(
        self,
        sessions: SessionFactory,
        sender: Sender,
        clock: Clock,
        *,
        concurrency: int = 12,
        idle_poll: float = 1.0,
        progress_every: float = 3.0,
    ) -> None:
        self._sessions = sessions
        self._sender = sender
        self._clock = clock
        self._slots = asyncio.Semaphore(concurrency)
        self._batch = max(concurrency * 2, deliveries.BATCH)
        self._idle_poll = idle_poll
        self._progress_every = progress_every
        self._last_progress: dict[int, float] = {}
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Starts on new work at once instead of at the next idle poll."""
        self._wake.set()

    async def run(self, running: Callable[[], bool]) -> None:
        """Drains deliveries until `running()` turns false."""
        async with self._sessions() as session:
            owed = await deliveries.unfinished(session)
        for broadcast_id in owed:
            await self._report(broadcast_id, final_check=True)
        while running():
            try:
                worked = await self.run_batch(running)
            except Exception:  # a database hiccup must not stop every later broadcast
                log.exception("broadcast batch failed; retrying shortly")
                worked = False
            if not worked:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self._idle_poll)

    async def run_batch(self, running: Callable[[], bool] = lambda: True) -> bool:
        """Claims and sends one batch; False if there was nothing to send."""
        async with self._sessions.begin() as session:
            claimed = await deliveries.claim(session, now=self._clock.now(), limit=self._batch)
        if not claimed:
            return False
        unsent: list[int] = []

        async def send(item: deliveries.Claimed) -> None:
            async with self._slots:
                if not running():
                    unsent.append(item.delivery_id)
                    return
                result = await self._sender.send_text(item.chat_id, html.escape(item.text))
            async with self._sessions.begin() as session:
                await deliveries.record(
                    session,
                    item.delivery_id,
                    _STATUS[result.outcome],
                    now=self._clock.now(),
                    message_id=result.message_id,
                    error=result.error,
                )

        await asyncio.gather(*(send(item) for item in claimed))
        if unsent:
            async with self._sessions.begin() as session:
                await deliveries.release(session, unsent)
        for broadcast_id in sorted({item.broadcast_id for item in claimed}):
            await self._report(broadcast_id)
        return True

    async def _report(self, broadcast_id: int, *, final_check: bool = False) -> None:
        async with self._sessions.begin() as session:
            finished = await deliveries.finish_if_complete(
                session, broadcast_id, now=self._clock.now()
            )
            state = await deliveries.progress(session, broadcast_id)
        if state is None:
            return
        if finished:
            self._last_progress.pop(broadcast_id, None)
            await self._show(state, texts.FINISHED.format(done=state.done, total=state.total))
            await self._sender.send_text(
                state.author_chat_id, texts.REPORT.format(**_counts(state)), bulk=False
            )
            return
        last = self._last_progress.get(broadcast_id, 0.0)
        if final_check or time.monotonic() - last < self._progress_every:
            return
        self._last_progress[broadcast_id] = time.monotonic()
        await self._show(state, texts.PROGRESS.format(done=state.done, total=state.total))

    async def _show(self, state: deliveries.Progress, text: str) -> None:
        if state.progress_message_id is not None:
            await self._sender.edit_text(state.author_chat_id, state.progress_message_id, text)


def _counts(state: deliveries.Progress) -> dict[str, int]:
    return {"sent": state.sent, "unreachable": state.unreachable, "failed": state.failed}
