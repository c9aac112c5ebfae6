"""Joining over HTTP: referral, self-referral, declining, and a profile where everything skips."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.db.models import Invite, InviteKind, Role
from bot.local_bot import LocalChorus
from bot.services import people
from tests.e2e.helpers import buttons, person, press_and_wait

MAGGIE, WORKER = 2001, 555


async def _referral(chorus: LocalChorus, code: str, **fields: object) -> int:
    async with chorus.sessions.begin() as session:
        worker = await people.ensure_role(session, WORKER, Role.LINK_WORKER, now=chorus.clock.now())
        worker.display_name = "Priya Shah"
        invite = Invite(code=code, kind=InviteKind.REFERRAL, created_by_id=worker.id, **fields)
        session.add(invite)
        await session.flush()
        return worker.id


async def test_referral_join_binds_the_link_worker_and_keeps_the_profile(
    with_demo: LocalChorus,
) -> None:
    chorus = with_demo
    worker_id = await _referral(chorus, "ref-maggie", max_uses=1)
    client = chorus.client
    await client.register_user(MAGGIE, "Maggie")
    await client.send_text(MAGGIE, "/start ref-maggie")
    _, notice = await client.wait_for_messages(MAGGIE, 2)
    assert notice.text is not None and "Priya" in notice.text and "Priya Shah" not in notice.text
    before = await person(chorus, MAGGIE)
    assert before is not None and before.link_worker_id is None  # nothing bound before consent
    await press_and_wait(chorus, MAGGIE, notice, "I agree")
    await client.send_text(MAGGIE, "Maggie May")
    ask_area, _ = await client.wait_for_messages(MAGGIE, 2)
    assert ask_area.reply_markup is not None and "keyboard" in ask_area.reply_markup
    await client.send_text(MAGGIE, "morcambe")  # a typo, as people type
    saved, interests = await client.wait_for_messages(MAGGIE, 2)
    assert saved.text is not None and "Morecambe" in saved.text
    await client.press(MAGGIE, interests, "Singing")
    await client.press(MAGGIE, interests, "Dance")
    await client.send_text(MAGGIE, "ukulele")
    await client.wait_for_messages(MAGGIE, 1)
    [access] = await press_and_wait(chorus, MAGGIE, interests, "Done")
    await client.press(MAGGIE, access, "Step-free")
    [days] = await press_and_wait(chorus, MAGGIE, access, "Done")
    await client.press(MAGGIE, days, "Tue")
    [offer] = await press_and_wait(chorus, MAGGIE, days, "Done")
    assert offer.text is not None and "Maggie May" in offer.text
    found = await person(chorus, MAGGIE)
    assert found is not None
    assert found.link_worker_id == worker_id
    assert found.consent_at == chorus.clock.now() and found.consent_version
    assert found.display_name == "Maggie May"
    assert found.home_area and found.home_area.lower() == "morecambe"
    assert found.home_latitude is not None
    assert set(found.interests) == {"singing", "dance", "ukulele"}
    assert found.access_needs == ["step_free"]
    assert found.preferences.get("days") == [1]
    async with chorus.sessions() as session:
        invite = (
            await session.execute(select(Invite).where(Invite.code == "ref-maggie"))
        ).scalar_one()
    assert invite.uses == 1
    # The one-time link is now used up for anyone else.
    await client.register_user(MAGGIE + 1, "Bob")
    await client.send_text(MAGGIE + 1, "/start ref-maggie")
    used, _, _ = await client.wait_for_messages(MAGGIE + 1, 3)
    assert used.text is not None and "already been used" in used.text


async def test_expired_referral_gets_a_clear_answer(chorus: LocalChorus) -> None:
    await _referral(chorus, "ref-old", expires_at=chorus.clock.now() - timedelta(days=1))
    await chorus.client.register_user(MAGGIE, "Maggie")
    await chorus.client.send_text(MAGGIE, "/start ref-old")
    expired, _, notice = await chorus.client.wait_for_messages(MAGGIE, 3)
    assert expired.text is not None and "expired" in expired.text
    assert "I agree" in buttons(notice)


async def test_self_referral_reaches_a_first_suggestion_in_few_taps(
    with_demo: LocalChorus,
) -> None:
    chorus = with_demo
    client = chorus.client
    taps = 0
    await client.register_user(MAGGIE, "Maggie")
    await client.send_text(MAGGIE, "/start")
    taps += 1
    _, notice = await client.wait_for_messages(MAGGIE, 2)
    [ask_name] = await press_and_wait(chorus, MAGGIE, notice, "I agree")
    [offer] = await press_and_wait(chorus, MAGGIE, ask_name, "Skip the rest")
    [topics] = await press_and_wait(chorus, MAGGIE, offer, "Not now")
    await client.press(MAGGIE, topics, "Singing")
    taps += 4
    suggestion = (await client.wait_for_messages(MAGGIE, 1, timeout=10))[0]
    assert "I'll go" in buttons(suggestion), suggestion
    assert taps <= 8
    found = await person(chorus, MAGGIE)
    assert found is not None and found.consent_at is not None and found.link_worker_id is None


async def test_declining_keeps_nothing_and_text_brings_the_notice_back(
    chorus: LocalChorus,
) -> None:
    client = chorus.client
    await client.register_user(MAGGIE, "Maggie")
    await client.send_text(MAGGIE, "/start")
    _, notice = await client.wait_for_messages(MAGGIE, 2)
    [declined] = await press_and_wait(chorus, MAGGIE, notice, "No thanks")
    assert declined.text is not None and "haven't kept anything" in declined.text
    found = await person(chorus, MAGGIE)
    assert found is not None and found.consent_at is None and found.display_name is None
    await client.send_text(MAGGIE, "singing please")
    _, again = await client.wait_for_messages(MAGGIE, 2)
    assert "I agree" in buttons(again)
    # They change their mind: the notice shown again works.
    [ask_name] = await press_and_wait(chorus, MAGGIE, again, "I agree")
    assert ask_name.text is not None and "call you" in ask_name.text
