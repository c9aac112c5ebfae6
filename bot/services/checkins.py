"""Check-ins: one question at a time, stored after every answer, resumable anywhere.

A sitting may be several questionnaires (the baseline is ONS4 then loneliness); each is its own
`check_in` row, the rest queued in `next_questionnaires`. Every button names the check-in and
the item it answers, so a press is applied only if it is this person's check-in, still in
progress, and that item is the one on screen. Anything else is stale or forged and changes
nothing.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Answer, CheckIn, CheckInContext, CheckInStatus, Person
from bot.questionnaires import Item, Questionnaire, RiskThreshold, load_questionnaire, risk_flags
from bot.questionnaires import score as score_answers

# An unfinished check-in is picked up again by /checkin for this long; after that it is closed.
RESUME_WINDOW = timedelta(days=7)
NOTE_AWAITING_PREFIX = "checkin_note:"
QUESTION_AWAITING_PREFIX = "checkin:"
# Typed answers count while the question is fresh; later, typed words are a new request.
QUESTION_LIFETIME = timedelta(minutes=30)
NOTE_LIFETIME = timedelta(hours=24)
MAX_NOTE_LENGTH = 4096


def sitting(*, swemwbs_licensed: bool) -> tuple[str, ...]:
    """The questionnaires of a wellbeing check-in (baseline and follow-ups)."""
    return ("ons4", "loneliness", "swemwbs") if swemwbs_licensed else ("ons4", "loneliness")


class Outcome(enum.StrEnum):
    NEXT = "next"  # the same check-in moved on to its next question
    NEXT_QUESTIONNAIRE = "next_questionnaire"  # a new check-in started for the next questionnaire
    FINISHED = "finished"  # the sitting is complete
    STALE = "stale"  # the button belongs to a question already answered, or a finished check-in
    NOT_YOURS = "not_yours"  # forged: the check-in belongs to someone else or does not exist
    INVALID = "invalid"  # a value the item does not allow


@dataclass(frozen=True, slots=True)
class Question:
    """What to show for the current item of a check-in."""

    check_in_id: int
    questionnaire: Questionnaire
    item: Item
    number: int
    total: int


@dataclass(slots=True)
class AnswerResult:
    outcome: Outcome
    check_in: CheckIn | None = None
    risk: list[str] = field(default_factory=list)


def question(check_in: CheckIn) -> Question | None:
    """The question currently on screen for a check-in in progress."""
    if check_in.status is not CheckInStatus.IN_PROGRESS or check_in.current_item is None:
        return None
    questionnaire = load_questionnaire(check_in.questionnaire)
    ids = questionnaire.item_ids
    return Question(
        check_in.id,
        questionnaire,
        questionnaire.item(check_in.current_item),
        ids.index(check_in.current_item) + 1,
        len(ids),
    )


async def in_progress(session: AsyncSession, person_id: int, *, now: datetime) -> CheckIn | None:
    """The person's unfinished check-in, if recent enough to resume; older ones are closed."""
    rows = await session.execute(
        select(CheckIn)
        .where(CheckIn.person_id == person_id, CheckIn.status == CheckInStatus.IN_PROGRESS)
        .order_by(CheckIn.started_at.desc())
    )
    current: CheckIn | None = None
    for check_in in rows.scalars():
        if current is None and now - check_in.started_at <= RESUME_WINDOW:
            current = check_in
        else:
            check_in.status = CheckInStatus.STOPPED
            check_in.current_item = None
    await session.flush()
    return current


async def has_completed_baseline(session: AsyncSession, person_id: int) -> bool:
    found = await session.execute(
        select(CheckIn.id).where(
            CheckIn.person_id == person_id,
            CheckIn.context == CheckInContext.BASELINE,
            CheckIn.status == CheckInStatus.COMPLETED,
        )
    )
    return found.first() is not None


async def begin(
    session: AsyncSession,
    person: Person,
    *,
    keys: Sequence[str],
    context: CheckInContext,
    now: datetime,
    occurrence_id: int | None = None,
) -> CheckIn:
    """Starts a sitting of the given questionnaires, or resumes the one in progress."""
    if person.consent_at is None:
        raise PermissionError("a participant must consent before a check-in is stored")
    current = await in_progress(session, person.id, now=now)
    if current is not None:
        return current
    return await _create(
        session, person.id, list(keys), context=context, now=now, occurrence_id=occurrence_id
    )


async def _create(
    session: AsyncSession,
    person_id: int,
    keys: list[str],
    *,
    context: CheckInContext,
    now: datetime,
    occurrence_id: int | None,
) -> CheckIn:
    questionnaire = load_questionnaire(keys[0])
    check_in = CheckIn(
        person_id=person_id,
        questionnaire=questionnaire.key,
        context=context,
        occurrence_id=occurrence_id,
        status=CheckInStatus.IN_PROGRESS,
        current_item=questionnaire.item_ids[0],
        next_questionnaires=keys[1:],
        started_at=now,
        scores={},
        risk_flags=[],
    )
    session.add(check_in)
    await session.flush()
    return check_in


async def _answers(session: AsyncSession, check_in_id: int) -> dict[str, int | None]:
    rows = await session.execute(select(Answer).where(Answer.check_in_id == check_in_id))
    return {a.item: a.value for a in rows.scalars()}


