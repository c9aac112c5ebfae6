"""Parsers for single Open Referral UK values, shared by the CSV and JSON readers.

Each parser takes the text as published and returns a typed value, or raises ``ValueError``
whose message is the ``problem`` part of a :class:`~catalogue.model.RowError`: it names the
bad value and says what was expected, because the person reading it will fix the file by hand.
"""

from __future__ import annotations

import re
from datetime import date, time
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from catalogue.model import DEFAULT_TIMEZONE, Frequency, Status
from catalogue.schedule import parse_byday as parse_weekday

_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ]\S*)?")
_WHOLE = re.compile(r"[+-]?\d+")
_WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_STATUSES = {
    "active": Status.ACTIVE,
    "inactive": Status.INACTIVE,
    # HSDS 3.0 has a fourth status; for suggesting sessions it means the same as inactive.
    "temporarily closed": Status.INACTIVE,
    "defunct": Status.DEFUNCT,
}
# The UK profile's schedules use UK time; an offset of 0 or +1 is GMT or BST written as a
# number, and a fixed offset would put every summer session an hour out.
_UK_OFFSETS = frozenset({0, 1})


def parse_time(text: str) -> time:
    """Parse an HSDS local time, ``HH:MM`` or ``HH:MM:SS``."""
    match = _TIME.fullmatch(text)
    hour, minute, second = (int(part or 0) for part in match.groups()) if match else (99, 0, 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"bad time {text!r} (expected HH:MM or HH:MM:SS)")
    return time(hour, minute, second)


def parse_date(text: str) -> date:
    """Parse an HSDS date, ``YYYY-MM-DD``; a date-time keeps only its date."""
    match = _DATE.fullmatch(text)
    try:
        if match is None:
            raise ValueError(text)
        return date.fromisoformat(match.group(1))
    except ValueError:
        raise ValueError(f"bad date {text!r} (expected YYYY-MM-DD)") from None


def parse_whole(text: str) -> int:
    """Parse a whole number such as an age."""
    if not _WHOLE.fullmatch(text):
        raise ValueError(f"must be a whole number, not {text!r}")
    return int(text)


def parse_positive(text: str) -> int:
    """Parse a whole number of at least 1, such as an RRULE interval or count."""
    if not _WHOLE.fullmatch(text) or int(text) < 1:
        raise ValueError(f"must be a whole number of at least 1, not {text!r}")
    return int(text)


def parse_latitude(text: str) -> float:
    """Parse a latitude in decimal degrees."""
    return _coordinate(text, 90)


def parse_longitude(text: str) -> float:
    """Parse a longitude in decimal degrees."""
    return _coordinate(text, 180)


def _coordinate(text: str, limit: int) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"not a number: {text!r}") from None
    if not -limit <= value <= limit:
        raise ValueError(f"{text} is outside -{limit} to {limit}")
    return value


def parse_amount(text: str) -> Decimal:
    """Parse a cost amount: a number of at least zero, with an optional leading ``£``."""
    try:
        amount = Decimal(text.removeprefix("£").replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"not an amount: {text!r}") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"not an amount: {text!r}")
    return amount


def parse_status(text: str) -> Status:
    """Parse a service status: active, inactive, defunct or temporarily closed."""
    status = _STATUSES.get(" ".join(text.lower().split()))
    if status is None:
        raise ValueError(
            f"unknown status {text!r} (expected active, inactive, defunct or temporarily closed)"
        )
    return status


def parse_frequency(text: str) -> Frequency:
    """Parse an RRULE frequency that Chorus can expand."""
    try:
        return Frequency(text.strip().upper())
    except ValueError:
        raise ValueError(
            f"unsupported frequency {text!r} (expected DAILY, WEEKLY or MONTHLY)"
        ) from None


def parse_byday(text: str) -> tuple[str, ...]:
    """Parse a comma-separated ``BYDAY`` list into canonical tokens (``TU``, ``1TU``, ``-1FR``)."""
    tokens = []
    for token in text.split(","):
        day = parse_weekday(token)
        tokens.append(
            f"{day.n}{_WEEKDAY_CODES[day.weekday]}" if day.n else _WEEKDAY_CODES[day.weekday]
        )
    return tuple(tokens)


def parse_monthdays(text: str) -> tuple[int, ...]:
    """Parse a comma-separated ``BYMONTHDAY`` list (1 to 31, or -1 for the last day)."""
    days = []
    for part in text.split(","):
        part = part.strip()
        if not _WHOLE.fullmatch(part) or not 1 <= abs(int(part)) <= 31:
            raise ValueError(f"bad day of the month {part!r} (expected 1 to 31 or -31 to -1)")
        days.append(int(part))
    return tuple(days)


def parse_timezone(text: str) -> str:
    """Parse a schedule timezone: an IANA name, or a whole-hour UTC offset as HSDS allows.

    An offset of 0 or 1 is read as UK time (see ``_UK_OFFSETS``); other offsets become the
    matching fixed ``Etc/GMT`` zone.
    """
    value = text.strip()
    if _WHOLE.fullmatch(value):
        offset = int(value)
        if offset in _UK_OFFSETS:
            return DEFAULT_TIMEZONE
        if abs(offset) <= 12:
            # The Etc zones count the other way: Etc/GMT-3 is three hours ahead of UTC.
            return f"Etc/GMT{-offset:+d}"
    else:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            pass
        else:
            return value
    raise ValueError(f"unknown timezone {text!r} (expected a name such as Europe/London)")
