"""Bookings against a real database: I'll go, pressing twice, every week, and can't make it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.db.migrate import upgrade
from bot.db.models import (
    ActivityStatus,
    Booking,
    BookingStatus,
    Nudge,
    NudgeStatus,
    OccurrenceStatus,
)
from bot.db.session import SessionFactory, create_engine, create_session_factory
from bot.services import bookings
from bot.services.bookings import BookingRefused, Refusal
from bot.services.catalogue import refresh_occurrences
from tests.services import booking_builders as build
from tests.services.booking_builders import NOW

SING = "mor-sing-for-joy"  # Tuesdays 10:30-12:00 in Morecambe


@pytest.fixture
async def demo(sessions: SessionFactory) -> SessionFactory:
    await build.import_demo(sessions)
    return sessions


async def _book(sessions: SessionFactory, person_id: int, source_id: str = SING) -> int:
    async with sessions.begin() as session:
        activity = await build.activity(session, source_id)
        result = await bookings.book_next(
            session, person_id=person_id, activity_id=activity.id, now=NOW, policy=build.policy()
        )
        return result.booking.id


async def _person(sessions: SessionFactory) -> int:
    async with sessions.begin() as session:
        return (await build.participant(session)).id


async def test_ill_go_books_the_next_meeting_and_plans_its_reminders(
    demo: SessionFactory,
) -> None:
    person_id = await _person(demo)
    async with demo.begin() as session:
        activity = await build.activity(session, SING)
        result = await bookings.book_next(
            session, person_id=person_id, activity_id=activity.id, now=NOW, policy=build.policy()
        )
        assert result.created and result.later >= 4
    async with demo() as session:
        booking = await session.get(Booking, result.booking.id)
        assert booking is not None and booking.status is BookingStatus.BOOKED
        first = (await build.meetings(session, SING))[0]
        assert booking.occurrence_id == first.id
        assert first.starts_at == datetime(2026, 11, 24, 10, 30, tzinfo=UTC)
        planned = await session.scalar(
            select(func.count(Nudge.id)).where(
                Nudge.booking_id == booking.id, Nudge.status == NudgeStatus.PENDING
            )
        )
        assert planned and planned >= 2  # the day-before and two-hours-before reminders


async def test_pressing_ill_go_twice_keeps_one_booking(demo: SessionFactory) -> None:
    person_id = await _person(demo)
    first = await _book(demo, person_id)
    async with demo.begin() as session:
        activity = await build.activity(session, SING)
        again = await bookings.book_next(
            session, person_id=person_id, activity_id=activity.id, now=NOW, policy=build.policy()
        )
    assert again.booking.id == first and not again.created
    async with demo() as session:
        count = await session.scalar(
            select(func.count(Booking.id)).where(Booking.person_id == person_id)
        )
    assert count == 1


async def test_a_cancelled_next_meeting_is_skipped(demo: SessionFactory) -> None:
    person_id = await _person(demo)
    async with demo.begin() as session:
        first, second = (await build.meetings(session, SING))[:2]
        first.status = OccurrenceStatus.CANCELLED
    booking_id = await _book(demo, person_id)
    async with demo() as session:
        booking = await session.get(Booking, booking_id)
        assert booking is not None and booking.occurrence_id == second.id


@pytest.mark.parametrize(
    ("change", "reason"),
    [("withdrawn", Refusal.NOT_FOUND), ("all_cancelled", Refusal.NOTHING_UPCOMING)],
)
async def test_nothing_to_book_is_refused(
    demo: SessionFactory, change: str, reason: Refusal
) -> None:
    person_id = await _person(demo)
    async with demo.begin() as session:
        activity = await build.activity(session, SING)
        if change == "withdrawn":
            activity.status = ActivityStatus.INACTIVE
        for meeting in await build.meetings(session, SING):
            meeting.status = OccurrenceStatus.CANCELLED
    with pytest.raises(BookingRefused) as refused:
        await _book(demo, person_id)
    assert refused.value.reason is reason


async def test_an_unknown_activity_is_refused(demo: SessionFactory) -> None:
    person_id = await _person(demo)
    async with demo.begin() as session:
        with pytest.raises(BookingRefused) as refused:
            await bookings.book_next(
                session, person_id=person_id, activity_id=99_999, now=NOW, policy=build.policy()
            )
    assert refused.value.reason is Refusal.NOT_FOUND


async def test_cancelling_skips_reminders_and_cannot_be_repeated(demo: SessionFactory) -> None:
    person_id = await _person(demo)
    booking_id = await _book(demo, person_id)
    async with demo.begin() as session:
        booking = await bookings.cancel_booking(
            session, person_id=person_id, booking_id=booking_id, now=NOW
        )
        assert booking.status is BookingStatus.CANCELLED and booking.cancelled_at == NOW
    async with demo() as session:
        statuses = set(
            await session.scalars(select(Nudge.status).where(Nudge.booking_id == booking_id))
        )
    assert statuses == {NudgeStatus.SKIPPED}
    async with demo.begin() as session:
        with pytest.raises(BookingRefused) as refused:
            await bookings.cancel_booking(
                session, person_id=person_id, booking_id=booking_id, now=NOW
            )
    assert refused.value.reason is Refusal.ALREADY_CANCELLED


async def test_changing_your_mind_books_the_same_row_again(demo: SessionFactory) -> None:
    person_id = await _person(demo)
    booking_id = await _book(demo, person_id)
    async with demo.begin() as session:
        await bookings.cancel_booking(session, person_id=person_id, booking_id=booking_id, now=NOW)
    assert await _book(demo, person_id) == booking_id
    async with demo() as session:
        booking = await session.get(Booking, booking_id)
        assert booking is not None
        assert booking.status is BookingStatus.BOOKED and booking.cancelled_at is None


@pytest.mark.parametrize(
    ("who", "when", "reason"),
    [
        ("someone_else", NOW, Refusal.NOT_YOURS),
        ("owner", datetime(2026, 11, 24, 10, 31, tzinfo=UTC), Refusal.STARTED),
    ],
)
async def test_cancelling_is_refused_for_others_and_after_the_start(
    demo: SessionFactory, who: str, when: datetime, reason: Refusal
) -> None:
    owner, other = await _person(demo), await _person(demo)
    booking_id = await _book(demo, owner)
    async with demo.begin() as session:
        with pytest.raises(BookingRefused) as refused:
            await bookings.cancel_booking(
                session,
                person_id=other if who == "someone_else" else owner,
                booking_id=booking_id,
                now=when,
            )
    assert refused.value.reason is reason
    async with demo() as session:
        booking = await session.get(Booking, booking_id)
        assert booking is not None and booking.status is BookingStatus.BOOKED


async def test_a_missing_booking_is_not_found(demo: SessionFactory) -> None:
    person_id = await _person(demo)
    async with demo.begin() as session:
        with pytest.raises(BookingRefused) as refused:
            await bookings.owned(session, person_id=person_id, booking_id=123_456)
    assert refused.value.reason is Refusal.NOT_FOUND


async def test_every_week_books_the_series_but_not_dates_they_cancelled(
    demo: SessionFactory,
) -> None:
    person_id = await _person(demo)
    async with demo.begin() as session:
        meetings = await build.meetings(session, SING)
        activity = await build.activity(session, SING)
        # They had said they could not make the third Tuesday.
        session.add(
            Booking(
                person_id=person_id,
                occurrence_id=meetings[2].id,
                activity_id=activity.id,
                status=BookingStatus.CANCELLED,
                cancelled_at=NOW,
            )
        )
    booking_id = await _book(demo, person_id)
    async with demo.begin() as session:
        series = await bookings.make_standing(
            session, person_id=person_id, booking_id=booking_id, now=NOW, policy=build.policy()
        )
    assert [b.occurrence_id for b in series] == [m.id for i, m in enumerate(meetings) if i != 2]
    assert all(b.standing for b in series)
    async with demo() as session:
        third = await session.scalar(select(Booking).where(Booking.occurrence_id == meetings[2].id))
        assert third is not None and third.status is BookingStatus.CANCELLED


async def test_every_week_is_refused_for_someone_elses_booking(demo: SessionFactory) -> None:
    owner, other = await _person(demo), await _person(demo)
    booking_id = await _book(demo, owner)
    async with demo.begin() as session:
        with pytest.raises(BookingRefused) as refused:
            await bookings.make_standing(
                session, person_id=other, booking_id=booking_id, now=NOW, policy=build.policy()
            )
    assert refused.value.reason is Refusal.NOT_YOURS
    async with demo() as session:
        count = await session.scalar(select(func.count(Booking.id)))
    assert count == 1


async def test_standing_bookings_extend_to_newly_materialised_meetings(
    demo: SessionFactory,
) -> None:
    keen, lapsed = await _person(demo), await _person(demo)
    for person_id in (keen, lapsed):
        booking_id = await _book(demo, person_id)
        async with demo.begin() as session:
            await bookings.make_standing(
                session, person_id=person_id, booking_id=booking_id, now=NOW, policy=build.policy()
            )
    async with demo.begin() as session:
        for booking in await session.scalars(select(Booking).where(Booking.person_id == lapsed)):
            booking.status = BookingStatus.CANCELLED  # every date cancelled: the series is over
        before = len(await build.meetings(session, SING))
        later = NOW + timedelta(days=28)
        await refresh_occurrences(session, now=later)
        new = len(await build.meetings(session, SING)) - before
        assert new > 0
        added = await bookings.extend_standing(session, now=later, policy=build.policy())
        assert added == new
        assert await bookings.extend_standing(session, now=later, policy=build.policy()) == 0
    async with demo() as session:
        keen_count = await session.scalar(
            select(func.count(Booking.id)).where(
                Booking.person_id == keen, Booking.standing.is_(True)
            )
        )
        assert keen_count == before + new


@pytest.mark.postgres
async def test_two_presses_racing_in_two_processes_leave_one_booking(postgres_url: str) -> None:
    await asyncio.to_thread(upgrade, postgres_url)
    engine = create_engine(postgres_url)
    try:
        sessions = create_session_factory(engine)
        await build.import_demo(sessions)
        person_id = await _person(sessions)
        first, second = await asyncio.gather(_book(sessions, person_id), _book(sessions, person_id))
        assert first == second
        async with sessions() as session:
            count = await session.scalar(select(func.count(Booking.id)))
        assert count == 1
    finally:
        await engine.dispose()
