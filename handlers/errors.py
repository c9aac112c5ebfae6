"""The last resort: log with context, tell the person plainly, never show a traceback."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden

from bot.context import ChorusContext
from bot.messaging import texts
from bot.services import people

log = logging.getLogger(__name__)


async def on_error(update: object, context: ChorusContext) -> None:
    """Logs the failure and, where there is a chat, apologises in plain words."""
    error = context.error
    if not isinstance(update, Update):
        log.error("error outside an update", exc_info=error)
        return
    user = update.effective_user
    if isinstance(error, Forbidden) and user is not None:
        # The person blocked the bot while we were replying: note it; there is nobody to tell.
        async with context.sessions.begin() as session:
            await people.mark_unreachable(session, user.id, now=context.clock.now())
        return
    log.error(
        "error handling update %s from user %s",
        update.update_id,
        user.id if user else None,
        exc_info=error,
    )
    chat = update.effective_chat
    if chat is None:
        return
    try:
        await context.bot.send_message(chat.id, texts.SOMETHING_WENT_WRONG)
    except Exception:  # the apology itself failed; the log above already has the cause
        log.warning("could not tell chat %s about an error", chat.id, exc_info=True)
