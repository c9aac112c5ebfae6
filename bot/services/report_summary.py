"""The one-screen review summary: how many people, doing what, in a period.

Every figure is a count the database does itself, so the summary stays fast on ten thousand
participants. Definitions (also in ``docs/reports.md``):

* people: participants in the cohort who had made contact by the end of the period;
* referrals: of those, people who first made contact in the period through a link worker;
* joined: people who gave consent in the period (referred or not);
* active: people with a completed check-in, or a (not cancelled) booking on a session, in the
  period;
* check-ins completed: questionnaires finished in the period;
* bookings: places booked on sessions held in the period, not counting cancelled ones;
* attendance rate: attended ÷ (attended + did not attend) for those bookings, so bookings
  whose attendance is not yet known do not drag the rate down;
* not reachable: people in the cohort who have blocked the bot.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, distinct, func, select, union
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    Booking,
    BookingStatus,
    CheckIn,
    CheckInStatus,
    OccurrenceRow,
    Person,
    Reachability,
)
from bot.services.disclosure import suppress_small_cohort
from bot.services.report_cohorts import Period


@dataclass(frozen=True, slots=True)
class ReviewSummary:
    """Counts for one period and cohort. With ``suppressed`` set, only ``people`` is honest
    to show as "fewer than the threshold"; every other figure is zero and must not be shown."""

    people: int
    suppressed: bool
    referrals: int
    joined: int
    active: int
    check_ins_completed: int
    bookings: int
    attended: int
    did_not_attend: int
    unreachable: int

    @property
    def attendance_rate(self) -> float | None:
        """Share of bookings with known attendance that were attended (None if none known)."""
        known = self.attended + self.did_not_attend
        return self.attended / known if known else None


async def _count(session: AsyncSession, query: Select[int]) -> int:
    return int((await session.execute(query)).scalar_one())


async def summarise(
    session: AsyncSession, members: Select[int], period: Period, *, threshold: int
) -> ReviewSummary:
    """Counts what the cohort did in the period, withholding it all for a small cohort.

    Args:
        session: an open session.
        members: a query for the cohort's participant ids (``report_cohorts.members``).
        period: the period reported.
        threshold: the disclosure threshold; fewer people than this and nothing is counted.
    """
    cohort = members.subquery()
    in_cohort = Person.id.in_(select(cohort.c.id))
    people = await _count(
        session, select(func.count(Person.id)).where(in_cohort, Person.created_at < period.end)
    )
    if suppress_small_cohort(people, threshold):
        return ReviewSummary(people, True, 0, 0, 0, 0, 0, 0, 0, 0)
    created = Person.created_at >= period.start, Person.created_at < period.end
    referrals = await _count(
        session,
        select(func.count(Person.id)).where(
            in_cohort, *created, Person.link_worker_id.is_not(None)
        ),
    )
    joined = await _count(
        session,
        select(func.count(Person.id)).where(
            in_cohort, Person.consent_at >= period.start, Person.consent_at < period.end
        ),
    )
    checked_in = select(CheckIn.person_id).where(
        CheckIn.person_id.in_(select(cohort.c.id)),
        CheckIn.status == CheckInStatus.COMPLETED,
        CheckIn.completed_at >= period.start,
        CheckIn.completed_at < period.end,
    )
    booked = (
        select(Booking.person_id)
        .join(OccurrenceRow, OccurrenceRow.id == Booking.occurrence_id)
        .where(
            Booking.person_id.in_(select(cohort.c.id)),
            Booking.status != BookingStatus.CANCELLED,
            OccurrenceRow.starts_at >= period.start,
            OccurrenceRow.starts_at < period.end,
        )
    )
    active_people = union(checked_in, booked).subquery()
    active = await _count(session, select(func.count(distinct(active_people.c.person_id))))
    completed = await _count(session, select(func.count()).select_from(checked_in.subquery()))
    result = await session.execute(
        select(Booking.status, func.count(Booking.id))
        .join(OccurrenceRow, OccurrenceRow.id == Booking.occurrence_id)
        .where(
            Booking.person_id.in_(select(cohort.c.id)),
            OccurrenceRow.starts_at >= period.start,
            OccurrenceRow.starts_at < period.end,
        )
        .group_by(Booking.status)
    )
    statuses = {BookingStatus(status): int(count) for status, count in result}
    unreachable = await _count(
        session,
        select(func.count(Person.id)).where(
            in_cohort, Person.created_at < period.end, Person.reachability == Reachability.BLOCKED
        ),
    )
    attended = statuses.get(BookingStatus.ATTENDED, 0)
    missed = statuses.get(BookingStatus.DID_NOT_ATTEND, 0)
    return ReviewSummary(
        people=people,
        suppressed=False,
        referrals=referrals,
        joined=joined,
        active=active,
        check_ins_completed=completed,
        bookings=sum(
            count for status, count in statuses.items() if status != BookingStatus.CANCELLED
        ),
        attended=attended,
        did_not_attend=missed,
        unreachable=unreachable,
    )
