"""The buttons on nudges: "Still going", "Can't make it", "Yes, I went", "Start the check-in"."""

from __future__ import annotations

import contextlib

from telegram import Update
from telegram.error import BadRequest

from bot.context import ChorusContext
from bot.db.models import CheckInContext
from bot.messaging.callbacks import CallbackDataError, decode
from bot.messaging.nudge_messages import answer_text
from bot.services import nudge_answers
from bot.services.nudge_answers import Outcome
from handlers import checkin

# After "did you go?", the one-question mood check (bot/questionnaires/mood.yaml).
MOOD_CHECK = ("mood",)


async def nudge_answer(update: Update, context: ChorusContext) -> None:
    """Acts on a nudge button, then swaps the buttons for the answer so it cannot be re-pressed."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    try:
        callback = decode(query.data)
        nudge_id, choice = callback.int_part(0), callback.part(1)
    except CallbackDataError:
        await query.answer(answer_text(Outcome.NOT_FOR_YOU, None))
        return
    async with context.sessions.begin() as session:
        result = await nudge_answers.answer(
            session,
            nudge_id=nudge_id,
            telegram_user_id=user.id,
            choice=choice,
            now=context.clock.now(),
        )
    reply = answer_text(result.outcome, result.title)
    if result.outcome is Outcome.NOT_FOR_YOU or query.message is None:
        await query.answer(reply, show_alert=True)
        return
    await query.answer()
    # The buttons may already be gone (a repeated or forged press): nothing to tidy then.
    with contextlib.suppress(BadRequest):
        await query.edit_message_reply_markup(reply_markup=None)
    chat_id = query.message.chat.id
    if result.outcome is Outcome.START_CHECK_IN:
        await checkin.start_sitting(context, chat_id, user.id, kind=CheckInContext.FOLLOW_UP)
        return
    await context.bot.send_message(chat_id, reply)
    if result.outcome in (Outcome.ATTENDED, Outcome.MISSED):
        went = result.outcome is Outcome.ATTENDED
        await checkin.start_sitting(
            context,
            chat_id,
            user.id,
            kind=CheckInContext.POST_SESSION if went else CheckInContext.ON_DEMAND,
            keys=MOOD_CHECK,
            occurrence_id=result.occurrence_id if went else None,
        )
