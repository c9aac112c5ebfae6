"""What the sandbox remembers: users, their private chats, messages, files and button presses.

Each record can render itself as the JSON object Telegram would send, so PTB de-serialises
it exactly as it would a real one.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any


@dataclass
class SandboxUser:
    """A pretend Telegram user who talks to the bot in a private chat.

    Attributes:
        id: Telegram user id; the private chat has the same id.
        first_name: Shown name.
        username: Optional @username without the @.
        last_name: Optional family name.
        language_code: IETF tag the Telegram app reports, e.g. "en".
        blocked: The user blocked the bot; sends fail with 403.
        started: The user has written to the bot, so the bot may write to them.
    """

    id: int
    first_name: str
    username: str | None = None
    last_name: str | None = None
    language_code: str | None = None
    blocked: bool = False
    started: bool = False

    def to_user(self) -> dict[str, Any]:
        """Returns a Telegram `User` object."""
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            value = getattr(self, key)
            if value is not None:
                user[key] = value
        return user

    def to_chat(self) -> dict[str, Any]:
        """Returns the Telegram `Chat` object of this user's private chat with the bot."""
        chat: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name is not None:
            chat["last_name"] = self.last_name
        if self.username is not None:
            chat["username"] = self.username
        return chat


@dataclass
class StoredFile:
    """A file that went through the sandbox, in either direction.

    Attributes:
        file_id: Identifier to send it again or to fetch it with getFile.
        file_unique_id: Stable identifier of the content.
        kind: "document", "photo", "sticker" or "voice"; also the folder of `file_path`.
        content: The bytes, kept so tests can read exactly what was sent.
        file_name: Original name, for documents.
        mime_type: Content type, when known.
    """

    file_id: str
    file_unique_id: str
    kind: str
    content: bytes
    file_name: str | None = None
    mime_type: str | None = None

    @property
    def file_path(self) -> str:
        """Path under the file download URL, like Telegram's "documents/file_3.pdf"."""
        suffix = ""
        if self.file_name and "." in self.file_name:
            suffix = "." + self.file_name.rsplit(".", 1)[1]
        return f"{self.kind}s/{self.file_unique_id}{suffix}"

    def to_file(self) -> dict[str, Any]:
        """Returns the Telegram `File` object getFile answers with."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
            "file_path": self.file_path,
        }


@dataclass
class StoredMessage:
    """One message in a private chat, sent by the bot or by the user.

    Attributes:
        message_id: Number within the chat, shared by both sides as in Telegram.
        chat_id: The private chat (the user's id).
        date: Unix time it was sent.
        sender: Telegram `User` of the author.
        from_bot: True for messages the bot sent.
        source: Text or caption exactly as the bot sent it (with HTML markup).
        parse_mode: The parse mode it was sent with, if any.
        text: Visible text (for text messages).
        caption: Visible caption (for media messages).
        entities: Entities of `text` or `caption`.
        reply_markup: The markup as sent, of any kind (inline, reply keyboard, removal).
        media: Extra Telegram fields such as `document`, `photo` or `location`.
        file_id: The attached file, if any.
        link_preview_options: As sent by the bot.
        reply_to: The replied-to message as Telegram embeds it.
        edit_date: Unix time of the last edit.
        edit_count: How many times the bot edited it.
        deleted: The bot deleted it.
        revision: Sandbox-wide change counter at the last change, for watching chats.
    """

    message_id: int
    chat_id: int
    date: int
    sender: dict[str, Any]
    from_bot: bool
    source: str | None = None
    parse_mode: str | None = None
    text: str | None = None
    caption: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    media: dict[str, Any] = field(default_factory=dict)
    file_id: str | None = None
    link_preview_options: dict[str, Any] | None = None
    reply_to: dict[str, Any] | None = None
    edit_date: int | None = None
    edit_count: int = 0
    deleted: bool = False
    revision: int = 0

    @property
    def inline_keyboard(self) -> dict[str, Any] | None:
        """The inline keyboard, the only markup Telegram shows on a message object."""
        if self.reply_markup is not None and "inline_keyboard" in self.reply_markup:
            return self.reply_markup
        return None

    def to_message(self, chat: dict[str, Any]) -> dict[str, Any]:
        """Returns the Telegram `Message` object.

        Args:
            chat: The Telegram `Chat` object of the chat it is in.
        """
        message: dict[str, Any] = {
            "message_id": self.message_id,
            "from": self.sender,
            "chat": chat,
            "date": self.date,
        }
        if self.text is not None:
            message["text"] = self.text
            if self.entities:
                message["entities"] = self.entities
        if self.caption is not None:
            message["caption"] = self.caption
            if self.entities:
                message["caption_entities"] = self.entities
        message.update(self.media)
        if self.inline_keyboard is not None:
            message["reply_markup"] = self.inline_keyboard
        if self.link_preview_options is not None:
            message["link_preview_options"] = self.link_preview_options
        if self.reply_to is not None:
            message["reply_to_message"] = self.reply_to
        if self.edit_date is not None:
            message["edit_date"] = self.edit_date
        return message

    def to_view(self, attached: StoredFile | None) -> dict[str, Any]:
        """Returns what the control API shows of the message, file bytes included."""
        return {
            "message_id": self.message_id,
            "chat_id": self.chat_id,
            "date": self.date,
            "text": self.text,
            "caption": self.caption,
            "html": self.source,
            "parse_mode": self.parse_mode,
            "entities": self.entities,
            "reply_markup": self.reply_markup,
            "link_preview_options": self.link_preview_options,
            "reply_to_message_id": self.reply_to["message_id"] if self.reply_to else None,
            "edit_count": self.edit_count,
            "deleted": self.deleted,
            "revision": self.revision,
            "file": None
            if attached is None
            else {
                "kind": attached.kind,
                "file_id": attached.file_id,
                "file_name": attached.file_name,
                "mime_type": attached.mime_type,
                "content_base64": base64.b64encode(attached.content).decode("ascii"),
            },
        }


@dataclass
class CallbackRecord:
    """A button press and how the bot answered it.

    Attributes:
        id: The `callback_query.id` the bot must answer.
        user_id: Who pressed.
        message_id: The message the button was on.
        data: The callback data sent with the press.
        created_at: Monotonic clock reading of the press, to expire old queries.
        answered: The bot called answerCallbackQuery for it.
        text: The notification text the bot answered with.
        show_alert: The answer was an alert rather than a toast.
        url: The URL the bot answered with, if any.
    """

    id: str
    user_id: int
    message_id: int
    data: str
    created_at: float
    answered: bool = False
    text: str | None = None
    show_alert: bool = False
    url: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Returns the record for the control API."""
        return {
            "callback_query_id": self.id,
            "user_id": self.user_id,
            "message_id": self.message_id,
            "data": self.data,
            "answered": self.answered,
            "text": self.text,
            "show_alert": self.show_alert,
            "url": self.url,
        }
