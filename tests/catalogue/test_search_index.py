"""SearchIndex behaviour on a small hand-built catalogue with hand-written meeting times."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from catalogue.geo import Gazetteer
from catalogue.model import (
    Activity,
    Catalogue,
    Frequency,
    Occurrence,
    Organisation,
    Schedule,
    Status,
    Venue,
)
from catalogue.preferences import Preferences
from catalogue.reason import category_label, schedule_phrase
from catalogue.search import MIN_RELEVANCE, SearchIndex

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)  # a Monday in British Summer Time
LONDON = ZoneInfo("Europe/London")
KENDAL = (54.3298, -2.7470)


def weekly(activity_id: str, weekday: int, at: time, weeks: int = 6) -> list[Occurrence]:
    """Meetings on a weekday (Monday=0) at a local time, starting the week of NOW."""
    first = NOW.astimezone(LONDON).date() + timedelta(days=weekday)
    return [
        Occurrence(
            activity_id,
            datetime.combine(first + timedelta(weeks=n), at, LONDON).astimezone(UTC),
        )
        for n in range(weeks)
    ]


def schedule(day: str, at: time) -> tuple[Schedule, ...]:
    return (Schedule(Frequency.WEEKLY, byday=(day,), opens_at=at),)


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    venues = {
        "bay": Venue("bay", "Bayview Centre", town="Morecambe", postcode="LA4 5BX",
                     latitude=54.0742, longitude=-2.8641, accessibility=frozenset({"wheelchair"})),
        "hall": Venue("hall", "Torrisholme Hall", town="Morecambe", postcode="LA4 6PJ",
                      latitude=54.0668, longitude=-2.8364,
                      accessibility=frozenset({"step_free"})),
        "ken": Venue("ken", "Assembly Rooms", town="Kendal", postcode="LA9 4ND",
                     latitude=KENDAL[0], longitude=KENDAL[1]),
    }  # fmt: skip
    org = Organisation("joy", "Sing for Joy")

    def make(source_id: str, title: str, venue: str, day: str, at: time, **kw: object) -> Activity:
        return Activity(source_id, title, venue_id=venue, organisation_id="joy",
                        schedules=schedule(day, at), **kw)  # type: ignore[arg-type]  # fmt: skip

    activities = [
        make("choir-a", "Morecambe Choir", "bay", "TU", time(10, 30),
             categories=frozenset({"choir", "singing"}), cost="£3"),
        make("choir-b", "Kendal Singers", "ken", "TH", time(19), is_free=True,
             categories=frozenset({"singing"})),
        make("choir-c", "Heysham Memory Choir", "hall", "FR", time(10),
             categories=frozenset({"choir", "singing"}),
             audience=frozenset({"dementia_friendly"})),
        make("ukes", "Ukulele Strummers", "hall", "TU", time(19),
             categories=frozenset({"ukulele", "music"})),
        make("pots", "Pottery Taster", "bay", "WE", time(14),
             categories=frozenset({"pottery"})),
        make("choir-old", "Old Choir", "bay", "TU", time(10, 30),
             categories=frozenset({"choir"}), status=Status.INACTIVE),
        make("choir-gone", "Gone Choir", "bay", "TU", time(10, 30),
             categories=frozenset({"choir"}), status=Status.DEFUNCT),
        make("choir-past", "Past Choir", "bay", "MO", time(8),
             categories=frozenset({"choir"})),
    ]  # fmt: skip
    weekdays = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4}
    occurrences = {
        a.source_id: weekly(
            a.source_id, weekdays[a.schedules[0].byday[0]], a.schedules[0].opens_at or time(0)
        )
        for a in activities
    }
    # The only meeting of "choir-past" is over by NOW.
    occurrences["choir-past"] = [Occurrence("choir-past", NOW - timedelta(hours=2))]
    catalogue = Catalogue(
        organisations={"joy": org}, venues=venues, activities={a.source_id: a for a in activities}
    )
    return SearchIndex.build(catalogue, occurrences, Gazetteer.from_catalogue(catalogue))


def ids(results: list) -> list[str]:  # type: ignore[type-arg]
    return [r.activity_id for r in results]


def test_only_active_sessions_with_a_meeting_to_come(index: SearchIndex) -> None:
    found = ids(index.search("choir", now=NOW, limit=10))
    assert set(found) == {"choir-a", "choir-b", "choir-c"}
    later = NOW + timedelta(weeks=10)  # after every expanded meeting
    assert index.search("choir", now=later) == []


def test_results_carry_a_readable_reason_in_local_time(index: SearchIndex) -> None:
    best = index.search("choir on tuesday", now=NOW)[0]
    assert best.activity_id == "choir-a"
    assert best.next_at == datetime(2026, 6, 2, 9, 30, tzinfo=UTC)  # 10:30 BST
    assert best.reason == "Choir · Tuesdays 10:30 · £3 · wheelchair access"
    assert 0 <= best.score <= 100
    assert (best.venue, best.town) == ("Bayview Centre", "Morecambe")


def test_limit_offset_and_exclude_page_through_one_ranking(index: SearchIndex) -> None:
    everything = ids(index.search("singing", now=NOW, limit=10))
    assert len(everything) == 3
    assert ids(index.search("singing", now=NOW, limit=1)) == everything[:1]
    assert ids(index.search("singing", now=NOW, limit=2, offset=1)) == everything[1:]
    assert ids(index.search("singing", now=NOW, exclude={everything[0]})) == everything[1:]


def test_a_poor_match_gives_nothing_rather_than_noise(index: SearchIndex) -> None:
    assert index.search("scuba diving", now=NOW) == []
    # "Bayview" is only in a venue name, which says too little about what a session is.
    assert index.terms.word_scores("bayview").max() < MIN_RELEVANCE
    assert index.search("bayview", now=NOW) == []
    assert index.search("hello", now=NOW) == []


def test_stated_constraints_filter(index: SearchIndex) -> None:
    friday = index.search("choir friday", now=NOW, limit=10)
    assert ids(friday) == ["choir-c"]
    assert friday[0].next_at is not None
    assert friday[0].next_at.astimezone(LONDON).weekday() == 4
    assert ids(index.search("free singing", now=NOW, limit=10)) == ["choir-b"]
    assert ids(index.search("singing for dementia", now=NOW, limit=10)) == ["choir-c"]
    step_free = set(ids(index.search("step free music", now=NOW, limit=10)))
    assert step_free == {"choir-a", "choir-c", "ukes"}  # wheelchair access counts as step-free
    assert index.search("music with a hearing loop", now=NOW) == []
    assert index.search("choir in Aberdeen", now=NOW) == []


def test_places_and_shared_locations_limit_distance(index: SearchIndex) -> None:
    kendal = index.search("singing in kendal", now=NOW, limit=10)
    assert ids(kendal) == ["choir-b"]
    assert kendal[0].distance_km is not None and kendal[0].distance_km < 1
    assert "km" in kendal[0].reason and "free" in kendal[0].reason
    near_me = index.search("singing", now=NOW, near=KENDAL, limit=10)
    assert ids(near_me) == ["choir-b"]


def test_preferences_reorder_but_never_filter(index: SearchIndex) -> None:
    def ranked(query: str, preferences: Preferences | None = None) -> list[str]:
        return ids(index.search(query, now=NOW, limit=10, preferences=preferences))

    plain = ranked("singing")
    thursday = ranked("singing", Preferences(days=frozenset({3})))
    assert thursday[0] == "choir-b" and set(thursday) == set(plain)
    disliked = ranked("singing", Preferences(disliked=frozenset({plain[0]})))
    assert disliked[-1] == plain[0] and set(disliked) == set(plain)
    assert ranked("tuesday", Preferences(interests=("ukulele",))) == ["ukes", "choir-a"]
    home = ranked("singing", Preferences(home=KENDAL))
    assert home[0] == "choir-b" and set(home) == set(plain)
    step_free = ranked("singing", Preferences(access_needs=frozenset({"step_free"})))
    assert step_free[-1] == "choir-b" and set(step_free) == set(plain)


def test_more_like_this(index: SearchIndex) -> None:
    similar = ids(index.similar("choir-a", now=NOW, limit=5))
    assert "choir-a" not in similar
    assert similar[0] == "choir-c"  # another choir, and nearby
    assert set(similar) <= {"choir-b", "choir-c"}
    assert index.similar("no-such-id", now=NOW) == []


def test_category_labels() -> None:
    assert category_label({"singing", "choir"}, {"singing"}) == "Singing"
    assert category_label({"singing", "choir"}, set()) == "Choir"  # the more specific name
    assert category_label({"memory", "music"}, {"memory"}) == "Memory group"
    assert category_label(set(), set()) == "Session"


def test_schedule_phrases() -> None:
    at = datetime(2026, 6, 26, 19, 30, tzinfo=LONDON)
    monthly = Schedule(Frequency.MONTHLY, byday=("-1FR",))
    assert schedule_phrase(monthly, at) == "last Friday of the month 19:30, next Fri 26 Jun"
    fortnightly = Schedule(Frequency.WEEKLY, interval=2, byday=("FR",))
    assert schedule_phrase(fortnightly, at).startswith("Every other Friday 19:30")
    twice = Schedule(Frequency.WEEKLY, byday=("TU", "TH"))
    assert schedule_phrase(twice, at) == "Tuesdays and Thursdays 19:30"


def test_long_or_odd_messages_are_answered_quickly(index: SearchIndex) -> None:
    essay = " ".join(f"wordy{n} sentence{n}" for n in range(1200))  # about 4,000 characters
    started = datetime.now(UTC)
    assert index.search(essay, now=NOW) == []
    assert datetime.now(UTC) - started < timedelta(seconds=1)
    for odd in ("", "   ", "🎵🎵", "!!!", "'", "choir 🎶"):
        assert isinstance(index.search(odd, now=NOW), list)
    assert ids(index.search("choir 🎶 tuesday", now=NOW)) == ["choir-a"]
