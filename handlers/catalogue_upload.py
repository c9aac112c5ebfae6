"""A CSV or JSON file sent by staff updates the catalogue; anyone else gets the usual answer."""

from __future__ import annotations

import html

from telegram import Update

from bot.context import ChorusContext
from bot.messaging import staff_texts as texts
from bot.services import catalogue_upload, people, roles
from handlers import fallback

# Shown inline; longer reports also come as a file so nothing is cut off.
ERRORS_SHOWN = 15


async def receive_document(update: Update, context: ChorusContext) -> None:
    """Imports a staff member's catalogue file and replies with the result or each row's error."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.document is None:
        return
    async with context.sessions() as session:
        person = await people.find(session, user.id)
    if not roles.allowed(person):
        await fallback.non_text(update, context)
        return
    assert person is not None
    document = message.document
    if (document.file_size or 0) > catalogue_upload.MAX_BYTES:
        await message.reply_text(texts.UPLOAD_TOO_BIG)
        return
    data = bytes(await (await document.get_file()).download_as_bytearray())
    result = await catalogue_upload.import_file(
        context.sessions, person, document.file_name, data, now=context.clock.now()
    )
    if result.applied:
        context.search.invalidate()
        summary = "\n".join(result.summary)
        await message.reply_text(
            texts.UPLOAD_DONE.format(name=html.escape(document.file_name or ""), summary=summary)
        )
        return
    lines = [texts.UPLOAD_REFUSED.format(count=len(result.errors)), *result.errors[:ERRORS_SHOWN]]
    await message.reply_text("\n".join(lines), parse_mode=None)
    if len(result.errors) > ERRORS_SHOWN:
        report = "\n".join(result.errors).encode()
        await context.sender.send_document(message.chat_id, report, "import-errors.txt")
