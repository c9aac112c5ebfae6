"""Bot API errors, shaped exactly as Telegram answers them so PTB raises the same exceptions."""

from __future__ import annotations

from typing import Any

# The HTTP status decides which PTB exception is raised (see `telegram/request/_baserequest.py`).
BAD_REQUEST = 400
UNAUTHORIZED = 401
FORBIDDEN = 403
NOT_FOUND = 404
CONFLICT = 409
TOO_MANY_REQUESTS = 429


class ApiError(Exception):
    """A Bot API call failed; carries Telegram's status code and description text.

    Attributes:
        code: HTTP status and `error_code` in the JSON body.
        description: Telegram's wording, e.g. "Bad Request: chat not found".
        retry_after: Seconds to wait, only for flood control (429).
    """

    def __init__(self, code: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def to_json(self) -> dict[str, Any]:
        """Returns the response body Telegram sends for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(reason: str) -> ApiError:
    """Builds a 400 error with Telegram's "Bad Request: " prefix.

    Args:
        reason: The text after the prefix, e.g. "chat not found".
    """
    return ApiError(BAD_REQUEST, f"Bad Request: {reason}")


def forbidden(reason: str) -> ApiError:
    """Builds a 403 error with Telegram's "Forbidden: " prefix.

    Args:
        reason: The text after the prefix, e.g. "bot was blocked by the user".
    """
    return ApiError(FORBIDDEN, f"Forbidden: {reason}")


def too_many_requests(retry_after: int) -> ApiError:
    """Builds the 429 flood-control error with `parameters.retry_after`.

    Args:
        retry_after: Whole seconds the caller must wait (at least 1).
    """
    seconds = max(1, retry_after)
    return ApiError(
        TOO_MANY_REQUESTS, f"Too Many Requests: retry after {seconds}", retry_after=seconds
    )
