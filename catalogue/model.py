"""The catalogue's vocabulary: organisations, venues, activities, schedules and occurrences.

Everything here is plain, immutable data. Importers produce it, schedule expansion turns
schedules into occurrences, the search index reads it, and the bot's persistence layer maps it
to and from database rows. Nothing here knows about Telegram or the database.

Identifiers are the *source ids* of the directory the data came from (an Open Referral UK
``id`` column, or the ``id`` column of the spreadsheet format), so re-importing the same file
updates rows in place instead of duplicating them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, time

DEFAULT_TIMEZONE = "Europe/London"


class Status(enum.StrEnum):
    """Whether an activity is running. Only active activities are ever suggested."""

    ACTIVE = "active"
    INACTIVE = "inactive"
    DEFUNCT = "defunct"


class Frequency(enum.StrEnum):
    """The HSDS schedule frequencies Chorus understands (an iCalendar RRULE subset)."""

    DAILY = "DAILY"
    WEEKLY = "WEEKLY"
    MONTHLY = "MONTHLY"


@dataclass(frozen=True, slots=True)
class Organisation:
    """Who runs activities: a choir, a charity, an arts centre."""

    source_id: str
    name: str
    description: str = ""
    website: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class Venue:
    """Where activities happen (an HSDS location with its physical address).

    ``accessibility`` holds normalised tags such as ``"wheelchair"``, ``"step_free"``,
    ``"hearing_loop"``, ``"accessible_toilet"``, ``"parking"``.
    """

    source_id: str
    name: str
    address: str = ""
    town: str = ""
    postcode: str = ""
    latitude: float | None = None
    longitude: float | None = None
    accessibility: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Schedule:
    """A recurring pattern in the HSDS 3.0 subset of iCalendar RRULE.

    ``byday`` holds RRULE weekday tokens: ``"TU"`` (every Tuesday), ``"1TU"`` (first Tuesday of
    the month), ``"-1FR"`` (last Friday). ``bymonthday`` holds days of the month for monthly
    schedules by date. ``opens_at``/``closes_at`` are local wall-clock times in ``timezone``.
    ``valid_from``/``valid_to`` bound the dates (inclusive); ``dtstart`` anchors the interval
    of "every N weeks" (it defaults to ``valid_from``). ``until`` and ``count`` end the series
    as in RRULE.
    """

    freq: Frequency
    interval: int = 1
    byday: tuple[str, ...] = ()
    bymonthday: tuple[int, ...] = ()
    opens_at: time | None = None
    closes_at: time | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    dtstart: date | None = None
    until: date | None = None
    count: int | None = None
    timezone: str = DEFAULT_TIMEZONE
    description: str = ""
    source_id: str = ""


@dataclass(frozen=True, slots=True)
class Activity:
    """A recurring session series: "Morecambe Community Choir, Tuesdays 10:30".

    ``categories`` are lower-case category names ("singing", "choir", "pottery"); ``audience``
    holds normalised tags such as ``"dementia_friendly"``, ``"carers_welcome"``,
    ``"over_60s"``, ``"young_people"``, ``"families"``.
    """

    source_id: str
    title: str
    description: str = ""
    organisation_id: str | None = None
    venue_id: str | None = None
    categories: frozenset[str] = frozenset()
    audience: frozenset[str] = frozenset()
    cost: str = ""
    is_free: bool = False
    booking_required: bool = False
    contact: str = ""
    url: str | None = None
    status: Status = Status.ACTIVE
    schedules: tuple[Schedule, ...] = ()


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One dated meeting of an activity. Times are timezone-aware UTC."""

    activity_id: str
    starts_at: datetime
    ends_at: datetime | None = None


@dataclass(slots=True)
class Catalogue:
    """A whole directory: what one import produces and what the search index is built from."""

    organisations: dict[str, Organisation] = field(default_factory=dict)
    venues: dict[str, Venue] = field(default_factory=dict)
    activities: dict[str, Activity] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RowError:
    """One rejected row of an import, printed as ``file:line: field: problem``."""

    file: str
    line: int
    field: str
    problem: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.problem}"


@dataclass(slots=True)
class ImportResult:
    """What an importer read: the catalogue it built and every row it rejected.

    An import with any error must not be applied at all (imports are all or nothing); the
    caller decides, the importer only reports.
    """

    catalogue: Catalogue
    errors: list[RowError] = field(default_factory=list)
    rows_read: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors
