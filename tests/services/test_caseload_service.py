"""The caseload: paging, last check-in and trend, bookings, flags, and the audited timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db.models import (
    AuditEvent,
    Booking,
    BookingStatus,
    CheckIn,
    CheckInContext,
    CheckInStatus,
    Reachability,
    Role,
    SafeguardingFlag,
)
from bot.db.session import SessionFactory
from bot.services import caseload
from tests.services.booking_builders import NOW, import_demo, meetings, participant


def _check_in(person_id: int, days_ago: int, mood: float) -> CheckIn:
    return CheckIn(
        person_id=person_id,
        questionnaire="ons4",
        context=CheckInContext.ON_DEMAND,
        status=CheckInStatus.COMPLETED,
        started_at=NOW - timedelta(days=days_ago),
        completed_at=NOW - timedelta(days=days_ago),
        scores={"total": mood, "measures": {"life_satisfaction": mood}},
        next_questionnaires=[],
        risk_flags=[],
    )


async def test_pages_flags_and_trend(sessions: SessionFactory) -> None:
    await import_demo(sessions)
    async with sessions.begin() as session:
        worker = await participant(session, role=Role.LINK_WORKER)
        people = [
            await participant(session, link_worker_id=worker.id, display_name=f"Ann{i} Smith")
            for i in range(caseload.PAGE_SIZE + 2)
        ]
        await participant(session)  # someone else's
        newest, blocked = people[-1], people[-2]
        session.add_all([_check_in(newest.id, 20, 4), _check_in(newest.id, 2, 8)])
        blocked.reachability = Reachability.BLOCKED
        session.add(
            SafeguardingFlag(person_id=newest.id, source="message", reasons=["x"], raised_at=NOW)
        )
        first, second = (await meetings(session, "mor-sing-for-joy"))[:2]
        session.add(
            Booking(person_id=newest.id, occurrence_id=first.id, activity_id=first.activity_id)
        )
        past = Booking(
            person_id=blocked.id,
            occurrence_id=second.id,
            activity_id=second.activity_id,
            status=BookingStatus.ATTENDED,
        )
        session.add(past)
        await session.flush()

        page = await caseload.page(session, worker, 0, now=NOW, quiet_weeks=4)
        assert (page.total, page.pages, len(page.entries)) == (10, 2, caseload.PAGE_SIZE)
        top = page.entries[0]
        assert (top.code, top.first_name, top.upcoming) == (newest.code, "Ann9", 1)
        assert top.last_check_in == NOW - timedelta(days=2)
        assert top.trend == "better"
        assert top.flags == ("safeguarding",)
        assert page.entries[1].flags[0] == "not reachable"
        assert (page.entries[1].attended, page.entries[1].past_bookings) == (1, 1)
        # Consented on 1 November with no check-in: quiet for over four weeks at NOW + 10 days.
        later = await caseload.page(session, worker, 1, now=NOW + timedelta(days=10), quiet_weeks=4)
        assert len(later.entries) == 2 and later.page == 1
        assert all("no check-in for 4+ weeks" in e.flags for e in later.entries)
        assert (await caseload.page(session, worker, 99, now=NOW, quiet_weeks=4)).page == 1


def test_trend_follows_the_measure_direction() -> None:
    low, high = _check_in(1, 10, 2), _check_in(1, 1, 9)
    assert caseload.trend(high, low) == "better"
    assert caseload.trend(low, high) == "worse"
    assert caseload.trend(high, _check_in(1, 5, 9)) == "steady"
    assert caseload.trend(high, None) is None


async def test_timeline_is_audited_and_limited_to_the_caseload(sessions: SessionFactory) -> None:
    async with sessions.begin() as session:
        worker = await participant(session, role=Role.LINK_WORKER)
        other = await participant(session, role=Role.LINK_WORKER)
        coordinator = await participant(session, role=Role.COORDINATOR)
        mine = await participant(session, link_worker_id=worker.id, display_name="Bea Jones")
        session.add(_check_in(mine.id, 3, 6))
        await session.flush()
        person, events = await caseload.timeline(session, worker, mine.id, now=NOW)
        assert person.id == mine.id and events[0].text == "Check-in (ons4): 6"
        assert caseload.first_name(person) == "Bea"
        with pytest.raises(caseload.CaseloadError):
            await caseload.timeline(session, other, mine.id, now=NOW)
        with pytest.raises(caseload.CaseloadError):
            await caseload.member(session, worker, other.id)
        await caseload.timeline(session, coordinator, mine.id, now=NOW)
        audited = list(
            await session.scalars(
                select(AuditEvent.actor_id).where(
                    AuditEvent.action == "checkins.view", AuditEvent.subject_code == mine.code
                )
            )
        )
        assert audited == [worker.id, coordinator.id]
