"""Staff roles: who may do what, staff invitations, and taking a role away.

Coordinators come from ADMIN_TELEGRAM_IDS or from a coordinator's invitation; they invite link
workers (and other coordinators) with one-time deep links, and can remove a staff role. Every
refusal and every role change is audit-logged.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Invite, InviteKind, Person, Role
from bot.services import audit

STAFF_INVITE_LIFETIME = timedelta(days=7)
STAFF_ROLES = (Role.LINK_WORKER, Role.COORDINATOR)


class RoleError(ValueError):
    """A role change that cannot be made; the message says why, in plain words."""


def allowed(person: Person | None, *, coordinator: bool = False) -> bool:
    """Whether `person` may use a staff action (coordinator-only ones when `coordinator`)."""
    if person is None:
        return False
    if coordinator:
        return person.role is Role.COORDINATOR
    return person.is_staff


async def refuse(
    session: AsyncSession, person: Person | None, *, action: str, now: datetime
) -> None:
    """Audit-logs a refused staff action (a participant or stranger tried it)."""
    await audit.record(
        session,
        actor_id=person.id if person is not None else None,
        action="staff.denied",
        now=now,
        subject_code=person.code if person is not None else None,
        detail={"action": action[:40]},
    )


def new_invite_code(prefix: str) -> str:
    """An unguessable code for a deep link (`/start <code>` allows 64 characters)."""
    return f"{prefix}{secrets.token_urlsafe(12)}"


async def invite_staff(
    session: AsyncSession, coordinator: Person, role: Role, *, now: datetime
) -> Invite:
    """Creates a one-time staff invitation, valid for a week."""
    if coordinator.role is not Role.COORDINATOR:
        raise RoleError("Only coordinators can invite staff.")
    if role not in STAFF_ROLES:
        raise RoleError("Staff invitations are for link workers and coordinators.")
    invite = Invite(
        code=new_invite_code("s"),
        kind=InviteKind.STAFF,
        role=role,
        created_by_id=coordinator.id,
        max_uses=1,
        uses=0,
        expires_at=now + STAFF_INVITE_LIFETIME,
    )
    session.add(invite)
    await session.flush()
    await audit.record(
        session,
        actor_id=coordinator.id,
        action="role.invite",
        now=now,
        detail={"role": role.value, "invite": invite.id},
    )
    return invite


async def staff(session: AsyncSession) -> list[Person]:
    """Every link worker and coordinator, coordinators first."""
    rows = await session.scalars(
        select(Person).where(Person.role.in_(STAFF_ROLES)).order_by(Person.role, Person.id)
    )
    return list(rows)


async def remove_role(
    session: AsyncSession,
    coordinator: Person,
    person_id: int,
    *,
    now: datetime,
    admin_ids: frozenset[int] = frozenset(),
) -> Person:
    """Makes a staff member a participant again; their caseload stays assigned to them.

    Raises:
        RoleError: not a coordinator, not staff, oneself, or listed in ADMIN_TELEGRAM_IDS
            (that list would give the role straight back).
    """
    if coordinator.role is not Role.COORDINATOR:
        raise RoleError("Only coordinators can remove a role.")
    person = await session.get(Person, person_id)
    if person is None or not person.is_staff:
        raise RoleError("That person is not staff.")
    if person.id == coordinator.id:
        raise RoleError("You cannot remove your own role; ask another coordinator.")
    if person.telegram_user_id in admin_ids:
        raise RoleError("That coordinator is set in ADMIN_TELEGRAM_IDS; change it there.")
    old = person.role
    person.role = Role.PARTICIPANT
    await audit.record(
        session,
        actor_id=coordinator.id,
        action="role.remove",
        now=now,
        subject_code=person.code,
        detail={"was": old.value},
    )
    await session.flush()
    return person
