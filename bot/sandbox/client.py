"""`SandboxClient`: drives the sandbox's control API to play the people talking to the bot."""

from __future__ import annotations

import base64
from types import TracebackType
from typing import Any

import httpx

from bot.sandbox.received import BotMessage, CallbackAnswer, SandboxStats

# Extra seconds on top of a long poll's own timeout before the HTTP request gives up.
_POLL_MARGIN = 5.0


class SandboxError(Exception):
    """The control API refused a request.

    Attributes:
        status: HTTP status of the answer.
        message: The sandbox's explanation.
    """

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message


class SandboxClient:
    """Async client for the control API.

    Example:
        await client.send_text(42, "/start")
        [welcome] = await client.wait_for_messages(42)
        await client.press(42, welcome, "I'll go")
    """

    def __init__(self, control_url: str, *, http: httpx.AsyncClient | None = None) -> None:
        """Connects to a sandbox.

        Args:
            control_url: `SandboxServer.control_url`.
            http: An httpx client to use (e.g. with a MockTransport); one is made otherwise.
        """
        self._base = control_url.rstrip("/")
        self._owns_http = http is None
        self._http = http or httpx.AsyncClient(timeout=10.0)

    async def aclose(self) -> None:
        """Closes the HTTP client if this object made it."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> SandboxClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _request(
        self,
        method: str,
        path: str,
        *,
        json: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Any:
        response = await self._http.request(
            method,
            f"{self._base}{path}",
            json=json,
            params=params,
            timeout=timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT,
        )
        if response.status_code >= 400:
            try:
                message = str(response.json().get("error", response.text))
            except ValueError:
                message = response.text
            raise SandboxError(response.status_code, message)
        return response.json()

    async def register_user(
        self,
        user_id: int,
        first_name: str,
        *,
        username: str | None = None,
        last_name: str | None = None,
        language_code: str | None = "en",
    ) -> dict[str, Any]:
        """Registers (or renames) a user; returns their Telegram `User` object."""
        body = {
            "id": user_id,
            "first_name": first_name,
            "username": username,
            "last_name": last_name,
            "language_code": language_code,
        }
        result: dict[str, Any] = await self._request("POST", "/users", json=body)
        return result

    async def _act(self, user_id: int, action: str, body: dict[str, Any] | None = None) -> Any:
        return await self._request("POST", f"/users/{user_id}/{action}", json=body or {})

    async def send_text(self, user_id: int, text: str) -> int:
        """The user writes `text`; returns the new message's id."""
        return int((await self._act(user_id, "text", {"text": text}))["message_id"])

    async def press(
        self,
        user_id: int,
        message: BotMessage | int,
        button: str | None = None,
        *,
        callback_data: str | None = None,
    ) -> str:
        """The user presses an inline button, by its text or with forged `callback_data`.

        Args:
            user_id: Who presses.
            message: The bot message (or its id) the button is on.
            button: The button's label.
            callback_data: Data to send instead, even if no button carries it.

        Returns:
            The callback query id the bot must answer.
        """
        message_id = message.message_id if isinstance(message, BotMessage) else message
        body: dict[str, Any] = {"message_id": message_id}
        if callback_data is not None:
            body["callback_data"] = callback_data
        else:
            body["button"] = button
        return str((await self._act(user_id, "press", body))["callback_query_id"])

    async def send_location(self, user_id: int, latitude: float, longitude: float) -> int:
        """The user shares a location; returns the message id."""
        body = {"latitude": latitude, "longitude": longitude}
        return int((await self._act(user_id, "location", body))["message_id"])

    async def send_document(
        self,
        user_id: int,
        content: bytes,
        file_name: str,
        *,
        mime_type: str | None = None,
        caption: str | None = None,
    ) -> int:
        """The user sends a file; returns the message id."""
        body = {
            "content_base64": base64.b64encode(content).decode("ascii"),
            "file_name": file_name,
            "mime_type": mime_type,
            "caption": caption,
        }
        return int((await self._act(user_id, "document", body))["message_id"])

    async def send_photo(self, user_id: int, content: bytes, *, caption: str | None = None) -> int:
        """The user sends a photo (PNG, GIF or JPEG bytes); returns the message id."""
        body = {"content_base64": base64.b64encode(content).decode("ascii"), "caption": caption}
        return int((await self._act(user_id, "photo", body))["message_id"])

    async def send_sticker(self, user_id: int, emoji: str = "👍") -> int:
        """The user sends a sticker; returns the message id."""
        return int((await self._act(user_id, "sticker", {"emoji": emoji}))["message_id"])

    async def send_voice(self, user_id: int, content: bytes = b"OggS", *, duration: int = 1) -> int:
        """The user sends a voice note; returns the message id."""
        body = {"content_base64": base64.b64encode(content).decode("ascii"), "duration": duration}
        return int((await self._act(user_id, "voice", body))["message_id"])

    async def block(self, user_id: int) -> None:
        """The user blocks the bot."""
        await self._act(user_id, "block")

    async def unblock(self, user_id: int) -> None:
        """The user unblocks the bot."""
        await self._act(user_id, "unblock")

    async def messages(
        self, chat_id: int, *, after_message_id: int = 0, include_deleted: bool = False
    ) -> list[BotMessage]:
        """Everything the bot has sent to a chat, oldest first, as it looks now."""
        params = {"after_message_id": after_message_id}
        found = await self._request("GET", f"/chats/{chat_id}/messages", params=params)
        messages = [BotMessage.from_json(item) for item in found]
        return [m for m in messages if include_deleted or not m.deleted]

    async def wait_for_messages(
        self,
        chat_id: int,
        count: int = 1,
        timeout: float = 5.0,
        *,
        after_message_id: int | None = None,
    ) -> list[BotMessage]:
        """Waits until the bot has sent `count` new messages to the chat.

        Args:
            chat_id: The chat to watch.
            count: How many new messages to wait for.
            timeout: Seconds to wait.
            after_message_id: Count messages after this id; by default, those sent since the
                user's last action (message, press, block...).

        Returns:
            All new messages, which may be more than `count`.

        Raises:
            TimeoutError: Fewer than `count` arrived in time; the message lists what did.
        """
        params: dict[str, Any] = {"count": count, "timeout": timeout}
        if after_message_id is not None:
            params["after_message_id"] = after_message_id
        result = await self._request(
            "GET", f"/chats/{chat_id}/wait", params=params, timeout=timeout + _POLL_MARGIN
        )
        messages = [BotMessage.from_json(item) for item in result["messages"]]
        if not result["complete"]:
            seen = [m.body for m in messages]
            raise TimeoutError(
                f"expected {count} new bot message(s) in chat {chat_id} within {timeout} s "
                f"after message {result['after']}, got {len(messages)}: {seen!r}"
            )
        return messages

    async def changes(
        self, chat_id: int, *, after_revision: int, timeout: float = 0.0
    ) -> tuple[list[BotMessage], int]:
        """Bot messages sent, edited or deleted since `after_revision`, waiting up to `timeout`.

        Returns:
            The changed messages in order of change, and the revision to pass next time.
        """
        params = {"after_revision": after_revision, "timeout": timeout}
        result = await self._request(
            "GET", f"/chats/{chat_id}/changes", params=params, timeout=timeout + _POLL_MARGIN
        )
        return [BotMessage.from_json(item) for item in result["messages"]], int(result["revision"])

    async def callback_answers(self, user_id: int | None = None) -> list[CallbackAnswer]:
        """Button presses and the bot's answers, optionally for one user."""
        params = {} if user_id is None else {"user_id": user_id}
        found = await self._request("GET", "/callback_answers", params=params)
        return [CallbackAnswer(**item) for item in found]

    async def commands(self) -> dict[tuple[str, str], list[dict[str, str]]]:
        """Registered commands by (scope, language_code); scope is e.g. "default" or "chat:42"."""
        found = await self._request("GET", "/commands")
        return {(item["scope"], item["language_code"]): item["commands"] for item in found}

    async def stats(self) -> SandboxStats:
        """Send counts, 429 counts and send times, for benchmarks."""
        return SandboxStats.from_json(await self._request("GET", "/stats"))

    async def webhook_info(self) -> dict[str, Any]:
        """The webhook URL, pending count, last error and updates delivered."""
        result: dict[str, Any] = await self._request("GET", "/webhook")
        return result

    async def reset(self) -> None:
        """Forgets users, chats, files, commands and statistics."""
        await self._request("POST", "/reset")
