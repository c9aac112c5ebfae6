"""With self-referral switched off, people need a link worker's link to join."""

from __future__ import annotations

import pytest

from bot.local_bot import LocalChorus

MAGGIE = 2001


@pytest.fixture
def e2e_settings() -> dict[str, object]:
    return {"self_referral": False}


async def test_self_referral_can_be_switched_off(chorus: LocalChorus) -> None:
    await chorus.client.register_user(MAGGIE, "Maggie")
    await chorus.client.send_text(MAGGIE, "/start")
    [closed] = await chorus.client.wait_for_messages(MAGGIE, 1)
    assert closed.text is not None and "need a link" in closed.text
