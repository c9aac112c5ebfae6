"""Where every typed message goes: the answer the bot is waiting for, or a search.

Safeguarding comes first: words that suggest risk get signposting and an alert before anything
else happens. Then, if the bot asked a question (a name, an area, a note), the text answers it;
otherwise it is a request for sessions. Other journeys register what they wait for with
`register`, keyed by the prefix they put in `person.awaiting`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from telegram import Message, Update

from bot.context import ChorusContext
from bot.db.models import Person
from bot.messaging import journey_texts as jt
from bot.messaging import texts
from bot.services import checkins, onboarding, people
from handlers import checkin, safety
from handlers import onboarding as joining

MAX_TEXT_LENGTH = 4096

AwaitingHandler = Callable[[Update, ChorusContext, Person, str], Awaitable[None]]
_AWAITING: dict[str, AwaitingHandler] = {}


def register(prefix: str, handler: AwaitingHandler) -> None:
    """Lets a journey receive the text typed while `person.awaiting` starts with `prefix`."""
    _AWAITING[prefix] = handler


def _registered(person: Person, now: datetime) -> AwaitingHandler | None:
    if not person.awaiting:
        return None
    if person.awaiting_until is not None and person.awaiting_until < now:
        return None
    for prefix, handler in _AWAITING.items():
        if person.awaiting.startswith(prefix):
            return handler
    return None


async def route_text(update: Update, context: ChorusContext) -> None:
    """Sends typed text to whatever is waiting for it, or to the catalogue search."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.text is None:
        return
    text = message.text
    if len(text) > MAX_TEXT_LENGTH:
        await message.reply_text(texts.TOO_LONG.format(limit=f"{MAX_TEXT_LENGTH:,}"))
        return
    async with context.sessions() as session:
        person = await people.find(session, user.id)
    if person is None:
        return
    now = context.clock.now()
    note_for = checkins.awaited_note(person, now=now)
    if note_for is not None:
        await checkin.receive_note(message, context, person, note_for, text)
        return
    # Staff write about safeguarding for a living ("suicide prevention talk"); only
    # participants' words are scanned.
    alert = None if person.is_staff else await safety.scan_message(context, person, text)
    if alert is not None:
        await safety.respond(context.bot, context, message.chat.id, alert)
        return
    question_for = checkins.awaited_answer(person, now=now)
    if question_for is not None:
        await checkin.receive_typed_answer(message, context, person, question_for, text)
        return
    await _dispatch(update, message, context, person, text)


async def _dispatch(
    update: Update, message: Message, context: ChorusContext, person: Person, text: str
) -> None:
    now = context.clock.now()
    hook = _registered(person, now)
    if hook is not None:
        await hook(update, context, person, text)
        return
    if not person.is_staff and person.consent_at is None:
        await message.reply_text(jt.CONSENT_FIRST)
        await joining.send_notice(message)
        return
    step = onboarding.current_step(person, now=now)
    if step is not None:
        await joining.receive_text(message, context, person.id, step, text)
        return
    from handlers.suggest import suggest_from_text  # late: the search journey builds on this

    await suggest_from_text(update, context, text)
