"""Builders for the suggestion and booking tests: the demo catalogue and consented people."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.db.models import ActivityRow, OccurrenceRow, Person
from bot.db.session import SessionFactory
from bot.services.catalogue import apply_import
from bot.services.nudge_policy import NudgePolicy
from catalogue.detect import read_catalogue

DEMO = Path(__file__).resolve().parents[2] / "catalogue" / "demo" / "activities.csv"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday morning
CONSENTED_AT = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)

_numbers = itertools.count(1)


def policy() -> NudgePolicy:
    """The nudge policy with the service's default settings."""
    return NudgePolicy.from_settings(Settings(_env_file=None))


async def import_demo(sessions: SessionFactory, *, now: datetime = NOW) -> None:
    """Imports the demo catalogue and materialises its meetings from `now`."""
    result = read_catalogue(DEMO)
    async with sessions.begin() as session:
        await apply_import(session, result.catalogue, now=now)


async def participant(session: AsyncSession, *, consented: bool = True, **fields: Any) -> Person:
    """A participant with a fresh Telegram id, consented unless told otherwise."""
    number = next(_numbers)
    values: dict[str, Any] = {
        "telegram_user_id": 50_000 + number,
        "chat_id": 50_000 + number,
        "code": f"P-B{number:03d}",
        "consent_at": CONSENTED_AT if consented else None,
        "consent_version": "1" if consented else None,
        "preferences": {},
        "interests": [],
        "access_needs": [],
        **fields,
    }
    person = Person(**values)
    session.add(person)
    await session.flush()
    return person


async def activity(session: AsyncSession, source_id: str) -> ActivityRow:
    """The demo activity with this source id."""
    row = await session.scalar(select(ActivityRow).where(ActivityRow.source_id == source_id))
    assert row is not None, source_id
    return row


async def meetings(session: AsyncSession, source_id: str) -> list[OccurrenceRow]:
    """The activity's materialised meetings, soonest first."""
    row = await activity(session, source_id)
    found = await session.scalars(
        select(OccurrenceRow)
        .where(OccurrenceRow.activity_id == row.id)
        .order_by(OccurrenceRow.starts_at)
    )
    return list(found)
