"""Reminder offsets, quiet hours and local times, including the clock changes."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.config import ConfigError, load_settings
from bot.services.nudge_policy import (
    NudgePolicy,
    QuietHours,
    parse_duration,
    parse_offsets,
    parse_quiet_hours,
    parse_weeks,
    reminders_on,
)

LONDON = ZoneInfo("Europe/London")


def test_offsets_parse_day_before_and_hours() -> None:
    day_before, two_hours = parse_offsets("1d@18:00, 2h")
    assert (day_before.days, day_before.at, day_before.label) == (1, time(18, 0), "1d@18:00")
    assert two_hours.before == timedelta(hours=2) and two_hours.label == "2h"
    assert parse_offsets("off") == ()
    assert parse_offsets("1h30m")[0].before == timedelta(hours=1, minutes=30)


@pytest.mark.parametrize("text", ["tomorrow", "1d@25:00", "2h,2h", "-2h", "2x", "1d@18"])
def test_bad_offsets_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_offsets(text)


def test_durations_quiet_hours_and_weeks() -> None:
    assert parse_duration("0m") == timedelta(0)
    assert parse_duration("1d") == timedelta(days=1)
    assert parse_quiet_hours("21:00-08:00") == QuietHours(time(21), time(8))
    assert parse_quiet_hours("off") is None
    assert parse_weeks("6,12") == (6, 12)
    for bad in ("12,6", "0", "6,6", "six"):
        with pytest.raises(ValueError):
            parse_weeks(bad)
    for bad in ("21:00", "21:00-21:00", "9pm-8am"):
        with pytest.raises(ValueError):
            parse_quiet_hours(bad)


def test_the_day_before_at_six_across_the_october_clock_change() -> None:
    """Clocks go back at 02:00 BST on Sunday 25 October 2026."""
    [day_before] = parse_offsets("1d@18:00")
    # Monday's session: the reminder is on Sunday, after the change, so 18:00 GMT = 18:00 UTC.
    monday = datetime(2026, 10, 26, 10, 0, tzinfo=UTC)
    assert day_before.due(monday, LONDON) == datetime(2026, 10, 25, 18, 0, tzinfo=UTC)
    # Sunday's session: the reminder is on Saturday, still BST, so 18:00 local = 17:00 UTC.
    sunday = datetime(2026, 10, 25, 11, 0, tzinfo=UTC)
    assert day_before.due(sunday, LONDON) == datetime(2026, 10, 24, 17, 0, tzinfo=UTC)
    # A relative offset is plain elapsed time, clock change or not.
    [two_hours] = parse_offsets("2h")
    early_sunday = datetime(2026, 10, 25, 2, 30, tzinfo=UTC)
    assert two_hours.due(early_sunday, LONDON) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_quiet_hours_release_to_the_morning_in_local_time() -> None:
    quiet = QuietHours(time(21), time(8))
    # 22:30 BST on a summer evening waits until 08:00 BST the next day (07:00 UTC).
    evening = datetime(2026, 7, 1, 21, 30, tzinfo=UTC)
    assert quiet.release(evening, LONDON) == datetime(2026, 7, 2, 7, 0, tzinfo=UTC)
    # 06:00 GMT in winter waits until 08:00 GMT the same day.
    early = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
    assert quiet.release(early, LONDON) == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    # Midday is not quiet; 08:00 exactly is the end of the window, so it goes.
    noon = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert quiet.release(noon, LONDON) == noon
    assert quiet.release(datetime(2026, 12, 1, 8, 0, tzinfo=UTC), LONDON).hour == 8
    # The night the clocks go back: 23:00 BST Saturday → 08:00 GMT Sunday.
    night = datetime(2026, 10, 24, 22, 0, tzinfo=UTC)
    assert quiet.release(night, LONDON) == datetime(2026, 10, 25, 8, 0, tzinfo=UTC)


def test_daytime_quiet_window_does_not_wrap() -> None:
    quiet = QuietHours(time(13), time(14))
    assert quiet.contains(time(13, 30)) and not quiet.contains(time(12, 59))
    lunch = datetime(2026, 12, 1, 13, 15, tzinfo=UTC)
    assert quiet.release(lunch, LONDON) == datetime(2026, 12, 1, 14, 0, tzinfo=UTC)


def test_person_preferences_override_the_service(clean_env: None) -> None:
    policy = NudgePolicy.from_settings(load_settings(_env_file=None))
    assert [o.label for o in policy.offsets] == ["1d@18:00", "2h"]
    assert [o.label for o in policy.offsets_for({"reminder_offsets": "30m"})] == ["30m"]
    # A broken preference falls back to the service's rules rather than losing reminders.
    assert policy.offsets_for({"reminder_offsets": "soon"}) == policy.offsets
    assert policy.quiet_for({"quiet_hours": "off"}) is None
    assert policy.zone_of("America/New_York") == ZoneInfo("America/New_York")
    assert policy.zone_of("Mars/Olympus") == LONDON
    assert reminders_on({}) and not reminders_on({"reminders": False})


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("NUDGE_BEFORE", "yesterday"),
        ("NUDGE_AFTER", "later"),
        ("QUIET_HOURS", "night"),
        ("FOLLOW_UP_WEEKS", "12,6"),
        ("DIGEST_AT", "8am"),
    ],
)
def test_bad_nudge_settings_stop_start_up_with_one_line(
    clean_env: None, monkeypatch: pytest.MonkeyPatch, key: str, value: str
) -> None:
    monkeypatch.setenv(key, value)
    with pytest.raises(ConfigError, match=f"^Configuration error: {key} "):
        load_settings(_env_file=None)
