"""The control API through `SandboxClient`: acting as users and reading what the bot did."""

from __future__ import annotations

import asyncio

import httpx
import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.sandbox import SandboxClient, SandboxError, SandboxServer

KEYBOARD = InlineKeyboardMarkup(
    [
        [InlineKeyboardButton("I'll go", callback_data="go:7")],
        [InlineKeyboardButton("Website", url="https://example.org")],
    ]
)


async def test_registered_details_appear_on_updates(
    bot: telegram.Bot, client: SandboxClient
) -> None:
    registered = await client.register_user(
        5, "Bea", username="bea", last_name="Hill", language_code="cy"
    )
    assert registered == {
        "id": 5,
        "is_bot": False,
        "first_name": "Bea",
        "last_name": "Hill",
        "username": "bea",
        "language_code": "cy",
    }
    await client.send_text(5, "Hello /help and /start@chorus_sandbox_bot")
    [update] = await bot.get_updates()
    message = update.message
    assert message is not None and message.from_user is not None
    assert message.from_user.language_code == "cy"
    assert message.chat.last_name == "Hill"
    commands = [(e.offset, e.length) for e in message.entities if e.type == "bot_command"]
    assert commands == [(6, 5), (16, 25)]


async def test_unregistered_senders_get_a_default_name(
    bot: telegram.Bot, client: SandboxClient
) -> None:
    await client.send_text(99, "hi")
    [update] = await bot.get_updates()
    assert update.effective_user is not None and update.effective_user.first_name == "User 99"


async def test_press_by_label_or_forged_data(
    bot: telegram.Bot, client: SandboxClient, user: int
) -> None:
    sent = await bot.send_message(user, "Choir on Tuesday", reply_markup=KEYBOARD)
    [message] = await client.wait_for_messages(user)
    await client.press(user, message, "I'll go")
    await client.press(user, sent.message_id, callback_data="go:999")
    by_label, forged = await bot.get_updates()
    assert by_label.callback_query is not None and forged.callback_query is not None
    assert by_label.callback_query.data == "go:7"
    assert forged.callback_query.data == "go:999"
    assert forged.callback_query.message is not None
    assert forged.callback_query.message.message_id == sent.message_id
    with pytest.raises(SandboxError, match="has no button 'Maybe'"):
        await client.press(user, message, "Maybe")
    with pytest.raises(SandboxError, match="does not send callback data"):
        await client.press(user, message, "Website")
    with pytest.raises(SandboxError, match="no bot message 999"):
        await client.press(user, 999, callback_data="x")
    answers = await client.callback_answers(user)
    assert [a.data for a in answers] == ["go:7", "go:999"]
    assert not any(a.answered for a in answers)


async def test_location_is_a_message_update(
    bot: telegram.Bot, client: SandboxClient, user: int
) -> None:
    await client.send_location(user, 54.0466, -2.8007)
    [update] = await bot.get_updates()
    assert update.message is not None and update.message.location is not None
    assert update.message.location.latitude == pytest.approx(54.0466)
    with pytest.raises(SandboxError, match="out of range"):
        await client.send_location(user, 91, 0)


async def test_block_and_unblock_emit_my_chat_member(
    bot: telegram.Bot, client: SandboxClient, user: int
) -> None:
    await client.block(user)
    await client.block(user)  # already blocked: nothing new happens
    with pytest.raises(SandboxError, match="has blocked the bot"):
        await client.send_text(user, "hello?")
    await client.unblock(user)
    blocked, unblocked = await bot.get_updates()
    assert blocked.my_chat_member is not None and unblocked.my_chat_member is not None
    assert blocked.my_chat_member.old_chat_member.status == "member"
    assert blocked.my_chat_member.new_chat_member.status == "kicked"
    assert unblocked.my_chat_member.new_chat_member.status == "member"
    assert blocked.my_chat_member.new_chat_member.user.id == (await bot.get_me()).id


async def test_wait_for_messages_counts_from_the_last_user_action(
    bot: telegram.Bot, client: SandboxClient, user: int
) -> None:
    await bot.send_message(user, "before")
    await client.send_text(user, "question")

    async def answer() -> None:
        await asyncio.sleep(0.1)
        await bot.send_message(user, "one")
        await bot.send_message(user, "two")

    task = asyncio.create_task(answer())
    messages = await client.wait_for_messages(user, count=2, timeout=3)
    await task
    assert [m.text for m in messages] == ["one", "two"]
    explicit = await client.wait_for_messages(user, count=3, after_message_id=0)
    assert [m.text for m in explicit] == ["before", "one", "two"]


async def test_wait_for_messages_times_out_with_what_arrived(
    bot: telegram.Bot, client: SandboxClient, user: int
) -> None:
    await client.send_text(user, "anyone?")
    await bot.send_message(user, "only one")
    with pytest.raises(TimeoutError, match=r"expected 2 new bot message\(s\).*'only one'"):
        await client.wait_for_messages(user, count=2, timeout=0.2)


