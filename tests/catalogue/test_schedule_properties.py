"""Property tests: schedule expansion agrees with a day-by-day walk of the calendar.

The oracle here never touches dateutil: it visits every local date near the window and asks
the plain questions (right weekday? right week of the fortnight? inside the valid dates?).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from catalogue.model import Frequency, Schedule
from catalogue.schedule import expand

CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
LONDON = ZoneInfo("Europe/London")

# Start times outside 01:00–02:00 so that no meeting falls in a clock-change gap or overlap;
# those cases have their own hand-written tests.
session_times = st.builds(
    time,
    hour=st.integers(min_value=0, max_value=23).filter(lambda hour: hour != 1),
    minute=st.sampled_from([0, 15, 30, 45]),
)
days = st.lists(st.sampled_from(CODES), min_size=1, max_size=7, unique=True)
anchors = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
window_starts = st.datetimes(
    min_value=datetime(2019, 6, 1), max_value=datetime(2031, 6, 1), timezones=st.just(UTC)
)
window_lengths = st.integers(min_value=0, max_value=24 * 150).map(lambda h: timedelta(hours=h))


def walk(start: datetime, end: datetime, accept: object, opens_at: time) -> list[datetime]:
    found = []
    day = start.astimezone(LONDON).date() - timedelta(days=2)
    while day <= end.astimezone(LONDON).date() + timedelta(days=2):
        if accept(day):  # type: ignore[operator]
            starts_at = datetime.combine(day, opens_at, tzinfo=LONDON).astimezone(UTC)
            if start <= starts_at < end:
                found.append(starts_at)
        day += timedelta(days=1)
    return found


@settings(max_examples=300, deadline=None)
@given(
    byday=days,
    interval=st.integers(min_value=1, max_value=4),
    opens_at=session_times,
    anchor=anchors,
    valid_to_offset=st.none() | st.integers(min_value=0, max_value=2000),
    start=window_starts,
    length=window_lengths,
)
def test_weekly_matches_a_calendar_walk(
    byday: list[str],
    interval: int,
    opens_at: time,
    anchor: date,
    valid_to_offset: int | None,
    start: datetime,
    length: timedelta,
) -> None:
    valid_to = None if valid_to_offset is None else anchor + timedelta(days=valid_to_offset)
    schedule = Schedule(
        freq=Frequency.WEEKLY,
        interval=interval,
        byday=tuple(byday),
        opens_at=opens_at,
        dtstart=anchor,
        valid_to=valid_to,
    )
    anchor_monday = anchor - timedelta(days=anchor.weekday())

    def accept(day: date) -> bool:
        return (
            CODES[day.weekday()] in byday
            and anchor <= day
            and (valid_to is None or day <= valid_to)
            and (day - anchor_monday).days // 7 % interval == 0
        )

    end = start + length
    found = expand(schedule, start, end)
    assert [starts_at for starts_at, _ in found] == walk(start, end, accept, opens_at)
    for starts_at, ends_at in found:
        assert starts_at.tzinfo is UTC and ends_at is None
        local = starts_at.astimezone(LONDON)
        assert local.time() == opens_at
        assert CODES[local.weekday()] in byday


@settings(max_examples=200, deadline=None)
@given(
    code=st.sampled_from(CODES),
    ordinal=st.sampled_from([1, 2, 3, 4, -1, -2]),
    opens_at=session_times,
    start=window_starts,
    length=window_lengths,
)
def test_monthly_ordinal_weekday_matches_a_calendar_walk(
    code: str, ordinal: int, opens_at: time, start: datetime, length: timedelta
) -> None:
    schedule = Schedule(freq=Frequency.MONTHLY, byday=(f"{ordinal}{code}",), opens_at=opens_at)

    def accept(day: date) -> bool:
        if CODES[day.weekday()] != code:
            return False
        if ordinal > 0:
            return (day.day - 1) // 7 + 1 == ordinal
        return (day + timedelta(days=-7 * ordinal)).month != day.month and (
            day + timedelta(days=-7 * (ordinal + 1))
        ).month == day.month

    end = start + length
    assert [s for s, _ in expand(schedule, start, end)] == walk(start, end, accept, opens_at)


@settings(max_examples=200, deadline=None)
@given(
    opens_at=session_times,
    minutes=st.integers(min_value=15, max_value=300),
    start=window_starts,
    length=window_lengths,
)
def test_every_meeting_lasts_as_long_as_the_wall_clock_says(
    opens_at: time, minutes: int, start: datetime, length: timedelta
) -> None:
    closes_at = (datetime.combine(date(2026, 1, 1), opens_at) + timedelta(minutes=minutes)).time()
    schedule = Schedule(
        freq=Frequency.DAILY, opens_at=opens_at, closes_at=closes_at, byday=("MO", "WE")
    )
    # Clocks change on Sunday mornings, so weekday sessions never straddle one.
    for starts_at, ends_at in expand(schedule, start, start + length):
        assert start <= starts_at < start + length
        assert ends_at is not None and ends_at > starts_at
        local_start, local_end = starts_at.astimezone(LONDON), ends_at.astimezone(LONDON)
        assert local_start.time() == opens_at
        assert local_end.time() == closes_at
