"""`/help`: what this person can do, in a few lines (`/start` lives in onboarding)."""

from __future__ import annotations

from telegram import Update

from bot.context import ChorusContext
from bot.messaging import texts
from bot.services import people


async def help_command(update: Update, context: ChorusContext) -> None:
    """Explains, in a few lines, what this person can do."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    async with context.sessions.begin() as session:
        person = await people.find(session, user.id)
    staff = person is not None and person.is_staff
    await message.reply_text(texts.HELP_PARTICIPANT + (texts.HELP_STAFF_EXTRA if staff else ""))
