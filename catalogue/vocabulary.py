"""Words people use for activities, access needs, audiences, days and times of day.

Everything here is data: the query parser, the spreadsheet importer and the search index read it
so that "step free", "step-free" and "level access" all mean the same venue tag, and so that
somebody asking for a "quire" still finds a choir. Keys and values are lower case.
"""

from __future__ import annotations

import re
from datetime import time

# Topic words that mean the same thing to a participant. A query word in a group also
# matches the group's other words, a little less strongly than itself.
SYNONYM_GROUPS: dict[str, frozenset[str]] = {
    "singing": frozenset(
        {
            "singing",
            "sing",
            "singer",
            "choir",
            "choral",
            "chorus",
            "vocal",
            "song",
            "singalong",
            "karaoke",
            "harmony",
        }
    ),
    "drumming": frozenset(
        {"drumming", "drum", "drummer", "percussion", "samba", "djembe", "rhythm"}
    ),
    "painting": frozenset({"painting", "paint", "painter", "watercolour", "acrylic"}),
    "drawing": frozenset({"drawing", "draw", "sketching", "sketch", "sketcher"}),
    "pottery": frozenset({"pottery", "ceramic", "clay", "potter", "kiln"}),
    "knitting": frozenset({"knitting", "knit", "crochet", "yarn", "wool"}),
    "sewing": frozenset({"sewing", "sew", "quilting", "stitching", "textile"}),
    "dance": frozenset({"dance", "dancing", "dancer"}),
    "ukulele": frozenset({"ukulele", "uke", "strummer"}),
    "guitar": frozenset({"guitar", "guitarist"}),
    "orchestra": frozenset({"orchestra", "orchestral", "ensemble"}),
    "writing": frozenset({"writing", "write", "writer", "storytelling", "memoir"}),
    "poetry": frozenset({"poetry", "poem", "poet"}),
    "drama": frozenset({"drama", "theatre", "acting", "actor", "improvisation", "improv"}),
    "photography": frozenset({"photography", "photo", "photograph", "camera", "photographer"}),
    "gardening": frozenset({"gardening", "garden", "gardener", "allotment", "growing"}),
    "yoga": frozenset({"yoga", "stretching", "stretch"}),
    "memory": frozenset({"memory", "reminiscence", "dementia", "alzheimer"}),
    "walking": frozenset({"walking", "walk", "stroll", "ramble"}),
    "music": frozenset({"music", "musical", "musician"}),
    "instrument": frozenset({"instrument"}),
    "art": frozenset({"art", "arty", "artist", "artistic"}),
    "crafts": frozenset({"craft", "crafting", "crafty", "making"}),
    "movement": frozenset({"movement", "exercise", "keep fit"}),
}

# Broad words and the narrower groups they take in, one way only: somebody asking for "music"
# is glad of a choir, but somebody asking for a choir does not want a guitar class.
NARROWER: dict[str, tuple[str, ...]] = {
    "music": (
        "singing",
        "drumming",
        "ukulele",
        "guitar",
        "orchestra",
        "band",
        "folk",
        "brass",
        "jam",
        "mic",
        "gospel",
        "harmonica",
        "steel",
        "instrument",
    ),
    "art": ("painting", "drawing", "printmaking", "crafts", "pottery", "collage"),
    "crafts": ("knitting", "sewing", "pottery", "collage", "printmaking", "card"),
    "dance": ("ballroom", "salsa", "ceilidh", "waltz", "zumba", "movement"),
    "movement": ("dance", "yoga"),
    "instrument": ("ukulele", "guitar", "orchestra", "drumming", "brass", "harmonica", "steel"),
    "writing": ("poetry",),
    "walking": ("photography",),
    "memory": ("dementia",),
    "creative": ("writing", "art", "crafts", "pottery", "drama", "music"),
    "outdoors": ("walking", "gardening"),
    "performance": ("drama", "mic"),
}

# Sound-alike and common misspellings that edit distance alone cannot reach ("quire" shares
# only two letters with "choir"). Mapped to the word they are meant to be.
MISSPELLINGS: dict[str, str] = {
    "quire": "choir",
    "quires": "choirs",
    "qwire": "choir",
    "kwire": "choir",
    "choire": "choir",
    "ukelele": "ukulele",
    "ukalele": "ukulele",
    "ukelale": "ukulele",
    "yukulele": "ukulele",
    "pottry": "pottery",
    "drumin": "drumming",
    "drummin": "drumming",
    "singin": "singing",
    "dancin": "dancing",
    "paintin": "painting",
    "knittin": "knitting",
    "theater": "theatre",
}

# Venue access tags and the phrases that ask for them. A venue tagged "wheelchair" is taken
# to be step-free too, because wheelchair access implies level access.
ACCESS_PHRASES: dict[str, str] = {
    "wheelchair": "wheelchair",
    "wheelchairs": "wheelchair",
    "wheelchair accessible": "wheelchair",
    "wheelchair access": "wheelchair",
    "wheelchair user": "wheelchair",
    "step free": "step_free",
    "step-free": "step_free",
    "stepfree": "step_free",
    "no steps": "step_free",
    "level access": "step_free",
    "hearing loop": "hearing_loop",
    "induction loop": "hearing_loop",
    "loop system": "hearing_loop",
    "accessible toilet": "accessible_toilet",
    "accessible toilets": "accessible_toilet",
    "disabled toilet": "accessible_toilet",
    "parking": "parking",
    "car park": "parking",
}
ACCESS_IMPLIES: dict[str, frozenset[str]] = {"wheelchair": frozenset({"step_free"})}
ACCESS_LABELS: dict[str, str] = {
    "wheelchair": "wheelchair access",
    "step_free": "step-free",
    "hearing_loop": "hearing loop",
    "accessible_toilet": "accessible toilet",
    "parking": "parking",
}

