"""Broadcasts: a staff message to an audience, and one delivery row per recipient.

A broadcast starts as a `draft` (audience chosen, text being written), becomes `sending` when
its author confirms (every delivery row is created in that same transaction), and `done` once
no delivery is pending. Deliveries are claimed with a short lease, like nudges, so any number
of processes can drain one broadcast and a restart resumes where the last one stopped.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, Timestamps
from bot.db.models.person import _enum


class AudienceKind(enum.StrEnum):
    OCCURRENCE = "occurrence"
    SERIES = "series"
    CASELOAD = "caseload"
    AREA = "area"
    EVERYONE = "everyone"


class BroadcastStatus(enum.StrEnum):
    DRAFT = "draft"
    SENDING = "sending"
    DONE = "done"
    CANCELLED = "cancelled"


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    UNREACHABLE = "unreachable"
    FAILED = "failed"


class Broadcast(Timestamps, Base):
    """One staff message to many people, with where its author watches the progress."""

    __tablename__ = "broadcast"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    author_chat_id: Mapped[int] = mapped_column(BigInteger)
    audience: Mapped[AudienceKind] = mapped_column(_enum(AudienceKind, "audience_kind"))
    # The occurrence or activity id, or the area typed, depending on `audience`.
    audience_ref: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str | None] = mapped_column(Text)
    status: Mapped[BroadcastStatus] = mapped_column(
        _enum(BroadcastStatus, "broadcast_status"), default=BroadcastStatus.DRAFT
    )
    total: Mapped[int] = mapped_column(default=0)
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger)
    confirmed_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class Delivery(Base):
    """One broadcast message to one person, sent at most once."""

    __tablename__ = "delivery"
    __table_args__ = (
        UniqueConstraint("broadcast_id", "person_id", name="uq_delivery_broadcast_person"),
        # The worker's hot query: pending rows of sending broadcasts, in id order.
        Index("ix_delivery_status_broadcast", "status", "broadcast_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    broadcast_id: Mapped[int] = mapped_column(ForeignKey("broadcast.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[DeliveryStatus] = mapped_column(
        _enum(DeliveryStatus, "delivery_status"), default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(String(300))
