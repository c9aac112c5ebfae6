"""A person's own choices: reminders, quiet hours, check-in frequency, language and area.

Choices live in `person.preferences` under the keys the nudge planner reads (see
`nudge_policy`): ``reminders``, ``reminder_offsets`` and ``quiet_hours``; this module adds
``check_ins`` (how often follow-up check-ins are offered). A change re-plans the person's
pending nudges in the same transaction, so a new quiet-hours window or reminder time applies
to sessions already booked, and "reminders off" skips what was waiting to be sent.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    CheckIn,
    CheckInContext,
    CheckInStatus,
    Nudge,
    NudgeKind,
    NudgeStatus,
    Person,
)
from bot.services import nudge_planning, onboarding, people
from bot.services.nudge_policy import NudgePolicy, reminders_on

# Reminder choices: the labels the nudge planner understands (see nudge_policy.parse_offsets).
REMINDER_TIMINGS = {"day": "1d@18:00", "2h": "2h", "both": "1d@18:00,2h"}
REMINDERS_OFF = "off"
QUIET_HOURS = {"2100": "21:00-08:00", "2200": "22:00-07:00", "2000": "20:00-09:00", "off": "off"}
# "Every 4 weeks" runs for a year after the first check-in, then stops asking.
CHECK_IN_WEEKS: dict[str, tuple[int, ...] | None] = {
    "usual": None,  # the service's FOLLOW_UP_WEEKS
    "4w": tuple(range(4, 53, 4)),
    "off": (),
}
LANGUAGES = {"en": "English"}

AREA_AWAITING = "settings:area"
# Long enough to find a postcode, short enough that a later message is not mistaken for one.
AREA_LIFETIME = timedelta(minutes=30)


class NeedsConsent(Exception):
    """The person has not agreed to the privacy notice, so nothing may be stored for them."""


class UnknownChoice(ValueError):
    """A setting or value Chorus never offered (a forged or outdated button)."""


@dataclass(frozen=True, slots=True)
class PersonSettings:
    """What the settings screen shows; each field is a choice key from this module.

    Attributes:
        reminders: a `REMINDER_TIMINGS` key, ``"off"``, or None for the service's own times.
        quiet_hours: a `QUIET_HOURS` key, or None for the service's own window.
        check_ins: a `CHECK_IN_WEEKS` key.
        area: the place name they gave, if any.
        has_location: whether a point is known (typed place or shared location).
    """

    reminders: str | None
    quiet_hours: str | None
    check_ins: str
    language: str
    area: str | None
    has_location: bool


async def for_person(session: AsyncSession, telegram_user_id: int) -> Person:
    """The consented person behind a Telegram id.

    Raises:
        NeedsConsent: if Chorus does not know them or they have not agreed yet.
    """
    person = await people.find(session, telegram_user_id)
    if person is None or person.consent_at is None:
        raise NeedsConsent
    return person


def _key_for(value: object, choices: dict[str, str]) -> str | None:
    return next((key for key, label in choices.items() if label == value), None)


def _quiet_label(policy: NudgePolicy) -> str:
    quiet = policy.quiet
    return "off" if quiet is None else f"{quiet.start:%H:%M}-{quiet.end:%H:%M}"


def read(person: Person, policy: NudgePolicy) -> PersonSettings:
    """The person's current choices as keys; where they chose nothing, the service's rule.

    A service rule that matches none of the choices (set in `.env`) shows as None.
    """
    prefs = person.preferences
    offsets = prefs.get("reminder_offsets", ",".join(o.label for o in policy.offsets))
    reminders = _key_for(offsets, REMINDER_TIMINGS) if reminders_on(prefs) else REMINDERS_OFF
    check_ins = prefs.get("check_ins")
    return PersonSettings(
        reminders=reminders,
        quiet_hours=_key_for(prefs.get("quiet_hours", _quiet_label(policy)), QUIET_HOURS),
        check_ins=check_ins if check_ins in CHECK_IN_WEEKS else "usual",
        language=person.language if person.language in LANGUAGES else "en",
        area=person.home_area,
        has_location=person.home_latitude is not None,
    )


def follow_up_weeks(preferences: dict[str, object], policy: NudgePolicy) -> tuple[int, ...]:
    """The weeks after a baseline at which this person is offered a follow-up check-in."""
    choice = preferences.get("check_ins")
    weeks = CHECK_IN_WEEKS.get(choice) if isinstance(choice, str) else None
    return policy.follow_up_weeks if weeks is None else weeks


def follow_up_policy(policy: NudgePolicy, preferences: dict[str, object]) -> NudgePolicy:
    """`policy` with this person's follow-up weeks, for `nudge_planning.plan_follow_ups`."""
    return dataclasses.replace(policy, follow_up_weeks=follow_up_weeks(preferences, policy))


