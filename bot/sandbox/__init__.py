"""A local Telegram Bot API server ("sandbox") for tests, benchmarks and trying Chorus offline.

`SandboxServer` answers the Bot API like api.telegram.org, errors and flood control included,
so the real PTB `Application` runs against it unchanged. Its control API, driven through
`SandboxClient`, plays the people on the other side; `run_terminal_chat` lets a person chat
with the bot from a terminal.
"""

from bot.sandbox.client import SandboxClient, SandboxError
from bot.sandbox.limits import Limits
from bot.sandbox.received import BotFile, BotMessage, Button, CallbackAnswer, SandboxStats
from bot.sandbox.server import SandboxServer
from bot.sandbox.terminal import run_terminal_chat

__all__ = [
    "BotFile",
    "BotMessage",
    "Button",
    "CallbackAnswer",
    "Limits",
    "SandboxClient",
    "SandboxError",
    "SandboxServer",
    "SandboxStats",
    "run_terminal_chat",
]
