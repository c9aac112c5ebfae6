"""A person who talks to Chorus: participant, link worker or coordinator."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, Timestamps


class Role(enum.StrEnum):
    PARTICIPANT = "participant"
    LINK_WORKER = "link_worker"
    COORDINATOR = "coordinator"


class Reachability(enum.StrEnum):
    ACTIVE = "active"
    BLOCKED = "blocked"


def _enum(cls: type[enum.StrEnum], name: str) -> Enum:
    # Stored as plain strings with a CHECK, so both databases and Alembic treat them alike.
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda members: [m.value for m in members],
    )


class Person(Timestamps, Base):
    """Everyone Chorus knows, keyed by Telegram user id.

    Before a participant consents only the ids, role, code and reachability are stored; the
    profile fields stay empty until `consent_at` is set (see services.onboarding).
    """

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    role: Mapped[Role] = mapped_column(_enum(Role, "role"), default=Role.PARTICIPANT)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8), default="en")
    timezone: Mapped[str | None] = mapped_column(String(64))
    home_area: Mapped[str | None] = mapped_column(String(64))
    home_latitude: Mapped[float | None]
    home_longitude: Mapped[float | None]
    interests: Mapped[list[str]] = mapped_column(JSON, default=list)
    access_needs: Mapped[list[str]] = mapped_column(JSON, default=list)
    preferences: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    consent_at: Mapped[datetime | None]
    consent_version: Mapped[str | None] = mapped_column(String(16))
    reachability: Mapped[Reachability] = mapped_column(
        _enum(Reachability, "reachability"), default=Reachability.ACTIVE
    )
    unreachable_at: Mapped[datetime | None]
    link_worker_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    start_payload: Mapped[str | None] = mapped_column(String(64))
    awaiting: Mapped[str | None] = mapped_column(String(64))
    awaiting_until: Mapped[datetime | None]

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.LINK_WORKER, Role.COORDINATOR)
