"""Everything the fake Telegram knows at one moment, shared by the Bot API and control API."""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bot.sandbox.errors import bad_request, forbidden, too_many_requests
from bot.sandbox.limits import FloodControl, Limits
from bot.sandbox.records import CallbackRecord, SandboxUser, StoredFile, StoredMessage
from bot.sandbox.updates import Notifier, UpdateQueue


@dataclass
class Stats:
    """Counters for benchmarks: what the bot sent and how often it hit flood control.

    Attributes:
        messages_sent: Messages the bot sent successfully (text, photo, document).
        edits: Successful edits of text or buttons.
        deletes: Messages the bot deleted.
        too_many_requests: 429 answers given.
        chat_actions: sendChatAction calls accepted.
        method_calls: Calls per Bot API method (lower-case names).
        send_times: Per chat, Unix times of every successful send and edit.
    """

    messages_sent: int = 0
    edits: int = 0
    deletes: int = 0
    too_many_requests: int = 0
    chat_actions: int = 0
    method_calls: Counter[str] = field(default_factory=Counter)
    send_times: dict[int, list[float]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Returns the statistics for the control API."""
        return {
            "messages_sent": self.messages_sent,
            "edits": self.edits,
            "deletes": self.deletes,
            "too_many_requests": self.too_many_requests,
            "chat_actions": self.chat_actions,
            "method_calls": dict(self.method_calls),
            "send_times": {str(chat): times for chat, times in self.send_times.items()},
        }


@dataclass
class ChatLog:
    """The messages of one private chat.

    Attributes:
        messages: Every message by id, from both sides, deleted ones included.
        next_message_id: The id the next message gets.
        action_mark: Highest message id at the user's last action; "new" bot messages for a
            waiting test are those after it.
    """

    messages: dict[int, StoredMessage] = field(default_factory=dict)
    next_message_id: int = 1
    action_mark: int = 0


class SandboxState:
    """Users, chats, files, button presses, commands, statistics and the update queue."""

    def __init__(self, *, bot: dict[str, Any], limits: Limits) -> None:
        self.bot = bot
        self.limits = limits
        self.updates = UpdateQueue()
        self.changed = Notifier()
        self.flood = FloodControl(limits)
        # Never reset: a watcher holding an old revision must still see what comes next.
        self.revision = 0
        self.reset()

    def reset(self) -> None:
        """Forgets everything except who the bot is, as if Telegram had just started."""
        self.users: dict[int, SandboxUser] = {}
        self.chats: dict[int, ChatLog] = {}
        self.files: dict[str, StoredFile] = {}
        self.callbacks: dict[str, CallbackRecord] = {}
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        self.stats = Stats()
        self._file_count = 0
        self._callback_count = 0
        self.flood.reset()
        self.updates.clear()
        self.changed.notify()

    def register_user(self, user: SandboxUser) -> SandboxUser:
        """Adds a user, or updates the name and language of one already known."""
        known = self.users.get(user.id)
        if known is None:
            self.users[user.id] = user
            return user
        known.first_name = user.first_name
        known.username = user.username
        known.last_name = user.last_name
        known.language_code = user.language_code
        return known

    def user_or_default(self, user_id: int) -> SandboxUser:
        """Returns the user, registering "User <id>" when the id is new."""
        known = self.users.get(user_id)
        if known is not None:
            return known
        return self.register_user(SandboxUser(id=user_id, first_name=f"User {user_id}"))

    def chat_log(self, chat_id: int) -> ChatLog:
        """Returns the chat's log, creating an empty one the first time."""
        return self.chats.setdefault(chat_id, ChatLog())

    def find_chat(self, chat_id: int | str) -> SandboxUser:
        """Resolves a `chat_id` (number or "@username") to a known private chat.

        Raises:
            ApiError: "chat not found" when no such user has written to the bot.
        """
        if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
            chat_id = int(chat_id)
        if isinstance(chat_id, str):
            name = chat_id.removeprefix("@").lower()
            for candidate in self.users.values():
                username = candidate.username
                if username is not None and username.lower() == name and candidate.started:
                    return candidate
            raise bad_request("chat not found")
        known = self.users.get(chat_id)
        if known is None:
            raise bad_request("chat not found")
        return known

    def recipient(self, chat_id: int | str) -> SandboxUser:
        """Resolves the chat a bot wants to write to, refusing as Telegram would.

        Raises:
            ApiError: 400 for an unknown chat, 403 when the user blocked the bot or never
                started it.
        """
        user = self.find_chat(chat_id)
        if user.blocked:
            raise forbidden("bot was blocked by the user")
        if not user.started:
            raise forbidden("bot can't initiate conversation with a user")
        return user

    def acquire_send(self, chat_id: int) -> None:
        """Takes flood-control tokens for one send or edit.

        Raises:
            ApiError: 429 with `retry_after` when the bot is going too fast.
        """
        retry_after = self.flood.acquire(chat_id, time.monotonic())
        if retry_after:
            self.stats.too_many_requests += 1
            raise too_many_requests(retry_after)

    def record_send(self, chat_id: int) -> None:
        """Notes the time of a successful send or edit for the statistics."""
        self.stats.send_times.setdefault(chat_id, []).append(time.time())

    def new_message(self, chat_id: int, *, sender: dict[str, Any], from_bot: bool) -> StoredMessage:
        """Creates the next message of a chat; the caller fills it in and calls `touch`."""
        log = self.chat_log(chat_id)
        message = StoredMessage(
            message_id=log.next_message_id,
            chat_id=chat_id,
            date=int(time.time()),
            sender=sender,
            from_bot=from_bot,
        )
        log.next_message_id += 1
        log.messages[message.message_id] = message
        return message

    def touch(self, message: StoredMessage) -> None:
        """Marks a message as changed so anyone watching the chat sees it."""
        self.revision += 1
        message.revision = self.revision
        self.changed.notify()

    def find_message(self, chat_id: int, message_id: int) -> StoredMessage | None:
        """Returns a message that exists and was not deleted, or None."""
        log = self.chats.get(chat_id)
        message = log.messages.get(message_id) if log is not None else None
        if message is None or message.deleted:
            return None
        return message

    def bot_messages(self, chat_id: int) -> list[StoredMessage]:
        """Returns every message the bot sent to a chat, oldest first, deleted ones included."""
        log = self.chats.get(chat_id)
        if log is None:
            return []
        return [message for message in log.messages.values() if message.from_bot]

    def mark_action(self, chat_id: int) -> None:
        """Records that the user just did something, for "wait for the bot's answer"."""
        log = self.chat_log(chat_id)
        log.action_mark = log.next_message_id - 1

    def store_file(
        self, kind: str, content: bytes, *, file_name: str | None, mime_type: str | None
    ) -> StoredFile:
        """Keeps a file and gives it Telegram-like identifiers."""
        self._file_count += 1
        digest = hashlib.sha256(content).hexdigest()[:16]
        stored = StoredFile(
            file_id=f"{kind}-{self._file_count}-{digest}",
            file_unique_id=f"u{digest}",
            kind=kind,
            content=content,
            file_name=file_name,
            mime_type=mime_type,
        )
        self.files[stored.file_id] = stored
        return stored

    def new_callback(self, user_id: int, message_id: int, data: str) -> CallbackRecord:
        """Records a button press the bot now has to answer."""
        self._callback_count += 1
        record = CallbackRecord(
            id=f"{user_id}{self._callback_count:08d}",
            user_id=user_id,
            message_id=message_id,
            data=data,
            created_at=time.monotonic(),
        )
        self.callbacks[record.id] = record
        return record

    def chat_json(self, chat_id: int) -> dict[str, Any]:
        """Returns the Telegram `Chat` object for a private chat."""
        return self.users[chat_id].to_chat()
