"""What participants do: check-ins with their answers, bookings, and safeguarding flags."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, Timestamps, utcnow
from bot.db.models.person import _enum


class CheckInContext(enum.StrEnum):
    BASELINE = "baseline"
    FOLLOW_UP = "follow_up"
    PRE_SESSION = "pre_session"
    POST_SESSION = "post_session"
    ON_DEMAND = "on_demand"


class CheckInStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    STOPPED = "stopped"


class CheckIn(Timestamps, Base):
    """One questionnaire filled in, or being filled in, one answer at a time.

    `current_item` is the question on screen; a button naming any other item, or a check-in
    that is no longer in progress, is stale and is answered kindly, not applied.
    """

    __tablename__ = "check_in"
    __table_args__ = (Index("ix_check_in_person_status", "person_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    questionnaire: Mapped[str] = mapped_column(String(32))
    context: Mapped[CheckInContext] = mapped_column(_enum(CheckInContext, "check_in_context"))
    occurrence_id: Mapped[int | None] = mapped_column(
        ForeignKey("occurrence.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[CheckInStatus] = mapped_column(
        _enum(CheckInStatus, "check_in_status"), default=CheckInStatus.IN_PROGRESS
    )
    current_item: Mapped[str | None] = mapped_column(String(32))
    # Questionnaires still to come after this one in the same sitting (baseline is several).
    next_questionnaires: Mapped[list[str]] = mapped_column(JSON, default=list)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(index=True)
    scores: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str | None] = mapped_column(Text)
    note_shareable: Mapped[bool] = mapped_column(Boolean, default=False)
    risk_flags: Mapped[list[str]] = mapped_column(JSON, default=list)


class Answer(Base):
    """One item's answer; `value` is None when the person chose to skip it."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("check_in_id", "item", name="uq_answer_check_in_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    check_in_id: Mapped[int] = mapped_column(ForeignKey("check_in.id", ondelete="CASCADE"))
    item: Mapped[str] = mapped_column(String(32))
    value: Mapped[int | None]
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)


class BookingStatus(enum.StrEnum):
    BOOKED = "booked"
    CANCELLED = "cancelled"
    ATTENDED = "attended"
    DID_NOT_ATTEND = "did_not_attend"


class Booking(Timestamps, Base):
    """A participant's "I'll go" for one meeting. `standing` rows come from "every week"."""

    __tablename__ = "booking"
    __table_args__ = (
        UniqueConstraint("person_id", "occurrence_id", name="uq_booking_person_occurrence"),
        Index("ix_booking_occurrence_status", "occurrence_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    occurrence_id: Mapped[int] = mapped_column(ForeignKey("occurrence.id", ondelete="CASCADE"))
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), index=True
    )
    standing: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[BookingStatus] = mapped_column(
        _enum(BookingStatus, "booking_status"), default=BookingStatus.BOOKED
    )
    cancelled_at: Mapped[datetime | None]
    attendance_recorded_at: Mapped[datetime | None]


class SafeguardingFlag(Timestamps, Base):
    """A check-in answer or message that suggested risk, for the link worker to follow up."""

    __tablename__ = "safeguarding_flag"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(20))  # "check_in" or "message"
    check_in_id: Mapped[int | None] = mapped_column(ForeignKey("check_in.id", ondelete="SET NULL"))
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    alerted_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL")
    )
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
