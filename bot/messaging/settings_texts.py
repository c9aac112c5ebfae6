"""What people read on the /settings screen: one message, edited in place, all buttons.

The choice labels are keyed like `bot.services.person_settings`, so a new choice there needs
its words here (a test checks both agree).
"""

from __future__ import annotations

MENU = (
    "<b>Your settings</b>\n"
    "• Reminders: {reminders}\n"
    "• Quiet hours: {quiet_hours}\n"
    "• Check-ins: {check_ins}\n"
    "• Language: {language}\n"
    "• Area: {area}\n\n"
    "Tap one to change it."
)
SAVED = "Saved. "
CLOSED = "Your settings are saved. Send /settings any time to change them."

MENU_BUTTONS = {
    "rem": "Reminders",
    "quiet": "Quiet hours",
    "ci": "Check-ins",
    "lang": "Language",
    "area": "Area",
}
DONE_BUTTON = "Done"
BACK_BUTTON = "Back"

ASK = {
    "rem": "When would you like a reminder before a session you've said you'll go to?",
    "quiet": "I won't send reminders or check-ins between these times. Which suits you?",
    "ci": "How often would you like me to ask how you're feeling?",
    "lang": "I speak English for now. More languages are coming.",
}

CHOICES = {
    "rem": {
        "day": "The day before, at 6pm",
        "2h": "Two hours before",
        "both": "Both",
        "off": "No reminders",
    },
    "quiet": {
        "2100": "9pm to 8am",
        "2200": "10pm to 7am",
        "2000": "8pm to 9am",
        "off": "No quiet hours",
    },
    "ci": {
        "usual": "After {weeks} weeks",
        "4w": "Every 4 weeks",
        "off": "Only when I ask",
    },
    "lang": {"en": "English"},
}
# Shown when the person has not chosen, so the service's own rule applies.
USUAL_REMINDERS = "the usual times"
USUAL_QUIET_HOURS = "the usual hours"
NO_FOLLOW_UPS = "Only when I ask"
NO_AREA = "not set"
SHARED_LOCATION = "near the location you shared"

ASK_AREA = (
    "Where would you like to find sessions? Type a town or the start of your postcode "
    "(like LA4), or tap <b>Share my location</b> below."
)
LOCATION_HINT = "Or share where you are with the button below."
AREA_UNKNOWN = (
    "I don't know where {place} is yet. Try a nearby town or the start of your postcode (like LA4)."
)
AREA_SAVED = "Thanks – I'll look near {place}."
EXPIRED = "Those buttons are out of date. Send /settings to see your settings."
CONSENT_FIRST = "Please read the privacy notice first: send /start"
