"""Every staff command and every staff button, sent by a participant and by a stranger:
all refused, nothing changed, and an audit entry for each attempt."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.db.models import (
    AudienceKind,
    AuditEvent,
    Broadcast,
    Delivery,
    Invite,
    OccurrenceRow,
    Person,
    Role,
)
from bot.local_bot import LocalChorus
from bot.messaging import staff_texts
from bot.messaging.callbacks import PREFIXES
from bot.services import broadcasts
from tests.e2e.helpers import COORDINATOR_ID, eventually, join, person

PARTICIPANT_ID = 9301
STRANGER_ID = 9302
STAFF_COMMANDS = ("/invite", "/staff", "/refer", "/caseload", "/sessions", "/broadcast")
REFUSALS = (staff_texts.REFUSED, staff_texts.REFUSED_COORDINATOR)
STAFF_PREFIXES = ("staff", "ref", "cl", "ses", "bc")


def _forged(occurrence: int, person_id: int, broadcast: int) -> list[str]:
    return [
        "staff:inv:link_worker",
        "staff:inv:coordinator",
        f"staff:rm:{person_id}",
        "ref:one",
        "ref:clinic",
        "ref:note:1",
        "cl:page:0",
        f"cl:view:{person_id}",
        f"cl:msg:{person_id}",
        f"ses:open:{occurrence}",
        f"ses:cancel:{occurrence}",
        f"ses:yes:{occurrence}",
        f"ses:move:{occurrence}",
        f"ses:note:{occurrence}",
        "bc:to:everyone",
        "bc:to:caseload",
        f"bc:occ:{occurrence}",
        "bc:series:1",
        f"bc:send:{broadcast}",
        f"bc:cancel:{broadcast}",
    ]


async def _snapshot(chorus: LocalChorus) -> dict[str, Any]:
    async with chorus.sessions() as session:
        return {
            "invites": await session.scalar(select(func.count()).select_from(Invite)),
            "broadcasts": list(
                (await session.execute(select(Broadcast.id, Broadcast.status))).all()
            ),
            "deliveries": await session.scalar(select(func.count()).select_from(Delivery)),
            "occurrences": list(
                (
                    await session.execute(
                        select(OccurrenceRow.id, OccurrenceRow.status, OccurrenceRow.starts_at)
                    )
                ).all()
            ),
            "roles": list((await session.execute(select(Person.id, Person.role))).all()),
            "awaiting": list((await session.execute(select(Person.id, Person.awaiting))).all()),
        }


async def _denials(chorus: LocalChorus, actor_id: int) -> int:
    async with chorus.sessions() as session:
        count = await session.scalar(
            select(func.count()).where(
                AuditEvent.action == "staff.denied", AuditEvent.actor_id == actor_id
            )
        )
    return int(count or 0)


async def test_participants_and_strangers_are_refused_everything(with_demo: LocalChorus) -> None:
    chorus = with_demo
    client = chorus.client
    await client.register_user(COORDINATOR_ID, "Cora")
    await client.send_text(COORDINATOR_ID, "/start")
    await client.wait_for_messages(COORDINATOR_ID, 1)
    await join(chorus, PARTICIPANT_ID, "Maggie")
    coordinator = await person(chorus, COORDINATOR_ID)
    participant = await person(chorus, PARTICIPANT_ID)
    assert coordinator is not None and participant is not None
    async with chorus.sessions.begin() as session:
        occurrence = await session.scalar(select(OccurrenceRow.id).limit(1))
        draft = await broadcasts.start_draft(
            session,
            coordinator,
            AudienceKind.EVERYONE,
            ref=None,
            chat_id=COORDINATOR_ID,
            now=chorus.clock.now(),
        )
        await broadcasts.set_text(session, coordinator, draft.id, "Hello all")
    assert occurrence is not None
    # Every staff prefix is exercised below, so a new staff journey cannot slip past this test.
    assert set(STAFF_PREFIXES) <= set(PREFIXES)
    forged = _forged(occurrence, coordinator.id, draft.id)
    assert {data.split(":")[0] for data in forged} == set(STAFF_PREFIXES)
    before = await _snapshot(chorus)

    await client.register_user(STRANGER_ID, "Stranger")
    for user_id in (PARTICIPANT_ID, STRANGER_ID):
        for command in STAFF_COMMANDS:
            await client.send_text(user_id, command)
            [reply] = await client.wait_for_messages(user_id, 1)
            assert (reply.text or "").startswith(REFUSALS), command
        target = (await client.messages(user_id))[-1]
        for data in forged:
            await client.press(user_id, target, callback_data=data)

        async def all_answered(user_id: int = user_id) -> bool:
            answers = await client.callback_answers(user_id)
            return len([a for a in answers if a.answered and a.data in forged]) == len(forged)

        await eventually(all_answered)
        answers = [a for a in await client.callback_answers(user_id) if a.data in forged]
        assert all(a.show_alert and (a.text or "").startswith(REFUSALS) for a in answers)

    after = await _snapshot(chorus)
    stranger = await person(chorus, STRANGER_ID)
    assert stranger is not None and stranger.role is Role.PARTICIPANT
    assert stranger.consent_at is None and stranger.awaiting is None
    # The stranger's own row is first contact, not a change made by a staff action.
    for key in ("roles", "awaiting"):
        after[key] = [row for row in after[key] if row[0] != stranger.id]
    assert after == before, "a refused action changed something"
    expected = len(STAFF_COMMANDS) + len(forged)
    assert await _denials(chorus, participant.id) == expected
    assert await _denials(chorus, stranger.id) == expected


async def test_link_workers_cannot_use_coordinator_powers_nor_participants_import(
    chorus: LocalChorus,
) -> None:
    client = chorus.client
    await join(chorus, PARTICIPANT_ID, "Maggie")
    await client.register_user(STRANGER_ID, "Lena")
    await client.send_text(STRANGER_ID, "/start")
    await client.wait_for_messages(STRANGER_ID, 1)
    async with chorus.sessions.begin() as session:
        worker = await session.scalar(select(Person).where(Person.telegram_user_id == STRANGER_ID))
        assert worker is not None
        worker.role = Role.LINK_WORKER
    for command in ("/invite", "/staff"):
        await client.send_text(STRANGER_ID, command)
        [reply] = await client.wait_for_messages(STRANGER_ID, 1)
        assert reply.text == staff_texts.REFUSED_COORDINATOR
    target = (await client.messages(STRANGER_ID))[-1]
    await client.press(STRANGER_ID, target, callback_data="staff:inv:coordinator")
    await client.send_text(STRANGER_ID, "/broadcast")
    [choose] = await client.wait_for_messages(STRANGER_ID, 1)
    assert "Everyone" not in [
        b["text"] for row in (choose.reply_markup or {}).get("inline_keyboard", []) for b in row
    ]
    await client.press(STRANGER_ID, choose, callback_data="bc:to:everyone")
    [refusal] = await client.wait_for_messages(STRANGER_ID, 1)
    assert "Only coordinators" in (refusal.text or "")

    await client.send_document(PARTICIPANT_ID, b"id,title\nx,Choir\n", "catalogue.csv")
    [answer] = await client.wait_for_messages(PARTICIPANT_ID, 1)
    assert "Catalogue updated" not in (answer.text or "") and "Import" not in (answer.text or "")
    async with chorus.sessions() as session:
        invites = await session.scalar(select(func.count()).select_from(Invite))
        denied = await session.scalar(
            select(func.count()).where(
                AuditEvent.action == "staff.denied",
                AuditEvent.actor_id == worker.id,
            )
        )
    assert invites == 0
    assert denied == 4


async def test_malformed_staff_buttons_from_staff_get_a_plain_answer(
    with_demo: LocalChorus,
) -> None:
    client = with_demo.client
    await client.register_user(COORDINATOR_ID, "Cora")
    await client.send_text(COORDINATOR_ID, "/start")
    [welcome] = await client.wait_for_messages(COORDINATOR_ID, 1)
    malformed = [
        "ses",
        "ses:open:abc",
        "ses:open:999999",
        "cl:view:x",
        "cl:view:999999",
        "ref:note:x",
        "bc:send:x",
        "bc:to:nonsense",
        "bc:send:999999",
        "staff:inv:nonsense",
        "staff:rm:x",
    ]
    for data in malformed:
        await client.press(COORDINATOR_ID, welcome, callback_data=data)

    async def answered() -> bool:
        answers = await client.callback_answers(COORDINATOR_ID)
        return len([a for a in answers if a.answered and a.data in malformed]) == len(malformed)

    await eventually(answered)
    # Each got an answer (an alert or a plain message); the fixture fails on any handler error.
    async with with_demo.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Invite)) == 0
        assert await session.scalar(select(func.count()).select_from(Delivery)) == 0
