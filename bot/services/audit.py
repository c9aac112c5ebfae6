"""The audit trail: every staff view of a person's data, every export, every role change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import AuditEvent


async def record(
    session: AsyncSession,
    *,
    actor_id: int | None,
    action: str,
    now: datetime,
    subject_code: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Adds one audit event in the caller's transaction.

    Args:
        actor_id: the staff person acting (None for the system or an erased person).
        action: a short verb phrase such as ``"checkins.view"`` or ``"role.denied"``.
        subject_code: the pseudonymous code of the person whose data was touched.
        detail: small, non-identifying context (never names or free text).
    """
    event = AuditEvent(
        at=now, actor_id=actor_id, action=action, subject_code=subject_code, detail=detail or {}
    )
    session.add(event)
    await session.flush()
    return event
