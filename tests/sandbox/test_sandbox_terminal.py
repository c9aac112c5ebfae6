"""The terminal chat, driven with in-memory streams against a real PTB Application."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.sandbox import SandboxClient, SandboxServer, run_terminal_chat
from tests.sandbox.chorus_like_bot import running_bot

USER = 21


class Transcript(io.StringIO):
    """An in-memory output stream that signals every write."""

    def __init__(self) -> None:
        super().__init__()
        self.written = asyncio.Event()

    def write(self, text: str) -> int:
        count = super().write(text)
        self.written.set()
        return count


class Session:
    """A terminal chat in progress: type lines, wait for output."""

    def __init__(self, reader: asyncio.StreamReader, output: Transcript) -> None:
        self.reader = reader
        self.output = output
        self.task: asyncio.Task[None] | None = None

    def type(self, line: str) -> None:
        self.reader.feed_data(line.encode() + b"\n")

    async def expect(self, text: str, times: int = 1, timeout: float = 5.0) -> None:
        async with asyncio.timeout(timeout):
            while self.output.getvalue().count(text) < times:
                self.output.written.clear()
                await self.output.written.wait()

    async def finish(self) -> str:
        assert self.task is not None
        async with asyncio.timeout(5):
            await self.task
        return self.output.getvalue()


@pytest.fixture
async def session(
    server: SandboxServer, client: SandboxClient, tmp_path: Path
) -> AsyncIterator[Session]:
    async with running_bot(server):
        chat = Session(asyncio.StreamReader(), Transcript())
        chat.task = asyncio.create_task(
            run_terminal_chat(
                client,
                user_id=USER,
                first_name="Ada",
                input_stream=chat.reader,
                output_stream=chat.output,
                download_dir=tmp_path,
                settle_time=0.3,
            )
        )
        await chat.expect("Chatting with the bot as Ada")
        yield chat
        if not chat.task.done():
            chat.reader.feed_eof()
            await chat.finish()


async def test_buttons_are_numbered_and_pressed_by_number(session: Session) -> None:
    session.type("/start")
    await session.expect("Bot: Welcome to the choir & friends")
    await session.expect("[1] I'll go  [2] Not for me  [3] Website")
    session.type("2")
    await session.expect("Bot (edited): You chose no")
    # With no buttons left, a number is just text.
    session.type("1")
    await session.expect("Bot: 1")
    session.type(":quit")
    output = await session.finish()
    assert output.rstrip().endswith("Bye.")
    # HTML is shown as plain text.
    assert "<b>" not in output


async def test_button_numbers_are_checked(session: Session) -> None:
    session.type("/start")
    await session.expect("[3] Website")
    session.type("7")
    await session.expect("(There is no button 7; choose 1 to 3.)")
    session.type("3")
    await session.expect("(That button opens https://example.org/choir.)")


async def test_text_location_and_keyboards(session: Session) -> None:
    session.type("hello")
    await session.expect("Bot: hello")
    session.type("/where")
    await session.expect("Keyboard: <Send my location>")
    session.type(":location 54.05 -2.80")
    await session.expect("Bot: Location 54.05, -2.80")
    session.type(":say 2")
    await session.expect("Bot: 2")
    session.type(":location here")
    await session.expect("(Usage: :location LAT LON")


async def test_documents_go_both_ways_and_are_saved(session: Session, tmp_path: Path) -> None:
    source = tmp_path / "note.txt"
    source.write_text("sing loud")
    session.type(f":doc {source}")
    await session.expect("Bot: [shout.txt]")
    await session.expect("(document saved to ")
    saved = tmp_path / "2-shout.txt"
    assert saved.read_bytes() == b"SING LOUD"
    assert str(saved) in session.output.getvalue()
    session.type(":doc /no/such/file.txt")
    await session.expect("(No such file: /no/such/file.txt)")


async def test_stickers_voice_and_unknown_commands(session: Session) -> None:
    session.type(":sticker")
    await session.expect("Bot: I can only read words.")
    session.type(":voice 2")
    await session.expect("Bot: I can only read words.", times=2)
    session.type(":dance")
    await session.expect("(Unknown command :dance; type :help)")
    session.type(":help")
    await session.expect(":location LAT LON")


async def test_text_stream_input_ends_at_eof_after_the_last_answer(
    server: SandboxServer, client: SandboxClient, tmp_path: Path
) -> None:
    async with running_bot(server):
        output = io.StringIO()
        await run_terminal_chat(
            client,
            user_id=USER,
            first_name="Ada",
            input_stream=io.StringIO("first words\n"),
            output_stream=output,
            download_dir=tmp_path,
            settle_time=0.5,
        )
    transcript = output.getvalue()
    assert "Bot: first words" in transcript
    assert transcript.rstrip().endswith("Bye.")


async def test_blocked_user_is_told_by_the_sandbox(session: Session, client: SandboxClient) -> None:
    await client.block(USER)
    session.type("hello")
    await session.expect("(Sandbox: user 21 has blocked the bot; unblock first)")
