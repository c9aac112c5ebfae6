"""The simple spreadsheet format: one CSV row per session series, for directories kept in Excel.

The columns are documented in ``docs/catalogue-spreadsheet.md`` and a template with two example
rows lives in ``catalogue/templates/``. Headers are matched without regard to case or spaces.
Every problem is reported as a ``RowError`` naming the physical line (the header is line 1), so
a link worker can open the file and fix exactly that cell.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, time
from pathlib import Path
from typing import TypeVar

from catalogue import cells
from catalogue.cells import CellError
from catalogue.model import (
    Activity,
    Catalogue,
    Frequency,
    ImportResult,
    Organisation,
    RowError,
    Schedule,
    Status,
    Venue,
)
from catalogue.vocabulary import ACCESS_PHRASES, AUDIENCE_PHRASES, slug

REQUIRED_COLUMNS = ("id", "title", "days", "start_time")
OPTIONAL_COLUMNS = (
    "organisation", "organisation_id", "description", "categories", "audience", "venue",
    "venue_id", "address", "town", "postcode", "latitude", "longitude", "accessibility",
    "frequency", "end_time", "starts_on", "ends_on", "cost", "free", "booking_required",
    "contact", "website", "status", "notes",
)  # fmt: skip
T = TypeVar("T")
# How often the progress callback hears about rows read, so a huge sheet shows movement.
PROGRESS_EVERY = 100


def _header_key(name: str) -> str:
    return "_".join(name.strip().lstrip("\ufeff").lower().replace("-", " ").split())


@dataclass
class _Sheet:
    """What has been read so far, with where each id was first seen."""

    file: str
    catalogue: Catalogue = field(default_factory=Catalogue)
    errors: list[RowError] = field(default_factory=list)
    id_lines: dict[str, int] = field(default_factory=dict)
    venue_lines: dict[str, int] = field(default_factory=dict)

    def error(self, line: int, column: str, problem: str) -> None:
        self.errors.append(RowError(self.file, line, column, problem))


def _records(text: str) -> Iterator[tuple[int, list[str] | csv.Error]]:
    """Yields (physical line where the record starts, cells or the quoting error)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, exc
            # The reader cannot resynchronise inside a broken quote; stop rather than guess.
            return
        yield start, row
        start = reader.line_num + 1


def read_spreadsheet(path: Path, progress: Callable[[int], None] | None = None) -> ImportResult:
    """Reads a spreadsheet CSV into a catalogue, reporting every row it rejects.

    Args:
        path: the CSV file, UTF-8 with or without a byte-order mark.
        progress: called with the number of rows read so far, every ``PROGRESS_EVERY`` rows
            and once at the end.

    Returns:
        The catalogue of accepted rows, the errors, and how many data rows were read.
    """
    sheet = _Sheet(file=path.name)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        sheet.error(1, "file", f"not UTF-8 text (byte {exc.start}); save it as CSV UTF-8")
        return ImportResult(sheet.catalogue, sheet.errors, 0)
    records = _records(text)
    first = next(records, None)
    if first is None or isinstance(first[1], csv.Error):
        sheet.error(1, "header", "the file has no readable header row")
        return ImportResult(sheet.catalogue, sheet.errors, 0)
    header = [_header_key(name) for name in first[1]]
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
    for name in header:
        if name and name not in known:
            sheet.error(1, name, "unknown column; see docs/catalogue-spreadsheet.md")
    for name in REQUIRED_COLUMNS:
        if name not in header:
            sheet.error(1, name, "required column is missing")
    if len(set(header) - {""}) != len([h for h in header if h]):
        sheet.error(1, "header", "a column name appears twice")
    if sheet.errors:
        return ImportResult(sheet.catalogue, sheet.errors, 0)
    rows_read = 0
    for line, record in records:
        if isinstance(record, csv.Error):
            sheet.error(line, "row", f"bad quoting ({record}); check for a stray quote mark")
            continue
        if not any(cell.strip() for cell in record):
            continue
        rows_read += 1
        if len(record) > len(header) and any(c.strip() for c in record[len(header) :]):
            sheet.error(line, "row", f"{len(record)} cells but the header has {len(header)}")
        else:
            row = {name: (record[i] if i < len(record) else "") for i, name in enumerate(header)}
            _read_row(sheet, line, row)
        if progress and rows_read % PROGRESS_EVERY == 0:
            progress(rows_read)
    if progress:
        progress(rows_read)
    return ImportResult(sheet.catalogue, sheet.errors, rows_read)


class _Cells:
    """Parses a row's cells, recording each failure against the cell's column."""

    def __init__(self, sheet: _Sheet, line: int, row: dict[str, str]) -> None:
        self.sheet, self.line, self.row = sheet, line, row
        self.failed = False

    def text(self, name: str) -> str:
        return " ".join(self.row.get(name, "").split())

    def parse(self, name: str, parse: Callable[[str], T]) -> T | None:
        try:
            return parse(self.text(name))
        except CellError as exc:
            self.sheet.error(self.line, name, str(exc))
            self.failed = True
            return None

    def fail(self, name: str, problem: str) -> None:
        self.sheet.error(self.line, name, problem)
        self.failed = True


def _optional_time(text: str) -> time | None:
    return cells.parse_time(text) if text else None


