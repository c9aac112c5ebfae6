"""`/refer`: a referral link and QR code for one person or a clinic, with an optional note."""

from __future__ import annotations

from telegram import Update

from bot.context import ChorusContext
from bot.db.models import Person
from bot.messaging import staff_keyboards as keyboards
from bot.messaging import staff_texts as texts
from bot.messaging.callbacks import CallbackDataError
from bot.services import referrals, roles, staff_prompts
from handlers import staff_guard


async def refer_command(update: Update, context: ChorusContext) -> None:
    """Asks whether the link is for one person or a clinic."""
    checked = await staff_guard.command(update, context, "/refer")
    if checked is not None:
        await checked[0].reply_text(texts.REFER_FOR, reply_markup=keyboards.refer())


async def refer_button(update: Update, context: ChorusContext) -> None:
    """Makes the link and its QR code, or asks for the reason for referral."""
    checked = await staff_guard.button(update, context)
    if checked is None:
        return
    message, me, data = checked
    now = context.clock.now()
    if data.part(0) == "note":
        try:
            invite_id = data.int_part(1)
        except CallbackDataError:
            await message.reply_text(texts.STALE)
            return
        async with context.sessions.begin() as session:
            await staff_prompts.expect(session, me.id, "refnote", invite_id, now=now)
        await message.reply_text(texts.ASK_NOTE)
        return
    reusable = data.part(0) == "clinic"
    async with context.sessions.begin() as session:
        invite = await referrals.create(session, me, reusable=reusable, now=now)
    link = referrals.deep_link(context.bot.username, invite.code)
    assert invite.expires_at is not None
    caption = texts.REFERRAL_MADE.format(
        kind=texts.KIND_CLINIC if reusable else texts.KIND_ONE,
        until=texts.local(invite.expires_at, context.settings.zone),
        link=link,
    )
    await message.reply_photo(
        referrals.qr_png(link), caption=caption, reply_markup=keyboards.referral_note(invite.id)
    )


async def receive_note(
    update: Update, context: ChorusContext, me: Person, invite_id: int, text: str
) -> None:
    """Saves the typed reason for referral."""
    message = update.effective_message
    if message is None:
        return
    try:
        async with context.sessions.begin() as session:
            await referrals.set_note(session, me, invite_id, text)
            await staff_prompts.clear(session, me.id)
    except roles.RoleError as problem:
        await message.reply_text(str(problem))
        return
    await message.reply_text(texts.NOTE_SAVED)
