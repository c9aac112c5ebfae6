"""Suggestions against the demo catalogue: soft preferences, Not for me, and Show more."""

from __future__ import annotations

import pytest

from bot.db.models import ActivityRow, Person
from bot.db.session import SessionFactory
from bot.services import suggestions
from bot.services.search import build_index
from bot.services.suggestions import PAGE_SIZE, UnknownActivity
from catalogue.search import SearchIndex
from tests.services import booking_builders as build
from tests.services.booking_builders import NOW


@pytest.fixture
async def index(sessions: SessionFactory) -> SearchIndex:
    await build.import_demo(sessions)
    async with sessions() as session:
        return await build_index(session, now=NOW)


async def _page(
    sessions: SessionFactory, index: SearchIndex, person_id: int, text: str, offset: int = 0
) -> suggestions.SuggestionPage:
    async with sessions.begin() as session:
        person = await session.get(Person, person_id)
        assert person is not None
        return await suggestions.suggest(
            session, index, person=person, text=text, now=NOW, offset=offset
        )


async def _person(sessions: SessionFactory, **fields: object) -> int:
    async with sessions.begin() as session:
        return (await build.participant(session, **fields)).id


async def test_a_request_with_typos_finds_the_tuesday_singing_in_morecambe(
    sessions: SessionFactory, index: SearchIndex
) -> None:
    person_id = await _person(sessions)
    page = await _page(sessions, index, person_id, "singin near morcambe tuesday")
    titles = [s.title for s in page.suggestions]
    assert titles[0] == "Sing for Joy Morecambe" and "Memory Lane Singers" in titles
    assert all(s.town == "Morecambe" for s in page.suggestions)
    async with sessions() as session:
        first = await build.activity(session, "mor-sing-for-joy")
    assert page.suggestions[0].activity_id == first.id  # row id, for the buttons


async def test_the_request_and_how_far_they_read_are_remembered(
    sessions: SessionFactory, index: SearchIndex
) -> None:
    person_id = await _person(sessions, preferences={"reminders": False})
    first = await _page(sessions, index, person_id, "  singing   ")
    assert first.has_more and len(first.suggestions) == PAGE_SIZE
    async with sessions.begin() as session:
        person = await session.get(Person, person_id)
        assert person is not None
        assert person.preferences == {"reminders": False, "last_query": "singing", "last_offset": 3}
        second = await suggestions.show_more(
            session, index, person=person, offset=first.next_offset, now=NOW
        )
    assert second is not None and second.offset == PAGE_SIZE
    seen = {s.activity_id for s in first.suggestions}
    assert seen.isdisjoint(s.activity_id for s in second.suggestions)


async def test_show_more_without_a_remembered_request_says_so(
    sessions: SessionFactory, index: SearchIndex
) -> None:
    person_id = await _person(sessions)
    async with sessions.begin() as session:
        person = await session.get(Person, person_id)
        assert person is not None
        assert await suggestions.show_more(session, index, person=person, offset=3, now=NOW) is None


async def test_a_forged_offset_is_kept_within_bounds(
    sessions: SessionFactory, index: SearchIndex
) -> None:
    person_id = await _person(sessions)
    page = await _page(sessions, index, person_id, "singing", offset=10_000)
    assert page.offset == suggestions.MAX_OFFSET and page.suggestions == []
    assert (await _page(sessions, index, person_id, "singing", offset=-5)).offset == 0


async def test_not_for_me_is_remembered_and_ranks_the_session_lower(
    sessions: SessionFactory, index: SearchIndex
) -> None:
    person_id = await _person(sessions)
    before = await _page(sessions, index, person_id, "singing near Morecambe")
    top = before.suggestions[0]
    async with sessions.begin() as session:
        person = await session.get(Person, person_id)
        assert person is not None
        title = await suggestions.not_for_me(session, person=person, activity_id=top.activity_id)
        # Saying it twice does not list it twice.
        await suggestions.not_for_me(session, person=person, activity_id=top.activity_id)
    assert title == top.title
    async with sessions() as session:
        person = await session.get(Person, person_id)
        assert person is not None
        turned_down = await session.get(ActivityRow, top.activity_id)
        assert turned_down is not None
        assert person.preferences["not_for_me"] == [turned_down.source_id]
    after = await _page(sessions, index, person_id, "singing near Morecambe")
    assert after.suggestions[0].activity_id != top.activity_id


async def test_interests_and_home_rank_without_filtering(
    sessions: SessionFactory, index: SearchIndex
) -> None:
    kendal = await _person(
        sessions, home_latitude=54.3280, home_longitude=-2.7460, interests=["singing"]
    )
    page = await _page(sessions, index, kendal, "choir")
    assert page.suggestions[0].town == "Kendal"
    # Home only re-ranks: choirs elsewhere still come up when Kendal's run out.
    later = await _page(sessions, index, kendal, "choir", offset=page.next_offset)
    assert any(s.town != "Kendal" for s in [*page.suggestions, *later.suggestions])
    async with sessions() as session:
        person = await session.get(Person, kendal)
        assert person is not None
        assert suggestions.interests_query(person) == "singing"
        assert suggestions.preferences_for(person).home == (54.3280, -2.7460)


async def test_no_interests_means_no_ready_made_request(sessions: SessionFactory) -> None:
    person_id = await _person(sessions, interests=["  "])
    async with sessions() as session:
        person = await session.get(Person, person_id)
        assert person is not None
        assert suggestions.interests_query(person) is None


async def test_nothing_found_gives_an_empty_page(
    sessions: SessionFactory, index: SearchIndex
) -> None:
    person_id = await _person(sessions)
    page = await _page(sessions, index, person_id, "underwater basket weaving in Atlantis")
    assert page.suggestions == [] and not page.has_more


async def test_more_like_this_finds_the_same_kind_and_skips_turned_down_ones(
    sessions: SessionFactory, index: SearchIndex
) -> None:
    person_id = await _person(sessions)
    async with sessions.begin() as session:
        person = await session.get(Person, person_id)
        assert person is not None
        liked = await build.activity(session, "mor-sing-for-joy")
        young = await build.activity(session, "mor-young-voices")
        await suggestions.not_for_me(session, person=person, activity_id=young.id)
        title, ideas = await suggestions.more_like(
            session, index, person=person, activity_id=liked.id, now=NOW
        )
    assert title == "Sing for Joy Morecambe"
    assert ideas and young.id not in {i.activity_id for i in ideas}
    assert liked.id not in {i.activity_id for i in ideas}


async def test_buttons_naming_no_activity_are_refused(
    sessions: SessionFactory, index: SearchIndex
) -> None:
    person_id = await _person(sessions)
    async with sessions.begin() as session:
        person = await session.get(Person, person_id)
        assert person is not None
        with pytest.raises(UnknownActivity):
            await suggestions.not_for_me(session, person=person, activity_id=987_654)
        with pytest.raises(UnknownActivity):
            await suggestions.more_like(session, index, person=person, activity_id=987_654, now=NOW)
        assert "not_for_me" not in person.preferences
