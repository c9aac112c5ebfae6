"""Photos and documents: uploads, file_id reuse, getFile and downloads in both directions."""

from __future__ import annotations

import struct
import zlib

import pytest
import telegram
from telegram.error import BadRequest

from bot.sandbox import SandboxClient
from bot.sandbox.media import image_size


def png(width: int, height: int) -> bytes:
    """A valid, tiny, grey PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_image_size_reads_png_gif_and_jpeg_headers() -> None:
    assert image_size(png(3, 2)) == (3, 2)
    assert image_size(b"GIF89a" + struct.pack("<HH", 10, 20) + b"\x00" * 4) == (10, 20)
    jpeg = (
        b"\xff\xd8"
        + b"\xff\xe0"
        + struct.pack(">H", 4)
        + b"JF"
        + b"\xff\xc0"
        + struct.pack(">HBHH", 11, 8, 48, 64)
        + b"\x00" * 6
    )
    assert image_size(jpeg) == (64, 48)
    assert image_size(b"%PDF-1.7") is None


async def test_send_document_keeps_the_bytes_and_can_be_downloaded(
    bot: telegram.Bot, client: SandboxClient, user: int
) -> None:
    content = b"code,name\nP-7K3Q,Choir\n"
    sent = await bot.send_document(
        user, content, filename="export.csv", caption="<b>CSV</b>", parse_mode="HTML"
    )
    assert sent.document is not None
    assert sent.document.file_name == "export.csv"
    assert sent.document.mime_type == "text/csv"
    assert sent.document.file_size == len(content)
    assert sent.caption == "CSV" and sent.caption_entities[0].type == "bold"
    [seen] = await client.messages(user)
    assert seen.file is not None and seen.file.content == content
    assert seen.caption == "CSV"
    file = await bot.get_file(sent.document.file_id)
    assert bytes(await file.download_as_bytearray()) == content
    again = await bot.send_document(user, sent.document.file_id)
    assert again.document is not None and again.document.file_id == sent.document.file_id


async def test_send_photo_reports_its_size(
    bot: telegram.Bot, client: SandboxClient, user: int
) -> None:
    image = png(40, 30)
    sent = await bot.send_photo(user, image, caption="Your chart")
    [size] = sent.photo
    assert (size.width, size.height) == (40, 30)
    assert sent.caption == "Your chart"
    [seen] = await client.messages(user)
    assert seen.file is not None and seen.file.kind == "photo" and seen.file.content == image


async def test_media_errors_match_telegram(bot: telegram.Bot, user: int) -> None:
    with pytest.raises(BadRequest, match="Image_process_failed"):
        await bot.send_photo(user, b"%PDF-1.7 not a picture")
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_photo(user, png(1, 1), caption="x" * 1025)
    with pytest.raises(BadRequest, match="Wrong file identifier/http url specified"):
        await bot.send_document(user, "no-such-file-id")
    with pytest.raises(BadRequest, match="Failed to get http url content"):
        await bot.send_document(user, "https://example.org/report.pdf")
    document = await bot.send_document(user, b"text", filename="a.txt")
    assert document.document is not None
    with pytest.raises(BadRequest, match="Can't use file of type document as photo"):
        await bot.send_photo(user, document.document.file_id)
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await bot.get_file("missing")


async def test_caption_of_exactly_1024_characters_is_accepted(bot: telegram.Bot, user: int) -> None:
    sent = await bot.send_photo(user, png(1, 1), caption="x" * 1024)
    assert sent.caption is not None and len(sent.caption) == 1024


async def test_documents_users_send_are_reachable_through_get_file(
    bot: telegram.Bot, client: SandboxClient, user: int
) -> None:
    await client.send_document(
        user, b"name,day\nChoir,Tue\n", "sessions.csv", mime_type="text/csv", caption="update"
    )
    [update] = await bot.get_updates()
    message = update.message
    assert message is not None and message.document is not None
    assert message.document.file_name == "sessions.csv"
    assert message.document.mime_type == "text/csv"
    assert message.caption == "update"
    file = await message.document.get_file()
    assert bytes(await file.download_as_bytearray()) == b"name,day\nChoir,Tue\n"


async def test_user_photos_stickers_and_voice_notes_arrive_as_telegram_objects(
    bot: telegram.Bot, client: SandboxClient, user: int
) -> None:
    await client.send_photo(user, png(8, 6), caption="me")
    await client.send_sticker(user, "🎶")
    await client.send_voice(user, b"OggS-voice", duration=4)
    photo, sticker, voice = await bot.get_updates()
    assert photo.message is not None and photo.message.photo[0].width == 8
    assert photo.message.caption == "me"
    assert sticker.message is not None and sticker.message.sticker is not None
    assert sticker.message.sticker.emoji == "🎶"
    assert voice.message is not None and voice.message.voice is not None
    # Read the raw field: PTB warns when `duration` is read as an int before v23.
    assert voice.message.voice.to_dict()["duration"] == 4
    voice_file = await voice.message.voice.get_file()
    assert bytes(await voice_file.download_as_bytearray()) == b"OggS-voice"
