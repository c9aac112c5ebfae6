"""Nudges end to end, in real time: "I'll go", the reminder, "Can't make it", "how did it go?".

The bot runs on the system clock here, so the dispatcher's own wake-ups (not a test poking
it) deliver each nudge when it falls due.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.clock import Clock, SystemClock
from bot.db.models import (
    Answer,
    Booking,
    BookingStatus,
    CheckIn,
    CheckInContext,
    CheckInStatus,
    Nudge,
    NudgeKind,
    NudgeStatus,
    Person,
)
from bot.db.session import create_engine, create_session_factory
from bot.local_bot import LocalChorus
from bot.messaging.callbacks import encode
from bot.sandbox.received import BotMessage
from tests.services import nudge_builders as build

ALICE = 2001


@pytest.fixture
def clock() -> Clock:
    return SystemClock()


@pytest.fixture
def e2e_settings() -> dict[str, object]:
    # A one-minute reminder, the prompt as soon as the session ends, and no quiet hours (the
    # suite may run at night).
    return {"nudge_before": "1m", "nudge_after": "0m", "quiet_hours": "off"}


async def _catalogue_settled(chorus: LocalChorus) -> None:
    """Waits for the start-up refresh of meetings, which drops hand-made test meetings."""
    for _ in range(100):
        assert chorus.app.job_queue is not None
        if not chorus.app.job_queue.get_jobs_by_name("occurrences-start"):
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the start-up refresh of meetings never ran")


async def _participant(chorus: LocalChorus) -> BotMessage:
    """Alice has joined and agreed to the privacy notice; returns a bot message to press on."""
    await _catalogue_settled(chorus)
    async with chorus.sessions.begin() as session:
        session.add(
            Person(
                telegram_user_id=ALICE,
                chat_id=ALICE,
                code="P-ALCE",
                consent_at=datetime.now(UTC),
                interests=[],
                access_needs=[],
                preferences={},
            )
        )
    await chorus.client.register_user(ALICE, "Alice")
    await chorus.client.send_text(ALICE, "/help")
    [help_message] = await chorus.client.wait_for_messages(ALICE, 1)
    return help_message


async def _session_starting(chorus: LocalChorus, after: timedelta, title: str) -> int:
    async with chorus.sessions.begin() as session:
        meeting = await build.occurrence(
            session, datetime.now(UTC) + after, length=timedelta(seconds=1), title=title
        )
    return meeting.activity_id


async def _ill_go(chorus: LocalChorus, on: BotMessage, activity_id: int) -> list[BotMessage]:
    await chorus.client.press(ALICE, on, callback_data=encode("go", activity_id))
    return await chorus.client.wait_for_messages(ALICE, 1)


async def _next_with_buttons(chorus: LocalChorus, after: int, timeout: float) -> BotMessage:
    """The first message after message `after` that carries buttons (a nudge), waiting for it."""
    for _ in range(10):
        found = await chorus.client.wait_for_messages(
            ALICE, 1, timeout=timeout, after_message_id=after
        )
        with_buttons = [m for m in found if m.buttons]
        if with_buttons:
            return with_buttons[0]
        after = max(m.message_id for m in found)
    raise AssertionError("no message with buttons arrived")


async def _answer_recorded(chorus: LocalChorus, item: str) -> int | None:
    """The value stored for a check-in item, waiting for the bot to handle the press."""
    for _ in range(50):
        async with chorus.sessions() as session:
            found = await session.scalar(select(Answer).where(Answer.item == item))
        if found is not None:
            return found.value
        await asyncio.sleep(0.1)
    raise AssertionError(f"no answer to {item!r} was stored")


async def _nudges(chorus: LocalChorus, booking_id: int) -> list[Nudge]:
    async with chorus.sessions() as session:
        found = await session.scalars(
            select(Nudge).where(Nudge.booking_id == booking_id).order_by(Nudge.due_at)
        )
        return list(found)


async def _booking(chorus: LocalChorus, activity_id: int) -> Booking:
    async with chorus.sessions() as session:
        found = await session.scalar(select(Booking).where(Booking.activity_id == activity_id))
    assert found is not None
    return found


async def test_reminder_then_cant_make_it_then_nothing_more(chorus: LocalChorus) -> None:
    client = chorus.client
    help_message = await _participant(chorus)
    # Starts in 65 s: the one-minute reminder is due 5 s after booking.
    activity_id = await _session_starting(chorus, timedelta(seconds=65), "Lancaster Drumming")
    confirmation = await _ill_go(chorus, help_message, activity_id)
    assert any("Lancaster Drumming" in m.body for m in confirmation)
    booking = await _booking(chorus, activity_id)
    reminder = await _next_with_buttons(chorus, confirmation[0].message_id, timeout=15.0)
    assert "Lancaster Drumming" in reminder.body and "Are you still going?" in reminder.body
    await client.press(ALICE, reminder, "Can't make it")
    [answer] = await client.wait_for_messages(ALICE, 1)
    assert "cancelled your place" in answer.body
    async with chorus.sessions() as session:
        stored = await session.get(Booking, booking.id)
    assert stored is not None and stored.status is BookingStatus.CANCELLED
    rows = await _nudges(chorus, booking.id)
    assert [(n.kind, n.status) for n in rows] == [
        (NudgeKind.SESSION_REMINDER, NudgeStatus.SENT),
        (NudgeKind.AFTER_SESSION, NudgeStatus.SKIPPED),
    ]
    # The buttons are gone, so the reminder cannot be answered twice.
    [shown] = [m for m in await client.messages(ALICE) if m.message_id == reminder.message_id]
    assert shown.buttons == []


async def test_after_the_session_the_prompt_records_attendance_and_mood(
    chorus: LocalChorus,
) -> None:
    client = chorus.client
    help_message = await _participant(chorus)
    # Starts in 4 s (room to book under load) and lasts 1 s: too soon for a reminder; the
    # prompt comes as it ends.
    activity_id = await _session_starting(chorus, timedelta(seconds=4), "Heysham Pottery")
    confirmation = await _ill_go(chorus, help_message, activity_id)
    booking = await _booking(chorus, activity_id)
    prompt = await _next_with_buttons(chorus, confirmation[0].message_id, timeout=15.0)
    assert "How was" in prompt.body and "Heysham Pottery" in prompt.body
    await client.press(ALICE, prompt, "Yes, I went")
    thanks, question = await client.wait_for_messages(ALICE, 2)
    assert "glad you went" in thanks.body
    assert [b.text for b in question.buttons][:3] == ["0", "1", "2"]
    await client.press(ALICE, question, "8")
    happy = await _answer_recorded(chorus, "happy")
    assert happy == 80  # the button times ten, as the mood scales are stored
    async with chorus.sessions() as session:
        stored = await session.get(Booking, booking.id)
        check_in = await session.scalar(
            select(CheckIn).where(CheckIn.person_id == booking.person_id)
        )
    assert stored is not None and stored.status is BookingStatus.ATTENDED
    assert stored.attendance_recorded_at is not None
    assert check_in is not None and check_in.questionnaire == "mood"
    assert check_in.context is CheckInContext.POST_SESSION
    assert check_in.occurrence_id == stored.occurrence_id
    assert check_in.status is CheckInStatus.IN_PROGRESS and check_in.current_item == "interested"
    # A forged "No, I didn't" on the same prompt changes nothing.
    [after] = [n for n in await _nudges(chorus, booking.id) if n.kind is NudgeKind.AFTER_SESSION]
    await client.press(ALICE, prompt, callback_data=encode("nudge", after.id, "missed"))
    [refusal] = await client.wait_for_messages(ALICE, 1)
    assert "already told me" in refusal.body
    async with chorus.sessions() as session:
        again = await session.get(Booking, booking.id)
    assert again is not None and again.status is BookingStatus.ATTENDED
    assert isinstance(again.attendance_recorded_at, datetime)


async def test_after_a_restart_what_fell_due_while_down_is_sent_at_once(
    chorus: LocalChorus,
) -> None:
    help_message = await _participant(chorus)
    await chorus.stop_bot()
    # While no process runs, a follow-up falls due (written straight to the database).
    engine = create_engine(chorus.settings.database_url)
    async with create_session_factory(engine).begin() as session:
        alice = await session.scalar(select(Person).where(Person.telegram_user_id == ALICE))
        assert alice is not None
        session.add(
            Nudge(
                key=f"fu:{alice.id}:restart:6w",
                kind=NudgeKind.CHECK_IN_DUE,
                person_id=alice.id,
                due_at=datetime.now(UTC) - timedelta(minutes=10),
                status=NudgeStatus.PENDING,
                attempts=0,
            )
        )
    await engine.dispose()
    await chorus.start_bot()
    follow_up = await _next_with_buttons(chorus, help_message.message_id, timeout=5.0)
    assert "a few quick questions" in follow_up.body
    await chorus.client.press(ALICE, follow_up, "Start the check-in")
    [question] = await chorus.client.wait_for_messages(ALICE, 1)
    assert question.buttons, question.body
