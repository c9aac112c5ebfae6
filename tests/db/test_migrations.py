"""Migrations upgrade an empty database, downgrade to nothing, and agree with the models."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import inspect

import bot.db.models  # noqa: F401  (registers every table)
from bot.db.base import Base
from bot.db.migrate import check, downgrade, upgrade
from bot.db.session import create_engine


async def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    async with engine.connect() as conn:
        names = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    await engine.dispose()
    return names - {"alembic_version"}


async def _round_trip(url: str) -> None:
    await asyncio.to_thread(upgrade, url)
    assert await _tables(url) == set(Base.metadata.tables)
    # Alembic's own comparison: raises if the models and migrations disagree.
    await asyncio.to_thread(check, url)
    await asyncio.to_thread(downgrade, url, "base")
    assert await _tables(url) == set()
    await asyncio.to_thread(upgrade, url)
    assert await _tables(url) == set(Base.metadata.tables)


async def test_sqlite_upgrade_check_downgrade(sqlite_url: str) -> None:
    await _round_trip(sqlite_url)


@pytest.mark.postgres
async def test_postgres_upgrade_check_downgrade(postgres_url: str) -> None:
    await _round_trip(postgres_url)


def test_every_model_table_is_known() -> None:
    assert {"person", "invite", "audit_event"} <= set(Base.metadata.tables)
