"""Notices when someone blocks or unblocks the bot, so nobody messages a closed door."""

from __future__ import annotations

from telegram import ChatMember, Update

from bot.context import ChorusContext
from bot.services import people


async def chat_member_changed(update: Update, context: ChorusContext) -> None:
    """Marks the person unreachable when they block the bot, reachable when they return."""
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    user_id = change.from_user.id
    status = change.new_chat_member.status
    async with context.sessions.begin() as session:
        if status in (ChatMember.BANNED, ChatMember.LEFT):
            await people.mark_unreachable(session, user_id, now=context.clock.now())
        elif status == ChatMember.MEMBER:
            await people.mark_reachable(session, user_id)
