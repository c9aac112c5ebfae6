"""The nudge dispatcher: claims due nudges, checks each is still wanted, sends, records.

It keeps no state between runs: what is due is whatever the `nudge` table says, so a fresh
process (or a second one) picks up exactly where another left off. Each nudge's outcome is
committed right after its send, so a crash can repeat at most the one nudge in flight.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.db.session import SessionFactory
from bot.messaging.nudge_messages import render
from bot.messaging.sender import Outcome, Sender
from bot.services import nudge_claims as claims
from bot.services.nudge_delivery import Hold, prepare
from bot.services.nudge_policy import NudgePolicy

log = logging.getLogger(__name__)

# Headroom before a claim's lease ends within which no further nudge of the batch is sent.
LEASE_MARGIN = timedelta(seconds=15)


@dataclass(slots=True)
class DispatchStats:
    """What one run did."""

    sent: int = 0
    skipped: int = 0
    postponed: int = 0
    failed: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.skipped + self.postponed + self.failed


class NudgeDispatcher:
    """Sends every due nudge once, through the shared sender.

    Args:
        sessions: the database.
        sender: the paced sender every unprompted message goes through.
        clock: the time source (tests move it).
        policy: quiet hours, zones and usefulness rules.
        batch: how many nudges to claim at a time.
        lease: how long a claim holds before another process may take the nudge over.
    """

    def __init__(
        self,
        sessions: SessionFactory,
        sender: Sender,
        clock: Clock,
        policy: NudgePolicy,
        *,
        batch: int = claims.BATCH,
        lease: timedelta = claims.LEASE,
    ) -> None:
        self._sessions = sessions
        self._sender = sender
        self._clock = clock
        self._policy = policy
        self._batch = batch
        self._lease = lease
        # One run at a time per process: a wake-up during a run finds the work already done.
        self._lock = asyncio.Lock()

    async def run(self) -> DispatchStats:
        """Sends everything due now, batch by batch, until nothing due is left unclaimed."""
        stats = DispatchStats()
        async with self._lock:
            while True:
                claimed_at = self._clock.now()
                async with self._sessions.begin() as session:
                    ids = await claims.claim_due(
                        session, now=claimed_at, limit=self._batch, lease=self._lease
                    )
                if not ids:
                    return stats
                # Stop short of the lease's end: after it another process may take the rest,
                # and sending them here too would send them twice.
                deadline = claimed_at + self._lease - LEASE_MARGIN
                for nudge_id in ids:
                    if self._clock.now() >= deadline:
                        break
                    await self._deliver(nudge_id, stats)

    async def next_due(self) -> datetime | None:
        """When there will next be something to claim (None: nothing pending)."""
        async with self._sessions() as session:
            return await claims.next_due_at(session, now=self._clock.now())

    async def _deliver(self, nudge_id: int, stats: DispatchStats) -> None:
        now = self._clock.now()
        async with self._sessions.begin() as session:
            prepared = await prepare(session, nudge_id, policy=self._policy, now=now)
            if isinstance(prepared, Hold):
                if prepared.until is not None:
                    await claims.postpone(session, nudge_id, now=now, due=prepared.until)
                    stats.postponed += 1
                else:
                    await claims.record_skipped(session, nudge_id, now=now, reason=prepared.reason)
                    stats.skipped += 1
                return
        text, markup = render(prepared, now=now)
        result = await self._sender.send_text(prepared.chat_id, text, reply_markup=markup)
        now = self._clock.now()
        async with self._sessions.begin() as session:
            if result.sent:
                await claims.record_sent(session, nudge_id, now=now, message_id=result.message_id)
                stats.sent += 1
            elif result.outcome is Outcome.UNREACHABLE:
                # The sender has marked them blocked, which skipped this nudge already.
                await claims.record_skipped(session, nudge_id, now=now, reason="blocked")
                stats.skipped += 1
            else:
                error = result.error or "unknown error"
                retry = await claims.record_failure(session, nudge_id, now=now, error=error)
                log.warning("nudge %s not sent (%s); retry: %s", nudge_id, error, retry)
                stats.failed += 1
