"""Chorus running against the local Bot API server: for the sandbox chat, e2e tests and benches.

`LocalChorus` starts a `SandboxServer`, migrates the database, and runs the real PTB
`Application` built by `build_application` against the server over HTTP, exactly as it runs
against Telegram. `restart()` stops and rebuilds the application on the same database, as a
crash and restart would.
"""

from __future__ import annotations

import asyncio
import secrets
from types import TracebackType
from typing import Any

from telegram import Update

from bot.application import ChorusApplication, build_application
from bot.clock import Clock
from bot.config import Settings, load_settings
from bot.db.migrate import upgrade
from bot.db.session import SessionFactory
from bot.sandbox.client import SandboxClient
from bot.sandbox.limits import Limits
from bot.sandbox.server import SandboxServer


def sandbox_token() -> str:
    """A fresh token shaped like Telegram's, for a bot that only exists on this machine."""
    return f"{secrets.randbelow(9 * 10**8) + 10**8}:{secrets.token_urlsafe(27)[:35]}"


class LocalChorus:
    """The real bot, talking over HTTP to a local stand-in for Telegram.

    Args:
        database_url: the database to migrate and use.
        clock: the services' clock (tests pass a `FixedClock`).
        limits: the sandbox's flood limits (Telegram-like by default).
        migrate: upgrade the database to the latest migration first.
        **settings: any other `Settings` fields (e.g. ``admin_telegram_ids={42}``).
    """

    def __init__(
        self,
        database_url: str,
        *,
        clock: Clock | None = None,
        limits: Limits | None = None,
        migrate: bool = True,
        **settings: Any,
    ) -> None:
        self._database_url = database_url
        self._clock = clock
        self._migrate = migrate
        self._overrides = settings
        self.token = sandbox_token()
        self.server = SandboxServer(self.token, limits=limits)
        self._app: ChorusApplication | None = None
        self._client: SandboxClient | None = None
        self._settings: Settings | None = None

    @property
    def app(self) -> ChorusApplication:
        if self._app is None:
            raise RuntimeError("the bot is not running")
        return self._app

    @property
    def client(self) -> SandboxClient:
        if self._client is None:
            raise RuntimeError("LocalChorus has not started")
        return self._client

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            raise RuntimeError("LocalChorus has not started")
        return self._settings

    @property
    def clock(self) -> Clock:
        """The clock the bot's services use."""
        return self.app.bot_data.clock

    @property
    def sessions(self) -> SessionFactory:
        return self.app.bot_data.sessions

    async def start(self) -> None:
        await self.server.start()
        if self._migrate:
            await asyncio.to_thread(upgrade, self._database_url)
        self._settings = load_settings(
            _env_file=None,
            **{
                **self._overrides,
                "telegram_bot_token": self.token,
                "telegram_api_base_url": self.server.base_url,
                "telegram_api_file_url": self.server.base_file_url,
                "database_url": self._database_url,
            },
        )
        self._client = SandboxClient(self.server.control_url)
        await self.start_bot()

    async def start_bot(self) -> None:
        """Builds and starts a fresh Application (long polling against the sandbox)."""
        app = build_application(self.settings, clock=self._clock)
        await app.initialize()
        # run_polling would call these hooks; starting by hand, we call them ourselves.
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(
            poll_interval=0.0, timeout=1, allowed_updates=Update.ALL_TYPES
        )
        self._app = app

    async def stop_bot(self) -> None:
        """Stops the Application the way a shutdown would; the database and server stay."""
        app, self._app = self._app, None
        if app is None:
            return
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)

    async def restart(self) -> None:
        """Stops the bot and starts a new one on the same database, as after a crash."""
        await self.stop_bot()
        await self.start_bot()

    async def stop(self) -> None:
        await self.stop_bot()
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        await self.server.stop()

    async def __aenter__(self) -> LocalChorus:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()
