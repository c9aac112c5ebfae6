"""Bot API methods that send, edit and delete text messages and answer button presses."""

from __future__ import annotations

import time
from typing import Any

from bot.sandbox.errors import bad_request
from bot.sandbox.html_check import EntityParseError, parse_html
from bot.sandbox.markup import check_reply_markup
from bot.sandbox.params import Params
from bot.sandbox.records import SandboxUser, StoredMessage
from bot.sandbox.state import SandboxState

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
_MAX_CALLBACK_ANSWER_LENGTH = 200
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


def format_text(
    source: str, parse_mode: str | None, entities: Any
) -> tuple[str, list[dict[str, Any]]]:
    """Applies a parse mode, returning the visible text and its entities.

    Args:
        source: Text as the bot sent it.
        parse_mode: "HTML" (any case) or None; the sandbox does not implement Markdown.
        entities: Explicit entities sent instead of a parse mode, if any.

    Raises:
        ApiError: The markup is invalid ("can't parse entities: ...") or the mode unknown.
    """
    if parse_mode:
        if parse_mode.lower() != "html":
            raise bad_request("unsupported parse_mode")
        try:
            parsed = parse_html(source)
        except EntityParseError as error:
            raise bad_request(f"can't parse entities: {error}") from error
        return parsed.text, parsed.entities
    return source, list(entities) if isinstance(entities, list) else []


class Messaging:
    """sendMessage, edits, deleteMessage, answerCallbackQuery and sendChatAction."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state

    def reply_to(self, params: Params, chat_id: int) -> dict[str, Any] | None:
        """Resolves `reply_parameters` (or the older `reply_to_message_id`) to a message.

        Raises:
            ApiError: The message does not exist and sending without it was not allowed.
        """
        options = params.json_value("reply_parameters")
        if not isinstance(options, dict):
            legacy = params.integer("reply_to_message_id")
            if legacy is None:
                return None
            options = {"message_id": legacy}
        target_id = options.get("message_id")
        target = self.state.find_message(chat_id, target_id) if isinstance(target_id, int) else None
        if target is None:
            if options.get("allow_sending_without_reply") or params.boolean(
                "allow_sending_without_reply"
            ):
                return None
            raise bad_request("message to be replied not found")
        return target.to_message(self.state.chat_json(chat_id))

    def deliver(self, user: SandboxUser, message: StoredMessage) -> dict[str, Any]:
        """Counts a new bot message, lets watchers see it and returns Telegram's object."""
        self.state.touch(message)
        self.state.stats.messages_sent += 1
        self.state.record_send(user.id)
        return message.to_message(user.to_chat())

    def _editable(self, params: Params) -> tuple[SandboxUser, StoredMessage]:
        if params.has("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")
        user = self.state.recipient(params.chat_id())
        message_id = params.integer("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        message = self.state.find_message(user.id, message_id)
        if message is None:
            raise bad_request("message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return user, message

    def _edited(self, user: SandboxUser, message: StoredMessage) -> dict[str, Any]:
        message.edit_date = int(time.time())
        message.edit_count += 1
        self.state.touch(message)
        self.state.stats.edits += 1
        self.state.record_send(user.id)
        return message.to_message(user.to_chat())

    async def send_message(self, params: Params) -> dict[str, Any]:
        """sendMessage: text with optional HTML, keyboard, link preview options and reply."""
        user = self.state.recipient(params.chat_id())
        source = params.string("text", default="") or ""
        parse_mode = params.string("parse_mode")
        text, entities = format_text(source, parse_mode, params.json_value("entities"))
        if not text.strip():
            raise bad_request("message text is empty")
        if len(text) > MAX_TEXT_LENGTH:
            raise bad_request("message is too long")
        markup = check_reply_markup(params.json_value("reply_markup"))
        reply_to = self.reply_to(params, user.id)
        preview = params.json_value("link_preview_options")
        if preview is None and params.boolean("disable_web_page_preview"):
            preview = {"is_disabled": True}
        self.state.acquire_send(user.id)
        message = self.state.new_message(user.id, sender=self.state.bot, from_bot=True)
        message.source, message.parse_mode = source, parse_mode
        message.text, message.entities = text, entities
        message.reply_markup = markup
        message.link_preview_options = preview if isinstance(preview, dict) else None
        message.reply_to = reply_to
        return self.deliver(user, message)

    async def edit_message_text(self, params: Params) -> dict[str, Any]:
        """editMessageText: new text; leaving out `reply_markup` removes the buttons."""
        user, message = self._editable(params)
        if message.text is None:
            raise bad_request("there is no text in the message to edit")
        source = params.string("text", default="") or ""
        parse_mode = params.string("parse_mode")
        text, entities = format_text(source, parse_mode, params.json_value("entities"))
        if not text.strip():
            raise bad_request("message text is empty")
        if len(text) > MAX_TEXT_LENGTH:
            raise bad_request("message is too long")
        markup = check_reply_markup(params.json_value("reply_markup"), inline_only=True)
        if (
            text == message.text
            and entities == message.entities
            and markup == (message.inline_keyboard)
        ):
            raise _not_modified()
        self.state.acquire_send(user.id)
        message.source, message.parse_mode = source, parse_mode
        message.text, message.entities = text, entities
        message.reply_markup = markup
        preview = params.json_value("link_preview_options")
        if isinstance(preview, dict):
            message.link_preview_options = preview
        return self._edited(user, message)

    async def edit_message_reply_markup(self, params: Params) -> dict[str, Any]:
        """editMessageReplyMarkup: replaces (or, without `reply_markup`, removes) the buttons."""
        user, message = self._editable(params)
        markup = check_reply_markup(params.json_value("reply_markup"), inline_only=True)
        if markup == message.inline_keyboard:
            raise _not_modified()
        self.state.acquire_send(user.id)
        message.reply_markup = markup
        return self._edited(user, message)

    async def delete_message(self, params: Params) -> bool:
        """deleteMessage: removes a message from the chat for both sides."""
        user = self.state.find_chat(params.chat_id())
        message_id = params.integer("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        message = self.state.find_message(user.id, message_id)
        if message is None:
            raise bad_request("message to delete not found")
        message.deleted = True
        self.state.touch(message)
        self.state.stats.deletes += 1
        return True

    async def answer_callback_query(self, params: Params) -> bool:
        """answerCallbackQuery: a toast or alert for a press; each press is answered once."""
        query_id = params.string("callback_query_id", default="") or ""
        record = self.state.callbacks.get(query_id)
        expired = (
            record is not None
            and time.monotonic() - record.created_at > self.state.limits.callback_query_ttl
        )
        if record is None or record.answered or expired:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = params.string("text")
        if text is not None and len(text) > _MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        record.answered = True
        record.text = text
        record.show_alert = params.boolean("show_alert")
        record.url = params.string("url")
        self.state.changed.notify()
        return True

    async def send_chat_action(self, params: Params) -> bool:
        """sendChatAction: "typing…" and similar; checked but not shown anywhere."""
        self.state.recipient(params.chat_id())
        if params.string("action") not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self.state.stats.chat_actions += 1
        return True


def _not_modified() -> Exception:
    return bad_request(
        "message is not modified: specified new message content and reply markup are exactly "
        "the same as a current content and reply markup of the message"
    )
