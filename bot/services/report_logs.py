"""Check-in logs for staff: one participant's, or one session's, newest first, a page at a time.

Every page shown is audit-logged per participant on it, so a person's audit trail lists every
time a member of staff looked at their answers. Staff see codes and first names only. Asking
about a code the viewer may not see gets the same answer as a code that does not exist, so
the log cannot be used to find out who is on someone else's caseload.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import ActivityRow, CheckIn, OccurrenceRow, Person, Role
from bot.services import audit
from bot.services.report_cohorts import ReportRefused

PAGE_SIZE = 5


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One check-in as a member of staff sees it."""

    check_in_id: int
    code: str
    first_name: str | None
    questionnaire: str
    context: str
    status: str
    at: datetime
    measures: dict[str, float]
    note: str | None
    note_shareable: bool


@dataclass(frozen=True, slots=True)
class LogPage:
    """A page of entries; ``page`` counts from 1."""

    subject: str
    entries: tuple[LogEntry, ...]
    page: int
    pages: int
    total: int


def first_name(display_name: str | None) -> str | None:
    """The first word of a display name: staff views never show more."""
    if not display_name or not display_name.split():
        return None
    return display_name.split()[0]


def _visible(viewer: Person) -> ColumnElement[bool]:
    if viewer.role is Role.COORDINATOR:
        return Person.role == Role.PARTICIPANT
    return (Person.role == Role.PARTICIPANT) & (Person.link_worker_id == viewer.id)


async def person_log(
    session: AsyncSession, viewer: Person, code: str, *, page: int, now: datetime
) -> LogPage:
    """One participant's check-ins, newest first.

    Raises:
        ReportRefused: no participant with that code is visible to the viewer.
    """
    normalised = code.strip().upper()
    person = (
        await session.execute(select(Person).where(Person.code == normalised, _visible(viewer)))
    ).scalar_one_or_none()
    if person is None:
        await audit.record(
            session,
            actor_id=viewer.id,
            action="checkins.denied",
            now=now,
            detail={"asked": normalised[:12]},
        )
        raise ReportRefused(f"No participant {normalised[:12]} in the people you can review.")
    return await _page(
        session, viewer, CheckIn.person_id == person.id, subject=person.code, page=page, now=now
    )


async def session_log(
    session: AsyncSession, viewer: Person, occurrence_id: int, *, page: int, now: datetime
) -> LogPage:
    """The check-ins attached to one session (occurrence), newest first.

    A link worker sees only their own caseload's check-ins from that session.

    Raises:
        ReportRefused: there is no such session.
    """
    found = (
        await session.execute(
            select(ActivityRow.title, OccurrenceRow.starts_at)
            .join(ActivityRow, ActivityRow.id == OccurrenceRow.activity_id)
            .where(OccurrenceRow.id == occurrence_id)
        )
    ).first()
    if found is None:
        raise ReportRefused(f"There is no session {occurrence_id}.")
    subject = f"{found.title}, {found.starts_at:%-d %b %Y}"
    return await _page(
        session,
        viewer,
        CheckIn.occurrence_id == occurrence_id,
        subject=subject,
        page=page,
        now=now,
        audit_detail={"session": occurrence_id},
    )


async def _page(
    session: AsyncSession,
    viewer: Person,
    condition: ColumnElement[bool],
    *,
    subject: str,
    page: int,
    now: datetime,
    audit_detail: dict[str, int] | None = None,
) -> LogPage:
    scope = (condition, _visible(viewer))
    total = (
        await session.execute(
            select(func.count(CheckIn.id))
            .join(Person, Person.id == CheckIn.person_id)
            .where(*scope)
        )
    ).scalar_one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = (
        await session.execute(
            select(CheckIn, Person.code, Person.display_name)
            .join(Person, Person.id == CheckIn.person_id)
            .where(*scope)
            .order_by(CheckIn.started_at.desc(), CheckIn.id.desc())
            .offset((page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE)
        )
    ).all()
    entries = tuple(
        LogEntry(
            check_in_id=check_in.id,
            code=code,
            first_name=first_name(display_name),
            questionnaire=check_in.questionnaire,
            context=check_in.context.value,
            status=check_in.status.value,
            at=check_in.completed_at or check_in.started_at,
            measures={
                str(k): float(v)
                for k, v in ((check_in.scores or {}).get("measures") or {}).items()
                if v is not None
            },
            note=check_in.note,
            note_shareable=check_in.note_shareable,
        )
        for check_in, code, display_name in rows
    )
    for shown in sorted({entry.code for entry in entries}):
        await audit.record(
            session,
            actor_id=viewer.id,
            action="checkins.view",
            now=now,
            subject_code=shown,
            detail={"page": page, **(audit_detail or {})},
        )
    return LogPage(subject=subject, entries=entries, page=page, pages=pages, total=total)
