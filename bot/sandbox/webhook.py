"""Webhook delivery: when a webhook is set, updates are POSTed to it instead of polled."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

import aiohttp

from bot.sandbox.state import SandboxState

_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_IDLE_WAIT = 60.0


class Webhook:
    """The bot's webhook setting and the task that pushes updates to it, oldest first.

    Updates go out one at a time so the bot sees them in order; an update the webhook refuses
    (non-2xx or no connection) stays queued and is retried after `Limits.webhook_retry_delay`.
    """

    def __init__(self, state: SandboxState) -> None:
        self.state = state
        self.url = ""
        self.secret_token: str | None = None
        self.max_connections = 40
        self.last_error_date: int | None = None
        self.last_error_message: str | None = None
        self.delivered = 0
        self._task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    @property
    def active(self) -> bool:
        """True while a webhook URL is set."""
        return bool(self.url)

    async def set(self, url: str, *, secret_token: str | None, max_connections: int) -> None:
        """Starts pushing updates to `url`, replacing any previous webhook."""
        await self.delete()
        self.url = url
        self.secret_token = secret_token
        self.max_connections = max_connections
        self._session = aiohttp.ClientSession()
        self._task = asyncio.create_task(self._run(), name="sandbox-webhook")

    async def delete(self) -> None:
        """Stops pushing; updates stay queued for getUpdates."""
        self.url = ""
        self.secret_token = None
        self.last_error_date = None
        self.last_error_message = None
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    def info(self) -> dict[str, Any]:
        """Returns Telegram's `WebhookInfo` object."""
        info: dict[str, Any] = {
            "url": self.url,
            "has_custom_certificate": False,
            "pending_update_count": self.state.updates.pending_count,
        }
        if self.active:
            info["max_connections"] = self.max_connections
            allowed = self.state.updates.allowed_updates
            if allowed:
                info["allowed_updates"] = allowed
        if self.last_error_date is not None:
            info["last_error_date"] = self.last_error_date
            info["last_error_message"] = self.last_error_message
        return info

    async def _post(self, update: dict[str, Any]) -> str | None:
        """Posts one update; returns None on success or Telegram's description of the failure."""
        assert self._session is not None
        headers = {_SECRET_HEADER: self.secret_token} if self.secret_token else {}
        try:
            async with self._session.post(self.url, json=update, headers=headers) as response:
                if 200 <= response.status < 300:
                    return None
                return f"Wrong response from the webhook: {response.status} {response.reason}"
        except aiohttp.ClientError as error:
            return f"Connection failed: {error}"

    async def _run(self) -> None:
        queue = self.state.updates
        while self.active:
            pending = queue.deliverable(1)
            if not pending:
                await queue.changed.wait(_IDLE_WAIT)
                continue
            update = pending[0]
            failure = await self._post(update)
            if failure is None:
                queue.confirm(update["update_id"] + 1)
                self.delivered += 1
                continue
            self.last_error_date = int(time.time())
            self.last_error_message = failure
            await asyncio.sleep(self.state.limits.webhook_retry_delay)
