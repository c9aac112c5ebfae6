"""Turning a nudge cleared for delivery into the message and buttons a person sees."""

from __future__ import annotations

from datetime import datetime, timedelta
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.models import NudgeKind, OccurrenceStatus
from bot.messaging import nudge_texts as texts
from bot.messaging.callbacks import encode
from bot.services.digest import Digest
from bot.services.nudge_answers import Answer, Outcome
from bot.services.nudge_delivery import Delivery, SessionFacts


def when(starts_at: datetime, now: datetime) -> str:
    """'today at 10:00', 'tomorrow at 18:30' or 'on Friday 4 December at 10:00', local time.

    `starts_at` is already in the person's zone; `now` is converted to the same zone.
    """
    local_now = now.astimezone(starts_at.tzinfo)
    clock = starts_at.strftime("%H:%M")
    if starts_at.date() == local_now.date():
        return texts.TODAY.format(time=clock)
    if starts_at.date() == local_now.date() + timedelta(days=1):
        return texts.TOMORROW.format(time=clock)
    day = f"{starts_at:%A} {starts_at.day} {starts_at:%B}"
    return texts.ON_DAY.format(day=day, time=clock)


def _buttons(nudge_id: int, *pairs: tuple[str, Answer]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(label, callback_data=encode("nudge", nudge_id, answer.value))
                for label, answer in pairs
            ]
        ]
    )


def _session_fields(facts: SessionFacts, now: datetime) -> dict[str, str]:
    return {
        "title": escape(facts.title),
        "when": when(facts.starts_at, now),
        "venue": texts.AT_VENUE.format(venue=escape(facts.venue)) if facts.venue else "",
        "note": texts.NOTE.format(note=escape(facts.note)) if facts.note else "",
    }


def _digest(found: Digest) -> str:
    lines = [texts.DIGEST_TITLE]
    if found.new_referrals:
        lines.append(texts.DIGEST_REFERRALS.format(codes=", ".join(found.new_referrals)))
    if found.new_flags:
        lines.append(texts.DIGEST_FLAGS.format(codes=", ".join(found.new_flags)))
    if found.open_flags:
        lines.append(texts.DIGEST_OPEN_FLAGS.format(count=found.open_flags))
    if found.no_shows:
        items = ", ".join(f"{code} ({escape(title)})" for code, title in found.no_shows)
        lines.append(texts.DIGEST_NO_SHOWS.format(items=items))
    return "\n".join([*lines, "", texts.DIGEST_FOOTER])


def render(delivery: Delivery, *, now: datetime) -> tuple[str, InlineKeyboardMarkup | None]:
    """The text (HTML) and buttons for a nudge."""
    if delivery.kind is NudgeKind.DIGEST:
        assert delivery.digest is not None
        return _digest(delivery.digest), None
    if delivery.kind is NudgeKind.CHECK_IN_DUE:
        return texts.CHECK_IN_DUE, _buttons(
            delivery.nudge_id, (texts.START_CHECK_IN, Answer.CHECK_IN)
        )
    assert delivery.session is not None
    fields = _session_fields(delivery.session, now)
    if delivery.kind is NudgeKind.SESSION_REMINDER:
        return texts.REMINDER.format(**fields), _buttons(
            delivery.nudge_id,
            (texts.STILL_GOING, Answer.GOING),
            (texts.CANT_MAKE_IT, Answer.CANCEL),
        )
    if delivery.kind is NudgeKind.AFTER_SESSION:
        return texts.AFTER_SESSION.format(**fields), _buttons(
            delivery.nudge_id, (texts.WENT, Answer.WENT), (texts.DID_NOT_GO, Answer.MISSED)
        )
    if delivery.session.status is OccurrenceStatus.CANCELLED:
        return texts.CANCELLED.format(**fields), None
    return texts.MOVED.format(**fields), None


ANSWER_TEXTS = {
    Outcome.STILL_GOING: texts.ANSWER_STILL_GOING,
    Outcome.CANCELLED: texts.ANSWER_CANCELLED,
    Outcome.ALREADY_CANCELLED: texts.ANSWER_ALREADY_CANCELLED,
    Outcome.TOO_LATE: texts.ANSWER_TOO_LATE,
    Outcome.ATTENDED: texts.ANSWER_ATTENDED,
    Outcome.MISSED: texts.ANSWER_MISSED,
    Outcome.ALREADY_ANSWERED: texts.ANSWER_ALREADY_ANSWERED,
    Outcome.START_CHECK_IN: texts.ANSWER_CHECK_IN,
    Outcome.NOT_FOR_YOU: texts.ANSWER_STALE,
}


def answer_text(outcome: Outcome, title: str | None) -> str:
    """What the bot says after a nudge button is pressed."""
    return ANSWER_TEXTS[outcome].format(title=escape(title or "the session"))
