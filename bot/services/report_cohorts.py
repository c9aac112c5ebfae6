"""Who and when a report is about: the period, the cohort, and who may ask for it.

A report covers a half-open period ``[start, end)`` in UTC whose edges are local midnights,
and a cohort of participants: everyone, one link worker's caseload, the people booked on an
activity or on any activity in a category, or the people living in an area. Link workers only
ever see their own caseload, whatever cohort they name; participants may not review at all.

Periods and cohorts have short tokens (``m``, ``q``, ``20260101-20260331``; ``all``, ``lw12``,
``a7``, ``c=singing``…) so they fit in callback data and on the command line alike.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import ActivityRow, Booking, Person, Role
from bot.services import audit

_CUSTOM_RE = re.compile(r"^(\d{8})-(\d{8})$")
# A custom period longer than this is almost certainly a typo in the year.
MAX_PERIOD_DAYS = 3 * 366
_DIGITS = tuple("0123456789")


class ReportRefused(Exception):
    """The person may not see this report; the message is safe to show them."""


@dataclass(frozen=True, slots=True)
class Period:
    """A report period: ``start`` inclusive, ``end`` exclusive, both aware UTC."""

    start: datetime
    end: datetime
    token: str
    label: str

    def contains(self, moment: datetime) -> bool:
        """Whether ``moment`` falls inside the period."""
        return self.start <= moment < self.end


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def this_month(now: datetime, zone: ZoneInfo) -> Period:
    """From the first of this local month up to the end of today."""
    today = now.astimezone(zone).date()
    first = today.replace(day=1)
    label = f"{first:%B %Y} so far"
    return Period(_midnight(first, zone), _midnight(today + timedelta(days=1), zone), "m", label)


def last_three_months(now: datetime, zone: ZoneInfo) -> Period:
    """The three months up to and including today (local dates)."""
    today = now.astimezone(zone).date()
    first = today - relativedelta(months=3) + timedelta(days=1)
    return Period(
        _midnight(first, zone),
        _midnight(today + timedelta(days=1), zone),
        "q",
        f"{first:%-d %b %Y} to {today:%-d %b %Y}",
    )


def custom_period(first: date, last: date, zone: ZoneInfo) -> Period:
    """The local days from ``first`` to ``last``, both included.

    Raises:
        ValueError: the dates are the wrong way round or span more than three years.
    """
    if last < first:
        raise ValueError("the period ends before it starts")
    if (last - first).days > MAX_PERIOD_DAYS:
        raise ValueError("a report can cover at most three years")
    return Period(
        _midnight(first, zone),
        _midnight(last + timedelta(days=1), zone),
        f"{first:%Y%m%d}-{last:%Y%m%d}",
        f"{first:%-d %b %Y} to {last:%-d %b %Y}",
    )


def parse_period(token: str, *, now: datetime, zone: ZoneInfo) -> Period:
    """Turns a period token (``m``, ``q`` or ``YYYYMMDD-YYYYMMDD``) back into a period.

    Raises:
        ValueError: the token is not one Chorus makes, or names impossible dates.
    """
    if token == "m":
        return this_month(now, zone)
    if token == "q":
        return last_three_months(now, zone)
    match = _CUSTOM_RE.match(token)
    if match is None:
        raise ValueError(f"unknown period {token!r}")
    first, last = (datetime.strptime(part, "%Y%m%d").date() for part in match.groups())
    return custom_period(first, last, zone)


class CohortKind(enum.StrEnum):
    EVERYONE = "all"
    CASELOAD = "lw"
    ACTIVITY = "a"
    CATEGORY = "c"
    AREA = "area"


@dataclass(frozen=True, slots=True)
class Cohort:
    """Which participants a report is about. ``value`` is an id, a category or an area."""

    kind: CohortKind
    value: str = ""

    @property
    def token(self) -> str:
        """The short form used in callback data and on the command line."""
        if self.kind is CohortKind.EVERYONE:
            return "all"
        # "=" rather than ":" because ":" separates the parts of callback data.
        separator = "=" if self.kind in (CohortKind.CATEGORY, CohortKind.AREA) else ""
        return f"{self.kind.value}{separator}{self.value}"

    @classmethod
    def parse(cls, token: str) -> Cohort:
        """Reads a cohort token: ``all``, ``lw<id>``, ``a<id>``, ``c=<category>``, ``area=<area>``.

        Raises:
            ValueError: the token is not of that shape.
        """
        if token == "all":
            return cls(CohortKind.EVERYONE)
        for kind in (CohortKind.CATEGORY, CohortKind.AREA):
            prefix = f"{kind.value}="
            if token.startswith(prefix) and token[len(prefix) :].strip():
                return cls(kind, token[len(prefix) :].strip().lower())
        for kind in (CohortKind.CASELOAD, CohortKind.ACTIVITY):
            rest = token[len(kind.value) :]
            if token.startswith(kind.value) and rest.isdigit():
                return cls(kind, str(int(rest)))
        raise ValueError(f"unknown cohort {token!r}")


async def authorise(
    session: AsyncSession, telegram_user_id: int, *, now: datetime, action: str
) -> Person:
    """Returns the staff member asking for a review, or refuses and audit-logs the refusal.

    Raises:
        ReportRefused: the person is not a link worker or coordinator.
    """
    person = (
        await session.execute(select(Person).where(Person.telegram_user_id == telegram_user_id))
    ).scalar_one_or_none()
    if person is None or not person.is_staff:
        await audit.record(
            session,
            actor_id=None if person is None else person.id,
            action="review.denied",
            now=now,
            detail={"asked": action},
        )
        raise ReportRefused("Reviews are for link workers and coordinators only.")
    return person


def narrow_for_viewer(viewer: Person, cohort: Cohort) -> Cohort:
    """The cohort this viewer may actually see: a link worker's is always their own caseload.

    A link worker naming another cohort (an activity, an area) sees the part of it in their own
    caseload; naming someone else's caseload is refused.

    Raises:
        ReportRefused: a link worker asked for another link worker's caseload.
    """
    if viewer.role is Role.COORDINATOR:
        return cohort
    if cohort.kind is CohortKind.CASELOAD and cohort.value != str(viewer.id):
        raise ReportRefused("You can review your own caseload only.")
    return cohort


def participants_query(viewer: Person, cohort: Cohort) -> Select[int]:
    """A query for the ids of the participants in ``cohort`` that ``viewer`` may see."""
    query = select(Person.id).where(Person.role == Role.PARTICIPANT)
    if viewer.role is not Role.COORDINATOR:
        query = query.where(Person.link_worker_id == viewer.id)
    if cohort.kind is CohortKind.CASELOAD:
        query = query.where(Person.link_worker_id == int(cohort.value))
    elif cohort.kind is CohortKind.AREA:
        area = cohort.value.upper().replace(" ", "")
        # "LA4" is a postcode district; "LA" (letters only) means every district in that area.
        if area.isalpha():
            home = func.upper(Person.home_area)
            query = query.where(
                home.like(f"{area}%"), func.substr(home, len(area) + 1, 1).in_(_DIGITS)
            )
        else:
            query = query.where(func.replace(func.upper(Person.home_area), " ", "") == area)
    return query


async def members(session: AsyncSession, viewer: Person, cohort: Cohort) -> Select[int]:
    """A query for the ids of the cohort's participants, as the viewer may see them.

    It is a query, not a list, so reports over ten thousand people filter in the database.

    Raises:
        ReportRefused: a link worker asked for another link worker's caseload.
    """
    query = participants_query(viewer, narrow_for_viewer(viewer, cohort))
    if cohort.kind in (CohortKind.ACTIVITY, CohortKind.CATEGORY):
        activities = await cohort_activity_ids(session, cohort)
        booked = select(Booking.person_id).where(Booking.activity_id.in_(activities))
        query = query.where(Person.id.in_(booked))
    return query


async def cohort_activity_ids(session: AsyncSession, cohort: Cohort) -> list[int]:
    """The activities an activity or category cohort is about (every activity otherwise)."""
    if cohort.kind is CohortKind.ACTIVITY:
        return [int(cohort.value)]
    rows = (await session.execute(select(ActivityRow.id, ActivityRow.categories))).all()
    if cohort.kind is not CohortKind.CATEGORY:
        return [row.id for row in rows]
    # Categories are a JSON list; matching in Python keeps one query for SQLite and PostgreSQL.
    return [row.id for row in rows if cohort.value in {c.lower() for c in row.categories or []}]


async def describe(session: AsyncSession, cohort: Cohort, viewer: Person | None = None) -> str:
    """The cohort in plain words for a report heading (codes and first names, never more).

    For a link worker any cohort other than their caseload is said to be narrowed to it, so a
    heading never claims "everyone" over figures about their own people only.
    """
    label = await _label(session, cohort)
    if (
        viewer is not None
        and viewer.role is Role.LINK_WORKER
        and cohort.kind is not CohortKind.CASELOAD
    ):
        return f"{label}, within your caseload"
    return label


async def _label(session: AsyncSession, cohort: Cohort) -> str:
    if cohort.kind is CohortKind.EVERYONE:
        return "everyone"
    if cohort.kind is CohortKind.CASELOAD:
        worker = await session.get(Person, int(cohort.value))
        if worker is None:
            return "an unknown link worker's caseload"
        name = worker.display_name.split()[0] if worker.display_name else worker.code
        return f"{name}'s caseload ({worker.code})"
    if cohort.kind is CohortKind.ACTIVITY:
        activity = await session.get(ActivityRow, int(cohort.value))
        return f"people booked on {activity.title}" if activity else "an unknown activity"
    if cohort.kind is CohortKind.CATEGORY:
        return f"people booked on {cohort.value} sessions"
    return f"people living in {cohort.value.upper()}"
