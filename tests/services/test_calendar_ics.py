"""The "Add to calendar" file: parsed back with icalendar, times checked in UTC and local."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.db.models import BookingStatus, OccurrenceStatus
from bot.services import calendar
from bot.services.booking_details import BookedSession

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")


def _booked(**changes: object) -> BookedSession:
    values: dict[str, object] = {
        "booking_id": 42,
        "person_id": 7,
        "activity_id": 3,
        "occurrence_id": 11,
        "title": "Sing for Joy Morecambe",
        # A summer date: 10:30 in London is 09:30 UTC under British Summer Time.
        "starts_at": datetime(2027, 6, 1, 9, 30, tzinfo=UTC),
        "ends_at": datetime(2027, 6, 1, 11, 0, tzinfo=UTC),
        "occurrence_status": OccurrenceStatus.SCHEDULED,
        "status": BookingStatus.BOOKED,
        "standing": False,
        "venue": "Bayview Community Centre",
        "address": "Marine Road East",
        "town": "Morecambe",
        "postcode": "LA4 5BX",
        "cost": "£3",
        "organiser": "Sing for Joy",
        "contact": "07700 900100",
        "url": "https://sing-for-joy.example.org",
    }
    values.update(changes)
    return BookedSession(**values)  # type: ignore[arg-type]


def _event(data: bytes) -> Calendar:
    parsed = Calendar.from_ical(data)
    [event] = parsed.walk("VEVENT")
    return event


def test_the_event_names_the_session_place_and_time_in_utc() -> None:
    data = calendar.ics_file(_booked(), now=NOW)
    parsed = Calendar.from_ical(data)
    assert parsed["VERSION"] == "2.0" and parsed["PRODID"] == calendar.PRODUCT_ID
    event = _event(data)
    start = event.decoded("DTSTART")
    assert start == datetime(2027, 6, 1, 9, 30, tzinfo=UTC)
    assert start.astimezone(LONDON).strftime("%H:%M") == "10:30"
    assert b"DTSTART:20270601T093000Z" in data
    assert event.decoded("DTEND") == datetime(2027, 6, 1, 11, 0, tzinfo=UTC)
    assert str(event["SUMMARY"]) == "Sing for Joy Morecambe"
    assert str(event["LOCATION"]) == (
        "Bayview Community Centre, Marine Road East, Morecambe LA4 5BX"
    )
    assert str(event["UID"]) == "booking-42@chorus.invalid"
    assert str(event["STATUS"]) == "CONFIRMED"
    description = str(event["DESCRIPTION"])
    assert "Cost: £3" in description and "07700 900100" in description


def test_a_winter_session_keeps_its_local_time() -> None:
    winter = datetime(2026, 12, 1, 10, 30, tzinfo=UTC)  # GMT: local and UTC agree
    event = _event(calendar.ics_file(_booked(starts_at=winter, ends_at=None), now=NOW))
    assert event.decoded("DTSTART").astimezone(LONDON).strftime("%H:%M") == "10:30"
    # No end time given: shown as lasting the default length.
    assert event.decoded("DTEND") - event.decoded("DTSTART") == calendar.DEFAULT_LENGTH


def test_a_cancelled_meeting_is_marked_cancelled() -> None:
    event = _event(
        calendar.ics_file(_booked(occurrence_status=OccurrenceStatus.CANCELLED), now=NOW)
    )
    assert str(event["STATUS"]) == "CANCELLED"


@pytest.mark.parametrize(
    ("is_free", "cost", "expected"),
    [(True, "", "Free"), (False, "£4 a session", "£4 a session"), (False, "", "Ask the organiser")],
)
def test_cost_wording(is_free: bool, cost: str, expected: str) -> None:
    assert calendar.cost_line(_booked(is_free=is_free, cost=cost)) == expected


def test_missing_place_details_are_left_out() -> None:
    event = _event(calendar.ics_file(_booked(venue="", address="", town="", postcode=""), now=NOW))
    assert "LOCATION" not in event


def test_file_name_uses_the_local_date_and_a_plain_slug() -> None:
    late = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)  # GMT: still 30 November locally
    booked = _booked(title="Café & Chat: Open Mic!", starts_at=late)
    assert calendar.ics_filename(booked) == "caf-chat-open-mic-2026-11-30.ics"
    summer_midnight = datetime(2027, 6, 1, 23, 30, tzinfo=UTC)  # 00:30 on 2 June in London
    assert calendar.ics_filename(_booked(starts_at=summer_midnight)).endswith("2027-06-02.ics")
