"""When every indexed activity meets, packed for fast "next Tuesday morning after now" checks.

Occurrences of all activities sit in two flat arrays (UTC timestamps and local wall-clock
minutes since 1970) with per-activity offsets, so a catalogue of 100,000 weekly sessions costs
a few megabytes rather than millions of datetime objects. A per-activity bit mask of the
weekdays and parts of the day it meets on lets search discard most activities before looking
at a single date.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

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

    def slot_mask(
        self, weekdays: frozenset[int], start: time | None, end: time | None
    ) -> npt.NDArray[np.bool_]:
        """Which documents ever meet on one of these weekdays within the times (a coarse test).

        Parts of the day are whole mornings, afternoons and evenings, so this may let through a
        document that ``next_meetings`` then rejects, but never drops one it would accept.
        """
        if not weekdays and start is None and end is None:
            return np.ones(len(self.slots), dtype=bool)
        mask: npt.NDArray[np.bool_] = (self.slots & slot_bits(weekdays, start, end)) != 0
        return mask

    def next_meetings(
        self,
        documents: npt.NDArray[np.int64],
        now: datetime,
        *,
        weekdays: frozenset[int] = frozenset(),
        dates: frozenset[date] = frozenset(),
        start: time | None = None,
        end: time | None = None,
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Finds each document's first meeting after ``now`` on an allowed day and time.

        Times are local wall-clock, start inclusive and end exclusive; an empty set allows any
        weekday or date. Works on all the documents at once, so ranking thousands of matches
        costs a few array operations rather than a Python loop.

        Args:
            documents: document numbers in ascending order.
            now: only meetings strictly after this count.
            weekdays: allowed local weekdays, Monday=0.
            dates: allowed local dates.
            start: earliest local start time.
            end: local start times must be before this.

        Returns:
            The documents that have such a meeting (ascending) and, for each, the index of
            that meeting in ``stamps``/``ends``.
        """
        lengths = self.offsets[documents + 1] - self.offsets[documents]
        total = int(lengths.sum())
        empty = np.zeros(0, dtype=np.int64)
        if total == 0:
            return empty, empty
        # Concatenated ranges offsets[d]..offsets[d+1] for every document, without a loop.
        shift = np.repeat(self.offsets[documents] - (np.cumsum(lengths) - lengths), lengths)
        meetings = np.arange(total, dtype=np.int64) + shift
        owners = np.repeat(documents, lengths)
        ok = self.stamps[meetings] > now.timestamp()
        local = self.local[meetings]
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
        owners, meetings = owners[ok], meetings[ok]
        if len(owners) == 0:
            return empty, empty
        # Meetings are sorted within each document, so the first row per owner is the next.
        first = np.flatnonzero(np.concatenate(([True], owners[1:] != owners[:-1])))
        return owners[first], meetings[first]

    def meeting(self, index: int) -> tuple[datetime, datetime | None]:
        """Returns one meeting's start and end (aware UTC) by its index in ``stamps``."""
        begins = datetime.fromtimestamp(float(self.stamps[index]), UTC)
        finish = float(self.ends[index])
        return begins, None if np.isnan(finish) else datetime.fromtimestamp(finish, UTC)
