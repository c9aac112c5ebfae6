"""Polite answers to anything no other handler understood: the end of the handler list."""

from __future__ import annotations

from telegram import Update

from bot.context import ChorusContext
from bot.messaging import texts

# Telegram's own limit on one message; anything longer was stitched together by a client.
MAX_TEXT_LENGTH = 4096


async def unknown_command(update: Update, context: ChorusContext) -> None:
    """Says the command is unknown and points to /help."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(texts.UNKNOWN_COMMAND)


async def text_not_understood(update: Update, context: ChorusContext) -> None:
    """Answers free text that nothing else claimed, refusing over-long messages kindly."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    if len(message.text) > MAX_TEXT_LENGTH:
        await message.reply_text(texts.TOO_LONG.format(limit=f"{MAX_TEXT_LENGTH:,}"))
        return
    await message.reply_text(texts.NOT_UNDERSTOOD)


async def non_text(update: Update, context: ChorusContext) -> None:
    """Answers stickers, voice notes, photos and other media with what to do instead."""
    message = update.effective_message
    if message is None:
        return
    kind = (
        "sticker"
        if message.sticker
        else "voice"
        if message.voice or message.audio or message.video_note
        else "photo"
        if message.photo
        else "other"
    )
    await message.reply_text(texts.NON_TEXT[kind])
