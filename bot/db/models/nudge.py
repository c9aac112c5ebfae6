"""Nudges: every message Chorus sends on its own initiative, planned as rows before it is due.

The table is the source of truth. A nudge is planned (`pending`) when something makes it
worth sending, claimed by one dispatcher with a short lease when it falls due, and then
finished as `sent`, `skipped` (no longer useful or wanted) or `failed` (Telegram refused it
too often). `key` names what the nudge is for, so planning the same thing twice, in one
process or two, finds the existing row instead of adding a second.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, Timestamps
from bot.db.models.person import _enum


class NudgeKind(enum.StrEnum):
    SESSION_REMINDER = "session_reminder"
    AFTER_SESSION = "after_session"
    SESSION_CHANGE = "session_change"
    CHECK_IN_DUE = "check_in_due"
    DIGEST = "digest"


class NudgeStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    SKIPPED = "skipped"
    FAILED = "failed"


class Nudge(Timestamps, Base):
    """One planned message to one person.

    `claimed_until` is a lease: a dispatcher that claims a due nudge owns it until then. If
    the process dies before recording the outcome, the lease runs out and another dispatcher
    sends it again, so a crash costs at most one duplicate of that nudge and loses nothing.
    """

    __tablename__ = "nudge"
    __table_args__ = (
        # The dispatcher's one hot query: pending nudges in due order.
        Index("ix_nudge_status_due_at", "status", "due_at"),
        Index("ix_nudge_person_status", "person_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[NudgeKind] = mapped_column(_enum(NudgeKind, "nudge_kind"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("booking.id", ondelete="CASCADE"), index=True
    )
    occurrence_id: Mapped[int | None] = mapped_column(
        ForeignKey("occurrence.id", ondelete="CASCADE"), index=True
    )
    check_in_id: Mapped[int | None] = mapped_column(
        ForeignKey("check_in.id", ondelete="SET NULL"), index=True
    )
    due_at: Mapped[datetime]
    status: Mapped[NudgeStatus] = mapped_column(
        _enum(NudgeStatus, "nudge_status"), default=NudgeStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str | None] = mapped_column(String(40))
    last_error: Mapped[str | None] = mapped_column(Text)
