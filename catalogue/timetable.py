"""When every indexed activity meets, packed for fast "next Tuesday morning after now" checks.

Occurrences of all activities sit in two flat arrays (UTC timestamps and local wall-clock
minutes since 1970) with per-activity offsets, so a catalogue of 100,000 weekly sessions costs
a few megabytes rather than millions of datetime objects. A per-activity bit mask of the
weekdays and parts of the day it meets on lets search discard most activities before looking
at a single date.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from catalogue.model import Occurrence

MINUTES_PER_DAY = 24 * 60
_EPOCH = date(1970, 1, 1)
# 1 January 1970 was a Thursday (Monday=0), so weekday = (local day number + 3) % 7.
_EPOCH_WEEKDAY = 3
# Parts of the day for the coarse mask: before noon, before five, and later.
_PART_BOUNDS = (12 * 60, 17 * 60)


def _part(minute: int) -> int:
    return 0 if minute < _PART_BOUNDS[0] else 1 if minute < _PART_BOUNDS[1] else 2


def slot_bits(weekdays: frozenset[int], start: time | None, end: time | None) -> int:
    """Returns the mask bits for meetings on these weekdays (all if empty) within a time range."""
    first = 0 if start is None else _part(start.hour * 60 + start.minute)
    last = 2 if end is None else _part(max(0, end.hour * 60 + end.minute - 1))
    bits = 0
    for day in weekdays or frozenset(range(7)):
        for part in range(first, last + 1):
            bits |= 1 << (day * 3 + part)
    return bits


class Timetable:
    """Occurrences of documents 0…n-1 in a compressed, searchable form."""

    def __init__(self, occurrences: Sequence[Sequence[Occurrence]], zone: ZoneInfo) -> None:
        """Packs each document's occurrences (in any order) into flat sorted arrays."""
        self.zone = zone
        stamps: list[float] = []
        local: list[int] = []
        ends: list[float] = []
        offsets = [0]
        slots: list[int] = []
        for meetings in occurrences:
            mask = 0
            for occurrence in sorted(meetings, key=lambda o: o.starts_at):
                at = occurrence.starts_at.astimezone(zone)
                minute = ((at.date() - _EPOCH).days * MINUTES_PER_DAY) + at.hour * 60 + at.minute
                stamps.append(occurrence.starts_at.timestamp())
                ends.append(occurrence.ends_at.timestamp() if occurrence.ends_at else np.nan)
                local.append(minute)
                weekday = (minute // MINUTES_PER_DAY + _EPOCH_WEEKDAY) % 7
                mask |= 1 << (weekday * 3 + _part(minute % MINUTES_PER_DAY))
            offsets.append(len(stamps))
            slots.append(mask)
        self.stamps = np.asarray(stamps, dtype=np.float64)
        self.ends = np.asarray(ends, dtype=np.float64)
        self.local = np.asarray(local, dtype=np.int64)
        self.offsets = np.asarray(offsets, dtype=np.int64)
        self.slots = np.asarray(slots, dtype=np.int64)
        last = self.offsets[1:] - 1
        self.last_stamp = np.where(
            self.offsets[1:] > self.offsets[:-1], self.stamps[np.maximum(last, 0)], -np.inf
        )

    def next_meeting(
        self,
        document: int,
        now: datetime,
        *,
        weekdays: frozenset[int] = frozenset(),
        dates: frozenset[date] = frozenset(),
        start: time | None = None,
        end: time | None = None,
    ) -> tuple[datetime, datetime | None] | None:
        """Returns the first meeting after ``now`` on an allowed weekday, date and time of day.

        Times are local wall-clock, start inclusive and end exclusive; an empty set allows any
        weekday or date.
        """
        low, high = int(self.offsets[document]), int(self.offsets[document + 1])
        stamps = self.stamps[low:high]
        first = int(np.searchsorted(stamps, now.timestamp(), side="right"))
        if first >= len(stamps):
            return None
        local = self.local[low + first : high]
        ok = np.ones(len(local), dtype=bool)
        days = local // MINUTES_PER_DAY
        if weekdays:
            ok &= np.isin((days + _EPOCH_WEEKDAY) % 7, list(weekdays))
        if dates:
            ok &= np.isin(days, [(d - _EPOCH).days for d in dates])
        minutes = local % MINUTES_PER_DAY
        if start is not None:
            ok &= minutes >= start.hour * 60 + start.minute
        if end is not None:
            ok &= minutes < end.hour * 60 + end.minute + (1 if end.second else 0)
        hits = np.flatnonzero(ok)
        if len(hits) == 0:
            return None
        index = low + first + int(hits[0])
        begins = datetime.fromtimestamp(float(self.stamps[index]), UTC)
        finish = float(self.ends[index])
        return begins, None if np.isnan(finish) else datetime.fromtimestamp(finish, UTC)

    def days_until(self, moment: datetime, now: datetime) -> float:
        """Days from now to a meeting, for preferring sooner sessions a little."""
        return max(0.0, (moment - now) / timedelta(days=1))
