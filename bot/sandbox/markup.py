"""Checks `reply_markup` the way Telegram does before a message is sent or edited."""

from __future__ import annotations

from typing import Any

from bot.sandbox.errors import bad_request

_MAX_CALLBACK_DATA_BYTES = 64
_URL_SCHEMES = ("http://", "https://", "tg://")
# Any one of these makes an inline button do something; a bare text button is refused.
_INLINE_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


def _rows(markup: dict[str, Any], key: str) -> list[list[Any]]:
    rows = markup.get(key)
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return rows


def _inline_button(button: Any) -> dict[str, Any]:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request(
            'can\'t parse inline keyboard button: Field "text" must be of type String'
        )
    if not button["text"]:
        raise bad_request("BUTTON_TEXT_INVALID")
    if not any(action in button for action in _INLINE_ACTIONS):
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not (
            1 <= len(data.encode("utf-8")) <= _MAX_CALLBACK_DATA_BYTES
        ):
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not url.startswith(_URL_SCHEMES) or " " in url:
            raise bad_request("BUTTON_URL_INVALID")
    return button


def _keyboard_button(button: Any) -> dict[str, Any]:
    if isinstance(button, str):
        button = {"text": button}
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request('can\'t parse keyboard button: Field "text" must be of type String')
    if not button["text"]:
        raise bad_request("BUTTON_TEXT_INVALID")
    return button


def check_reply_markup(markup: Any, *, inline_only: bool = False) -> dict[str, Any] | None:
    """Validates a decoded `reply_markup` and returns it in a normal form.

    Args:
        markup: The decoded JSON value, or None when the request had none.
        inline_only: True for edits, which accept only an inline keyboard.

    Returns:
        The markup with reply-keyboard buttons given as plain strings turned into objects.

    Raises:
        ApiError: The markup is malformed or a button breaks Telegram's rules, e.g.
            "BUTTON_DATA_INVALID" for callback data that is empty or over 64 bytes.
    """
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = [[_inline_button(b) for b in row] for row in _rows(markup, "inline_keyboard")]
        return {"inline_keyboard": rows}
    if inline_only:
        raise bad_request("inline keyboard expected")
    if "keyboard" in markup:
        rows = [[_keyboard_button(b) for b in row] for row in _rows(markup, "keyboard")]
        return {**markup, "keyboard": rows}
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return markup
    raise bad_request("can't parse reply keyboard markup JSON object")


def find_button(markup: dict[str, Any] | None, text: str) -> dict[str, Any] | None:
    """Returns the inline button whose label is `text`, if the markup has one."""
    if markup is None:
        return None
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if button.get("text") == text:
                return dict(button)
    return None


def has_callback_data(markup: dict[str, Any] | None, data: str) -> bool:
    """Returns True when an inline button of the markup carries `data`."""
    if markup is None:
        return False
    return any(
        button.get("callback_data") == data
        for row in markup.get("inline_keyboard", [])
        for button in row
    )
