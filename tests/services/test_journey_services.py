"""Onboarding, invites, check-ins and safeguarding, tested without Telegram."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.db.models import (
    Answer,
    CheckIn,
    CheckInContext,
    CheckInStatus,
    Invite,
    InviteKind,
    Person,
    Role,
)
from bot.db.session import SessionFactory
from bot.services import checkins, invites, onboarding, people, safeguarding
from bot.services.checkins import Outcome
from bot.services.invites import InviteState
from bot.services.onboarding import ProfileStep, StartOutcome

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def _person(sessions: SessionFactory, user_id: int, role: Role = Role.PARTICIPANT) -> int:
    async with sessions.begin() as session:
        person = await people.ensure_role(session, user_id, role, now=NOW)
        return person.id


async def test_codes_are_pseudonymous_and_unique(sessions: SessionFactory) -> None:
    ids = [await _person(sessions, 100 + i) for i in range(30)]
    async with sessions() as session:
        codes = [(await session.get(Person, i)).code for i in ids]  # type: ignore[union-attr]
    assert len(set(codes)) == 30
    assert all(c.startswith("P-") and len(c) == 6 for c in codes)
    assert not any(ch in c[2:] for c in codes for ch in "01OIL5S")


async def test_invite_states_and_one_time_use(sessions: SessionFactory) -> None:
    worker = await _person(sessions, 1, Role.LINK_WORKER)
    a, b = await _person(sessions, 2), await _person(sessions, 3)
    async with sessions.begin() as session:
        session.add_all(
            [
                Invite(code="once", kind=InviteKind.REFERRAL, created_by_id=worker, max_uses=1),
                Invite(code="old", kind=InviteKind.REFERRAL, expires_at=NOW - timedelta(days=1)),
                Invite(code="gone", kind=InviteKind.REFERRAL, revoked_at=NOW),
            ]
        )
    async with sessions.begin() as session:
        assert (await invites.check(session, "nope", now=NOW)).state is InviteState.UNKNOWN
        assert (await invites.check(session, "old", now=NOW)).state is InviteState.EXPIRED
        assert (await invites.check(session, "gone", now=NOW)).state is InviteState.EXPIRED
        found = await invites.check(session, "once", now=NOW)
        assert found.valid and found.invite is not None
        first = await session.get(Person, a)
        assert first is not None
        assert await invites.redeem(session, found.invite, first)
        assert first.link_worker_id == worker
        second = await session.get(Person, b)
        assert second is not None
        assert not await invites.redeem(session, found.invite, second)  # the last use is gone
        assert second.link_worker_id is None
        assert (await invites.check(session, "once", now=NOW)).state is InviteState.USED_UP


async def test_staff_invite_gives_the_role_at_start(sessions: SessionFactory) -> None:
    pid = await _person(sessions, 7)
    async with sessions.begin() as session:
        session.add(
            Invite(code="staff-1", kind=InviteKind.STAFF, role=Role.LINK_WORKER, max_uses=1)
        )
    async with sessions.begin() as session:
        person = await session.get(Person, pid)
        assert person is not None
        result = await onboarding.start(session, person, "staff-1", now=NOW, self_referral=True)
        assert result.outcome is StartOutcome.STAFF and person.role is Role.LINK_WORKER


async def test_nothing_is_kept_before_consent_and_outdated_notices_are_refused(
    sessions: SessionFactory,
) -> None:
    pid = await _person(sessions, 8)
    async with sessions.begin() as session:
        person = await session.get(Person, pid)
        assert person is not None
        result = await onboarding.start(session, person, None, now=NOW, self_referral=True)
        assert result.outcome is StartOutcome.NEEDS_CONSENT
        assert not await onboarding.consent(session, person, now=NOW, version="2020-01")
        assert person.consent_at is None
        with pytest.raises(PermissionError):
            await checkins.begin(
                session, person, keys=("ons4",), context=CheckInContext.BASELINE, now=NOW
            )
        assert await onboarding.consent(
            session, person, now=NOW, version=onboarding.PRIVACY_NOTICE_VERSION
        )
        assert onboarding.current_step(person, now=NOW) is ProfileStep.NAME
        assert onboarding.current_step(person, now=NOW + timedelta(days=2)) is None


def test_profile_helpers() -> None:
    person = Person(interests=[], access_needs=[], preferences={})
    assert onboarding.clean_name("  Maggie   May ") == "Maggie May"
    assert onboarding.clean_name("👍👍") is None
    assert onboarding.toggle(person, ProfileStep.INTERESTS, "singing")
    assert not onboarding.toggle(person, ProfileStep.INTERESTS, "singing")
    assert onboarding.toggle(person, ProfileStep.DAYS, "1")
    assert onboarding.toggle(person, ProfileStep.DAYS, "evening")
    assert person.preferences == {"days": [1], "times": ["evening"]}
    assert onboarding.add_interest_words(person, "Ukulele, knitting and samba") == [
        "ukulele",
        "knitting",
        "samba",
    ]
    with pytest.raises(ValueError):
        onboarding.toggle(person, ProfileStep.ACCESS, "jetpack")


async def _consented(sessions: SessionFactory, user_id: int) -> int:
    pid = await _person(sessions, user_id)
    async with sessions.begin() as session:
        person = await session.get(Person, pid)
        assert person is not None
        await onboarding.consent(
            session, person, now=NOW, version=onboarding.PRIVACY_NOTICE_VERSION
        )
    return pid


async def test_a_sitting_moves_through_questionnaires_and_scores_without_skipped_zeros(
    sessions: SessionFactory,
) -> None:
    pid = await _consented(sessions, 9)
    async with sessions.begin() as session:
        person = await session.get(Person, pid)
        assert person is not None
        first = await checkins.begin(
            session, person, keys=("ons4", "loneliness"), context=CheckInContext.BASELINE, now=NOW
        )
    results = []
    for item, value in (("life_satisfaction", 7), ("worthwhile", None), ("happiness", 6)):
        async with sessions.begin() as session:
            results.append(
                await checkins.answer(
                    session, person_id=pid, check_in_id=first.id, item=item, value=value, now=NOW
                )
            )
    assert [r.outcome for r in results] == [Outcome.NEXT] * 3
    async with sessions.begin() as session:
        last = await checkins.answer(
            session, person_id=pid, check_in_id=first.id, item="anxiety", value=9, now=NOW
        )
    assert last.outcome is Outcome.NEXT_QUESTIONNAIRE and last.risk == ["anxiety"]
    assert last.check_in is not None and last.check_in.questionnaire == "loneliness"
    async with sessions() as session:
        done = await session.get(CheckIn, first.id)
        assert done is not None and done.status is CheckInStatus.COMPLETED
        assert done.scores["skipped"] == ["worthwhile"]
        assert "worthwhile" not in done.scores["measures"]
        assert done.risk_flags == ["anxiety"]
        # Stale: answering ONS4 again changes nothing.
    async with sessions.begin() as session:
        stale = await checkins.answer(
            session, person_id=pid, check_in_id=first.id, item="anxiety", value=0, now=NOW
        )
        assert stale.outcome is Outcome.STALE
        forged = await checkins.answer(
            session,
            person_id=pid + 99,
            check_in_id=last.check_in.id,
            item="left_out",
            value=1,
            now=NOW,
        )
        assert forged.outcome is Outcome.NOT_YOURS
        invalid = await checkins.answer(
            session,
            person_id=pid,
            check_in_id=last.check_in.id,
            item="lack_companionship",
            value=7,
            now=NOW,
        )
        assert invalid.outcome is Outcome.INVALID
    async with sessions() as session:
        count = len(list((await session.execute(select(Answer))).scalars()))
    assert count == 4


async def test_old_unfinished_check_ins_are_closed_not_resumed(sessions: SessionFactory) -> None:
    pid = await _consented(sessions, 10)
    async with sessions.begin() as session:
        person = await session.get(Person, pid)
        assert person is not None
        old = await checkins.begin(
            session, person, keys=("mood",), context=CheckInContext.ON_DEMAND, now=NOW
        )
    later = NOW + checkins.RESUME_WINDOW + timedelta(hours=1)
    async with sessions.begin() as session:
        person = await session.get(Person, pid)
        assert person is not None
        new = await checkins.begin(
            session, person, keys=("mood",), context=CheckInContext.ON_DEMAND, now=later
        )
    assert new.id != old.id
    async with sessions() as session:
        closed = await session.get(CheckIn, old.id)
        assert closed is not None and closed.status is CheckInStatus.STOPPED


def test_typed_answers_match_button_labels() -> None:
    from bot.questionnaires import load_questionnaire

    item = load_questionnaire("loneliness").item("lonely_direct")
    assert checkins.typed_value(item, "  often/always. ") == 1
    assert checkins.typed_value(item, "never") == 5
    assert checkins.typed_value(item, "banana") is None


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("I can't go on", ["cant go on"]),
        ("i CAN’T GO ON anymore", ["cant go on"]),
        ("Sometimes I want to die", ["want to die"]),
        ("I've been thinking about self-harm", ["self-harm"]),
        ("The choir was killer, loved it", []),
        ("can't go online today", []),
        ("Diet going well", []),
    ],
)
def test_phrase_scan_matches_whole_phrases(text: str, found: list[str]) -> None:
    assert safeguarding.scan_text(text, safeguarding.load_phrases()) == found


def test_threshold_settings_are_parsed_or_refused() -> None:
    parsed = safeguarding.parse_thresholds("ons4.life_satisfaction<=3, mood.well<=20")
    assert parsed["ons4"][0].at_most == 3 and parsed["mood"][0].item_id == "well"
    assert safeguarding.parse_thresholds("") == {}
    with pytest.raises(ValueError):
        safeguarding.parse_thresholds("ons4.anxiety>9")
