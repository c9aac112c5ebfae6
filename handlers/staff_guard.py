"""The door every staff command and button goes through: staff pass, everyone else is refused.

A refusal is a plain message (or a button alert) and an audit event, whatever the callback
data says: buttons can be forged, so the role is read from the database every time.
"""

from __future__ import annotations

from telegram import Message, Update

from bot.context import ChorusContext
from bot.db.models import Person
from bot.messaging import staff_texts as texts
from bot.messaging.callbacks import Callback, CallbackDataError, decode
from bot.services import people, roles


async def _checked(
    update: Update, context: ChorusContext, action: str, coordinator: bool
) -> Person | None:
    user = update.effective_user
    if user is None:
        return None
    async with context.sessions.begin() as session:
        person = await people.find(session, user.id)
        if roles.allowed(person, coordinator=coordinator):
            return person
        await roles.refuse(session, person, action=action, now=context.clock.now())
    return None


def _refusal(coordinator: bool) -> str:
    return texts.REFUSED_COORDINATOR if coordinator else texts.REFUSED


async def command(
    update: Update, context: ChorusContext, action: str, *, coordinator: bool = False
) -> tuple[Message, Person] | None:
    """The message and staff member behind a staff command, or None after refusing."""
    message = update.effective_message
    if message is None:
        return None
    person = await _checked(update, context, action, coordinator)
    if person is None:
        await message.reply_text(_refusal(coordinator))
        return None
    return message, person


async def button(
    update: Update, context: ChorusContext, *, coordinator: bool = False
) -> tuple[Message, Person, Callback] | None:
    """The message, staff member and decoded data behind a staff button, or None."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        return None
    person = await _checked(update, context, (query.data or "")[:40], coordinator)
    if person is None:
        await query.answer(_refusal(coordinator), show_alert=True)
        return None
    try:
        data = decode(query.data)
        data.part(0)  # every staff button names its action
    except CallbackDataError:
        await query.answer(texts.STALE, show_alert=True)
        return None
    await query.answer()
    return query.message, person, data
