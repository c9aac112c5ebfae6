"""Typed views of what the control API reports: bot messages, button answers, statistics."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class BotFile:
    """A file the bot sent.

    Attributes:
        kind: "photo" or "document".
        file_id: Telegram file identifier.
        file_name: Name of a document, if given.
        mime_type: Content type, if known.
        content: The exact bytes the bot uploaded.
    """

    kind: str
    file_id: str
    file_name: str | None
    mime_type: str | None
    content: bytes


@dataclass(frozen=True)
class Button:
    """One inline button.

    Attributes:
        text: The label.
        callback_data: Data sent to the bot when pressed, if it is a callback button.
        url: Link it opens, if it is a URL button.
    """

    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class BotMessage:
    """A message the bot sent to a chat, as the user would see it now.

    Attributes:
        message_id: Id within the chat.
        chat_id: The private chat.
        date: Unix time it was sent.
        text: Visible text of a text message (HTML tags removed).
        caption: Visible caption of a photo or document.
        html: Text or caption exactly as the bot sent it.
        parse_mode: Parse mode it was sent with.
        entities: Telegram entities of the text or caption.
        reply_markup: Markup as sent (inline keyboard, reply keyboard or removal).
        file: The attached photo or document.
        edit_count: How often the bot edited it.
        deleted: The bot deleted it.
        revision: Sandbox change counter at its last change.
        reply_to_message_id: The message it replies to.
        link_preview_options: As the bot sent them.
    """

    message_id: int
    chat_id: int
    date: int
    text: str | None
    caption: str | None
    html: str | None
    parse_mode: str | None
    entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    file: BotFile | None = None
    edit_count: int = 0
    deleted: bool = False
    revision: int = 0
    reply_to_message_id: int | None = None
    link_preview_options: dict[str, Any] | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BotMessage:
        """Builds a message from the control API's JSON."""
        raw_file = data.get("file")
        bot_file = None
        if raw_file is not None:
            bot_file = BotFile(
                kind=raw_file["kind"],
                file_id=raw_file["file_id"],
                file_name=raw_file.get("file_name"),
                mime_type=raw_file.get("mime_type"),
                content=base64.b64decode(raw_file["content_base64"]),
            )
        return cls(
            message_id=data["message_id"],
            chat_id=data["chat_id"],
            date=data["date"],
            text=data.get("text"),
            caption=data.get("caption"),
            html=data.get("html"),
            parse_mode=data.get("parse_mode"),
            entities=list(data.get("entities") or []),
            reply_markup=data.get("reply_markup"),
            file=bot_file,
            edit_count=data.get("edit_count", 0),
            deleted=data.get("deleted", False),
            revision=data.get("revision", 0),
            reply_to_message_id=data.get("reply_to_message_id"),
            link_preview_options=data.get("link_preview_options"),
        )

    @property
    def edited(self) -> bool:
        """True once the bot has edited the message."""
        return self.edit_count > 0

    @property
    def body(self) -> str:
        """The visible text or caption, or "" when there is neither."""
        return self.text if self.text is not None else (self.caption or "")

    @property
    def buttons(self) -> list[Button]:
        """Inline buttons, row by row, left to right."""
        if self.reply_markup is None:
            return []
        return [
            Button(b["text"], b.get("callback_data"), b.get("url"))
            for row in self.reply_markup.get("inline_keyboard", [])
            for b in row
        ]

    @property
    def keyboard(self) -> list[dict[str, Any]]:
        """Reply-keyboard buttons (objects with `text`, maybe `request_location`)."""
        if self.reply_markup is None:
            return []
        return [b for row in self.reply_markup.get("keyboard", []) for b in row]

    @property
    def removes_keyboard(self) -> bool:
        """True when the message removes the reply keyboard."""
        return bool(self.reply_markup and self.reply_markup.get("remove_keyboard"))


@dataclass(frozen=True)
class CallbackAnswer:
    """A button press and the bot's answer (`answered` is False until it answers).

    Attributes:
        callback_query_id: The query id.
        user_id: Who pressed.
        message_id: The message the button was on.
        data: Callback data sent.
        answered: The bot answered it.
        text: The toast or alert text.
        show_alert: It was an alert.
        url: A URL the bot answered with.
    """

    callback_query_id: str
    user_id: int
    message_id: int
    data: str
    answered: bool
    text: str | None
    show_alert: bool
    url: str | None


@dataclass(frozen=True)
class SandboxStats:
    """Counters for benchmarks.

    Attributes:
        messages_sent: Successful sends.
        edits: Successful edits.
        deletes: Deleted messages.
        too_many_requests: 429 answers.
        chat_actions: Chat actions accepted.
        method_calls: Calls per lower-case method name.
        send_times: Unix times of sends and edits per chat.
    """

    messages_sent: int
    edits: int
    deletes: int
    too_many_requests: int
    chat_actions: int
    method_calls: dict[str, int]
    send_times: dict[int, list[float]]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SandboxStats:
        """Builds the statistics from the control API's JSON."""
        return cls(
            messages_sent=data["messages_sent"],
            edits=data["edits"],
            deletes=data["deletes"],
            too_many_requests=data["too_many_requests"],
            chat_actions=data["chat_actions"],
            method_calls=dict(data["method_calls"]),
            send_times={int(chat): list(times) for chat, times in data["send_times"].items()},
        )
