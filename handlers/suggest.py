"""Suggestions: `/suggest`, free text the router hands over, and the buttons under each idea.

```mermaid
flowchart LR
  text["free text / /suggest"] --> page["three ideas + Show more"]
  page -- "I'll go" --> booked["confirmation + .ics"] -- "Every week" --> standing
  page -- "More like this" --> similar["ideas like it"]
  page -- "Not for me" --> remembered["ranked lower from now on"]
  page -- "Show more" --> page
```
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import CallbackQuery, Update

from bot.context import ChorusContext
from bot.messaging import booking_texts, suggestion_keyboards
from bot.messaging import suggestion_texts as texts
from bot.messaging.callbacks import CallbackDataError, decode
from bot.services import participant, suggestions
from bot.services.participant import ConsentRequired
from bot.services.suggestions import Suggestion, SuggestionPage, UnknownActivity
from handlers.bookings import book_and_confirm

__all__ = [
    "go_button",
    "more_button",
    "nope_button",
    "show_button",
    "suggest_command",
    "suggest_from_text",
]


async def suggest_command(update: Update, context: ChorusContext) -> None:
    """Suggests sessions for the words after /suggest, or for the person's interests."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return
    await _suggest(context, chat.id, user.id, " ".join(context.args or []))


async def suggest_from_text(update: Update, context: ChorusContext, text: str) -> None:
    """Suggests sessions for free text that answered no question (called by the text router)."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return
    await _suggest(context, chat.id, user.id, text)


async def _suggest(context: ChorusContext, chat_id: int, user_id: int, text: str) -> None:
    now = context.clock.now()
    index = await context.search.get(now)
    page: SuggestionPage | None = None
    try:
        async with context.sessions.begin() as session:
            person = await participant.consented(session, user_id)
            zone = participant.zone_of(person, context.settings.zone)
            query = text.strip() or suggestions.interests_query(person)
            if query:
                page = await suggestions.suggest(session, index, person=person, text=query, now=now)
    except ConsentRequired:
        await context.bot.send_message(chat_id, booking_texts.CONSENT_FIRST)
        return
    if page is None:
        # Nothing typed and no interests known: ask, with an example, rather than guess.
        await context.bot.send_message(chat_id, texts.ASK_WHAT)
        return
    await _send_page(context, chat_id, page, zone, now)


async def _send_page(
    context: ChorusContext, chat_id: int, page: SuggestionPage, zone: ZoneInfo, now: datetime
) -> None:
    if not page.suggestions:
        first = page.offset == 0
        text = texts.no_results(page.query) if first else texts.closing(page.query, has_more=False)
        await context.bot.send_message(chat_id, text)
        return
    await _send_ideas(context, chat_id, page.suggestions, zone, now)
    markup = suggestion_keyboards.show_more(page.next_offset) if page.has_more else None
    closing = texts.closing(page.query, has_more=page.has_more)
    await context.bot.send_message(chat_id, closing, reply_markup=markup)


async def _send_ideas(
    context: ChorusContext, chat_id: int, ideas: list[Suggestion], zone: ZoneInfo, now: datetime
) -> None:
    for idea in ideas:
        await context.bot.send_message(
            chat_id,
            texts.suggestion(idea, zone=zone, now=now),
            reply_markup=suggestion_keyboards.suggestion(idea.activity_id),
        )


def _number(query: CallbackQuery) -> int | None:
    """The id or offset the button carries, or None for data Chorus could not have sent."""
    try:
        return decode(query.data).int_part(0)
    except CallbackDataError:
        return None


async def go_button(update: Update, context: ChorusContext) -> None:
    """Books the next meeting of the chosen session and sends its calendar file."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    await book_and_confirm(context, query, chat.id, _number(query))


async def show_button(update: Update, context: ChorusContext) -> None:
    """Shows the next three ideas for the person's last request (remembered in the database)."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    offset, now = _number(query) or 0, context.clock.now()
    index = await context.search.get(now)
    try:
        async with context.sessions.begin() as session:
            person = await participant.consented(session, query.from_user.id)
            zone = participant.zone_of(person, context.settings.zone)
            page = await suggestions.show_more(
                session, index, person=person, offset=offset, now=now
            )
    except ConsentRequired:
        await query.answer(booking_texts.CONSENT_FIRST, show_alert=True)
        return
    await query.answer()
    await query.edit_message_reply_markup(reply_markup=None)
    if page is None:
        await context.bot.send_message(chat.id, texts.NOTHING_TO_CONTINUE)
        return
    await _send_page(context, chat.id, page, zone, now)


async def more_button(update: Update, context: ChorusContext) -> None:
    """Suggests sessions of the same kind as the one pressed."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    activity_id, now = _number(query), context.clock.now()
    index = await context.search.get(now)
    try:
        async with context.sessions.begin() as session:
            person = await participant.consented(session, query.from_user.id)
            zone = participant.zone_of(person, context.settings.zone)
            if activity_id is None:
                raise UnknownActivity("garbled button")
            title, ideas = await suggestions.more_like(
                session, index, person=person, activity_id=activity_id, now=now
            )
    except (ConsentRequired, UnknownActivity) as refusal:
        await query.answer(_refusal(refusal), show_alert=True)
        return
    await query.answer()
    if not ideas:
        await context.bot.send_message(chat.id, texts.nothing_like(title))
        return
    await context.bot.send_message(chat.id, texts.like_this(title))
    await _send_ideas(context, chat.id, ideas, zone, now)


async def nope_button(update: Update, context: ChorusContext) -> None:
    """Remembers the session is not for them and takes its buttons away."""
    query = update.callback_query
    if query is None:
        return
    activity_id = _number(query)
    try:
        async with context.sessions.begin() as session:
            person = await participant.consented(session, query.from_user.id)
            if activity_id is None:
                raise UnknownActivity("garbled button")
            title = await suggestions.not_for_me(session, person=person, activity_id=activity_id)
    except (ConsentRequired, UnknownActivity) as refusal:
        await query.answer(_refusal(refusal), show_alert=True)
        return
    await query.answer()
    await query.edit_message_text(texts.not_for_me_done(title))


def _refusal(refusal: Exception) -> str:
    if isinstance(refusal, ConsentRequired):
        return booking_texts.CONSENT_FIRST
    return texts.UNKNOWN_SESSION
