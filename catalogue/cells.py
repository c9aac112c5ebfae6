"""Reading one spreadsheet cell: times, days, frequencies, dates, yes/no, postcodes, tags.

People type these by hand in Excel, so each parser accepts the ways a person writes a value
("10.30", "10:30am", "Tue; Thu", "1st Tuesday", "Yes", "y") and raises ``CellError`` with a
plain explanation when it cannot tell what was meant. Guessing wrong would send somebody to a
session on the wrong day, so ambiguity is an error, not a default.
"""

from __future__ import annotations

import re
from datetime import date, time

from dateutil import parser as date_parser

from catalogue.geo import normalise_postcode
from catalogue.model import Frequency, Status
from catalogue.vocabulary import WEEKDAY_TOKENS, tag_from_phrase, weekday_from_text


class CellError(ValueError):
    """A cell whose value cannot be read; the message says why, for the person who typed it."""


_TIME_RE = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$")
_BARE_TIME_RE = re.compile(r"^(\d{1,2})(\d{2})$")
_ORDINALS = {
    "1st": 1, "first": 1, "1": 1,
    "2nd": 2, "second": 2, "2": 2,
    "3rd": 3, "third": 3, "3": 3,
    "4th": 4, "fourth": 4, "4": 4,
    "last": -1, "-1": -1,
}  # fmt: skip
_ORDINAL_NAMES = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", -1: "last"}
_RRULE_DAY_RE = re.compile(r"^(-?[1-4])?(MO|TU|WE|TH|FR|SA|SU)$")
_EVERY_N_WEEKS_RE = re.compile(r"^every\s+(\d+|two|three|four)\s+weeks?$")
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4}
_STATUS_WORDS = {
    "": Status.ACTIVE, "active": Status.ACTIVE, "running": Status.ACTIVE, "open": Status.ACTIVE,
    "inactive": Status.INACTIVE, "paused": Status.INACTIVE, "on hold": Status.INACTIVE,
    "suspended": Status.INACTIVE,
    "defunct": Status.DEFUNCT, "closed": Status.DEFUNCT, "ended": Status.DEFUNCT,
    "stopped": Status.DEFUNCT,
}  # fmt: skip
_TRUE = frozenset({"yes", "y", "true", "1", "x", "✓"})
_FALSE = frozenset({"no", "n", "false", "0", ""})


def parse_time(text: str) -> time:
    """Reads a wall-clock time: "10:30", "10.30", "10:30am", "2pm", "1430", "noon"."""
    value = text.strip().lower().replace(" ", "")
    if value in ("noon", "midday", "12noon"):
        return time(12, 0)
    bare = _BARE_TIME_RE.match(value)
    if bare:
        value = f"{bare.group(1)}:{bare.group(2)}"
    match = _TIME_RE.match(value)
    if match is None:
        raise CellError(f"cannot read {text!r} as a time; write it like 10:30 or 2pm")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    suffix = (match.group(3) or "").replace(".", "")
    if suffix and not 1 <= hour <= 12:
        raise CellError(f"{text!r}: with am/pm the hour must be 1 to 12")
    if suffix == "pm" and hour != 12:
        hour += 12
    elif suffix == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        raise CellError(f"{text!r} is not a real time of day")
    return time(hour, minute)


def parse_days(text: str) -> tuple[str, ...]:
    """Reads meeting days into RRULE tokens.

    "Tuesday" -> ("TU",); "Tue; Thu" -> ("TU", "TH"); "1st Tuesday" -> ("1TU",);
    "last Friday" -> ("-1FR",); "2nd and 4th Wed" -> ("2WE", "4WE"); "1TU, -1FR" as typed.
    """
    value = text.strip()
    if not value:
        raise CellError("no day given; write a day such as Tuesday or 1st Tuesday")
    parts = [p for p in re.split(r"\s*(?:[;,/&+]|\band\b)\s*", value, flags=re.I) if p]
    tokens: list[str] = []
    pending: list[int] = []  # ordinals waiting for their day: "2nd and 4th Wed"
    for part in parts:
        rrule = _RRULE_DAY_RE.match(part.upper().replace(" ", ""))
        if rrule and (rrule.group(1) or len(part.strip()) == 2):
            tokens.append(f"{rrule.group(1) or ''}{rrule.group(2)}")
            continue
        words = part.lower().split()
        if len(words) == 1 and words[0] in _ORDINALS and weekday_from_text(words[0]) is None:
            pending.append(_ORDINALS[words[0]])
            continue
        ordinal: int | None = None
        if len(words) == 2 and words[0] in _ORDINALS:
            ordinal = _ORDINALS[words[0]]
            words = words[1:]
        day = weekday_from_text(words[0]) if len(words) == 1 else None
        if day is None:
            raise CellError(f"cannot read {part!r} as a day; write e.g. Tuesday, Tue or 1st Tue")
        code = WEEKDAY_TOKENS[day]
        for number in [*pending, *([ordinal] if ordinal is not None else [])]:
            tokens.append(f"{number}{code}")
        if not pending and ordinal is None:
            tokens.append(code)
        pending = []
    if pending:
        raise CellError(f"{text!r}: an ordinal such as 1st needs a day after it")
    return tuple(dict.fromkeys(tokens))


