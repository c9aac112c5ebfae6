"""Report periods, cohorts and who may review whom."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.db.models import AuditEvent, BookingStatus, Person, Role
from bot.db.session import SessionFactory
from bot.services.report_cohorts import (
    Cohort,
    CohortKind,
    ReportRefused,
    authorise,
    custom_period,
    members,
    parse_period,
)
from tests.services import report_builders as build

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)


def test_this_month_runs_from_local_midnight_on_the_first_to_the_end_of_today() -> None:
    period = parse_period("m", now=NOW, zone=LONDON)

    assert period.start == datetime(2026, 11, 1, 0, 0, tzinfo=UTC)  # GMT in November
    assert period.end == datetime(2026, 11, 24, 0, 0, tzinfo=UTC)
    assert period.token == "m"


def test_last_three_months_crosses_the_clock_change_at_local_midnight() -> None:
    period = parse_period("q", now=NOW, zone=LONDON)

    # 24 August is in British Summer Time, so local midnight is 23:00 UTC the day before.
    assert period.start == datetime(2026, 8, 23, 23, 0, tzinfo=UTC)
    assert period.end == datetime(2026, 11, 24, 0, 0, tzinfo=UTC)


def test_custom_period_includes_both_days_and_round_trips_through_its_token() -> None:
    period = custom_period(date(2026, 1, 1), date(2026, 3, 31), LONDON)

    assert period.token == "20260101-20260331"
    assert parse_period(period.token, now=NOW, zone=LONDON) == period
    # 31 March is in British Summer Time: the day ends at 23:00 UTC.
    assert period.contains(datetime(2026, 3, 31, 22, 59, tzinfo=UTC))
    assert not period.contains(datetime(2026, 3, 31, 23, 0, tzinfo=UTC))


@pytest.mark.parametrize("token", ["x", "20260331-20260101", "20261301-20261302", "2026-01-01"])
def test_bad_period_tokens_are_refused(token: str) -> None:
    with pytest.raises(ValueError):
        parse_period(token, now=NOW, zone=LONDON)


def test_a_period_over_three_years_is_refused() -> None:
    with pytest.raises(ValueError, match="three years"):
        custom_period(date(2020, 1, 1), date(2026, 1, 1), LONDON)


@pytest.mark.parametrize(
    ("token", "cohort"),
    [
        ("all", Cohort(CohortKind.EVERYONE)),
        ("lw12", Cohort(CohortKind.CASELOAD, "12")),
        ("a7", Cohort(CohortKind.ACTIVITY, "7")),
        ("c=singing", Cohort(CohortKind.CATEGORY, "singing")),
        ("area=la4", Cohort(CohortKind.AREA, "la4")),
    ],
)
def test_cohort_tokens_round_trip(token: str, cohort: Cohort) -> None:
    assert Cohort.parse(token) == cohort
    assert Cohort.parse(cohort.token) == cohort


@pytest.mark.parametrize("token", ["", "lw", "lwx", "a-1", "c=", "c:singing", "everyone"])
def test_bad_cohort_tokens_are_refused(token: str) -> None:
    with pytest.raises(ValueError):
        Cohort.parse(token)


async def test_participants_and_strangers_are_refused_and_the_refusal_is_audited(
    sessions: SessionFactory,
) -> None:
    async with sessions.begin() as session:
        await build.person(session, code="P-2222", created_at=NOW, telegram_user_id=501)
    for telegram_id in (501, 999):
        async with sessions.begin() as session:
            with pytest.raises(ReportRefused, match="link workers and coordinators"):
                await authorise(session, telegram_id, now=NOW, action="review")
    async with sessions() as session:
        events = (await session.execute(select(AuditEvent))).scalars().all()
    assert [event.action for event in events] == ["review.denied", "review.denied"]
    assert events[1].actor_id is None


async def test_link_workers_see_only_their_caseload_whatever_they_ask_for(
    sessions: SessionFactory,
) -> None:
    async with sessions.begin() as session:
        coordinator = await build.person(
            session, code="P-C000", created_at=NOW, role=Role.COORDINATOR
        )
        ana = await build.person(session, code="P-A000", created_at=NOW, role=Role.LINK_WORKER)
        ben = await build.person(session, code="P-B000", created_at=NOW, role=Role.LINK_WORKER)
        mine = await build.person(
            session, code="P-3333", created_at=NOW, link_worker=ana, area="LA4"
        )
        theirs = await build.person(
            session, code="P-4444", created_at=NOW, link_worker=ben, area="LA4"
        )
        loose = await build.person(session, code="P-6666", created_at=NOW, area="LA12")

        async def ids(viewer: Person, cohort: Cohort) -> set[int]:
            query = await members(session, viewer, cohort)
            return set((await session.execute(query)).scalars())

        assert await ids(coordinator, Cohort(CohortKind.EVERYONE)) == {mine.id, theirs.id, loose.id}
        assert await ids(ana, Cohort(CohortKind.EVERYONE)) == {mine.id}
        assert await ids(ana, Cohort(CohortKind.AREA, "la4")) == {mine.id}
        assert await ids(coordinator, Cohort(CohortKind.CASELOAD, str(ben.id))) == {theirs.id}
        assert await ids(ana, Cohort(CohortKind.CASELOAD, str(ana.id))) == {mine.id}
        with pytest.raises(ReportRefused, match="own caseload"):
            await ids(ana, Cohort(CohortKind.CASELOAD, str(ben.id)))


async def test_area_cohorts_match_a_district_exactly_or_every_district_of_an_area(
    sessions: SessionFactory,
) -> None:
    async with sessions.begin() as session:
        coordinator = await build.person(
            session, code="P-C000", created_at=NOW, role=Role.COORDINATOR
        )
        la1 = await build.person(session, code="P-3333", created_at=NOW, area="la1")
        la12 = await build.person(session, code="P-4444", created_at=NOW, area="LA12")
        await build.person(session, code="P-6666", created_at=NOW, area="LAX")
        await build.person(session, code="P-7777", created_at=NOW, area="PR1")

        async def ids(area: str) -> set[int]:
            query = await members(session, coordinator, Cohort(CohortKind.AREA, area))
            return set((await session.execute(query)).scalars())

        assert await ids("la1") == {la1.id}
        assert await ids("la") == {la1.id, la12.id}


async def test_activity_and_category_cohorts_are_the_people_booked_on_them(
    sessions: SessionFactory,
) -> None:
    async with sessions.begin() as session:
        coordinator = await build.person(
            session, code="P-C000", created_at=NOW, role=Role.COORDINATOR
        )
        choir, [sing] = await build.activity(session, "Choir", ["Singing"], starts=[NOW])
        _, [pot] = await build.activity(session, "Pottery", ["Crafts"], starts=[NOW])
        singer = await build.person(session, code="P-3333", created_at=NOW)
        potter = await build.person(session, code="P-4444", created_at=NOW)
        await build.booking(session, singer, sing, BookingStatus.BOOKED)
        await build.booking(session, potter, pot, BookingStatus.ATTENDED)

        async def ids(cohort: Cohort) -> set[int]:
            query = await members(session, coordinator, cohort)
            return set((await session.execute(query)).scalars())

        assert await ids(Cohort(CohortKind.ACTIVITY, str(choir.id))) == {singer.id}
        assert await ids(Cohort(CohortKind.CATEGORY, "singing")) == {singer.id}
        assert await ids(Cohort(CohortKind.CATEGORY, "drumming")) == set()
