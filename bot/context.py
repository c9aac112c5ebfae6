"""The typed context every handler receives (no `bot_data["x"]` casts)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.ext import Application, CallbackContext, ExtBot

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.db.session import SessionFactory
from bot.messaging.sender import Sender
from bot.services.search import SearchIndexCache


class BotData:
    """Resources shared by all handlers. Opened in `post_init`, closed in `post_shutdown`.

    PTB creates this with no arguments; the composition root then calls `configure`.
    """

    def __init__(self) -> None:
        self._settings: Settings | None = None
        self.clock: Clock = SystemClock()
        self.engine: AsyncEngine | None = None
        self.session_factory: SessionFactory | None = None
        self._sender: Sender | None = None
        self._search: SearchIndexCache | None = None
        self.extras: dict[str, Any] = {}

    def configure(self, settings: Settings, clock: Clock | None = None) -> None:
        self._settings = settings
        if clock is not None:
            self.clock = clock

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            raise RuntimeError("BotData.configure has not been called")
        return self._settings

    @property
    def sender(self) -> Sender:
        if self._sender is None:
            raise RuntimeError("the sender is not ready yet (post_init has not run)")
        return self._sender

    @sender.setter
    def sender(self, sender: Sender) -> None:
        self._sender = sender

    @property
    def search(self) -> SearchIndexCache:
        """The catalogue search index cache (rebuilt from the database when it changes)."""
        if self._search is None:
            self._search = SearchIndexCache(self.sessions, timezone=self.settings.timezone)
        return self._search

    @property
    def sessions(self) -> SessionFactory:
        if self.session_factory is None:
            raise RuntimeError("the database is not open yet (post_init has not run)")
        return self.session_factory


class ChorusContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """`context.bot_data` is a `BotData`; shortcuts for what handlers use most."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)

    @property
    def sessions(self) -> SessionFactory:
        return self.bot_data.sessions

    @property
    def settings(self) -> Settings:
        return self.bot_data.settings

    @property
    def clock(self) -> Clock:
        return self.bot_data.clock

    @property
    def sender(self) -> Sender:
        return self.bot_data.sender

    @property
    def search(self) -> SearchIndexCache:
        return self.bot_data.search
