"""Planning nudges for bookings, changes, people's choices and follow-ups, with a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Nudge, NudgeKind, NudgeStatus, OccurrenceStatus, Reachability
from bot.db.session import SessionFactory
from bot.services import nudges, people
from tests.services import nudge_builders as build

# A Wednesday in December (GMT, so local time equals UTC).
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
FRIDAY_TEN = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
POLICY = build.policy()


async def _rows(session: AsyncSession, **where: object) -> list[Nudge]:
    query = select(Nudge).order_by(Nudge.due_at, Nudge.id)
    for column, value in where.items():
        query = query.where(getattr(Nudge, column) == value)
    return list(await session.scalars(query))


async def test_a_booking_plans_two_reminders_and_an_after_session_prompt(
    sessions: SessionFactory,
) -> None:
    async with sessions.begin() as session:
        alice = await build.person(session)
        booking = await build.booking(session, alice, await build.occurrence(session, FRIDAY_TEN))
        planned = await nudges.plan_for_booking(session, booking, policy=POLICY, now=NOW)
    assert [(n.kind, n.due_at) for n in planned] == [
        (NudgeKind.SESSION_REMINDER, datetime(2026, 12, 3, 18, 0, tzinfo=UTC)),
        (NudgeKind.SESSION_REMINDER, datetime(2026, 12, 4, 8, 0, tzinfo=UTC)),
        (NudgeKind.AFTER_SESSION, datetime(2026, 12, 4, 12, 30, tzinfo=UTC)),
    ]
    async with sessions() as session:
        stored = await _rows(session)
    assert all(n.status is NudgeStatus.PENDING and n.booking_id == booking.id for n in stored)
    assert len(stored) == 3


async def test_planning_twice_keeps_one_set(sessions: SessionFactory) -> None:
    async with sessions.begin() as session:
        alice = await build.person(session)
        booking = await build.booking(session, alice, await build.occurrence(session, FRIDAY_TEN))
        await nudges.plan_for_booking(session, booking, policy=POLICY, now=NOW)
        await nudges.plan_for_booking(session, booking, policy=POLICY, now=NOW)
        assert len(await _rows(session)) == 3


async def test_past_reminders_are_not_planned(sessions: SessionFactory) -> None:
    late = datetime(2026, 12, 3, 19, 0, tzinfo=UTC)  # after 18:00 the evening before
    async with sessions.begin() as session:
        alice = await build.person(session)
        booking = await build.booking(session, alice, await build.occurrence(session, FRIDAY_TEN))
        planned = await nudges.plan_for_booking(session, booking, policy=POLICY, now=late)
    assert [n.key.split(":")[2] for n in planned if n.kind is NudgeKind.SESSION_REMINDER] == ["2h"]


async def test_quiet_hours_move_an_early_reminder_or_drop_it(sessions: SessionFactory) -> None:
    nine = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
    ten_past_eight = datetime(2026, 12, 4, 8, 10, tzinfo=UTC)
    late_evening = datetime(2026, 12, 4, 19, 0, tzinfo=UTC)
    async with sessions.begin() as session:
        alice = await build.person(session)
        at_nine = await build.booking(session, alice, await build.occurrence(session, nine))
        early = await build.booking(session, alice, await build.occurrence(session, ten_past_eight))
        evening = await build.booking(session, alice, await build.occurrence(session, late_evening))
        nine_plan = await nudges.plan_for_booking(session, at_nine, policy=POLICY, now=NOW)
        early_plan = await nudges.plan_for_booking(session, early, policy=POLICY, now=NOW)
        evening_plan = await nudges.plan_for_booking(session, evening, policy=POLICY, now=NOW)
    # 07:00 is quiet: the 2-hour reminder comes at 08:00, still an hour's notice.
    assert datetime(2026, 12, 4, 8, 0, tzinfo=UTC) in [n.due_at for n in nine_plan]
    # For 08:10, 08:00 leaves ten minutes: not useful, so only the evening-before one.
    assert [n.key.split(":")[2] for n in early_plan if n.kind is NudgeKind.SESSION_REMINDER] == [
        "1d@1800"
    ]
    # A session ending at 21:00 gets its "how did it go?" at 08:00 next morning, not 21:30.
    [after] = [n for n in evening_plan if n.kind is NudgeKind.AFTER_SESSION]
    assert after.due_at == datetime(2026, 12, 5, 8, 0, tzinfo=UTC)


async def test_each_person_gets_their_own_time_zone(sessions: SessionFactory) -> None:
    async with sessions.begin() as session:
        ny = await build.person(session, timezone="America/New_York")
        booking = await build.booking(session, ny, await build.occurrence(session, FRIDAY_TEN))
        planned = await nudges.plan_for_booking(session, booking, policy=POLICY, now=NOW)
    # Friday 10:00 UTC is 05:00 in New York: the evening before at 18:00 EST is 23:00 UTC,
    # and the 2-hour reminder (03:00 there) is inside quiet hours and cannot be moved usefully.
    reminders = [n.due_at for n in planned if n.kind is NudgeKind.SESSION_REMINDER]
    assert reminders == [datetime(2026, 12, 3, 23, 0, tzinfo=UTC)]


async def test_reminders_off_plans_nothing_and_switching_skips_and_replans(
    sessions: SessionFactory,
) -> None:
    async with sessions.begin() as session:
        quiet_one = await build.person(session, preferences={"reminders": False})
        meeting = await build.occurrence(session, FRIDAY_TEN)
        booking = await build.booking(session, quiet_one, meeting)
        assert await nudges.plan_for_booking(session, booking, policy=POLICY, now=NOW) == []
        assert (
            await nudges.set_reminders(session, quiet_one.id, enabled=True, policy=POLICY, now=NOW)
            == 3
        )
        follow_ups = await nudges.plan_follow_ups(
            session, quiet_one.id, baseline_completed_at=NOW, policy=POLICY, now=NOW
        )
        assert (
            await nudges.set_reminders(session, quiet_one.id, enabled=False, policy=POLICY, now=NOW)
            == 3
        )
    async with sessions() as session:
        rows = await _rows(session, person_id=quiet_one.id)
    session_rows = [n for n in rows if n.kind is not NudgeKind.CHECK_IN_DUE]
    assert {(n.status, n.reason) for n in session_rows} == {(NudgeStatus.SKIPPED, "reminders_off")}
    # Follow-up check-ins are part of the referral, not reminders: they stay.
    assert {n.id for n in rows if n.status is NudgeStatus.PENDING} == {n.id for n in follow_ups}


async def test_blocking_the_bot_skips_everything_pending(sessions: SessionFactory) -> None:
    async with sessions.begin() as session:
        alice = await build.person(session)
        booking = await build.booking(session, alice, await build.occurrence(session, FRIDAY_TEN))
        await nudges.plan_for_booking(session, booking, policy=POLICY, now=NOW)
        assert await people.mark_unreachable(session, alice.telegram_user_id, now=NOW)
        assert alice.reachability is Reachability.BLOCKED
        # Nothing new is planned for someone who blocked the bot.
        assert await nudges.plan_for_booking(session, booking, policy=POLICY, now=NOW) == []
    async with sessions() as session:
        rows = await _rows(session)
    assert {(n.status, n.reason) for n in rows} == {(NudgeStatus.SKIPPED, "blocked")}


async def test_a_cancelled_session_skips_reminders_and_tells_each_person_once(
    sessions: SessionFactory,
) -> None:
    async with sessions.begin() as session:
        alice, bob = await build.person(session), await build.person(session)
        meeting = await build.occurrence(session, FRIDAY_TEN)
        for who in (alice, bob):
            booking = await build.booking(session, who, meeting)
            await nudges.plan_for_booking(session, booking, policy=POLICY, now=NOW)
        meeting.status = OccurrenceStatus.CANCELLED
        skipped = await nudges.skip_for_occurrence(session, meeting.id, reason="cancelled", now=NOW)
        # The link worker presses "cancel" twice: nothing more is skipped or sent.
        again = await nudges.skip_for_occurrence(session, meeting.id, reason="cancelled", now=NOW)
    assert (skipped, again) == (6, 0)
    async with sessions() as session:
        notices = await _rows(session, kind=NudgeKind.SESSION_CHANGE)
        pending = await _rows(session, status=NudgeStatus.PENDING)
    assert sorted(n.person_id for n in notices) == sorted([alice.id, bob.id])
    assert pending == notices and all(n.due_at == NOW for n in notices)


async def test_a_moved_session_replans_and_tells_once(sessions: SessionFactory) -> None:
    async with sessions.begin() as session:
        alice = await build.person(session)
        meeting = await build.occurrence(session, FRIDAY_TEN)
        booking = await build.booking(session, alice, meeting)
        await nudges.plan_for_booking(session, booking, policy=POLICY, now=NOW)
        meeting.starts_at = FRIDAY_TEN + timedelta(hours=4)
        meeting.ends_at = FRIDAY_TEN + timedelta(hours=6)
        meeting.status = OccurrenceStatus.MOVED
        replanned = await nudges.replan_for_occurrence(session, meeting.id, policy=POLICY, now=NOW)
        await nudges.replan_for_occurrence(session, meeting.id, policy=POLICY, now=NOW)
    assert [n.due_at for n in replanned] == [
        datetime(2026, 12, 3, 18, 0, tzinfo=UTC),
        datetime(2026, 12, 4, 12, 0, tzinfo=UTC),
        datetime(2026, 12, 4, 16, 30, tzinfo=UTC),
    ]
    async with sessions() as session:
        skipped = await _rows(session, status=NudgeStatus.SKIPPED)
        notices = await _rows(session, kind=NudgeKind.SESSION_CHANGE)
    assert len(skipped) == 3 and {n.reason for n in skipped} == {"moved"}
    assert len(notices) == 1


async def test_cancelling_a_booking_skips_only_its_nudges(sessions: SessionFactory) -> None:
    async with sessions.begin() as session:
        alice = await build.person(session)
        first = await build.booking(session, alice, await build.occurrence(session, FRIDAY_TEN))
        second_meeting = await build.occurrence(session, FRIDAY_TEN + timedelta(days=7))
        second = await build.booking(session, alice, second_meeting)
        for booking in (first, second):
            await nudges.plan_for_booking(session, booking, policy=POLICY, now=NOW)
        assert await nudges.skip_for_booking(session, first.id, reason="booking_cancelled", now=NOW)
    async with sessions() as session:
        assert {n.booking_id for n in await _rows(session, status=NudgeStatus.PENDING)} == {
            second.id
        }


async def test_follow_ups_come_mid_morning_local_time_weeks_later(sessions: SessionFactory) -> None:
    # A baseline done late on a summer evening (23:30 BST is 22:30 UTC).
    baseline = datetime(2026, 9, 14, 22, 30, tzinfo=UTC)
    async with sessions.begin() as session:
        alice = await build.person(session)
        planned = await nudges.plan_follow_ups(
            session, alice.id, baseline_completed_at=baseline, policy=POLICY, now=baseline
        )
        again = await nudges.plan_follow_ups(
            session, alice.id, baseline_completed_at=baseline, policy=POLICY, now=baseline
        )
    # Six weeks on is 26 October, after the clocks went back: 10:30 GMT. Twelve weeks: 7 Dec.
    assert [n.due_at for n in planned] == [
        datetime(2026, 10, 26, 10, 30, tzinfo=UTC),
        datetime(2026, 12, 7, 10, 30, tzinfo=UTC),
    ]
    assert {n.id for n in again} == {n.id for n in planned}
    assert all(n.kind is NudgeKind.CHECK_IN_DUE for n in planned)


async def test_the_day_before_reminder_keeps_to_six_pm_across_the_clock_change(
    sessions: SessionFactory,
) -> None:
    """Clocks go back at 02:00 BST on Sunday 25 October 2026."""
    booked_at = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)
    sunday_noon_gmt = datetime(2026, 10, 25, 12, 0, tzinfo=UTC)
    monday_ten_gmt = datetime(2026, 10, 26, 10, 0, tzinfo=UTC)
    async with sessions.begin() as session:
        alice = await build.person(session)
        plans = {}
        for starts in (sunday_noon_gmt, monday_ten_gmt):
            booking = await build.booking(session, alice, await build.occurrence(session, starts))
            planned = await nudges.plan_for_booking(session, booking, policy=POLICY, now=booked_at)
            plans[starts] = [n.due_at for n in planned if n.kind is NudgeKind.SESSION_REMINDER]
    # Saturday 18:00 BST is 17:00 UTC; Sunday 18:00 GMT is 18:00 UTC.
    assert plans[sunday_noon_gmt] == [
        datetime(2026, 10, 24, 17, 0, tzinfo=UTC),
        datetime(2026, 10, 25, 10, 0, tzinfo=UTC),
    ]
    assert plans[monday_ten_gmt] == [
        datetime(2026, 10, 25, 18, 0, tzinfo=UTC),
        datetime(2026, 10, 26, 8, 0, tzinfo=UTC),
    ]


async def test_a_later_change_gets_its_own_notice_and_replaces_one_not_yet_sent(
    sessions: SessionFactory,
) -> None:
    async with sessions.begin() as session:
        alice = await build.person(session)
        meeting = await build.occurrence(session, FRIDAY_TEN)
        booking = await build.booking(session, alice, meeting)
        await nudges.plan_for_booking(session, booking, policy=POLICY, now=NOW)
        meeting.status = OccurrenceStatus.MOVED
        meeting.starts_at = FRIDAY_TEN + timedelta(hours=1)
        await nudges.replan_for_occurrence(session, meeting.id, policy=POLICY, now=NOW)
        # An hour later it moves back to ten o'clock: people must hear that too.
        meeting.starts_at = FRIDAY_TEN
        later = NOW + timedelta(hours=1)
        await nudges.replan_for_occurrence(session, meeting.id, policy=POLICY, now=later)
    async with sessions() as session:
        notices = await _rows(session, kind=NudgeKind.SESSION_CHANGE)
        reminders = await _rows(
            session, kind=NudgeKind.SESSION_REMINDER, status=NudgeStatus.PENDING
        )
    assert [(n.status, n.reason, n.due_at) for n in notices] == [
        (NudgeStatus.SKIPPED, "superseded", NOW),
        (NudgeStatus.PENDING, None, later),
    ]
    # The ten o'clock reminders are planned again, not lost with the first move.
    assert [n.due_at for n in reminders] == [
        datetime(2026, 12, 3, 18, 0, tzinfo=UTC),
        datetime(2026, 12, 4, 8, 0, tzinfo=UTC),
    ]
