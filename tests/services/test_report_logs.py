"""Check-in logs: paged, newest first, visible only to the right staff, every view audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.db.models import AuditEvent, CheckInContext, Person, Role
from bot.db.session import SessionFactory
from bot.services.report_cohorts import ReportRefused
from bot.services.report_logs import PAGE_SIZE, person_log, session_log
from tests.services import report_builders as build

NOW = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
START = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


async def _seed(sessions: SessionFactory) -> tuple[dict[str, Person], int]:
    async with sessions.begin() as session:
        people = {
            "coordinator": await build.person(
                session, code="P-C000", created_at=START, role=Role.COORDINATOR
            ),
            "ana": await build.person(
                session, code="P-A000", created_at=START, role=Role.LINK_WORKER
            ),
            "ben": await build.person(
                session, code="P-B000", created_at=START, role=Role.LINK_WORKER
            ),
        }
        people["sam"] = await build.person(
            session, code="P-7K3Q", created_at=START, name="Sam Smith", link_worker=people["ana"]
        )
        people["kit"] = await build.person(
            session, code="P-9XYZ", created_at=START, name="Kit Jones", link_worker=people["ben"]
        )
        _, [meeting] = await build.activity(session, "Choir", ["Singing"], starts=[START])
        for day in range(7):
            await build.check_in(
                session,
                people["sam"],
                "ons4",
                CheckInContext.ON_DEMAND,
                {"life_satisfaction": day, "anxiety": None},
                at=START + timedelta(days=day),
                note=f"day {day}",
            )
        for who in ("sam", "kit"):
            await build.check_in(
                session,
                people[who],
                "mood",
                CheckInContext.PRE_SESSION,
                {"happy": 50, "interested": 60, "confident": 70},
                at=START - timedelta(minutes=5),
                occurrence=meeting,
            )
    return people, meeting.id


async def test_person_log_pages_newest_first_with_scores_notes_and_first_names(
    sessions: SessionFactory,
) -> None:
    people, _ = await _seed(sessions)
    async with sessions.begin() as session:
        first = await person_log(session, people["ana"], " p-7k3q ", page=1, now=NOW)
        second = await person_log(session, people["ana"], "P-7K3Q", page=2, now=NOW)
        beyond = await person_log(session, people["ana"], "P-7K3Q", page=9, now=NOW)

    assert (first.total, first.pages, len(first.entries)) == (8, 2, PAGE_SIZE)
    assert [entry.note for entry in first.entries] == [f"day {d}" for d in (6, 5, 4, 3, 2)]
    assert [entry.note for entry in second.entries] == ["day 1", "day 0", None]
    assert beyond.page == 2
    newest = first.entries[0]
    assert (newest.code, newest.first_name) == ("P-7K3Q", "Sam")
    assert newest.measures == {"life_satisfaction": 6.0}
    async with sessions() as session:
        events = (await session.execute(select(AuditEvent))).scalars().all()
    assert [(e.action, e.subject_code, e.actor_id) for e in events] == [
        ("checkins.view", "P-7K3Q", people["ana"].id)
    ] * 3


async def test_link_workers_cannot_see_someone_elses_participant(sessions: SessionFactory) -> None:
    people, _ = await _seed(sessions)
    for code in ("P-9XYZ", "P-NONE", "P-A000"):
        async with sessions.begin() as session:
            with pytest.raises(ReportRefused, match="No participant"):
                await person_log(session, people["ana"], code, page=1, now=NOW)
    async with sessions.begin() as session:
        theirs = await person_log(session, people["coordinator"], "P-9XYZ", page=1, now=NOW)
    assert theirs.total == 1
    async with sessions() as session:
        actions = [e.action for e in (await session.execute(select(AuditEvent))).scalars()]
    assert actions == ["checkins.denied"] * 3 + ["checkins.view"]


async def test_session_log_shows_only_the_viewers_people_and_audits_each(
    sessions: SessionFactory,
) -> None:
    people, meeting = await _seed(sessions)
    async with sessions.begin() as session:
        everyone = await session_log(session, people["coordinator"], meeting, page=1, now=NOW)
        ana_only = await session_log(session, people["ana"], meeting, page=1, now=NOW)
        with pytest.raises(ReportRefused, match="no session"):
            await session_log(session, people["coordinator"], meeting + 100, page=1, now=NOW)

    assert everyone.subject == "Choir, 1 Oct 2026"
    assert sorted(entry.code for entry in everyone.entries) == ["P-7K3Q", "P-9XYZ"]
    assert [entry.code for entry in ana_only.entries] == ["P-7K3Q"]
    async with sessions() as session:
        events = (await session.execute(select(AuditEvent))).scalars().all()
    assert sorted((e.subject_code, e.detail["session"]) for e in events) == [
        ("P-7K3Q", meeting),
        ("P-7K3Q", meeting),
        ("P-9XYZ", meeting),
    ]
