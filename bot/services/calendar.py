"""The "Add to calendar" file: one booked session as an iCalendar (.ics) event.

Times are written in UTC, which every calendar app converts to the phone's own zone, so a
session booked across the October clock change still lands at the right local time. The
event's UID is stable per booking, so adding the file twice updates one entry, not two.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from bot.db.models import OccurrenceStatus
from bot.services.booking_details import BookedSession

PRODUCT_ID = "-//Chorus//Social prescribing sessions//EN"
# Sessions without an end time are shown as lasting this long (as reminders assume).
DEFAULT_LENGTH = timedelta(hours=2)
_SLUG = re.compile(r"[^a-z0-9]+")


def cost_line(booked: BookedSession) -> str:
    """'Free', the organiser's cost wording, or a nudge to ask when none was given."""
    if booked.is_free:
        return "Free"
    return booked.cost or "Ask the organiser"


def event_description(booked: BookedSession) -> str:
    """The plain-text notes a calendar shows under the event."""
    lines = [f"Cost: {cost_line(booked)}"]
    if booked.organiser:
        lines.append(f"Run by: {booked.organiser}")
    if booked.contact:
        lines.append(f"Contact: {booked.contact}")
    if booked.url:
        lines.append(booked.url)
    if booked.note:
        lines.append(booked.note)
    lines.append("Booked through Chorus. Send /mysessions to the bot to change this.")
    return "\n".join(lines)


def ics_file(booked: BookedSession, *, now: datetime, domain: str = "chorus.invalid") -> bytes:
    """Builds the .ics bytes for one booking.

    Args:
        booked: the booking with its meeting and place.
        now: the stamp for DTSTAMP (aware).
        domain: the right-hand side of the event UID.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"booking-{booked.booking_id}@{domain}")
    event.add("dtstamp", now)
    event.add("dtstart", booked.starts_at)
    event.add("dtend", booked.ends_at or booked.starts_at + DEFAULT_LENGTH)
    event.add("summary", booked.title)
    if booked.location:
        event.add("location", booked.location)
    event.add("description", event_description(booked))
    cancelled = booked.occurrence_status is OccurrenceStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if booked.url:
        event.add("url", booked.url)
    calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


def ics_filename(booked: BookedSession, *, timezone_name: str = "Europe/London") -> str:
    """A readable file name such as ``sing-for-joy-morecambe-2026-11-24.ics`` (local date)."""
    day = booked.starts_at.astimezone(ZoneInfo(timezone_name)).date().isoformat()
    slug = _SLUG.sub("-", booked.title.lower()).strip("-")[:40].rstrip("-") or "session"
    return f"{slug}-{day}.ics"
