"""When nudges are due: reminder offsets, quiet hours and local times, as plain values.

Everything here is pure (no database) so the rules can be read and tested on their own. Times
are UTC inside; local wall-clock rules ("the day before at 18:00", "not between 21:00 and
08:00") are applied in the person's own time zone, so they hold across clock changes.

A person's own choices live in `person.preferences`:

- ``reminders``: ``false`` switches session reminders and after-session prompts off.
- ``reminder_offsets``: their own `NUDGE_BEFORE`, e.g. ``"2h"``.
- ``quiet_hours``: their own `QUIET_HOURS`, e.g. ``"22:30-07:00"`` or ``"off"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_DURATION_RE = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$")
_DAY_AT_RE = re.compile(r"^(\d+)d@(\d{1,2}):(\d{2})$")
_CLOCK_RE = re.compile(r"^(\d{1,2}):(\d{2})$")


@dataclass(frozen=True, slots=True)
class Offset:
    """One reminder: either `days` before at local `at`, or `before` the start.

    Attributes:
        label: the text it was parsed from, e.g. ``"1d@18:00"``; names the nudge's slot.
    """

    label: str
    before: timedelta | None = None
    days: int = 0
    at: time | None = None

    def due(self, starts_at: datetime, zone: ZoneInfo) -> datetime:
        """When this reminder is due for a session starting at `starts_at` (UTC)."""
        if self.at is None:
            assert self.before is not None
            return starts_at - self.before
        session_day = starts_at.astimezone(zone).date()
        return local_moment(session_day - timedelta(days=self.days), self.at, zone)


@dataclass(frozen=True, slots=True)
class QuietHours:
    """A nightly window (local time) in which nothing is sent; may cross midnight."""

    start: time
    end: time

    def contains(self, moment: time) -> bool:
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end

    def release(self, due: datetime, zone: ZoneInfo) -> datetime:
        """`due` if it is outside the window, else the end of the window it falls in (UTC)."""
        local = due.astimezone(zone)
        if not self.contains(local.time()):
            return due
        day = local.date()
        if self.start > self.end and local.time() >= self.start:
            day += timedelta(days=1)  # evening part: quiet ends tomorrow morning
        return local_moment(day, self.end, zone)


def local_moment(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock `at` on `day` in `zone` (DST-correct)."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def parse_clock(text: str) -> time:
    """Parses ``"18:00"``; raises ValueError for anything else."""
    match = _CLOCK_RE.match(text.strip())
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(f"{text!r} is not a time of day like 18:00")
    return time(int(match[1]), int(match[2]))


def parse_duration(text: str) -> timedelta:
    """Parses ``"2h"``, ``"30m"``, ``"1h30m"``, ``"1d"`` or ``"0m"``."""
    match = _DURATION_RE.match(text.strip())
    if match is None or not text.strip():
        raise ValueError(f"{text!r} is not a duration like 2h or 30m")
    days, hours, minutes = (int(part or 0) for part in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes)


def parse_offsets(text: str) -> tuple[Offset, ...]:
    """Parses `NUDGE_BEFORE`: ``"1d@18:00,2h"``; ``"off"`` or empty means no reminders."""
    if text.strip().lower() in ("", "off", "none"):
        return ()
    offsets: list[Offset] = []
    for raw in text.split(","):
        label = raw.strip().lower()
        day_at = _DAY_AT_RE.match(label)
        if day_at is not None:
            offset = Offset(label, days=int(day_at[1]), at=parse_clock(f"{day_at[2]}:{day_at[3]}"))
        else:
            offset = Offset(label, before=parse_duration(label))
        if offset in offsets:
            raise ValueError(f"{label!r} is listed twice")
        offsets.append(offset)
    return tuple(offsets)


def parse_quiet_hours(text: str) -> QuietHours | None:
    """Parses `QUIET_HOURS`: ``"21:00-08:00"``; ``"off"`` or empty means none."""
    if text.strip().lower() in ("", "off", "none"):
        return None
    start, sep, end = text.partition("-")
    if not sep:
        raise ValueError(f"{text!r} is not a window like 21:00-08:00")
    quiet = QuietHours(parse_clock(start), parse_clock(end))
    if quiet.start == quiet.end:
        raise ValueError(f"{text!r} starts and ends at the same time")
    return quiet


def parse_weeks(text: str) -> tuple[int, ...]:
    """Parses `FOLLOW_UP_WEEKS`: ``"6,12"`` (distinct, rising, 1 to 104); empty means none."""
    if not text.strip():
        return ()
    try:
        weeks = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise ValueError(f"{text!r} is not a list of weeks like 6,12") from None
    if any(not 1 <= week <= 104 for week in weeks) or list(weeks) != sorted(set(weeks)):
        raise ValueError(f"{text!r} must be rising whole weeks between 1 and 104")
    return weeks


class NudgeSettings(Protocol):
    """The settings this module reads (`bot.config.Settings` has them)."""

    timezone: str
    nudge_before: str
    nudge_after: str
    quiet_hours: str
    follow_up_weeks: str
    digest_at: str


@dataclass(frozen=True, slots=True)
class NudgePolicy:
    """The service-wide rules, parsed once from settings."""

    zone: ZoneInfo
    offsets: tuple[Offset, ...]
    after: timedelta
    quiet: QuietHours | None
    follow_up_weeks: tuple[int, ...]
    digest_at: time
    # Follow-up check-ins arrive mid-morning: after quiet hours, before most sessions.
    follow_up_at: time = time(10, 30)

    @classmethod
    def from_settings(cls, settings: NudgeSettings) -> NudgePolicy:
        return cls(
            zone=ZoneInfo(settings.timezone),
            offsets=parse_offsets(settings.nudge_before),
            after=parse_duration(settings.nudge_after),
            quiet=parse_quiet_hours(settings.quiet_hours),
            follow_up_weeks=parse_weeks(settings.follow_up_weeks),
            digest_at=parse_clock(settings.digest_at),
        )

    def zone_of(self, timezone: str | None) -> ZoneInfo:
        """A person's zone, or the service's when theirs is unset or unknown."""
        if timezone:
            try:
                return ZoneInfo(timezone)
            except (ZoneInfoNotFoundError, ValueError):
                pass
        return self.zone

    def offsets_for(self, preferences: dict[str, Any]) -> tuple[Offset, ...]:
        """The person's own reminder offsets if they set valid ones, else the service's."""
        own = preferences.get("reminder_offsets")
        if isinstance(own, str):
            try:
                return parse_offsets(own)
            except ValueError:
                pass
        return self.offsets

    def quiet_for(self, preferences: dict[str, Any]) -> QuietHours | None:
        """The person's own quiet hours if they set valid ones, else the service's."""
        own = preferences.get("quiet_hours")
        if isinstance(own, str):
            try:
                return parse_quiet_hours(own)
            except ValueError:
                pass
        return self.quiet


def reminders_on(preferences: dict[str, Any]) -> bool:
    """Whether the person wants session reminders and after-session prompts (default yes)."""
    return preferences.get("reminders", True) is not False
