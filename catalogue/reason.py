"""The one-line reason shown under each suggestion: "Choir · Tuesdays 10:30 · 1.2 km · free".

A reason has to be read at a glance by someone who is not good with phones, so it uses words
not codes, local times, and only the facts that help decide: what it is, when, how far, what it
costs, and the access or audience points the person asked about.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from zoneinfo import ZoneInfo

from catalogue.cells import describe_day_token
from catalogue.model import Activity, Frequency, Schedule, Venue
from catalogue.tokens import index_words
from catalogue.vocabulary import ACCESS_IMPLIES, ACCESS_LABELS, AUDIENCE_LABELS

SEPARATOR = " · "
# Which category names a session best, most specific first, when several match the request.
LABEL_ORDER = (
    "choir", "singing", "samba", "drumming", "ukulele", "guitar", "orchestra", "open mic",
    "band", "pottery", "painting", "drawing", "printmaking", "knitting", "crochet", "sewing",
    "tea dance", "seated dance", "line dancing", "ballroom", "salsa", "ceilidh", "dance",
    "yoga", "creative writing", "writing", "poetry", "drama", "photography", "gardening",
    "memory", "crafts", "art", "music",
)  # fmt: skip
# Categories that read badly on their own as the first word of a reason.
LABEL_NAMES = {"memory": "Memory group", "dementia": "Dementia-friendly group"}
# Access tags worth mentioning unasked, in order, because they decide whether some can go.
UNASKED_ACCESS = ("wheelchair", "step_free", "hearing_loop")
MAX_TAGS = 2


def category_label(categories: Collection[str], matched_terms: Collection[str]) -> str:
    """Picks the category that names the session best, preferring ones the request matched."""
    ordered = sorted(
        categories,
        key=lambda c: (LABEL_ORDER.index(c) if c in LABEL_ORDER else len(LABEL_ORDER), c),
    )
    chosen = next(
        (c for c in ordered if any(w in matched_terms for w in index_words(c))),
        ordered[0] if ordered else "session",
    )
    return LABEL_NAMES.get(chosen, chosen.capitalize())


def _plural_days(days: list[str]) -> str:
    names = [f"{day}s" for day in days]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def schedule_phrase(schedule: Schedule, next_local: datetime | None) -> str:
    """Describes when a series meets: "Tuesdays 10:30", "Last Friday of the month 19:30"."""
    days = [describe_day_token(token) for token in schedule.byday]
    clock = f" {next_local:%H:%M}" if next_local else ""
    next_day = f", next {next_local:%a} {next_local.day} {next_local:%b}" if next_local else ""
    if schedule.freq is Frequency.MONTHLY and days:
        return " and ".join(days) + " of the month" + clock + next_day
    if schedule.freq is Frequency.WEEKLY and days and schedule.interval == 1:
        return _plural_days(days) + clock
    if schedule.freq is Frequency.WEEKLY and days and schedule.interval == 2:
        return "Every other " + " and ".join(days) + clock + next_day
    if schedule.freq is Frequency.WEEKLY and days:
        return f"Every {schedule.interval} weeks on " + " and ".join(days) + clock + next_day
    if next_local:
        return f"{next_local:%a} {next_local.day} {next_local:%b %H:%M}"
    return "Dates to be confirmed"


def _distance(km: float) -> str:
    return f"{km:.1f} km" if km < 10 else f"{km:.0f} km"


def describe(
    activity: Activity,
    venue: Venue | None,
    *,
    next_at: datetime | None,
    distance_km: float | None,
    zone: ZoneInfo,
    matched_terms: Collection[str] = (),
    asked_access: Collection[str] = (),
    asked_audience: Collection[str] = (),
) -> str:
    """Builds the reason line for one suggestion.

    Args:
        activity: the session series.
        venue: where it meets, if known.
        next_at: the meeting being suggested (aware UTC), shown in local time.
        distance_km: how far it is from the person or the place they named.
        zone: the local timezone for times.
        matched_terms: index terms the request matched, to name the right category.
        asked_access: access tags the person asked for or needs.
        asked_audience: audience tags the person asked for.
    """
    next_local = next_at.astimezone(zone) if next_at else None
    parts = [category_label(activity.categories, matched_terms)]
    if activity.schedules:
        parts.append(schedule_phrase(activity.schedules[0], next_local))
    elif next_local:
        parts.append(f"{next_local:%a} {next_local.day} {next_local:%b %H:%M}")
    if distance_km is not None:
        parts.append(_distance(distance_km))
    if activity.is_free:
        parts.append("free")
    elif activity.cost:
        parts.append(activity.cost)
    tags = [AUDIENCE_LABELS.get(tag, tag) for tag in sorted(asked_audience)]
    venue_access = set(venue.accessibility) if venue else set()
    for tag in list(venue_access):
        venue_access |= ACCESS_IMPLIES.get(tag, frozenset())
    tags += [ACCESS_LABELS.get(tag, tag) for tag in sorted(asked_access) if tag in venue_access]
    if not tags:
        unasked = [tag for tag in UNASKED_ACCESS if tag in venue_access]
        tags = [ACCESS_LABELS[tag] for tag in unasked[:1]]
    parts.extend(tags[:MAX_TAGS])
    return SEPARATOR.join(parts)
