"""`/settings`: one message, edited in place, with a button for every choice.

Callback data: ``set:m`` the menu, ``set:o:<setting>`` a setting's choices,
``set:p:<setting>:<value>`` a choice, ``set:a`` a new area, ``set:x`` done. The service
checks every choice again; a typed area arrives through the text router, which calls
`receive_area_text` while ``person.awaiting`` is ``settings:area``.

```mermaid
flowchart LR
  settings["/settings"] --> menu
  menu -- "Reminders, Quiet hours, Check-ins, Language" --> choices -- pick --> menu
  menu -- Area --> ask["type a town or share location"] --> menu
  menu -- Done --> closed
```
"""

from __future__ import annotations

import html

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import BadRequest

from bot.context import ChorusContext
from bot.db.models import Person
from bot.messaging import keyboards
from bot.messaging import settings_texts as texts
from bot.messaging.callbacks import Callback, CallbackDataError, decode, encode
from bot.services import person_settings as service
from bot.services.nudge_policy import NudgePolicy

PREFIX = "set"
Screen = tuple[str, InlineKeyboardMarkup | None]


def _policy(context: ChorusContext) -> NudgePolicy:
    return NudgePolicy.from_settings(context.settings)


def _label(setting: str, key: str, policy: NudgePolicy) -> str:
    if setting == "ci" and key == "usual":
        weeks = [str(week) for week in policy.follow_up_weeks]
        if not weeks:
            return texts.NO_FOLLOW_UPS
        spoken = weeks[0] if len(weeks) == 1 else ", ".join(weeks[:-1]) + " and " + weeks[-1]
        return texts.CHOICES["ci"]["usual"].format(weeks=spoken)
    return texts.CHOICES[setting][key]


def _button(label: str, *parts: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=encode(PREFIX, *parts))


def _or_usual(setting: str, key: str | None, policy: NudgePolicy, usual: str) -> str:
    return _label(setting, key, policy) if key else usual


def menu(shown: service.PersonSettings, policy: NudgePolicy, *, saved: bool = False) -> Screen:
    """The settings summary with one button per setting."""
    area = texts.SHARED_LOCATION if shown.has_location else texts.NO_AREA
    text = texts.MENU.format(
        reminders=_or_usual("rem", shown.reminders, policy, texts.USUAL_REMINDERS),
        quiet_hours=_or_usual("quiet", shown.quiet_hours, policy, texts.USUAL_QUIET_HOURS),
        check_ins=_label("ci", shown.check_ins, policy),
        language=_label("lang", shown.language, policy),
        area=html.escape(shown.area) if shown.area else area,
    )
    buttons = [_button(label, "o", key) for key, label in texts.MENU_BUTTONS.items()]
    buttons[-1] = _button(texts.MENU_BUTTONS["area"], "a")
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows[-1].append(_button(texts.DONE_BUTTON, "x"))
    return (texts.SAVED if saved else "") + text, InlineKeyboardMarkup(rows)


def choices(setting: str, shown: service.PersonSettings, policy: NudgePolicy) -> Screen:
    """One setting's question, its choices (a tick on the current one) and Back."""
    current = {"rem": shown.reminders, "quiet": shown.quiet_hours, "ci": shown.check_ins}.get(
        setting, shown.language
    )
    rows = [
        [
            _button(
                ("✓ " if key == current else "") + _label(setting, key, policy), "p", setting, key
            )
        ]
        for key in texts.CHOICES[setting]
    ]
    rows.append([_button(texts.BACK_BUTTON, "m")])
    return texts.ASK[setting], InlineKeyboardMarkup(rows)


async def settings_command(update: Update, context: ChorusContext) -> None:
    """Shows the person's settings with a button for each."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    async with context.sessions.begin() as session:
        try:
            person = await service.for_person(session, user.id)
        except service.NeedsConsent:
            await message.reply_text(texts.CONSENT_FIRST)
            return
        service.stop_area_change(person)
        policy = _policy(context)
        text, markup = menu(service.read(person, policy), policy)
    await message.reply_text(text, reply_markup=markup)


async def settings_button(update: Update, context: ChorusContext) -> None:
    """Follows a settings button and edits the same message to the next screen."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or not isinstance(query.message, Message):
        return
    try:
        data = decode(query.data)
        text, markup = await _follow(data, context, user.id)
    except (CallbackDataError, service.UnknownChoice):
        await query.answer(texts.EXPIRED, show_alert=True)
        return
    except service.NeedsConsent:
        await query.answer(texts.CONSENT_FIRST, show_alert=True)
        return
    await query.answer()
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as error:
        # An old copy of the same screen pressed again: nothing to change, nothing to say.
        if "not modified" not in error.message.lower():
            raise
    if data.part(0) == "a":
        await query.message.reply_text(texts.LOCATION_HINT, reply_markup=keyboards.share_location())


async def _follow(data: Callback, context: ChorusContext, user_id: int) -> Screen:
    policy, now = _policy(context), context.clock.now()
    step = data.part(0)
    async with context.sessions.begin() as session:
        person = await service.for_person(session, user_id)
        if step == "p":
            setting, value = data.part(1), data.part(2)
            await service.choose(session, person, setting, value, policy=policy, now=now)
            return menu(service.read(person, policy), policy, saved=True)
        if step == "o" and data.part(1) in texts.ASK:
            return choices(data.part(1), service.read(person, policy), policy)
        if step == "a":
            service.start_area_change(person, now=now)
            return texts.ASK_AREA, InlineKeyboardMarkup([[_button(texts.BACK_BUTTON, "m")]])
        service.stop_area_change(person)
        if step == "m":
            return menu(service.read(person, policy), policy)
        if step == "x":
            return texts.CLOSED, None
    raise CallbackDataError(f"unknown settings step {step!r}")


async def receive_area_text(
    update: Update, context: ChorusContext, person: Person, text: str
) -> None:
    """Takes a typed town or postcode district as the person's new area.

    The text router calls this while ``person.awaiting`` is ``settings:area``; the person is
    loaded again here, inside the transaction that changes them.
    """
    message = update.effective_message
    if message is None:
        return
    index = await context.search.get(context.clock.now())
    place = index.gazetteer.lookup(text[:100])
    if place is None:
        # "Back" stops waiting for a place, so the next message is read as usual again.
        back = InlineKeyboardMarkup([[_button(texts.BACK_BUTTON, "m")]])
        unknown = texts.AREA_UNKNOWN.format(place=html.escape(text[:40]))
        await message.reply_text(unknown, reply_markup=back)
        return
    policy = _policy(context)
    async with context.sessions.begin() as session:
        try:
            fresh = await service.for_person(session, person.telegram_user_id)
        except service.NeedsConsent:
            await message.reply_text(texts.CONSENT_FIRST)
            return
        service.set_area(fresh, label=place.name, point=place.point)
        screen, markup = menu(service.read(fresh, policy), policy)
    saved = texts.AREA_SAVED.format(place=html.escape(place.name))
    await message.reply_text(saved, reply_markup=ReplyKeyboardRemove())
    await message.reply_text(screen, reply_markup=markup)
