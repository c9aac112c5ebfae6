"""Builders for nudge tests: real rows for people, sessions and bookings."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    ActivityRow,
    Booking,
    OccurrenceRow,
    Person,
    Role,
    VenueRow,
)
from bot.services.nudge_policy import NudgePolicy

_ids = itertools.count(1)

# The service's defaults, as `Settings` gives them.
DEFAULTS: dict[str, str] = {
    "timezone": "Europe/London",
    "nudge_before": "1d@18:00,2h",
    "nudge_after": "30m",
    "quiet_hours": "21:00-08:00",
    "follow_up_weeks": "6,12",
    "digest_at": "08:30",
}


class PolicySettings:
    """Settings-shaped values for `NudgePolicy.from_settings`."""

    def __init__(self, **overrides: str) -> None:
        values = {**DEFAULTS, **overrides}
        self.timezone = values["timezone"]
        self.nudge_before = values["nudge_before"]
        self.nudge_after = values["nudge_after"]
        self.quiet_hours = values["quiet_hours"]
        self.follow_up_weeks = values["follow_up_weeks"]
        self.digest_at = values["digest_at"]


def policy(**overrides: str) -> NudgePolicy:
    """The nudge policy with the default settings, changed by `overrides`."""
    return NudgePolicy.from_settings(PolicySettings(**overrides))


async def person(
    session: AsyncSession,
    *,
    role: Role = Role.PARTICIPANT,
    timezone: str | None = None,
    preferences: dict[str, Any] | None = None,
    link_worker_id: int | None = None,
    consent_at: datetime | None = None,
) -> Person:
    number = next(_ids)
    row = Person(
        telegram_user_id=10_000 + number,
        chat_id=10_000 + number,
        role=role,
        code=f"P-T{number:03d}",
        timezone=timezone,
        preferences=preferences or {},
        interests=[],
        access_needs=[],
        link_worker_id=link_worker_id,
        consent_at=consent_at,
    )
    session.add(row)
    await session.flush()
    return row


async def occurrence(
    session: AsyncSession,
    starts_at: datetime,
    *,
    length: timedelta | None = timedelta(hours=2),
    title: str = "Morecambe Community Choir",
) -> OccurrenceRow:
    number = next(_ids)
    venue = VenueRow(source_id=f"v{number}", name="The Platform", fingerprint="x")
    session.add(venue)
    await session.flush()
    activity = ActivityRow(
        source_id=f"a{number}", title=title, venue_id=venue.id, fingerprint="x", schedules=[]
    )
    session.add(activity)
    await session.flush()
    row = OccurrenceRow(
        activity_id=activity.id,
        scheduled_at=starts_at,
        starts_at=starts_at,
        ends_at=starts_at + length if length is not None else None,
    )
    session.add(row)
    await session.flush()
    return row


async def booking(session: AsyncSession, who: Person, meeting: OccurrenceRow) -> Booking:
    row = Booking(person_id=who.id, occurrence_id=meeting.id, activity_id=meeting.activity_id)
    session.add(row)
    await session.flush()
    return row
