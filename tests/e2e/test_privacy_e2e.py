"""/mydata and /forget over HTTP: the file matches the database, and erasure leaves nothing."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import func, select

from bot.db.base import Base
from bot.db.models import (
    Answer,
    AuditEvent,
    Booking,
    CheckIn,
    CheckInContext,
    CheckInStatus,
    Nudge,
    NudgeKind,
    OccurrenceRow,
)
from bot.local_bot import LocalChorus
from bot.sandbox.received import BotMessage
from tests.e2e.helpers import COORDINATOR_ID, buttons, eventually, join, person

ALICE, BOB = 3001, 3002


async def _seed_participation(chorus: LocalChorus, user_id: int) -> int:
    """A finished check-in with answers and a note, a booking and its reminder."""
    found = await person(chorus, user_id)
    assert found is not None
    now = chorus.clock.now()
    async with chorus.sessions.begin() as session:
        check_in = CheckIn(
            person_id=found.id,
            questionnaire="ons4",
            context=CheckInContext.BASELINE,
            status=CheckInStatus.COMPLETED,
            completed_at=now,
            scores={"happy": 8},
            note="singing helps",
            risk_flags=[],
        )
        session.add(check_in)
        await session.flush()
        session.add(Answer(check_in_id=check_in.id, item="happy", value=8))
        meeting = await session.scalar(
            select(OccurrenceRow).where(OccurrenceRow.starts_at > now).order_by(OccurrenceRow.id)
        )
        assert meeting is not None
        booking = Booking(
            person_id=found.id, occurrence_id=meeting.id, activity_id=meeting.activity_id
        )
        session.add(booking)
        await session.flush()
        session.add(
            Nudge(
                key=f"rem:{booking.id}:e2e",
                kind=NudgeKind.SESSION_REMINDER,
                person_id=found.id,
                booking_id=booking.id,
                occurrence_id=meeting.id,
                due_at=now + timedelta(days=30),
            )
        )
    return found.id


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


async def test_mydata_sends_a_file_that_matches_the_database(with_demo: LocalChorus) -> None:
    chorus = with_demo
    await join(chorus, ALICE, "Alice")
    await _seed_participation(chorus, ALICE)
    await chorus.client.send_text(ALICE, "/mydata")
    [reply] = await chorus.client.wait_for_messages(ALICE, 1)
    found = await person(chorus, ALICE)
    assert found is not None and found.consent_at is not None
    assert reply.file is not None and reply.file.file_name == f"chorus-my-data-{found.code}.json"
    assert reply.caption is not None and "/forget" in reply.caption
    data = json.loads(reply.file.content)
    # Every part of the file is explained in plain words at the top.
    assert set(data["about"]) == set(data) - {"about", "format", "exported_at"}
    assert next(iter(data)) == "about"
    assert data["person"]["code"] == found.code
    assert data["person"]["telegram_user_id"] == ALICE
    assert datetime.fromisoformat(data["person"]["consent_at"]) == found.consent_at
    assert data["person"]["consent_version"] == found.consent_version
    [check_in] = data["check_in"]
    assert check_in["note"] == "singing helps" and check_in["scores"] == {"happy": 8}
    assert [(a["item"], a["value"]) for a in data["answer"]] == [("happy", 8)]
    [booking] = data["booking"]
    async with chorus.sessions() as session:
        row = await session.get(Booking, booking["id"])
        assert row is not None and row.person_id == found.id
        meeting = await session.get(OccurrenceRow, row.occurrence_id)
    assert meeting is not None
    assert datetime.fromisoformat(booking["session"]["starts_at"]) == meeting.starts_at
    assert booking["session"]["title"]
    assert [n["kind"] for n in data["nudge"]] == ["session_reminder"]


async def test_mydata_before_consent_holds_only_the_ids(chorus: LocalChorus) -> None:
    await chorus.client.register_user(BOB, "Bob")
    await chorus.client.send_text(BOB, "/mydata")
    [reply] = await chorus.client.wait_for_messages(BOB, 1)
    assert reply.file is not None
    data = json.loads(reply.file.content)
    assert data["person"]["telegram_user_id"] == BOB and data["person"]["code"].startswith("P-")
    assert data["person"]["display_name"] is None and data["person"]["consent_at"] is None
    assert data["check_in"] == data["booking"] == data["nudge"] == []


async def _references(chorus: LocalChorus, person_id: int) -> int:
    """Rows in any table whose foreign key still names this person id."""
    total = 0
    async with chorus.sessions() as session:
        for table in Base.metadata.sorted_tables:
            for fk in table.foreign_keys:
                if fk.column.table.name == "person":
                    query = select(func.count()).select_from(table).where(fk.parent == person_id)
                    total += int(await session.scalar(query) or 0)
    return total


async def test_forget_no_keeps_everything_and_yes_erases_everything(
    with_demo: LocalChorus,
) -> None:
    chorus = with_demo
    client = chorus.client
    await join(chorus, ALICE, "Alice")
    alice_id = await _seed_participation(chorus, ALICE)
    found = await person(chorus, ALICE)
    assert found is not None
    code = found.code
    await client.send_text(ALICE, "/forget")
    [confirm] = await client.wait_for_messages(ALICE, 1)
    assert confirm.text is not None and "1 check-in" in confirm.text
    assert buttons(confirm) == ["Yes, delete everything", "No, keep it"]
    kept = await _pressed(chorus, ALICE, confirm, "No, keep it")
    assert kept.text is not None and "kept everything" in kept.text and not buttons(kept)
    assert await _references(chorus, alice_id) >= 3

    await client.send_text(ALICE, "/forget")
    [confirm] = await client.wait_for_messages(ALICE, 1)
    done = await _pressed(chorus, ALICE, confirm, "Yes, delete everything")
    assert done.text is not None and "/start" in done.text and not buttons(done)
    assert await _references(chorus, alice_id) == 0
    async with chorus.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(CheckIn)) == 0
        assert await session.scalar(select(func.count()).select_from(Answer)) == 0
        assert await session.scalar(select(func.count()).select_from(Booking)) == 0
        assert await session.scalar(select(func.count()).select_from(Nudge)) == 0
        [erased] = (
            await session.scalars(select(AuditEvent).where(AuditEvent.action == "person.erased"))
        ).all()
    assert erased.actor_id is None and erased.subject_code is None
    assert erased.detail["check_in"] == 1 and erased.detail["booking"] == 1
    assert code not in json.dumps(erased.detail) and str(ALICE) not in json.dumps(erased.detail)

    # The same "Yes" pressed again (an old copy on another phone): a kind word, nothing more.
    before = len(await client.callback_answers(ALICE))
    await client.press(ALICE, confirm, callback_data=f"forget:yes:{code}")

    async def answered() -> bool:
        mine = await client.callback_answers(ALICE)
        return len(mine) > before and mine[-1].answered

    await eventually(answered)
    last = (await client.callback_answers(ALICE))[-1]
    assert last.text is not None and "already been done" in last.text
    async with chorus.sessions() as session:
        events = await session.scalar(
            select(func.count()).where(AuditEvent.action == "person.erased")
        )
    assert events == 1


async def test_a_forged_yes_naming_someone_else_erases_nothing(chorus: LocalChorus) -> None:
    client = chorus.client
    await join(chorus, ALICE, "Alice")
    await join(chorus, BOB, "Bob")
    alice = await person(chorus, ALICE)
    assert alice is not None
    await client.send_text(BOB, "/forget")
    [confirm] = await client.wait_for_messages(BOB, 1)
    await client.press(BOB, confirm, callback_data=f"forget:yes:{alice.code}")

    async def answered() -> bool:
        return any(a.answered for a in await client.callback_answers(BOB))

    await eventually(answered)
    assert await person(chorus, ALICE) is not None
    assert await person(chorus, BOB) is not None


async def test_staff_are_told_to_ask_their_coordinator(chorus: LocalChorus) -> None:
    await chorus.client.register_user(COORDINATOR_ID, "Carol")
    await chorus.client.send_text(COORDINATOR_ID, "/forget")
    [reply] = await chorus.client.wait_for_messages(COORDINATOR_ID, 1)
    assert reply.text is not None and "staff account" in reply.text and not buttons(reply)
    assert await person(chorus, COORDINATOR_ID) is not None
