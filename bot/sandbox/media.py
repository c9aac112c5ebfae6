"""Bot API methods for files: sendPhoto, sendDocument and getFile."""

from __future__ import annotations

import mimetypes
import struct
from typing import Any

from bot.sandbox.errors import bad_request
from bot.sandbox.markup import check_reply_markup
from bot.sandbox.messaging import MAX_CAPTION_LENGTH, Messaging, format_text
from bot.sandbox.params import Params, Upload
from bot.sandbox.records import StoredFile
from bot.sandbox.state import SandboxState

_JPEG_FRAME_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def image_size(content: bytes) -> tuple[int, int] | None:
    """Returns (width, height) of a PNG, GIF or JPEG image, or None for anything else.

    Telegram re-encodes photos and refuses what it cannot read; knowing the size is enough to
    tell a real image from, say, a PDF sent as a photo by mistake.
    """
    if content.startswith(b"\x89PNG\r\n\x1a\n") and len(content) >= 24:
        width, height = struct.unpack(">II", content[16:24])
        return width, height
    if content[:6] in (b"GIF87a", b"GIF89a") and len(content) >= 10:
        width, height = struct.unpack("<HH", content[6:10])
        return width, height
    if content.startswith(b"\xff\xd8"):
        index = 2
        while index + 9 <= len(content):
            if content[index] != 0xFF:
                return None
            marker = content[index + 1]
            (segment_length,) = struct.unpack(">H", content[index + 2 : index + 4])
            if marker in _JPEG_FRAME_MARKERS:
                height, width = struct.unpack(">HH", content[index + 5 : index + 9])
                return width, height
            index += 2 + segment_length
    return None


class Media:
    """sendPhoto, sendDocument and getFile, sharing delivery rules with `Messaging`."""

    def __init__(self, state: SandboxState, messaging: Messaging) -> None:
        self.state = state
        self.messaging = messaging

    def _file(self, params: Params, kind: str) -> StoredFile:
        value = params.raw(kind)
        if isinstance(value, Upload):
            if not value.content:
                raise bad_request("file must be non-empty")
            mime = value.mime_type
            if mime in (None, "application/octet-stream"):
                mime = mimetypes.guess_type(value.filename)[0] or mime
            return self.state.store_file(
                kind, value.content, file_name=value.filename, mime_type=mime
            )
        if not isinstance(value, str) or not value:
            raise bad_request(f"there is no {kind} in the request")
        if value.startswith(("http://", "https://")):
            # The sandbox has no internet, like the machines Chorus is tested on.
            raise bad_request("failed to get HTTP URL content")
        stored = self.state.files.get(value)
        if stored is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        if stored.kind != kind:
            raise bad_request(f"can't use file of type {stored.kind.title()} as {kind.title()}")
        return stored

    async def _send(self, params: Params, kind: str) -> dict[str, Any]:
        user = self.state.recipient(params.chat_id())
        stored = self._file(params, kind)
        media: dict[str, Any]
        if kind == "photo":
            size = image_size(stored.content)
            if size is None:
                raise bad_request("IMAGE_PROCESS_FAILED")
            media = {
                "photo": [
                    {
                        "file_id": stored.file_id,
                        "file_unique_id": stored.file_unique_id,
                        "file_size": len(stored.content),
                        "width": size[0],
                        "height": size[1],
                    }
                ]
            }
        else:
            document: dict[str, Any] = {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_size": len(stored.content),
            }
            if stored.file_name is not None:
                document["file_name"] = stored.file_name
            if stored.mime_type is not None:
                document["mime_type"] = stored.mime_type
            media = {"document": document}
        source = params.string("caption")
        parse_mode = params.string("parse_mode")
        caption: str | None = None
        entities: list[dict[str, Any]] = []
        if source:
            caption, entities = format_text(
                source, parse_mode, params.json_value("caption_entities")
            )
            if len(caption) > MAX_CAPTION_LENGTH:
                raise bad_request("message caption is too long")
        markup = check_reply_markup(params.json_value("reply_markup"))
        reply_to = self.messaging.reply_to(params, user.id)
        self.state.acquire_send(user.id)
        message = self.state.new_message(user.id, sender=self.state.bot, from_bot=True)
        message.source, message.parse_mode = source, parse_mode
        message.caption, message.entities = caption, entities
        message.media, message.file_id = media, stored.file_id
        message.reply_markup, message.reply_to = markup, reply_to
        return self.messaging.deliver(user, message)

    async def send_photo(self, params: Params) -> dict[str, Any]:
        """sendPhoto: an uploaded PNG, GIF or JPEG, or the file_id of a photo seen before."""
        return await self._send(params, "photo")

    async def send_document(self, params: Params) -> dict[str, Any]:
        """sendDocument: an uploaded file (bytes kept for tests) or a known document file_id."""
        return await self._send(params, "document")

    async def get_file(self, params: Params) -> dict[str, Any]:
        """getFile: the path under which a file can be downloaded."""
        stored = self.state.files.get(params.string("file_id", default="") or "")
        if stored is None:
            raise bad_request("invalid file_id")
        return stored.to_file()
