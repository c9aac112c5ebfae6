"""Benchmark broadcasts: time to reach N people against the floor N/30 s, and reply latency.

Run as ``.venv/bin/python bench/broadcast.py [--sizes 1000,10000] [--postgres-url URL]
[--write-docs]``.

For each size it fills a fresh database with N consented participants, starts the real
application (the same `build_application` as production, on the system clock) against the
project's local Bot API server enforcing Telegram's limits (30 messages a second overall, one a
second per chat), and has a coordinator send a broadcast to everyone through the real buttons.
While it runs, one participant sends /help every second; the time from sending to the bot's
reply is recorded. Reported:

- broadcast time: from the author's confirmation to the last delivery, against the physical
  floor N / 30 s (Telegram's limit allows no faster); goal within 1.15× the floor;
- reply latency p50 / p95 during the broadcast; goal p95 under 1.5 s.

``--write-docs`` writes the figures into the "Broadcasts" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from bot.db.models import Broadcast, BroadcastStatus, Delivery, Person  # noqa: E402
from bot.local_bot import LocalChorus  # noqa: E402
from bot.sandbox.limits import Limits  # noqa: E402
from bot.sandbox.records import SandboxUser  # noqa: E402

COORDINATOR = 5_000_000
FIRST = 6_000_000
TELEGRAM_RATE = 30.0
CHUNK = 5_000
TEXT = "The Thursday choir is on as usual this week. See you there!"


async def seed(chorus: LocalChorus, size: int) -> None:
    """N consented participants who have all written to the bot before."""
    now = datetime.now(UTC)
    async with chorus.sessions.begin() as session:
        for start in range(0, size, CHUNK):
            rows: list[dict[str, Any]] = [
                {
                    "telegram_user_id": FIRST + i,
                    "chat_id": FIRST + i,
                    "code": f"B-{i:05d}",
                    "role": "participant",
                    "display_name": f"Person {i}",
                    "consent_at": now,
                    "interests": [],
                    "access_needs": [],
                    "preferences": {},
                    "reachability": "active",
                    "language": "en",
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(start, min(start + CHUNK, size))
            ]
            await session.execute(insert(Person), rows)
    for i in range(size):
        chorus.server.state.register_user(
            SandboxUser(id=FIRST + i, first_name=f"Person {i}", started=True)
        )


async def press(chorus: LocalChorus, label: str) -> None:
    message = (await chorus.client.messages(COORDINATOR))[-1]
    await chorus.client.press(COORDINATOR, message, label)
    await chorus.client.wait_for_messages(COORDINATOR, 1, timeout=30)


async def chat_while_sending(chorus: LocalChorus, done: asyncio.Event) -> list[float]:
    """One participant asks for /help every second until the broadcast ends."""
    chatter = FIRST + 1
    latencies: list[float] = []
    while not done.is_set():
        started = time.monotonic()
        await chorus.client.send_text(chatter, "/help")
        await chorus.client.wait_for_messages(chatter, 1, timeout=30)
        latencies.append(time.monotonic() - started)
        await asyncio.sleep(1.0)
    return latencies


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


async def run(url: str, size: int) -> dict[str, float]:
    """One broadcast to `size` people; returns the measures."""
    async with LocalChorus(
        url, limits=Limits(), admin_telegram_ids=frozenset({COORDINATOR})
    ) as chorus:
        client = chorus.client
        await client.register_user(COORDINATOR, "Cora")
        await client.send_text(COORDINATOR, "/start")
        await client.wait_for_messages(COORDINATOR, 1)
        await seed(chorus, size)
        await client.send_text(COORDINATOR, "/broadcast")
        await client.wait_for_messages(COORDINATOR, 1)
        await press(chorus, "Everyone")
        await client.send_text(COORDINATOR, TEXT)
        await client.wait_for_messages(COORDINATOR, 1, timeout=30)
        done = asyncio.Event()
        chatting = asyncio.create_task(chat_while_sending(chorus, done))
        await press(chorus, "Send")
        while True:
            async with chorus.sessions() as session:
                status = await session.scalar(select(Broadcast.status))
            if status is BroadcastStatus.DONE:
                break
            await asyncio.sleep(0.5)
        done.set()
        latencies = await chatting
        async with chorus.sessions() as session:
            confirmed = await session.scalar(select(Broadcast.confirmed_at))
            last = await session.scalar(select(func.max(Delivery.sent_at)))
            sent = await session.scalar(select(func.count()).where(Delivery.status == "sent"))
        assert confirmed is not None and last is not None
        elapsed = (last - confirmed).total_seconds()
        floor = size / TELEGRAM_RATE
        return {
            "size": size,
            "sent": float(sent or 0),
            "elapsed": elapsed,
            "floor": floor,
            "ratio": elapsed / floor,
            "p50": percentile(latencies, 0.50),
            "p95": percentile(latencies, 0.95),
            "replies": float(len(latencies)),
        }


async def postgres_database(url: str, name: str, *, create: bool) -> str:
    """Creates (or drops) an empty database beside the one in `url`; each size needs its own."""
    import asyncpg

    base = url.rsplit("/", 1)[0]
    admin = await asyncpg.connect(
        base.replace("postgresql+asyncpg://", "postgresql://") + "/postgres"
    )
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if create:
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return f"{base}/{name}"


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def section(results: list[tuple[str, dict[str, float]]]) -> str:
    """The "## Broadcasts" section of docs/benchmarks.md, one row per database and size."""
    lines = [
        "| database | recipients | delivered | time | floor N/30 | × floor | reply p50 / p95 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in results:
        lines.append(
            f"| {name} | {r['size']:,.0f} | {r['sent']:,.0f} | {r['elapsed']:.1f} s "
            f"| {r['floor']:.1f} s | {r['ratio']:.3f} | {r['p50']:.2f} / {r['p95']:.2f} s |"
        )
    table = "\n".join(lines)
    return f"""## Broadcasts

