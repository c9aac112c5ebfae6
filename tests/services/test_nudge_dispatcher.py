"""The dispatcher against the local Bot API server: sent once, skipped if stale, quiet at night."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from telegram.constants import ParseMode
from telegram.ext import Defaults, ExtBot

from bot.clock import FixedClock
from bot.db.models import (
    Booking,
    BookingStatus,
    Nudge,
    NudgeKind,
    NudgeStatus,
    OccurrenceRow,
    OccurrenceStatus,
    Person,
    Reachability,
    Role,
    SafeguardingFlag,
)
from bot.db.session import SessionFactory
from bot.messaging.nudge_dispatcher import NudgeDispatcher
from bot.messaging.sender import Sender
from bot.sandbox import Limits, SandboxClient, SandboxServer
from bot.services import digest, nudge_answers, nudges, people
from tests.services import nudge_builders as build

TOKEN = "123456789:AAHsandboxTestTokenForNudges_01234567"
# Thursday 3 December 2026, 09:00 GMT.
NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
POLICY = build.policy()


@pytest.fixture
async def server() -> AsyncIterator[SandboxServer]:
    async with SandboxServer(TOKEN, limits=Limits.unlimited()) as running:
        yield running


@pytest.fixture
async def client(server: SandboxServer) -> AsyncIterator[SandboxClient]:
    async with SandboxClient(server.control_url) as control:
        yield control


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
async def dispatcher(
    server: SandboxServer, sessions: SessionFactory, clock: FixedClock
) -> AsyncIterator[NudgeDispatcher]:
    async with _bot(server) as bot:
        yield NudgeDispatcher(sessions, Sender(bot, bulk_rate=1000.0), clock, POLICY)


def _bot(server: SandboxServer) -> ExtBot[None]:
    """A bot like the application's: HTML parse mode by default."""
    return ExtBot(TOKEN, base_url=server.base_url, defaults=Defaults(parse_mode=ParseMode.HTML))


async def _started(client: SandboxClient, person: Person) -> int:
    """Registers the person in the sandbox and has them press Start, as a real user would."""
    await client.register_user(person.telegram_user_id, "Test")
    await client.send_text(person.telegram_user_id, "/start")
    return person.telegram_user_id


async def _nudges(sessions: SessionFactory) -> list[Nudge]:
    async with sessions() as session:
        return list(await session.scalars(select(Nudge).order_by(Nudge.due_at, Nudge.id)))


async def _book(sessions: SessionFactory, starts_at: datetime, **person: object) -> Booking:
    async with sessions.begin() as session:
        who = await build.person(session, **person)  # type: ignore[arg-type]
        booking = await build.booking(session, who, await build.occurrence(session, starts_at))
        # Booked two days ahead, so every reminder is planned.
        await nudges.plan_for_booking(session, booking, policy=POLICY, now=NOW - timedelta(days=2))
    return booking


async def _person_of(sessions: SessionFactory, booking: Booking) -> Person:
    async with sessions() as session:
        found = await session.get(Person, booking.person_id)
    assert found is not None
    return found


async def test_a_due_reminder_is_sent_once_with_its_buttons(
    sessions: SessionFactory, client: SandboxClient, dispatcher: NudgeDispatcher, clock: FixedClock
) -> None:
    booking = await _book(sessions, NOW + timedelta(hours=2))  # 11:00: the 2h reminder is due
    chat = await _started(client, await _person_of(sessions, booking))
    # Back after a night's downtime: last evening's reminder is superseded by this morning's.
    stats = await dispatcher.run()
    again = await dispatcher.run()
    assert (stats.sent, stats.skipped, again.handled) == (1, 1, 0)
    [message] = await client.messages(chat)
    assert message.text is not None and "Morecambe Community Choir" in message.text
    assert "today at 11:00" in message.text and "The Platform" in message.text
    assert [b.text for b in message.buttons] == ["Still going", "Can't make it"]
    sent = [n for n in await _nudges(sessions) if n.status is NudgeStatus.SENT]
    assert [(n.kind, n.message_id, n.attempts) for n in sent] == [
        (NudgeKind.SESSION_REMINDER, message.message_id, 1)
    ]
    # The next wake-up is the after-session prompt at 13:30.
    assert await dispatcher.next_due() == datetime(2026, 12, 3, 13, 30, tzinfo=UTC)


