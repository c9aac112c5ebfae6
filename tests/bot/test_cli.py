"""The command line: help lists the commands, bad configuration stops with one clear line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _chorus(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
        check=False,
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "PYTHONPATH")}
    keep["PYTHONPATH"] = str(ROOT)
    keep["DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"
    return keep


def test_help_lists_every_command(env: dict[str, str], tmp_path: Path) -> None:
    result = _chorus("--help", env=env, cwd=tmp_path)
    assert result.returncode == 0
    for command in ("run", "migrate", "sandbox", "catalogue"):
        assert command in result.stdout


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("TELEGRAM_BOT_TOKEN", "12345"),
        ("TIMEZONE", "Mars/Olympus_Mons"),
        ("DATABASE_URL", "oracle://scott:tiger@db/x"),
        ("ADMIN_TELEGRAM_IDS", "me"),
        ("WEBHOOK_URL", "telegram.example.org/hook"),
    ],
)
def test_bad_configuration_prints_one_line_and_exits_non_zero(
    env: dict[str, str], tmp_path: Path, key: str, value: str
) -> None:
    env[key] = value
    result = _chorus("run", env=env, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Configuration error: {key} ")
    assert "Traceback" not in result.stderr


def test_migrate_creates_the_sqlite_database(env: dict[str, str], tmp_path: Path) -> None:
    result = _chorus("migrate", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
    assert (tmp_path / "cli.sqlite3").exists()


@pytest.mark.postgres
async def test_migrate_works_on_postgres(
    env: dict[str, str], tmp_path: Path, postgres_url: str
) -> None:
    env["DATABASE_URL"] = postgres_url
    result = _chorus("migrate", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


def test_run_without_a_token_opens_the_sandbox_chat(env: dict[str, str], tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        input="/start\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "No TELEGRAM_BOT_TOKEN set" in result.stdout
    assert "Bot: Hello, I'm Chorus" in result.stdout
