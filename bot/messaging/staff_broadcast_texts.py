"""What staff read while writing and sending a broadcast."""

from __future__ import annotations

import html

from bot.db.models import AudienceKind

CHOOSE_AUDIENCE = "Who should get this message?"
AUDIENCE_LABELS = {
    AudienceKind.OCCURRENCE: "People booked on a session",
    AudienceKind.SERIES: "People booked on a series",
    AudienceKind.CASELOAD: "My caseload",
    AudienceKind.AREA: "People in an area",
    AudienceKind.EVERYONE: "Everyone",
}
CHOOSE_SESSION = "Which session?"
CHOOSE_SERIES = "Which series?"
NO_SESSIONS = "Nobody is booked on any session in the next two weeks."
ASK_AREA = "Type the area, as people gave it (for example LA4 or Morecambe)."
ASK_TEXT = "Type your message. People will see it exactly as you write it."
SEND = "Send"
CANCEL = "Cancel"
CANCELLED = "Cancelled. Nothing was sent."
PREVIEW = "<b>Preview</b>\n\n{text}\n\n{count}"
PROGRESS = "Sending… {done:,} of {total:,}"
FINISHED = "Finished: {done:,} of {total:,}. The report follows."
REPORT = (
    "<b>Message sent</b>\n"
    "Delivered: {sent:,}\n"
    "Not reachable (blocked the bot): {unreachable:,}\n"
    "Could not be sent: {failed:,}"
)
STARTED = "Sending to {total:,} people. I'll keep this message up to date."


def recipients(count: int) -> str:
    """'It will go to 12 people.', said plainly for zero and one too."""
    if count == 0:
        return "Nobody would get it at the moment, so it cannot be sent."
    if count == 1:
        return "It will go to 1 person."
    return f"It will go to {count:,} people."


def preview(text: str, count: int) -> str:
    """The preview of a typed broadcast, escaped, with the exact number of recipients."""
    return PREVIEW.format(text=html.escape(text), count=recipients(count))