def _read_row(sheet: _Sheet, line: int, row: dict[str, str]) -> None:
    """Turns one row into an activity (plus its organisation and venue) or records errors."""
    c = _Cells(sheet, line, row)
    source_id = c.text("id")
    if not source_id:
        c.fail("id", "every row needs an id")
    elif source_id in sheet.id_lines:
        c.fail("id", f"duplicate id {source_id!r} (first on line {sheet.id_lines[source_id]})")
    if not c.text("title"):
        c.fail("title", "every row needs a title")
    days = c.parse("days", cells.parse_days)
    start = c.parse("start_time", cells.parse_time)
    end = c.parse("end_time", _optional_time)
    frequency = c.parse("frequency", cells.parse_frequency)
    starts_on = c.parse("starts_on", cells.parse_date)
    ends_on = c.parse("ends_on", cells.parse_date)
    free = c.parse("free", cells.parse_bool)
    booking = c.parse("booking_required", cells.parse_bool)
    postcode = c.parse("postcode", cells.parse_postcode)
    lat = c.parse("latitude", lambda v: cells.parse_coordinate(v, low=-90.0, high=90.0))
    lon = c.parse("longitude", lambda v: cells.parse_coordinate(v, low=-180.0, high=180.0))
    status = c.parse("status", cells.parse_status)
    if (lat is None) != (lon is None) and not c.failed:
        c.fail("longitude", "give both latitude and longitude, or neither")
    if c.failed or days is None or start is None:
        return
    schedule = _schedule(c, days, frequency, start, end, starts_on, ends_on)
    if schedule is None:
        return
    venue_id = _venue(c, postcode or "", lat, lon)
    if c.failed:
        return
    sheet.id_lines[source_id] = line
    sheet.catalogue.activities[source_id] = Activity(
        source_id=source_id,
        title=c.text("title"),
        description=row.get("description", "").strip(),
        organisation_id=_organisation(c),
        venue_id=venue_id,
        categories=frozenset(
            " ".join(part.lower().split())
            for part in c.text("categories").split(";")
            if part.strip()
        ),
        audience=cells.parse_tags(c.text("audience"), AUDIENCE_PHRASES),
        cost=c.text("cost"),
        is_free=bool(free) or c.text("cost").lower() in ("free", "£0", "0"),
        booking_required=bool(booking),
        contact=c.text("contact"),
        url=c.text("website") or None,
        status=status or Status.ACTIVE,
        schedules=(schedule,),
    )


def _schedule(
    c: _Cells,
    days: tuple[str, ...],
    frequency: tuple[Frequency, int] | None,
    start: time,
    end: time | None,
    starts_on: date | None,
    ends_on: date | None,
) -> Schedule | None:
    """Builds the schedule, insisting on what the dates cannot be guessed without."""
    ordinals = [token[0] in "-1234" for token in days]
    freq, interval = frequency or (Frequency.MONTHLY if any(ordinals) else Frequency.WEEKLY, 1)
    if freq is Frequency.MONTHLY and not all(ordinals):
        c.fail("days", "monthly sessions need which week, e.g. 1st Tuesday")
    elif freq is Frequency.WEEKLY and any(ordinals):
        c.fail("frequency", "days like 1st Tuesday need frequency monthly")
    elif interval > 1 and starts_on is None:
        c.fail("starts_on", "sessions every few weeks need the date of one meeting")
    elif end is not None and end <= start and end != time(0, 0):
        c.fail("end_time", "ends before it starts (write midnight as 00:00)")
    elif starts_on and ends_on and ends_on < starts_on:
        c.fail("ends_on", "is before starts_on")
    else:
        return Schedule(
            freq=freq,
            interval=interval,
            byday=days,
            opens_at=start,
            closes_at=end,
            valid_from=starts_on,
            valid_to=ends_on,
            dtstart=starts_on,
        )
    return None


def _venue(c: _Cells, postcode: str, lat: float | None, lon: float | None) -> str | None:
    """Adds or completes the row's venue and returns its id (None when the row has no venue)."""
    name = c.text("venue")
    venue_id = c.text("venue_id") or (slug(f"{name} {c.text('town')}") if name else "")
    if not venue_id:
        return None
    new = Venue(
        source_id=venue_id,
        name=name or venue_id,
        address=c.text("address"),
        town=c.text("town"),
        postcode=postcode,
        latitude=lat,
        longitude=lon,
        accessibility=cells.parse_tags(c.text("accessibility"), ACCESS_PHRASES),
    )
    sheet = c.sheet
    old = sheet.catalogue.venues.get(venue_id)
    if old is None:
        sheet.catalogue.venues[venue_id] = new
        sheet.venue_lines[venue_id] = c.line
        return venue_id
    # Later rows may leave venue details blank; what they do give must agree with earlier rows.
    merged = old
    for attr in ("address", "town", "postcode", "latitude", "longitude", "accessibility"):
        mine, theirs = getattr(new, attr), getattr(old, attr)
        if mine in ("", None, frozenset()):
            continue
        if theirs in ("", None, frozenset()):
            merged = replace(merged, **{attr: mine})
        elif mine != theirs:
            first = sheet.venue_lines[venue_id]
            c.fail(attr, f"venue {venue_id!r} has a different {attr} on line {first}")
            return None
    sheet.catalogue.venues[venue_id] = merged
    return venue_id


def _organisation(c: _Cells) -> str | None:
    """Adds the row's organisation if new; its id is given or derived from its name."""
    name = c.text("organisation")
    organisation_id = c.text("organisation_id") or slug(name)
    if not organisation_id:
        return None
    organisations = c.sheet.catalogue.organisations
    if organisation_id not in organisations:
        organisations[organisation_id] = Organisation(organisation_id, name or organisation_id)
    return organisation_id
