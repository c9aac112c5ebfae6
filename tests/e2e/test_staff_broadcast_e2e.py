"""Broadcast audiences through the buttons: an area, a session's bookings, cancel before send."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.db.models import ActivityRow, Delivery, Person, Role
from bot.local_bot import LocalChorus
from bot.services import bookings
from bot.services.nudge_policy import NudgePolicy
from tests.e2e.helpers import buttons, join, person, press_and_wait

WORKER_ID = 9400
PEOPLE = (9401, 9402, 9403)


async def _say(chorus: LocalChorus, text: str) -> str:
    await chorus.client.send_text(WORKER_ID, text)
    [reply] = await chorus.client.wait_for_messages(WORKER_ID, 1)
    return reply.text or ""


async def test_area_and_session_audiences(with_demo: LocalChorus) -> None:
    chorus = with_demo
    client = chorus.client
    for user_id in PEOPLE:
        await join(chorus, user_id, f"Name{user_id}")
    await client.register_user(WORKER_ID, "Wyn")
    await client.send_text(WORKER_ID, "/start")
    await client.wait_for_messages(WORKER_ID, 1)
    policy = NudgePolicy.from_settings(chorus.settings)
    async with chorus.sessions.begin() as session:
        worker = await session.scalar(select(Person).where(Person.telegram_user_id == WORKER_ID))
        assert worker is not None
        worker.role = Role.LINK_WORKER
        people = list(
            await session.scalars(select(Person).where(Person.telegram_user_id.in_(PEOPLE)))
        )
        for who in people:
            who.home_area = "LA4" if who.telegram_user_id != PEOPLE[2] else "LA1"
        choir = await session.scalar(
            select(ActivityRow).where(ActivityRow.title == "Sing for Joy Morecambe")
        )
        assert choir is not None
        await bookings.book_next(
            session,
            person_id=people[0].id,
            activity_id=choir.id,
            now=chorus.clock.now(),
            policy=policy,
        )
    seen = {uid: (await client.messages(uid))[-1].message_id for uid in PEOPLE}

    await client.send_text(WORKER_ID, "/broadcast")
    [choose] = await client.wait_for_messages(WORKER_ID, 1)
    assert "Everyone" not in buttons(choose)
    [ask_area] = await press_and_wait(chorus, WORKER_ID, choose, "People in an area")
    assert "Type the area" in (ask_area.text or "")
    assert "Type your message" in await _say(chorus, "la4")
    await client.send_text(WORKER_ID, "Open mic <Friday> in LA4")
    [preview] = await client.wait_for_messages(WORKER_ID, 1)
    assert "It will go to 2 people." in (preview.text or "")
    assert "Open mic <Friday> in LA4" in (preview.text or "")
    await press_and_wait(chorus, WORKER_ID, preview, "Send", count=2)
    for user_id in PEOPLE[:2]:
        [got] = await client.wait_for_messages(user_id, 1, after_message_id=seen[user_id])
        assert got.text == "Open mic <Friday> in LA4"
    assert [m for m in await client.messages(PEOPLE[2]) if m.message_id > seen[PEOPLE[2]]] == []

    await client.send_text(WORKER_ID, "/broadcast")
    [choose] = await client.wait_for_messages(WORKER_ID, 1)
    [sessions_list] = await press_and_wait(chorus, WORKER_ID, choose, "People booked on a session")
    label = next(b for b in buttons(sessions_list) if "Sing for Joy" in b)
    [ask] = await press_and_wait(chorus, WORKER_ID, sessions_list, label)
    assert "Type your message" in (ask.text or "")
    await client.send_text(WORKER_ID, "Parking is closed")
    [preview] = await client.wait_for_messages(WORKER_ID, 1)
    assert "It will go to 1 person." in (preview.text or "")
    [cancelled] = await press_and_wait(chorus, WORKER_ID, preview, "Cancel")
    assert "Nothing was sent" in (cancelled.text or "")
    async with chorus.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Delivery)) == 2
    # The typed message was consumed: the worker's next text is an ordinary message again.
    staff = await person(chorus, WORKER_ID)
    assert staff is not None and staff.awaiting is None
