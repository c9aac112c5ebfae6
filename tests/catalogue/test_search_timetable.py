"""The packed timetable behind search: next meetings by local day and time, across clock changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import numpy as np

from catalogue.model import Occurrence
from catalogue.timetable import Timetable

LONDON = ZoneInfo("Europe/London")


def at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, LONDON).astimezone(UTC)


def test_local_days_and_times_hold_across_the_clock_change() -> None:
    # 10:30 on the Tuesdays either side of the end of British Summer Time (25 October 2026).
    before, after = date(2026, 10, 20), date(2026, 10, 27)
    meetings = [Occurrence("a", at(before, time(10, 30))), Occurrence("a", at(after, time(10, 30)))]
    table = Timetable([meetings], LONDON)
    now = datetime(2026, 10, 21, tzinfo=UTC)
    docs, index = table.next_meetings(np.array([0]), now, weekdays=frozenset({1}),
                                      start=time(10), end=time(11))  # fmt: skip
    assert docs.tolist() == [0]
    begins, ends = table.meeting(int(index[0]))
    assert begins == datetime(2026, 10, 27, 10, 30, tzinfo=UTC)  # GMT again: 10:30 local
    assert ends is None
    assert begins.astimezone(LONDON).time() == time(10, 30)
    assert table.meeting(0)[0] == datetime(2026, 10, 20, 9, 30, tzinfo=UTC)  # BST


def test_first_meeting_that_fits_each_constraint() -> None:
    monday = date(2026, 11, 23)
    table = Timetable(
        [
            [Occurrence("a", at(date(2026, 11, d), time(h))) for d, h in [(24, 10), (26, 19)]],
            [Occurrence("b", at(date(2026, 11, 25), time(14)))],
            [],
        ],
        LONDON,
    )
    now = at(monday, time(9))
    everything = np.array([0, 1, 2])
    docs, index = table.next_meetings(everything, now)
    assert docs.tolist() == [0, 1] and index.tolist() == [0, 2]
    evening, index = table.next_meetings(everything, now, start=time(17), end=time(23, 59, 59))
    assert evening.tolist() == [0] and index.tolist() == [1]
    dated, _ = table.next_meetings(everything, now, dates=frozenset({date(2026, 11, 25)}))
    assert dated.tolist() == [1]
    later, _ = table.next_meetings(everything, at(date(2026, 11, 27), time(9)))
    assert later.tolist() == []
    assert table.last_stamp[2] == -np.inf


def test_slot_mask_is_a_coarse_superset() -> None:
    table = Timetable([[Occurrence("a", at(date(2026, 11, 24), time(10, 30)))]], LONDON)
    assert table.slot_mask(frozenset({1}), None, None).tolist() == [True]
    assert table.slot_mask(frozenset({1}), time(11), None).tolist() == [True]  # same morning
    assert table.slot_mask(frozenset({1}), time(12), None).tolist() == [False]
    assert table.slot_mask(frozenset({2}), None, None).tolist() == [False]
    assert table.slot_mask(frozenset(), None, None).tolist() == [True]
