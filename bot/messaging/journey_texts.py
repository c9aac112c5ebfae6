"""What participants read while joining, checking in, and when Chorus is worried about them.

Short, warm, plain British English; one question per message; every message fits one phone
screen. Anything a person typed is escaped before it goes into these.
"""

from __future__ import annotations

PRIVACY_NOTICE = (
    "<b>Before we start</b>\n"
    "To suggest sessions and check in on how you're doing, I'll keep:\n"
    "• what you tell me (your name, area and what you enjoy)\n"
    "• your answers to short wellbeing questions\n"
    "• the sessions you say you'll go to\n\n"
    "Your link worker can see this, to support you. Reports for funders never show your "
    "name. I keep it while you use Chorus and delete it two years after you stop.\n\n"
    "Send /mydata any time for a copy, or /forget to delete it all.\n\n"
    "Is that OK with you?"
)
REFERRED_BY = "{name} from your social prescribing team sent you this link.\n\n"
REFERRAL_EXPIRED = (
    "That link has expired. That's fine – you can still join below, or ask your link worker "
    "for a new link."
)
REFERRAL_USED_UP = (
    "That link has already been used. You can still join below, or ask your link worker "
    "for a new one."
)
REFERRAL_UNKNOWN = "I don't recognise that link, so I've started without it."
SELF_REFERRAL_CLOSED = (
    "Hello. To join Chorus you need a link from a link worker. Ask your GP surgery or "
    "social prescribing team for one, then tap the link they give you."
)
AGREE = "I agree"
DECLINE = "No thanks"
DECLINED = (
    "That's fine. I haven't kept anything about you. If you change your mind, just send /start."
)
NOTICE_OUTDATED = "That notice has been updated. Here is the new one:"
CONSENT_FIRST = "Before we start, please read this and tell me if it's OK:"
ALREADY_AGREED = "You've already agreed – thank you. Send /help to see what I can do."

ASK_NAME = "Thank you! What would you like me to call you? Type a name, or skip this."
NAME_NOT_UNDERSTOOD = "Could you type the name you'd like me to use? Or press Skip."
ASK_AREA = (
    "Where would you like to find sessions? Tap <b>Share my location</b>, or type a town or "
    "the start of your postcode (like LA4)."
)
AREA_UNKNOWN = (
    "I don't know where {place} is yet. Try a nearby town or the start of your postcode "
    "(like LA4), or press Skip."
)
AREA_SAVED = "Thanks – I'll look near {place}."
ASK_INTERESTS = (
    "What do you enjoy, or would like to try? Tap all that apply, or type your own "
    "(like ukulele). Press Done when you're ready."
)
INTERESTS_ADDED = "Got it: {words}. Tap more, or press Done."
ASK_ACCESS = "Do you need any of these at a venue? Tap all that apply, then Done."
ASK_DAYS = "Which days and times suit you? Tap all that apply, then Done."
PROFILE_DONE = (
    "You're all set{name}.\n\n"
    "Could you answer a few quick questions about how you've been? It takes two minutes "
    "and helps your link worker support you."
)
AREA_OR_SKIP = "Or, if you'd rather not say, press Skip."
SKIPPED = "OK, let's move on."
LOCATION_BUTTON = "Share my location"
SKIP = "Skip"
SKIP_REST = "Skip the rest"
DONE = "Done"
CHECK_IN_NOW = "Yes, go ahead"
CHECK_IN_LATER = "Not now"
PICK_TOPIC = (
    "What would you like to find? Tap one, or type what you're after, like "
    "<i>singing near Lancaster on Tuesday</i>."
)
TOPIC_BUTTONS = {
    "singing": "Singing",
    "music": "Music",
    "dance": "Dancing",
    "art": "Art & crafts",
    "memory": "Memory groups",
    "drama": "Drama",
}
PROFILE_BUTTONS = "Please tap the buttons above, then Done – or press Skip the rest."
STALE_STEP = "That question has moved on – no need to press it again."

CHECK_IN_HEADER = "<b>{title}</b> · question {number} of {total}"
CHECK_IN_SKIP = "Skip"
CHECK_IN_STOP = "Stop for now"
CHECK_IN_STOPPED = (
    "No problem – I've saved your answers. Send /checkin whenever you'd like to carry on."
)
CHECK_IN_RESUMING = "Let's carry on where you left off."
CHECK_IN_STALE = "You've already answered that one – thank you."
CHECK_IN_FINISHED_ALREADY = "That check-in is finished – thank you! Send /checkin for a new one."
CHECK_IN_NOT_YOURS = "Sorry, that button doesn't work here. Send /checkin to start a check-in."
CHECK_IN_INVALID = "Sorry, I didn't understand that answer. Please tap one of the buttons."
CHECK_IN_DONE = "Thank you for answering."
ASK_NOTE = (
    "Is there anything you'd like your link worker to know? Type it here, or press No thanks."
)
NO_NOTE = "No thanks"
ASK_SHARE = (
    "Thank you for telling me. May we quote your words, without your name, in reports that "
    "help keep these sessions funded?"
)
SHARE_YES = "Yes, you can"
SHARE_NO = "No, keep it private"
NOTE_THANKS = (
    "Thank you. Your link worker will see it. Type what you'd like to find next, or /help."
)
NOTE_SHARED = "Thank you – your words really help."
NOTE_PRIVATE = "That's fine – it stays between you and your link worker."
AFTER_CHECK_IN = "Thank you. Type what you'd like to find, for example <i>art class in Kendal</i>."
BUTTON_EXPECTED = "Please tap one of the buttons above, or send /checkin to see the question again."

SIGNPOST = (
    "I'm sorry things are so hard right now. You don't have to face this alone.\n\n"
    "• If you're in danger now, call <b>999</b>.\n"
    "• For urgent mental health help, call <b>NHS 111</b> and choose option 2.\n"
    "• <b>Samaritans</b> are there day or night: call <b>116 123</b> (free).\n\n"
    "I've let {who} know, so they can get in touch. I'm not an emergency service, so "
    "please use these numbers if you need help now."
)
SIGNPOST_WHO_WORKER = "your link worker"
SIGNPOST_WHO_TEAM = "the Chorus team"

STAFF_ALERT = (
    "⚠️ <b>Safeguarding alert</b>\n"
    "Participant <b>{code}</b>: {what}.\n"
    "They have been shown 999, NHS 111 option 2 and Samaritans. Please get in touch today "
    "and record what you did."
)
STAFF_ALERT_ANSWERS = "check-in answers suggested risk ({items})"
STAFF_ALERT_MESSAGE = "a message they sent suggested risk"
