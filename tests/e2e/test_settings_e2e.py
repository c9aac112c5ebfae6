"""/settings over HTTP: one message edited in place, choices that persist across a restart."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.db.models import Booking, Nudge, NudgeKind, NudgeStatus, OccurrenceRow
from bot.local_bot import LocalChorus
from bot.sandbox.received import BotMessage
from tests.e2e.helpers import buttons, eventually, join, person

ALICE, BOB = 4001, 4002


async def _pressed(
    chorus: LocalChorus, user_id: int, message: BotMessage, label: str
) -> BotMessage:
    """Presses a button and returns the message once the bot has edited it."""
    await chorus.client.press(user_id, message, label)
    seen: list[BotMessage] = []

    async def edited() -> bool:
        mine = await chorus.client.messages(user_id)
        seen[:] = [m for m in mine if m.message_id == message.message_id]
        return bool(seen) and seen[0].edit_count > message.edit_count

    await eventually(edited)
    return seen[0]


async def _reminder(chorus: LocalChorus, user_id: int) -> int:
    """A booking with a pending reminder, as "I'll go" would leave it."""
    found = await person(chorus, user_id)
    assert found is not None
    now = chorus.clock.now()
    async with chorus.sessions.begin() as session:
        meeting = await session.scalar(
            select(OccurrenceRow).where(OccurrenceRow.starts_at > now).order_by(OccurrenceRow.id)
        )
        assert meeting is not None
        booking = Booking(
            person_id=found.id, occurrence_id=meeting.id, activity_id=meeting.activity_id
        )
        session.add(booking)
        await session.flush()
        nudge = Nudge(
            key=f"rem:{booking.id}:e2e",
            kind=NudgeKind.SESSION_REMINDER,
            person_id=found.id,
            booking_id=booking.id,
            occurrence_id=meeting.id,
            due_at=now + timedelta(days=20),
        )
        session.add(nudge)
        await session.flush()
        return nudge.id


async def test_reminders_off_is_kept_across_a_restart(with_demo: LocalChorus) -> None:
    chorus = with_demo
    client = chorus.client
    await join(chorus, ALICE, "Alice")
    nudge_id = await _reminder(chorus, ALICE)
    await client.send_text(ALICE, "/settings")
    [menu] = await client.wait_for_messages(ALICE, 1)
    assert menu.text is not None and "Reminders: Both" in menu.text
    assert buttons(menu) == ["Reminders", "Quiet hours", "Check-ins", "Language", "Area", "Done"]
    choices = await _pressed(chorus, ALICE, menu, "Reminders")
    assert "✓ Both" in buttons(choices) and "No reminders" in buttons(choices)
    saved = await _pressed(chorus, ALICE, choices, "No reminders")
    assert saved.message_id == menu.message_id  # the same message, edited in place
    assert saved.text is not None and "Saved" in saved.text and "No reminders" in saved.text
    async with chorus.sessions() as session:
        nudge = await session.get(Nudge, nudge_id)
        assert nudge is not None and nudge.status is NudgeStatus.SKIPPED

    await chorus.restart()
    found = await person(chorus, ALICE)
    assert found is not None and found.preferences["reminders"] is False
    await client.send_text(ALICE, "/settings")
    [again] = await client.wait_for_messages(ALICE, 1)
    assert again.text is not None and "Reminders: No reminders" in again.text
    closed = await _pressed(chorus, ALICE, again, "Done")
    assert closed.text is not None and "/settings" in closed.text and not buttons(closed)


async def test_quiet_hours_check_ins_and_language(chorus: LocalChorus) -> None:
    client = chorus.client
    await join(chorus, ALICE, "Alice")
    await client.send_text(ALICE, "/settings")
    [menu] = await client.wait_for_messages(ALICE, 1)
    quiet = await _pressed(chorus, ALICE, menu, "Quiet hours")
    menu = await _pressed(chorus, ALICE, quiet, "10pm to 7am")
    checks = await _pressed(chorus, ALICE, menu, "Check-ins")
    assert buttons(checks)[0] == "✓ After 6 and 12 weeks"
    menu = await _pressed(chorus, ALICE, checks, "Every 4 weeks")
    language = await _pressed(chorus, ALICE, menu, "Language")
    assert language.text is not None and "More languages are coming" in language.text
    assert buttons(language) == ["✓ English", "Back"]
    menu = await _pressed(chorus, ALICE, language, "Back")
    assert menu.text is not None
    assert "Quiet hours: 10pm to 7am" in menu.text and "Check-ins: Every 4 weeks" in menu.text
    found = await person(chorus, ALICE)
    assert found is not None
    assert found.preferences["quiet_hours"] == "22:00-07:00"
    assert found.preferences["check_ins"] == "4w"


async def test_a_typed_area_goes_through_the_text_router(with_demo: LocalChorus) -> None:
    chorus = with_demo
    client = chorus.client
    await join(chorus, ALICE, "Alice")
    await client.send_text(ALICE, "/settings")
    [menu] = await client.wait_for_messages(ALICE, 1)
    await client.press(ALICE, menu, "Area")
    [hint] = await client.wait_for_messages(ALICE, 1)
    assert hint.reply_markup is not None and "keyboard" in hint.reply_markup
    asked = next(m for m in await client.messages(ALICE) if m.message_id == menu.message_id)
    assert asked.text is not None and "postcode" in asked.text
    await client.send_text(ALICE, "Atlantis")
    [unknown] = await client.wait_for_messages(ALICE, 1)
    assert unknown.text is not None and "don't know where Atlantis is" in unknown.text
    assert buttons(unknown) == ["Back"]
    await client.send_text(ALICE, "morcambe")  # a typo, as people type
    saved, new_menu = await client.wait_for_messages(ALICE, 2)
    assert saved.text is not None and "Morecambe" in saved.text
    assert new_menu.text is not None and "Area: Morecambe" in new_menu.text
    found = await person(chorus, ALICE)
    assert found is not None and found.home_area == "Morecambe"
    assert found.home_latitude is not None and found.awaiting is None


async def test_back_from_an_unknown_area_stops_waiting_for_one(
    with_demo: LocalChorus,
) -> None:
    chorus = with_demo
    client = chorus.client
    await join(chorus, ALICE, "Alice")
    await client.send_text(ALICE, "/settings")
    [menu] = await client.wait_for_messages(ALICE, 1)
    await client.press(ALICE, menu, "Area")
    await client.wait_for_messages(ALICE, 1)
    await client.send_text(ALICE, "somewhere over the rainbow")
    [unknown] = await client.wait_for_messages(ALICE, 1)
    back = await _pressed(chorus, ALICE, unknown, "Back")
    assert back.text is not None and "Your settings" in back.text
    found = await person(chorus, ALICE)
    assert found is not None and found.awaiting is None and found.home_area is None


async def test_settings_need_consent_and_refuse_forged_choices(chorus: LocalChorus) -> None:
    client = chorus.client
    await client.register_user(BOB, "Bob")
    await client.send_text(BOB, "/settings")
    [refused] = await client.wait_for_messages(BOB, 1)
    assert refused.text is not None and "send /start" in refused.text
    await join(chorus, ALICE, "Alice")
    await client.send_text(ALICE, "/settings")
    [menu] = await client.wait_for_messages(ALICE, 1)
    before = len(await client.callback_answers(ALICE))
    await client.press(ALICE, menu, callback_data="set:p:quiet:0300-0400")

    async def answered() -> bool:
        mine = await client.callback_answers(ALICE)
        return len(mine) > before and mine[-1].answered

    await eventually(answered)
    last = (await client.callback_answers(ALICE))[-1]
    assert last.text is not None and "out of date" in last.text and last.show_alert
    found = await person(chorus, ALICE)
    assert found is not None and "quiet_hours" not in found.preferences
