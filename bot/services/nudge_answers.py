"""What happens when a nudge's button is pressed: "Still going", "Can't make it", "Yes, I went".

Callback data is never trusted: the nudge must belong to the person pressing, be of a kind
that carries that button, and still make sense (a booking already cancelled, a session that
has started, attendance already given are each answered plainly and change nothing).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    ActivityRow,
    Booking,
    BookingStatus,
    Nudge,
    NudgeKind,
    OccurrenceRow,
    Person,
)
from bot.services import bookings


class Answer(enum.StrEnum):
    """The buttons a nudge can carry (the last part of ``nudge:<id>:<answer>``)."""

    GOING = "going"
    CANCEL = "cancel"
    WENT = "went"
    MISSED = "missed"
    CHECK_IN = "checkin"


# Which buttons each kind of nudge carries; anything else is forged or stale.
BUTTONS: dict[NudgeKind, tuple[Answer, ...]] = {
    NudgeKind.SESSION_REMINDER: (Answer.GOING, Answer.CANCEL),
    NudgeKind.AFTER_SESSION: (Answer.WENT, Answer.MISSED),
    NudgeKind.CHECK_IN_DUE: (Answer.CHECK_IN,),
}


class Outcome(enum.StrEnum):
    STILL_GOING = "still_going"
    CANCELLED = "cancelled"
    ALREADY_CANCELLED = "already_cancelled"
    TOO_LATE = "too_late"
    ATTENDED = "attended"
    MISSED = "missed"
    ALREADY_ANSWERED = "already_answered"
    START_CHECK_IN = "start_check_in"
    NOT_FOR_YOU = "not_for_you"


@dataclass(frozen=True, slots=True)
class AnswerResult:
    """What a button press did, for the handler to say so."""

    outcome: Outcome
    title: str | None = None
    person_id: int | None = None
    occurrence_id: int | None = None


async def answer(
    session: AsyncSession, *, nudge_id: int, telegram_user_id: int, choice: str, now: datetime
) -> AnswerResult:
    """Acts on a nudge button pressed by `telegram_user_id`.

    Args:
        nudge_id: from the callback data (untrusted).
        telegram_user_id: who pressed.
        choice: the button's answer (untrusted).
        now: the current time.
    """
    nudge = await session.get(Nudge, nudge_id)
    person = await session.scalar(select(Person).where(Person.telegram_user_id == telegram_user_id))
    if nudge is None or person is None or nudge.person_id != person.id:
        return AnswerResult(Outcome.NOT_FOR_YOU)
    if choice not in BUTTONS.get(nudge.kind, ()):
        return AnswerResult(Outcome.NOT_FOR_YOU)
    picked = Answer(choice)
    if picked is Answer.CHECK_IN:
        return AnswerResult(Outcome.START_CHECK_IN, person_id=person.id)
    booking = await session.get(Booking, nudge.booking_id) if nudge.booking_id else None
    occurrence = (
        await session.get(OccurrenceRow, nudge.occurrence_id) if nudge.occurrence_id else None
    )
    if booking is None or occurrence is None:
        return AnswerResult(Outcome.NOT_FOR_YOU)
    activity = await session.get(ActivityRow, occurrence.activity_id)
    found = AnswerResult(
        Outcome.NOT_FOR_YOU,
        title=activity.title if activity else None,
        person_id=person.id,
        occurrence_id=occurrence.id,
    )
    if picked is Answer.CANCEL:
        try:
            await bookings.cancel_booking(
                session, person_id=person.id, booking_id=booking.id, now=now
            )
        except bookings.BookingRefused as refused:
            already = refused.reason is bookings.Refusal.ALREADY_CANCELLED
            return _with(found, Outcome.ALREADY_CANCELLED if already else Outcome.TOO_LATE)
        return _with(found, Outcome.CANCELLED)
    if picked is Answer.GOING:
        if booking.status is BookingStatus.CANCELLED:
            return _with(found, Outcome.ALREADY_CANCELLED)
        if occurrence.starts_at <= now:
            return _with(found, Outcome.TOO_LATE)
        return _with(found, Outcome.STILL_GOING)
    if booking.status is BookingStatus.CANCELLED:
        return _with(found, Outcome.ALREADY_CANCELLED)
    if booking.attendance_recorded_at is not None:
        return _with(found, Outcome.ALREADY_ANSWERED)
    went = picked is Answer.WENT
    booking.status = BookingStatus.ATTENDED if went else BookingStatus.DID_NOT_ATTEND
    booking.attendance_recorded_at = now
    await session.flush()
    return _with(found, Outcome.ATTENDED if went else Outcome.MISSED)


def _with(result: AnswerResult, outcome: Outcome) -> AnswerResult:
    return AnswerResult(outcome, result.title, result.person_id, result.occurrence_id)
