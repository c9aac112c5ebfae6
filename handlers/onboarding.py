"""Joining: `/start`, the privacy notice, and the short profile (every step skippable).

Flow (see onboarding.mmd): /start → notice → I agree → name → area → interests → access → days
→ offer a check-in → pick something to find. "Skip the rest" jumps to the end from any step.
"""

from __future__ import annotations

import html

from telegram import CallbackQuery, Message, ReplyKeyboardRemove, Update

from bot.context import ChorusContext
from bot.db.models import Person
from bot.messaging import callbacks, keyboards, texts
from bot.messaging import journey_texts as jt
from bot.services import onboarding, people, person_settings
from bot.services.invites import InviteState
from bot.services.onboarding import ProfileStep, StartOutcome

_REFERRAL_PROBLEMS = {
    InviteState.EXPIRED: jt.REFERRAL_EXPIRED,
    InviteState.USED_UP: jt.REFERRAL_USED_UP,
    InviteState.UNKNOWN: jt.REFERRAL_UNKNOWN,
}
_CHOICES = {
    ProfileStep.INTERESTS: (jt.ASK_INTERESTS, onboarding.INTEREST_CHOICES),
    ProfileStep.ACCESS: (jt.ASK_ACCESS, onboarding.ACCESS_CHOICES),
    ProfileStep.DAYS: (jt.ASK_DAYS, {**onboarding.DAY_CHOICES, **onboarding.TIME_CHOICES}),
}


async def start(update: Update, context: ChorusContext) -> None:
    """Greets the person, applies a deep-link code, and shows the privacy notice if needed."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    payload = context.args[0] if context.args else None
    async with context.sessions.begin() as session:
        person = await people.find(session, user.id)
        if person is None:
            return
        result = await onboarding.start(
            session,
            person,
            payload,
            now=context.clock.now(),
            self_referral=context.settings.self_referral,
        )
    if result.outcome is StartOutcome.STAFF and result.role is not None:
        await message.reply_text(texts.WELCOME_STAFF.format(role=texts.ROLE_NAMES[result.role]))
    elif result.outcome is StartOutcome.WELCOME_BACK:
        await message.reply_text(texts.WELCOME_BACK)
    elif result.outcome is StartOutcome.SELF_REFERRAL_CLOSED:
        await message.reply_text(jt.SELF_REFERRAL_CLOSED)
    else:
        if result.referral is not None and result.referral in _REFERRAL_PROBLEMS:
            await message.reply_text(_REFERRAL_PROBLEMS[result.referral])
        await message.reply_text(texts.WELCOME)
        await send_notice(message, referred_by=result.link_worker_name)


async def send_notice(message: Message, *, referred_by: str | None = None) -> None:
    """Shows the privacy notice with "I agree" / "No thanks"."""
    intro = jt.REFERRED_BY.format(name=html.escape(referred_by)) if referred_by else ""
    await message.reply_text(
        intro + jt.PRIVACY_NOTICE,
        reply_markup=keyboards.consent(onboarding.PRIVACY_NOTICE_VERSION),
    )


async def consent_pressed(update: Update, context: ChorusContext) -> None:
    """Records "I agree" (then asks for a name) or "No thanks" (then keeps nothing)."""
    query = update.callback_query
    if query is None or query.message is None or not isinstance(query.message, Message):
        return
    data = callbacks.decode(query.data)
    agreed = data.part(0) == "yes"
    async with context.sessions.begin() as session:
        person = await people.find(session, query.from_user.id)
        if person is None:
            return
        already = person.consent_at is not None
        if agreed:
            current = await onboarding.consent(
                session, person, now=context.clock.now(), version=data.part(1)
            )
        else:
            current = True
            if not already:
                await onboarding.decline(session, person)
    await query.answer()
    if already:
        await query.message.reply_text(jt.ALREADY_AGREED)
    elif not current:
        await query.message.reply_text(jt.NOTICE_OUTDATED)
        await send_notice(query.message)
    elif agreed:
        await query.edit_message_reply_markup(None)
        await query.message.reply_text(jt.ASK_NAME, reply_markup=keyboards.skip_step("name"))
    else:
        await query.edit_message_reply_markup(None)
        await query.message.reply_text(jt.DECLINED)


async def ask(message: Message, step: ProfileStep | None, person: Person) -> None:
    """Sends the question for a profile step, or the closing offer when the profile is done."""
    if step is ProfileStep.NAME:
        await message.reply_text(jt.ASK_NAME, reply_markup=keyboards.skip_step(step.value))
    elif step is ProfileStep.AREA:
        await message.reply_text(jt.ASK_AREA, reply_markup=keyboards.share_location())
        await message.reply_text(jt.AREA_OR_SKIP, reply_markup=keyboards.skip_step(step.value))
    elif step is not None:
        prompt, choices = _CHOICES[step]
        chosen = onboarding.chosen(person, step)
        await message.reply_text(
            prompt, reply_markup=keyboards.multi_select(step.value, choices, chosen)
        )
    else:
        name = f", {html.escape(person.display_name)}" if person.display_name else ""
        await message.reply_text(
            jt.PROFILE_DONE.format(name=name), reply_markup=keyboards.check_in_offer()
        )


async def profile_pressed(update: Update, context: ChorusContext) -> None:
    """Handles Skip, Skip the rest, Done and the multi-select toggles of the profile."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        return
    data = callbacks.decode(query.data)
    if data.part(0) == "end":
        await _profile_end(update, query, context, data)
        return
    async with context.sessions.begin() as session:
        person = await people.find(session, query.from_user.id)
        if person is None or person.consent_at is None:
            await query.answer()
            await send_notice(query.message)
            return
        now = context.clock.now()
        step = onboarding.current_step(person, now=now)
        if step is None or step.value != data.part(0):
            await query.answer(jt.STALE_STEP)
            return
        action = data.part(1)
        if action == "t":
            onboarding.toggle(person, step, data.part(2))
            _, choices = _CHOICES[step]
            markup = keyboards.multi_select(step.value, choices, onboarding.chosen(person, step))
        following = None if action == "rest" else onboarding.next_step(step)
        if action != "t":
            onboarding.await_step(person, following, now=now)
    await query.answer()
    if action == "t":
        await query.edit_message_reply_markup(markup)
        return
    await query.edit_message_reply_markup(None)
    if step is ProfileStep.AREA:
        await query.message.reply_text(jt.SKIPPED, reply_markup=ReplyKeyboardRemove())
    await ask(query.message, following, person)