async def test_after_downtime_a_started_session_is_skipped_not_reminded_late(
    sessions: SessionFactory, client: SandboxClient, dispatcher: NudgeDispatcher, clock: FixedClock
) -> None:
    booking = await _book(sessions, NOW + timedelta(hours=3))
    chat = await _started(client, await _person_of(sessions, booking))
    # The bot was down from 09:00 until 15:00: the session (12:00–14:00) is over.
    clock.set(datetime(2026, 12, 3, 15, 0, tzinfo=UTC))
    stats = await dispatcher.run()
    assert (stats.sent, stats.skipped) == (1, 2)
    rows = await _nudges(sessions)
    assert [(n.kind, n.status, n.reason) for n in rows] == [
        (NudgeKind.SESSION_REMINDER, NudgeStatus.SKIPPED, "started"),
        (NudgeKind.SESSION_REMINDER, NudgeStatus.SKIPPED, "started"),
        (NudgeKind.AFTER_SESSION, NudgeStatus.SENT, None),
    ]
    [prompt] = await client.messages(chat)
    assert [b.text for b in prompt.buttons] == ["Yes, I went", "No, I didn't"]


async def test_a_nudge_falling_due_at_night_waits_for_the_morning(
    sessions: SessionFactory, client: SandboxClient, dispatcher: NudgeDispatcher, clock: FixedClock
) -> None:
    async with sessions.begin() as session:
        alice = await build.person(session)
        await nudges.plan_follow_ups(
            session,
            alice.id,
            baseline_completed_at=NOW - timedelta(weeks=6),
            policy=POLICY,
            now=NOW,
        )
    chat = await _started(client, alice)
    # The bot comes back at 23:00 with the 10:30 follow-up still unsent.
    clock.set(datetime(2026, 12, 3, 23, 0, tzinfo=UTC))
    assert (await dispatcher.run()).postponed == 1
    assert await client.messages(chat) == []
    morning = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
    assert await dispatcher.next_due() == morning
    clock.set(morning)
    assert (await dispatcher.run()).sent == 1
    [message] = await client.messages(chat)
    assert [b.text for b in message.buttons] == ["Start the check-in"]


async def test_blocking_the_bot_skips_the_rest_and_marks_them_unreachable(
    sessions: SessionFactory, client: SandboxClient, server: SandboxServer, clock: FixedClock
) -> None:
    booking = await _book(sessions, NOW + timedelta(hours=2))
    person = await _person_of(sessions, booking)
    await _started(client, person)
    await client.block(person.telegram_user_id)
    async with _bot(server) as bot:

        async def unreachable(chat_id: int) -> None:
            async with sessions.begin() as session:
                await people.mark_unreachable(session, chat_id, now=clock.now())

        sender = Sender(bot, bulk_rate=1000.0, on_unreachable=unreachable)
        stats = await NudgeDispatcher(sessions, sender, clock, POLICY).run()
    assert (stats.sent, stats.skipped) == (0, 2)
    # The reminder that failed and the prompt still to come are both skipped as blocked.
    assert [(n.status, n.reason) for n in await _nudges(sessions)] == [
        (NudgeStatus.SKIPPED, "superseded"),
        (NudgeStatus.SKIPPED, "blocked"),
        (NudgeStatus.SKIPPED, "blocked"),
    ]
    assert (await _person_of(sessions, booking)).reachability is Reachability.BLOCKED


