"""Signposting and staff alerts when a check-in answer or a message suggests risk."""

from __future__ import annotations

from telegram import Bot

from bot.context import ChorusContext
from bot.db.models import Person
from bot.messaging import journey_texts as jt
from bot.services import safeguarding
from bot.services.safeguarding import Alert


async def respond(bot: Bot, context: ChorusContext, chat_id: int, alert: Alert) -> None:
    """Shows the participant where help is now, then alerts staff (once per moment)."""
    if not alert.new:
        return
    who = jt.SIGNPOST_WHO_WORKER if alert.to_link_worker else jt.SIGNPOST_WHO_TEAM
    # Straight back to the person, not queued behind any broadcast.
    await bot.send_message(chat_id, jt.SIGNPOST.format(who=who))
    items = ", ".join(reason.replace("_", " ") for reason in alert.reasons)
    what = (
        jt.STAFF_ALERT_MESSAGE
        if alert.reasons and alert.reasons[0].startswith("phrase:")
        else jt.STAFF_ALERT_ANSWERS.format(items=items)
    )
    text = jt.STAFF_ALERT.format(code=alert.participant_code, what=what)
    for staff_chat in alert.recipient_chat_ids:
        await context.sender.send_text(staff_chat, text, bulk=False)


async def scan_message(context: ChorusContext, person: Person, text: str) -> Alert | None:
    """Raises a flag if typed words suggest risk; the caller responds after committing."""
    path = context.settings.safeguarding_phrases_file or safeguarding.DEFAULT_PHRASES_FILE
    found = safeguarding.scan_text(text, safeguarding.load_phrases(path))
    if not found:
        return None
    async with context.sessions.begin() as session:
        fresh = await session.get(Person, person.id)
        if fresh is None:
            return None
        return await safeguarding.raise_flag(
            session,
            fresh,
            source="message",
            reasons=[f"phrase:{phrase}" for phrase in found],
            now=context.clock.now(),
        )
