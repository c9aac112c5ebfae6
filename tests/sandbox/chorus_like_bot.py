"""A small PTB Application used to drive the sandbox end to end (not Chorus itself)."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.sandbox import SandboxServer

WELCOME_BUTTONS = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("I'll go", callback_data="go"),
            InlineKeyboardButton("Not for me", callback_data="no"),
        ],
        [InlineKeyboardButton("Website", url="https://example.org/choir")],
    ]
)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Welcomes the person with buttons."""
    assert update.message is not None
    await update.message.reply_text(
        "<b>Welcome</b> to the choir &amp; friends", parse_mode="HTML", reply_markup=WELCOME_BUTTONS
    )


async def where(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Asks for a location with a reply keyboard."""
    assert update.message is not None
    keyboard = ReplyKeyboardMarkup([[KeyboardButton("Send my location", request_location=True)]])
    await update.message.reply_text("Where are you?", reply_markup=keyboard)


async def burst(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Sends five messages at once, to meet flood control."""
    assert update.effective_chat is not None
    for number in range(1, 6):
        await context.bot.send_message(update.effective_chat.id, f"burst {number}")


async def choose(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers a press and replaces the buttons with the choice."""
    query = update.callback_query
    assert query is not None
    await query.answer("Noted")
    await query.edit_message_text(f"You chose {query.data}")


async def located(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Confirms a shared location and removes the keyboard."""
    assert update.message is not None and update.message.location is not None
    place = update.message.location
    await update.message.reply_text(
        f"Location {place.latitude:.2f}, {place.longitude:.2f}", reply_markup=ReplyKeyboardRemove()
    )


async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Sends the file back in capitals."""
    assert update.message is not None and update.message.document is not None
    file = await update.message.document.get_file()
    content = bytes(await file.download_as_bytearray())
    await update.message.reply_document(content.upper(), filename="shout.txt")


async def other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Says plainly that stickers and voice notes cannot be read."""
    assert update.message is not None
    await update.message.reply_text("I can only read words.")


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Repeats text in bold."""
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(f"<b>{html.escape(update.message.text)}</b>", parse_mode="HTML")


@asynccontextmanager
async def running_bot(
    server: SandboxServer, *, rate_limiter: AIORateLimiter | None = None
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """Runs the bot with long polling against the sandbox until the block ends."""
    builder = (
        ApplicationBuilder()
        .token(server.token)
        .base_url(server.base_url)
        .base_file_url(server.base_file_url)
    )
    if rate_limiter is not None:
        # PTB types a fresh builder as having no rate limiter; adding one changes its type.
        builder = builder.rate_limiter(rate_limiter)  # type: ignore[arg-type]
    app = builder.build()
    app.add_handlers(
        [
            CommandHandler("start", start),
            CommandHandler("where", where),
            CommandHandler("burst", burst),
            CallbackQueryHandler(choose),
            MessageHandler(filters.LOCATION, located),
            MessageHandler(filters.Document.ALL, document),
            MessageHandler(filters.Sticker.ALL | filters.VOICE, other),
            MessageHandler(filters.TEXT & ~filters.COMMAND, echo),
        ]
    )
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(timeout=1)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
