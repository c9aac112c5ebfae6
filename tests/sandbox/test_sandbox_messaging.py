"""Sending, editing and deleting through a real PTB `Bot`, with Telegram's errors."""

from __future__ import annotations

import httpx
import pytest
import telegram
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    LinkPreviewOptions,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken

from bot.sandbox import SandboxClient, SandboxServer
from tests.sandbox.conftest import TOKEN

KEYBOARD = InlineKeyboardMarkup(
    [
        [InlineKeyboardButton("I'll go", callback_data="go:1")],
        [InlineKeyboardButton("No", callback_data="no:1")],
    ]
)


async def test_get_me_describes_the_bot(bot: telegram.Bot) -> None:
    me = await bot.get_me()
    assert me.id == 123456789
    assert me.is_bot
    assert me.username == "chorus_sandbox_bot"


async def test_wrong_or_malformed_token_is_unauthorized(server: SandboxServer) -> None:
    for token in ("123456789:AAHsomeoneElsesTokenXXXXXXXXXXXXXXXX", "not-a-token"):
        other = telegram.Bot(token, base_url=server.base_url)
        with pytest.raises(InvalidToken) as caught:
            await other.initialize()
        assert str(caught.value.__cause__) == "Unauthorized"
        await other.shutdown()


async def test_unknown_method_is_not_found_and_names_are_case_insensitive(
    server: SandboxServer,
) -> None:
    async with httpx.AsyncClient() as http:
        missing = await http.post(f"{server.base_url}{TOKEN}/sendTelepathy")
        upper = await http.post(f"{server.base_url}{TOKEN}/GETME")
    assert missing.status_code == 404
    assert missing.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
    assert upper.json()["result"]["username"] == "chorus_sandbox_bot"


async def test_json_bodies_are_accepted_like_form_data(server: SandboxServer, user: int) -> None:
    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"{server.base_url}{TOKEN}/sendMessage",
            json={"chat_id": user, "text": "<b>hi</b>", "parse_mode": "HTML"},
        )
    result = response.json()["result"]
    assert result["text"] == "hi"
    assert result["chat"] == {
        "id": user,
        "type": "private",
        "first_name": "Ada",
        "username": "ada_l",
    }
    assert result["from"]["is_bot"] is True


async def test_send_message_is_shaped_like_telegrams(
    bot: telegram.Bot, client: SandboxClient, user: int
) -> None:
    sent = await bot.send_message(
        user,
        "<b>Choir</b> on Tuesday &amp; Thursday",
        parse_mode=ParseMode.HTML,
        reply_markup=KEYBOARD,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )
    assert sent.text == "Choir on Tuesday & Thursday"
    assert sent.entities[0].type == "bold"
    assert sent.reply_markup == KEYBOARD
    assert sent.chat.type == "private"
    assert sent.from_user is not None and sent.from_user.id == 123456789
    [seen] = await client.messages(user)
    assert seen.html == "<b>Choir</b> on Tuesday &amp; Thursday"
    assert seen.text == "Choir on Tuesday & Thursday"
    assert [b.callback_data for b in seen.buttons] == ["go:1", "no:1"]
    assert seen.link_preview_options == {"is_disabled": True}


async def test_reply_keyboards_with_location_buttons_and_their_removal_are_recorded(
    bot: telegram.Bot, client: SandboxClient, user: int
) -> None:
    keyboard = ReplyKeyboardMarkup(
        [[KeyboardButton("Share where I am", request_location=True), "Skip"]]
    )
    sent = await bot.send_message(user, "Where are you?", reply_markup=keyboard)
    # Telegram only shows inline keyboards on the returned message.
    assert sent.reply_markup is None
    await bot.send_message(user, "Thanks", reply_markup=ReplyKeyboardRemove())
    asked, removed = await client.messages(user)
    assert asked.keyboard == [
        {"text": "Share where I am", "request_location": True},
        {"text": "Skip"},
    ]
    assert removed.removes_keyboard


async def test_reply_parameters_attach_the_replied_message(bot: telegram.Bot, user: int) -> None:
    first = await bot.send_message(user, "first")
    reply = await bot.send_message(
        user, "second", reply_parameters=ReplyParameters(first.message_id)
    )
    assert reply.reply_to_message is not None
    assert reply.reply_to_message.text == "first"
    with pytest.raises(BadRequest, match="Message to be replied not found"):
        await bot.send_message(user, "x", reply_parameters=ReplyParameters(999))
    lenient = ReplyParameters(999, allow_sending_without_reply=True)
    assert (await bot.send_message(user, "y", reply_parameters=lenient)).reply_to_message is None


