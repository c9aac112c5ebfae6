"""The search index cache: built from the database, rebuilt when the catalogue changes."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.catalogue_commands import ProgressBar
from bot.db.session import SessionFactory
from bot.services import catalogue as store
from bot.services.search import CHECK_INTERVAL, SearchIndexCache
from catalogue.detect import read_catalogue

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DEMO = Path(__file__).resolve().parents[2] / "catalogue" / "demo" / "activities.csv"


async def test_cache_rebuilds_after_a_change_seen_in_the_database(sessions: SessionFactory) -> None:
    cache = SearchIndexCache(sessions)
    empty = await cache.get(NOW)
    assert len(empty) == 0
    result = read_catalogue(DEMO)
    async with sessions.begin() as session:
        await store.apply_import(session, result.catalogue, now=NOW)
    # Within the check interval the cached index is served as it is...
    assert await cache.get(NOW + timedelta(seconds=1)) is empty
    # ...and after it (or when told), the change is noticed and the index rebuilt.
    rebuilt = await cache.get(NOW + CHECK_INTERVAL + timedelta(seconds=1))
    assert len(rebuilt) > 100
    assert rebuilt.search("choir in Kendal", now=NOW)
    cache.invalidate()
    assert await cache.get(NOW + CHECK_INTERVAL + timedelta(seconds=2)) is rebuilt  # unchanged


def test_progress_bar_draws_percentages_once_each() -> None:
    out = io.StringIO()
    bar = ProgressBar(200, stream=out)
    for rows in range(0, 201, 1):
        bar(rows)
    text = out.getvalue()
    assert text.count("%") == 101
    assert text.endswith("100% (200/200 rows)\n")
    quiet = io.StringIO()
    ProgressBar(200, stream=quiet, enabled=False)(100)
    assert quiet.getvalue() == ""
