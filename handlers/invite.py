"""`/invite` and `/staff` for coordinators: invite staff with a one-time link, remove a role."""

from __future__ import annotations

import html

from telegram import Update

from bot.context import ChorusContext
from bot.db.models import Person, Role
from bot.messaging import staff_keyboards as keyboards
from bot.messaging import staff_texts as texts
from bot.messaging.callbacks import CallbackDataError
from bot.services import referrals, roles
from handlers import staff_guard, staff_menu


async def invite_command(update: Update, context: ChorusContext) -> None:
    """Asks which role the new staff member should have."""
    checked = await staff_guard.command(update, context, "/invite", coordinator=True)
    if checked is not None:
        await checked[0].reply_text(texts.CHOOSE_ROLE, reply_markup=keyboards.roles())


async def staff_command(update: Update, context: ChorusContext) -> None:
    """Lists staff, with a button to remove each one's role."""
    checked = await staff_guard.command(update, context, "/staff", coordinator=True)
    if checked is None:
        return
    message, me = checked
    async with context.sessions() as session:
        everyone = await roles.staff(session)
    lines = "\n".join(_line(p) for p in everyone)
    await message.reply_text(
        texts.STAFF_LIST.format(lines=lines), reply_markup=keyboards.staff_list(everyone, me)
    )


def _line(person: Person) -> str:
    name = html.escape((person.display_name or "").split(" ")[0])
    role = texts.ROLE_LABELS.get(person.role.value, person.role.value)
    return texts.STAFF_LINE.format(code=person.code, name=name, role=role)


async def staff_button(update: Update, context: ChorusContext) -> None:
    """Makes an invitation link, or removes a role."""
    checked = await staff_guard.button(update, context, coordinator=True)
    if checked is None:
        return
    message, me, data = checked
    now = context.clock.now()
    try:
        async with context.sessions.begin() as session:
            if data.part(0) == "inv":
                invite = await roles.invite_staff(session, me, Role(data.part(1)), now=now)
                link = referrals.deep_link(context.bot.username, invite.code)
                text = texts.INVITE_MADE.format(
                    role=texts.ROLE_LABELS[invite.role.value].lower(),
                    until=texts.local(now + roles.STAFF_INVITE_LIFETIME, context.settings.zone),
                    link=link,
                )
                removed = None
            else:
                removed = await roles.remove_role(
                    session,
                    me,
                    data.int_part(1),
                    now=now,
                    admin_ids=context.settings.admin_telegram_ids,
                )
                text = texts.ROLE_REMOVED.format(code=removed.code)
    except (roles.RoleError, CallbackDataError, ValueError) as problem:
        await message.reply_text(
            str(problem) if isinstance(problem, roles.RoleError) else texts.STALE
        )
        return
    if removed is not None:
        await staff_menu.apply(context.bot, removed)
    await message.reply_text(text)
