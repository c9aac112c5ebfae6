"""Every participant-facing message fits one phone screen and uses plain words.

The texts are collected from every `bot/messaging/*texts*.py` module: each public module-level
string, and every string inside a public dict, list or tuple, so a message added later is
checked without being listed here. Placeholders are filled with long but realistic values
(a long name, a long place, a long session title), because the screen must fit the worst
real case, not the typical one.

One phone screen: a 360-point-wide phone (the common small Android and iPhone SE width) at
Telegram's default text size shows about 38 characters a line and about 20 lines above the
keyboard and buttons. So a message may be at most 700 visible characters (about 18 wrapped
lines) and at most 14 written lines (blank lines count: they take space too), leaving room
for its buttons.

Staff-only modules (named `staff_*` or `review_*`) and constants whose names say STAFF are
left out: staff read on desktops too and need the technical words.
"""

from __future__ import annotations

import html
import importlib
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

MAX_CHARACTERS = 700
MAX_LINES = 14
STAFF_MODULES = ("staff_", "review_")

MESSAGING = Path(__file__).resolve().parents[1] / "bot" / "messaging"

# Words that mean something to the people who built Chorus and nothing to a participant.
JARGON = (
    "questionnaire instrument",
    "pseudonymous",
    "pseudonym",
    "occurrence",
    "rrule",
    "callback",
    "null",
    "payload",
    "json",
    "database",
    "webhook",
    "exception",
    "traceback",
    "timestamp",
    "utc",
    "user id",
    "telegram id",
    "data subject",
    "erasure",
)

# Long, realistic values for the placeholders the texts use; anything else gets FALLBACK.
LONG_VALUES: dict[str, object] = {
    "name": "Bartholomew-Christopher",
    "role": "a coordinator",
    "place": "Barrow-in-Furness LA14",
    "title": "Morecambe Bay Community Singing for Wellbeing (all welcome)",
    "when": "Wednesday 30 December, 10:30am to 12:30pm",
    "venue": "The Platform, Central Promenade, Morecambe LA4 4DB",
    "words": "ukulele, watercolour painting, samba drumming",
    "weeks": "6 and 12",
    "limit": "4,096",
}
FALLBACK = "a long but realistic value of forty chars"


def _strings(name: str, value: object) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield name, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(f"{name}[{key!r}]", item)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _strings(f"{name}[{index}]", item)


def _texts() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for path in sorted(MESSAGING.glob("*texts*.py")):
        if path.stem.startswith(STAFF_MODULES):
            continue
        module = importlib.import_module(f"bot.messaging.{path.stem}")
        for name, value in vars(module).items():
            if name.startswith("_") or "STAFF" in name:
                continue
            found.extend((f"{path.stem}.{where}", text) for where, text in _strings(name, value))
    return found


def _filled(text: str) -> str:
    """The text with every placeholder filled by a long value (numbers for number formats)."""
    values: dict[str, object] = {}
    positional: list[object] = []
    for _, field, spec, _ in string.Formatter().parse(text):
        if field is None:
            continue
        value: object = 12_345 if spec and spec[-1] in ",dn" else LONG_VALUES.get(field, FALLBACK)
        if field == "" or field.isdigit():
            positional.append(value)
        else:
            values[field] = value
    return text.format(*positional, **values)


def _visible(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


TEXTS = _texts()


def test_the_texts_were_found() -> None:
    # Guards the collector: an empty or tiny list would make every other test pass vacuously.
    modules = {where.split(".")[0] for where, _ in TEXTS}
    assert {"texts", "privacy_texts", "settings_texts"} <= modules
    assert len(TEXTS) > 50


@pytest.mark.parametrize(("where", "text"), TEXTS, ids=[where for where, _ in TEXTS])
def test_fits_one_phone_screen(where: str, text: str) -> None:
    shown = _visible(_filled(text))
    assert len(shown) <= MAX_CHARACTERS, f"{len(shown)} characters"
    assert shown.count("\n") + 1 <= MAX_LINES, f"{shown.count(chr(10)) + 1} lines"


@pytest.mark.parametrize(("where", "text"), TEXTS, ids=[where for where, _ in TEXTS])
def test_uses_plain_words(where: str, text: str) -> None:
    lowered = _visible(text).lower()
    used = [word for word in JARGON if re.search(rf"\b{re.escape(word)}\b", lowered)]
    assert not used, f"jargon: {used}"


def test_a_long_message_would_be_caught() -> None:
    # The limits themselves: a message of 15 short lines, or of 701 characters, is too long.
    assert _visible("line\n" * 14 + "line").count("\n") + 1 > MAX_LINES
    assert len(_visible("<b>" + "a" * 701 + "</b>")) > MAX_CHARACTERS
    assert (
        _filled("Hello {name}, {count:,} sessions")
        == "Hello Bartholomew-Christopher, 12,345 sessions"
    )
