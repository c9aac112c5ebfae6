"""Applying imports to the database: created, updated, unchanged, and occurrences materialised."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from bot.db.models import ActivityRow, OccurrenceRow, OccurrenceStatus
from bot.db.session import SessionFactory
from bot.services import catalogue as store
from catalogue.geo import Place
from catalogue.model import (
    Activity,
    Catalogue,
    Frequency,
    Organisation,
    Schedule,
    Status,
    Venue,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday


def _catalogue() -> Catalogue:
    org = Organisation("org-1", "Bay Voices")
    venue = Venue(
        "ven-1",
        "West End Hall",
        town="Morecambe",
        postcode="LA4 4DB",
        latitude=54.07,
        longitude=-2.87,
        accessibility=frozenset({"step_free"}),
    )
    weekly = Schedule(Frequency.WEEKLY, byday=("TU",), opens_at=time(10, 30), closes_at=time(12))
    monthly = Schedule(Frequency.MONTHLY, byday=("-1FR",), opens_at=time(14), closes_at=time(16))
    choir = Activity(
        "svc-choir",
        "Bay Voices Community Choir",
        organisation_id="org-1",
        venue_id="ven-1",
        categories=frozenset({"singing", "choir"}),
        is_free=True,
        schedules=(weekly,),
    )
    dance = Activity(
        "svc-dance",
        "Tea Dance",
        organisation_id="org-1",
        venue_id="ven-1",
        categories=frozenset({"dance"}),
        schedules=(monthly,),
    )
    gone = Activity(
        "svc-gone", "Old Club", status=Status.DEFUNCT, schedules=(weekly,), venue_id="ven-1"
    )
    return Catalogue(
        organisations={org.source_id: org},
        venues={venue.source_id: venue},
        activities={a.source_id: a for a in (choir, dance, gone)},
    )


async def _occurrences(sessions: SessionFactory, source_id: str) -> list[OccurrenceRow]:
    async with sessions() as session:
        rows = await session.execute(
            select(OccurrenceRow)
            .join(ActivityRow)
            .where(ActivityRow.source_id == source_id)
            .order_by(OccurrenceRow.starts_at)
        )
        return list(rows.scalars())


async def test_first_import_creates_everything_and_materialises_eight_weeks(
    sessions: SessionFactory,
) -> None:
    async with sessions.begin() as session:
        summary = await store.apply_import(session, _catalogue(), now=NOW)
    assert (summary.organisations.created, summary.venues.created) == (1, 1)
    assert summary.activities.created == 3
    choir = await _occurrences(sessions, "svc-choir")
    assert len(choir) == 8  # Tuesdays 24 Nov 2026 .. 12 Jan 2027
    assert choir[0].starts_at == datetime(2026, 11, 24, 10, 30, tzinfo=UTC)
    assert {o.starts_at.weekday() for o in choir} == {1}
    dance = await _occurrences(sessions, "svc-dance")
    assert [o.starts_at.date() for o in dance] == [date(2026, 11, 27), date(2026, 12, 25)]
    assert await _occurrences(sessions, "svc-gone") == []


async def test_reimport_is_idempotent(sessions: SessionFactory) -> None:
    async with sessions.begin() as session:
        await store.apply_import(session, _catalogue(), now=NOW)
    async with sessions.begin() as session:
        again = await store.apply_import(session, _catalogue(), now=NOW)
    assert again.activities.created == 0
    assert again.activities.updated == 0
    assert again.activities.unchanged == 3
    assert (again.occurrences_added, again.occurrences_removed) == (0, 0)
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(ActivityRow)) == 3


async def test_changed_schedule_updates_in_place_and_keeps_hand_made_changes(
    sessions: SessionFactory,
) -> None:
    async with sessions.begin() as session:
        await store.apply_import(session, _catalogue(), now=NOW)
    first = (await _occurrences(sessions, "svc-choir"))[0]
    async with sessions.begin() as session:
        row = await session.get(OccurrenceRow, first.id)
        assert row is not None
        row.status = OccurrenceStatus.CANCELLED
    changed = _catalogue()
    choir = changed.activities["svc-choir"]
    thursday = replace(choir.schedules[0], byday=("TH",))
    changed.activities["svc-choir"] = replace(choir, schedules=(thursday,))
    async with sessions.begin() as session:
        summary = await store.apply_import(session, changed, now=NOW)
    assert summary.activities.updated == 1
    assert summary.activities.unchanged == 2
    occurrences = await _occurrences(sessions, "svc-choir")
    cancelled = [o for o in occurrences if o.status is OccurrenceStatus.CANCELLED]
    assert [o.id for o in cancelled] == [first.id]  # a hand-made change survives
    assert {o.starts_at.weekday() for o in occurrences if o.id != first.id} == {3}


async def test_failed_transaction_leaves_nothing_behind(sessions: SessionFactory) -> None:
    class Boom(Exception):
        pass

    try:
        async with sessions.begin() as session:
            await store.apply_import(session, _catalogue(), now=NOW)
            raise Boom
    except Boom:
        pass
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(ActivityRow)) == 0


async def test_load_back_round_trips_and_lists_upcoming(sessions: SessionFactory) -> None:
    original = _catalogue()
    async with sessions.begin() as session:
        await store.apply_import(session, original, now=NOW)
    async with sessions() as session:
        loaded = await store.load_catalogue(session)
        upcoming = await store.upcoming_occurrences(session, now=NOW + timedelta(days=7))
    assert loaded.activities == original.activities
    assert loaded.venues == original.venues
    assert loaded.organisations == original.organisations
    assert len(upcoming["svc-choir"]) == 7
    assert "svc-gone" not in upcoming


async def test_places_and_version(sessions: SessionFactory) -> None:
    async with sessions() as session:
        before = await store.version(session)
    async with sessions.begin() as session:
        await store.save_places(
            session, [Place("LA4", "district", 54.07, -2.86)], source="test.csv"
        )
        await store.save_places(
            session, [Place("LA4", "district", 54.08, -2.85)], source="test.csv"
        )
    async with sessions() as session:
        places = await store.load_places(session)
        after = await store.version(session)
    assert places == [Place("LA4", "district", 54.08, -2.85)]
    assert before != after


async def test_a_booked_meeting_dropped_from_the_schedule_is_cancelled_not_deleted(
    sessions: SessionFactory,
) -> None:
    from bot.db.models import Booking, Nudge, NudgeKind, Role
    from bot.services import people

    async with sessions.begin() as session:
        await store.apply_import(session, _catalogue(), now=NOW)
    booked, unbooked = (await _occurrences(sessions, "svc-choir"))[:2]
    async with sessions.begin() as session:
        person = await people.ensure_role(session, 77, Role.PARTICIPANT, now=NOW)
        session.add(
            Booking(person_id=person.id, occurrence_id=booked.id, activity_id=booked.activity_id)
        )
    changed = _catalogue()
    choir = changed.activities["svc-choir"]
    changed.activities["svc-choir"] = replace(
        choir, schedules=(replace(choir.schedules[0], byday=("TH",)),)
    )
    async with sessions.begin() as session:
        await store.apply_import(session, changed, now=NOW)
    async with sessions() as session:
        kept = await session.get(OccurrenceRow, booked.id)
        assert kept is not None and kept.status is OccurrenceStatus.CANCELLED
        assert await session.get(OccurrenceRow, unbooked.id) is None
        notices = list(
            (
                await session.execute(
                    select(Nudge).where(
                        Nudge.person_id == person.id, Nudge.kind == NudgeKind.SESSION_CHANGE
                    )
                )
            ).scalars()
        )
    assert len(notices) == 1  # the booked person is told, once
