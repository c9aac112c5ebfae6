"""`/start` and `/help`: the first words anyone hears from Chorus."""

from __future__ import annotations

import re

from telegram import Update

from bot.context import ChorusContext
from bot.db.models import Role
from bot.messaging import texts
from bot.services import people

# Telegram only passes deep-link payloads of up to 64 characters from this alphabet.
_PAYLOAD_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


async def start(update: Update, context: ChorusContext) -> None:
    """Greets the person and keeps a valid deep-link payload for onboarding."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    payload = context.args[0] if context.args else None
    valid = payload is None or bool(_PAYLOAD_RE.match(payload))
    async with context.sessions.begin() as session:
        person = await people.find(session, user.id)
        if person is None:
            return
        if valid:
            await people.record_start_payload(session, person, payload)
        role = person.role
    if not valid:
        await message.reply_text(texts.BAD_START_PAYLOAD)
    if role is Role.PARTICIPANT:
        await message.reply_text(texts.WELCOME)
    else:
        await message.reply_text(texts.WELCOME_STAFF.format(role=texts.ROLE_NAMES[role.value]))


async def help_command(update: Update, context: ChorusContext) -> None:
    """Explains, in a few lines, what this person can do."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    async with context.sessions.begin() as session:
        person = await people.find(session, user.id)
    staff = person is not None and person.is_staff
    await message.reply_text(texts.HELP_PARTICIPANT + (texts.HELP_STAFF_EXTRA if staff else ""))