async def test_cancellation_notice_goes_once_and_nothing_else_follows(
    sessions: SessionFactory, client: SandboxClient, dispatcher: NudgeDispatcher, clock: FixedClock
) -> None:
    booking = await _book(sessions, NOW + timedelta(days=1))
    chat = await _started(client, await _person_of(sessions, booking))
    async with sessions.begin() as session:
        for _ in range(2):  # cancelled twice by mistake
            occurrence = await session.get(OccurrenceRow, booking.occurrence_id)
            assert occurrence is not None
            occurrence.status, occurrence.note = OccurrenceStatus.CANCELLED, "Hall <flooded>"
            await nudges.skip_for_occurrence(session, occurrence.id, reason="cancelled", now=NOW)
    await dispatcher.run()
    clock.advance(timedelta(days=2))
    await dispatcher.run()
    [notice] = await client.messages(chat)
    assert notice.text is not None and "has been cancelled" in notice.text
    assert "Hall <flooded>" in notice.text  # escaped on the way in, shown as typed
    assert "tomorrow at 09:00" in notice.text


async def test_a_send_that_keeps_failing_is_retried_then_recorded_failed(
    sessions: SessionFactory, dispatcher: NudgeDispatcher, clock: FixedClock
) -> None:
    await _book(sessions, NOW + timedelta(hours=2))  # never started the bot: "chat not found"
    for _ in range(4):
        await dispatcher.run()
        due = await dispatcher.next_due()
        assert due is not None
        clock.set(max(clock.now(), due))
    rows = await _nudges(sessions)
    [reminder] = [n for n in rows if ":2h:" in n.key]
    assert reminder.status is NudgeStatus.FAILED and reminder.attempts == 4
    # Retried after 1, 5 and 25 minutes: all well before the 11:00 session.
    assert reminder.updated_at == datetime(2026, 12, 3, 9, 31, tzinfo=UTC)
    assert reminder.last_error is not None and "chat not found" in reminder.last_error.lower()


async def test_link_worker_digest_lists_codes_and_an_empty_day_sends_nothing(
    sessions: SessionFactory, client: SandboxClient, dispatcher: NudgeDispatcher, clock: FixedClock
) -> None:
    async with sessions.begin() as session:
        worker = await build.person(session, role=Role.LINK_WORKER)
        idle = await build.person(session, role=Role.LINK_WORKER)
        referred = await build.person(session, link_worker_id=worker.id, consent_at=NOW)
        session.add(
            SafeguardingFlag(person_id=referred.id, source="check_in", reasons=["x"], raised_at=NOW)
        )
        missed = await build.booking(
            session, referred, await build.occurrence(session, NOW - timedelta(days=1))
        )
        missed.status, missed.attendance_recorded_at = BookingStatus.DID_NOT_ATTEND, NOW
        assert await digest.plan_digests(session, policy=POLICY, now=NOW) == 2
        assert await digest.plan_digests(session, policy=POLICY, now=NOW) == 0
    chat = await _started(client, worker)
    await _started(client, idle)
    clock.set(datetime(2026, 12, 4, 8, 30, tzinfo=UTC))
    stats = await dispatcher.run()
    assert (stats.sent, stats.skipped) == (1, 1)
    [sent] = await client.messages(chat)
    assert sent.text is not None
    assert f"New referrals: {referred.code}" in sent.text
    assert f"New safeguarding flags: {referred.code}" in sent.text
    assert "still open: 1" in sent.text
    assert f"Missed sessions: {referred.code} (Morecambe Community Choir)" in sent.text
    assert await client.messages(idle.telegram_user_id) == []


