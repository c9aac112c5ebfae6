"""A dispatcher process for the multi-process nudge tests: drains what is due, then exits.

Run as ``python tests/services/nudge_worker_child.py --database-url … --base-url … --token …``.
It builds exactly what `bot.application` builds for nudges (engine, paced sender, dispatcher)
without the update handling, so several can share one database and one Bot API server. It
prints one JSON line with what it did.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

# Run as a script: make the project importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from telegram.constants import ParseMode
from telegram.ext import Defaults, ExtBot

from bot.clock import FixedClock
from bot.db.session import create_engine, create_session_factory
from bot.messaging.nudge_dispatcher import NudgeDispatcher
from bot.messaging.sender import Sender
from tests.services.nudge_builders import policy


async def main(args: argparse.Namespace) -> None:
    engine = create_engine(args.database_url)
    sessions = create_session_factory(engine)
    if args.wait:
        # Start together with the other process: the test writes a line to both at once.
        await asyncio.to_thread(sys.stdin.readline)
    started = time.monotonic()
    async with ExtBot(
        args.token, base_url=args.base_url, defaults=Defaults(parse_mode=ParseMode.HTML)
    ) as bot:
        dispatcher = NudgeDispatcher(
            sessions,
            Sender(bot, bulk_rate=args.rate),
            FixedClock(datetime.fromisoformat(args.now)),
            policy(quiet_hours="off"),
            batch=args.batch,
            lease=timedelta(minutes=2),
        )
        stats = await dispatcher.run()
    await engine.dispose()
    report = {"sent": stats.sent, "skipped": stats.skipped, "failed": stats.failed}
    print(json.dumps({**report, "seconds": round(time.monotonic() - started, 2)}), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--now", required=True, help="the fixed clock, ISO 8601 with offset")
    parser.add_argument("--rate", type=float, default=1000.0, help="sends per second")
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--wait", action="store_true", help="start on a line from stdin")
    asyncio.run(main(parser.parse_args()))
