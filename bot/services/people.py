"""People: created on first contact, with a pseudonymous code and a role."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Person, Reachability, Role
from bot.services import nudge_planning

# No 0/O, 1/I/L or 5/S: codes are read aloud over the phone and copied by hand.
_CODE_ALPHABET = "234679ACDEFGHJKMNPQRTUVWXYZ"
_CODE_LENGTH = 4


def new_code() -> str:
    """A fresh pseudonymous code such as ``P-7K3Q`` (about 530,000 possibilities)."""
    return "P-" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH))


@dataclass(frozen=True, slots=True)
class Contact:
    """What Chorus learns from any update: who, in which chat. Nothing else is kept yet."""

    telegram_user_id: int
    chat_id: int | None


async def find(session: AsyncSession, telegram_user_id: int) -> Person | None:
    """The person with this Telegram id, if Chorus has met them."""
    result = await session.execute(
        select(Person).where(Person.telegram_user_id == telegram_user_id)
    )
    return result.scalar_one_or_none()


async def _unused_code(session: AsyncSession) -> str:
    while True:
        code = new_code()
        taken = await session.execute(select(Person.id).where(Person.code == code))
        if taken.first() is None:
            return code


async def ensure(
    session: AsyncSession, contact: Contact, *, admin_ids: Collection[int], now: datetime
) -> Person:
    """Returns the person behind `contact`, creating them on first contact.

    Ids listed in ADMIN_TELEGRAM_IDS are coordinators from the start (and are promoted if
    the list gained them later). A person who writes to Chorus again after blocking it is
    reachable again. Only the Telegram ids are stored here: anything more waits for consent.
    """
    person = await find(session, contact.telegram_user_id)
    if person is None:
        person = Person(
            telegram_user_id=contact.telegram_user_id,
            chat_id=contact.chat_id,
            code=await _unused_code(session),
            role=Role.PARTICIPANT,
            interests=[],
            access_needs=[],
            preferences={},
        )
        session.add(person)
    if contact.chat_id is not None and person.chat_id != contact.chat_id:
        person.chat_id = contact.chat_id
    if contact.telegram_user_id in admin_ids and person.role is not Role.COORDINATOR:
        person.role = Role.COORDINATOR
    if person.reachability is Reachability.BLOCKED:
        person.reachability = Reachability.ACTIVE
        person.unreachable_at = None
    await session.flush()
    return person


async def record_start_payload(session: AsyncSession, person: Person, payload: str | None) -> None:
    """Keeps the deep-link payload of `/start` for onboarding to act on."""
    person.start_payload = payload
    await session.flush()


async def mark_unreachable(session: AsyncSession, telegram_user_id: int, *, now: datetime) -> bool:
    """Marks a person who blocked the bot; returns whether anything changed."""
    person = await find(session, telegram_user_id)
    if person is None or person.reachability is Reachability.BLOCKED:
        return False
    person.reachability = Reachability.BLOCKED
    person.unreachable_at = now
    # Nothing planned for them can arrive now; skip it in the same transaction.
    await nudge_planning.skip_for_person(session, person.id, reason="blocked", now=now)
    await session.flush()
    return True


async def mark_reachable(session: AsyncSession, telegram_user_id: int) -> bool:
    """Marks a person who unblocked the bot; returns whether anything changed."""
    person = await find(session, telegram_user_id)
    if person is None or person.reachability is Reachability.ACTIVE:
        return False
    person.reachability = Reachability.ACTIVE
    person.unreachable_at = None
    await session.flush()
    return True


async def ensure_role(
    session: AsyncSession, telegram_user_id: int, role: Role, *, now: datetime
) -> Person:
    """Gives a person (created if new) a role; used for staff set-up and the sandbox."""
    person = await ensure(
        session, Contact(telegram_user_id, telegram_user_id), admin_ids=(), now=now
    )
    person.role = role
    await session.flush()
    return person