async def test_changes_report_sends_edits_and_deletes_in_order(
    bot: telegram.Bot, client: SandboxClient, user: int
) -> None:
    _, start = await client.changes(user, after_revision=0)
    sent = await bot.send_message(user, "draft")
    await bot.edit_message_text("final", user, sent.message_id)
    changed, revision = await client.changes(user, after_revision=start)
    assert [(m.text, m.edited) for m in changed] == [("final", True)]
    await bot.delete_message(user, sent.message_id)
    [deleted], _ = await client.changes(user, after_revision=revision, timeout=1)
    assert deleted.deleted


async def test_commands_are_kept_per_scope_and_language(
    bot: telegram.Bot, client: SandboxClient, user: int
) -> None:
    everyone = [telegram.BotCommand("start", "Start"), telegram.BotCommand("help", "Help")]
    staff = [telegram.BotCommand("caseload", "Your caseload")]
    await bot.set_my_commands(everyone)
    await bot.set_my_commands(
        everyone, scope=telegram.BotCommandScopeAllPrivateChats(), language_code="cy"
    )
    await bot.set_my_commands(staff, scope=telegram.BotCommandScopeChat(user))
    assert await bot.get_my_commands() == tuple(everyone)
    assert await bot.get_my_commands(scope=telegram.BotCommandScopeChat(user)) == tuple(staff)
    assert await bot.get_my_commands(language_code="cy") == ()
    registered = await client.commands()
    assert registered[("chat:" + str(user), "")] == [
        {"command": "caseload", "description": "Your caseload"}
    ]
    assert ("all_private_chats", "cy") in registered
    assert await bot.delete_my_commands(scope=telegram.BotCommandScopeChat(user))
    assert ("chat:" + str(user), "") not in await client.commands()
    with pytest.raises(telegram.error.BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([telegram.BotCommand("Bad-Name", "x")])
    with pytest.raises(telegram.error.BadRequest, match="Chat not found"):
        await bot.set_my_commands(staff, scope=telegram.BotCommandScopeChat(31337))


async def test_menu_button_chat_info_and_session_methods(bot: telegram.Bot, user: int) -> None:
    assert await bot.set_chat_menu_button(user, telegram.MenuButtonCommands())
    assert isinstance(await bot.get_chat_menu_button(user), telegram.MenuButtonCommands)
    chat = await bot.get_chat(user)
    assert (chat.id, chat.type, chat.first_name, chat.username) == (user, "private", "Ada", "ada_l")
    assert await bot.close()
    assert await bot.log_out()


async def test_stats_count_sends_edits_and_per_chat_times(
    bot: telegram.Bot, client: SandboxClient, user: int
) -> None:
    sent = await bot.send_message(user, "a")
    await bot.send_message(user, "b")
    await bot.edit_message_text("c", user, sent.message_id)
    await bot.delete_message(user, sent.message_id)
    stats = await client.stats()
    assert (stats.messages_sent, stats.edits, stats.deletes, stats.too_many_requests) == (
        2,
        1,
        1,
        0,
    )
    assert len(stats.send_times[user]) == 3
    assert stats.method_calls["sendmessage"] == 2


async def test_reset_forgets_everything(
    bot: telegram.Bot, client: SandboxClient, user: int
) -> None:
    await bot.send_message(user, "a")
    _, revision = await client.changes(user, after_revision=0)
    await client.reset()
    assert await client.messages(user) == []
    assert (await client.stats()).messages_sent == 0
    with pytest.raises(telegram.error.BadRequest, match="Chat not found"):
        await bot.send_message(user, "gone")
    # Revisions keep counting, so a watcher from before the reset sees what comes after.
    await client.send_text(user, "/start")
    await bot.send_message(user, "fresh")
    [fresh], _ = await client.changes(user, after_revision=revision)
    assert fresh.text == "fresh"


async def test_control_api_rejects_malformed_requests(server: SandboxServer) -> None:
    async with httpx.AsyncClient() as http:
        no_name = await http.post(f"{server.control_url}/users", json={"id": 1})
        not_json = await http.post(f"{server.control_url}/users/1/text", content=b"{oops")
        bad_id = await http.post(f"{server.control_url}/users/abc/text", json={"text": "x"})
        empty = await http.post(f"{server.control_url}/users/1/text", json={"text": " "})
        no_target = await http.post(f"{server.control_url}/users/1/press", json={"message_id": 1})
        bad_file = await http.post(
            f"{server.control_url}/users/1/document", json={"content_base64": "!!"}
        )
    assert (no_name.status_code, no_name.json()) == (400, {"error": "first_name is required"})
    assert not_json.status_code == 400
    assert bad_id.json() == {"error": "user_id must be an integer"}
    assert empty.json() == {"error": "text must not be empty"}
    assert no_target.status_code == 400
    assert bad_file.json() == {"error": "content_base64 must be base64"}
