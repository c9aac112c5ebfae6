"""`chorus report`: the same outputs as the bot, from the command line."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.clock import FixedClock
from bot.config import load_settings
from bot.db.models import AuditEvent, CheckInContext
from bot.db.session import SessionFactory
from bot.report_commands import outputs
from tests.services import report_builders as build

ROOT = Path(__file__).resolve().parents[2]
CLOCK = FixedClock(datetime(2026, 11, 23, 20, 0, tzinfo=UTC))
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


async def _seed(sessions: SessionFactory) -> None:
    async with sessions.begin() as session:
        for n in range(6):
            who = await build.person(
                session, code=f"P-{n:04d}", created_at=datetime(2026, 8, 1, tzinfo=UTC)
            )
            for context, when, life in (
                (CheckInContext.BASELINE, datetime(2026, 8, 3, tzinfo=UTC), 3),
                (CheckInContext.FOLLOW_UP, datetime(2026, 10, 3, tzinfo=UTC), 4 + n % 3),
            ):
                await build.check_in(
                    session,
                    who,
                    "swemwbs",
                    context,
                    dict.fromkeys(
                        (
                            "optimistic",
                            "useful",
                            "relaxed",
                            "dealing_with_problems",
                            "thinking_clearly",
                            "close_to_others",
                            "own_mind",
                        ),
                        min(life, 5),
                    ),
                    at=when + timedelta(hours=n),
                )


async def _outputs(url: str, output_format: str, out: Path) -> list[tuple[Path, bytes]]:
    return await outputs(
        load_settings(_env_file=None, database_url=url),
        first=date(2026, 9, 1),
        last=date(2026, 11, 30),
        cohort="all",
        output_format=output_format,
        out=out,
        clock=CLOCK,
    )


async def test_every_format_is_produced_and_audited(
    migrated_url: str, sessions: SessionFactory, tmp_path: Path
) -> None:
    await _seed(sessions)

    [(_, answers), (dictionary_path, _)] = await _outputs(
        migrated_url, "csv", tmp_path / "answers.csv"
    )
    [(_, report_json)] = await _outputs(migrated_url, "json", tmp_path / "report.json")
    [(_, page)] = await _outputs(migrated_url, "html", tmp_path / "report.html")
    charts = await _outputs(migrated_url, "png", tmp_path / "charts")

    assert dictionary_path == tmp_path / "answers-dictionary.csv"
    rows = list(csv.DictReader(io.StringIO(answers.decode("utf-8"))))
    assert len(rows) == 6 * 7  # follow-ups only: the baselines began before the period
    document = json.loads(report_json)
    [metric] = document["outcomes"]
    assert (metric["measure"], metric["n"], metric["test"]) == (
        "swemwbs_metric",
        6,
        "paired t-test",
    )
    assert b"<h3>Mental wellbeing (SWEMWBS)</h3>" in page
    assert [path.name for path, _ in charts] == [
        "swemwbs-swemwbs_metric-slope.png",
        "swemwbs-swemwbs_metric-change.png",
    ]
    assert all(data.startswith(PNG_SIGNATURE) for _, data in charts)
    async with sessions() as session:
        events = (await session.execute(select(AuditEvent))).scalars().all()
    assert [(e.action, e.actor_id) for e in events] == [
        ("report.export", None),
        ("report.build", None),
        ("report.build", None),
        ("report.build", None),
    ]


async def test_bad_cohorts_and_dates_are_refused(migrated_url: str, tmp_path: Path) -> None:
    settings = load_settings(_env_file=None, database_url=migrated_url)
    with pytest.raises(ValueError, match="unknown cohort"):
        await outputs(
            settings,
            first=date(2026, 9, 1),
            last=date(2026, 9, 30),
            cohort="everyone",
            output_format="csv",
            out=tmp_path / "a.csv",
        )
    with pytest.raises(ValueError, match="ends before it starts"):
        await outputs(
            settings,
            first=date(2026, 9, 30),
            last=date(2026, 9, 1),
            cohort="all",
            output_format="csv",
            out=tmp_path / "a.csv",
        )


def _chorus(*args: str, url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env |= {"PYTHONPATH": str(ROOT), "DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "bot", "report", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )


async def test_command_line_writes_the_files_and_refuses_bad_input_with_one_line(
    migrated_url: str, sessions: SessionFactory, tmp_path: Path
) -> None:
    await _seed(sessions)
    out = tmp_path / "out" / "answers.csv"
    done = await asyncio.to_thread(
        _chorus,
        *("--from", "2026-08-01", "--to", "2026-11-30", "--format", "csv", "--out", str(out)),
        url=migrated_url,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert f"Wrote {out}" in done.stdout
    assert len(out.read_text().splitlines()) == 1 + 6 * 7 * 2
    assert (tmp_path / "out" / "answers-dictionary.csv").exists()

    refused = await asyncio.to_thread(
        _chorus,
        *("--from", "2026-08-01", "--to", "2026-07-01", "--format", "json", "--out", "x.json"),
        url=migrated_url,
        cwd=tmp_path,
    )
    assert refused.returncode == 1
    assert refused.stderr.strip() == "Report refused: the period ends before it starts."
