"""The Bot API surface: method names mapped to their implementations.

Method names are matched case-insensitively, as Telegram does; an unknown one is 404.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from bot.sandbox.errors import NOT_FOUND, ApiError, bad_request
from bot.sandbox.media import Media
from bot.sandbox.messaging import Messaging
from bot.sandbox.params import Params
from bot.sandbox.state import SandboxState
from bot.sandbox.webhook import Webhook

Method = Callable[[Params], Awaitable[Any]]

_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_GLOBAL_SCOPES = ("default", "all_private_chats", "all_group_chats", "all_chat_administrators")
_MENU_BUTTON_TYPES = ("commands", "web_app", "default")


class BotApi:
    """Dispatches Bot API calls to the methods the sandbox implements."""

    def __init__(self, state: SandboxState, webhook: Webhook) -> None:
        self.state = state
        self.webhook = webhook
        messaging = Messaging(state)
        media = Media(state, messaging)
        self._methods: dict[str, Method] = {
            "getme": self.get_me,
            "getupdates": self.get_updates,
            "setwebhook": self.set_webhook,
            "deletewebhook": self.delete_webhook,
            "getwebhookinfo": self.get_webhook_info,
            "sendmessage": messaging.send_message,
            "editmessagetext": messaging.edit_message_text,
            "editmessagereplymarkup": messaging.edit_message_reply_markup,
            "deletemessage": messaging.delete_message,
            "answercallbackquery": messaging.answer_callback_query,
            "sendchataction": messaging.send_chat_action,
            "sendphoto": media.send_photo,
            "senddocument": media.send_document,
            "getfile": media.get_file,
            "setmycommands": self.set_my_commands,
            "getmycommands": self.get_my_commands,
            "deletemycommands": self.delete_my_commands,
            "setchatmenubutton": self.set_chat_menu_button,
            "getchatmenubutton": self.get_chat_menu_button,
            "getchat": self.get_chat,
            "close": self.acknowledge,
            "logout": self.acknowledge,
        }

    async def call(self, method: str, params: Params) -> Any:
        """Runs one Bot API method and returns its `result`.

        Raises:
            ApiError: Whatever Telegram would answer instead of a result.
        """
        implementation = self._methods.get(method.lower())
        if implementation is None:
            raise ApiError(NOT_FOUND, "Not Found")
        self.state.stats.method_calls[method.lower()] += 1
        return await implementation(params)

    async def get_me(self, params: Params) -> dict[str, Any]:
        """getMe: the bot's own `User`, with the capabilities Telegram reports."""
        return {
            **self.state.bot,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def get_updates(self, params: Params) -> list[dict[str, Any]]:
        """getUpdates: long polling; refused with 409 while a webhook is set."""
        if self.webhook.active:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
        limit = min(100, max(1, params.integer("limit", default=100) or 100))
        allowed = params.json_value("allowed_updates")
        return await self.state.updates.long_poll(
            offset=params.integer("offset"),
            limit=limit,
            timeout=params.number("timeout", default=0.0) or 0.0,
            allowed=list(allowed) if isinstance(allowed, list) else None,
        )

    async def set_webhook(self, params: Params) -> bool:
        """setWebhook: an empty URL removes the webhook, as in Telegram."""
        url = (params.string("url", default="") or "").strip()
        if params.boolean("drop_pending_updates"):
            self.state.updates.clear()
        if not url:
            await self.webhook.delete()
            return True
        if not url.startswith(("https://", "http://")):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.string("secret_token")
        if secret is not None and not _SECRET_RE.match(secret):
            raise bad_request("secret token contains unallowed characters")
        allowed = params.json_value("allowed_updates")
        self.state.updates.set_allowed(list(allowed) if isinstance(allowed, list) else None)
        max_connections = params.integer("max_connections", default=40) or 40
        await self.webhook.set(url, secret_token=secret, max_connections=max_connections)
        return True

    async def delete_webhook(self, params: Params) -> bool:
        """deleteWebhook: back to getUpdates, optionally dropping what is queued."""
        if params.boolean("drop_pending_updates"):
            self.state.updates.clear()
        await self.webhook.delete()
        return True

    async def get_webhook_info(self, params: Params) -> dict[str, Any]:
        """getWebhookInfo: URL, pending count and the last delivery error."""
        return self.webhook.info()

    def _scope_key(self, params: Params) -> tuple[str, str]:
        scope = params.json_value("scope") or {"type": "default"}
        if not isinstance(scope, dict):
            raise bad_request("can't parse BotCommandScope JSON object")
        kind = scope.get("type")
        language = params.string("language_code", default="") or ""
        if kind in _GLOBAL_SCOPES:
            return str(kind), language
        if kind in ("chat", "chat_administrators", "chat_member"):
            user = self.state.find_chat(scope.get("chat_id", ""))
            if kind == "chat_member":
                return f"chat_member:{user.id}:{scope.get('user_id')}", language
            return f"{kind}:{user.id}", language
        raise bad_request("wrong bot command scope type specified")

    async def set_my_commands(self, params: Params) -> bool:
        """setMyCommands: the command list for one scope and language."""
        commands = params.json_value("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("can't parse commands JSON object")
        checked: list[dict[str, str]] = []
        for entry in commands:
            if not isinstance(entry, dict) or not _COMMAND_RE.match(str(entry.get("command"))):
                raise bad_request("BOT_COMMAND_INVALID")
            description = entry.get("description")
            if not isinstance(description, str) or not 1 <= len(description) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            checked.append({"command": entry["command"], "description": description})
        key = self._scope_key(params)
        if checked:
            self.state.commands[key] = checked
        else:
            self.state.commands.pop(key, None)
        return True

    async def get_my_commands(self, params: Params) -> list[dict[str, str]]:
        """getMyCommands: exactly what was set for the scope and language (no fallback)."""
        return self.state.commands.get(self._scope_key(params), [])

    async def delete_my_commands(self, params: Params) -> bool:
        """deleteMyCommands: forgets the list for one scope and language."""
        self.state.commands.pop(self._scope_key(params), None)
        return True

    async def set_chat_menu_button(self, params: Params) -> bool:
        """setChatMenuButton: for one chat, or the default when `chat_id` is left out."""
        chat_id = params.optional_chat_id()
        target = None if chat_id is None else self.state.find_chat(chat_id).id
        button = params.json_value("menu_button") or {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in _MENU_BUTTON_TYPES:
            raise bad_request("can't parse menu button JSON object")
        self.state.menu_buttons[target] = button
        return True

    async def get_chat_menu_button(self, params: Params) -> dict[str, Any]:
        """getChatMenuButton: the chat's button, else the default, else "commands"."""
        chat_id = params.optional_chat_id()
        target = None if chat_id is None else self.state.find_chat(chat_id).id
        button = self.state.menu_buttons.get(target) or self.state.menu_buttons.get(None)
        if button is None or button.get("type") == "default":
            return {"type": "commands"}
        return button

    async def get_chat(self, params: Params) -> dict[str, Any]:
        """getChat: Telegram's `ChatFullInfo` for a private chat."""
        user = self.state.find_chat(params.chat_id())
        return {
            **user.to_chat(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    async def acknowledge(self, params: Params) -> bool:
        """close and logOut: accepted; a local server has no cloud session to end."""
        return True
