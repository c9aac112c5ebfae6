"""Invites behind deep links: checking a code and redeeming it.

A referral invite binds a participant to the link worker who made it, once the participant has
consented. A staff invite gives its role at once. Codes are checked, never trusted: unknown,
expired, revoked and used-up codes each get their own plain answer.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Invite, InviteKind, Person, Role


class InviteState(enum.StrEnum):
    VALID = "valid"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED_UP = "used_up"


@dataclass(frozen=True, slots=True)
class InviteCheck:
    state: InviteState
    invite: Invite | None = None

    @property
    def valid(self) -> bool:
        return self.state is InviteState.VALID


async def check(session: AsyncSession, code: str | None, *, now: datetime) -> InviteCheck:
    """Looks a code up and says whether it can still be used."""
    if not code:
        return InviteCheck(InviteState.UNKNOWN)
    invite = (await session.execute(select(Invite).where(Invite.code == code))).scalar_one_or_none()
    if invite is None:
        return InviteCheck(InviteState.UNKNOWN)
    if invite.revoked_at is not None or (
        invite.expires_at is not None and invite.expires_at <= now
    ):
        return InviteCheck(InviteState.EXPIRED, invite)
    if invite.max_uses is not None and invite.uses >= invite.max_uses:
        return InviteCheck(InviteState.USED_UP, invite)
    return InviteCheck(InviteState.VALID, invite)


async def redeem(session: AsyncSession, invite: Invite, person: Person) -> bool:
    """Uses one of the invite's uses for `person`; False if it ran out in the meantime.

    The use is counted with a conditional UPDATE so two people racing for the last use of a
    one-time link cannot both get it, on any number of processes.
    """
    guard = Invite.id == invite.id
    if invite.max_uses is not None:
        guard = guard & (Invite.uses < invite.max_uses)
    result = await session.execute(
        update(Invite)
        .where(guard)
        .values(uses=Invite.uses + 1)
        .execution_options(synchronize_session=False)
    )
    await session.refresh(invite, ["uses"])
    if getattr(result, "rowcount", 0) != 1:
        return False
    if invite.kind is InviteKind.REFERRAL:
        if invite.created_by_id is not None and invite.created_by_id != person.id:
            person.link_worker_id = invite.created_by_id
    else:
        person.role = invite.role
    await session.flush()
    return True


async def staff_first_name(session: AsyncSession, person_id: int | None) -> str | None:
    """The display name of a staff member (link workers are named to their participants)."""
    if person_id is None:
        return None
    staff = await session.get(Person, person_id)
    if staff is None or staff.role is Role.PARTICIPANT:
        return None
    return (staff.display_name or "").split(" ")[0] or None