async def test_answers_are_checked_against_the_person_and_the_booking(
    sessions: SessionFactory,
) -> None:
    booking = await _book(sessions, NOW + timedelta(hours=5))
    person = await _person_of(sessions, booking)
    rows = await _nudges(sessions)
    reminder = rows[0]
    after = rows[-1]
    async with sessions.begin() as session:
        stranger = await build.person(session)
        forged = await nudge_answers.answer(
            session,
            nudge_id=reminder.id,
            telegram_user_id=stranger.telegram_user_id,
            choice="cancel",
            now=NOW,
        )
        wrong_button = await nudge_answers.answer(
            session,
            nudge_id=reminder.id,
            telegram_user_id=person.telegram_user_id,
            choice="went",
            now=NOW,
        )
        cancelled = await nudge_answers.answer(
            session,
            nudge_id=reminder.id,
            telegram_user_id=person.telegram_user_id,
            choice="cancel",
            now=NOW,
        )
        twice = await nudge_answers.answer(
            session,
            nudge_id=reminder.id,
            telegram_user_id=person.telegram_user_id,
            choice="cancel",
            now=NOW,
        )
    assert [r.outcome for r in (forged, wrong_button, cancelled, twice)] == [
        nudge_answers.Outcome.NOT_FOR_YOU,
        nudge_answers.Outcome.NOT_FOR_YOU,
        nudge_answers.Outcome.CANCELLED,
        nudge_answers.Outcome.ALREADY_CANCELLED,
    ]
    async with sessions() as session:
        stored = await session.get(Booking, booking.id)
    assert stored is not None and stored.status is BookingStatus.CANCELLED
    assert all(n.status is NudgeStatus.SKIPPED for n in await _nudges(sessions))
    assert after.kind is NudgeKind.AFTER_SESSION


async def test_a_move_announced_late_in_the_evening_waits_for_the_morning(
    sessions: SessionFactory, client: SandboxClient, dispatcher: NudgeDispatcher, clock: FixedClock
) -> None:
    booking = await _book(sessions, datetime(2026, 12, 4, 14, 0, tzinfo=UTC))
    chat = await _started(client, await _person_of(sessions, booking))
    late = datetime(2026, 12, 3, 22, 30, tzinfo=UTC)
    clock.set(late)
    async with sessions.begin() as session:
        occurrence = await session.get(OccurrenceRow, booking.occurrence_id)
        assert occurrence is not None
        occurrence.starts_at = datetime(2026, 12, 4, 15, 30, tzinfo=UTC)
        occurrence.ends_at = datetime(2026, 12, 4, 17, 30, tzinfo=UTC)
        occurrence.status = OccurrenceStatus.MOVED
        await nudges.replan_for_occurrence(session, occurrence.id, policy=POLICY, now=late)
    stats = await dispatcher.run()
    assert stats.postponed == 1 and await client.messages(chat) == []
    clock.set(datetime(2026, 12, 4, 8, 0, tzinfo=UTC))
    assert (await dispatcher.run()).sent == 1
    [notice] = await client.messages(chat)
    assert "has moved: it's now today at 15:30 at The Platform" in notice.body


class TickingClock(FixedClock):
    """A clock that moves on four seconds every time it is read: a very slow send."""

    def now(self) -> datetime:
        moment = super().now()
        self.advance(timedelta(seconds=4))
        return moment


async def test_a_batch_stops_before_its_lease_ends_so_nothing_goes_twice(
    sessions: SessionFactory, client: SandboxClient, server: SandboxServer
) -> None:
    chats = []
    async with sessions.begin() as session:
        for _ in range(3):
            who = await build.person(session)
            baseline = NOW - timedelta(weeks=6, days=1)  # the 6-week follow-up was yesterday
            await nudges.plan_follow_ups(
                session, who.id, baseline_completed_at=baseline, policy=POLICY, now=baseline
            )
            chats.append(await _started(client, who))
    async with _bot(server) as bot:
        dispatcher = NudgeDispatcher(
            sessions,
            Sender(bot, bulk_rate=1000.0),
            TickingClock(NOW),
            POLICY,
            lease=timedelta(seconds=20),  # minus the 15 s margin: 5 s to send in
        )
        stats = await dispatcher.run()
    assert stats.sent == 3
    assert [len(await client.messages(chat)) for chat in chats] == [1, 1, 1]
    follow_ups = [n for n in await _nudges(sessions) if n.status is NudgeStatus.SENT]
    # The first of each claim went at once; the rest waited for a fresh claim.
    assert sorted(n.attempts for n in follow_ups) == [1, 2, 3]
