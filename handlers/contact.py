"""Meets everyone on first contact, before any other handler runs."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.context import ChorusContext
from bot.services import people


async def register_contact(update: Update, context: ChorusContext) -> None:
    """Creates or refreshes the person behind an update from a private chat."""
    user, chat = update.effective_user, update.effective_chat
    # A my_chat_member update is Telegram telling us about a block; it is not contact.
    if user is None or user.is_bot or update.my_chat_member is not None:
        return
    if chat is not None and chat.type != ChatType.PRIVATE:
        return
    contact = people.Contact(telegram_user_id=user.id, chat_id=chat.id if chat else None)
    async with context.sessions.begin() as session:
        await people.ensure(
            session, contact, admin_ids=context.settings.admin_telegram_ids, now=context.clock.now()
        )
