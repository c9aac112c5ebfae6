"""Schedule expansion: from an HSDS recurrence pattern to dated meetings in UTC.

Recurrences are generated with :mod:`dateutil.rrule` on *naive local* wall-clock datetimes and
only then placed in the schedule's timezone, so a 10:30 session stays at 10:30 local time on both
sides of a clock change (09:30 UTC in summer, 10:30 UTC in winter).

Decisions where HSDS and RFC 5545 leave room:

* **No start time.** A schedule without ``opens_at`` says which days something runs but not
  when, so it yields no occurrences: a reminder at midnight would be worse than none. Its days
  still live on the :class:`~catalogue.model.Schedule` for anyone who wants to show them.
* **Spring gap.** A local start time that does not exist (01:30 on the last Sunday of March in
  the UK) is moved forward by the length of the gap (to 02:30 BST), as a wall clock would be.
  RFC 5545 says to drop such instances, but a silently missing session is worse for a group.
* **Autumn overlap.** A local time that happens twice (01:30 on the last Sunday of October) is
  taken as its first instance (01:30 BST, 00:30 UTC).
* **Closing before opening.** ``closes_at`` at or before ``opens_at`` means the session runs
  past midnight and ends the next day. If moving a start out of the spring gap puts it after
  the end, the end keeps the wall-clock length of the session instead.
* **Anchoring.** "Every N weeks" counts from ``dtstart`` (or ``valid_from`` when there is no
  ``dtstart``); weeks start on Monday. A schedule with an interval above one or a ``count`` must
  have one of them, because otherwise which weeks it means is a guess.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.relativedelta import relativedelta
from dateutil.rrule import DAILY, MO, MONTHLY, WEEKLY, rrule, weekday

from catalogue.model import Activity, Frequency, Occurrence, Schedule

_WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_BYDAY_TOKEN = re.compile(r"([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
_RRULE_FREQ: dict[Frequency, Literal[1, 2, 3]] = {
    Frequency.DAILY: DAILY,
    Frequency.WEEKLY: WEEKLY,
    Frequency.MONTHLY: MONTHLY,
}

# Schedules with interval 1 and no count may name no start date; every period then matches, so
# any fixed Monday gives the same days. A fixed one keeps results independent of the window.
_EPOCH = date(2001, 1, 1)


def parse_byday(token: str) -> weekday:
    """Parse one RRULE ``BYDAY`` token such as ``TU``, ``1TU`` or ``-1FR``.

    Args:
        token: The token, upper or lower case, surrounding spaces ignored.

    Returns:
        The dateutil weekday, with ``n`` set for an ordinal ("first", "last") weekday.

    Raises:
        ValueError: If the token is not a weekday code with an optional ordinal of ±1 to ±5.
    """
    match = _BYDAY_TOKEN.fullmatch(token.strip().upper())
    ordinal = int(match.group(1)) if match and match.group(1) else None
    if match is None or ordinal == 0 or (ordinal is not None and abs(ordinal) > 5):
        raise ValueError(
            f"bad weekday {token.strip()!r} (expected MO, TU, WE, TH, FR, SA or SU, "
            "optionally with an ordinal such as 1TU or -1FR)"
        )
    return weekday(_WEEKDAY_CODES.index(match.group(2)), ordinal)


def schedule_problems(schedule: Schedule) -> list[tuple[str, str]]:
    """List what makes a schedule impossible to expand, as ``(field, problem)`` pairs.

    Field names are the HSDS column names, so importers can report them against a row.

    Args:
        schedule: The schedule to check.

    Returns:
        Every problem found; an empty list means :func:`expand` will accept the schedule.
    """
    problems: list[tuple[str, str]] = []
    anchor = schedule.dtstart or schedule.valid_from
    if schedule.interval < 1:
        problems.append(("interval", f"must be at least 1, not {schedule.interval}"))
    if schedule.count is not None and schedule.count < 1:
        problems.append(("count", f"must be at least 1, not {schedule.count}"))
    days: list[weekday] = []
    for token in schedule.byday:
        try:
            days.append(parse_byday(token))
        except ValueError as error:
            problems.append(("byday", str(error)))
    if schedule.freq is not Frequency.MONTHLY and any(day.n for day in days):
        problems.append(
            ("byday", f"ordinal weekdays such as 1TU need MONTHLY, not {schedule.freq}")
        )
    for day_of_month in schedule.bymonthday:
        if day_of_month == 0 or abs(day_of_month) > 31:
            problems.append(("bymonthday", f"{day_of_month} is not a day of the month"))
    if schedule.freq is Frequency.WEEKLY and schedule.bymonthday:
        problems.append(("bymonthday", "cannot be used with WEEKLY"))
    if schedule.freq is Frequency.WEEKLY and not schedule.byday and anchor is None:
        problems.append(("byday", "a weekly schedule needs byday, dtstart or valid_from"))
    if (
        schedule.freq is Frequency.MONTHLY
        and not schedule.byday
        and not schedule.bymonthday
        and anchor is None
    ):
        problems.append(("bymonthday", "a monthly schedule needs byday, bymonthday or dtstart"))
    if schedule.interval > 1 and anchor is None:
        problems.append(
            ("dtstart", "an interval above 1 needs dtstart or valid_from to count from")
        )
    if schedule.count is not None and anchor is None:
        problems.append(("dtstart", "count needs dtstart or valid_from to count from"))
    if schedule.valid_from and schedule.valid_to and schedule.valid_to < schedule.valid_from:
        problems.append(("valid_to", "is before valid_from"))
    try:
        ZoneInfo(schedule.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(("timezone", f"unknown timezone {schedule.timezone!r}"))
    return problems


def expand(
    schedule: Schedule, start: datetime, end: datetime
) -> list[tuple[datetime, datetime | None]]:
    """List the meetings of a schedule that start in ``[start, end)``.

    Args:
        schedule: A schedule that :func:`schedule_problems` accepts.
        start: Inclusive lower bound, timezone-aware.
        end: Exclusive upper bound, timezone-aware.

    Returns:
        ``(starts_at, ends_at)`` pairs in UTC, sorted; ``ends_at`` is ``None`` when the schedule
        has no ``closes_at``. Empty when the schedule has no ``opens_at``.

    Raises:
        ValueError: If ``start`` or ``end`` is naive, or the schedule cannot be expanded.
    """
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must be timezone-aware")
    problems = schedule_problems(schedule)
    if problems:
        field, problem = problems[0]
        raise ValueError(f"cannot expand schedule {schedule.source_id!r}: {field}: {problem}")
    if schedule.opens_at is None or end <= start:
        return []
    zone = ZoneInfo(schedule.timezone)
    # A day either side covers every local date whose meetings could land in the UTC window.
    first_day = start.astimezone(zone).date() - timedelta(days=1)
    last_day = end.astimezone(zone).date() + timedelta(days=1)
    for bound in (schedule.valid_to, schedule.until):
        if bound is not None:
            last_day = min(last_day, bound)
    opens_at = schedule.opens_at.replace(tzinfo=None)
    anchor = schedule.dtstart or schedule.valid_from or _EPOCH
    start_from = anchor if schedule.count else _skip_whole_periods(schedule, anchor, first_day)
    rule = _rule(schedule, datetime.combine(start_from, opens_at), anchor, last_day)
    meetings: list[tuple[datetime, datetime | None]] = []
    for local_start in rule:
        day = local_start.date()
        if day > last_day:
            break
        if schedule.valid_from is not None and day < schedule.valid_from:
            continue
        starts_at = _to_utc(local_start, zone)
        if not start <= starts_at < end:
            continue
        meetings.append((starts_at, _ends_at(schedule, day, opens_at, starts_at, zone)))
    return meetings


def expand_activity(activity: Activity, start: datetime, end: datetime) -> list[Occurrence]:
    """List an activity's meetings starting in ``[start, end)`` over all its schedules.

    Two schedules that produce the same start time (an overlap in the source data) give one
    occurrence; the longer of the two wins, since it is the safer thing to tell someone.

    Args:
        activity: The activity whose schedules to expand.
        start: Inclusive lower bound, timezone-aware.
        end: Exclusive upper bound, timezone-aware.

    Returns:
        Occurrences in UTC, sorted by start time.

    Raises:
        ValueError: As for :func:`expand`.
    """
    by_start: dict[datetime, datetime | None] = {}
    for schedule in activity.schedules:
        for starts_at, ends_at in expand(schedule, start, end):
            known = by_start.get(starts_at)
            if starts_at not in by_start or (
                ends_at is not None and (known is None or ends_at > known)
            ):
                by_start[starts_at] = ends_at
    return [
        Occurrence(activity_id=activity.source_id, starts_at=starts_at, ends_at=ends_at)
        for starts_at, ends_at in sorted(by_start.items())
    ]


def _later(candidate: datetime | None, known: datetime | None) -> bool:
    return candidate is not None and (known is None or candidate > known)


def _rule(schedule: Schedule, dtstart: datetime, anchor: date, last_day: date) -> rrule:
    byweekday = [parse_byday(token) for token in schedule.byday] or None
    bymonthday = list(schedule.bymonthday) or None
    # Name the anchor's day explicitly: dateutil would take it from dtstart, which
    # _skip_whole_periods may have moved.
    if schedule.freq is Frequency.WEEKLY and byweekday is None:
        byweekday = [weekday(anchor.weekday())]
    if schedule.freq is Frequency.MONTHLY and byweekday is None and bymonthday is None:
        bymonthday = [anchor.day]
    if schedule.count is not None:
        # dateutil deprecates count together with until, so until is applied by the caller.
        return rrule(
            _RRULE_FREQ[schedule.freq],
            dtstart=dtstart,
            interval=schedule.interval,
            wkst=MO,
            count=schedule.count,
            byweekday=byweekday,
            bymonthday=bymonthday,
        )
    return rrule(
        _RRULE_FREQ[schedule.freq],
        dtstart=dtstart,
        interval=schedule.interval,
        wkst=MO,
        until=datetime.combine(last_day, time.max),
        byweekday=byweekday,
        bymonthday=bymonthday,
    )


def _skip_whole_periods(schedule: Schedule, anchor: date, first_day: date) -> date:
    """Move the anchor forward by whole intervals so iteration starts near the window.

    Only valid without ``count``: a count is measured from the original anchor.
    """
    if first_day <= anchor:
        return anchor
    if schedule.freq is Frequency.DAILY:
        step = schedule.interval
        return anchor + timedelta(days=(first_day - anchor).days // step * step)
    if schedule.freq is Frequency.WEEKLY:
        week_start = anchor - timedelta(days=anchor.weekday())
        step = 7 * schedule.interval
        skipped = (first_day - week_start).days // step * step
        return anchor if skipped == 0 else week_start + timedelta(days=skipped)
    months = (first_day.year - anchor.year) * 12 + first_day.month - anchor.month
    skipped_months = months // schedule.interval * schedule.interval
    if skipped_months == 0:
        return anchor
    return anchor.replace(day=1) + relativedelta(months=skipped_months)


def _to_utc(local: datetime, zone: ZoneInfo) -> datetime:
    # fold=0 picks the first of two ambiguous instants and, for a time in the spring gap, the
    # pre-transition offset, which lands the meeting one gap-length later on the wall clock.
    return local.replace(tzinfo=zone, fold=0).astimezone(UTC)


def _ends_at(
    schedule: Schedule, day: date, opens_at: time, starts_at: datetime, zone: ZoneInfo
) -> datetime | None:
    if schedule.closes_at is None:
        return None
    closes_at = schedule.closes_at.replace(tzinfo=None)
    end_day = day + timedelta(days=1) if closes_at <= opens_at else day
    ends_at = _to_utc(datetime.combine(end_day, closes_at), zone)
    if ends_at <= starts_at:
        # The start was pushed forward out of the spring gap past the end: keep the session
        # as long as it says on the wall clock instead of ending before it starts.
        ends_at = starts_at + (
            datetime.combine(end_day, closes_at) - datetime.combine(day, opens_at)
        )
    return ends_at
