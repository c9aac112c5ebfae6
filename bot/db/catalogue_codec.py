"""Converting catalogue values (pure `catalogue.model`) to and from database columns."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, fields, is_dataclass
from datetime import date, time
from typing import Any

from bot.db.models.catalogue import ActivityStatus
from catalogue.model import Activity, Frequency, Organisation, Schedule, Status, Venue


def _plain(value: Any) -> Any:
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, (frozenset, set)):
        return sorted(_plain(v) for v in value)
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def fingerprint(value: object) -> str:
    """A stable hash of a catalogue value, so an unchanged re-import writes nothing."""
    assert is_dataclass(value) and not isinstance(value, type)
    text = json.dumps(_plain(asdict(value)), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def schedule_to_json(schedule: Schedule) -> dict[str, Any]:
    data: dict[str, Any] = _plain({f.name: getattr(schedule, f.name) for f in fields(schedule)})
    return data


def schedule_from_json(data: dict[str, Any]) -> Schedule:
    def day(key: str) -> date | None:
        return date.fromisoformat(data[key]) if data.get(key) else None

    def clock(key: str) -> time | None:
        return time.fromisoformat(data[key]) if data.get(key) else None

    return Schedule(
        freq=Frequency(data["freq"]),
        interval=int(data.get("interval") or 1),
        byday=tuple(data.get("byday") or ()),
        bymonthday=tuple(int(d) for d in data.get("bymonthday") or ()),
        opens_at=clock("opens_at"),
        closes_at=clock("closes_at"),
        valid_from=day("valid_from"),
        valid_to=day("valid_to"),
        dtstart=day("dtstart"),
        until=day("until"),
        count=data.get("count"),
        timezone=data.get("timezone") or "Europe/London",
        description=data.get("description") or "",
        source_id=data.get("source_id") or "",
    )


def organisation_columns(org: Organisation) -> dict[str, Any]:
    return {
        "name": org.name,
        "description": org.description,
        "website": org.website,
        "email": org.email,
        "phone": org.phone,
        "fingerprint": fingerprint(org),
    }


def venue_columns(venue: Venue) -> dict[str, Any]:
    return {
        "name": venue.name,
        "address": venue.address,
        "town": venue.town,
        "postcode": venue.postcode,
        "latitude": venue.latitude,
        "longitude": venue.longitude,
        "accessibility": sorted(venue.accessibility),
        "fingerprint": fingerprint(venue),
    }


def activity_columns(activity: Activity) -> dict[str, Any]:
    """Columns of an activity row, except the organisation and venue keys (the caller maps them)."""
    return {
        "title": activity.title,
        "description": activity.description,
        "categories": sorted(activity.categories),
        "audience": sorted(activity.audience),
        "cost": activity.cost,
        "is_free": activity.is_free,
        "booking_required": activity.booking_required,
        "contact": activity.contact,
        "url": activity.url,
        "status": ActivityStatus(activity.status.value),
        "schedules": [schedule_to_json(s) for s in activity.schedules],
        "fingerprint": fingerprint(activity),
    }


_ACTIVITY_COLUMNS = (
    "title",
    "description",
    "categories",
    "audience",
    "cost",
    "is_free",
    "booking_required",
    "contact",
    "url",
    "status",
    "schedules",
)


def activity_columns_of(row: Any) -> dict[str, Any]:
    """The catalogue columns of an activity row, as `activity_from_columns` reads them."""
    return {name: getattr(row, name) for name in _ACTIVITY_COLUMNS}


def activity_from_columns(
    source_id: str,
    columns: dict[str, Any],
    *,
    organisation_id: str | None,
    venue_id: str | None,
) -> Activity:
    return Activity(
        source_id=source_id,
        title=columns["title"],
        description=columns["description"] or "",
        organisation_id=organisation_id,
        venue_id=venue_id,
        categories=frozenset(columns["categories"] or ()),
        audience=frozenset(columns["audience"] or ()),
        cost=columns["cost"] or "",
        is_free=bool(columns["is_free"]),
        booking_required=bool(columns["booking_required"]),
        contact=columns["contact"] or "",
        url=columns["url"],
        status=Status(str(columns["status"])),
        schedules=tuple(schedule_from_json(s) for s in columns["schedules"] or ()),
    )
