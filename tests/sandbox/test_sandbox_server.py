"""SandboxServer itself: lifecycle, URLs, tokens, request encodings and the file route."""

from __future__ import annotations

import httpx
import pytest
import telegram

from bot.sandbox import Limits, SandboxClient, SandboxServer
from tests.sandbox.conftest import TOKEN


def test_a_malformed_token_is_refused_at_construction() -> None:
    with pytest.raises(ValueError, match="a bot token looks like"):
        SandboxServer("not a token")


async def test_urls_follow_ptbs_conventions_and_need_a_running_server() -> None:
    server = SandboxServer(TOKEN, limits=Limits.unlimited())
    with pytest.raises(RuntimeError, match="not running"):
        _ = server.base_url
    async with server:
        assert server.base_url == f"http://127.0.0.1:{server.port}/bot"
        assert server.base_file_url == f"http://127.0.0.1:{server.port}/file/bot"
        assert server.control_url == f"http://127.0.0.1:{server.port}/control"
    with pytest.raises(RuntimeError):
        _ = server.port


async def test_a_given_port_is_used(unused_tcp_port: int) -> None:
    async with SandboxServer(TOKEN, port=unused_tcp_port) as server:
        assert server.port == unused_tcp_port


async def test_get_requests_with_a_query_string_work(server: SandboxServer, user: int) -> None:
    async with httpx.AsyncClient() as http:
        response = await http.get(
            f"{server.base_url}{TOKEN}/sendMessage", params={"chat_id": user, "text": "via GET"}
        )
    assert response.json()["result"]["text"] == "via GET"


async def test_malformed_values_are_bad_requests(server: SandboxServer, user: int) -> None:
    async with httpx.AsyncClient() as http:
        bad_json = await http.post(
            f"{server.base_url}{TOKEN}/sendMessage",
            content=b"{not json",
            headers={"Content-Type": "application/json"},
        )
        bad_markup = await http.post(
            f"{server.base_url}{TOKEN}/sendMessage",
            data={"chat_id": str(user), "text": "x", "reply_markup": "{oops"},
        )
        bad_id = await http.post(
            f"{server.base_url}{TOKEN}/editMessageText",
            data={"chat_id": str(user), "message_id": "seven", "text": "x"},
        )
    assert bad_json.json()["description"] == "Bad Request: can't parse JSON request body"
    assert bad_markup.json()["description"] == (
        "Bad Request: can't parse reply keyboard markup JSON object"
    )
    assert bad_id.status_code == 400
    assert bad_id.json()["description"] == 'Bad Request: field "message_id" must be of type Integer'


async def test_file_downloads_check_the_token_and_the_path(
    server: SandboxServer, bot: telegram.Bot, client: SandboxClient, user: int
) -> None:
    await client.send_document(user, b"abc", "a.txt", mime_type="text/plain")
    [update] = await bot.get_updates()
    assert update.message is not None and update.message.document is not None
    file = await bot.get_file(update.message.document.file_id)
    assert file.file_path is not None
    path = file.file_path.split(TOKEN + "/", 1)[1]
    async with httpx.AsyncClient() as http:
        good = await http.get(f"{server.base_file_url}{TOKEN}/{path}")
        wrong_token = await http.get(f"{server.base_file_url}123:wrong/{path}")
        missing = await http.get(f"{server.base_file_url}{TOKEN}/documents/nothing.txt")
    assert (good.status_code, good.content, good.headers["Content-Type"]) == (
        200,
        b"abc",
        "text/plain",
    )
    assert wrong_token.status_code == 401
    assert missing.status_code == 404
