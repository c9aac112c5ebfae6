"""What nudges say: reminders, "how did it go?", session changes, follow-ups and digests.

Plain British English, one phone screen each. Titles, venues and notes come from the
catalogue or from staff, so they are escaped before they go into these HTML templates.
"""

from __future__ import annotations

REMINDER = "⏰ <b>{title}</b> is {when}{venue}.\n\nAre you still going?"
STILL_GOING = "Still going"
CANT_MAKE_IT = "Can't make it"

AFTER_SESSION = "How was <b>{title}</b>? Did you manage to go?"
WENT = "Yes, I went"
DID_NOT_GO = "No, I didn't"

CANCELLED = (
    "Sorry, <b>{title}</b> {when} has been cancelled.{note}\n\n"
    "I won't remind you about it. Tell me what you'd like instead whenever you're ready."
)
MOVED = "<b>{title}</b> has moved: it's now {when}{venue}.{note}\n\nI'll remind you before then."
NOTE = "\n<i>{note}</i>"

CHECK_IN_DUE = (
    "It's been a few weeks since we started. Would you answer a few quick questions about "
    "how you're feeling? It takes about two minutes, and you can skip any question."
)
START_CHECK_IN = "Start the check-in"

DIGEST_TITLE = "<b>Your daily digest</b>"
DIGEST_REFERRALS = "New referrals: {codes}"
DIGEST_FLAGS = "⚠️ New safeguarding flags: {codes}"
DIGEST_OPEN_FLAGS = "Safeguarding flags still open: {count}"
DIGEST_NO_SHOWS = "Missed sessions: {items}"
DIGEST_FOOTER = "Send /caseload to see the people you support."

# Answers to the buttons.
ANSWER_STILL_GOING = "Lovely. Enjoy <b>{title}</b>!"
ANSWER_CANCELLED = (
    "No problem, I've cancelled your place at <b>{title}</b> and won't remind you about it."
)
ANSWER_ALREADY_CANCELLED = "You've already cancelled this one, so there's nothing more to do."
ANSWER_TOO_LATE = "That session has already started, so I've left your booking as it is."
ANSWER_ATTENDED = "Thanks for letting me know. I'm glad you went."
ANSWER_MISSED = "Thanks for telling me. There's no pressure: maybe next time."
ANSWER_ALREADY_ANSWERED = "You've already told me about this session. Thank you."
ANSWER_STALE = "That button is out of date, so I've done nothing."
ANSWER_CHECK_IN = "Send /checkin and we'll start."

TODAY = "today at {time}"
TOMORROW = "tomorrow at {time}"
ON_DAY = "on {day} at {time}"
AT_VENUE = " at {venue}"
