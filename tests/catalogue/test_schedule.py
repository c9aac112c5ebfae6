"""Schedule expansion against hand-checked 2026 calendars.

UK clocks go forward on Sunday 29 March 2026 and back on Sunday 25 October 2026.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from catalogue.model import Activity, Frequency, Occurrence, Schedule
from catalogue.schedule import expand, expand_activity, parse_byday, schedule_problems


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def starts(schedule: Schedule, start: datetime, end: datetime) -> list[datetime]:
    return [starts_at for starts_at, _ in expand(schedule, start, end)]


def weekly(*days: str, **fields: object) -> Schedule:
    fields.setdefault("opens_at", time(10, 30))
    return Schedule(freq=Frequency.WEEKLY, byday=days, **fields)  # type: ignore[arg-type]


def monthly(**fields: object) -> Schedule:
    fields.setdefault("opens_at", time(19, 0))
    return Schedule(freq=Frequency.MONTHLY, **fields)  # type: ignore[arg-type]


def test_weekly_session_keeps_local_time_across_spring_change() -> None:
    choir = weekly("TU", closes_at=time(12, 0))
    assert expand(choir, utc(2026, 3, 20), utc(2026, 4, 8)) == [
        (utc(2026, 3, 24, 10, 30), utc(2026, 3, 24, 12, 0)),
        (utc(2026, 3, 31, 9, 30), utc(2026, 3, 31, 11, 0)),
        (utc(2026, 4, 7, 9, 30), utc(2026, 4, 7, 11, 0)),
    ]


def test_weekly_session_keeps_local_time_across_autumn_change() -> None:
    assert starts(weekly("WE"), utc(2026, 10, 19), utc(2026, 11, 2)) == [
        utc(2026, 10, 21, 9, 30),
        utc(2026, 10, 28, 10, 30),
    ]


def test_results_are_utc() -> None:
    (starts_at, ends_at), *_ = expand(
        weekly("TU", closes_at=time(12)), utc(2026, 6, 1), utc(2026, 6, 8)
    )
    assert starts_at.tzinfo is UTC
    assert ends_at is not None and ends_at.tzinfo is UTC


def test_sunday_session_on_the_day_the_clocks_go_forward() -> None:
    assert starts(weekly("SU"), utc(2026, 3, 22, 12), utc(2026, 4, 1)) == [utc(2026, 3, 29, 9, 30)]


def test_start_in_the_spring_gap_moves_forward_by_an_hour() -> None:
    night = weekly("SU", opens_at=time(1, 30), closes_at=time(2, 15))
    [(starts_at, ends_at)] = expand(night, utc(2026, 3, 28), utc(2026, 3, 30))
    # 01:30 does not exist in London that night; the session starts at 02:30 BST (01:30 UTC)
    # and keeps its 45 minutes rather than ending at 02:15 BST, before it began.
    assert starts_at == utc(2026, 3, 29, 1, 30)
    assert ends_at == utc(2026, 3, 29, 2, 15)


def test_ambiguous_autumn_time_takes_the_first_instance() -> None:
    night = weekly("SU", opens_at=time(1, 30), closes_at=time(2, 15))
    [(starts_at, ends_at)] = expand(night, utc(2026, 10, 24), utc(2026, 10, 26))
    assert starts_at == utc(2026, 10, 25, 0, 30)  # 01:30 BST
    assert ends_at == utc(2026, 10, 25, 2, 15)  # 02:15 GMT, after the clocks went back


def test_other_timezones_use_their_own_clock_changes() -> None:
    # New York moved to daylight time on 8 March 2026, three weeks before the UK.
    sessions = weekly("MO", opens_at=time(18), timezone="America/New_York")
    assert starts(sessions, utc(2026, 3, 1), utc(2026, 3, 16)) == [
        utc(2026, 3, 2, 23),
        utc(2026, 3, 9, 22),
    ]


def test_last_friday_of_the_month() -> None:
    assert starts(monthly(byday=("-1FR",)), utc(2026, 1, 1), utc(2026, 7, 1)) == [
        utc(2026, 1, 30, 19),
        utc(2026, 2, 27, 19),
        utc(2026, 3, 27, 19),
        utc(2026, 4, 24, 18),
        utc(2026, 5, 29, 18),
        utc(2026, 6, 26, 18),
    ]


def test_first_tuesday_of_the_month() -> None:
    assert starts(monthly(byday=("1TU",)), utc(2026, 1, 1), utc(2026, 6, 1)) == [
        utc(2026, 1, 6, 19),
        utc(2026, 2, 3, 19),
        utc(2026, 3, 3, 19),
        utc(2026, 4, 7, 18),
        utc(2026, 5, 5, 18),
    ]


def test_second_wednesday_every_other_month_counts_from_dtstart() -> None:
    schedule = monthly(byday=("2WE",), interval=2, dtstart=date(2026, 2, 1))
    assert starts(schedule, utc(2026, 1, 1), utc(2026, 7, 1)) == [
        utc(2026, 2, 11, 19),
        utc(2026, 4, 8, 18),
        utc(2026, 6, 10, 18),
    ]


def test_plain_weekday_in_a_monthly_schedule_means_every_such_day() -> None:
    assert len(starts(monthly(byday=("TU",)), utc(2026, 3, 1), utc(2026, 4, 1))) == 5


def test_month_day_schedule() -> None:
    schedule = monthly(bymonthday=(15, -1))
    assert starts(schedule, utc(2026, 1, 1), utc(2026, 3, 1)) == [
        utc(2026, 1, 15, 19),
        utc(2026, 1, 31, 19),
        utc(2026, 2, 15, 19),
        utc(2026, 2, 28, 19),
    ]


def test_monthly_without_days_repeats_the_dtstart_day() -> None:
    schedule = monthly(dtstart=date(2025, 11, 20))
    assert starts(schedule, utc(2026, 1, 1), utc(2026, 3, 1)) == [
        utc(2026, 1, 20, 19),
        utc(2026, 2, 20, 19),
    ]


def test_weekly_without_byday_repeats_the_dtstart_weekday() -> None:
    schedule = weekly(dtstart=date(2025, 9, 3))  # a Wednesday
    assert starts(schedule, utc(2026, 1, 1), utc(2026, 1, 15)) == [
        utc(2026, 1, 7, 10, 30),
        utc(2026, 1, 14, 10, 30),
    ]


def test_fortnightly_meets_on_the_weeks_of_its_anchor() -> None:
    first = weekly("TU", interval=2, dtstart=date(2026, 1, 6))
    second = weekly("TU", interval=2, dtstart=date(2026, 1, 13))
    window = (utc(2026, 3, 1), utc(2026, 4, 1))
    assert [d.day for d in starts(first, *window)] == [3, 17, 31]
    assert [d.day for d in starts(second, *window)] == [10, 24]


def test_fortnightly_anchor_falls_back_to_valid_from() -> None:
    schedule = weekly("TU", interval=2, valid_from=date(2026, 1, 13))
    assert [d.day for d in starts(schedule, utc(2026, 3, 1), utc(2026, 4, 1))] == [10, 24]


def test_interval_counts_whole_weeks_from_monday() -> None:
    # Anchored on a Thursday, the Tuesday of that week is before the start, so the first
    # meeting is the Tuesday two weeks later.
    schedule = weekly("TU", interval=2, dtstart=date(2026, 1, 8))
    assert [d.date() for d in starts(schedule, utc(2026, 1, 1), utc(2026, 2, 10))] == [
        date(2026, 1, 20),
        date(2026, 2, 3),
    ]


def test_fortnightly_far_from_its_anchor() -> None:
    schedule = weekly("TU", interval=2, dtstart=date(2026, 1, 6))
    # 2027-03-02 is 60 weeks after 2026-01-06, so it is a meeting week.
    assert [d.day for d in starts(schedule, utc(2027, 3, 1), utc(2027, 3, 20))] == [2, 16]


def test_valid_from_and_valid_to_are_inclusive() -> None:
    schedule = weekly("TU", valid_from=date(2026, 3, 3), valid_to=date(2026, 3, 17))
    assert [d.day for d in starts(schedule, utc(2026, 2, 1), utc(2026, 5, 1))] == [3, 10, 17]


def test_until_is_inclusive() -> None:
    schedule = weekly("TU", until=date(2026, 3, 10))
    assert [d.day for d in starts(schedule, utc(2026, 3, 1), utc(2026, 4, 1))] == [3, 10]


def test_count_is_measured_from_dtstart() -> None:
    schedule = weekly("TU", "TH", count=3, dtstart=date(2026, 3, 3))
    assert [d.day for d in starts(schedule, utc(2026, 3, 5), utc(2026, 4, 1))] == [5, 10]


def test_count_and_until_together_apply_both() -> None:
    schedule = weekly("TU", count=10, until=date(2026, 3, 17), dtstart=date(2026, 3, 3))
    assert [d.day for d in starts(schedule, utc(2026, 1, 1), utc(2026, 6, 1))] == [3, 10, 17]


def test_daily_on_weekdays_only() -> None:
    schedule = Schedule(
        freq=Frequency.DAILY, byday=("MO", "TU", "WE", "TH", "FR"), opens_at=time(9)
    )
    found = starts(schedule, utc(2026, 6, 1), utc(2026, 6, 15))
    assert [d.day for d in found] == [1, 2, 3, 4, 5, 8, 9, 10, 11, 12]


def test_every_third_day() -> None:
    schedule = Schedule(
        freq=Frequency.DAILY, interval=3, dtstart=date(2026, 6, 1), opens_at=time(9)
    )
    assert [d.day for d in starts(schedule, utc(2026, 6, 20), utc(2026, 7, 1))] == [22, 25, 28]


def test_window_start_is_inclusive_and_end_exclusive() -> None:
    choir = weekly("TU")
    assert starts(choir, utc(2026, 6, 2, 9, 30), utc(2026, 6, 9, 9, 30)) == [utc(2026, 6, 2, 9, 30)]
    assert starts(choir, utc(2026, 6, 2, 9, 31), utc(2026, 6, 9, 9, 31)) == [utc(2026, 6, 9, 9, 30)]


def test_window_may_be_given_in_any_timezone() -> None:
    bst = timezone(timedelta(hours=1))
    assert starts(weekly("TU"), datetime(2026, 6, 2, 10, 30, tzinfo=bst), utc(2026, 6, 3)) == [
        utc(2026, 6, 2, 9, 30)
    ]


def test_session_closing_after_midnight_ends_next_day() -> None:
    late = weekly("FR", opens_at=time(22), closes_at=time(1))
    assert expand(late, utc(2026, 1, 1), utc(2026, 1, 3)) == [
        (utc(2026, 1, 2, 22), utc(2026, 1, 3, 1))
    ]


def test_no_closing_time_gives_no_end() -> None:
    assert expand(weekly("TU"), utc(2026, 1, 5), utc(2026, 1, 7)) == [
        (utc(2026, 1, 6, 10, 30), None)
    ]


def test_schedule_without_opening_time_yields_nothing() -> None:
    assert expand(weekly("TU", opens_at=None), utc(2026, 1, 1), utc(2026, 3, 1)) == []


def test_empty_or_reversed_window_yields_nothing() -> None:
    assert expand(weekly("TU"), utc(2026, 1, 7), utc(2026, 1, 6)) == []


def test_naive_window_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        expand(weekly("TU"), datetime(2026, 1, 1), utc(2026, 2, 1))


def test_invalid_schedule_is_refused() -> None:
    bad = weekly("XX", source_id="sch-9")
    with pytest.raises(
        ValueError, match=r"cannot expand schedule 'sch-9': byday: bad weekday 'XX'"
    ):
        expand(bad, utc(2026, 1, 1), utc(2026, 2, 1))


@pytest.mark.parametrize(
    ("token", "weekday", "ordinal"),
    [("TU", 1, None), ("1tu", 1, 1), (" -1FR", 4, -1), ("+2WE", 2, 2), ("SU", 6, None)],
)
def test_parse_byday(token: str, weekday: int, ordinal: int | None) -> None:
    parsed = parse_byday(token)
    assert (parsed.weekday, parsed.n) == (weekday, ordinal)


@pytest.mark.parametrize("token", ["XX", "", "0TU", "6MO", "TUE", "1", "TU1"])
def test_parse_byday_rejects(token: str) -> None:
    with pytest.raises(ValueError, match="bad weekday"):
        parse_byday(token)


@pytest.mark.parametrize(
    ("schedule", "problem"),
    [
        (weekly("TU", interval=0), ("interval", "must be at least 1, not 0")),
        (weekly("TU", count=0, dtstart=date(2026, 1, 1)), ("count", "must be at least 1, not 0")),
        (weekly("1TU"), ("byday", "ordinal weekdays such as 1TU need MONTHLY, not WEEKLY")),
        (monthly(bymonthday=(32,)), ("bymonthday", "32 is not a day of the month")),
        (weekly("TU", bymonthday=(2,)), ("bymonthday", "cannot be used with WEEKLY")),
        (weekly(), ("byday", "a weekly schedule needs byday, dtstart or valid_from")),
        (monthly(), ("bymonthday", "a monthly schedule needs byday, bymonthday or dtstart")),
        (
            weekly("TU", interval=2),
            ("dtstart", "an interval above 1 needs dtstart or valid_from to count from"),
        ),
        (weekly("TU", count=4), ("dtstart", "count needs dtstart or valid_from to count from")),
        (
            weekly("TU", valid_from=date(2026, 2, 1), valid_to=date(2026, 1, 1)),
            ("valid_to", "is before valid_from"),
        ),
        (
            weekly("TU", timezone="Europe/Lancaster"),
            ("timezone", "unknown timezone 'Europe/Lancaster'"),
        ),
    ],
)
def test_schedule_problems(schedule: Schedule, problem: tuple[str, str]) -> None:
    assert schedule_problems(schedule) == [problem]


def test_valid_schedule_has_no_problems() -> None:
    assert (
        schedule_problems(monthly(byday=("-1FR",), interval=3, valid_from=date(2026, 1, 1))) == []
    )


def test_expand_activity_merges_sorts_and_deduplicates() -> None:
    activity = Activity(
        source_id="drums",
        title="Drumming circle",
        schedules=(
            weekly("TH", opens_at=time(18), closes_at=time(19)),
            weekly("TU", opens_at=time(18)),
            # The same Thursday session listed twice; the longer listing wins.
            weekly("TH", opens_at=time(18), closes_at=time(20)),
        ),
    )
    assert expand_activity(activity, utc(2026, 1, 5), utc(2026, 1, 12)) == [
        Occurrence("drums", utc(2026, 1, 6, 18), None),
        Occurrence("drums", utc(2026, 1, 8, 18), utc(2026, 1, 8, 20)),
    ]


def test_expand_activity_without_schedules_is_empty() -> None:
    assert expand_activity(Activity("x", "Pottery"), utc(2026, 1, 1), utc(2026, 2, 1)) == []
