"""`SandboxServer`: a local stand-in for api.telegram.org that the real PTB bot can talk to."""

from __future__ import annotations

import re
from types import TracebackType
from typing import Any

from aiohttp import web

from bot.sandbox.botapi import BotApi
from bot.sandbox.control import ControlApi
from bot.sandbox.errors import UNAUTHORIZED, ApiError
from bot.sandbox.limits import Limits
from bot.sandbox.params import Params
from bot.sandbox.state import SandboxState
from bot.sandbox.webhook import Webhook

_TOKEN_RE = re.compile(r"^(\d{1,20}):([A-Za-z0-9_-]{1,100})$")
# Telegram accepts uploads up to 50 MB.
_MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class SandboxServer:
    """A fake Telegram Bot API server on 127.0.0.1, with a control API to play the users.

    Point PTB at it with `ApplicationBuilder().token(token).base_url(server.base_url)
    .base_file_url(server.base_file_url)`; nothing else in the bot changes.

    Example:
        async with SandboxServer(token, limits=Limits.unlimited()) as server:
            client = SandboxClient(server.control_url)
    """

    def __init__(
        self,
        token: str,
        *,
        limits: Limits | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_username: str = "chorus_sandbox_bot",
        bot_first_name: str = "Chorus",
    ) -> None:
        """Prepares a server that accepts only `token`.

        Args:
            token: The bot token, shaped like Telegram's ("<bot id>:<secret>").
            limits: Flood control and timing; Telegram-like by default.
            host: Interface to bind.
            port: Port to bind; 0 picks a free one.
            bot_username: The bot's @username without the @.
            bot_first_name: The bot's display name.

        Raises:
            ValueError: The token is not shaped like a Telegram token.
        """
        match = _TOKEN_RE.match(token)
        if match is None:
            raise ValueError("a bot token looks like '123456:ABC-secret'")
        self.token = token
        self.host = host
        self._requested_port = port
        self._port: int | None = None
        bot = {
            "id": int(match.group(1)),
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.state = SandboxState(bot=bot, limits=limits or Limits())
        self.webhook = Webhook(self.state)
        self.api = BotApi(self.state, self.webhook)
        self.control = ControlApi(self.state, self.webhook)
        self._runner: web.AppRunner | None = None

    @property
    def port(self) -> int:
        """The port the server listens on.

        Raises:
            RuntimeError: The server has not been started.
        """
        if self._port is None:
            raise RuntimeError("the sandbox server is not running; call start() first")
        return self._port

    @property
    def base_url(self) -> str:
        """Bot API base URL for PTB (`{base_url}{token}/{method}`)."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """File download base URL for PTB (`{base_file_url}{token}/{file_path}`)."""
        return f"http://{self.host}:{self.port}/file/bot"

    @property
    def control_url(self) -> str:
        """Base URL of the control API, for `SandboxClient`."""
        return f"http://{self.host}:{self.port}/control"

    async def start(self) -> None:
        """Binds the port and starts answering."""
        app = web.Application(client_max_size=_MAX_UPLOAD_BYTES)
        app.add_routes(
            [
                web.route("*", "/bot{token}/{method}", self._bot_api),
                web.get("/file/bot{token}/{file_path:.+}", self._download),
                *self.control.routes(),
            ]
        )
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self._requested_port)
        await site.start()
        address: Any = self._runner.addresses[0]
        self._port = int(address[1])

    async def stop(self) -> None:
        """Ends waiting long polls, stops webhook delivery and closes the port."""
        self.state.updates.close()
        self.control.closed = True
        self.state.changed.notify()
        await self.webhook.delete()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self._port = None

    async def __aenter__(self) -> SandboxServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    def _check_token(self, request: web.Request) -> None:
        # Telegram answers 401 for a token it does not know, whatever its shape.
        if request.match_info["token"] != self.token:
            raise ApiError(UNAUTHORIZED, "Unauthorized")

    async def _bot_api(self, request: web.Request) -> web.Response:
        try:
            self._check_token(request)
            params = await Params.from_request(request)
            result = await self.api.call(request.match_info["method"], params)
        except ApiError as error:
            return web.json_response(error.to_json(), status=error.code)
        return web.json_response({"ok": True, "result": result})

    async def _download(self, request: web.Request) -> web.Response:
        try:
            self._check_token(request)
        except ApiError as error:
            return web.json_response(error.to_json(), status=error.code)
        path = request.match_info["file_path"]
        for stored in self.state.files.values():
            if stored.file_path == path:
                return web.Response(
                    body=stored.content,
                    content_type=stored.mime_type or "application/octet-stream",
                )
        return web.json_response(
            {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
        )
