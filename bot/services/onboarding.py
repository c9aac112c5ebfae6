"""Joining Chorus: the privacy notice, consent, and a short profile where every step is skippable.

Nothing about a participant beyond their Telegram ids is stored until they press "I agree".
The step a person is on lives in `person.awaiting` (with an expiry), so a restart or another
process carries on where they left off.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import InviteKind, Person, Role
from bot.services import invites
from bot.services.invites import InviteState

PRIVACY_NOTICE_VERSION = "2026-11"
AWAITING_LIFETIME = timedelta(hours=24)
MAX_NAME_LENGTH = 40


class ProfileStep(enum.StrEnum):
    NAME = "name"
    AREA = "area"
    INTERESTS = "interests"
    ACCESS = "access"
    DAYS = "days"


PROFILE_ORDER = (
    ProfileStep.NAME,
    ProfileStep.AREA,
    ProfileStep.INTERESTS,
    ProfileStep.ACCESS,
    ProfileStep.DAYS,
)

# What people can pick on buttons; the values are words the catalogue search understands.
INTEREST_CHOICES = {
    "singing": "Singing",
    "music": "Music",
    "dance": "Dance",
    "art": "Art & crafts",
    "drama": "Drama",
    "writing": "Writing",
    "photography": "Photography",
    "memory": "Memory groups",
}
ACCESS_CHOICES = {
    "wheelchair": "Wheelchair access",
    "step_free": "Step-free",
    "hearing_loop": "Hearing loop",
    "accessible_toilet": "Accessible toilet",
}
DAY_CHOICES = {
    str(i): name for i, name in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))
}
TIME_CHOICES = {"morning": "Mornings", "afternoon": "Afternoons", "evening": "Evenings"}


class StartOutcome(enum.StrEnum):
    STAFF = "staff"
    WELCOME_BACK = "welcome_back"
    NEEDS_CONSENT = "needs_consent"
    SELF_REFERRAL_CLOSED = "self_referral_closed"


@dataclass(frozen=True, slots=True)
class StartResult:
    outcome: StartOutcome
    referral: InviteState | None = None
    role: Role | None = None
    link_worker_name: str | None = None


async def start(
    session: AsyncSession,
    person: Person,
    payload: str | None,
    *,
    now: datetime,
    self_referral: bool,
) -> StartResult:
    """Decides what `/start` (with an optional deep-link code) means for this person.

    A staff invite takes effect at once. A referral code is only checked here and kept in
    `start_payload` (an operational note, not personal data); it binds the participant to the
    link worker when they consent.
    """
    found = await invites.check(session, payload, now=now) if payload else None
    invite = found.invite if found is not None and found.valid else None
    referral = found.state if found is not None else None
    if (
        invite is not None
        and invite.kind is InviteKind.STAFF
        and await invites.redeem(session, invite, person)
    ):
        return StartResult(StartOutcome.STAFF, role=person.role)
    if person.is_staff:
        return StartResult(StartOutcome.STAFF, role=person.role)
    if person.consent_at is not None:
        if invite is not None:
            await invites.redeem(session, invite, person)
        return StartResult(StartOutcome.WELCOME_BACK, referral=referral)
    person.start_payload = payload if invite is not None else None
    await session.flush()
    if invite is None and not self_referral:
        return StartResult(StartOutcome.SELF_REFERRAL_CLOSED, referral=referral)
    name = await invites.staff_first_name(session, invite.created_by_id) if invite else None
    return StartResult(StartOutcome.NEEDS_CONSENT, referral=referral, link_worker_name=name)


async def consent(session: AsyncSession, person: Person, *, now: datetime, version: str) -> bool:
    """Records "I agree" and binds a pending referral; False if the notice shown was outdated."""
    if version != PRIVACY_NOTICE_VERSION:
        return False
    if person.consent_at is None:
        person.consent_at = now
        person.consent_version = version
        if person.start_payload:
            found = await invites.check(session, person.start_payload, now=now)
            if found.valid and found.invite is not None:
                await invites.redeem(session, found.invite, person)
        person.start_payload = None
        await_step(person, ProfileStep.NAME, now=now)
    await session.flush()
    return True


async def decline(session: AsyncSession, person: Person) -> None:
    """Records "No thanks": nothing more is kept, and any pending referral code is dropped."""
    person.start_payload = None
    person.awaiting = None
    person.awaiting_until = None
    await session.flush()


def await_step(person: Person, step: ProfileStep | None, *, now: datetime) -> None:
    """Notes which profile step the person is on (None when the profile is done)."""
    person.awaiting = f"profile:{step.value}" if step is not None else None
    person.awaiting_until = now + AWAITING_LIFETIME if step is not None else None


def current_step(person: Person, *, now: datetime) -> ProfileStep | None:
    """The profile step awaiting an answer, if it has not expired."""
    if not person.awaiting or not person.awaiting.startswith("profile:"):
        return None
    if person.awaiting_until is not None and person.awaiting_until < now:
        return None
    try:
        return ProfileStep(person.awaiting.split(":", 1)[1])
    except ValueError:
        return None


def next_step(step: ProfileStep) -> ProfileStep | None:
    index = PROFILE_ORDER.index(step)
    return PROFILE_ORDER[index + 1] if index + 1 < len(PROFILE_ORDER) else None


def clean_name(text: str) -> str | None:
    """A name as typed, tidied; None if it is not something to call a person."""
    name = " ".join(text.split())[:MAX_NAME_LENGTH]
    return name if any(ch.isalpha() for ch in name) else None


def set_name(person: Person, name: str) -> None:
    person.display_name = name


def set_area(person: Person, *, label: str, point: tuple[float, float] | None) -> None:
    """Keeps the person's area: a place name and, when known, its coordinates."""
    person.home_area = label[:64]
    person.home_latitude, person.home_longitude = point if point else (None, None)


