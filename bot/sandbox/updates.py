"""The bot's queue of pending updates, served by long polling or pushed to a webhook."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

from bot.sandbox.errors import CONFLICT, ApiError

# What Telegram delivers when the bot never said otherwise: everything except these three.
_OPT_IN_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_MAX_POLL_TIMEOUT = 50.0


class Notifier:
    """Wakes every waiter when something changes (a one-shot event renewed on each change)."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        """Wakes everyone waiting now; later waiters wait for the next change."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, timeout: float) -> None:
        """Returns after the next change or after `timeout` seconds, whichever comes first."""
        event = self._event
        if timeout <= 0:
            return
        # asyncio.timeout, unlike wait_for on 3.11, never swallows a cancellation that races
        # with the event being set, so a stopping server cannot be left waiting forever.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await event.wait()


class UpdateQueue:
    """Updates waiting for the bot, numbered like Telegram's `update_id`."""

    def __init__(self) -> None:
        self.changed = Notifier()
        self._pending: list[dict[str, Any]] = []
        self._next_id = 1
        self._allowed: frozenset[str] | None = None
        self._poll_generation = 0
        self._closed = False

    def push(self, kind: str, payload: dict[str, Any]) -> int:
        """Queues an update such as `message` or `callback_query` and returns its id."""
        update_id = self._next_id
        self._next_id += 1
        self._pending.append({"update_id": update_id, kind: payload})
        self.changed.notify()
        return update_id

    @property
    def allowed_updates(self) -> list[str]:
        """The update types the bot asked for (empty means Telegram's default set)."""
        return sorted(self._allowed) if self._allowed is not None else []

    def set_allowed(self, allowed: list[str] | None) -> None:
        """Remembers which update types to deliver; None keeps the previous choice."""
        if allowed is None:
            return
        self._allowed = frozenset(allowed) if allowed else None

    def _is_allowed(self, update: dict[str, Any]) -> bool:
        kind = next(key for key in update if key != "update_id")
        if self._allowed is None:
            return kind not in _OPT_IN_TYPES
        return kind in self._allowed

    def confirm(self, offset: int) -> None:
        """Forgets updates the bot has confirmed, as Telegram's `offset` does.

        A positive offset confirms every update with a lower id; a negative one keeps only the
        last `-offset` updates.
        """
        if offset < 0:
            self._pending = self._pending[offset:]
        else:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]

    def deliverable(self, limit: int = 100) -> list[dict[str, Any]]:
        """Returns up to `limit` pending updates, dropping types the bot did not ask for."""
        self._pending = [u for u in self._pending if self._is_allowed(u)]
        return self._pending[:limit]

    @property
    def pending_count(self) -> int:
        """How many updates wait to be delivered."""
        return len(self._pending)

    def clear(self) -> None:
        """Drops every pending update (`drop_pending_updates`)."""
        self._pending.clear()

    def close(self) -> None:
        """Makes every waiting long poll return at once, so the server can stop promptly."""
        self._closed = True
        self.changed.notify()

    async def long_poll(
        self, *, offset: int | None, limit: int, timeout: float, allowed: list[str] | None
    ) -> list[dict[str, Any]]:
        """Answers `getUpdates`: confirms `offset`, then waits up to `timeout` for updates.

        Raises:
            ApiError: 409 when a newer `getUpdates` call replaced this one, like Telegram.
        """
        self._poll_generation += 1
        generation = self._poll_generation
        # A newer poll ends an older one still waiting: wake it so it can answer 409.
        self.changed.notify()
        self.set_allowed(allowed)
        if offset is not None:
            self.confirm(offset)
        deadline = time.monotonic() + min(max(timeout, 0.0), _MAX_POLL_TIMEOUT)
        while True:
            if generation != self._poll_generation:
                raise ApiError(
                    CONFLICT,
                    "Conflict: terminated by other getUpdates request; make sure that only "
                    "one bot instance is running",
                )
            updates = self.deliverable(limit)
            remaining = deadline - time.monotonic()
            if updates or remaining <= 0 or self._closed:
                return updates
            await self.changed.wait(remaining)
