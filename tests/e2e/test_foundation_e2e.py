"""The bot answers sensibly, and stays up, whatever a person sends it."""

from __future__ import annotations

from bot.db.models import Invite, InviteKind, Reachability, Role
from bot.local_bot import LocalChorus
from bot.services import people
from tests.e2e.helpers import COORDINATOR_ID, eventually, person

ALICE = 1001


async def test_start_greets_and_creates_the_person(chorus: LocalChorus) -> None:
    client = chorus.client
    await client.register_user(ALICE, "Alice")
    await client.send_text(ALICE, "/start")
    [reply, notice] = await client.wait_for_messages(ALICE, 2)
    assert reply.text is not None and "Chorus" in reply.text
    assert notice.text is not None and "Before we start" in notice.text
    found = await person(chorus, ALICE)
    assert found is not None
    assert found.role is Role.PARTICIPANT
    assert found.code.startswith("P-")
    assert found.display_name is None  # nothing beyond the Telegram id before consent


async def test_start_keeps_a_referral_code_until_consent(chorus: LocalChorus) -> None:
    async with chorus.sessions.begin() as session:
        worker = await people.ensure_role(session, 555, Role.LINK_WORKER, now=chorus.clock.now())
        session.add(Invite(code="ref-ABC123", kind=InviteKind.REFERRAL, created_by_id=worker.id))
    await chorus.client.register_user(ALICE, "Alice")
    await chorus.client.send_text(ALICE, "/start ref-ABC123")
    await chorus.client.wait_for_messages(ALICE, 2)
    found = await person(chorus, ALICE)
    assert found is not None and found.start_payload == "ref-ABC123"
    assert found.consent_at is None


async def test_help_and_unknown_command(chorus: LocalChorus) -> None:
    client = chorus.client
    await client.register_user(ALICE, "Alice")
    await client.send_text(ALICE, "/help")
    [help_reply] = await client.wait_for_messages(ALICE, 1)
    assert help_reply.text is not None and "/checkin" in help_reply.text
    assert "/broadcast" not in help_reply.text  # staff commands stay hidden
    await client.send_text(ALICE, "/frobnicate")
    [unknown] = await client.wait_for_messages(ALICE, 1)
    assert unknown.text is not None and "don't know that command" in unknown.text


async def test_coordinator_from_settings_gets_the_staff_help(chorus: LocalChorus) -> None:
    client = chorus.client
    await client.register_user(COORDINATOR_ID, "Carol")
    await client.send_text(COORDINATOR_ID, "/start")
    [welcome] = await client.wait_for_messages(COORDINATOR_ID, 1)
    assert welcome.text is not None and "coordinator" in welcome.text
    found = await person(chorus, COORDINATOR_ID)
    assert found is not None and found.role is Role.COORDINATOR
    await client.send_text(COORDINATOR_ID, "/help")
    [help_reply] = await client.wait_for_messages(COORDINATOR_ID, 1)
    assert help_reply.text is not None and "/broadcast" in help_reply.text


async def test_sticker_voice_and_photo_get_a_polite_answer(chorus: LocalChorus) -> None:
    client = chorus.client
    await client.register_user(ALICE, "Alice")
    await client.send_sticker(ALICE)
    [sticker] = await client.wait_for_messages(ALICE, 1)
    assert sticker.text is not None and "typed words" in sticker.text
    await client.send_voice(ALICE)
    [voice] = await client.wait_for_messages(ALICE, 1)
    assert voice.text is not None and "voice" in voice.text
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    await client.send_photo(ALICE, png)
    [photo] = await client.wait_for_messages(ALICE, 1)
    assert photo.text is not None and "picture" in photo.text


async def test_a_5000_character_message_is_refused_kindly(chorus: LocalChorus) -> None:
    client = chorus.client
    await client.register_user(ALICE, "Alice")
    await client.send_text(ALICE, "la " * 1667)
    [reply] = await client.wait_for_messages(ALICE, 1)
    assert reply.text is not None and "long message" in reply.text
    # The bot is still there for the next message.
    await client.send_text(ALICE, "/help")
    assert await client.wait_for_messages(ALICE, 1)


async def test_blocking_marks_the_person_unreachable_and_unblocking_restores(
    chorus: LocalChorus,
) -> None:
    client = chorus.client
    await client.register_user(ALICE, "Alice")
    await client.send_text(ALICE, "/start")
    await client.wait_for_messages(ALICE, 2)
    await client.block(ALICE)

    async def blocked() -> bool:
        found = await person(chorus, ALICE)
        return found is not None and found.reachability is Reachability.BLOCKED

    await eventually(blocked)
    await client.unblock(ALICE)
    await client.send_text(ALICE, "/help")
    assert await client.wait_for_messages(ALICE, 1)
    found = await person(chorus, ALICE)
    assert found is not None and found.reachability is Reachability.ACTIVE
