"""Separate OS processes sharing one database: every nudge sent once, none lost to a crash."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from bot.db.migrate import upgrade
from bot.db.models import Nudge, NudgeKind, NudgeStatus, Person
from bot.db.session import create_engine, create_session_factory
from bot.sandbox import Limits, SandboxClient, SandboxServer

TOKEN = "123456789:AAHsandboxTestTokenForWorkers_0123456"
CHILD = Path(__file__).with_name("nudge_worker_child.py")
NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
FIRST_USER = 30_000


@pytest.fixture
async def server() -> AsyncIterator[SandboxServer]:
    async with SandboxServer(TOKEN, limits=Limits.unlimited()) as running:
        yield running


@pytest.fixture
async def client(server: SandboxServer) -> AsyncIterator[SandboxClient]:
    async with SandboxClient(server.control_url) as control:
        yield control


async def _due_nudges(url: str, client: SandboxClient, count: int) -> None:
    """`count` people who started the bot, each with one check-in nudge due a minute ago."""
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    async with create_session_factory(engine).begin() as session:
        people = [
            {
                "telegram_user_id": FIRST_USER + i,
                "chat_id": FIRST_USER + i,
                "code": f"P-W{i:04d}",
                "interests": [],
                "access_needs": [],
                "preferences": {},
            }
            for i in range(count)
        ]
        ids = (await session.execute(insert(Person).returning(Person.id), people)).scalars().all()
        await session.execute(
            insert(Nudge),
            [
                {
                    "key": f"fu:{person_id}:test",
                    "kind": NudgeKind.CHECK_IN_DUE,
                    "person_id": person_id,
                    "due_at": NOW - timedelta(minutes=1),
                    "status": NudgeStatus.PENDING,
                    "attempts": 0,
                }
                for person_id in ids
            ],
        )
    await engine.dispose()
    for start in range(0, count, 50):
        users = range(FIRST_USER + start, FIRST_USER + min(start + 50, count))
        await asyncio.gather(*(client.register_user(u, "Worker test") for u in users))
        await asyncio.gather(*(client.send_text(u, "/start") for u in users))


async def _spawn(
    url: str, server: SandboxServer, *, now: datetime, rate: float = 1000.0, wait: bool = False
) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        str(CHILD),
        "--database-url", url,
        "--base-url", server.base_url,
        "--token", TOKEN,
        "--now", now.isoformat(),
        "--rate", str(rate),
        *(["--wait"] if wait else []),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def _report(process: asyncio.subprocess.Process) -> dict[str, float]:
    out, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0
    report: dict[str, float] = json.loads(out.decode().strip().splitlines()[-1])
    return report


async def _statuses(url: str) -> dict[NudgeStatus, int]:
    engine = create_engine(url)
    async with create_session_factory(engine)() as session:
        rows = await session.execute(select(Nudge.status, func.count()).group_by(Nudge.status))
        found = {status: count for status, count in rows}
    await engine.dispose()
    return found


@pytest.mark.postgres
async def test_two_processes_send_500_due_nudges_exactly_once(
    postgres_url: str, server: SandboxServer, client: SandboxClient
) -> None:
    await _due_nudges(postgres_url, client, 500)
    workers = [await _spawn(postgres_url, server, now=NOW, wait=True) for _ in range(2)]
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write(b"go\n")
    await asyncio.gather(*(w.stdin.drain() for w in workers if w.stdin is not None))
    reports = [await _report(worker) for worker in workers]
    sends = (await client.stats()).send_times
    assert sorted(sends) == list(range(FIRST_USER, FIRST_USER + 500))
    assert all(len(times) == 1 for times in sends.values())
    assert sum(r["sent"] for r in reports) == 500
    # Both processes did part of the work: they really did run side by side.
    assert all(r["sent"] > 0 for r in reports), reports
    assert await _statuses(postgres_url) == {NudgeStatus.SENT: 500}


async def test_killed_mid_run_a_restart_loses_nothing(
    database_url: str, server: SandboxServer, client: SandboxClient
) -> None:
    await _due_nudges(database_url, client, 200)
    # Slow enough (40 a second) to be killed part-way through.
    worker = await _spawn(database_url, server, now=NOW, rate=40.0)
    for _ in range(600):  # the other process's progress can only be polled
        if (await client.stats()).messages_sent >= 40:
            break
        await asyncio.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    await worker.wait()
    before = (await client.stats()).messages_sent
    assert 40 <= before < 200
    # The restart comes after the dead process's leases have run out.
    restarted = await _spawn(database_url, server, now=NOW + timedelta(minutes=3))
    await _report(restarted)
    sends = (await client.stats()).send_times
    assert sorted(sends) == list(range(FIRST_USER, FIRST_USER + 200))
    # At most the one nudge in flight at the kill went twice.
    assert sum(len(times) for times in sends.values()) - 200 <= 1
    assert await _statuses(database_url) == {NudgeStatus.SENT: 200}
