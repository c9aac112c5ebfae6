"""`/broadcast`: choose an audience, write, preview the exact count, then send or cancel."""

from __future__ import annotations

from telegram import Update

from bot.context import ChorusContext
from bot.db.models import AudienceKind, Person
from bot.messaging import staff_broadcast_texts as texts
from bot.messaging import staff_keyboards as keyboards
from bot.messaging import staff_texts
from bot.services import broadcasts, roles, session_changes, staff_prompts
from handlers import broadcast_jobs, staff_guard


async def broadcast_command(update: Update, context: ChorusContext) -> None:
    """Asks who the message is for."""
    checked = await staff_guard.command(update, context, "/broadcast")
    if checked is not None:
        message, me = checked
        await message.reply_text(texts.CHOOSE_AUDIENCE, reply_markup=keyboards.audiences(me.role))


async def broadcast_button(update: Update, context: ChorusContext) -> None:
    """Follows an audience, session, series, Send or Cancel button."""
    checked = await staff_guard.button(update, context)
    if checked is None:
        return
    message, me, data = checked
    action, now, chat_id = data.part(0), context.clock.now(), message.chat_id
    try:
        async with context.sessions.begin() as session:
            if action == "to":
                audience = AudienceKind(data.part(1))
                if audience is AudienceKind.OCCURRENCE:
                    found = [
                        m
                        for m in await session_changes.upcoming(session, now=now, limit=30)
                        if m.booked
                    ]
                    reply = texts.CHOOSE_SESSION if found else texts.NO_SESSIONS
                    zone = context.settings.zone
                    await message.reply_text(
                        reply, reply_markup=keyboards.meetings(found[:10], zone, "bc", "occ")
                    )
                    return
                if audience is AudienceKind.SERIES:
                    series = await broadcasts.booked_series(session, now=now)
                    reply = texts.CHOOSE_SERIES if series else texts.NO_SESSIONS
                    await message.reply_text(reply, reply_markup=keyboards.series(series))
                    return
                draft = await broadcasts.start_draft(
                    session, me, audience, ref=None, chat_id=chat_id, now=now
                )
                area = audience is AudienceKind.AREA
                await staff_prompts.expect(
                    session, me.id, "bcarea" if area else "bc", draft.id, now=now
                )
                reply = texts.ASK_AREA if area else texts.ASK_TEXT
            elif action in ("occ", "series"):
                kind = AudienceKind.OCCURRENCE if action == "occ" else AudienceKind.SERIES
                ref = str(data.int_part(1))
                draft = await broadcasts.start_draft(
                    session, me, kind, ref=ref, chat_id=chat_id, now=now
                )
                await staff_prompts.expect(session, me.id, "bc", draft.id, now=now)
                reply = texts.ASK_TEXT
            elif action == "send":
                sent = await broadcasts.confirm(session, me, data.int_part(1), now=now)
                reply = texts.STARTED.format(total=sent.total)
            else:
                cancelled = await broadcasts.cancel(session, me, data.int_part(1))
                reply = texts.CANCELLED if cancelled else staff_texts.STALE
    except (broadcasts.BroadcastError, ValueError) as problem:
        text = str(problem) if isinstance(problem, broadcasts.BroadcastError) else staff_texts.STALE
        if isinstance(problem, broadcasts.AudienceRefused):
            async with context.sessions.begin() as session:
                await roles.refuse(session, me, action="bc:to:everyone", now=now)
        await message.reply_text(text)
        return
    shown = await message.reply_text(reply)
    if action == "send":
        async with context.sessions.begin() as session:
            await broadcasts.set_progress_message(session, data.int_part(1), shown.message_id)
        broadcast_jobs.wake(context.bot_data)


async def receive_area(
    update: Update, context: ChorusContext, me: Person, broadcast_id: int, text: str
) -> None:
    """Stores the typed area and asks for the message."""
    message = update.effective_message
    if message is None:
        return
    try:
        async with context.sessions.begin() as session:
            await broadcasts.set_area(session, me, broadcast_id, text)
            await staff_prompts.expect(session, me.id, "bc", broadcast_id, now=context.clock.now())
    except broadcasts.BroadcastError as problem:
        await message.reply_text(str(problem))
        return
    await message.reply_text(texts.ASK_TEXT)


async def receive_text(
    update: Update, context: ChorusContext, me: Person, broadcast_id: int, text: str
) -> None:
    """Stores the typed message and shows the preview with the exact number of recipients."""
    message = update.effective_message
    if message is None:
        return
    try:
        async with context.sessions.begin() as session:
            preview = await broadcasts.set_text(session, me, broadcast_id, text)
            await staff_prompts.clear(session, me.id)
    except broadcasts.BroadcastError as problem:
        await message.reply_text(str(problem))
        return
    await message.reply_text(
        texts.preview(preview.text, preview.recipients),
        reply_markup=keyboards.preview(broadcast_id, preview.recipients > 0),
    )
