"""Callback data: short, prefixed, and never trusted.

Buttons carry strings such as ``ci:42:happy:7``: a prefix naming the action and a few parts.
Telegram limits callback data to 64 bytes. Decoding only checks the *shape*; whether this
person may do this to that record is always checked again by the service that acts on it.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_BYTES = 64
SEPARATOR = ":"

# Every prefix in use, so two journeys never claim the same one.
PREFIXES = {
    "consent": "privacy notice: agree or decline",
    "prof": "profile steps: skip, choose, done",
    "ci": "check-in answers: ci:<check_in>:<item>:<value|skip|stop>",
    "cin": "check-in note and sharing choices",
    "go": "I'll go: go:<activity>",
    "wk": "make a booking standing (every week): wk:<booking>",
    "more": "more like this: more:<activity>",
    "nope": "not for me: nope:<activity>",
    "show": "show more results: show:<offset>",
    "bk": "booking actions: bk:<booking>:<cancel|ics|keep>",
    "set": "settings choices",
    "forget": "erasure confirmation",
    "nudge": "nudge answers: nudge:<nudge>:<answer>",
    "staff": "staff roles: staff:<inv|rm>:<role|person>",
    "ref": "referral links: ref:<one|clinic> and ref:note:<invite>",
    "cl": "caseload: cl:<page|view|msg>:<number>",
    "ses": "session changes: ses:<open|cancel|yes|move|note>:<occurrence>",
    "bc": "broadcasts: bc:<audience|occ|series|send|cancel>:<id>",
    "rev": "coordinator review choices",
}


class CallbackDataError(ValueError):
    """Callback data that is not something Chorus could have sent."""


@dataclass(frozen=True, slots=True)
class Callback:
    prefix: str
    parts: tuple[str, ...]

    def int_part(self, index: int) -> int:
        """The part at `index` as a positive int, or CallbackDataError."""
        try:
            value = int(self.parts[index])
        except (IndexError, ValueError):
            raise CallbackDataError(f"part {index} of {self.prefix!r} is not a number") from None
        if value < 0:
            raise CallbackDataError(f"part {index} of {self.prefix!r} is negative")
        return value

    def part(self, index: int) -> str:
        try:
            return self.parts[index]
        except IndexError:
            raise CallbackDataError(f"{self.prefix!r} has no part {index}") from None


def encode(prefix: str, *parts: object) -> str:
    """Builds callback data; raises ValueError if it would break Telegram's 64-byte limit."""
    if prefix not in PREFIXES:
        raise ValueError(f"unknown callback prefix {prefix!r}")
    text_parts = [str(p) for p in parts]
    if any(SEPARATOR in p for p in text_parts):
        raise ValueError("callback parts may not contain ':'")
    data = SEPARATOR.join([prefix, *text_parts])
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


def decode(data: str | None) -> Callback:
    """Splits callback data into prefix and parts, refusing anything of the wrong shape."""
    if not data or len(data.encode()) > MAX_BYTES:
        raise CallbackDataError("empty or over-long callback data")
    prefix, *parts = data.split(SEPARATOR)
    if prefix not in PREFIXES:
        raise CallbackDataError(f"unknown callback prefix {prefix!r}")
    return Callback(prefix, tuple(parts))


def pattern(prefix: str) -> str:
    """A regular expression matching this prefix's callback data, for CallbackQueryHandler."""
    if prefix not in PREFIXES:
        raise ValueError(f"unknown callback prefix {prefix!r}")
    return rf"^{prefix}(:|$)"
