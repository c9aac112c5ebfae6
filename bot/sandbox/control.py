"""The control API (`/control/...`): tests and the terminal chat act as users through it.

Requests and answers are JSON; file contents travel as base64. Errors answer with an HTTP
status and `{"error": "..."}`.
"""

from __future__ import annotations

import base64
import binascii
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.sandbox.records import SandboxUser, StoredMessage
from bot.sandbox.state import SandboxState
from bot.sandbox.user_actions import ActionError, UserActions
from bot.sandbox.webhook import Webhook

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_MAX_WAIT = 60.0


def message_view(state: SandboxState, message: StoredMessage) -> dict[str, Any]:
    """Returns what the control API shows of a bot message, file bytes included."""
    stored = state.files.get(message.file_id) if message.file_id else None
    return message.to_view(stored)


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


async def _body(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    try:
        body = await request.json()
    except ValueError as error:
        raise ActionError(400, "request body must be a JSON object") from error
    if not isinstance(body, dict):
        raise ActionError(400, "request body must be a JSON object")
    return body


def _int(value: Any, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise ActionError(400, f"{name} must be an integer") from error


def _float(value: Any, name: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError) as error:
        raise ActionError(400, f"{name} must be a number") from error


def _bytes(body: dict[str, Any], *, required: bool = True) -> bytes:
    encoded = body.get("content_base64")
    if encoded is None and not required:
        return b""
    try:
        return base64.b64decode(str(encoded), validate=True)
    except (binascii.Error, ValueError) as error:
        raise ActionError(400, "content_base64 must be base64") from error


class ControlApi:
    """Routes of the control API, bound to one sandbox's state."""

    def __init__(self, state: SandboxState, webhook: Webhook) -> None:
        self.state = state
        self.webhook = webhook
        self.actions = UserActions(state)
        self.closed = False

    def routes(self) -> list[web.RouteDef]:
        """Returns the aiohttp routes, every one under `/control/`."""
        user = "/control/users/{user_id}"
        chat = "/control/chats/{chat_id}"
        return [
            web.post("/control/users", self._guard(self.register)),
            web.post(f"{user}/text", self._guard(self.text)),
            web.post(f"{user}/press", self._guard(self.press)),
            web.post(f"{user}/location", self._guard(self.location)),
            web.post(f"{user}/document", self._guard(self.document)),
            web.post(f"{user}/photo", self._guard(self.photo)),
            web.post(f"{user}/sticker", self._guard(self.sticker)),
            web.post(f"{user}/voice", self._guard(self.voice)),
            web.post(f"{user}/block", self._guard(self.block)),
            web.post(f"{user}/unblock", self._guard(self.unblock)),
            web.get(f"{chat}/messages", self._guard(self.messages)),
            web.get(f"{chat}/wait", self._guard(self.wait)),
            web.get(f"{chat}/changes", self._guard(self.changes)),
            web.get("/control/callback_answers", self._guard(self.callback_answers)),
            web.get("/control/commands", self._guard(self.commands)),
            web.get("/control/stats", self._guard(self.stats)),
            web.get("/control/webhook", self._guard(self.webhook_info)),
            web.post("/control/reset", self._guard(self.reset)),
        ]

    def _guard(self, handler: Handler) -> Handler:
        async def guarded(request: web.Request) -> web.StreamResponse:
            try:
                return await handler(request)
            except ActionError as error:
                return _error(error.status, error.message)

        return guarded

    async def register(self, request: web.Request) -> web.Response:
        """Registers a user (id, first_name, username, last_name, language_code)."""
        body = await _body(request)
        first_name = body.get("first_name")
        if not isinstance(first_name, str) or not first_name:
            raise ActionError(400, "first_name is required")
        user = self.state.register_user(
            SandboxUser(
                id=_int(body.get("id"), "id"),
                first_name=first_name,
                username=body.get("username"),
                last_name=body.get("last_name"),
                language_code=body.get("language_code"),
            )
        )
        return web.json_response(user.to_user())

    async def text(self, request: web.Request) -> web.Response:
        """The user writes a text message."""
        body = await _body(request)
        user_id = _int(request.match_info["user_id"], "user_id")
        return web.json_response(self.actions.send_text(user_id, str(body.get("text", ""))))

    async def press(self, request: web.Request) -> web.Response:
        """The user presses a button, named by `button` (its text) or forged by `callback_data`."""
        body = await _body(request)
        data, label = body.get("callback_data"), body.get("button")
        if data is None and label is None:
            raise ActionError(400, "give either button (its text) or callback_data")
        result = self.actions.press(
            _int(request.match_info["user_id"], "user_id"),
            _int(body.get("message_id"), "message_id"),
            data=None if data is None else str(data),
            button_text=None if label is None else str(label),
        )
        return web.json_response(result)

    async def location(self, request: web.Request) -> web.Response:
        """The user shares a location."""
        body = await _body(request)
        result = self.actions.send_location(
            _int(request.match_info["user_id"], "user_id"),
            _float(body.get("latitude"), "latitude"),
            _float(body.get("longitude"), "longitude"),
        )
        return web.json_response(result)

    async def document(self, request: web.Request) -> web.Response:
        """The user sends a file (`content_base64`, `file_name`, `mime_type`, `caption`)."""
        body = await _body(request)
        result = self.actions.send_document(
            _int(request.match_info["user_id"], "user_id"),
            _bytes(body),
            file_name=str(body.get("file_name") or "file"),
            mime_type=body.get("mime_type"),
            caption=body.get("caption"),
        )
        return web.json_response(result)

    async def photo(self, request: web.Request) -> web.Response:
        """The user sends a photo (`content_base64`, `caption`)."""
        body = await _body(request)
        user_id = _int(request.match_info["user_id"], "user_id")
        result = self.actions.send_photo(user_id, _bytes(body), caption=body.get("caption"))
        return web.json_response(result)

    async def sticker(self, request: web.Request) -> web.Response:
        """The user sends a sticker (`emoji`)."""
        body = await _body(request)
        user_id = _int(request.match_info["user_id"], "user_id")
        return web.json_response(self.actions.send_sticker(user_id, str(body.get("emoji", "👍"))))

    async def voice(self, request: web.Request) -> web.Response:
        """The user sends a voice note (`content_base64` optional, `duration` seconds)."""
        body = await _body(request)
        user_id = _int(request.match_info["user_id"], "user_id")
        content = _bytes(body, required=False) or b"OggS"
        duration = _int(body.get("duration", 1), "duration")
        return web.json_response(self.actions.send_voice(user_id, content, duration=duration))

    async def block(self, request: web.Request) -> web.Response:
        """The user blocks the bot."""
        user_id = _int(request.match_info["user_id"], "user_id")
        return web.json_response(self.actions.set_blocked(user_id, True))

    async def unblock(self, request: web.Request) -> web.Response:
        """The user unblocks (restarts) the bot."""
        user_id = _int(request.match_info["user_id"], "user_id")
        return web.json_response(self.actions.set_blocked(user_id, False))

    def _chat_id(self, request: web.Request) -> int:
        return _int(request.match_info["chat_id"], "chat_id")

    async def messages(self, request: web.Request) -> web.Response:
        """Everything the bot sent to a chat (deleted ones flagged), oldest first."""
        chat_id = self._chat_id(request)
        after = _int(request.query.get("after_message_id", 0), "after_message_id")
        found = [m for m in self.state.bot_messages(chat_id) if m.message_id > after]
        return web.json_response([message_view(self.state, m) for m in found])

    async def wait(self, request: web.Request) -> web.Response:
        """Waits for `count` new bot messages, by default after the user's last action."""
        chat_id = self._chat_id(request)
        count = _int(request.query.get("count", 1), "count")
        timeout = min(_MAX_WAIT, _float(request.query.get("timeout", 5.0), "timeout"))
        raw_after = request.query.get("after_message_id")
        after = (
            self.state.chat_log(chat_id).action_mark
            if raw_after is None
            else _int(raw_after, "after_message_id")
        )
        deadline = time.monotonic() + timeout
        while True:
            found = [
                m
                for m in self.state.bot_messages(chat_id)
                if m.message_id > after and not m.deleted
            ]
            remaining = deadline - time.monotonic()
            if len(found) >= count or remaining <= 0 or self.closed:
                views = [message_view(self.state, m) for m in found]
                return web.json_response(
                    {"messages": views, "complete": len(found) >= count, "after": after}
                )
            await self.state.changed.wait(remaining)

    async def changes(self, request: web.Request) -> web.Response:
        """Waits for bot messages sent, edited or deleted after `after_revision`."""
        chat_id = self._chat_id(request)
        after = _int(request.query.get("after_revision", 0), "after_revision")
        timeout = min(_MAX_WAIT, _float(request.query.get("timeout", 0.0), "timeout"))
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in self.state.bot_messages(chat_id) if m.revision > after]
            remaining = deadline - time.monotonic()
            if found or remaining <= 0 or self.closed:
                found.sort(key=lambda m: m.revision)
                views = [message_view(self.state, m) for m in found]
                return web.json_response({"messages": views, "revision": self.state.revision})
            await self.state.changed.wait(remaining)

    async def callback_answers(self, request: web.Request) -> web.Response:
        """Every button press and the bot's answer to it, optionally for one user."""
        records = list(self.state.callbacks.values())
        if "user_id" in request.query:
            user_id = _int(request.query["user_id"], "user_id")
            records = [r for r in records if r.user_id == user_id]
        return web.json_response([r.to_json() for r in records])

    async def commands(self, request: web.Request) -> web.Response:
        """Command lists the bot registered, one entry per scope and language."""
        return web.json_response(
            [
                {"scope": scope, "language_code": language, "commands": commands}
                for (scope, language), commands in self.state.commands.items()
            ]
        )

    async def stats(self, request: web.Request) -> web.Response:
        """Counts of sends, edits and 429s, and per-chat send times, for benchmarks."""
        return web.json_response(self.state.stats.to_json())

    async def webhook_info(self, request: web.Request) -> web.Response:
        """The webhook setting and how many updates it has taken."""
        return web.json_response({**self.webhook.info(), "delivered": self.webhook.delivered})

    async def reset(self, request: web.Request) -> web.Response:
        """Forgets users, chats, files, commands and statistics; keeps the webhook."""
        self.state.reset()
        return web.json_response({"reset": True})
