"""`/caseload`: the link worker's participants, paged; a person's timeline; a direct message."""

from __future__ import annotations

import html

from telegram import Update

from bot.context import ChorusContext
from bot.db.models import Person
from bot.messaging import staff_keyboards as keyboards
from bot.messaging import staff_texts as texts
from bot.messaging.callbacks import CallbackDataError
from bot.services import audit, broadcasts, caseload, staff_prompts
from handlers import staff_guard


async def caseload_command(update: Update, context: ChorusContext) -> None:
    """Shows the first page of the caseload."""
    checked = await staff_guard.command(update, context, "/caseload")
    if checked is None:
        return
    message, me = checked
    page = await _page(context, me, 0)
    if page.total == 0:
        await message.reply_text(texts.CASELOAD_EMPTY)
        return
    zone = context.settings.zone
    await message.reply_text(texts.caseload(page, zone), reply_markup=keyboards.caseload(page))


async def _page(context: ChorusContext, me: Person, number: int) -> caseload.Page:
    async with context.sessions.begin() as session:
        return await caseload.page(
            session,
            me,
            number,
            now=context.clock.now(),
            quiet_weeks=context.settings.caseload_quiet_weeks,
        )


async def caseload_button(update: Update, context: ChorusContext) -> None:
    """Turns a page, opens a person's timeline, or asks for a message to them."""
    checked = await staff_guard.button(update, context)
    if checked is None:
        return
    message, me, data = checked
    try:
        action, number, zone = data.part(0), data.int_part(1), context.settings.zone
    except CallbackDataError:
        await message.reply_text(texts.STALE)
        return
    if action == "page":
        page = await _page(context, me, number)
        await message.edit_text(texts.caseload(page, zone), reply_markup=keyboards.caseload(page))
        return
    try:
        async with context.sessions.begin() as session:
            if action == "view":
                person, events = await caseload.timeline(
                    session, me, number, now=context.clock.now()
                )
            else:
                person, events = await caseload.member(session, me, number), []
                await staff_prompts.expect(session, me.id, "msg", number, now=context.clock.now())
    except caseload.CaseloadError:
        await message.reply_text(texts.NOT_IN_CASELOAD)
        return
    name = caseload.first_name(person)
    if action == "view":
        await message.reply_text(
            texts.timeline(person.code, name, events, zone),
            reply_markup=keyboards.message_person(person.id),
        )
    else:
        await message.reply_text(texts.ASK_MESSAGE.format(code=person.code, name=html.escape(name)))


async def receive_message(
    update: Update, context: ChorusContext, me: Person, person_id: int, text: str
) -> None:
    """Sends the typed message to one person in the caseload."""
    message = update.effective_message
    if message is None:
        return
    if len(text) > broadcasts.MAX_TEXT_LENGTH:
        await message.reply_text(texts.MESSAGE_TOO_LONG.format(limit=broadcasts.MAX_TEXT_LENGTH))
        return
    now = context.clock.now()
    try:
        async with context.sessions.begin() as session:
            person = await caseload.member(session, me, person_id)
            await staff_prompts.clear(session, me.id)
            await audit.record(
                session, actor_id=me.id, action="person.message", now=now, subject_code=person.code
            )
    except caseload.CaseloadError:
        await message.reply_text(texts.NOT_IN_CASELOAD)
        return
    sent = (
        person.chat_id is not None
        and (await context.sender.send_text(person.chat_id, html.escape(text), bulk=False)).sent
    )
    reply = texts.MESSAGE_SENT if sent else texts.MESSAGE_NOT_SENT
    await message.reply_text(reply.format(code=person.code))
