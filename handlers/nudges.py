"""The buttons on nudges: "Still going", "Can't make it", "Yes, I went", "Start the check-in"."""

from __future__ import annotations

from telegram import Update

from bot.context import ChorusContext
from bot.messaging.callbacks import CallbackDataError, decode
from bot.messaging.nudge_messages import answer_text
from bot.services import nudges


async def nudge_answer(update: Update, context: ChorusContext) -> None:
    """Acts on a nudge button, then swaps the buttons for the answer so it cannot be re-pressed."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    try:
        callback = decode(query.data)
        nudge_id, choice = callback.int_part(0), callback.part(1)
    except CallbackDataError:
        await query.answer(answer_text(nudges.Outcome.NOT_FOR_YOU, None))
        return
    async with context.sessions.begin() as session:
        result = await nudges.answer(
            session,
            nudge_id=nudge_id,
            telegram_user_id=user.id,
            choice=choice,
            now=context.clock.now(),
        )
    reply = answer_text(result.outcome, result.title)
    if result.outcome is nudges.Outcome.NOT_FOR_YOU or query.message is None:
        await query.answer(reply)
        return
    await query.answer()
    await query.edit_message_reply_markup(reply_markup=None)
    await context.bot.send_message(query.message.chat.id, reply)
