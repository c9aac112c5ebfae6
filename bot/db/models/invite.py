"""A code behind a deep link: a participant referral or a staff invitation."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, Timestamps
from bot.db.models.person import Role, _enum

# SNOMED CT 871731000000106 "Referral to social prescribing service", recorded for export.
SNOMED_SOCIAL_PRESCRIBING_REFERRAL = "871731000000106"


class InviteKind(enum.StrEnum):
    REFERRAL = "referral"
    STAFF = "staff"


class Invite(Timestamps, Base):
    """`/start <code>`: who made it, what it grants, how often and until when it works."""

    __tablename__ = "invite"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[InviteKind] = mapped_column(_enum(InviteKind, "invite_kind"))
    role: Mapped[Role] = mapped_column(_enum(Role, "invite_role"), default=Role.PARTICIPANT)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    max_uses: Mapped[int | None]
    uses: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Text)
    snomed_code: Mapped[str | None] = mapped_column(String(20))