def _set(person: Person, **values: object) -> None:
    # A new dict, so SQLAlchemy sees the JSON column change.
    person.preferences = {**person.preferences, **values}


async def _skip_future(
    session: AsyncSession, person: Person, kinds: tuple[NudgeKind, ...], *, now: datetime
) -> None:
    # Only nudges still to come are re-planned; one already due is left for the dispatcher.
    await session.execute(
        update(Nudge)
        .where(
            Nudge.person_id == person.id,
            Nudge.status == NudgeStatus.PENDING,
            Nudge.kind.in_(kinds),
            Nudge.due_at > now,
        )
        .values(status=NudgeStatus.SKIPPED, reason="settings_changed", updated_at=now)
    )


async def _replan(
    session: AsyncSession, person: Person, *, policy: NudgePolicy, now: datetime
) -> None:
    """Plans the person's reminders and follow-ups afresh under their current choices."""
    await _skip_future(session, person, nudge_planning.SESSION_KINDS, now=now)
    if reminders_on(person.preferences):
        # Re-planning makes the skipped rows whose time still holds pending again.
        await nudge_planning.set_reminders(session, person.id, enabled=True, policy=policy, now=now)
    await _skip_future(session, person, (NudgeKind.CHECK_IN_DUE,), now=now)
    baseline = await session.scalar(
        select(CheckIn)
        .where(
            CheckIn.person_id == person.id,
            CheckIn.context == CheckInContext.BASELINE,
            CheckIn.status == CheckInStatus.COMPLETED,
            CheckIn.completed_at.is_not(None),
        )
        .order_by(CheckIn.completed_at.desc())
        .limit(1)
    )
    if baseline is not None and baseline.completed_at is not None:
        await nudge_planning.plan_follow_ups(
            session,
            person.id,
            baseline_completed_at=baseline.completed_at,
            policy=follow_up_policy(policy, person.preferences),
            now=now,
            check_in_id=baseline.id,
        )


async def choose(
    session: AsyncSession,
    person: Person,
    setting: str,
    value: str,
    *,
    policy: NudgePolicy,
    now: datetime,
) -> None:
    """Applies one choice from the settings screen and re-plans the person's nudges.

    Args:
        setting: ``"rem"``, ``"quiet"``, ``"ci"`` or ``"lang"`` (untrusted).
        value: a key of that setting's choices (untrusted).

    Raises:
        UnknownChoice: for anything the settings screen never offers.
    """
    if setting == "rem" and value == REMINDERS_OFF:
        # The planner's own switch skips pending reminders in this same transaction.
        await nudge_planning.set_reminders(
            session, person.id, enabled=False, policy=policy, now=now
        )
        return
    if setting == "rem" and value in REMINDER_TIMINGS:
        _set(person, reminders=True, reminder_offsets=REMINDER_TIMINGS[value])
    elif setting == "quiet" and value in QUIET_HOURS:
        _set(person, quiet_hours=QUIET_HOURS[value])
    elif setting == "ci" and value in CHECK_IN_WEEKS:
        _set(person, check_ins=value)
    elif setting == "lang" and value in LANGUAGES:
        person.language = value
        return
    else:
        raise UnknownChoice(f"{setting!r}={value!r} is not a settings choice")
    await session.flush()
    await _replan(session, person, policy=policy, now=now)


def start_area_change(person: Person, *, now: datetime) -> None:
    """Marks the person's next typed message as their new area (until it expires)."""
    person.awaiting = AREA_AWAITING
    person.awaiting_until = now + AREA_LIFETIME


def awaiting_area(person: Person, *, now: datetime) -> bool:
    """Whether a typed message from this person now is their new area."""
    return person.awaiting == AREA_AWAITING and (
        person.awaiting_until is None or person.awaiting_until >= now
    )


def set_area(person: Person, *, label: str, point: tuple[float, float] | None) -> None:
    """Keeps the new area and stops waiting for one."""
    onboarding.set_area(person, label=label, point=point)
    stop_area_change(person)


def stop_area_change(person: Person) -> None:
    """Stops waiting for a typed area (the person went back, or gave one)."""
    if person.awaiting == AREA_AWAITING:
        person.awaiting = None
        person.awaiting_until = None
