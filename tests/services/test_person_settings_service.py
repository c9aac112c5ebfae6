"""Settings choices land in the preferences the nudge planner reads, and re-plan pending nudges."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
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
from bot.db.session import SessionFactory
from bot.messaging import settings_texts
from bot.services import nudge_planning, person_settings
from tests.services import nudge_builders as build

# A Wednesday in December (GMT, so local time equals UTC).
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
FRIDAY_HALF_NINE = datetime(2026, 12, 4, 9, 30, tzinfo=UTC)
POLICY = build.policy()


async def _pending(session: AsyncSession, person: Person, kind: NudgeKind) -> list[datetime]:
    rows = await session.scalars(
        select(Nudge.due_at)
        .where(
            Nudge.person_id == person.id, Nudge.kind == kind, Nudge.status == NudgeStatus.PENDING
        )
        .order_by(Nudge.due_at)
    )
    return list(rows)


async def _booked_person(session: AsyncSession, **preferences: object) -> Person:
    person = await build.person(session, consent_at=NOW, preferences=dict(preferences))
    booking = await build.booking(
        session, person, await build.occurrence(session, FRIDAY_HALF_NINE)
    )
    await nudge_planning.plan_for_booking(session, booking, policy=POLICY, now=NOW)
    return person


async def test_a_new_person_has_the_service_defaults(sessions: SessionFactory) -> None:
    async with sessions.begin() as session:
        person = await build.person(session, consent_at=NOW)
    shown = person_settings.read(person, POLICY)
    assert shown == person_settings.PersonSettings(
        reminders="both",
        quiet_hours="2100",
        check_ins="usual",
        language="en",
        area=None,
        has_location=False,
    )


def test_a_service_rule_outside_the_choices_shows_as_unchosen() -> None:
    person = Person(preferences={}, language="cy", home_area=None, home_latitude=None)
    odd = build.policy(nudge_before="3h", quiet_hours="off")
    shown = person_settings.read(person, odd)
    assert shown.reminders is None and shown.quiet_hours == "off" and shown.language == "en"


async def test_reminders_off_skips_what_was_waiting_and_on_brings_it_back(
    sessions: SessionFactory,
) -> None:
    async with sessions.begin() as session:
        person = await _booked_person(session)
        before = await _pending(session, person, NudgeKind.SESSION_REMINDER)
        await person_settings.choose(session, person, "rem", "off", policy=POLICY, now=NOW)
    assert len(before) == 2
    async with sessions() as session:
        fresh = await session.get(Person, person.id)
        assert fresh is not None and fresh.preferences["reminders"] is False
        assert person_settings.read(fresh, POLICY).reminders == "off"
        assert await _pending(session, fresh, NudgeKind.SESSION_REMINDER) == []
        assert await _pending(session, fresh, NudgeKind.AFTER_SESSION) == []
        reasons = set(await session.scalars(select(Nudge.reason)))
        assert reasons == {"reminders_off"}
    async with sessions.begin() as session:
        fresh = await session.get(Person, person.id)
        assert fresh is not None
        await person_settings.choose(session, fresh, "rem", "both", policy=POLICY, now=NOW)
        assert await _pending(session, fresh, NudgeKind.SESSION_REMINDER) == before


async def test_choosing_two_hours_before_drops_the_evening_before_reminder(
    sessions: SessionFactory,
) -> None:
    async with sessions.begin() as session:
        person = await _booked_person(session)
        await person_settings.choose(session, person, "rem", "2h", policy=POLICY, now=NOW)
        # 07:30 is in the default quiet hours (21:00-08:00), so it waits until 08:00.
        assert await _pending(session, person, NudgeKind.SESSION_REMINDER) == [
            datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
        ]
        assert person.preferences["reminder_offsets"] == "2h"
        assert person_settings.read(person, POLICY).reminders == "2h"
        await person_settings.choose(session, person, "rem", "day", policy=POLICY, now=NOW)
        assert await _pending(session, person, NudgeKind.SESSION_REMINDER) == [
            datetime(2026, 12, 3, 18, 0, tzinfo=UTC)
        ]


async def test_new_quiet_hours_move_reminders_already_planned(sessions: SessionFactory) -> None:
    async with sessions.begin() as session:
        person = await _booked_person(session, reminder_offsets="2h")
        assert await _pending(session, person, NudgeKind.SESSION_REMINDER) == [
            datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
        ]
        await person_settings.choose(session, person, "quiet", "2200", policy=POLICY, now=NOW)
        # Quiet until 07:00 now, so the reminder goes at 07:30, two hours before.
        assert await _pending(session, person, NudgeKind.SESSION_REMINDER) == [
            datetime(2026, 12, 4, 7, 30, tzinfo=UTC)
        ]
        assert person.preferences["quiet_hours"] == "22:00-07:00"
        assert person_settings.read(person, POLICY).quiet_hours == "2200"


async def _with_baseline(session: AsyncSession) -> Person:
    person = await build.person(session, consent_at=NOW)
    baseline = CheckIn(
        person_id=person.id,
        questionnaire="ons4",
        context=CheckInContext.BASELINE,
        status=CheckInStatus.COMPLETED,
        completed_at=NOW,
        scores={},
        risk_flags=[],
    )
    session.add(baseline)
    await session.flush()
    await nudge_planning.plan_follow_ups(
        session, person.id, baseline_completed_at=NOW, policy=POLICY, now=NOW
    )
    return person


async def test_check_in_frequency_replans_follow_ups(sessions: SessionFactory) -> None:
    async with sessions.begin() as session:
        person = await _with_baseline(session)
        usual = await _pending(session, person, NudgeKind.CHECK_IN_DUE)
        assert [(due.date() - NOW.date()).days // 7 for due in usual] == [6, 12]
        await person_settings.choose(session, person, "ci", "4w", policy=POLICY, now=NOW)
        four = await _pending(session, person, NudgeKind.CHECK_IN_DUE)
        assert [(due.date() - NOW.date()).days // 7 for due in four] == list(range(4, 53, 4))
        await person_settings.choose(session, person, "ci", "off", policy=POLICY, now=NOW)
        assert await _pending(session, person, NudgeKind.CHECK_IN_DUE) == []
        assert person_settings.read(person, POLICY).check_ins == "off"
        await person_settings.choose(session, person, "ci", "usual", policy=POLICY, now=NOW)
        assert await _pending(session, person, NudgeKind.CHECK_IN_DUE) == usual


def test_follow_up_weeks_follow_the_persons_choice() -> None:
    assert person_settings.follow_up_weeks({}, POLICY) == (6, 12)
    assert person_settings.follow_up_weeks({"check_ins": "off"}, POLICY) == ()
    assert person_settings.follow_up_weeks({"check_ins": "nonsense"}, POLICY) == (6, 12)
    policy = person_settings.follow_up_policy(POLICY, {"check_ins": "4w"})
    assert policy.follow_up_weeks[:3] == (4, 8, 12) and policy.zone == POLICY.zone


@pytest.mark.parametrize(
    ("setting", "value"),
    [("rem", "1d@09:00"), ("quiet", "03:00-04:00"), ("ci", "2w"), ("lang", "cy"), ("area", "x")],
)
async def test_choices_never_offered_are_refused_and_change_nothing(
    sessions: SessionFactory, setting: str, value: str
) -> None:
    async with sessions.begin() as session:
        person = await _booked_person(session)
        with pytest.raises(person_settings.UnknownChoice):
            await person_settings.choose(session, person, setting, value, policy=POLICY, now=NOW)
        assert person.preferences == {} and person.language == "en"
        assert len(await _pending(session, person, NudgeKind.SESSION_REMINDER)) == 2


async def test_settings_need_consent(sessions: SessionFactory) -> None:
    async with sessions.begin() as session:
        stranger = await build.person(session)
        agreed = await build.person(session, consent_at=NOW)
        with pytest.raises(person_settings.NeedsConsent):
            await person_settings.for_person(session, stranger.telegram_user_id)
        with pytest.raises(person_settings.NeedsConsent):
            await person_settings.for_person(session, 1)
        assert (await person_settings.for_person(session, agreed.telegram_user_id)) is agreed


async def test_a_typed_area_is_awaited_for_half_an_hour_then_kept(
    sessions: SessionFactory,
) -> None:
    async with sessions.begin() as session:
        person = await build.person(session, consent_at=NOW)
        person_settings.start_area_change(person, now=NOW)
        assert person_settings.awaiting_area(person, now=NOW + timedelta(minutes=29))
        assert not person_settings.awaiting_area(person, now=NOW + timedelta(minutes=31))
        person_settings.set_area(person, label="Morecambe", point=(54.07, -2.86))
    assert person.awaiting is None and person.awaiting_until is None
    shown = person_settings.read(person, POLICY)
    assert shown.area == "Morecambe" and shown.has_location


async def test_going_back_leaves_other_awaited_answers_alone(sessions: SessionFactory) -> None:
    async with sessions.begin() as session:
        person = await build.person(session, consent_at=NOW)
        person.awaiting = "profile:name"
        person_settings.stop_area_change(person)
        assert person.awaiting == "profile:name"
        assert not person_settings.awaiting_area(person, now=NOW)


def test_every_choice_the_service_accepts_has_words_on_the_screen() -> None:
    offered = {
        "rem": {*person_settings.REMINDER_TIMINGS, person_settings.REMINDERS_OFF},
        "quiet": set(person_settings.QUIET_HOURS),
        "ci": set(person_settings.CHECK_IN_WEEKS),
        "lang": set(person_settings.LANGUAGES),
    }
    assert {key: set(words) for key, words in settings_texts.CHOICES.items()} == offered
    assert set(settings_texts.ASK) == set(offered)
    assert set(settings_texts.MENU_BUTTONS) == {*offered, "area"}
