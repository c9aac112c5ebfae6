"""Broadcasts from staff: choose an audience, write, preview the exact count, confirm or cancel.

The audience is resolved by one query used both for the preview count and for creating the
delivery rows, so the number the author confirms is the number that is queued (unless someone
joins or blocks the bot in between). Every delivery row is created in the confirming
transaction: a broadcast is either wholly queued or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    ActivityRow,
    AudienceKind,
    Booking,
    BookingStatus,
    Broadcast,
    BroadcastStatus,
    Delivery,
    DeliveryStatus,
    OccurrenceRow,
    Person,
    Reachability,
    Role,
)
from bot.services import audit

# What fits on one phone screen: people read a broadcast at a glance, not by scrolling.
MAX_TEXT_LENGTH = 700
# Only coordinators may write to everyone; link workers reach the people they work with.
COORDINATOR_ONLY = frozenset({AudienceKind.EVERYONE})


class BroadcastError(ValueError):
    """A broadcast request that cannot go ahead; the message says why, in plain words."""


class AudienceRefused(BroadcastError):
    """The author's role may not use that audience (a forged button, or a removed role)."""


@dataclass(frozen=True, slots=True)
class Preview:
    broadcast_id: int
    recipients: int
    text: str


def may_use(role: Role, audience: AudienceKind) -> bool:
    """Whether a staff member with `role` may broadcast to `audience`."""
    if role is Role.PARTICIPANT:
        return False
    return audience not in COORDINATOR_ONLY or role is Role.COORDINATOR


def _recipients(author: Person, audience: AudienceKind, ref: str | None) -> Select[int, int | None]:
    """(person id, chat id) of everyone a broadcast would reach, each once."""
    base = select(Person.id, Person.chat_id).where(
        Person.role == Role.PARTICIPANT,
        Person.consent_at.is_not(None),
        Person.chat_id.is_not(None),
        # People who blocked the bot cannot be reached; counting them would mislead.
        Person.reachability == Reachability.ACTIVE,
    )
    if audience is AudienceKind.CASELOAD:
        return base.where(Person.link_worker_id == author.id)
    if audience is AudienceKind.AREA:
        area = (ref or "").strip().lower()
        return base.where(func.lower(Person.home_area) == area)
    if audience is AudienceKind.EVERYONE:
        return base
    column = Booking.occurrence_id if audience is AudienceKind.OCCURRENCE else Booking.activity_id
    booked = select(Booking.person_id).where(
        column == int(ref or 0), Booking.status == BookingStatus.BOOKED
    )
    return base.where(Person.id.in_(booked))


async def start_draft(
    session: AsyncSession,
    author: Person,
    audience: AudienceKind,
    *,
    ref: str | None,
    chat_id: int,
    now: datetime,
) -> Broadcast:
    """Creates a draft for `audience`; refuses audiences the author's role may not use."""
    if not may_use(author.role, audience):
        # The handler audit-logs the refusal in its own transaction (this one rolls back).
        raise AudienceRefused("Only coordinators can send a message to everyone.")
    draft = Broadcast(
        author_id=author.id,
        author_chat_id=chat_id,
        audience=audience,
        audience_ref=ref,
        status=BroadcastStatus.DRAFT,
        total=0,
    )
    session.add(draft)
    await session.flush()
    return draft


async def _own_draft(session: AsyncSession, author: Person, broadcast_id: int) -> Broadcast:
    broadcast = await session.get(Broadcast, broadcast_id)
    if broadcast is None or broadcast.author_id != author.id:
        raise BroadcastError("That message is not one of yours.")
    if broadcast.status is not BroadcastStatus.DRAFT:
        raise BroadcastError("That message has already been sent or cancelled.")
    return broadcast


async def count_recipients(session: AsyncSession, author: Person, broadcast: Broadcast) -> int:
    """The exact number of people the broadcast would reach now."""
    query = _recipients(author, broadcast.audience, broadcast.audience_ref).subquery()
    return int(await session.scalar(select(func.count()).select_from(query)) or 0)