async def answer(
    session: AsyncSession,
    *,
    person_id: int,
    check_in_id: int,
    item: str,
    value: int | None,
    now: datetime,
    thresholds: Mapping[str, list[RiskThreshold]] | None = None,
) -> AnswerResult:
    """Applies one button press (`value` None means "skip") if it is current and theirs."""
    check_in = await session.get(CheckIn, check_in_id, with_for_update=True)
    if check_in is None or check_in.person_id != person_id:
        return AnswerResult(Outcome.NOT_YOURS)
    if check_in.status is not CheckInStatus.IN_PROGRESS or check_in.current_item != item:
        return AnswerResult(Outcome.STALE, check_in)
    questionnaire = load_questionnaire(check_in.questionnaire)
    if value is not None and value not in questionnaire.item(item).allowed_values:
        return AnswerResult(Outcome.INVALID, check_in)
    session.add(Answer(check_in_id=check_in.id, item=item, value=value, answered_at=now))
    risk: list[str] = []
    if value is not None:
        chosen = (thresholds or {}).get(questionnaire.key)
        risk = risk_flags(questionnaire, {item: value}, chosen)
        if risk:
            check_in.risk_flags = list(dict.fromkeys([*check_in.risk_flags, *risk]))
    ids = questionnaire.item_ids
    position = ids.index(item)
    if position + 1 < len(ids):
        check_in.current_item = ids[position + 1]
        await session.flush()
        return AnswerResult(Outcome.NEXT, check_in, risk)
    await _complete(session, check_in, questionnaire, now=now)
    if check_in.next_questionnaires:
        following = await _create(
            session,
            person_id,
            list(check_in.next_questionnaires),
            context=check_in.context,
            now=now,
            occurrence_id=check_in.occurrence_id,
        )
        return AnswerResult(Outcome.NEXT_QUESTIONNAIRE, following, risk)
    return AnswerResult(Outcome.FINISHED, check_in, risk)


async def _complete(
    session: AsyncSession, check_in: CheckIn, questionnaire: Questionnaire, *, now: datetime
) -> None:
    await session.flush()
    given = {k: v for k, v in (await _answers(session, check_in.id)).items() if v is not None}
    check_in.scores = score_answers(questionnaire, given).to_record()
    check_in.status = CheckInStatus.COMPLETED
    check_in.completed_at = now
    check_in.current_item = None
    await session.flush()


async def stop_for_now(session: AsyncSession, *, person_id: int, check_in_id: int) -> bool:
    """ "Stop for now": nothing is lost; /checkin carries on from the same question later."""
    check_in = await session.get(CheckIn, check_in_id)
    return (
        check_in is not None
        and check_in.person_id == person_id
        and check_in.status is CheckInStatus.IN_PROGRESS
    )


def await_note(person: Person, check_in_id: int, *, now: datetime) -> None:
    """Notes that the next thing the person types is a note for this check-in."""
    person.awaiting = f"{NOTE_AWAITING_PREFIX}{check_in_id}"
    person.awaiting_until = now + NOTE_LIFETIME


def awaited_note(person: Person, *, now: datetime) -> int | None:
    """The check-in whose note the person is expected to type, if any."""
    if not person.awaiting or not person.awaiting.startswith(NOTE_AWAITING_PREFIX):
        return None
    if person.awaiting_until is not None and person.awaiting_until < now:
        return None
    tail = person.awaiting.removeprefix(NOTE_AWAITING_PREFIX)
    return int(tail) if tail.isdigit() else None


async def save_note(
    session: AsyncSession, person: Person, *, check_in_id: int, text: str
) -> CheckIn | None:
    """Keeps the participant's note (all of it, up to Telegram's own limit)."""
    check_in = await session.get(CheckIn, check_in_id)
    if check_in is None or check_in.person_id != person.id:
        return None
    check_in.note = text[:MAX_NOTE_LENGTH]
    person.awaiting = None
    person.awaiting_until = None
    await session.flush()
    return check_in


async def set_note_sharing(
    session: AsyncSession, *, person_id: int, check_in_id: int, shareable: bool
) -> bool:
    """Records whether a note may be quoted, without a name, in reports to funders."""
    check_in = await session.get(CheckIn, check_in_id)
    if check_in is None or check_in.person_id != person_id or check_in.note is None:
        return False
    check_in.note_shareable = shareable
    await session.flush()
    return True


def await_answer(person: Person, check_in_id: int, *, now: datetime) -> None:
    """Notes that a typed answer ("7", "often") may answer this check-in's question for a while."""
    person.awaiting = f"{QUESTION_AWAITING_PREFIX}{check_in_id}"
    person.awaiting_until = now + QUESTION_LIFETIME


def awaited_answer(person: Person, *, now: datetime) -> int | None:
    """The check-in whose question a typed answer would answer, if any."""
    if not person.awaiting or not person.awaiting.startswith(QUESTION_AWAITING_PREFIX):
        return None
    if person.awaiting_until is not None and person.awaiting_until < now:
        return None
    tail = person.awaiting.removeprefix(QUESTION_AWAITING_PREFIX)
    return int(tail) if tail.isdigit() else None


def typed_value(item: Item, text: str) -> int | None:
    """Reads a typed answer: a button label ("7", "Often") or nothing recognisable (None)."""
    wanted = " ".join(text.lower().split()).rstrip(".!")
    for option in item.options:
        if option.label.lower() == wanted:
            return option.value
    return None