async def _profile_end(
    update: Update, query: CallbackQuery, context: ChorusContext, data: callbacks.Callback
) -> None:
    # Late imports: the check-in and search journeys build on this one.
    from handlers.checkin import start_sitting
    from handlers.suggest import suggest_from_text

    assert isinstance(query.message, Message)
    await query.answer()
    await query.edit_message_reply_markup(None)
    choice = data.part(1)
    if choice == "checkin":
        await start_sitting(context, query.message.chat.id, query.from_user.id)
    elif choice == "later":
        await query.message.reply_text(jt.PICK_TOPIC, reply_markup=keyboards.topics())
    elif choice == "find" and data.part(2) in jt.TOPIC_BUTTONS:
        await suggest_from_text(update, context, data.part(2))


async def receive_text(
    message: Message, context: ChorusContext, person_id: int, step: ProfileStep, text: str
) -> None:
    """Takes a typed answer to the profile step on screen (name, area, or own interests)."""
    async with context.sessions.begin() as session:
        person = await session.get(Person, person_id)
        if person is None:
            return
        now = context.clock.now()
        reply, advance = await _apply_text(person, step, text, context)
        following = onboarding.next_step(step) if advance else step
        if advance:
            onboarding.await_step(person, following, now=now)
    if reply:
        await message.reply_text(reply, reply_markup=ReplyKeyboardRemove() if advance else None)
    if advance:
        await ask(message, following, person)


async def _apply_text(
    person: Person, step: ProfileStep, text: str, context: ChorusContext
) -> tuple[str | None, bool]:
    if step is ProfileStep.NAME:
        name = onboarding.clean_name(text)
        if name is None:
            return jt.NAME_NOT_UNDERSTOOD, False
        onboarding.set_name(person, name)
        return None, True
    if step is ProfileStep.AREA:
        index = await context.search.get(context.clock.now())
        place = index.gazetteer.lookup(text)
        if place is None:
            return jt.AREA_UNKNOWN.format(place=html.escape(text[:40])), False
        onboarding.set_area(person, label=place.name, point=place.point)
        return jt.AREA_SAVED.format(place=html.escape(place.name)), True
    if step is ProfileStep.INTERESTS:
        added = onboarding.add_interest_words(person, text)
        words = ", ".join(html.escape(w) for w in added) or html.escape(text[:30])
        return jt.INTERESTS_ADDED.format(words=words), False
    return jt.PROFILE_BUTTONS, False


async def receive_location(update: Update, context: ChorusContext) -> None:
    """Keeps a shared location as the person's area (after consent only)."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.location is None:
        return
    point = (message.location.latitude, message.location.longitude)
    async with context.sessions.begin() as session:
        person = await people.find(session, user.id)
        if person is None or person.consent_at is None:
            if message is not None:
                await message.reply_text(jt.CONSENT_FIRST)
                await send_notice(message)
            return
        now = context.clock.now()
        step = onboarding.current_step(person, now=now)
        onboarding.set_area(person, label="your location", point=point)
        # A location shared from /settings → Area answers that question too.
        person_settings.stop_area_change(person)
        following = onboarding.next_step(ProfileStep.AREA) if step is ProfileStep.AREA else None
        if step is ProfileStep.AREA:
            onboarding.await_step(person, following, now=now)
    await message.reply_text(
        jt.AREA_SAVED.format(place="where you are"), reply_markup=ReplyKeyboardRemove()
    )
    if step is ProfileStep.AREA:
        await ask(message, following, person)
