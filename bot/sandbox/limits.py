"""Flood control: the token buckets Telegram uses to pace a bot's sends and edits."""

from __future__ import annotations

import math
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Limits:
    """How strictly the sandbox enforces Telegram's limits.

    Telegram documents about 30 messages a second across all chats and about one a second per
    chat, tolerating short bursts; the defaults mirror that. The burst of five per chat leaves
    room for an ordinary exchange (answer, edit, follow-up) while still catching a bot that
    loops or broadcasts into one chat.

    Attributes:
        flood_control: False turns pacing off entirely, for fast unit tests.
        global_rate: Sends and edits refilled per second across all chats.
        global_burst: How many may go out at once across all chats.
        chat_rate: Sends and edits refilled per second in one chat.
        chat_burst: How many may go out at once in one chat.
        callback_query_ttl: Seconds after which a callback query can no longer be answered.
        webhook_retry_delay: Seconds to wait before re-posting an update the webhook refused.
    """

    flood_control: bool = True
    global_rate: float = 30.0
    global_burst: float = 30.0
    chat_rate: float = 1.0
    chat_burst: float = 5.0
    callback_query_ttl: float = 15 * 60.0
    webhook_retry_delay: float = 1.0

    def __post_init__(self) -> None:
        if min(self.global_rate, self.chat_rate) <= 0:
            raise ValueError("flood-control rates must be positive")
        if min(self.global_burst, self.chat_burst) < 1:
            raise ValueError("flood-control bursts must allow at least one message")
        if self.callback_query_ttl <= 0 or self.webhook_retry_delay < 0:
            raise ValueError("timings must be positive")

    @classmethod
    def unlimited(cls) -> Limits:
        """Returns limits with flood control off, for tests that send quickly."""
        return cls(flood_control=False)


@dataclass
class TokenBucket:
    """A bucket of `capacity` tokens refilled at `rate` tokens a second.

    Attributes:
        rate: Tokens added per second.
        capacity: Most tokens the bucket holds, i.e. the burst size.
        tokens: Tokens available now.
        updated_at: Clock reading of the last refill.
    """

    rate: float
    capacity: float
    tokens: float = field(default=-1.0)
    updated_at: float = 0.0

    def __post_init__(self) -> None:
        if self.rate <= 0 or self.capacity < 1:
            raise ValueError("a token bucket needs a positive rate and room for one token")
        if self.tokens < 0:
            self.tokens = self.capacity

    def _refill(self, now: float) -> None:
        elapsed = max(0.0, now - self.updated_at)
        self.tokens = min(self.capacity, self.tokens + elapsed * self.rate)
        self.updated_at = now

    def wait_time(self, now: float) -> float:
        """Returns seconds until one token is available (0.0 when one is available now)."""
        self._refill(now)
        if self.tokens >= 1.0:
            return 0.0
        return (1.0 - self.tokens) / self.rate

    def take(self, now: float) -> None:
        """Consumes one token; call only after `wait_time` returned 0.0."""
        self._refill(now)
        self.tokens -= 1.0


class FloodControl:
    """Decides whether a send or edit may go out now, across all chats and per chat."""

    def __init__(self, limits: Limits) -> None:
        self._limits = limits
        self._global: TokenBucket | None = None
        self._chats: dict[int, TokenBucket] = {}

    def reset(self) -> None:
        """Forgets all buckets, as if the bot had been quiet for a long time."""
        self._global = None
        self._chats.clear()

    def acquire(self, chat_id: int, now: float) -> int:
        """Takes a token for one message to `chat_id` if both buckets allow it.

        Args:
            chat_id: The chat the message goes to.
            now: A monotonic clock reading in seconds.

        Returns:
            0 when the message may go out (tokens were taken), otherwise the whole number of
            seconds (at least 1) the caller must wait, which Telegram reports as `retry_after`.
        """
        if not self._limits.flood_control:
            return 0
        if self._global is None:
            self._global = TokenBucket(
                self._limits.global_rate, self._limits.global_burst, updated_at=now
            )
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = TokenBucket(self._limits.chat_rate, self._limits.chat_burst, updated_at=now)
            self._chats[chat_id] = chat
        wait = max(self._global.wait_time(now), chat.wait_time(now))
        if wait > 0.0:
            # Telegram reports whole seconds and never zero.
            return max(1, math.ceil(wait))
        self._global.take(now)
        chat.take(now)
        return 0