Measured {datetime.now(UTC):%Y-%m-%d} on {machine()}, with
`.venv/bin/python bench/broadcast.py --postgres-url … --write-docs`.

A coordinator broadcasts to every participant through the real buttons; the real application
(`build_application`, system clock) sends through the local Bot API server enforcing Telegram's
limits (30 messages a second overall, one a second per chat). Time runs from the author's
confirmation (all delivery rows queued in one transaction) to the last delivery recorded; the
floor is N ÷ 30 s, the fastest Telegram allows. Meanwhile one participant sends /help every
second; latency is from sending it to the bot's reply arriving. Goals: within 1.15× the floor;
reply p95 under 1.5 s. The sender paces bulk work at 27 a second, so 30 ÷ 27 = 1.11× is the
design ratio: the other 3 a second are kept for replies.

{table}
"""


def write_docs(text: str, path: Path) -> None:
    """Replaces (or adds) the "## Broadcasts" section, leaving the other sections alone."""
    page = path.read_text("utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(r"^## Broadcasts\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(page):
        page = pattern.sub(lambda _: text, page)
    else:
        page = page.rstrip("\n") + "\n\n" + text
    path.write_text(page, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated recipient counts")
    parser.add_argument(
        "--postgres-url", help="also run on PostgreSQL (a fresh database per size beside this one)"
    )
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    sizes = [int(part) for part in args.sizes.split(",") if part.strip()]
    results: list[tuple[str, dict[str, float]]] = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite+aiosqlite:///{folder}/bench.sqlite3"
            results.append(("SQLite", asyncio.run(run(url, size))))
            print(results[-1], flush=True)
    if args.postgres_url:
        for size in sizes:
            name = f"chorus_bench_broadcast_{size}"
            url = asyncio.run(postgres_database(args.postgres_url, name, create=True))
            results.append(("PostgreSQL", asyncio.run(run(url, size))))
            asyncio.run(postgres_database(args.postgres_url, name, create=False))
            print(results[-1], flush=True)
    text = section(results)
    print(text)
    if args.write_docs:
        write_docs(text, ROOT / "docs" / "benchmarks.md")


if __name__ == "__main__":
    main()
