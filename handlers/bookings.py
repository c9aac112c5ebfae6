"""Bookings: "I'll go" confirmations, "Every week", `/mysessions` and its buttons.

Every button's id is checked by the bookings service against the person pressing; a refusal
is answered on the button itself and changes nothing.
"""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardMarkup, InputFile, Update

from bot.context import ChorusContext
from bot.messaging import booking_keyboards as keyboards
from bot.messaging import booking_texts as texts
from bot.messaging.booking_keyboards import BookingAction
from bot.messaging.callbacks import CallbackDataError, decode
from bot.services import booking_details, bookings, calendar, participant
from bot.services.booking_details import BookedSession
from bot.services.bookings import BookingRefused, Refusal
from bot.services.nudge_policy import NudgePolicy
from bot.services.participant import ConsentRequired

# More than this many upcoming dates would not fit comfortably on one screen of messages.
SHOWN_SESSIONS = 5


async def _refuse(query: CallbackQuery, refusal: Exception) -> None:
    if isinstance(refusal, ConsentRequired):
        await query.answer(texts.CONSENT_FIRST, show_alert=True)
    elif isinstance(refusal, BookingRefused):
        await query.answer(texts.REFUSALS[refusal.reason], show_alert=True)
    else:
        await query.answer(texts.BUTTON_NOT_UNDERSTOOD, show_alert=True)


async def _send_calendar(
    context: ChorusContext,
    chat_id: int,
    booked: BookedSession,
    caption: str = texts.CALENDAR_CAPTION,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    data = calendar.ics_file(booked, now=context.clock.now())
    name = calendar.ics_filename(booked, timezone_name=context.settings.timezone)
    document = InputFile(data, filename=name)
    await context.bot.send_document(chat_id, document, caption=caption, reply_markup=markup)


async def book_and_confirm(
    context: ChorusContext, query: CallbackQuery, chat_id: int, activity_id: int | None
) -> None:
    """Books the next meeting ("I'll go"), confirms it and sends the calendar file."""
    now, policy = context.clock.now(), NudgePolicy.from_settings(context.settings)
    try:
        async with context.sessions.begin() as session:
            person = await participant.consented(session, query.from_user.id)
            if activity_id is None:
                raise BookingRefused(Refusal.NOT_FOUND)
            result = await bookings.book_next(
                session, person_id=person.id, activity_id=activity_id, now=now, policy=policy
            )
            booked = await booking_details.booked_session(session, result.booking.id)
            zone = participant.zone_of(person, context.settings.zone)
    except (ConsentRequired, BookingRefused) as refusal:
        await _refuse(query, refusal)
        return
    await query.answer()
    if booked is None or not result.created:
        if booked is not None:
            await context.bot.send_message(
                chat_id, texts.already_booked(booked, zone=zone, now=now)
            )
        return
    series = result.later > 0
    text = texts.confirmed(booked, zone=zone, now=now, series=series)
    markup = keyboards.every_week(booked.booking_id) if series else None
    # One message: the calendar file with the confirmation under it, so nothing arrives apart.
    await _send_calendar(context, chat_id, booked, caption=text, markup=markup)


def _booking_id(query: CallbackQuery) -> int | None:
    try:
        return decode(query.data).int_part(0)
    except CallbackDataError:
        return None


async def week_button(update: Update, context: ChorusContext) -> None:
    """Books every future meeting of the series ("Every week") and takes the button away."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    booking_id, now = _booking_id(query), context.clock.now()
    policy = NudgePolicy.from_settings(context.settings)
    try:
        async with context.sessions.begin() as session:
            person = await participant.consented(session, query.from_user.id)
            if booking_id is None:
                raise BookingRefused(Refusal.NOT_FOUND)
            series = await bookings.make_standing(
                session, person_id=person.id, booking_id=booking_id, now=now, policy=policy
            )
            first = await booking_details.booked_session(session, series[0].id) if series else None
            zone = participant.zone_of(person, context.settings.zone)
    except (ConsentRequired, BookingRefused) as refusal:
        await _refuse(query, refusal)
        return
    await query.answer()
    await query.edit_message_reply_markup(reply_markup=None)
    if first:
        text = texts.every_week(first.title, first.starts_at, len(series), zone=zone, now=now)
        await context.bot.send_message(chat.id, text)


async def my_sessions(update: Update, context: ChorusContext) -> None:
    """Lists upcoming bookings, each with "Can't make it" and "Add to calendar"."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return
    now = context.clock.now()
    try:
        async with context.sessions() as session:
            person = await participant.consented(session, user.id)
            found = await booking_details.upcoming(
                session, person_id=person.id, now=now, limit=SHOWN_SESSIONS + 1
            )
            zone = participant.zone_of(person, context.settings.zone)
    except ConsentRequired:
        await context.bot.send_message(chat.id, texts.CONSENT_FIRST)
        return
    if not found:
        await context.bot.send_message(chat.id, texts.NO_SESSIONS)
        return
    await context.bot.send_message(chat.id, texts.MY_SESSIONS_HEADER)
    for booked in found[:SHOWN_SESSIONS]:
        text = texts.my_session(booked, zone=zone, now=now)
        await context.bot.send_message(
            chat.id, text, reply_markup=keyboards.my_session(booked.booking_id)
        )
    if len(found) > SHOWN_SESSIONS:
        await context.bot.send_message(chat.id, texts.MY_SESSIONS_MORE)


async def booking_button(update: Update, context: ChorusContext) -> None:
    """Cancels a booking ("Can't make it") or sends its calendar file, if it is theirs."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    try:
        data = decode(query.data)
        booking_id, action = data.int_part(0), BookingAction(data.part(1))
    except (CallbackDataError, ValueError) as refusal:
        await _refuse(query, refusal)
        return
    now = context.clock.now()
    try:
        async with context.sessions.begin() as session:
            person = await participant.consented(session, query.from_user.id)
            if action is BookingAction.CANCEL:
                await bookings.cancel_booking(
                    session, person_id=person.id, booking_id=booking_id, now=now
                )
            else:
                await bookings.owned(session, person_id=person.id, booking_id=booking_id)
            booked = await booking_details.booked_session(session, booking_id)
            zone = participant.zone_of(person, context.settings.zone)
    except (ConsentRequired, BookingRefused) as refusal:
        await _refuse(query, refusal)
        return
    await query.answer()
    if booked is None:
        return
    if action is BookingAction.CANCEL:
        await query.edit_message_text(texts.cancelled(booked, zone=zone, now=now))
    else:
        await _send_calendar(context, chat.id, booked)
