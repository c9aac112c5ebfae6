"""Bot API request parameters, whichever way the caller encoded them.

PTB sends form data, or multipart when a file is uploaded, with objects such as
`reply_markup` JSON-encoded inside a string; other clients send a JSON body. `Params` reads all
of them the same way and raises Telegram's errors for missing or malformed values.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from aiohttp.web_request import FileField

from bot.sandbox.errors import bad_request

# Telegram names some objects in its error texts differently from the parameter.
_JSON_LABELS = {"reply_markup": "reply keyboard markup"}


@dataclass(frozen=True)
class Upload:
    """A file uploaded in a multipart request.

    Attributes:
        content: The file's bytes.
        filename: The name the client gave it.
        mime_type: The content type the client declared, if any.
    """

    content: bytes
    filename: str
    mime_type: str | None


class Params:
    """Typed access to one request's parameters."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = dict(values)

    @classmethod
    async def from_request(cls, request: web.Request) -> Params:
        """Reads parameters from the query string and the body (form, multipart or JSON).

        Raises:
            ApiError: The JSON body is not an object.
        """
        values: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError as error:
                raise bad_request("can't parse JSON request body") from error
            if not isinstance(body, dict):
                raise bad_request("can't parse JSON request body")
            values.update(body)
        elif request.method == "POST":
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, FileField):
                    values[key] = Upload(
                        value.file.read(), value.filename, value.content_type or None
                    )
                else:
                    values[key] = value
        return cls(values)

    def has(self, name: str) -> bool:
        """Returns True when the parameter was given and is not empty."""
        return self._values.get(name) not in (None, "")

    def raw(self, name: str) -> Any:
        """Returns the value exactly as received (string, number, object or `Upload`)."""
        return self._values.get(name)

    def string(self, name: str, *, default: str | None = None) -> str | None:
        """Returns a string parameter, or `default` when absent."""
        value = self._values.get(name)
        if value is None:
            return default
        if isinstance(value, str):
            return value
        if isinstance(value, bool | int | float):
            return json.dumps(value)
        raise bad_request(f'field "{name}" must be of type String')

    def integer(self, name: str, *, default: int | None = None) -> int | None:
        """Returns an integer parameter, or `default` when absent.

        Raises:
            ApiError: The value is not a whole number.
        """
        value = self._values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            raise bad_request(f'field "{name}" must be of type Integer')
        if isinstance(value, int):
            return value
        try:
            return int(str(value).strip())
        except ValueError as error:
            raise bad_request(f'field "{name}" must be of type Integer') from error

    def number(self, name: str, *, default: float | None = None) -> float | None:
        """Returns a float parameter, or `default` when absent."""
        value = self._values.get(name)
        if value is None or value == "":
            return default
        try:
            return float(value)
        except (TypeError, ValueError) as error:
            raise bad_request(f'field "{name}" must be of type Float') from error

    def boolean(self, name: str, *, default: bool = False) -> bool:
        """Returns a Boolean parameter; "true"/"1" and "false"/"0" are understood."""
        value = self._values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise bad_request(f'field "{name}" must be of type Boolean')

    def json_value(self, name: str) -> Any:
        """Returns an object or array parameter, decoding it when it came as a JSON string.

        Raises:
            ApiError: The string is not valid JSON.
        """
        value = self._values.get(name)
        if not isinstance(value, str):
            return value
        if value == "":
            return None
        try:
            return json.loads(value)
        except ValueError as error:
            label = _JSON_LABELS.get(name, name)
            raise bad_request(f"can't parse {label} JSON object") from error

    def chat_id(self) -> int | str:
        """Returns `chat_id` as an integer, or as a string for "@username" targets.

        Raises:
            ApiError: It is missing or neither a number nor "@username".
        """
        chat_id = self.optional_chat_id()
        if chat_id is None:
            raise bad_request("chat_id is empty")
        return chat_id

    def optional_chat_id(self) -> int | str | None:
        """Returns `chat_id` like `chat_id()`, or None when it was left out."""
        value = self._values.get("chat_id")
        if value is None or value == "":
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = str(value).strip()
        if text.startswith("@"):
            return text
        try:
            return int(text)
        except ValueError as error:
            raise bad_request("chat not found") from error
