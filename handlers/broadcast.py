"""`/broadcast`: choose an audience, write, preview the exact count, then send or cancel."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, Message, Update

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


Reply = tuple[str, InlineKeyboardMarkup | None]


async def broadcast_button(update: Update, context: ChorusContext) -> None:
    """Follows an audience, session, series, Send or Cancel button."""
    checked = await staff_guard.button(update, context)
    if checked is None:
        return
    message, me, data = checked
    action, now = data.part(0), context.clock.now()
    try:
        async with context.sessions.begin() as session:
            if action == "to":
                reply = await _audience(session, context, me, AudienceKind(data.part(1)), message)
            elif action in ("occ", "series"):
                kind = AudienceKind.OCCURRENCE if action == "occ" else AudienceKind.SERIES
                reply = await _draft(session, context, me, kind, str(data.int_part(1)), message)
            elif action == "send":
                sent = await broadcasts.confirm(session, me, data.int_part(1), now=now)
                reply = texts.STARTED.format(total=sent.total), None
            else:
                cancelled = await broadcasts.cancel(session, me, data.int_part(1))
                reply = (texts.CANCELLED if cancelled else staff_texts.STALE), None
    except (broadcasts.BroadcastError, ValueError) as problem:
        text = str(problem) if isinstance(problem, broadcasts.BroadcastError) else staff_texts.STALE
        if isinstance(problem, broadcasts.AudienceRefused):
            async with context.sessions.begin() as session:
                await roles.refuse(session, me, action="bc:to:everyone", now=now)
        await message.reply_text(text)
        return
    shown = await message.reply_text(reply[0], reply_markup=reply[1])
    if action == "send":
        async with context.sessions.begin() as session:
            await broadcasts.set_progress_message(session, data.int_part(1), shown.message_id)
        broadcast_jobs.wake(context.bot_data)


async def _audience(
    session: AsyncSession,
    context: ChorusContext,
    me: Person,
    audience: AudienceKind,
    message: Message,
) -> Reply:
    """Sessions or series to pick from, or a draft waiting for its area or text."""
    now = context.clock.now()
    if audience is AudienceKind.OCCURRENCE:
        upcoming = await session_changes.upcoming(session, now=now, limit=30)
        found = [meeting for meeting in upcoming if meeting.booked][:10]
        markup = keyboards.meetings(found, context.settings.zone, "bc", "occ")
        return (texts.CHOOSE_SESSION if found else texts.NO_SESSIONS), markup
    if audience is AudienceKind.SERIES:
        series = await broadcasts.booked_series(session, now=now)
        return (texts.CHOOSE_SERIES if series else texts.NO_SESSIONS), keyboards.series(series)
    return await _draft(session, context, me, audience, None, message)


async def _draft(
    session: AsyncSession,
    context: ChorusContext,
    me: Person,
    audience: AudienceKind,
    ref: str | None,
    message: Message,
) -> Reply:
    """Starts the draft and waits for the area (area broadcasts) or the message."""
    now = context.clock.now()
    draft = await broadcasts.start_draft(
        session, me, audience, ref=ref, chat_id=message.chat_id, now=now
    )
    area = audience is AudienceKind.AREA
    await staff_prompts.expect(session, me.id, "bcarea" if area else "bc", draft.id, now=now)
    return (texts.ASK_AREA if area else texts.ASK_TEXT), None


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
