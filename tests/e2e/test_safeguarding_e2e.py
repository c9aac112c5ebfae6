"""A safeguarding trigger shows the participant where help is and reaches their link worker."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.models import Invite, InviteKind, Role, SafeguardingFlag
from bot.local_bot import LocalChorus
from bot.services import people
from tests.e2e.helpers import COORDINATOR_ID, eventually, person, press_and_wait

MAGGIE, WORKER = 4001, 4555


async def _referred_participant(chorus: LocalChorus) -> int:
    """Sets up Maggie, referred by a link worker; returns the worker's last message id."""
    client = chorus.client
    async with chorus.sessions.begin() as session:
        worker = await people.ensure_role(session, WORKER, Role.LINK_WORKER, now=chorus.clock.now())
        session.add(Invite(code="ref-sg", kind=InviteKind.REFERRAL, created_by_id=worker.id))
    await client.register_user(WORKER, "Priya")
    await client.send_text(WORKER, "/help")  # the link worker has talked to the bot before
    [help_reply] = await client.wait_for_messages(WORKER, 1)
    await client.register_user(MAGGIE, "Maggie")
    await client.send_text(MAGGIE, "/start ref-sg")
    _, notice = await client.wait_for_messages(MAGGIE, 2)
    [ask_name] = await press_and_wait(chorus, MAGGIE, notice, "I agree")
    await press_and_wait(chorus, MAGGIE, ask_name, "Skip the rest")
    return help_reply.message_id


async def _flags(chorus: LocalChorus) -> list[SafeguardingFlag]:
    async with chorus.sessions() as session:
        return list((await session.execute(select(SafeguardingFlag))).scalars())


async def test_a_very_low_answer_signposts_and_alerts_the_link_worker(chorus: LocalChorus) -> None:
    last = await _referred_participant(chorus)
    client = chorus.client
    await client.send_text(MAGGIE, "/checkin")
    [question] = await client.wait_for_messages(MAGGIE, 1)
    await client.press(MAGGIE, question, "1")  # life satisfaction 1: at or below the threshold
    [signpost] = await client.wait_for_messages(MAGGIE, 1)
    assert signpost.text is not None
    for must in ("999", "NHS 111", "option 2", "Samaritans", "116 123", "not an emergency service"):
        assert must in signpost.text
    assert "your link worker" in signpost.text
    [alert] = await client.wait_for_messages(WORKER, 1, after_message_id=last)
    maggie = await person(chorus, MAGGIE)
    assert maggie is not None
    assert (
        alert.text is not None and maggie.code in alert.text and "life satisfaction" in alert.text
    )
    assert "Maggie" not in alert.text  # pseudonymous code only
    [flag] = await _flags(chorus)
    assert flag.person_id == maggie.id and flag.reasons == ["life_satisfaction"]
    worker = await person(chorus, WORKER)
    assert worker is not None and flag.alerted_person_id == worker.id
    # A second risky answer in the same check-in joins the flag: no second alert.
    await client.press(MAGGIE, question, "1")  # worthwhile 1
    await eventually(lambda: _flag_has(chorus, "worthwhile"))
    assert len(await _flags(chorus)) == 1
    assert await client.messages(WORKER, after_message_id=alert.message_id) == []


async def _flag_has(chorus: LocalChorus, reason: str) -> bool:
    flags = await _flags(chorus)
    return bool(flags) and reason in flags[0].reasons


async def test_words_that_suggest_risk_are_answered_before_anything_else(
    chorus: LocalChorus,
) -> None:
    last = await _referred_participant(chorus)
    client = chorus.client
    await client.send_text(MAGGIE, "Honestly I cant go on like this")
    [signpost] = await client.wait_for_messages(MAGGIE, 1)
    assert signpost.text is not None and "Samaritans" in signpost.text
    [alert] = await client.wait_for_messages(WORKER, 1, after_message_id=last)
    assert alert.text is not None and "a message they sent" in alert.text
    [flag] = await _flags(chorus)
    assert flag.source == "message" and flag.reasons == ["phrase:cant go on"]


async def test_without_a_link_worker_the_coordinators_are_alerted(chorus: LocalChorus) -> None:
    client = chorus.client
    await client.register_user(COORDINATOR_ID, "Carol")
    await client.send_text(COORDINATOR_ID, "/start")
    [welcome] = await client.wait_for_messages(COORDINATOR_ID, 1)
    await client.register_user(MAGGIE, "Maggie")
    await client.send_text(MAGGIE, "/start")
    _, notice = await client.wait_for_messages(MAGGIE, 2)
    [ask_name] = await press_and_wait(chorus, MAGGIE, notice, "I agree")
    await press_and_wait(chorus, MAGGIE, ask_name, "Skip the rest")
    await client.send_text(MAGGIE, "I want to die")
    [signpost] = await client.wait_for_messages(MAGGIE, 1)
    assert signpost.text is not None and "the Chorus team" in signpost.text
    [alert] = await client.wait_for_messages(COORDINATOR_ID, 1, after_message_id=welcome.message_id)
    assert alert.text is not None and "Safeguarding" in alert.text


async def test_staff_words_are_not_scanned(chorus: LocalChorus) -> None:
    client = chorus.client
    await client.register_user(COORDINATOR_ID, "Carol")
    await client.send_text(COORDINATOR_ID, "/start")
    await client.wait_for_messages(COORDINATOR_ID, 1)
    await client.send_text(COORDINATOR_ID, "suicide prevention talk at the library")
    [reply] = await client.wait_for_messages(COORDINATOR_ID, 1, timeout=10)
    assert "Samaritans" not in (reply.text or "")
    assert await _flags(chorus) == []
