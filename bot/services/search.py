"""The catalogue search index: built from the database, rebuilt when the catalogue changes.

The index lives in process memory only as a cache (DESIGN principle 1). Every process checks a
cheap version token from the database at most every `CHECK_INTERVAL` and rebuilds when it
changed, so an import in one process reaches the others within that interval.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.session import SessionFactory
from bot.services import catalogue as store
from catalogue.geo import Gazetteer
from catalogue.search import SearchIndex

log = logging.getLogger(__name__)

CHECK_INTERVAL = timedelta(seconds=30)


async def build_index(
    session: AsyncSession,
    *,
    now: datetime,
    window: timedelta = store.DEFAULT_WINDOW,
    timezone: str = "Europe/London",
) -> SearchIndex:
    """Reads the catalogue, its upcoming meetings and known places, and indexes them."""
    catalogue = await store.load_catalogue(session)
    occurrences = await store.upcoming_occurrences(session, now=now, window=window)
    places = await store.load_places(session)
    gazetteer = Gazetteer.from_catalogue(catalogue, places)
    return SearchIndex.build(catalogue, occurrences, gazetteer, timezone=timezone)


class SearchIndexCache:
    """Holds the current index and rebuilds it when the catalogue's version changes."""

    def __init__(self, sessions: SessionFactory, *, timezone: str = "Europe/London") -> None:
        self._sessions = sessions
        self._timezone = timezone
        self._index: SearchIndex | None = None
        self._version: str | None = None
        self._checked_at: datetime | None = None
        self._built_for: datetime | None = None
        self._lock = asyncio.Lock()

    def invalidate(self) -> None:
        """Forces a version check on the next `get` (after an import in this process)."""
        self._checked_at = None

    async def get(self, now: datetime) -> SearchIndex:
        """The index, rebuilt first if the catalogue changed or a day has passed."""
        async with self._lock:
            fresh = self._checked_at is not None and now - self._checked_at < CHECK_INTERVAL
            if self._index is not None and fresh:
                return self._index
            async with self._sessions() as session:
                version = await store.version(session)
                stale_day = self._built_for is None or now - self._built_for > timedelta(hours=12)
                if self._index is None or version != self._version or stale_day:
                    self._index = await build_index(session, now=now, timezone=self._timezone)
                    self._version, self._built_for = version, now
                    log.info("search index built: %s activities", len(self._index))
            self._checked_at = now
            return self._index
