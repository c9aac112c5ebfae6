"""A link worker's caseload: the people referred to them, at a glance, and one person's timeline.

Staff see pseudonymous codes and first names only. Viewing a person's timeline shows their
check-ins, so every such view is audit-logged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    ActivityRow,
    Booking,
    BookingStatus,
    CheckIn,
    CheckInStatus,
    OccurrenceRow,
    Person,
    Reachability,
    Role,
    SafeguardingFlag,
)
from bot.questionnaires.errors import QuestionnaireError
from bot.questionnaires.loader import load_questionnaire
from bot.questionnaires.model import Direction
from bot.services import audit

PAGE_SIZE = 8
TIMELINE_LENGTH = 6


class CaseloadError(LookupError):
    """The person asked for is not in this link worker's caseload."""


@dataclass(frozen=True, slots=True)
class Entry:
    person_id: int
    code: str
    first_name: str
    last_check_in: datetime | None
    trend: str | None
    upcoming: int
    attended: int
    past_bookings: int
    flags: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Page:
    entries: list[Entry]
    page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


@dataclass(frozen=True, slots=True)
class Event:
    at: datetime
    text: str


def first_name(person: Person) -> str:
    """Only the first word of the name a person gave (staff views show no more)."""
    return (person.display_name or "").split(" ")[0] or "(no name)"


def trend(latest: CheckIn, before: CheckIn | None) -> str | None:
    """'better', 'worse' or 'steady' between two check-ins of one questionnaire."""
    if before is None:
        return None
    try:
        measure = load_questionnaire(latest.questionnaire).measures[0]
    except (QuestionnaireError, IndexError, KeyError):
        return None
    new = latest.scores.get("measures", {}).get(measure.id)
    old = before.scores.get("measures", {}).get(measure.id)
    if not isinstance(new, int | float) or not isinstance(old, int | float):
        return None
    change = new - old
    if abs(change) < measure.meaningful_change:
        return "steady"
    better = change > 0 if measure.direction is Direction.HIGHER_IS_BETTER else change < 0
    return "better" if better else "worse"


async def _entry(
    session: AsyncSession, person: Person, *, now: datetime, quiet_weeks: int
) -> Entry:
    checkins = list(
        await session.scalars(
            select(CheckIn)
            .where(CheckIn.person_id == person.id, CheckIn.status == CheckInStatus.COMPLETED)
            .order_by(CheckIn.completed_at.desc())
            .limit(10)
        )
    )
    latest = checkins[0] if checkins else None
    before = next(
        (c for c in checkins[1:] if latest and c.questionnaire == latest.questionnaire), None
    )
    bookings = (
        await session.execute(
            select(Booking.status, OccurrenceRow.starts_at)
            .join(OccurrenceRow, OccurrenceRow.id == Booking.occurrence_id)
            .where(Booking.person_id == person.id)
        )
    ).all()
    upcoming = sum(1 for b in bookings if b.status is BookingStatus.BOOKED and b.starts_at > now)
    attended = sum(1 for b in bookings if b.status is BookingStatus.ATTENDED)
    past = sum(
        1 for b in bookings if b.status in (BookingStatus.ATTENDED, BookingStatus.DID_NOT_ATTEND)
    )
    open_flags = await session.scalar(
        select(func.count()).where(
            SafeguardingFlag.person_id == person.id, SafeguardingFlag.resolved_at.is_(None)
        )
    )
    flags: list[str] = []
    if open_flags:
        flags.append("safeguarding")
    if person.reachability is Reachability.BLOCKED:
        flags.append("not reachable")
    last = latest.completed_at if latest else None
    if (last or person.consent_at or now) < now - timedelta(weeks=quiet_weeks):
        flags.append(f"no check-in for {quiet_weeks}+ weeks")
    return Entry(
        person_id=person.id,
        code=person.code,
        first_name=first_name(person),
        last_check_in=last,
        trend=trend(latest, before) if latest else None,
        upcoming=upcoming,
        attended=attended,
        past_bookings=past,
        flags=tuple(flags),
    )


async def page(
    session: AsyncSession, link_worker: Person, page_number: int, *, now: datetime, quiet_weeks: int
) -> Page:
    """One page of the link worker's participants, newest referral first."""
    mine = (Person.link_worker_id == link_worker.id, Person.role == Role.PARTICIPANT)
    total = int(await session.scalar(select(func.count()).where(*mine)) or 0)
    page_number = min(max(page_number, 0), max(0, -(-total // PAGE_SIZE) - 1))
    people = await session.scalars(
        select(Person)
        .where(*mine)
        .order_by(Person.id.desc())
        .offset(page_number * PAGE_SIZE)
        .limit(PAGE_SIZE)
    )
    entries = [await _entry(session, p, now=now, quiet_weeks=quiet_weeks) for p in people]
    return Page(entries, page_number, total)


async def member(session: AsyncSession, link_worker: Person, person_id: int) -> Person:
    """A participant in this link worker's caseload (coordinators may see anyone's)."""
    person = await session.get(Person, person_id)
    if person is None or person.role is not Role.PARTICIPANT:
        raise CaseloadError(person_id)
    if link_worker.role is not Role.COORDINATOR and person.link_worker_id != link_worker.id:
        raise CaseloadError(person_id)
    return person


async def timeline(
    session: AsyncSession, link_worker: Person, person_id: int, *, now: datetime
) -> tuple[Person, list[Event]]:
    """The person's latest check-ins and bookings, newest first; the view is audit-logged."""
    person = await member(session, link_worker, person_id)
    events: list[Event] = []
    checkins = await session.scalars(
        select(CheckIn)
        .where(CheckIn.person_id == person.id, CheckIn.completed_at.is_not(None))
        .order_by(CheckIn.completed_at.desc())
        .limit(TIMELINE_LENGTH)
    )
    for check_in in checkins:
        assert check_in.completed_at is not None
        total = check_in.scores.get("total")
        events.append(Event(check_in.completed_at, f"Check-in ({check_in.questionnaire}): {total}"))
    bookings = await session.execute(
        select(Booking.status, OccurrenceRow.starts_at, ActivityRow.title)
        .join(OccurrenceRow, OccurrenceRow.id == Booking.occurrence_id)
        .join(ActivityRow, ActivityRow.id == Booking.activity_id)
        .where(Booking.person_id == person.id)
        .order_by(OccurrenceRow.starts_at.desc())
        .limit(TIMELINE_LENGTH)
    )
    for row in bookings:
        events.append(Event(row.starts_at, f"{row.title}: {row.status.value.replace('_', ' ')}"))
    events.sort(key=lambda e: e.at, reverse=True)
    await audit.record(
        session,
        actor_id=link_worker.id,
        action="checkins.view",
        now=now,
        subject_code=person.code,
        detail={"view": "timeline"},
    )
    return person, events[:TIMELINE_LENGTH]
