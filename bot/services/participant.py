"""Who may use the participant journeys: somebody Chorus has met who has consented.

Nothing beyond the Telegram id may be stored about a person before they agree to the privacy
notice, so suggestions and bookings start by loading the person through `consented`.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Person


class ConsentRequired(Exception):
    """The person has not agreed to the privacy notice (or Chorus has not met them yet)."""


async def consented(session: AsyncSession, telegram_user_id: int) -> Person:
    """The person behind a Telegram id, provided they have consented.

    Raises:
        ConsentRequired: unknown, or not yet agreed to the privacy notice.
    """
    person = await session.scalar(select(Person).where(Person.telegram_user_id == telegram_user_id))
    if person is None or person.consent_at is None:
        raise ConsentRequired(f"user {telegram_user_id} has not consented")
    return person


def zone_of(person: Person, fallback: ZoneInfo) -> ZoneInfo:
    """The person's own time zone if they set a valid one, else the service's."""
    if person.timezone:
        try:
            return ZoneInfo(person.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return fallback
