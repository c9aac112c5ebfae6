"""Check-ins: `/checkin`, one question per message edited in place, the note at the end."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Message, Update
from telegram.error import BadRequest

from bot.context import ChorusContext
from bot.db.models import CheckIn, CheckInContext, Person
from bot.messaging import callbacks, keyboards
from bot.messaging import journey_texts as jt
from bot.services import checkins, nudge_planning, people, person_settings, safeguarding
from bot.services.checkins import Outcome, Question
from bot.services.nudge_policy import NudgePolicy
from handlers import safety

log = logging.getLogger(__name__)


def render(question: Question) -> str:
    """The text of a question message: where they are, the question, and a hint."""
    q = question.questionnaire
    header = jt.CHECK_IN_HEADER.format(title=q.title, number=question.number, total=question.total)
    intro = f"\n{q.intro.strip()}" if question.number == 1 else ""
    hint = f"\n<i>{question.item.hint}</i>" if question.item.hint else ""
    return f"{header}{intro}\n\n<b>{question.item.text}</b>{hint}"


async def checkin_command(update: Update, context: ChorusContext) -> None:
    """Starts a check-in, or carries on with the unfinished one."""
    if update.effective_chat is not None and update.effective_user is not None:
        await start_sitting(context, update.effective_chat.id, update.effective_user.id)


async def start_sitting(
    context: ChorusContext,
    chat_id: int,
    telegram_user_id: int,
    *,
    kind: CheckInContext | None = None,
    keys: tuple[str, ...] | None = None,
    occurrence_id: int | None = None,
) -> CheckIn | None:
    """Sends the first (or current) question of a sitting; used by /checkin and by nudges."""
    async with context.sessions.begin() as session:
        person = await people.find(session, telegram_user_id)
        if person is None or person.consent_at is None:
            await context.bot.send_message(chat_id, jt.CONSENT_FIRST)
            return None
        now = context.clock.now()
        resumed = await checkins.in_progress(session, person.id, now=now)
        if kind is None:
            done = await checkins.has_completed_baseline(session, person.id)
            kind = CheckInContext.FOLLOW_UP if done else CheckInContext.BASELINE
        sitting = keys or checkins.sitting(swemwbs_licensed=context.settings.swemwbs_licensed)
        check_in = await checkins.begin(
            session, person, keys=sitting, context=kind, now=now, occurrence_id=occurrence_id
        )
        question = checkins.question(check_in)
        checkins.await_answer(person, check_in.id, now=now)
    if resumed is not None:
        await context.bot.send_message(chat_id, jt.CHECK_IN_RESUMING)
    assert question is not None
    sent = await context.bot.send_message(
        chat_id, render(question), reply_markup=keyboards.question(check_in.id, question.item)
    )
    async with context.sessions.begin() as session:
        row = await session.get(CheckIn, check_in.id)
        if row is not None:
            row.message_id = sent.message_id
    return check_in


async def answer_pressed(update: Update, context: ChorusContext) -> None:
    """Applies an answer if it is current and theirs, then shows the next question."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        return
    data = callbacks.decode(query.data)
    check_in_id, item, raw = data.int_part(0), data.part(1), data.part(2)
    async with context.sessions.begin() as session:
        person = await people.find(session, query.from_user.id)
        if person is None or person.consent_at is None:
            await query.answer(jt.CHECK_IN_NOT_YOURS, show_alert=True)
            return
        if raw == "stop":
            stopped = await checkins.stop_for_now(
                session, person_id=person.id, check_in_id=check_in_id
            )
            if stopped:
                person.awaiting, person.awaiting_until = None, None
            result = None
        else:
            value = None if raw == "skip" else int(raw) if raw.isdigit() else -1
            result = await checkins.answer(
                session,
                person_id=person.id,
                check_in_id=check_in_id,
                item=item,
                value=value,
                now=context.clock.now(),
                thresholds=safeguarding.parse_thresholds(context.settings.safeguarding_thresholds),
            )
            alert = await _flag(session, person, result)
            _note_what_comes_next(person, result, now=context.clock.now())
            await _plan_follow_ups(session, context, person, result)
    if result is None:
        await query.answer()
        if stopped:
            await query.edit_message_text(jt.CHECK_IN_STOPPED)
        return
    if alert is not None:
        # Where to get help comes first, before any further question.
        await safety.respond(context.bot, context, query.message.chat.id, alert)
    await _show_outcome(update, context, result, query.message)


def _note_what_comes_next(person: Person, result: checkins.AnswerResult, *, now: datetime) -> None:
    if result.check_in is None:
        return
    if result.outcome in (Outcome.NEXT, Outcome.NEXT_QUESTIONNAIRE):
        checkins.await_answer(person, result.check_in.id, now=now)
    elif result.outcome is Outcome.FINISHED:
        checkins.await_note(person, result.check_in.id, now=now)


async def _plan_follow_ups(
    session: AsyncSession, context: ChorusContext, person: Person, result: checkins.AnswerResult
) -> None:
    """A finished baseline plans the follow-up check-ins, at the person's chosen frequency."""
    check_in = result.check_in
    if result.outcome is not Outcome.FINISHED or check_in is None:
        return
    if check_in.context is not CheckInContext.BASELINE:
        return
    policy = person_settings.follow_up_policy(
        NudgePolicy.from_settings(context.settings), person.preferences or {}
    )
    await nudge_planning.plan_follow_ups(
        session,
        person.id,
        baseline_completed_at=context.clock.now(),
        policy=policy,
        now=context.clock.now(),
        check_in_id=check_in.id,
    )