# Audience tags and the phrases that ask for them.
AUDIENCE_PHRASES: dict[str, str] = {
    "dementia": "dementia_friendly",
    "dementia friendly": "dementia_friendly",
    "dementia-friendly": "dementia_friendly",
    "alzheimers": "dementia_friendly",
    "alzheimer's": "dementia_friendly",
    "memory loss": "dementia_friendly",
    "memory problems": "dementia_friendly",
    "carer": "carers_welcome",
    "carers": "carers_welcome",
    "carers welcome": "carers_welcome",
    "over 60s": "over_60s",
    "over 60": "over_60s",
    "over-60s": "over_60s",
    "over sixties": "over_60s",
    "older people": "over_60s",
    "older adults": "over_60s",
    "pensioners": "over_60s",
    "retired": "over_60s",
    "young people": "young_people",
    "teenagers": "young_people",
    "teens": "young_people",
    "youth": "young_people",
    "families": "families",
    "family": "families",
    "children": "families",
    "kids": "families",
}
AUDIENCE_LABELS: dict[str, str] = {
    "dementia_friendly": "dementia-friendly",
    "carers_welcome": "carers welcome",
    "over_60s": "over-60s",
    "young_people": "young people",
    "families": "families",
}

WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY_TOKENS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

# Every spelling of a weekday a person might type, mapped to Monday=0 … Sunday=6.
DAY_WORDS: dict[str, int] = {}
for _number, _name in enumerate(WEEKDAY_NAMES):
    for _form in (_name, _name + "s", _name[:3], _name[:3] + "s"):
        DAY_WORDS[_form] = _number
DAY_WORDS.update({"tues": 1, "tue": 1, "weds": 2, "thur": 3, "thurs": 3, "thu": 3})
DAY_GROUPS: dict[str, frozenset[int]] = {
    "weekend": frozenset({5, 6}),
    "weekends": frozenset({5, 6}),
    "weekday": frozenset(range(5)),
    "weekdays": frozenset(range(5)),
}


def weekday_from_text(text: str) -> int | None:
    """Returns Monday=0 … Sunday=6 for a day name, abbreviation or RRULE token, else None."""
    word = text.strip().lower().rstrip(".")
    if word in DAY_WORDS:
        return DAY_WORDS[word]
    if word.upper() in WEEKDAY_TOKENS:
        return WEEKDAY_TOKENS.index(word.upper())
    return None


# Parts of the day as [start, end) local wall-clock times.
PARTS_OF_DAY: dict[str, tuple[time, time]] = {
    "morning": (time(0, 0), time(12, 0)),
    "mornings": (time(0, 0), time(12, 0)),
    "afternoon": (time(12, 0), time(17, 0)),
    "afternoons": (time(12, 0), time(17, 0)),
    "lunchtime": (time(11, 30), time(14, 0)),
    "evening": (time(17, 0), time(23, 59, 59)),
    "evenings": (time(17, 0), time(23, 59, 59)),
    "night": (time(17, 0), time(23, 59, 59)),
}

# Words that carry no topic: filler from how people talk ("something for my dad who…").
STOPWORDS = frozenset(
    """a an and any anything are as at be but by can could do does dad mum mom mother father
    for from get go going group groups has have he her him his i id i'd im i'm in into is it
    its like looking lot me my near need nearby of on or our please round around session
    sessions she some someone something somewhere that the their them there they this to
    wants want we what where which who whose with would you your class classes club clubs
    husband wife partner friend gran grandad grandma nan mam brother sister son daughter
    meet meets meeting new join local love loves enjoy enjoys fun try place activity
    activities thing things help find show lonely just bit little out day days week time
    times next every also along grandson granddaughter really very much about up here pm
    am o'clock oclock good people person hes shes theyre dont cant learn learning lesson lessons
    nice happy hi hello thanks thank""".split()  # noqa: SIM905
)

_SLUG_RE = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """Returns a stable lower-case id from a name: "St Mary's Hall" -> "st-marys-hall"."""
    return _SLUG_RE.sub("-", text.lower().replace("'", "").replace("’", "")).strip("-")


def tag_from_phrase(phrase: str, table: dict[str, str]) -> str:
    """Returns the normalised tag for a phrase, or a slug of the phrase if it is new.

    Unknown tags are kept (with underscores) rather than dropped, so a link worker's own
    "quiet room" survives an import even though search has no words for it yet.
    """
    key = " ".join(phrase.lower().replace("_", " ").split())
    if key in table:
        return table[key]
    if key.replace(" ", "-") in table:
        return table[key.replace(" ", "-")]
    return slug(key).replace("-", "_")
