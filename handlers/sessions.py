"""`/sessions`: pick a meeting and cancel it, move it, or add a note for everyone booked."""

from __future__ import annotations

from telegram import Update

from bot.context import ChorusContext
from bot.db.models import Person
from bot.messaging import staff_keyboards as keyboards
from bot.messaging import staff_texts as texts
from bot.messaging.callbacks import CallbackDataError
from bot.services import broadcasts, session_changes, staff_prompts
from bot.services.nudge_policy import NudgePolicy
from handlers import broadcast_jobs, staff_guard


async def sessions_command(update: Update, context: ChorusContext) -> None:
    """Lists the next two weeks' meetings (filtered by any words typed after the command)."""
    checked = await staff_guard.command(update, context, "/sessions")
    if checked is None:
        return
    message, _ = checked
    words = " ".join(context.args or [])
    async with context.sessions() as session:
        found = await session_changes.upcoming(session, now=context.clock.now(), words=words)
    if not found:
        await message.reply_text(texts.SESSIONS_NONE)
        return
    markup = keyboards.meetings(found, context.settings.zone, "ses", "open")
    await message.reply_text(texts.SESSIONS_HEAD, reply_markup=markup)


async def sessions_button(update: Update, context: ChorusContext) -> None:
    """Shows a meeting's change menu, confirms and applies a cancellation, or asks for text."""
    checked = await staff_guard.button(update, context)
    if checked is None:
        return
    message, me, data = checked
    zone, now = context.settings.zone, context.clock.now()
    try:
        action, occurrence_id = data.part(0), data.int_part(1)
        async with context.sessions.begin() as session:
            if action == "yes":
                booked = await session_changes.cancel(session, me, occurrence_id, now=now)
                reply, markup = texts.CANCELLED.format(booked=booked), None
            elif action in ("move", "note"):
                await session_changes.meeting(session, occurrence_id)
                await staff_prompts.expect(session, me.id, action, occurrence_id, now=now)
                reply = texts.ASK_MOVE if action == "move" else texts.ASK_SESSION_NOTE
                markup = None
            elif action == "cancel":
                meeting = await session_changes.meeting(session, occurrence_id)
                reply = texts.confirm_cancel(meeting, zone)
                markup = keyboards.confirm_cancel(occurrence_id)
            else:
                meeting = await session_changes.meeting(session, occurrence_id)
                reply, markup = (
                    texts.meeting_text(meeting, zone),
                    keyboards.change_menu(occurrence_id),
                )
    except (session_changes.ChangeError, CallbackDataError) as problem:
        stale = isinstance(problem, CallbackDataError)
        await message.reply_text(texts.STALE if stale else str(problem))
        return
    await message.reply_text(reply, reply_markup=markup)


async def receive_move(
    update: Update, context: ChorusContext, me: Person, occurrence_id: int, text: str
) -> None:
    """Moves the meeting to the typed time or venue."""
    message = update.effective_message
    if message is None:
        return
    zone = context.settings.zone
    try:
        async with context.sessions.begin() as session:
            meeting = await session_changes.move(
                session,
                me,
                occurrence_id,
                text,
                zone=zone,
                policy=NudgePolicy.from_settings(context.settings),
                now=context.clock.now(),
            )
            await staff_prompts.clear(session, me.id)
    except session_changes.ChangeError as problem:
        await message.reply_text(str(problem))
        return
    await message.reply_text(texts.moved(meeting, zone))


async def receive_note(
    update: Update, context: ChorusContext, me: Person, occurrence_id: int, text: str
) -> None:
    """Stores the note and sends it to everyone booked."""
    message = update.effective_message
    if message is None:
        return
    try:
        async with context.sessions.begin() as session:
            count = await session_changes.add_note(
                session,
                me,
                occurrence_id,
                text,
                chat_id=message.chat_id,
                zone=context.settings.zone,
                now=context.clock.now(),
            )
            await staff_prompts.clear(session, me.id)
    except (session_changes.ChangeError, broadcasts.BroadcastError) as problem:
        await message.reply_text(str(problem))
        return
    if count:
        broadcast_jobs.wake(context.bot_data)
    reply = texts.NOTE_SENT.format(count=count) if count else texts.NOTE_NOBODY
    await message.reply_text(reply)
