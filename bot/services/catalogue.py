"""The catalogue in the database: applying imports, materialising occurrences, reading it back.

Imports are all or nothing: `apply_import` runs inside the caller's transaction, so an error
anywhere rolls every row back. Rows are matched by source id, so re-importing a file updates in
place and an unchanged row (same fingerprint) is not written at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import catalogue_codec as codec
from bot.db.models import (
    ActivityRow,
    ActivityStatus,
    Booking,
    BookingStatus,
    OccurrenceRow,
    OccurrenceStatus,
    OrganisationRow,
    PlaceRow,
    VenueRow,
)
from bot.services.nudge_changes import skip_for_occurrence
from catalogue.geo import Place
from catalogue.model import Catalogue, Occurrence, Organisation, Venue
from catalogue.schedule import expand_activity

DEFAULT_WINDOW = timedelta(weeks=8)
_CHUNK = 500  # keeps IN (...) lists well under every database's parameter limit

RowT = TypeVar("RowT", OrganisationRow, VenueRow, ActivityRow)


@dataclass(slots=True)
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(slots=True)
class ImportSummary:
    """What an import changed, per kind of row."""

    organisations: Counts = field(default_factory=Counts)
    venues: Counts = field(default_factory=Counts)
    activities: Counts = field(default_factory=Counts)
    occurrences_added: int = 0
    occurrences_removed: int = 0

    def lines(self) -> list[str]:
        out = []
        for name in ("organisations", "venues", "activities"):
            c: Counts = getattr(self, name)
            out.append(
                f"{name.capitalize()}: {c.created} created, {c.updated} updated, "
                f"{c.unchanged} unchanged"
            )
        out.append(
            f"Occurrences: {self.occurrences_added} added, {self.occurrences_removed} removed"
        )
        return out


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


async def _existing(
    session: AsyncSession, model: type[RowT], ids: Sequence[str]
) -> dict[str, RowT]:
    found: dict[str, RowT] = {}
    for chunk in _chunks(ids):
        rows = await session.execute(select(model).where(model.source_id.in_(chunk)))
        found.update({row.source_id: row for row in rows.scalars()})
    return found


async def _upsert(
    session: AsyncSession,
    model: type[RowT],
    items: dict[str, dict[str, Any]],
    counts: Counts,
) -> dict[str, RowT]:
    existing = await _existing(session, model, list(items))
    for source_id, columns in items.items():
        row = existing.get(source_id)
        if row is None:
            row = model(source_id=source_id, **columns)
            session.add(row)
            existing[source_id] = row
            counts.created += 1
        elif row.fingerprint != columns["fingerprint"]:
            for key, value in columns.items():
                setattr(row, key, value)
            counts.updated += 1
        else:
            counts.unchanged += 1
    await session.flush()
    return existing


async def _ids_by_source(
    session: AsyncSession, model: type[OrganisationRow] | type[VenueRow], wanted: set[str]
) -> dict[str, int]:
    ids: dict[str, int] = {}
    for chunk in _chunks(sorted(wanted)):
        rows = await session.execute(
            select(model.source_id, model.id).where(model.source_id.in_(chunk))
        )
        ids.update({source_id: row_id for source_id, row_id in rows.all()})
    return ids


async def apply_import(
    session: AsyncSession,
    catalogue: Catalogue,
    *,
    now: datetime,
    window: timedelta = DEFAULT_WINDOW,
) -> ImportSummary:
    """Writes an imported catalogue (in the caller's transaction) and refreshes occurrences.

    Rows missing from the import are left as they are: a file may cover part of a directory.
    To withdraw an activity, import it with status inactive or defunct.
    """
    summary = ImportSummary()
    await _upsert(
        session,
        OrganisationRow,
        {k: codec.organisation_columns(v) for k, v in catalogue.organisations.items()},
        summary.organisations,
    )
    await _upsert(
        session,
        VenueRow,
        {k: codec.venue_columns(v) for k, v in catalogue.venues.items()},
        summary.venues,
    )
    activities = catalogue.activities.values()
    org_ids = await _ids_by_source(
        session, OrganisationRow, {a.organisation_id for a in activities if a.organisation_id}
    )
    venue_ids = await _ids_by_source(
        session, VenueRow, {a.venue_id for a in activities if a.venue_id}
    )
    columns: dict[str, dict[str, Any]] = {}
    for activity in activities:
        row = codec.activity_columns(activity)
        row["organisation_id"] = org_ids.get(activity.organisation_id or "")
        row["venue_id"] = venue_ids.get(activity.venue_id or "")
        columns[activity.source_id] = row
    rows = await _upsert(session, ActivityRow, columns, summary.activities)
    touched = [rows[source_id] for source_id in catalogue.activities]
    added, removed = await refresh_occurrences(session, now=now, window=window, activities=touched)
    summary.occurrences_added, summary.occurrences_removed = added, removed
    return summary


async def refresh_occurrences(
    session: AsyncSession,
    *,
    now: datetime,
    window: timedelta = DEFAULT_WINDOW,
    activities: Sequence[ActivityRow] | None = None,
) -> tuple[int, int]:
    """Materialises each activity's meetings from now to `now + window`.

    New meetings are added; future meetings the schedule no longer produces are removed unless
    someone changed them by hand (cancelled or moved), and inactive activities lose all their
    future meetings. A removed meeting someone booked is cancelled instead of deleted, so they
    are told and their reminders are skipped. Returns (added, removed).
    """
    if activities is None:
        activities = list((await session.execute(select(ActivityRow))).scalars())
    added = removed = 0
    end = now + window
    for row in activities:
        wanted: dict[datetime, datetime | None] = {}
        if row.status is ActivityStatus.ACTIVE:
            model = codec.activity_from_columns(
                row.source_id, codec.activity_columns_of(row), organisation_id=None, venue_id=None
            )
            wanted = {o.starts_at: o.ends_at for o in expand_activity(model, now, end)}
        existing = await session.execute(
            select(OccurrenceRow).where(
                OccurrenceRow.activity_id == row.id, OccurrenceRow.scheduled_at >= now
            )
        )
        have = {occ.scheduled_at: occ for occ in existing.scalars()}
        for starts_at, ends_at in wanted.items():
            if starts_at not in have:
                session.add(
                    OccurrenceRow(
                        activity_id=row.id,
                        scheduled_at=starts_at,
                        starts_at=starts_at,
                        ends_at=ends_at,
                        status=OccurrenceStatus.SCHEDULED,
                    )
                )
                added += 1
        stale = [
            occ
            for at, occ in have.items()
            if at not in wanted and occ.status is OccurrenceStatus.SCHEDULED
        ]
        booked = await _booked(session, [occ.id for occ in stale])
        for occ in stale:
            if occ.id in booked:
                # People are coming: cancel it properly so they are told and not reminded.
                occ.status = OccurrenceStatus.CANCELLED
                occ.note = "No longer in the organiser's timetable."
                await skip_for_occurrence(session, occ.id, reason="schedule_changed", now=now)
        unbooked = [occ.id for occ in stale if occ.id not in booked]
        if unbooked:
            await session.execute(delete(OccurrenceRow).where(OccurrenceRow.id.in_(unbooked)))
        removed += len(stale)
    await session.flush()
    return added, removed


async def _booked(session: AsyncSession, occurrence_ids: Sequence[int]) -> set[int]:
    if not occurrence_ids:
        return set()
    rows = await session.execute(
        select(Booking.occurrence_id).where(
            Booking.occurrence_id.in_(occurrence_ids), Booking.status == BookingStatus.BOOKED
        )
    )
    return set(rows.scalars())


async def load_catalogue(session: AsyncSession) -> Catalogue:
    """The whole catalogue as pure values, for building the search index."""
    catalogue = Catalogue()
    org_source: dict[int, str] = {}
    for org in (await session.execute(select(OrganisationRow))).scalars():
        org_source[org.id] = org.source_id
        catalogue.organisations[org.source_id] = Organisation(
            source_id=org.source_id,
            name=org.name,
            description=org.description,
            website=org.website,
            email=org.email,
            phone=org.phone,
        )
    venue_source: dict[int, str] = {}
    for venue in (await session.execute(select(VenueRow))).scalars():
        venue_source[venue.id] = venue.source_id
        catalogue.venues[venue.source_id] = Venue(
            source_id=venue.source_id,
            name=venue.name,
            address=venue.address,
            town=venue.town,
            postcode=venue.postcode,
            latitude=venue.latitude,
            longitude=venue.longitude,
            accessibility=frozenset(venue.accessibility),
        )
    for row in (await session.execute(select(ActivityRow))).scalars():
        catalogue.activities[row.source_id] = codec.activity_from_columns(
            row.source_id,
            codec.activity_columns_of(row),
            organisation_id=org_source.get(row.organisation_id or -1),
            venue_id=venue_source.get(row.venue_id or -1),
        )
    return catalogue


async def upcoming_occurrences(
    session: AsyncSession, *, now: datetime, window: timedelta = DEFAULT_WINDOW
) -> dict[str, list[Occurrence]]:
    """Meetings still going ahead (not cancelled) from now on, by activity source id."""
    query = (
        select(ActivityRow.source_id, OccurrenceRow.starts_at, OccurrenceRow.ends_at)
        .join(ActivityRow, ActivityRow.id == OccurrenceRow.activity_id)
        .where(
            OccurrenceRow.starts_at >= now,
            OccurrenceRow.starts_at < now + window,
            OccurrenceRow.status != OccurrenceStatus.CANCELLED,
        )
        .order_by(OccurrenceRow.starts_at)
    )
    found: dict[str, list[Occurrence]] = {}
    for source_id, starts_at, ends_at in (await session.execute(query)).all():
        found.setdefault(source_id, []).append(Occurrence(source_id, starts_at, ends_at))
    return found


def _place_key(place: Place) -> str:
    return f"{place.kind}:{place.name.upper()}"


async def save_places(session: AsyncSession, places: Sequence[Place], *, source: str) -> int:
    """Adds or updates known places (postcode district centroids); returns how many."""
    keys = [_place_key(p) for p in places]
    existing: dict[str, PlaceRow] = {}
    for chunk in _chunks(keys):
        rows = await session.execute(select(PlaceRow).where(PlaceRow.key.in_(chunk)))
        existing.update({row.key: row for row in rows.scalars()})
    for key, place in zip(keys, places, strict=True):
        row = existing.get(key)
        if row is None:
            row = PlaceRow(key=key, kind=place.kind, source=source)
            session.add(row)
            existing[key] = row
        row.name, row.latitude, row.longitude = place.name, place.latitude, place.longitude
    await session.flush()
    return len(places)


async def load_places(session: AsyncSession) -> list[Place]:
    """Every place imported with `chorus catalogue import-postcodes`."""
    rows = (await session.execute(select(PlaceRow))).scalars()
    return [Place(r.name, r.kind, r.latitude, r.longitude) for r in rows]


async def version(session: AsyncSession) -> str:
    """A token that changes whenever the catalogue does, so other processes know to rebuild."""
    parts = []
    for model in (ActivityRow, VenueRow, OrganisationRow, OccurrenceRow, PlaceRow):
        count, latest = (
            await session.execute(
                select(func.count(), func.max(model.updated_at))
                if hasattr(model, "updated_at")
                else select(func.count(), func.max(model.id))
            )
        ).one()
        parts.append(f"{count}:{latest}")
    return "|".join(parts)
