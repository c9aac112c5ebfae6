"""The review summary's counts, session mood pairs, attendance by week and shared quotes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.db.models import (
    AuditEvent,
    BookingStatus,
    CheckInContext,
    CheckInStatus,
    Person,
    Role,
)
from bot.db.session import SessionFactory
from bot.services.report_cohorts import Cohort, CohortKind, custom_period
from bot.services.reports import build_report, review_summary
from tests.services import report_builders as build

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
PERIOD = custom_period(date(2026, 9, 1), date(2026, 10, 31), LONDON)


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


async def _seed(sessions: SessionFactory) -> dict[str, Person]:
    """Five participants whose every count is known (see each line)."""
    async with sessions.begin() as session:
        staff = {
            "coordinator": await build.person(
                session, code="P-C000", created_at=at(1, 1), role=Role.COORDINATOR
            ),
            "ana": await build.person(
                session, code="P-A000", created_at=at(1, 1), role=Role.LINK_WORKER
            ),
        }
        ana = staff["ana"]
        _, [october, _late] = await build.activity(
            session, "Harbour Singers", ["Singing"], starts=[at(10, 7, 18), at(11, 4, 18)]
        )
        # Joined before the period; one completed check-in in it: active.
        p1 = await build.person(
            session, code="P-0001", created_at=at(8, 1), link_worker=ana, consent_at=at(8, 1)
        )
        await build.check_in(
            session, p1, "ons4", CheckInContext.ON_DEMAND, {"life_satisfaction": 5}, at=at(10, 2)
        )
        # Referred and joined in the period; attended.
        p2 = await build.person(
            session, code="P-0002", created_at=at(9, 10), link_worker=ana, consent_at=at(9, 10)
        )
        await build.booking(session, p2, october, BookingStatus.ATTENDED)
        # Came on their own (no link worker) and joined; did not attend.
        p3 = await build.person(session, code="P-0003", created_at=at(10, 1), consent_at=at(10, 1))
        await build.booking(session, p3, october, BookingStatus.DID_NOT_ATTEND)
        # Referred, never consented, then blocked the bot.
        await build.person(
            session, code="P-0004", created_at=at(10, 5), link_worker=ana, blocked=True
        )
        # Referred and joined; a booking with attendance not yet known; a half-done check-in.
        p5 = await build.person(
            session, code="P-0005", created_at=at(9, 2), link_worker=ana, consent_at=at(9, 2)
        )
        await build.booking(session, p5, october, BookingStatus.BOOKED)
        await build.check_in(
            session,
            p5,
            "ons4",
            CheckInContext.ON_DEMAND,
            {"life_satisfaction": 5},
            at=at(10, 3),
            status=CheckInStatus.IN_PROGRESS,
        )
        # Arrived after the period: not counted at all.
        await build.person(session, code="P-0006", created_at=at(11, 5), link_worker=ana)
    return staff


async def test_coordinator_summary_counts_each_definition(sessions: SessionFactory) -> None:
    staff = await _seed(sessions)
    async with sessions.begin() as session:
        label, summary = await review_summary(
            session, staff["coordinator"], PERIOD, Cohort(CohortKind.EVERYONE), now=NOW, threshold=5
        )

    assert label == "everyone"
    assert not summary.suppressed
    assert (summary.people, summary.referrals, summary.joined, summary.active) == (5, 3, 3, 4)
    assert (summary.check_ins_completed, summary.bookings) == (1, 3)
    assert (summary.attended, summary.did_not_attend, summary.unreachable) == (1, 1, 1)
    assert summary.attendance_rate == pytest.approx(0.5)
    async with sessions() as session:
        [event] = (await session.execute(select(AuditEvent))).scalars().all()
    assert event.action == "review.summary"
    assert event.detail == {"period": PERIOD.token, "cohort": "all"}


async def test_link_worker_summary_is_their_caseload_and_small_ones_are_withheld(
    sessions: SessionFactory,
) -> None:
    staff = await _seed(sessions)
    async with sessions.begin() as session:
        _, mine = await review_summary(
            session, staff["ana"], PERIOD, Cohort(CohortKind.EVERYONE), now=NOW, threshold=3
        )
        _, withheld = await review_summary(
            session, staff["ana"], PERIOD, Cohort(CohortKind.EVERYONE), now=NOW, threshold=5
        )

    assert (mine.people, mine.referrals, mine.joined, mine.active) == (4, 3, 2, 3)
    assert (mine.bookings, mine.attended, mine.did_not_attend) == (2, 1, 0)
    assert withheld.suppressed and withheld.people == 4
    assert (withheld.referrals, withheld.active, withheld.bookings) == (0, 0, 0)


async def test_session_mood_pairs_count_each_person_once_per_group(
    sessions: SessionFactory,
) -> None:
    async with sessions.begin() as session:
        coordinator = await build.person(
            session, code="P-C000", created_at=at(1, 1), role=Role.COORDINATOR
        )
        starts = [at(9, 7, 18) + timedelta(weeks=w) for w in range(3)]
        _, choir_sessions = await build.activity(session, "Choir", ["Singing"], starts=starts)
        _, drum_sessions = await build.activity(session, "Drums", ["Music"], starts=starts[:1])
        people = [
            await build.person(session, code=f"P-{n:04d}", created_at=at(8, 1)) for n in range(6)
        ]
        for n, who in enumerate(people):
            # Everyone goes to the three choir sessions: mood 40 before, 40 + 10n after.
            for occurrence in choir_sessions:
                await build.booking(session, who, occurrence, BookingStatus.ATTENDED)
                for context, value, minutes in (
                    (CheckInContext.PRE_SESSION, 4, -10),
                    (CheckInContext.POST_SESSION, 4 + n, 130),
                ):
                    await build.check_in(
                        session,
                        who,
                        "mood",
                        context,
                        dict.fromkeys(
                            ("happy", "interested", "confident", "relaxed", "well"), value * 10
                        ),
                        at=occurrence.starts_at + timedelta(minutes=minutes),
                        occurrence=occurrence,
                    )
        # One drummer answered only before: no pair.
        await build.check_in(
            session,
            people[0],
            "mood",
            CheckInContext.PRE_SESSION,
            {"happy": 50, "interested": 50, "confident": 50},
            at=drum_sessions[0].starts_at,
            occurrence=drum_sessions[0],
        )
        report = await build_report(
            session,
            coordinator,
            PERIOD,
            Cohort(CohortKind.EVERYONE),
            now=NOW,
            zone=LONDON,
            min_n=5,
            threshold=5,
        )

    groups = {row.group: row for row in report.mood}
    assert set(groups) == {"All sessions", "Activity: Choir", "Category: singing"}
    row = groups["Activity: Choir"]
    assert (row.n, row.sessions) == (6, 18)
    assert row.pairs == tuple((40.0, 40.0 + 10 * n) for n in range(6))
    assert row.result is not None and row.result.improved == 4  # +20 or more beats 10 points
    assert report.attendance[0] == (date(2026, 9, 7), 6, 6)
    assert [week for week, _, _ in report.attendance] == [
        date(2026, 9, 7),
        date(2026, 9, 14),
        date(2026, 9, 21),
    ]


async def test_quotes_are_only_shared_notes_newest_first_and_at_most_three(
    sessions: SessionFactory,
) -> None:
    async with sessions.begin() as session:
        coordinator = await build.person(
            session, code="P-C000", created_at=at(1, 1), role=Role.COORDINATOR
        )
        people = [
            await build.person(session, code=f"P-{n:04d}", created_at=at(8, 1)) for n in range(5)
        ]
        notes = [
            ("Singing made my week.", True, at(9, 5)),
            ("Private: do not share.", False, at(10, 20)),
            ("I   talked to   someone new.", True, at(10, 1)),
            ("The drumming was loud <b>but</b> fun.", True, at(10, 10)),
            ("Old news from before.", True, at(8, 5)),
            ("Felt calmer after.", True, at(9, 20)),
        ]
        for n, (note, shareable, when) in enumerate(notes):
            await build.check_in(
                session,
                people[n % 5],
                "ons4",
                CheckInContext.ON_DEMAND,
                {"life_satisfaction": 6},
                at=when,
                note=note,
                shareable=shareable,
            )
        report = await build_report(
            session,
            coordinator,
            PERIOD,
            Cohort(CohortKind.EVERYONE),
            now=NOW,
            zone=LONDON,
            min_n=5,
            threshold=5,
        )

    assert report.quotes == (
        "The drumming was loud <b>but</b> fun.",
        "I talked to someone new.",
        "Felt calmer after.",
    )
