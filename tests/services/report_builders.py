"""Builders for report tests: people, check-ins scored as the bot scores them, sessions, bookings.

Imported as ``tests.services.report_builders`` by the report unit, end-to-end and browser tests.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    ActivityRow,
    Answer,
    Booking,
    BookingStatus,
    CheckIn,
    CheckInContext,
    CheckInStatus,
    OccurrenceRow,
    Person,
    Reachability,
    Role,
)
from bot.questionnaires import load_questionnaire, score

_ids = itertools.count(10_000)


async def person(
    session: AsyncSession,
    *,
    code: str,
    created_at: datetime,
    role: Role = Role.PARTICIPANT,
    name: str | None = "Alex Example",
    link_worker: Person | None = None,
    consent_at: datetime | None = None,
    area: str | None = None,
    blocked: bool = False,
    telegram_user_id: int | None = None,
) -> Person:
    """A person as onboarding would leave them."""
    row = Person(
        telegram_user_id=telegram_user_id if telegram_user_id is not None else next(_ids),
        chat_id=telegram_user_id,
        role=role,
        code=code,
        display_name=name,
        link_worker_id=None if link_worker is None else link_worker.id,
        consent_at=consent_at,
        home_area=area,
        reachability=Reachability.BLOCKED if blocked else Reachability.ACTIVE,
        interests=[],
        access_needs=[],
        preferences={},
        created_at=created_at,
    )
    session.add(row)
    await session.flush()
    return row


async def check_in(
    session: AsyncSession,
    who: Person,
    questionnaire: str,
    context: CheckInContext,
    answers: dict[str, int | None],
    *,
    at: datetime,
    occurrence: OccurrenceRow | None = None,
    note: str | None = None,
    shareable: bool = False,
    status: CheckInStatus = CheckInStatus.COMPLETED,
    store_scores: bool = True,
) -> CheckIn:
    """A check-in with one answer row per item (None = skipped), scored like the bot does."""
    given = {item: value for item, value in answers.items() if value is not None}
    scores = score(load_questionnaire(questionnaire), given).to_record() if store_scores else {}
    row = CheckIn(
        person_id=who.id,
        questionnaire=questionnaire,
        context=context,
        occurrence_id=None if occurrence is None else occurrence.id,
        status=status,
        started_at=at - timedelta(minutes=3),
        completed_at=at if status is CheckInStatus.COMPLETED else None,
        scores=scores,
        note=note,
        note_shareable=shareable,
        risk_flags=[],
    )
    session.add(row)
    await session.flush()
    for offset, (item, value) in enumerate(answers.items()):
        session.add(
            Answer(
                check_in_id=row.id,
                item=item,
                value=value,
                answered_at=row.started_at + timedelta(seconds=20 * (offset + 1)),
            )
        )
    await session.flush()
    return row


async def stored_measures(
    session: AsyncSession,
    who: Person,
    questionnaire: str,
    context: CheckInContext,
    measures: dict[str, float],
    *,
    at: datetime,
) -> CheckIn:
    """A completed check-in carrying given measure values (for published reference data)."""
    row = CheckIn(
        person_id=who.id,
        questionnaire=questionnaire,
        context=context,
        status=CheckInStatus.COMPLETED,
        started_at=at - timedelta(minutes=3),
        completed_at=at,
        scores={"measures": measures},
        risk_flags=[],
    )
    session.add(row)
    await session.flush()
    return row


async def activity(
    session: AsyncSession, title: str, categories: list[str], *, starts: list[datetime]
) -> tuple[ActivityRow, list[OccurrenceRow]]:
    """An activity with one occurrence at each of ``starts``."""
    row = ActivityRow(
        source_id=f"test-{title}",
        title=title,
        categories=categories,
        audience=[],
        schedules=[],
        fingerprint="0" * 64,
    )
    session.add(row)
    await session.flush()
    occurrences = [
        OccurrenceRow(
            activity_id=row.id,
            scheduled_at=start,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
        )
        for start in starts
    ]
    session.add_all(occurrences)
    await session.flush()
    return row, occurrences


async def booking(
    session: AsyncSession, who: Person, occurrence: OccurrenceRow, status: BookingStatus
) -> Booking:
    """A booking on an occurrence with its attendance status."""
    row = Booking(
        person_id=who.id,
        occurrence_id=occurrence.id,
        activity_id=occurrence.activity_id,
        status=status,
    )
    session.add(row)
    await session.flush()
    return row
