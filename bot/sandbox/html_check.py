"""Telegram's HTML parse mode: turns marked-up text into plain text plus message entities.

Follows the rules of Telegram's own parser (tdlib `parse_html`): only its tags are allowed,
tags must nest properly and be closed, and errors name the byte offset in the UTF-8 text. One
deliberate difference: a bare `&` that does not start an entity is refused, because it almost
always means text a person typed was not passed through `html.escape`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_TAG_ENTITY_TYPES = {
    "a": "text_link",
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));")


class EntityParseError(ValueError):
    """The text is not valid Telegram HTML; the message is Telegram's wording."""


@dataclass
class ParsedText:
    """Text with the markup removed and the entities Telegram would attach.

    Attributes:
        text: What the person sees.
        entities: Telegram `MessageEntity` objects; offsets and lengths in UTF-16 code units.
    """

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _OpenTag:
    name: str
    attributes: dict[str, str]
    offset: int
    language: str | None = None


def utf16_length(text: str) -> int:
    """Returns the length of `text` in UTF-16 code units, the unit of entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _decode_entity(text: str, index: int) -> tuple[str, int] | None:
    """Decodes the character reference at `index`; returns it and the index after it."""
    match = _ENTITY_RE.match(text, index)
    if match is None:
        return None
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        if name not in _NAMED_ENTITIES:
            return None
        return _NAMED_ENTITIES[name], match.end()
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code), match.end()


def _decode_value(raw: str) -> str:
    parts: list[str] = []
    index = 0
    while index < len(raw):
        decoded = _decode_entity(raw, index) if raw[index] == "&" else None
        if decoded is None:
            parts.append(raw[index])
            index += 1
        else:
            parts.append(decoded[0])
            index = decoded[1]
    return "".join(parts)


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.pos = 0
        self.out: list[str] = []
        self.length = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[dict[str, Any]] = []

    def fail(self, reason: str) -> EntityParseError:
        return EntityParseError(reason)

    def emit(self, chunk: str) -> None:
        self.out.append(chunk)
        self.length += utf16_length(chunk)

    def parse(self) -> ParsedText:
        source = self.source
        while self.pos < len(source):
            char = source[self.pos]
            if char == "&":
                decoded = _decode_entity(source, self.pos)
                if decoded is None:
                    raise self.fail(
                        "Character '&' is reserved and must be escaped as &amp; at byte offset "
                        f"{_byte_offset(source, self.pos)}"
                    )
                self.emit(decoded[0])
                self.pos = decoded[1]
            elif char == "<":
                if source.startswith("</", self.pos):
                    self.end_tag()
                else:
                    self.start_tag()
            else:
                self.emit(char)
                self.pos += 1
        if self.stack:
            raise self.fail(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"'
            )
        self.entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
        return ParsedText("".join(self.out), self.entities)

    def start_tag(self) -> None:
        source, begin = self.source, self.pos
        end = begin + 1
        while end < len(source) and not source[end].isspace() and source[end] != ">":
            end += 1
        if end >= len(source):
            raise self.fail(f"Unclosed start tag at byte offset {_byte_offset(source, begin)}")
        name = source[begin + 1 : end].lower()
        if name not in _TAG_ENTITY_TYPES:
            raise self.fail(
                f'Unsupported start tag "{name}" at byte offset {_byte_offset(source, begin)}'
            )
        attributes, self.pos = self.attributes(name, end)
        if name == "span" and attributes.get("class") != "tg-spoiler":
            raise self.fail(
                f'Tag "span" must have class "tg-spoiler" at byte offset '
                f"{_byte_offset(source, begin)}"
            )
        if name == "tg-emoji" and not attributes.get("emoji-id"):
            raise self.fail(
                f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset '
                f"{_byte_offset(source, begin)}"
            )
        self.stack.append(_OpenTag(name, attributes, self.length))

    def attributes(self, tag: str, index: int) -> tuple[dict[str, str], int]:
        source = self.source
        found: dict[str, str] = {}
        while True:
            while index < len(source) and source[index].isspace():
                index += 1
            if index >= len(source):
                raise self.fail(f"Unclosed start tag at byte offset {_byte_offset(source, index)}")
            if source[index] == ">":
                return found, index + 1
            begin = index
            while index < len(source) and source[index] not in "=> \t\n\r":
                index += 1
            name = source[begin:index].lower()
            while index < len(source) and source[index].isspace():
                index += 1
            if index >= len(source) or source[index] != "=":
                # A value-less attribute such as <blockquote expandable>.
                found[name] = ""
                continue
            index += 1
            while index < len(source) and source[index].isspace():
                index += 1
            if index < len(source) and source[index] in "'\"":
                quote = source[index]
                close = source.find(quote, index + 1)
                if close < 0:
                    raise self.fail(
                        f'Unclosed end of the attribute value of the tag "{tag}" at byte offset '
                        f"{_byte_offset(source, index)}"
                    )
                raw, index = source[index + 1 : close], close + 1
            else:
                start = index
                while index < len(source) and not source[index].isspace() and source[index] != ">":
                    index += 1
                raw = source[start:index]
            found[name] = _decode_value(raw)

    def end_tag(self) -> None:
        source, begin = self.source, self.pos
        close = source.find(">", begin + 2)
        if close < 0:
            raise self.fail(f"Unclosed end tag at byte offset {_byte_offset(source, begin)}")
        name = source[begin + 2 : close].strip().lower()
        if not self.stack:
            raise self.fail(f"Unexpected end tag at byte offset {_byte_offset(source, begin)}")
        opened = self.stack[-1]
        if name != opened.name:
            raise self.fail(
                f"Unmatched end tag at byte offset {_byte_offset(source, begin)}, "
                f'expected "</{opened.name}>", found "</{name}>"'
            )
        self.stack.pop()
        self.pos = close + 1
        self.close_entity(opened)

    def close_entity(self, opened: _OpenTag) -> None:
        length = self.length - opened.offset
        css_class = opened.attributes.get("class", "")
        parent = self.stack[-1] if self.stack else None
        if (
            opened.name == "code"
            and css_class.startswith("language-")
            and parent is not None
            and parent.name == "pre"
        ):
            # <pre><code class="language-x"> is one pre entity with a language, as in Telegram.
            parent.language = css_class.removeprefix("language-")
            return
        if length == 0:
            return
        entity: dict[str, Any] = {
            "type": _TAG_ENTITY_TYPES[opened.name],
            "offset": opened.offset,
            "length": length,
        }
        if opened.name == "a":
            url = opened.attributes.get("href", "")
            if not url:
                return
            entity["url"] = url
        elif opened.name == "pre" and opened.language:
            entity["language"] = opened.language
        elif opened.name == "blockquote" and "expandable" in opened.attributes:
            entity["type"] = "expandable_blockquote"
        elif opened.name == "tg-emoji":
            entity["custom_emoji_id"] = opened.attributes["emoji-id"]
        self.entities.append(entity)


def parse_html(source: str) -> ParsedText:
    """Parses text written for `parse_mode="HTML"` the way Telegram does.

    Args:
        source: The text as the bot sent it.

    Returns:
        The visible text and its entities.

    Raises:
        EntityParseError: The markup is invalid; the message is Telegram's explanation.
    """
    return _Parser(source).parse()
