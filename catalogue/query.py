"""Free text into search constraints: "singin near morecambe tuesday" -> topic, day and place.

Constraints a person states (a day, a time of day, a place, "free", an access need, an
audience) become hard filters; whatever is left is the topic. Constraint words tolerate small
slips ("tuesdy", "evenin"), but only when the word is not already something the catalogue
talks about, so a topic is never mistaken for a constraint.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from rapidfuzz import fuzz, process

from catalogue.geo import Gazetteer, Place, is_district, normalise_postcode
from catalogue.tokens import raw_words
from catalogue.vocabulary import (
    ACCESS_PHRASES,
    AUDIENCE_PHRASES,
    DAY_GROUPS,
    DAY_WORDS,
    PARTS_OF_DAY,
    STOPWORDS,
    WEEKDAY_NAMES,
)

CONSTRAINT_MATCH_CUTOFF = 85.0
# Requests are a sentence or two; a pasted essay is cut here so it cannot cost seconds of
# typo matching (Telegram allows 4,096 characters).
MAX_QUERY_WORDS = 40
PLACE_WORDS = frozenset({"near", "in", "around", "at", "nr", "by", "close"})
# Only these introduce a place firmly enough that an unknown name means "nowhere we know";
# "at" and "by" are too often followed by something else ("at 2pm", "by the sea").
FIRM_PLACE_WORDS = frozenset({"near", "in", "around", "nr"})
FREE_PHRASES = ("free", "no cost", "free of charge", "costs nothing", "no charge")
_CLOCK_RE = re.compile(r"^(\d{1,2})(?:(\d{2}))?(am|pm)?$")


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """Local start times in [start, end)."""

    start: time
    end: time
    label: str


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """What a person asked for: hard constraints plus the remaining topic words."""

    text: str
    topic: tuple[str, ...] = ()
    days: frozenset[int] = frozenset()
    dates: frozenset[date] = frozenset()
    times: TimeWindow | None = None
    place: Place | None = None
    unknown_place: str | None = None
    free: bool = False
    access: frozenset[str] = frozenset()
    audience: frozenset[str] = frozenset()

    @property
    def has_constraints(self) -> bool:
        """Whether anything other than topic words was asked for."""
        return bool(
            self.days or self.dates or self.times or self.place or self.unknown_place
        ) or bool(self.free or self.access or self.audience)


@dataclass
class _Scan:
    words: list[str]
    used: list[bool] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.used = [False] * len(self.words)

    def phrase(self, i: int, size: int) -> str | None:
        if i + size > len(self.words) or any(self.used[i : i + size]):
            return None
        return " ".join(self.words[i : i + size])

    def take(self, i: int, size: int) -> None:
        for j in range(i, i + size):
            self.used[j] = True


def _clock(words: list[str], i: int) -> tuple[time, int] | None:
    """Reads "6", "6pm", "6 pm", "630pm", "18" at words[i]; returns the time and words used."""
    if i >= len(words):
        return None
    match = _CLOCK_RE.match(words[i])
    if match is None:
        return None
    hour, minute, suffix = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    used = 1
    if suffix is None and i + 1 < len(words) and words[i + 1] in ("am", "pm"):
        suffix, used = words[i + 1], 2
    if suffix == "pm" and hour < 12:
        hour += 12
    elif suffix is None and 1 <= hour <= 9:
        hour += 12  # "after 6" means the evening; community sessions do not start at 6am
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute), used


def parse_query(
    text: str,
    gazetteer: Gazetteer,
    *,
    today: date | None = None,
    topic_words: Container[str] = frozenset(),
    is_topic: Callable[[str], bool] | None = None,
) -> ParsedQuery:
    """Splits a free-text request into hard constraints and topic words.

    Args:
        text: what the person typed.
        gazetteer: the places search knows about.
        today: the local date, so "today" and "tomorrow" can be resolved; without it those
            words are ignored.
        topic_words: words the catalogue uses, never reinterpreted as a misspelt constraint.
        is_topic: whether a word (perhaps misspelt) reaches anything in the catalogue, so
            "in potery" is read as a topic and not as an unknown place.

    Returns:
        The parsed query; ``unknown_place`` is set when a place was named but not found.
    """
    scan = _Scan(raw_words(text)[:MAX_QUERY_WORDS])
    words = scan.words
    days: set[int] = set()
    dates: set[date] = set()
    access: set[str] = set()
    audience: set[str] = set()
    window: TimeWindow | None = None
    free = False
    for size in (3, 2, 1):
        for i in range(len(words)):
            phrase = scan.phrase(i, size)
            if phrase is None:
                continue
            if phrase in ACCESS_PHRASES:
                access.add(ACCESS_PHRASES[phrase])
            elif phrase in AUDIENCE_PHRASES:
                audience.add(AUDIENCE_PHRASES[phrase])
            elif phrase in FREE_PHRASES:
                free = True
            elif phrase in DAY_WORDS:
                days.add(DAY_WORDS[phrase])
            elif phrase in DAY_GROUPS:
                days.update(DAY_GROUPS[phrase])
            elif phrase in PARTS_OF_DAY:
                start, end = PARTS_OF_DAY[phrase]
                window = TimeWindow(start, end, phrase.rstrip("s"))
            elif phrase in ("today", "tomorrow") and today is not None:
                dates.add(today + timedelta(days=1 if phrase == "tomorrow" else 0))
            elif phrase == "tonight":
                dates.update([today] if today else [])
                window = TimeWindow(*PARTS_OF_DAY["evening"], "evening")
            else:
                continue
            scan.take(i, size)
    for i, word in enumerate(words):
        if scan.used[i] or word not in ("after", "before", "from"):
            continue
        clock = _clock(words, i + 1)
        if clock is not None:
            moment, used = clock
            window = (
                TimeWindow(time(0), moment, f"before {moment:%H:%M}")
                if word == "before"
                else TimeWindow(moment, time(23, 59, 59), f"after {moment:%H:%M}")
            )
            scan.take(i, 1 + used)
    place, unknown = _find_place(scan, gazetteer, topic_words, is_topic or (lambda _: False))
    _fuzzy_constraints(scan, topic_words, days, access, audience)
    for i, word in enumerate(words):
        if not scan.used[i] and word in PARTS_OF_DAY and window is None:
            window = TimeWindow(*PARTS_OF_DAY[word], word)
    topic = tuple(
        w
        for i, w in enumerate(words)
        if not scan.used[i] and w not in STOPWORDS and not w.isdigit()
    )
    return ParsedQuery(
        text=text,
        topic=topic,
        days=frozenset(days),
        dates=frozenset(dates),
        times=window,
        place=place,
        unknown_place=unknown,
        free=free,
        access=frozenset(access),
        audience=frozenset(audience),
    )


def _find_place(
    scan: _Scan, gazetteer: Gazetteer, topic_words: Container[str], is_topic: Callable[[str], bool]
) -> tuple[Place | None, str | None]:
    """Finds a postcode, a district, "near/in X", or a bare town name among unused words."""
    words = scan.words
    for size in (2, 1):
        for i in range(len(words)):
            phrase = scan.phrase(i, size)
            if phrase is None:
                continue
            compact = phrase.replace(" ", "").upper()
            if normalise_postcode(compact) or (size == 1 and is_district(compact)):
                scan.take(i, size)
                place = gazetteer.lookup(compact)
                return place, None if place else phrase.upper()
    for i, word in enumerate(words):
        if scan.used[i] or word not in PLACE_WORDS:
            continue
        j = i + 1
        while j < len(words) and words[j] in ("the", "a", "to") and not scan.used[j]:
            j += 1
        for size in (3, 2, 1):  # "near Grange over Sands"
            phrase = scan.phrase(j, size)
            if phrase is None:
                continue
            place = gazetteer.lookup(phrase)
            if place is not None:
                scan.take(i, j - i + size)
                return place, None
        target = scan.phrase(j, 1)
        if (
            word in FIRM_PLACE_WORDS
            and target
            and len(target) > 2
            and target not in STOPWORDS
            and target not in topic_words
            and not _CLOCK_RE.match(target)
            and not is_topic(target)
        ):
            scan.take(i, j - i + 1)
            return None, target
    for size in (3, 2, 1):
        for i in range(len(words)):
            phrase = scan.phrase(i, size)
            if phrase is None or phrase in STOPWORDS:
                continue
            # Town names also occur in titles ("Preston Community Choir"), so an exact town
            # always counts as a place; only a near miss must not be a catalogue word.
            fuzzy = size == 1 and len(phrase) >= 6 and phrase not in topic_words
            place = gazetteer.lookup(phrase, fuzzy=fuzzy)
            if place is not None:
                scan.take(i, size)
                return place, None
    return None, None


_FUZZY_TARGETS: dict[str, tuple[str, str]] = {
    **{name: ("day", name) for name in WEEKDAY_NAMES},
    "wheelchair": ("access", "wheelchair"),
    "dementia": ("audience", "dementia_friendly"),
    "alzheimers": ("audience", "dementia_friendly"),
    "pensioners": ("audience", "over_60s"),
    "teenagers": ("audience", "young_people"),
}


def _fuzzy_constraints(
    scan: _Scan,
    topic_words: Container[str],
    days: set[int],
    access: set[str],
    audience: set[str],
) -> None:
    """Catches slips in constraint words ("tuesdy", "demencia") the exact pass missed."""
    for i, word in enumerate(scan.words):
        if scan.used[i] or len(word) < 5 or word in STOPWORDS or word in topic_words:
            continue
        best = process.extractOne(
            word, list(_FUZZY_TARGETS), scorer=fuzz.ratio, score_cutoff=CONSTRAINT_MATCH_CUTOFF
        )
        if best is None:
            continue
        kind, value = _FUZZY_TARGETS[best[0]]
        if kind == "day":
            days.add(WEEKDAY_NAMES.index(value))
        elif kind == "access":
            access.add(value)
        else:
            audience.add(value)
        scan.take(i, 1)
