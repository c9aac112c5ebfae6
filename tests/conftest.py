"""Shared fixtures: real databases (an SQLite file, or a fresh PostgreSQL database)."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.migrate import upgrade
from bot.db.session import SessionFactory, create_engine, create_session_factory

POSTGRES_ADMIN_DSN = os.environ.get(
    "CHORUS_POSTGRES_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/test"
)
# Set by `make test-postgres`: run the whole suite with PostgreSQL as the database under test.
SUITE_DATABASE = os.environ.get("CHORUS_TEST_DATABASE", "sqlite")


async def _postgres_reachable() -> bool:
    try:
        conn = await asyncpg.connect(POSTGRES_ADMIN_DSN, timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    await conn.close()
    return True


def _skip_or_fail_without_postgres() -> None:
    reason = f"no PostgreSQL server reachable at {POSTGRES_ADMIN_DSN}"
    if os.environ.get("CHORUS_REQUIRE_POSTGRES") or os.environ.get("CI"):
        pytest.fail(reason + " (required in CI)")
    pytest.skip(reason)


async def create_postgres_database() -> str:
    """Creates an empty, uniquely named PostgreSQL database and returns its SQLAlchemy URL."""
    if not await _postgres_reachable():
        _skip_or_fail_without_postgres()
    name = f"chorus_test_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    base = POSTGRES_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    return f"{base}/{name}"


async def drop_postgres_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """An empty PostgreSQL database, whatever the suite's database (for PostgreSQL-only tests)."""
    url = await create_postgres_database()
    yield url
    await drop_postgres_database(url)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """An empty SQLite database file."""
    return f"sqlite+aiosqlite:///{tmp_path / 'chorus.sqlite3'}"


@pytest.fixture
async def database_url(tmp_path: Path) -> AsyncIterator[str]:
    """An empty database of the kind the suite runs on (SQLite unless told otherwise)."""
    if SUITE_DATABASE == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'chorus.sqlite3'}"
        return
    url = await create_postgres_database()
    yield url
    await drop_postgres_database(url)


@pytest.fixture
async def migrated_url(database_url: str) -> str:
    """The suite's database, upgraded to the latest migration."""
    await asyncio.to_thread(upgrade, database_url)
    return database_url


@pytest.fixture
async def engine(migrated_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(migrated_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> SessionFactory:
    """A session factory on a migrated database."""
    return create_session_factory(engine)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No Chorus settings from the environment or a `.env` file leak into a test."""
    for key in list(os.environ):
        if key.startswith(("TELEGRAM_", "WEBHOOK_", "DATABASE_URL", "ADMIN_TELEGRAM")) or key in (
            "TIMEZONE",
            "LOG_LEVEL",
        ):
            monkeypatch.delenv(key, raising=False)
    monkeypatch.chdir(tmp_path)
    yield
