"""`chorus sandbox` (and `chorus run` without a token): chat with Chorus in the terminal."""

from __future__ import annotations

import sys

from bot.config import Settings
from bot.db.models import Role
from bot.local_bot import LocalChorus
from bot.sandbox.terminal import run_terminal_chat
from bot.services import people


async def run_sandbox_chat(settings: Settings, *, role: str, user_id: int, first_name: str) -> None:
    """Runs the bot against a local Telegram stand-in and chats as one person until `:quit`."""
    admins = set(settings.admin_telegram_ids)
    if role == Role.COORDINATOR:
        admins.add(user_id)
    overrides = settings.model_dump(
        exclude={"telegram_bot_token", "telegram_api_base_url", "telegram_api_file_url"}
    )
    overrides["admin_telegram_ids"] = frozenset(admins)
    async with LocalChorus(**overrides) as local:
        if role == Role.LINK_WORKER:
            async with local.sessions.begin() as session:
                await people.ensure_role(
                    session, user_id, Role.LINK_WORKER, now=local.app.bot_data.clock.now()
                )
        await run_terminal_chat(
            local.client,
            user_id=user_id,
            first_name=first_name,
            input_stream=sys.stdin,
            output_stream=sys.stdout,
        )
