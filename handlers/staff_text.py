"""Typed text a staff member sends while the bot waits for it: routed to the right journey."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update

from bot.context import ChorusContext
from bot.db.models import Person
from bot.messaging import staff_texts as texts
from bot.services import roles, staff_prompts
from handlers import broadcast, caseload, refer, sessions

PREFIX = staff_prompts.PREFIX

Receiver = Callable[[Update, ChorusContext, Person, int, str], Awaitable[None]]

RECEIVERS: dict[str, Receiver] = {
    "bc": broadcast.receive_text,
    "bcarea": broadcast.receive_area,
    "refnote": refer.receive_note,
    "msg": caseload.receive_message,
    "move": sessions.receive_move,
    "note": sessions.receive_note,
}


async def receive(update: Update, context: ChorusContext, person: Person, text: str) -> None:
    """Hands the text to the journey that asked for it, if the person is still staff."""
    message = update.effective_message
    expected = staff_prompts.parse(person.awaiting)
    receiver = RECEIVERS.get(expected.what) if expected is not None else None
    if message is None or expected is None or receiver is None:
        return
    if not roles.allowed(person):
        async with context.sessions.begin() as session:
            await staff_prompts.clear(session, person.id)
            await roles.refuse(
                session, person, action=f"text:{expected.what}", now=context.clock.now()
            )
        await message.reply_text(texts.REFUSED)
        return
    await receiver(update, context, person, expected.target, text)
