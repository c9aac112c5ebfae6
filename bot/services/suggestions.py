"""Suggestions: a person's own words, plus what Chorus knows about them, into three sessions.

What a person says in a request is a hard constraint (the search treats "on Tuesday" as a
filter); what their profile says (area, interests, access needs, good days, sessions they
turned down) only re-ranks. The last request and how far they have paged are kept on the
person, so "Show more" works after a restart and in any process.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import ActivityRow, Person
from catalogue.preferences import Preferences
from catalogue.search import SearchIndex, SearchResult

PAGE_SIZE = 3
# Far enough to page through a town's whole directory; a forged offset cannot cost more.
MAX_OFFSET = 60
# Long enough for any real request; a pasted essay is not worth keeping for "Show more".
MAX_QUERY_CHARS = 200
# Turned-down sessions remembered per person (the oldest are forgotten first).
MAX_NOT_FOR_ME = 200


class UnknownActivity(Exception):
    """A button named an activity that does not exist (forged, or removed since)."""


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One session to suggest; `activity_id` is the database row id the buttons carry."""

    activity_id: int
    title: str
    reason: str
    next_at: datetime | None
    venue: str
    town: str
    distance_km: float | None


@dataclass(frozen=True, slots=True)
class SuggestionPage:
    """A page of suggestions for `query`, starting `offset` results in."""

    query: str
    offset: int
    suggestions: list[Suggestion]
    has_more: bool

    @property
    def next_offset(self) -> int:
        """Where "Show more" carries on from."""
        return self.offset + len(self.suggestions)


def preferences_for(person: Person) -> Preferences:
    """The person's profile as soft search preferences."""
    stored: dict[str, Any] = person.preferences or {}
    home = None
    if person.home_latitude is not None and person.home_longitude is not None:
        home = (person.home_latitude, person.home_longitude)
    days = stored.get("days") or []
    return Preferences(
        home=home,
        interests=tuple(person.interests or ()),
        access_needs=frozenset(person.access_needs or ()),
        days=frozenset(d for d in days if isinstance(d, int) and 0 <= d <= 6),
        disliked=frozenset(_not_for_me(person)),
    )


def _not_for_me(person: Person) -> list[str]:
    found = (person.preferences or {}).get("not_for_me") or []
    return [item for item in found if isinstance(item, str)]


def interests_query(person: Person) -> str | None:
    """A request made of the person's interests, for `/suggest` on its own; None if none."""
    words = [word for word in person.interests or () if word.strip()]
    return " ".join(words) if words else None


def _remember(person: Person, **values: Any) -> None:
    # Assign a new dict: the ORM does not notice changes made inside a JSON value.
    person.preferences = {**(person.preferences or {}), **values}


async def _with_row_ids(session: AsyncSession, results: list[SearchResult]) -> list[Suggestion]:
    if not results:
        return []
    rows = await session.execute(
        select(ActivityRow.source_id, ActivityRow.id).where(
            ActivityRow.source_id.in_([r.activity_id for r in results])
        )
    )
    ids: dict[str, int] = {source_id: row_id for source_id, row_id in rows.all()}
    # A result the database no longer has (removed since the index was built) is dropped.
    return [
        Suggestion(ids[r.activity_id], r.title, r.reason, r.next_at, r.venue, r.town, r.distance_km)
        for r in results
        if r.activity_id in ids
    ]


async def suggest(
    session: AsyncSession,
    index: SearchIndex,
    *,
    person: Person,
    text: str,
    now: datetime,
    offset: int = 0,
) -> SuggestionPage:
    """Searches for `text` with the person's soft preferences and remembers the request.

    Args:
        session: the caller's transaction (the person's remembered request is updated).
        index: the catalogue search index.
        person: a consented participant.
        text: what they typed.
        now: the current time.
        offset: how many results they have already seen.
    """
    query = " ".join(text.split())[:MAX_QUERY_CHARS]
    offset = max(0, min(offset, MAX_OFFSET))
    results = index.search(
        query, now=now, preferences=preferences_for(person), limit=PAGE_SIZE + 1, offset=offset
    )
    suggestions = await _with_row_ids(session, results[:PAGE_SIZE])
    _remember(person, last_query=query, last_offset=offset + len(suggestions))
    return SuggestionPage(query, offset, suggestions, has_more=len(results) > PAGE_SIZE)


async def show_more(
    session: AsyncSession, index: SearchIndex, *, person: Person, offset: int, now: datetime
) -> SuggestionPage | None:
    """The next page of the person's last request, or None if they have not asked anything."""
    query = (person.preferences or {}).get("last_query")
    if not isinstance(query, str) or not query:
        return None
    return await suggest(session, index, person=person, text=query, now=now, offset=offset)


async def _activity(session: AsyncSession, activity_id: int) -> ActivityRow:
    row = await session.get(ActivityRow, activity_id)
    if row is None:
        raise UnknownActivity(f"no activity {activity_id}")
    return row


async def more_like(
    session: AsyncSession, index: SearchIndex, *, person: Person, activity_id: int, now: datetime
) -> tuple[str, list[Suggestion]]:
    """Sessions of the same kind as one the person liked, leaving out any they turned down.

    Returns:
        The liked session's title and up to `PAGE_SIZE` suggestions.

    Raises:
        UnknownActivity: the id names no activity.
    """
    row = await _activity(session, activity_id)
    disliked = set(_not_for_me(person))
    similar = index.similar(row.source_id, now=now, limit=PAGE_SIZE + len(disliked))
    kept = [r for r in similar if r.activity_id not in disliked][:PAGE_SIZE]
    return row.title, await _with_row_ids(session, kept)


async def not_for_me(session: AsyncSession, *, person: Person, activity_id: int) -> str:
    """Remembers that the person turned a session down, so it ranks lower from now on.

    Returns:
        The session's title.

    Raises:
        UnknownActivity: the id names no activity.
    """
    row = await _activity(session, activity_id)
    kept = [s for s in _not_for_me(person) if s != row.source_id]
    _remember(person, not_for_me=[*kept, row.source_id][-MAX_NOT_FOR_ME:])
    return row.title
