"""The one way Chorus sends messages it was not directly asked for.

Replies to a person's own message go straight back through PTB (paced by its
`AIORateLimiter`). Everything else (reminders, broadcasts, alerts to staff) goes through
`Sender`, which paces bulk work below Telegram's limit so interactive replies always have room,
honours `RetryAfter`, marks people who blocked the bot unreachable, and records other failures
instead of raising them.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

log = logging.getLogger(__name__)

# Telegram allows about 30 messages a second per bot. Bulk sends keep to 27 so interactive
# replies, which share the same limit, are never queued behind a broadcast.
BULK_RATE_PER_SECOND = 27.0
# About one message a second per private chat, with short bursts allowed.
PER_CHAT_INTERVAL = 1.0
MAX_ATTEMPTS = 4


class Outcome(enum.StrEnum):
    SENT = "sent"
    UNREACHABLE = "unreachable"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class SendResult:
    outcome: Outcome
    message_id: int | None = None
    error: str | None = None

    @property
    def sent(self) -> bool:
        return self.outcome is Outcome.SENT


class Pacer:
    """Spaces calls evenly at `rate` per second across all callers (a leaky bucket)."""

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._interval = 1.0 / rate
        self._clock = clock
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            now = self._clock()
            slot = max(now, self._next)
            self._next = slot + self._interval
        if slot > now:
            await asyncio.sleep(slot - now)

    def pause(self, seconds: float) -> None:
        """Holds every later call back by `seconds` (Telegram said: retry after)."""
        self._next = max(self._next, self._clock() + seconds)


class Sender:
    """Sends text and documents with pacing, retries and a clear outcome for each."""

    def __init__(
        self,
        bot: Bot,
        *,
        on_unreachable: Callable[[int], Awaitable[None]] | None = None,
        bulk_rate: float = BULK_RATE_PER_SECOND,
    ) -> None:
        self._bot = bot
        self._on_unreachable = on_unreachable
        self._bulk = Pacer(bulk_rate)
        self._last_by_chat: dict[int, float] = {}

    async def send_text(
        self,
        chat_id: int,
        text: str,
        *,
        reply_markup: InlineKeyboardMarkup | None = None,
        bulk: bool = True,
    ) -> SendResult:
        """Sends one message; `bulk` work is paced under the shared limit."""
        return await self._deliver(
            chat_id,
            lambda: self._bot.send_message(chat_id, text, reply_markup=reply_markup),
            bulk=bulk,
        )

    async def send_document(
        self, chat_id: int, data: bytes, filename: str, *, caption: str | None = None
    ) -> SendResult:
        """Sends a file (an export, a calendar entry, a chart)."""
        return await self._deliver(
            chat_id,
            lambda: self._bot.send_document(
                chat_id, InputFile(data, filename=filename), caption=caption
            ),
            bulk=False,
        )

    async def edit_text(
        self,
        chat_id: int,
        message_id: int,
        text: str,
        *,
        reply_markup: InlineKeyboardMarkup | None = None,
    ) -> SendResult:
        """Edits a message Chorus sent earlier (a progress message updated in place)."""
        return await self._deliver(
            chat_id,
            lambda: self._bot.edit_message_text(
                text, chat_id=chat_id, message_id=message_id, reply_markup=reply_markup
            ),
            bulk=False,
        )

    async def _chat_spacing(self, chat_id: int) -> None:
        last = self._last_by_chat.get(chat_id)
        now = time.monotonic()
        if last is not None and now - last < PER_CHAT_INTERVAL:
            await asyncio.sleep(PER_CHAT_INTERVAL - (now - last))
        self._last_by_chat[chat_id] = time.monotonic()

    async def _deliver(
        self, chat_id: int, call: Callable[[], Awaitable[Any]], *, bulk: bool
    ) -> SendResult:
        error = "not attempted"
        for attempt in range(1, MAX_ATTEMPTS + 1):
            if bulk:
                await self._bulk.wait()
                await self._chat_spacing(chat_id)
            try:
                message = await call()
            except RetryAfter as exc:
                delay = exc.retry_after
                seconds = delay.total_seconds() if hasattr(delay, "total_seconds") else float(delay)
                self._bulk.pause(seconds)
                error = f"flood control: retry after {seconds:.0f}s"
                await asyncio.sleep(seconds)
                continue
            except Forbidden as exc:
                if self._on_unreachable is not None:
                    await self._on_unreachable(chat_id)
                return SendResult(Outcome.UNREACHABLE, error=exc.message)
            except BadRequest as exc:
                return SendResult(Outcome.FAILED, error=exc.message)
            except NetworkError as exc:  # includes TimedOut: worth another try
                error = exc.message
                await asyncio.sleep(min(2.0**attempt, 10.0))
                continue
            except TelegramError as exc:
                return SendResult(Outcome.FAILED, error=exc.message)
            message_id = getattr(message, "message_id", None)
            return SendResult(Outcome.SENT, message_id=message_id)
        log.warning("giving up on chat %s after %s attempts: %s", chat_id, MAX_ATTEMPTS, error)
        return SendResult(Outcome.FAILED, error=error)
