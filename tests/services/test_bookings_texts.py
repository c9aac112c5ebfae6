"""Booking and suggestion wording: local times across the clock change, escaping, offers."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.db.models import BookingStatus, OccurrenceStatus
from bot.messaging import booking_texts, suggestion_texts
from bot.services.booking_details import BookedSession
from bot.services.suggestions import Suggestion

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday

BOOKED = BookedSession(
    booking_id=5,
    person_id=1,
    activity_id=2,
    occurrence_id=3,
    title="Sing <for> Joy & Friends",
    starts_at=datetime(2026, 11, 24, 10, 30, tzinfo=UTC),
    ends_at=None,
    occurrence_status=OccurrenceStatus.SCHEDULED,
    status=BookingStatus.BOOKED,
    standing=False,
    venue="St Mary's Hall",
    address="1 Marine Road East",
    town="Morecambe",
    postcode="LA4 5BX",
    cost="£3",
)


@pytest.mark.parametrize(
    ("starts_at", "expected"),
    [
        (datetime(2026, 11, 23, 18, 0, tzinfo=UTC), "today at 18:00"),
        (datetime(2026, 11, 24, 10, 30, tzinfo=UTC), "tomorrow at 10:30"),
        (datetime(2026, 12, 1, 10, 30, tzinfo=UTC), "Tuesday 1 December at 10:30"),
        # British Summer Time: 09:30 UTC is 10:30 on the clock in London.
        (datetime(2027, 6, 1, 9, 30, tzinfo=UTC), "Tuesday 1 June at 10:30"),
    ],
)
def test_when_speaks_local_time(starts_at: datetime, expected: str) -> None:
    assert booking_texts.when(starts_at, zone=LONDON, now=NOW) == expected


def test_late_evening_utc_is_already_tomorrow_in_summer() -> None:
    summer_now = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)
    at = datetime(2027, 6, 1, 23, 30, tzinfo=UTC)  # 00:30 on 2 June in London
    assert booking_texts.when(at, zone=LONDON, now=summer_now) == "tomorrow at 00:30"


def test_confirmation_escapes_catalogue_text_and_gives_directions() -> None:
    text = booking_texts.confirmed(BOOKED, zone=LONDON, now=NOW, series=True)
    assert "Sing &lt;for&gt; Joy &amp; Friends" in text and "<for>" not in text
    assert "St Mary&#x27;s Hall" in text
    assert "How to get there: 1 Marine Road East, Morecambe, LA4 5BX" in text
    assert "query=LA4+5BX+Morecambe" in text
    assert "💷 £3" in text and "Tomorrow at 10:30" in text
    assert text.endswith(booking_texts.EVERY_WEEK_OFFER)


@pytest.mark.parametrize(("series", "standing"), [(False, False), (True, True)])
def test_every_week_is_only_offered_for_a_repeating_session_not_yet_standing(
    series: bool, standing: bool
) -> None:
    booked = replace(BOOKED, standing=standing)
    text = booking_texts.confirmed(booked, zone=LONDON, now=NOW, series=series)
    assert booking_texts.EVERY_WEEK_OFFER not in text


def test_unknown_place_and_cost_say_ask_the_organiser() -> None:
    bare = replace(BOOKED, venue="", address="", town="", postcode="", cost="")
    text = booking_texts.details(bare, zone=LONDON, now=NOW)
    assert "📍" not in text
    assert "💷 Ask the organiser" in text and "Ask the organiser how to get there" in text


def test_my_session_warns_when_the_organiser_cancelled() -> None:
    cancelled = replace(BOOKED, occurrence_status=OccurrenceStatus.CANCELLED, note="Hall flooded")
    text = booking_texts.my_session(cancelled, zone=LONDON, now=NOW)
    assert booking_texts.ORGANISER_CANCELLED in text and "Hall flooded" in text
    assert booking_texts.ORGANISER_CANCELLED not in booking_texts.my_session(
        BOOKED, zone=LONDON, now=NOW
    )


def test_a_suggestion_shows_reason_next_time_and_place() -> None:
    idea = Suggestion(
        activity_id=9,
        title="Drums & Rhythm",
        reason="Drumming · Mondays 18:30 · £4",
        next_at=datetime(2026, 11, 23, 18, 30, tzinfo=UTC),
        venue="Torrisholme Village Hall",
        town="Morecambe",
        distance_km=2.0,
    )
    text = suggestion_texts.suggestion(idea, zone=LONDON, now=NOW)
    assert text.splitlines() == [
        "<b>Drums &amp; Rhythm</b>",
        "Drumming · Mondays 18:30 · £4",
        "🗓 Next: today at 18:30",
        "📍 Torrisholme Village Hall, Morecambe",
    ]


def test_typed_words_are_escaped_when_repeated_back() -> None:
    assert "&lt;b&gt;" in suggestion_texts.no_results("<b>choir</b>")
    assert "<i>&lt;script&gt;</i>" in suggestion_texts.closing("<script>", has_more=False)
    closing = suggestion_texts.closing("choir", has_more=True)
    assert closing.endswith(suggestion_texts.MORE_AVAILABLE)
