"""What a booked session looks like to the person: one row joining booking, meeting and place.

Confirmations, `/mysessions` and the calendar file all read the same `BookedSession`, so the
time, place and cost a person is told are always the ones stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    ActivityRow,
    Booking,
    BookingStatus,
    OccurrenceRow,
    OccurrenceStatus,
    OrganisationRow,
    VenueRow,
)


@dataclass(frozen=True, slots=True)
class BookedSession:
    """One booking with everything needed to say when, where and how much."""

    booking_id: int
    person_id: int
    activity_id: int
    occurrence_id: int
    title: str
    starts_at: datetime
    ends_at: datetime | None
    occurrence_status: OccurrenceStatus
    status: BookingStatus
    standing: bool
    note: str | None = None
    venue: str = ""
    address: str = ""
    town: str = ""
    postcode: str = ""
    cost: str = ""
    is_free: bool = False
    organiser: str = ""
    contact: str = ""
    url: str | None = None

    @property
    def location(self) -> str:
        """Venue, address, town and postcode on one line, leaving out what is unknown."""
        parts = [self.venue, self.address, " ".join(p for p in (self.town, self.postcode) if p)]
        return ", ".join(p for p in parts if p)


async def _fetch(
    session: AsyncSession, *conditions: ColumnElement[bool], limit: int | None = None
) -> list[BookedSession]:
    # A meeting moved to another venue names it on the occurrence; otherwise the series' venue.
    venue_id = func.coalesce(OccurrenceRow.venue_id, ActivityRow.venue_id)
    query = (
        select(Booking, OccurrenceRow, ActivityRow, VenueRow, OrganisationRow.name)
        .join(OccurrenceRow, OccurrenceRow.id == Booking.occurrence_id)
        .join(ActivityRow, ActivityRow.id == Booking.activity_id)
        .outerjoin(VenueRow, VenueRow.id == venue_id)
        .outerjoin(OrganisationRow, OrganisationRow.id == ActivityRow.organisation_id)
        .where(*conditions)
        .order_by(OccurrenceRow.starts_at, Booking.id)
        .limit(limit)
    )
    rows = (await session.execute(query)).all()
    return [_session(b, o, a, v, org) for b, o, a, v, org in rows]


def _session(
    booking: Booking,
    occurrence: OccurrenceRow,
    activity: ActivityRow,
    venue: VenueRow | None,
    organiser: str | None,
) -> BookedSession:
    return BookedSession(
        booking_id=booking.id,
        person_id=booking.person_id,
        activity_id=activity.id,
        occurrence_id=occurrence.id,
        title=activity.title,
        starts_at=occurrence.starts_at,
        ends_at=occurrence.ends_at,
        occurrence_status=occurrence.status,
        status=booking.status,
        standing=booking.standing,
        note=occurrence.note,
        venue=venue.name if venue else "",
        address=venue.address if venue else "",
        town=venue.town if venue else "",
        postcode=venue.postcode if venue else "",
        cost=activity.cost,
        is_free=activity.is_free,
        organiser=organiser or "",
        contact=activity.contact,
        url=activity.url,
    )


async def booked_session(session: AsyncSession, booking_id: int) -> BookedSession | None:
    """The booking with its meeting and place, or None if there is no such booking."""
    found = await _fetch(session, Booking.id == booking_id)
    return found[0] if found else None


async def upcoming(
    session: AsyncSession, *, person_id: int, now: datetime, limit: int = 10
) -> list[BookedSession]:
    """The person's bookings still to come, soonest first.

    Meetings the organiser cancelled stay in the list, so the person can see what changed;
    bookings the person cancelled are left out.
    """
    return await _fetch(
        session,
        Booking.person_id == person_id,
        Booking.status == BookingStatus.BOOKED,
        OccurrenceRow.starts_at > now,
        limit=limit,
    )
