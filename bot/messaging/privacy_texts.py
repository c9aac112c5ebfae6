"""What people read when they ask for their data (/mydata) or ask Chorus to forget them.

Plain words, one phone screen each. The confirmation says exactly what will go, with counts,
so nobody deletes more (or less) than they expect.
"""

from __future__ import annotations

MYDATA_CAPTION = (
    "Here is everything I keep about you, in one file. Your phone or computer can open it "
    "as text.\n\nTo delete it all, send /forget."
)

# The first thing in the file: what each part holds, in plain words.
EXPORT_ABOUT = {
    "person": "What you told me about yourself, your choices, and when you agreed to the notice.",
    "link_worker": "The first name of the link worker who supports you, if you have one.",
    "check_in": "Each time you answered the wellbeing questions, with your scores and notes.",
    "answer": "Your answer to each question (empty where you skipped it).",
    "booking": "Sessions you said you'd go to, and whether you went.",
    "safeguarding_flag": "Times I let your link worker know you might need support.",
    "nudge": "Reminders and messages I planned to send you.",
    "audit_event": "Each time a member of staff looked at or exported your information.",
    "invite": "Links you made to invite people (staff only).",
    "delivery": "Messages from your link worker or the Chorus team, and whether they arrived.",
    "broadcast_received": "What those messages said.",
    "broadcast": "Messages you sent to groups of people (staff only).",
}

FORGET_CONFIRM = (
    "<b>Delete everything?</b>\n"
    "If you say yes, I will delete:\n"
    "• your name, area, what you enjoy and your settings\n"
    "• your agreement to the privacy notice\n"
    "• {check_ins} check-in(s) and your answers and notes\n"
    "• {bookings} session booking(s) and their reminders\n"
    "• {flags} note(s) your link worker was sent about how you were\n\n"
    "Your link worker will no longer see any of it. This can't be undone."
)
FORGET_YES = "Yes, delete everything"
FORGET_NO = "No, keep it"

FORGET_DONE = (
    "Done. I've deleted everything I kept about you.\n\n"
    "If you'd like to come back, send /start any time."
)
FORGET_KEPT = "OK, I've kept everything as it was. Nothing has been deleted."
FORGET_STALE = "That has already been done, so there's nothing more to do."
FORGET_STAFF = (
    "This is a staff account. What you do on Chorus is part of your organisation's records, "
    "so I can't delete it here. Ask your coordinator to remove your access."
)
