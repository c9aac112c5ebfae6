"""Staff see their own command menu (a per-chat scope); participants only ever see theirs."""

from __future__ import annotations

from telegram import Bot, BotCommand, BotCommandScopeChat, Update
from telegram.error import TelegramError

from bot.context import ChorusContext
from bot.db.models import Person, Role
from bot.services import people

_COMMON = [
    BotCommand("start", "Start or restart"),
    BotCommand("help", "What I can do"),
]
LINK_WORKER_COMMANDS = [
    *_COMMON,
    BotCommand("refer", "A referral link and QR code"),
    BotCommand("caseload", "The people referred to you"),
    BotCommand("sessions", "Cancel, move or add a note to a session"),
    BotCommand("broadcast", "Message a group of people"),
    BotCommand("review", "Check-ins, outcomes and exports"),
]
COORDINATOR_COMMANDS = [
    *LINK_WORKER_COMMANDS,
    BotCommand("invite", "Invite a link worker or coordinator"),
    BotCommand("staff", "Staff and their roles"),
]


def commands_for(role: Role) -> list[BotCommand] | None:
    """The staff menu for a role; None for participants (they get the default menu)."""
    if role is Role.COORDINATOR:
        return COORDINATOR_COMMANDS
    if role is Role.LINK_WORKER:
        return LINK_WORKER_COMMANDS
    return None


async def apply(bot: Bot, person: Person) -> None:
    """Sets (staff) or removes (participants) the person's own command menu."""
    if person.chat_id is None:
        return
    scope = BotCommandScopeChat(person.chat_id)
    wanted = commands_for(person.role)
    try:
        if wanted is None:
            await bot.delete_my_commands(scope=scope)
        else:
            await bot.set_my_commands(wanted, scope=scope)
    except TelegramError:
        # A menu is a convenience: the commands work (and are guarded) without it.
        return


async def after_start(update: Update, context: ChorusContext) -> None:
    """Runs after /start (a staff invite or ADMIN_TELEGRAM_IDS may have given a role)."""
    user = update.effective_user
    if user is None:
        return
    async with context.sessions() as session:
        person = await people.find(session, user.id)
    if person is not None and person.is_staff:
        await apply(context.bot, person)
