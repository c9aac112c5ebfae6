"""Chat with the bot from a terminal, as one pretend user, through the control API.

What the person types becomes messages, button presses and shared things; what the bot sends
is printed as it arrives. Used by `chorus sandbox`; tests drive it with in-memory streams.
"""

from __future__ import annotations

import asyncio
import contextlib
import mimetypes
import tempfile
import threading
from collections.abc import AsyncGenerator
from pathlib import Path
from typing import TextIO

import httpx

from bot.sandbox.client import SandboxClient, SandboxError
from bot.sandbox.received import BotMessage

HELP = (
    "Type a message and press Enter. A number presses that button of the latest message with "
    "buttons.\n"
    "  :say TEXT           send TEXT as it is   :location LAT LON   share a location\n"
    "  :doc PATH           send a file          :sticker / :voice   send a sticker / voice note\n"
    "  :help               show this again      :quit               leave (Ctrl-D works too)"
)
# Long enough that an idle chat costs almost nothing, short enough to notice quitting.
_WATCH_TIMEOUT = 5.0


async def _lines(stream: TextIO | asyncio.StreamReader) -> AsyncGenerator[str, None]:
    """Yields lines without blocking the event loop; ends at end of input."""
    if isinstance(stream, asyncio.StreamReader):
        while raw := await stream.readline():
            yield raw.decode("utf-8", "replace")
        return
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str] = asyncio.Queue()

    def pump() -> None:
        # A daemon thread, so a person who quits with :quit is not left waiting for Enter.
        while True:
            line = stream.readline()
            try:
                loop.call_soon_threadsafe(queue.put_nowait, line)
            except RuntimeError:
                return  # The chat has ended and its event loop is gone.
            if not line:
                return

    threading.Thread(target=pump, name="sandbox-terminal-input", daemon=True).start()
    while line := await queue.get():
        yield line


def _read_file(argument: str) -> tuple[str, bytes] | None:
    """Returns the name and bytes of the file at `argument`, or None if there is none."""
    path = Path(argument).expanduser()
    if not argument or not path.is_file():
        return None
    return path.name, path.read_bytes()