async def set_text(session: AsyncSession, author: Person, broadcast_id: int, text: str) -> Preview:
    """Stores the message and returns the preview with the exact recipient count."""
    text = text.strip()
    if not text:
        raise BroadcastError("The message is empty. Please type what you want to say.")
    if len(text) > MAX_TEXT_LENGTH:
        raise BroadcastError(
            f"Please keep it under {MAX_TEXT_LENGTH:,} characters, so it fits on one phone screen."
        )
    broadcast = await _own_draft(session, author, broadcast_id)
    broadcast.text = text
    recipients = await count_recipients(session, author, broadcast)
    await session.flush()
    return Preview(broadcast.id, recipients, text)


async def confirm(
    session: AsyncSession, author: Person, broadcast_id: int, *, now: datetime
) -> Broadcast:
    """Queues one delivery per recipient, all in the caller's transaction.

    Raises:
        BroadcastError: not the author's draft, no text yet, or nobody to send to.
    """
    broadcast = await _own_draft(session, author, broadcast_id)
    if not broadcast.text:
        raise BroadcastError("Please type the message first.")
    people = _recipients(author, broadcast.audience, broadcast.audience_ref).subquery()
    # One INSERT … SELECT: 10,000 rows are queued in one statement, not 10,000 round trips.
    result = await session.execute(
        insert(Delivery).from_select(
            ["broadcast_id", "person_id", "chat_id", "status", "attempts"],
            select(
                literal(broadcast.id),
                people.c.id,
                people.c.chat_id,
                literal(DeliveryStatus.PENDING.value),
                literal(0),
            ),
        )
    )
    total = max(int(getattr(result, "rowcount", 0) or 0), 0)
    if total == 0:
        raise BroadcastError("Nobody would receive this message, so nothing was sent.")
    broadcast.total = total
    broadcast.status = BroadcastStatus.SENDING
    broadcast.confirmed_at = now
    await audit.record(
        session,
        actor_id=author.id,
        action="broadcast.send",
        now=now,
        detail={"broadcast": broadcast.id, "to": broadcast.audience.value, "recipients": total},
    )
    await session.flush()
    return broadcast


async def cancel(session: AsyncSession, author: Person, broadcast_id: int) -> bool:
    """Cancels a draft before it is sent; False if it was not the author's open draft."""
    result = await session.execute(
        update(Broadcast)
        .where(
            Broadcast.id == broadcast_id,
            Broadcast.author_id == author.id,
            Broadcast.status == BroadcastStatus.DRAFT,
        )
        .values(status=BroadcastStatus.CANCELLED)
        .execution_options(synchronize_session=False)
    )
    return getattr(result, "rowcount", 0) == 1


async def set_progress_message(session: AsyncSession, broadcast_id: int, message_id: int) -> None:
    """Remembers the message edited in place with the progress, so a restart keeps editing it."""
    await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id)
        .values(progress_message_id=message_id)
        .execution_options(synchronize_session=False)
    )


async def set_area(session: AsyncSession, author: Person, broadcast_id: int, area: str) -> int:
    """Sets the area of an area broadcast; returns how many people it would reach."""
    area = area.strip()
    if not area or len(area) > 64:
        raise BroadcastError("Please type a short area, such as LA4 or Morecambe.")
    broadcast = await _own_draft(session, author, broadcast_id)
    broadcast.audience_ref = area
    await session.flush()
    return await count_recipients(session, author, broadcast)


async def booked_series(session: AsyncSession, *, now: datetime) -> list[tuple[int, str]]:
    """Activities with someone booked on an upcoming meeting, for the series audience."""
    rows = await session.execute(
        select(ActivityRow.id, ActivityRow.title)
        .where(
            ActivityRow.id.in_(
                select(Booking.activity_id)
                .join(OccurrenceRow, OccurrenceRow.id == Booking.occurrence_id)
                .where(Booking.status == BookingStatus.BOOKED, OccurrenceRow.starts_at > now)
            )
        )
        .order_by(ActivityRow.title)
        .limit(12)
    )
    return [(row.id, row.title) for row in rows]
