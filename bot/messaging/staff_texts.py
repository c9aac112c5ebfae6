"""What link workers and coordinators read: roles, referrals, caseload and session changes."""

from __future__ import annotations

import html
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.services.caseload import Entry, Event, Page
from bot.services.session_changes import Meeting

REFUSED = "Sorry, that is only for link workers and coordinators."
REFUSED_COORDINATOR = "Sorry, only coordinators can do that."
STALE = "That button no longer works. Please start again from the command."

# Roles
CHOOSE_ROLE = "Invite someone as…"
ROLE_LABELS = {"link_worker": "Link worker", "coordinator": "Coordinator"}
INVITE_MADE = "Send this one-time link to the new {role}. It works once, until {until}:\n{link}"
STAFF_LIST = "<b>Staff</b>\n{lines}\n\nTap a name to remove their role."
STAFF_LINE = "{code} {name}: {role}"
REMOVE = "Remove {code}"
ROLE_REMOVED = "{code} is no longer staff. Their staff commands are gone."

# Referrals
REFER_FOR = "Who is the referral link for?"
REFER_ONE = "One person"
REFER_CLINIC = "A clinic (reusable)"
REFERRAL_MADE = (
    "<b>Referral link</b> ({kind}, until {until})\n{link}\n\n"
    "Show or print the QR code. Whoever joins through it is added to your caseload."
)
KIND_ONE = "one person"
KIND_CLINIC = "reusable"
ADD_NOTE = "Add a reason for referral"
ASK_NOTE = "Type the reason for referral. Only staff see it."
NOTE_SAVED = "Saved the reason for referral."

# Caseload
CASELOAD_EMPTY = "Nobody is in your caseload yet. Use /refer to make a referral link."
CASELOAD_HEAD = "<b>Your caseload</b> ({total}, page {page} of {pages})"
PREVIOUS, NEXT = "‹ Previous", "Next ›"
MESSAGE = "Message"
ASK_MESSAGE = "Type your message to {code} {name}. I'll send it as it is."
MESSAGE_SENT = "Sent to {code}."
MESSAGE_TOO_LONG = "Please keep it under {limit} characters, so it fits on one phone screen."
MESSAGE_NOT_SENT = "I could not send it: {code} has blocked the bot or left."
NOT_IN_CASELOAD = "That person is not in your caseload."

# Session changes
SESSIONS_NONE = "No sessions in the next two weeks match that."
SESSIONS_HEAD = "Pick a session to change (next two weeks). Add words to search: /sessions choir"
CANCEL_SESSION, MOVE_SESSION, ADD_SESSION_NOTE = "Cancel it", "Move it", "Add a note"
CONFIRM_CANCEL = "Cancel {title} on {when}? The {booked} people booked will be told at once."
YES_CANCEL = "Yes, cancel it"
CANCELLED = "Cancelled. {booked} booked people are being told, and their reminders are off."
ASK_MOVE = "Type the new time ('19:30', 'Thursday 7pm', '27/11 18:00') or part of the venue's name."
MOVED = "Moved: {title} is now {when}{venue}. Everyone booked is being told."
ASK_SESSION_NOTE = "Type the note. Everyone booked will get it."
NOTE_SENT = "Noted. Sending it to {count} booked people."
NOTE_NOBODY = "Noted. Nobody is booked, so nobody was messaged."

# Catalogue upload
UPLOAD_REFUSED = "Import refused: {count} problem(s); nothing was changed."
UPLOAD_DONE = "Catalogue updated from {name}.\n{summary}"
UPLOAD_UNREADABLE = "I could not read that file: {problem}"
UPLOAD_TOO_BIG = "That file is too big for me (over 20 MB)."


def local(moment: datetime, zone: ZoneInfo) -> str:
    """'Tue 24 Nov 18:30' in the service's time zone."""
    return moment.astimezone(zone).strftime("%a %d %b %H:%M")


def entry_line(entry: Entry, zone: ZoneInfo) -> str:
    """One person in the caseload list: code, name, last check-in, trend, bookings, flags."""
    last = entry.last_check_in.astimezone(zone).strftime("%d %b") if entry.last_check_in else "none"
    parts = [
        f"<b>{entry.code}</b> {html.escape(entry.first_name)}",
        f"check-in {last}" + (f" ({entry.trend})" if entry.trend else ""),
        f"{entry.upcoming} booked",
        f"went {entry.attended}/{entry.past_bookings}",
    ]
    line = " · ".join(parts)
    if entry.flags:
        line += "\n  ⚠ " + ", ".join(entry.flags)
    return line


def caseload(page: Page, zone: ZoneInfo) -> str:
    """The caseload page as one message."""
    head = CASELOAD_HEAD.format(total=page.total, page=page.page + 1, pages=page.pages)
    return "\n\n".join([head, *(entry_line(e, zone) for e in page.entries)])


def timeline(code: str, name: str, events: list[Event], zone: ZoneInfo) -> str:
    """A person's latest check-ins and bookings."""
    lines = [f"<b>{code}</b> {html.escape(name)}"]
    lines += [f"{local(e.at, zone)}: {html.escape(e.text)}" for e in events] or ["Nothing yet."]
    return "\n".join(lines)


def meeting_label(meeting: Meeting, zone: ZoneInfo) -> str:
    """A session button: time, title and how many are booked."""
    status = "" if meeting.status.value == "scheduled" else f" ({meeting.status.value})"
    return f"{local(meeting.starts_at, zone)} {meeting.title[:30]} · {meeting.booked}{status}"


def meeting_text(meeting: Meeting, zone: ZoneInfo) -> str:
    """The change menu's heading for one session."""
    lines = [
        f"<b>{html.escape(meeting.title)}</b>",
        local(meeting.starts_at, zone)
        + (f", {html.escape(meeting.venue)}" if meeting.venue else ""),
        f"Booked: {meeting.booked}. Status: {meeting.status.value}.",
    ]
    if meeting.note:
        lines.append(f"Note: {html.escape(meeting.note)}")
    return "\n".join(lines)


def confirm_cancel(meeting: Meeting, zone: ZoneInfo) -> str:
    """'Cancel Sing for Joy on Tue 24 Nov 10:30? The 3 people booked will be told at once.'"""
    return CONFIRM_CANCEL.format(
        title=html.escape(meeting.title), when=local(meeting.starts_at, zone), booked=meeting.booked
    )


def moved(meeting: Meeting, zone: ZoneInfo) -> str:
    """Where and when a moved meeting now is."""
    venue = f", {html.escape(meeting.venue)}" if meeting.venue else ""
    when = local(meeting.starts_at, zone)
    return MOVED.format(title=html.escape(meeting.title), when=when, venue=venue)