def describe_day_token(token: str) -> str:
    """Returns "Tuesday" or "1st Tuesday" for an RRULE day token, for messages and reasons."""
    match = _RRULE_DAY_RE.match(token)
    if match is None:
        return token
    name = weekday_from_text(match.group(2))
    day = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")[name or 0]
    return f"{_ORDINAL_NAMES[int(match.group(1))]} {day}" if match.group(1) else day


def parse_frequency(text: str) -> tuple[Frequency, int] | None:
    """Reads a frequency: weekly, fortnightly, monthly, "every 3 weeks". Blank gives None."""
    value = " ".join(text.strip().lower().split())
    if not value:
        return None
    if value in ("weekly", "every week", "week"):
        return Frequency.WEEKLY, 1
    if value in ("fortnightly", "every two weeks", "every 2 weeks", "biweekly", "every other week"):
        return Frequency.WEEKLY, 2
    if value in ("monthly", "every month", "month"):
        return Frequency.MONTHLY, 1
    match = _EVERY_N_WEEKS_RE.match(value)
    if match:
        raw = match.group(1)
        interval = _NUMBER_WORDS.get(raw) or int(raw)
        if 1 <= interval <= 12:
            return Frequency.WEEKLY, interval
    raise CellError(f"cannot read {text!r}; use weekly, fortnightly, monthly or every N weeks")


def parse_date(text: str) -> date | None:
    """Reads a date as the UK writes it: "2026-01-06", "06/01/2026", "6 Jan 2026". Blank: None."""
    value = text.strip()
    if not value:
        return None
    iso = re.match(r"^\d{4}-\d{2}-\d{2}$", value)
    try:
        return date.fromisoformat(value) if iso else date_parser.parse(value, dayfirst=True).date()
    except (ValueError, OverflowError) as exc:
        raise CellError(f"cannot read {text!r} as a date; write it like 2026-01-06") from exc


def parse_bool(text: str) -> bool:
    """Reads yes/no in the usual spellings ("Yes", "y", "TRUE", "1"); blank means no."""
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise CellError(f"cannot read {text!r}; write yes or no")


def parse_status(text: str) -> Status:
    """Reads whether a series is running: active (the default), inactive/paused, defunct/closed."""
    value = " ".join(text.strip().lower().split())
    if value not in _STATUS_WORDS:
        raise CellError(f"{text!r}: use active, inactive or defunct")
    return _STATUS_WORDS[value]


def parse_postcode(text: str) -> str:
    """Reads a UK postcode and returns it as "LA4 5AB"; blank stays blank."""
    if not text.strip():
        return ""
    full = normalise_postcode(text)
    if full is None:
        raise CellError(f"{text!r} is not a UK postcode such as LA4 5AB")
    return full


def parse_coordinate(text: str, *, low: float, high: float) -> float | None:
    """Reads a latitude or longitude in decimal degrees within [low, high]; blank gives None."""
    if not text.strip():
        return None
    try:
        value = float(text.strip())
    except ValueError as exc:
        raise CellError(f"cannot read {text!r} as a number of degrees") from exc
    if not low <= value <= high:
        raise CellError(f"{value} is outside {low} to {high}")
    return value


def parse_tags(text: str, table: dict[str, str]) -> frozenset[str]:
    """Reads a ;-separated list into normalised tags ("Step free; Hearing loop")."""
    return frozenset(
        tag_from_phrase(part, table) for part in re.split(r"[;,]", text) if part.strip()
    )
