"""`/review` for link workers and coordinators: summary, outcomes, exports, charts and logs.

The steps are drawn in ``review.mmd`` beside this file. Each handler reads the update, calls
one use case in ``bot.services.reviews`` and renders the result; refusals are plain messages.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.context import ChorusContext
from bot.messaging import review_keyboards as keyboards
from bot.messaging import review_texts as texts
from bot.messaging.callbacks import Callback, CallbackDataError, decode
from bot.services import review_files, reviews
from bot.services.report_cohorts import ReportRefused

T = TypeVar("T")


async def review_command(update: Update, context: ChorusContext) -> None:
    """Starts a review, or jumps straight to dates, a cohort, a person's or a session's log."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    try:
        await _command(message, context, user.id, reviews.parse_command(context.args or []))
    except ReportRefused as refusal:
        await message.reply_text(str(refusal))


async def review_button(update: Update, context: ChorusContext) -> None:
    """Follows a review button; the service checks the person and the tokens again."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or not isinstance(query.message, Message):
        return
    try:
        data = decode(query.data)
    except CallbackDataError:
        await query.answer(texts.STALE_BUTTON, show_alert=True)
        return
    await query.answer()
    try:
        await _follow(query.message, context, user.id, data)
    except (ReportRefused, CallbackDataError) as refusal:
        text = str(refusal) if isinstance(refusal, ReportRefused) else texts.STALE_BUTTON
        await query.message.reply_text(text)


async def _command(
    message: Message, context: ChorusContext, user_id: int, command: reviews.ReviewCommand
) -> None:
    if command.kind in ("person", "session"):
        subject = command.code or str(command.occurrence)
        await _send_log(message, context, user_id, command.kind[0], subject, 1)
    elif command.kind == "cohorts":
        await _send_cohorts(message, context, user_id, command.period, edit=False)
    elif command.kind == "summary":
        await _send_summary(message, context, user_id, command.period, command.cohort, edit=False)
    else:
        now = context.clock.now()
        await _transaction(context, lambda session: reviews.open_review(session, user_id, now=now))
        await message.reply_text(texts.CHOOSE_PERIOD, reply_markup=keyboards.periods())


async def _transaction(context: ChorusContext, call: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Runs one service call, committing even when it refuses so the refusal stays audited."""
    async with context.sessions.begin() as session:
        try:
            return await call(session)
        except ReportRefused as refusal:
            refused = refusal
    raise refused


async def _follow(message: Message, context: ChorusContext, user_id: int, data: Callback) -> None:
    step = data.part(0)
    if step == "p":
        await _send_cohorts(message, context, user_id, data.part(1), edit=True)
    elif step == "s":
        await _send_summary(message, context, user_id, data.part(1), data.part(2), edit=True)
    elif step == "x":
        await _action(message, context, user_id, data.part(1), data.part(2), data.part(3))
    elif step in ("lp", "ls"):
        await _send_log(message, context, user_id, step[1], data.part(1), data.int_part(2), True)
    else:
        raise CallbackDataError(f"unknown review step {step!r}")


async def _send_cohorts(
    message: Message, context: ChorusContext, user_id: int, period: str, *, edit: bool
) -> None:
    now = context.clock.now()
    label = reviews.period_label(period, context.settings, now)
    choices = await _transaction(
        context, lambda session: reviews.cohort_choices(session, user_id, now=now)
    )
    text = texts.CHOOSE_COHORT.format(period=label)
    markup = keyboards.cohorts(period, choices)
    await _show(message, text, markup, edit=edit)


async def _send_summary(
    message: Message, context: ChorusContext, user_id: int, period: str, cohort: str, *, edit: bool
) -> None:
    now, settings = context.clock.now(), context.settings
    view = await _transaction(
        context,
        lambda session: reviews.summary(
            session, user_id, period, cohort, now=now, settings=settings
        ),
    )
    text = texts.summary_text(view)
    markup = None if view.summary.suppressed else keyboards.summary_actions(period, cohort)
    await _show(message, text, markup, edit=edit)


async def _action(
    message: Message, context: ChorusContext, user_id: int, action: str, period: str, cohort: str
) -> None:
    now, settings, chat_id = context.clock.now(), context.settings, message.chat_id
    if action not in (*keyboards.ACTIONS, keyboards.HTML_ACTION):
        raise CallbackDataError(f"unknown review action {action!r}")
    if action == "csv":
        files = await _transaction(
            context,
            lambda session: reviews.csv_export(
                session, user_id, period, cohort, now=now, settings=settings
            ),
        )
    else:
        report = await _transaction(
            context,
            lambda session: reviews.report(
                session, user_id, period, cohort, now=now, settings=settings, purpose=action
            ),
        )
        if action == "o":
            await message.reply_text(texts.outcomes_text(report))
            return
        files = await review_files.report_files(report, action, settings)
    if not files:
        await message.reply_text(texts.NO_CHART)
    for file in files:
        await context.sender.send_document(
            chat_id, file.data, file.filename, caption=texts.caption(file)
        )


async def _send_log(
    message: Message,
    context: ChorusContext,
    user_id: int,
    kind: str,
    subject: str,
    page: int,
    edit: bool = False,
) -> None:
    now = context.clock.now()
    if kind == "p":
        shown = await _transaction(
            context, lambda session: reviews.person_log(session, user_id, subject, page, now=now)
        )
    elif subject.isdigit():
        occurrence = int(subject)
        shown = await _transaction(
            context,
            lambda session: reviews.session_log(session, user_id, occurrence, page, now=now),
        )
    else:
        raise CallbackDataError(f"{subject!r} is not a session number")
    markup = keyboards.log_pages(f"l{kind}", subject, shown)
    await _show(message, texts.log_text(shown), markup, edit=edit)


async def _show(
    message: Message, text: str, markup: InlineKeyboardMarkup | None, *, edit: bool
) -> None:
    """Replaces the message a button was on, or replies; a double press changes nothing."""
    if not edit:
        await message.reply_text(text, reply_markup=markup)
        return
    try:
        await message.edit_text(text, reply_markup=markup)
    except BadRequest as exc:
        # Pressing the same button twice asks for the same text; Telegram refuses the no-op.
        if "not modified" not in exc.message.lower():
            raise