@pytest.mark.parametrize(
    ("text", "parse_mode", "error"),
    [
        ("x" * 4097, None, "Message is too long"),
        ("   ", None, "Message text is empty"),
        ("<b>" + "x" * 4096 + "</b>", ParseMode.HTML, None),
        ("<b>oops", ParseMode.HTML, "Can't parse entities: can't find end tag"),
        ("<blink>x</blink>", ParseMode.HTML, 'unsupported start tag "blink"'),
        ("a < b", ParseMode.HTML, "Can't parse entities"),
        ("Fish & chips", ParseMode.HTML, "Can't parse entities: character '&' is reserved"),
        ("*bold*", ParseMode.MARKDOWN_V2, "Unsupported parse_mode"),
    ],
)
async def test_text_rules_match_telegram(
    bot: telegram.Bot, user: int, text: str, parse_mode: str | None, error: str | None
) -> None:
    if error is None:
        assert len((await bot.send_message(user, text, parse_mode=parse_mode)).text or "") == 4096
        return
    with pytest.raises(BadRequest) as caught:
        await bot.send_message(user, text, parse_mode=parse_mode)
    assert error.lower() in caught.value.message.lower()


@pytest.mark.parametrize("data", ["", "x" * 65, "é" * 33])
async def test_callback_data_must_be_1_to_64_bytes(bot: telegram.Bot, user: int, data: str) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data=data)]])
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(user, "pick", reply_markup=markup)


async def test_callback_data_of_exactly_64_bytes_is_accepted(bot: telegram.Bot, user: int) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="é" * 32)]])
    assert (await bot.send_message(user, "pick", reply_markup=markup)).reply_markup == markup


async def test_unknown_blocked_and_unstarted_chats_are_refused(
    bot: telegram.Bot, client: SandboxClient, user: int
) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(999, "hello")
    await client.register_user(77, "Quiet")
    with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
        await bot.send_message(77, "hello")
    await client.block(user)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(user, "hello")
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_chat_action(user, "typing")
    await client.unblock(user)
    assert (await bot.send_message(user, "welcome back")).text == "welcome back"


async def test_username_targets_resolve(bot: telegram.Bot, user: int) -> None:
    assert (await bot.send_message("@ada_l", "hi")).chat.id == user


async def test_edit_text_and_markup_follow_telegrams_rules(
    bot: telegram.Bot, client: SandboxClient, user: int
) -> None:
    sent = await bot.send_message(
        user, "<b>Choir</b>", parse_mode=ParseMode.HTML, reply_markup=KEYBOARD
    )
    with pytest.raises(BadRequest, match="Message is not modified: specified new message content"):
        await bot.edit_message_text(
            "<b>Choir</b>", user, sent.message_id, parse_mode="HTML", reply_markup=KEYBOARD
        )
    edited = await bot.edit_message_text(
        "Choir (moved)", user, sent.message_id, reply_markup=KEYBOARD
    )
    assert isinstance(edited, telegram.Message)
    assert edited.edit_date is not None
    # Leaving reply_markup out of an edit removes the buttons, as in Telegram.
    bare = await bot.edit_message_text("Choir (moved)", user, sent.message_id)
    assert isinstance(bare, telegram.Message) and bare.reply_markup is None
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(user, sent.message_id)
    await bot.edit_message_reply_markup(user, sent.message_id, reply_markup=KEYBOARD)
    [seen] = await client.messages(user)
    assert seen.edited and seen.edit_count == 3
    assert seen.text == "Choir (moved)" and len(seen.buttons) == 2
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", user, 999)
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_text("x", user, 1)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.edit_message_text("x" * 5000, user, sent.message_id)


async def test_edits_accept_only_inline_keyboards(bot: telegram.Bot, user: int) -> None:
    sent = await bot.send_message(user, "x")
    with pytest.raises(BadRequest, match="Inline keyboard expected"):
        await bot.edit_message_text("y", user, sent.message_id, reply_markup=ReplyKeyboardRemove())  # type: ignore[arg-type]


async def test_delete_message_hides_it_and_refuses_a_second_time(
    bot: telegram.Bot, client: SandboxClient, user: int
) -> None:
    sent = await bot.send_message(user, "temporary")
    assert await bot.delete_message(user, sent.message_id)
    assert await client.messages(user) == []
    [gone] = await client.messages(user, include_deleted=True)
    assert gone.deleted
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(user, sent.message_id)


async def test_chat_action_checks_the_action(
    bot: telegram.Bot, client: SandboxClient, user: int
) -> None:
    assert await bot.send_chat_action(user, "typing")
    with pytest.raises(BadRequest, match="Wrong parameter action in request"):
        await bot.send_chat_action(user, "dancing")
    assert (await client.stats()).chat_actions == 1


async def test_answer_callback_query_once_and_only_for_real_queries(
    bot: telegram.Bot, client: SandboxClient, user: int
) -> None:
    sent = await bot.send_message(user, "pick", reply_markup=KEYBOARD)
    query_id = await client.press(user, sent.message_id, "I'll go")
    assert await bot.answer_callback_query(query_id, text="See you there", show_alert=True)
    with pytest.raises(BadRequest, match="Query is too old and response timeout expired"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query("12345")
    [answer] = await client.callback_answers(user)
    assert answer.answered and answer.text == "See you there" and answer.show_alert
    assert answer.data == "go:1"