def toggle(person: Person, step: ProfileStep, value: str) -> bool:
    """Adds or removes one multi-select choice; returns whether the value is now chosen."""
    if step is ProfileStep.INTERESTS and value in INTEREST_CHOICES:
        chosen = list(person.interests or [])
    elif step is ProfileStep.ACCESS and value in ACCESS_CHOICES:
        chosen = list(person.access_needs or [])
    elif step is ProfileStep.DAYS and (value in DAY_CHOICES or value in TIME_CHOICES):
        key = "days" if value in DAY_CHOICES else "times"
        prefs = dict(person.preferences or {})
        current = [str(v) for v in prefs.get(key, [])]
        now_on = value not in current
        current = [v for v in current if v != value] + ([value] if now_on else [])
        prefs[key] = [int(v) for v in current] if key == "days" else current
        person.preferences = prefs
        return now_on
    else:
        raise ValueError(f"{value!r} is not a choice at step {step.value}")
    now_on = value not in chosen
    chosen = [v for v in chosen if v != value] + ([value] if now_on else [])
    if step is ProfileStep.INTERESTS:
        person.interests = chosen
    else:
        person.access_needs = chosen
    return now_on


def add_interest_words(person: Person, text: str) -> list[str]:
    """Adds interests typed in the person's own words ("ukulele, knitting")."""
    words = [w.strip().lower()[:30] for w in text.replace(" and ", ",").split(",")]
    added = [w for w in words if w and any(ch.isalpha() for ch in w)][:8]
    person.interests = list(dict.fromkeys([*(person.interests or []), *added]))
    return added


def chosen(person: Person, step: ProfileStep) -> set[str]:
    """The values currently chosen at a multi-select step, as button values."""
    if step is ProfileStep.INTERESTS:
        return set(person.interests or [])
    if step is ProfileStep.ACCESS:
        return set(person.access_needs or [])
    prefs = person.preferences or {}
    return {str(v) for v in prefs.get("days", [])} | {str(v) for v in prefs.get("times", [])}
