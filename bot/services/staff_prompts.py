"""What typed text a staff member's next message answers (a broadcast, a note, a new time).

The expectation lives on the person row (`awaiting`), like every other question the bot
asks, so it survives a restart and any process can receive the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Person

PREFIX = "staff:"
LIFETIME = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class Expected:
    what: str
    target: int


async def expect(
    session: AsyncSession, person_id: int, what: str, target: int, *, now: datetime
) -> None:
    """Records that the person's next text is `what` for record `target`."""
    person = await session.get(Person, person_id)
    if person is None:
        return
    person.awaiting = f"{PREFIX}{what}:{target}"
    person.awaiting_until = now + LIFETIME
    await session.flush()


def parse(awaiting: str | None) -> Expected | None:
    """Reads `staff:<what>:<id>` back; None if it is not a staff expectation."""
    if not awaiting or not awaiting.startswith(PREFIX):
        return None
    what, _, target = awaiting.removeprefix(PREFIX).partition(":")
    if not what or not target.isdigit():
        return None
    return Expected(what, int(target))


async def clear(session: AsyncSession, person_id: int) -> None:
    """Forgets the expectation once its text has arrived."""
    person = await session.get(Person, person_id)
    if person is None:
        return
    person.awaiting = None
    person.awaiting_until = None
    await session.flush()
