"""Everything Chorus says, in plain British English, in one place.

Messages are short enough for one phone screen. Anything a person typed is escaped with
`html.escape` before it is put into one of these (replies use HTML parse mode).
"""

from __future__ import annotations

WELCOME = (
    "Hello, I'm <b>Chorus</b>. I help you find local music and arts sessions – choirs, "
    "drumming, art classes, tea dances – and check in on how you're feeling.\n\n"
    "Type what you'd like, for example <i>singing near Morecambe on Tuesday</i>, or send /help."
)

WELCOME_BACK = "Welcome back. Type what you'd like to do, or send /help to see what I can do."

WELCOME_STAFF = "Hello. You're set up as <b>{role}</b> on Chorus. Send /help to see your commands."

HELP_PARTICIPANT = (
    "<b>What I can do</b>\n"
    "• Tell me what you enjoy and where, e.g. <i>choir near Lancaster</i>, and I'll suggest "
    "sessions.\n"
    "• /suggest – ideas based on what you enjoy\n"
    "• /checkin – a few quick questions about how you're feeling\n"
    "• /mysessions – sessions you said you'd go to\n"
    "• /settings – reminders and other choices\n"
    "• /mydata – a copy of what I keep about you; /forget – delete it\n\n"
    "I'm not an emergency service. If you're in danger, call 999."
)

HELP_STAFF_EXTRA = (
    "\n\n<b>Staff</b>\n"
    "• /refer – a referral link for someone\n"
    "• /caseload – the people you support\n"
    "• /sessions – cancel or move a session\n"
    "• /broadcast – send a message to a group\n"
    "• /review – check-in logs and outcomes"
)

ROLE_NAMES = {
    "participant": "a participant",
    "link_worker": "a link worker",
    "coordinator": "a coordinator",
}

UNKNOWN_COMMAND = "Sorry, I don't know that command. Send /help to see what I can do."

NOT_UNDERSTOOD = (
    "Thanks for your message. I can't use that here yet – try typing what you're looking "
    "for, for example <i>art class in Kendal</i>, or send /help."
)

NON_TEXT = {
    "sticker": (
        "Nice sticker! I can only read typed words, though. Send /help to see what I can do."
    ),
    "voice": (
        "I can't listen to voice messages, sorry. Could you type it instead? "
        "Send /help if you're not sure what to type."
    ),
    "photo": "Thanks for the picture. I can only read typed words, though. Send /help for ideas.",
    "other": "I can only read typed words, sorry. Send /help to see what I can do.",
}

TOO_LONG = (
    "That's a long message – thank you. I can only take up to {limit} characters at a time. "
    "Could you send a shorter version?"
)

BAD_START_PAYLOAD = (
    "That link doesn't look quite right, so I've started without it. If someone gave you "
    "the link, ask them for a new one."
)

SOMETHING_WENT_WRONG = (
    "Sorry, something went wrong on my side. Nothing you've told me has been lost – please "
    "try again in a moment."
)
