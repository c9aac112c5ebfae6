"""What Chorus says about bookings: confirmations, /mysessions, cancelling and refusals.

Plain British English, one phone screen each. Catalogue text (titles, venues, costs) comes
from imported spreadsheets, so it is escaped like anything a person typed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from html import escape
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

from bot.db.models import OccurrenceStatus
from bot.services.booking_details import BookedSession
from bot.services.bookings import Refusal
from bot.services.calendar import cost_line

CONSENT_FIRST = "Please read the privacy notice first: send /start"

CONFIRMED = (
    "Lovely – you're booked for <b>{title}</b>.\n\n{details}\n\n"
    "I'll send you a reminder beforehand. Tap the file above to add it to your phone's "
    "calendar."
)
EVERY_WEEK_OFFER = "\n\nWould you like to go every time? Tap <b>Every week</b>."
ALREADY_BOOKED = "You're already booked for <b>{title}</b> on {when}. Send /mysessions to see it."
CALENDAR_CAPTION = "Add to calendar"

EVERY_WEEK_DONE = (
    "Done – you're booked for every <b>{title}</b> I know about: {count} dates, starting "
    "{when}. I'll add new dates when they're announced. Send /mysessions to see them."
)

MY_SESSIONS_HEADER = "<b>Your sessions</b> – tap a button under one to change it."
MY_SESSIONS_MORE = "…and more later on. I'll show those nearer the time."
NO_SESSIONS = (
    "You haven't booked anything yet. Tell me what you'd like, for example "
    "<i>singing near Morecambe</i>, and tap <b>I'll go</b> on one you like."
)
ORGANISER_CANCELLED = "⚠️ The organiser has cancelled this date."

CANCELLED = (
    "That's fine – I've cancelled <b>{title}</b> on {when}. Thanks for letting me know. "
    "Send /mysessions to see what's left, or tell me what you'd like to find."
)

REFUSALS = {
    Refusal.NOT_FOUND: "Sorry, I can't find that session any more. Send /mysessions to see yours.",
    Refusal.NOT_YOURS: "Sorry, I can't find that session any more. Send /mysessions to see yours.",
    Refusal.ALREADY_CANCELLED: "That one's already cancelled – there's nothing more to do.",
    Refusal.STARTED: "That session has already started, so there's nothing to change now.",
    Refusal.NOTHING_UPCOMING: (
        "Sorry, there are no more dates for that session just now. Tell me what you'd like "
        "and I'll look for something else."
    ),
}
BUTTON_NOT_UNDERSTOOD = "Sorry, that button no longer works. Send /mysessions to see your sessions."

LABEL_EVERY_WEEK = "Every week"
LABEL_CANT_MAKE_IT = "Can't make it"
LABEL_ADD_TO_CALENDAR = "Add to calendar"

_MAP_SEARCH = "https://www.openstreetmap.org/search?query={query}"


def when(starts_at: datetime, *, zone: ZoneInfo, now: datetime) -> str:
    """'today at 10:30', 'tomorrow at 14:00' or 'Tuesday 1 December at 10:30', in `zone`."""
    local, today = starts_at.astimezone(zone), now.astimezone(zone).date()
    clock = f"{local:%H:%M}"
    if local.date() == today:
        return f"today at {clock}"
    if local.date() == today + timedelta(days=1):
        return f"tomorrow at {clock}"
    return f"{local:%A} {local.day} {local:%B} at {clock}"


def _directions(booked: BookedSession) -> str:
    where = ", ".join(p for p in (booked.address, booked.town, booked.postcode) if p)
    if not where:
        return "🚌 Ask the organiser how to get there."
    link = _MAP_SEARCH.format(
        query=quote_plus(f"{booked.postcode or booked.address} {booked.town}")
    )
    return f'🚌 How to get there: {escape(where)} (<a href="{escape(link)}">map</a>)'


def details(booked: BookedSession, *, zone: ZoneInfo, now: datetime) -> str:
    """When, where, cost and how to get there, one line each."""
    lines = [f"🗓 {when(booked.starts_at, zone=zone, now=now).capitalize()}"]
    if booked.venue:
        lines.append(f"📍 {escape(booked.venue)}")
    lines.append(f"💷 {escape(cost_line(booked))}")
    lines.append(_directions(booked))
    if booked.note:
        lines.append(f"ℹ️ {escape(booked.note)}")
    return "\n".join(lines)


def confirmed(booked: BookedSession, *, zone: ZoneInfo, now: datetime, series: bool) -> str:
    """The "you're booked" message, offering every week when the session repeats."""
    text = CONFIRMED.format(title=escape(booked.title), details=details(booked, zone=zone, now=now))
    return text + (EVERY_WEEK_OFFER if series and not booked.standing else "")


def already_booked(booked: BookedSession, *, zone: ZoneInfo, now: datetime) -> str:
    """Said when "I'll go" is pressed again for a session already booked."""
    return ALREADY_BOOKED.format(
        title=escape(booked.title), when=when(booked.starts_at, zone=zone, now=now)
    )


def every_week(title: str, first: datetime, count: int, *, zone: ZoneInfo, now: datetime) -> str:
    """Confirms a standing booking."""
    return EVERY_WEEK_DONE.format(
        title=escape(title), count=count, when=when(first, zone=zone, now=now)
    )


def my_session(booked: BookedSession, *, zone: ZoneInfo, now: datetime) -> str:
    """One upcoming booking in /mysessions."""
    text = f"<b>{escape(booked.title)}</b>\n{details(booked, zone=zone, now=now)}"
    if booked.occurrence_status is OccurrenceStatus.CANCELLED:
        text += f"\n{ORGANISER_CANCELLED}"
    return text


def cancelled(booked: BookedSession, *, zone: ZoneInfo, now: datetime) -> str:
    """The kind reply to "Can't make it"."""
    return CANCELLED.format(
        title=escape(booked.title), when=when(booked.starts_at, zone=zone, now=now)
    )
