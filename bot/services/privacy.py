"""A person's own data: a copy of everything held about them (/mydata), and erasure (/forget).

Both walk the tables that point at a person, so what is exported and what is erased follow
the schema: a table linked to `person` by a foreign key, directly or through another table
that is erased with them, is part of "everything about them". The export names each table
it covers; a test fails if a table that points at a person is missing from it.

Staff cannot erase themselves here: what a link worker or coordinator did (referrals, check-in
reviews, safeguarding follow-ups) is the organisation's record, so their access is removed by
a coordinator instead.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Table,
    delete,
    func,
    literal_column,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import Base
from bot.db.models import (
    ActivityRow,
    Answer,
    AuditEvent,
    Booking,
    Broadcast,
    CheckIn,
    Delivery,
    Invite,
    Nudge,
    OccurrenceRow,
    Person,
    SafeguardingFlag,
    VenueRow,
)
from bot.services import audit, people

EXPORT_FORMAT = "chorus-my-data/1"
ERASED_ACTION = "person.erased"

PERSON: Table = Person.__table__  # type: ignore[assignment]


def file_name(code: str) -> str:
    """The export's file name, e.g. ``chorus-my-data-P-7K3Q.json``."""
    return f"chorus-my-data-{code}.json"


def _plain(value: Any) -> Any:
    # StrEnums are str already; datetimes become ISO 8601 with their UTC offset.
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _row(mapping: Any) -> dict[str, Any]:
    return {key: _plain(value) for key, value in dict(mapping).items()}


async def _rows(session: AsyncSession, table: Any, *where: ColumnElement[bool]) -> list[Any]:
    result = await session.execute(select(table).where(*where).order_by(table.c.id))
    return [_row(m) for m in result.mappings()]


async def _bookings(session: AsyncSession, person_id: int) -> list[dict[str, Any]]:
    rows = await _rows(session, Booking.__table__, Booking.person_id == person_id)
    for row in rows:
        # The session's name, time and place make the booking readable on its own.
        found = await session.execute(
            select(ActivityRow.title, OccurrenceRow.starts_at, OccurrenceRow.ends_at, VenueRow.name)
            .join(ActivityRow, ActivityRow.id == OccurrenceRow.activity_id)
            .outerjoin(
                VenueRow,
                VenueRow.id == func.coalesce(OccurrenceRow.venue_id, ActivityRow.venue_id),
            )
            .where(OccurrenceRow.id == row["occurrence_id"])
        )
        title, starts_at, ends_at, venue = found.one()
        row["session"] = {
            "title": title,
            "starts_at": _plain(starts_at),
            "ends_at": _plain(ends_at),
            "venue": venue,
        }
    return rows


async def _link_worker(session: AsyncSession, person: Person) -> dict[str, Any] | None:
    if person.link_worker_id is None:
        return None
    worker = await session.get(Person, person.link_worker_id)
    name = (worker.display_name or "").split() if worker is not None else []
    # Their first name only: the link worker's own ids are not this person's data.
    return {"first_name": name[0] if name else None}


async def export(session: AsyncSession, person: Person, *, now: datetime) -> dict[str, Any]:
    """Everything Chorus holds about `person`, as JSON-ready data.

    Sections are named after the tables they come from. Staff also get the invitations they
    made and the audit events of their own actions; safeguarding flags are only those about
    the person themself.
    """
    pid = person.id
    check_ins = select(CheckIn.id).where(CheckIn.person_id == pid)
    received = select(Delivery.broadcast_id).where(Delivery.person_id == pid)
    return {
        "format": EXPORT_FORMAT,
        "exported_at": now.isoformat(),
        "person": (await _rows(session, PERSON, Person.id == pid))[0],
        "link_worker": await _link_worker(session, person),
        "check_in": await _rows(session, CheckIn.__table__, CheckIn.person_id == pid),
        "answer": await _rows(session, Answer.__table__, Answer.check_in_id.in_(check_ins)),
        "booking": await _bookings(session, pid),
        "safeguarding_flag": await _rows(
            session, SafeguardingFlag.__table__, SafeguardingFlag.person_id == pid
        ),
        "nudge": await _rows(session, Nudge.__table__, Nudge.person_id == pid),
        "audit_event": await _rows(
            session,
            AuditEvent.__table__,
            or_(AuditEvent.subject_code == person.code, AuditEvent.actor_id == pid),
        ),
        "invite": await _rows(session, Invite.__table__, Invite.created_by_id == pid),
        # Messages sent to them (and, for staff, the broadcasts they wrote).
        "delivery": await _rows(session, Delivery.__table__, Delivery.person_id == pid),
        "broadcast": await _rows(session, Broadcast.__table__, Broadcast.author_id == pid),
        # What staff broadcasts said to them; not who sent them or from which chat.
        "broadcast_received": [
            {key: row[key] for key in ("id", "text", "created_at")}
            for row in await _rows(session, Broadcast.__table__, Broadcast.id.in_(received))
        ],
    }


