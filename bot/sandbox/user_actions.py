"""What a pretend user can do: write, press buttons, share things, block the bot.

Each action becomes the update Telegram would send the bot, queued for getUpdates or the
webhook.
"""

from __future__ import annotations

import hashlib
import re
import time
from typing import Any

from bot.sandbox.html_check import utf16_length
from bot.sandbox.markup import find_button, has_callback_data
from bot.sandbox.media import image_size
from bot.sandbox.records import SandboxUser
from bot.sandbox.state import SandboxState

_BOT_COMMAND_RE = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?")


class ActionError(Exception):
    """The control API request cannot be carried out; `status` is the HTTP status to answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def command_entities(text: str) -> list[dict[str, Any]]:
    """Returns the `bot_command` entities Telegram detects in text a user typed."""
    return [
        {
            "type": "bot_command",
            "offset": utf16_length(text[: match.start()]),
            "length": utf16_length(match.group()),
        }
        for match in _BOT_COMMAND_RE.finditer(text)
    ]


class UserActions:
    """Turns control API requests into Telegram updates for the bot."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state

    def _sender(self, user_id: int) -> SandboxUser:
        user = self.state.user_or_default(user_id)
        if user.blocked:
            raise ActionError(409, f"user {user_id} has blocked the bot; unblock first")
        user.started = True
        return user

    def _post(self, user: SandboxUser, fill: dict[str, Any]) -> dict[str, Any]:
        message = self.state.new_message(user.id, sender=user.to_user(), from_bot=False)
        message.text = fill.pop("text", None)
        message.caption = fill.pop("caption", None)
        message.entities = fill.pop("entities", [])
        message.media = fill
        self.state.touch(message)
        self.state.mark_action(user.id)
        update_id = self.state.updates.push("message", message.to_message(user.to_chat()))
        return {"update_id": update_id, "message_id": message.message_id}

    def send_text(self, user_id: int, text: str) -> dict[str, Any]:
        """The user writes `text`; commands get `bot_command` entities like in Telegram."""
        if not text.strip():
            raise ActionError(400, "text must not be empty")
        user = self._sender(user_id)
        return self._post(user, {"text": text, "entities": command_entities(text)})

    def press(
        self, user_id: int, message_id: int, *, data: str | None, button_text: str | None
    ) -> dict[str, Any]:
        """The user presses an inline button, found by its label or forged from `data`."""
        user = self._sender(user_id)
        log = self.state.chat_log(user.id)
        message = log.messages.get(message_id)
        if message is None or not message.from_bot:
            raise ActionError(404, f"no bot message {message_id} in chat {user.id}")
        if data is None:
            button = find_button(message.inline_keyboard, button_text or "")
            if button is None:
                raise ActionError(404, f"message {message_id} has no button {button_text!r}")
            if "callback_data" not in button:
                raise ActionError(400, f"button {button_text!r} does not send callback data")
            data = str(button["callback_data"])
        record = self.state.new_callback(user.id, message_id, data)
        instance = hashlib.sha256(f"{user.id}:{self.state.bot['id']}".encode()).hexdigest()[:16]
        query = {
            "id": record.id,
            "from": user.to_user(),
            "message": message.to_message(user.to_chat()),
            "chat_instance": instance,
            "data": data,
        }
        self.state.mark_action(user.id)
        update_id = self.state.updates.push("callback_query", query)
        return {
            "update_id": update_id,
            "callback_query_id": record.id,
            "data": data,
            "on_message": has_callback_data(message.inline_keyboard, data),
        }

    def send_location(self, user_id: int, latitude: float, longitude: float) -> dict[str, Any]:
        """The user shares a location (what a `request_location` button sends)."""
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise ActionError(400, "latitude or longitude out of range")
        user = self._sender(user_id)
        return self._post(user, {"location": {"latitude": latitude, "longitude": longitude}})

    def send_document(
        self,
        user_id: int,
        content: bytes,
        *,
        file_name: str,
        mime_type: str | None,
        caption: str | None,
    ) -> dict[str, Any]:
        """The user sends a file; the bot can fetch it with getFile."""
        user = self._sender(user_id)
        stored = self.state.store_file(
            "document", content, file_name=file_name, mime_type=mime_type
        )
        document: dict[str, Any] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": file_name,
            "file_size": len(content),
        }
        if mime_type:
            document["mime_type"] = mime_type
        return self._post(user, {"document": document, "caption": caption or None})

    def send_photo(self, user_id: int, content: bytes, *, caption: str | None) -> dict[str, Any]:
        """The user sends a photo (PNG, GIF or JPEG bytes)."""
        size = image_size(content)
        if size is None:
            raise ActionError(400, "photo must be a PNG, GIF or JPEG image")
        user = self._sender(user_id)
        stored = self.state.store_file("photo", content, file_name=None, mime_type=None)
        photo = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(content),
            "width": size[0],
            "height": size[1],
        }
        return self._post(user, {"photo": [photo], "caption": caption or None})

    def send_sticker(self, user_id: int, emoji: str) -> dict[str, Any]:
        """The user sends a sticker showing `emoji`."""
        user = self._sender(user_id)
        stored = self.state.store_file(
            "sticker", emoji.encode("utf-8"), file_name=None, mime_type="image/webp"
        )
        sticker = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._post(user, {"sticker": sticker})

    def send_voice(self, user_id: int, content: bytes, *, duration: int) -> dict[str, Any]:
        """The user sends a voice note of `duration` seconds."""
        user = self._sender(user_id)
        stored = self.state.store_file("voice", content, file_name=None, mime_type="audio/ogg")
        voice = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "duration": max(1, duration),
            "mime_type": "audio/ogg",
            "file_size": len(content),
        }
        return self._post(user, {"voice": voice})

    def set_blocked(self, user_id: int, blocked: bool) -> dict[str, Any]:
        """The user blocks (or unblocks) the bot; the bot gets a `my_chat_member` update."""
        user = self.state.user_or_default(user_id)
        if user.blocked == blocked:
            return {"update_id": None, "blocked": blocked}
        user.blocked = blocked
        if not blocked:
            user.started = True
        old, new = ("member", "kicked") if blocked else ("kicked", "member")
        bot_member = {"user": self.state.bot}
        update = {
            "chat": user.to_chat(),
            "from": user.to_user(),
            "date": int(time.time()),
            "old_chat_member": {**bot_member, "status": old, **_until(old)},
            "new_chat_member": {**bot_member, "status": new, **_until(new)},
        }
        update_id = self.state.updates.push("my_chat_member", update)
        return {"update_id": update_id, "blocked": blocked}


def _until(status: str) -> dict[str, int]:
    # A "kicked" member carries until_date; 0 means for ever, which is what blocking is.
    return {"until_date": 0} if status == "kicked" else {}
