"""What Chorus says when suggesting sessions: one message per idea, then where to go next.

Every reply leaves the person somewhere to go: a button, or an example of what to type.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from bot.messaging.booking_texts import when
from bot.services.suggestions import Suggestion

HERE_ARE = "Here are some ideas for <i>{query}</i>:"
LIKE_THIS = "Sessions like <b>{title}</b>:"
AFTER_RESULTS = (
    "Tap <b>I'll go</b> on one you like. Or type something else, for example "
    "<i>art class on Friday</i>."
)
MORE_AVAILABLE = "Want to see more ideas?"
NO_RESULTS = (
    "Sorry, I couldn't find anything for <i>{query}</i>. Try fewer or different words, "
    "for example <i>singing near Morecambe</i> or <i>pottery on Saturday</i>."
)
NO_MORE = (
    "That's everything I found for <i>{query}</i>. Try different words, for example "
    "<i>drumming in Lancaster</i>."
)
NOTHING_LIKE = (
    "I couldn't find anything else like <b>{title}</b> just now. Tell me what you'd like, "
    "for example <i>choir on Tuesday</i>."
)
ASK_WHAT = (
    "What would you like to do? Type it in your own words, for example "
    "<i>choir near Lancaster</i> or <i>pottery on Saturday</i>."
)
NOTHING_TO_CONTINUE = "I've lost track of what you asked, sorry. " + ASK_WHAT
NOT_FOR_ME_DONE = (
    "OK – <b>{title}</b> isn't for you. I'll suggest it less often. "
    "Tell me if there's something else you'd like."
)
UNKNOWN_SESSION = (
    "Sorry, I can't find that session any more. Tell me what you'd like and I'll look again."
)

LABEL_GO = "I'll go"
LABEL_MORE_LIKE = "More like this"
LABEL_NOT_FOR_ME = "Not for me"
LABEL_SHOW_MORE = "Show more"


def suggestion(item: Suggestion, *, zone: ZoneInfo, now: datetime) -> str:
    """One idea: its title, the reason it was picked, when it next meets and where."""
    lines = [f"<b>{escape(item.title)}</b>", escape(item.reason)]
    if item.next_at is not None:
        lines.append(f"🗓 Next: {when(item.next_at, zone=zone, now=now)}")
    place = ", ".join(p for p in (item.venue, item.town) if p)
    if place:
        lines.append(f"📍 {escape(place)}")
    return "\n".join(lines)


def here_are(query: str) -> str:
    """The line before a page of ideas; the person's own words are escaped."""
    return HERE_ARE.format(query=escape(query))


def closing(query: str, *, has_more: bool) -> str:
    """The last message of a page: more to see, or nothing more with an example to try."""
    if has_more:
        return f"{AFTER_RESULTS}\n\n{MORE_AVAILABLE}"
    return f"{AFTER_RESULTS}\n\n{NO_MORE.format(query=escape(query))}"


def no_results(query: str) -> str:
    """Nothing matched: say so kindly and show what to type."""
    return NO_RESULTS.format(query=escape(query))


def like_this(title: str) -> str:
    """The line before ideas like a session the person picked."""
    return LIKE_THIS.format(title=escape(title))


def nothing_like(title: str) -> str:
    """No similar sessions: say so and show what to type."""
    return NOTHING_LIKE.format(title=escape(title))


def not_for_me_done(title: str) -> str:
    """Replaces a turned-down idea, so its buttons cannot be pressed again."""
    return NOT_FOR_ME_DONE.format(title=escape(title))