def to_json(data: dict[str, Any]) -> bytes:
    """The export as indented UTF-8 JSON, readable in any text editor."""
    return json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")


def _doomed(person_id: int) -> dict[Table, ColumnElement[bool]]:
    """Which rows of each table go when the person goes, following ON DELETE CASCADE."""
    doomed: dict[Table, ColumnElement[bool]] = {PERSON: PERSON.c.id == person_id}
    # sorted_tables lists parents before children, so each parent's rows are known first.
    for table in Base.metadata.sorted_tables:
        conditions = [
            fk.parent.in_(select(fk.column).where(doomed[fk.column.table]))
            for fk in table.foreign_keys
            if fk.ondelete == "CASCADE" and fk.column.table in doomed and table is not PERSON
        ]
        if conditions:
            doomed[table] = or_(*conditions)
    return doomed


async def _count(session: AsyncSession, table: Table, where: ColumnElement[bool]) -> int:
    return int(await session.scalar(select(func.count()).select_from(table).where(where)) or 0)


@dataclass(frozen=True, slots=True)
class Holdings:
    """How many records of each kind would go with the person (for the confirmation)."""

    counts: dict[str, int] = field(default_factory=dict)

    def of(self, table: str) -> int:
        return self.counts.get(table, 0)


async def holdings(session: AsyncSession, person: Person) -> Holdings:
    """Counts the rows that erasing `person` would delete, by table."""
    doomed = _doomed(person.id)
    counts = {t.name: await _count(session, t, w) for t, w in doomed.items() if t is not PERSON}
    return Holdings(counts)


class ErasureOutcome(enum.StrEnum):
    ERASED = "erased"
    STAFF = "staff"
    STALE = "stale"


@dataclass(frozen=True, slots=True)
class Erasure:
    outcome: ErasureOutcome
    counts: dict[str, int] = field(default_factory=dict)


async def _returning(session: AsyncSession, statement: Any) -> int:
    # RETURNING counts the rows on both databases, unlike rowcount through every driver.
    result = await session.execute(statement.returning(literal_column("1", Integer)))
    return len(result.all())


async def erase(
    session: AsyncSession, *, telegram_user_id: int, code: str, now: datetime
) -> Erasure:
    """Deletes the person and everything about them, then audits the counts (no identity).

    Args:
        telegram_user_id: who pressed "Yes, delete everything".
        code: the code the confirmation was shown for (untrusted); it must be the presser's
            own, so a stale or forged button erases nothing.
        now: the current time.
    """
    person = await people.find(session, telegram_user_id)
    if person is None or person.code != code:
        return Erasure(ErasureOutcome.STALE)
    if person.is_staff:
        return Erasure(ErasureOutcome.STAFF)
    doomed = _doomed(person.id)
    counts: dict[str, int] = {}
    # Links from rows that stay (SET NULL) are cut first, then rows go children first, so
    # erasure does not depend on the database enforcing foreign keys.
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.ondelete == "SET NULL" and fk.column.table in doomed:
                target = select(fk.column).where(doomed[fk.column.table])
                await _returning(
                    session,
                    update(table).where(fk.parent.in_(target)).values({fk.parent.name: None}),
                )
    for table in reversed(Base.metadata.sorted_tables):
        if table in doomed:
            counts[table.name] = await _returning(session, delete(table).where(doomed[table]))
    # The staff trail stays, but no longer says whose data was looked at.
    counts["audit_event_unlinked"] = await _returning(
        session,
        update(AuditEvent).where(AuditEvent.subject_code == code).values(subject_code=None),
    )
    session.expunge_all()  # loaded rows are gone; nothing may flush them back
    await audit.record(session, actor_id=None, action=ERASED_ACTION, now=now, detail=counts)
    return Erasure(ErasureOutcome.ERASED, counts)