class TerminalChat:
    """One person's chat: prints the bot's messages and sends what they type."""

    def __init__(
        self, client: SandboxClient, *, user_id: int, output: TextIO, download_dir: Path
    ) -> None:
        self.client = client
        self.user_id = user_id
        self.output = output
        self.download_dir = download_dir
        self.revision = 0
        self.known: dict[int, BotMessage] = {}
        self._saved: set[str] = set()

    def say(self, text: str) -> None:
        """Prints a line and flushes, so it shows at once even when piped."""
        self.output.write(text + "\n")
        self.output.flush()

    def latest_with_buttons(self) -> BotMessage | None:
        """The most recent message that still shows inline buttons, if any."""
        for message_id in sorted(self.known, reverse=True):
            message = self.known[message_id]
            if not message.deleted and message.buttons:
                return message
        return None

    def render(self, message: BotMessage, *, is_new: bool) -> None:
        """Prints one new, edited or deleted bot message."""
        if message.deleted:
            self.say(f"(The bot deleted a message: {message.body[:40]!r})")
            return
        label = "Bot" if is_new else "Bot (edited)"
        body = message.body
        if message.file is not None:
            attachment = message.file.file_name or message.file.kind
            body = f"[{attachment}] {body}".rstrip()
        lines = body.splitlines() or [""]
        self.say(f"{label}: {lines[0]}")
        for line in lines[1:]:
            self.say(f"     {line}")
        if message.buttons:
            numbered = "  ".join(f"[{n}] {b.text}" for n, b in enumerate(message.buttons, 1))
            self.say(f"     {numbered}")
        if message.keyboard:
            keys = "  ".join(f"<{b['text']}>" for b in message.keyboard)
            self.say(f"     Keyboard: {keys}  (type the text; :location to share where you are)")
        if message.file is not None and message.file.file_id not in self._saved:
            self._saved.add(message.file.file_id)
            default = "photo.png" if message.file.kind == "photo" else "file"
            name = Path(message.file.file_name or default).name
            path = self.download_dir / f"{message.message_id}-{name}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(message.file.content)
            self.say(f"     ({message.file.kind} saved to {path})")

    async def catch_up(self) -> None:
        """Learns what the chat already holds without printing it."""
        found, self.revision = await self.client.changes(self.user_id, after_revision=0)
        self.known = {message.message_id: message for message in found}

    async def poll(self, timeout: float) -> bool:
        """Prints changes arriving within `timeout`; returns True if there were any."""
        found, self.revision = await self.client.changes(
            self.user_id, after_revision=self.revision, timeout=timeout
        )
        for message in found:
            is_new = message.message_id not in self.known
            self.known[message.message_id] = message
            self.render(message, is_new=is_new)
        return bool(found)

    async def watch(self) -> None:
        """Prints the bot's messages until cancelled."""
        try:
            while True:
                await self.poll(_WATCH_TIMEOUT)
        except httpx.HTTPError as error:
            self.say(f"Lost the connection to the sandbox: {error}")

    async def handle(self, line: str) -> bool:
        """Acts on one typed line; returns False when the person wants to leave."""
        text = line.strip()
        if not text:
            return True
        command, _, argument = text.partition(" ")
        if command == ":quit":
            return False
        try:
            await self._dispatch(text, command, argument.strip())
        except SandboxError as error:
            self.say(f"(Sandbox: {error.message})")
        return True

    async def _dispatch(self, text: str, command: str, argument: str) -> None:
        user = self.user_id
        if text.isdigit():
            await self.press(int(text))
        elif command == ":say" and argument:
            await self.client.send_text(user, argument)
        elif command == ":help":
            self.say(HELP)
        elif command == ":location":
            parts = argument.replace(",", " ").split()
            try:
                latitude, longitude = (float(part) for part in parts)
            except ValueError:
                self.say("(Usage: :location LAT LON, e.g. :location 54.07 -2.86)")
                return
            await self.client.send_location(user, latitude, longitude)
        elif command == ":doc":
            loaded = await asyncio.to_thread(_read_file, argument)
            if loaded is None:
                self.say(f"(No such file: {argument or '(none given)'})")
                return
            name, content = loaded
            mime_type = mimetypes.guess_type(name)[0]
            await self.client.send_document(user, content, name, mime_type=mime_type)
        elif command == ":sticker":
            await self.client.send_sticker(user, argument or "👍")
        elif command == ":voice":
            await self.client.send_voice(user, duration=int(argument) if argument.isdigit() else 3)
        elif command.startswith(":"):
            self.say(f"(Unknown command {command}; type :help)")
        else:
            await self.client.send_text(user, text)

    async def press(self, number: int) -> None:
        """Presses button `number` (from 1) of the latest message with buttons, else sends it."""
        message = self.latest_with_buttons()
        if message is None:
            await self.client.send_text(self.user_id, str(number))
            return
        buttons = message.buttons
        if not 1 <= number <= len(buttons):
            self.say(f"(There is no button {number}; choose 1 to {len(buttons)}.)")
            return
        button = buttons[number - 1]
        if button.callback_data is None:
            self.say(f"(That button opens {button.url or 'something outside the chat'}.)")
            return
        await self.client.press(self.user_id, message, callback_data=button.callback_data)


async def run_terminal_chat(
    client: SandboxClient,
    *,
    user_id: int,
    first_name: str,
    input_stream: TextIO | asyncio.StreamReader,
    output_stream: TextIO,
    download_dir: Path | None = None,
    settle_time: float = 1.0,
) -> None:
    """Lets a person chat with the bot as user `user_id` until `:quit` or end of input.

    Args:
        client: Connected to the running sandbox.
        user_id: The pretend user's Telegram id (also the chat id).
        first_name: The pretend user's name.
        input_stream: What the person types: a text stream (stdin, StringIO) or a StreamReader.
        output_stream: Where the chat is printed.
        download_dir: Folder for files the bot sends; a new temporary folder by default.
        settle_time: At end of input, keep printing until the bot has been quiet this long,
            so piped input still shows the bot's last answers.
    """
    folder = download_dir or Path(tempfile.mkdtemp(prefix="chorus-sandbox-"))
    await client.register_user(user_id, first_name)
    chat = TerminalChat(client, user_id=user_id, output=output_stream, download_dir=folder)
    await chat.catch_up()
    chat.say(f"Chatting with the bot as {first_name} (user {user_id}).")
    chat.say(HELP)
    watcher = asyncio.create_task(chat.watch(), name="sandbox-terminal-watch")
    ended_by_eof = True
    try:
        async with contextlib.aclosing(_lines(input_stream)) as lines:
            async for line in lines:
                if not await chat.handle(line):
                    ended_by_eof = False
                    break
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher
    if ended_by_eof:
        while await chat.poll(settle_time):
            pass
    chat.say("Bye.")