async def receive_typed_answer(
    message: Message, context: ChorusContext, person: Person, check_in_id: int, text: str
) -> None:
    """Accepts a typed answer ("7", "Often") to the question on screen."""
    async with context.sessions.begin() as session:
        check_in = await session.get(CheckIn, check_in_id)
        question = checkins.question(check_in) if check_in is not None else None
        value = checkins.typed_value(question.item, text) if question is not None else None
        if question is None or value is None:
            result = None
        else:
            fresh = await session.get(Person, person.id)
            assert fresh is not None
            now = context.clock.now()
            result = await checkins.answer(
                session,
                person_id=person.id,
                check_in_id=check_in_id,
                item=question.item.id,
                value=value,
                now=now,
                thresholds=safeguarding.parse_thresholds(context.settings.safeguarding_thresholds),
            )
            alert = await _flag(session, fresh, result)
            _note_what_comes_next(fresh, result, now=now)
            await _plan_follow_ups(session, context, fresh, result)
    if result is None or result.check_in is None:
        await message.reply_text(jt.BUTTON_EXPECTED)
        return
    if result.outcome is Outcome.FINISHED:
        await message.reply_text(jt.CHECK_IN_DONE)
        await message.reply_text(jt.ASK_NOTE, reply_markup=keyboards.no_note(result.check_in.id))
    else:
        following = checkins.question(result.check_in)
        assert following is not None
        sent = await message.reply_text(
            render(following), reply_markup=keyboards.question(result.check_in.id, following.item)
        )
        async with context.sessions.begin() as session:
            row = await session.get(CheckIn, result.check_in.id)
            if row is not None:
                row.message_id = sent.message_id
    if alert is not None:
        await safety.respond(context.bot, context, message.chat.id, alert)


async def _flag(
    session: AsyncSession, person: Person, result: checkins.AnswerResult
) -> safeguarding.Alert | None:
    if not result.risk or result.check_in is None:
        return None
    check_in = result.check_in
    # A sitting's next questionnaire is a new row; the flag belongs to the one answered.
    flagged_id = check_in.id if result.outcome is not Outcome.NEXT_QUESTIONNAIRE else None
    return await safeguarding.raise_flag(
        session,
        person,
        source="check_in",
        reasons=result.risk,
        now=check_in.started_at,
        check_in_id=flagged_id,
    )


async def _show_outcome(
    update: Update, context: ChorusContext, result: checkins.AnswerResult, message: Message
) -> None:
    query = update.callback_query
    assert query is not None
    if result.outcome is Outcome.NOT_YOURS:
        log.warning("refused check-in button %r from user %s", query.data, query.from_user.id)
        await query.answer(jt.CHECK_IN_NOT_YOURS, show_alert=True)
        return
    if result.outcome is Outcome.INVALID:
        await query.answer(jt.CHECK_IN_INVALID, show_alert=True)
        return
    if result.outcome is Outcome.STALE:
        done = result.check_in is None or checkins.question(result.check_in) is None
        await query.answer(jt.CHECK_IN_FINISHED_ALREADY if done else jt.CHECK_IN_STALE)
        return
    await query.answer()
    assert result.check_in is not None
    if result.outcome is Outcome.FINISHED:
        await query.edit_message_text(jt.CHECK_IN_DONE)
        await message.reply_text(jt.ASK_NOTE, reply_markup=keyboards.no_note(result.check_in.id))
        return
    question = checkins.question(result.check_in)
    assert question is not None
    try:
        await query.edit_message_text(
            render(question), reply_markup=keyboards.question(result.check_in.id, question.item)
        )
    except BadRequest as exc:  # a double press re-renders the same question: harmless
        if "not modified" not in exc.message:
            raise
    if result.outcome is Outcome.NEXT_QUESTIONNAIRE:
        async with context.sessions.begin() as session:
            row = await session.get(CheckIn, result.check_in.id)
            if row is not None:
                row.message_id = message.message_id


async def receive_note(
    message: Message, context: ChorusContext, person: Person, check_in_id: int, text: str
) -> None:
    """Keeps the typed note, then asks whether it may be quoted anonymously."""
    alert = await safety.scan_message(context, person, text)
    async with context.sessions.begin() as session:
        fresh = await session.get(Person, person.id)
        saved = (
            await checkins.save_note(session, fresh, check_in_id=check_in_id, text=text)
            if fresh
            else None
        )
    if saved is None:
        await message.reply_text(jt.AFTER_CHECK_IN)
    else:
        await message.reply_text(jt.ASK_SHARE, reply_markup=keyboards.share_note(check_in_id))
    if alert is not None:
        await safety.respond(context.bot, context, message.chat.id, alert)


async def note_pressed(update: Update, context: ChorusContext) -> None:
    """Handles "No thanks" (no note) and the yes/no on quoting a note."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        return
    data = callbacks.decode(query.data)
    check_in_id, choice = data.int_part(0), data.part(1)
    async with context.sessions.begin() as session:
        person = await people.find(session, query.from_user.id)
        if person is None:
            await query.answer()
            return
        if choice == "none":
            if checkins.awaited_note(person, now=context.clock.now()) == check_in_id:
                person.awaiting, person.awaiting_until = None, None
            reply = jt.AFTER_CHECK_IN
        else:
            ok = await checkins.set_note_sharing(
                session, person_id=person.id, check_in_id=check_in_id, shareable=choice == "share"
            )
            reply = (
                (jt.NOTE_SHARED if choice == "share" else jt.NOTE_PRIVATE) if ok else jt.STALE_STEP
            )
    await query.answer()
    await query.edit_message_reply_markup(None)
    await query.message.reply_text(reply)
