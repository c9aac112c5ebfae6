"""Session changes: cancel with one notice each and no reminders, move by time or venue, notes."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.db.models import (
    AuditEvent,
    Broadcast,
    Nudge,
    NudgeKind,
    NudgeStatus,
    OccurrenceRow,
    OccurrenceStatus,
    Person,
    Role,
    VenueRow,
)
from bot.db.session import SessionFactory
from bot.messaging import staff_texts
from bot.services import bookings, session_changes
from tests.services.booking_builders import NOW, activity, import_demo, participant, policy

LONDON = ZoneInfo("Europe/London")


def test_parse_new_time_reads_plain_british_forms() -> None:
    current = datetime(2026, 11, 24, 10, 30, tzinfo=LONDON)  # a Tuesday
    assert session_changes.parse_new_time("19:30", current, LONDON) == current.replace(
        hour=19, minute=30
    )
    thursday = session_changes.parse_new_time("Thursday 7pm", current, LONDON)
    assert thursday == datetime(2026, 11, 26, 19, 0, tzinfo=LONDON)
    assert session_changes.parse_new_time("27/11 18:00", current, LONDON) == datetime(
        2026, 11, 27, 18, 0, tzinfo=LONDON
    )
    assert session_changes.parse_new_time("Friday", current, LONDON) == datetime(
        2026, 11, 27, 10, 30, tzinfo=LONDON
    )
    assert session_changes.parse_new_time("the library hall", current, LONDON) is None


async def _booked_world(sessions: SessionFactory) -> tuple[int, int, list[int]]:
    await import_demo(sessions)
    async with sessions.begin() as session:
        worker = await participant(session, role=Role.LINK_WORKER)
        choir = await activity(session, "mor-sing-for-joy")
        people = [await participant(session) for _ in range(3)]
        occurrence_id = 0
        for who in people:
            booked = await bookings.book_next(
                session, person_id=who.id, activity_id=choir.id, now=NOW, policy=policy()
            )
            occurrence_id = booked.booking.occurrence_id
        return worker.id, occurrence_id, [p.id for p in people]


async def _nudges(
    sessions: SessionFactory, occurrence_id: int
) -> list[tuple[NudgeKind, NudgeStatus]]:
    async with sessions() as session:
        rows = await session.execute(
            select(Nudge.kind, Nudge.status).where(Nudge.occurrence_id == occurrence_id)
        )
        return [(row.kind, row.status) for row in rows]


async def test_cancel_skips_reminders_and_tells_each_booked_person_once(
    sessions: SessionFactory,
) -> None:
    worker_id, occurrence_id, _ = await _booked_world(sessions)
    async with sessions.begin() as session:
        listed = await session_changes.upcoming(session, now=NOW, words="joy")
        assert listed[0].occurrence_id == occurrence_id and listed[0].booked == 3
        assert await session_changes.upcoming(session, now=NOW, words="zzz") == []
    async with sessions.begin() as session:
        worker = await session.get(Person, worker_id)
        assert worker is not None
        assert await session_changes.cancel(session, worker, occurrence_id, now=NOW) == 3
        with pytest.raises(session_changes.ChangeError, match="already cancelled"):
            await session_changes.cancel(session, worker, occurrence_id, now=NOW)
    nudges = await _nudges(sessions, occurrence_id)
    changes = [n for n in nudges if n[0] is NudgeKind.SESSION_CHANGE]
    assert changes == [(NudgeKind.SESSION_CHANGE, NudgeStatus.PENDING)] * 3
    assert all(
        status is NudgeStatus.SKIPPED
        for kind, status in nudges
        if kind is not NudgeKind.SESSION_CHANGE
    )
    async with sessions() as session:
        meeting = await session_changes.meeting(session, occurrence_id)
        assert meeting.status is OccurrenceStatus.CANCELLED
        assert (
            await session.scalar(select(AuditEvent.action).where(AuditEvent.actor_id == worker_id))
            == "session.cancel"
        )


async def test_move_by_time_or_venue_replans_and_bookings_follow(sessions: SessionFactory) -> None:
    worker_id, occurrence_id, _ = await _booked_world(sessions)
    async with sessions.begin() as session:
        worker = await session.get(Person, worker_id)
        assert worker is not None
        before = await session.get(OccurrenceRow, occurrence_id)
        assert before is not None
        old_start, length = (
            before.starts_at,
            (before.ends_at or before.starts_at) - before.starts_at,
        )
        moved = await session_changes.move(
            session, worker, occurrence_id, "19:00", zone=LONDON, policy=policy(), now=NOW
        )
        assert moved.starts_at.astimezone(LONDON).hour == 19
        assert moved.starts_at.date() == old_start.date() and moved.booked == 3
        assert moved.status is OccurrenceStatus.MOVED
        row = await session.get(OccurrenceRow, occurrence_id)
        assert row is not None and row.ends_at is not None
        assert row.ends_at - row.starts_at == length
        venue = await session.scalar(select(VenueRow).where(VenueRow.name.like("St Laurence%")))
        assert venue is not None
        there = await session_changes.move(
            session, worker, occurrence_id, "at st laurence", zone=LONDON, policy=policy(), now=NOW
        )
        assert there.venue == venue.name
        with pytest.raises(session_changes.ChangeError, match="could not read"):
            await session_changes.move(
                session,
                worker,
                occurrence_id,
                "somewhere nice",
                zone=LONDON,
                policy=policy(),
                now=NOW,
            )
        with pytest.raises(session_changes.ChangeError, match="passed"):
            await session_changes.move(
                session,
                worker,
                occurrence_id,
                "1/1/2020 10:00",
                zone=LONDON,
                policy=policy(),
                now=NOW,
            )
    nudges = await _nudges(sessions, occurrence_id)
    pending_reminders = [
        kind
        for kind, status in nudges
        if status is NudgeStatus.PENDING and kind is NudgeKind.SESSION_REMINDER
    ]
    assert pending_reminders, "reminders are planned again for the new time"
    assert sum(1 for kind, _ in nudges if kind is NudgeKind.SESSION_CHANGE) >= 3


async def test_notes_are_stored_and_started_sessions_are_left_alone(
    sessions: SessionFactory,
) -> None:
    worker_id, occurrence_id, _ = await _booked_world(sessions)
    async with sessions.begin() as session:
        worker = await session.get(Person, worker_id)
        assert worker is not None
        told = await session_changes.add_note(
            session, worker, occurrence_id, "  Bring water  ", chat_id=1, zone=LONDON, now=NOW
        )
        row = await session.get(OccurrenceRow, occurrence_id)
        assert row is not None and row.note == "Bring water" and told == 3
        note = await session.scalar(select(Broadcast.text))
        assert (
            note is not None
            and note.startswith("Sing for Joy Morecambe, Tue")
            and note.endswith(": Bring water")
        )
        with pytest.raises(session_changes.ChangeError, match="empty"):
            await session_changes.add_note(
                session, worker, occurrence_id, "   ", chat_id=1, zone=LONDON, now=NOW
            )
        later = row.starts_at + timedelta(minutes=5)
        with pytest.raises(session_changes.ChangeError, match="started"):
            await session_changes.cancel(session, worker, occurrence_id, now=later)
        with pytest.raises(session_changes.ChangeError, match="no longer exists"):
            await session_changes.meeting(session, 999_999)


def test_titles_and_venues_are_escaped_in_staff_copy() -> None:
    meeting = session_changes.Meeting(
        1,
        "Arts & <Crafts>",
        datetime(2026, 11, 24, 10, 30, tzinfo=LONDON),
        OccurrenceStatus.MOVED,
        2,
        "Hall <B>",
        None,
    )
    assert "Arts &amp; &lt;Crafts&gt;" in staff_texts.confirm_cancel(meeting, LONDON)
    moved = staff_texts.moved(meeting, LONDON)
    assert "Arts &amp; &lt;Crafts&gt;" in moved and "Hall &lt;B&gt;" in moved and "10:30" in moved
