"""Broadcasts: audiences, the exact preview count, atomic queueing, claiming and reporting."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.migrate import upgrade
from bot.db.models import (
    AudienceKind,
    Booking,
    BookingStatus,
    Broadcast,
    BroadcastStatus,
    Delivery,
    DeliveryStatus,
    Person,
    Reachability,
    Role,
)
from bot.db.session import SessionFactory, create_engine, create_session_factory
from bot.services import broadcast_delivery as deliveries
from bot.services import broadcasts
from tests.services.booking_builders import NOW, import_demo, meetings, participant


async def _staff(session: AsyncSession, role: Role = Role.LINK_WORKER) -> Person:
    return await participant(session, role=role)


async def _queued(
    session: AsyncSession, author: Person, audience: AudienceKind, ref: str | None = None
) -> Broadcast:
    draft = await broadcasts.start_draft(
        session, author, audience, ref=ref, chat_id=author.chat_id or 1, now=NOW
    )
    await broadcasts.set_text(session, author, draft.id, "Hello <everyone>")
    return await broadcasts.confirm(session, author, draft.id, now=NOW)


async def test_caseload_and_area_reach_only_consented_reachable_participants(
    sessions: SessionFactory,
) -> None:
    async with sessions.begin() as session:
        worker = await _staff(session)
        other = await _staff(session)
        mine = [
            await participant(session, link_worker_id=worker.id, home_area="LA4") for _ in range(3)
        ]
        await participant(session, link_worker_id=worker.id, consented=False)
        await participant(session, link_worker_id=worker.id, reachability=Reachability.BLOCKED)
        await participant(session, link_worker_id=other.id, home_area="la4")
        draft = await broadcasts.start_draft(
            session, worker, AudienceKind.CASELOAD, ref=None, chat_id=1, now=NOW
        )
        preview = await broadcasts.set_text(session, worker, draft.id, "  Choir is on  ")
        assert (preview.recipients, preview.text) == (3, "Choir is on")
        sent = await broadcasts.confirm(session, worker, draft.id, now=NOW)
        queued = set(
            await session.scalars(
                select(Delivery.person_id).where(Delivery.broadcast_id == sent.id)
            )
        )
        assert queued == {p.id for p in mine}
        assert sent.total == 3 and sent.status is BroadcastStatus.SENDING

        area = await broadcasts.start_draft(
            session, worker, AudienceKind.AREA, ref=None, chat_id=1, now=NOW
        )
        assert await broadcasts.set_area(session, worker, area.id, " La4 ") == 4


async def test_occurrence_and_series_audiences_follow_bookings(sessions: SessionFactory) -> None:
    await import_demo(sessions)
    async with sessions.begin() as session:
        worker = await _staff(session)
        first, second = (await meetings(session, "mor-sing-for-joy"))[:2]
        people = [await participant(session) for _ in range(3)]
        for who, meeting, status in (
            (people[0], first, BookingStatus.BOOKED),
            (people[1], second, BookingStatus.BOOKED),
            (people[2], first, BookingStatus.CANCELLED),
        ):
            session.add(
                Booking(
                    person_id=who.id,
                    occurrence_id=meeting.id,
                    activity_id=meeting.activity_id,
                    status=status,
                )
            )
        await session.flush()
        on_first = await _queued(session, worker, AudienceKind.OCCURRENCE, str(first.id))
        on_series = await _queued(session, worker, AudienceKind.SERIES, str(first.activity_id))
        assert (on_first.total, on_series.total) == (1, 2)
        assert await broadcasts.booked_series(session, now=NOW) == [
            (first.activity_id, "Sing for Joy Morecambe")
        ]


async def test_only_coordinators_may_write_to_everyone(sessions: SessionFactory) -> None:
    async with sessions.begin() as session:
        worker = await _staff(session)
        coordinator = await _staff(session, Role.COORDINATOR)
        someone = await participant(session)
        for _ in range(2):
            await participant(session)
        with pytest.raises(broadcasts.AudienceRefused):
            await broadcasts.start_draft(
                session, worker, AudienceKind.EVERYONE, ref=None, chat_id=1, now=NOW
            )
        with pytest.raises(broadcasts.AudienceRefused):
            await broadcasts.start_draft(
                session, someone, AudienceKind.CASELOAD, ref=None, chat_id=1, now=NOW
            )
        sent = await _queued(session, coordinator, AudienceKind.EVERYONE)
        assert sent.total == 3


async def test_drafts_are_the_authors_own_and_confirm_once(sessions: SessionFactory) -> None:
    async with sessions.begin() as session:
        worker = await _staff(session)
        intruder = await _staff(session)
        await participant(session, link_worker_id=worker.id)
        draft = await broadcasts.start_draft(
            session, worker, AudienceKind.CASELOAD, ref=None, chat_id=1, now=NOW
        )
        with pytest.raises(broadcasts.BroadcastError, match="type the message"):
            await broadcasts.confirm(session, worker, draft.id, now=NOW)
        with pytest.raises(broadcasts.BroadcastError, match="empty"):
            await broadcasts.set_text(session, worker, draft.id, "   ")
        with pytest.raises(broadcasts.BroadcastError, match="under"):
            await broadcasts.set_text(
                session, worker, draft.id, "x" * (broadcasts.MAX_TEXT_LENGTH + 1)
            )
        await broadcasts.set_text(session, worker, draft.id, "Hi")
        with pytest.raises(broadcasts.BroadcastError, match="not one of yours"):
            await broadcasts.confirm(session, intruder, draft.id, now=NOW)
        assert not await broadcasts.cancel(session, intruder, draft.id)
        await broadcasts.confirm(session, worker, draft.id, now=NOW)
        with pytest.raises(broadcasts.BroadcastError, match="already"):
            await broadcasts.confirm(session, worker, draft.id, now=NOW)
        assert not await broadcasts.cancel(session, worker, draft.id)
        assert await session.scalar(select(func.count()).select_from(Delivery)) == 1

        empty = await broadcasts.start_draft(
            session, intruder, AudienceKind.CASELOAD, ref=None, chat_id=1, now=NOW
        )
        preview = await broadcasts.set_text(session, intruder, empty.id, "Anyone?")
        assert preview.recipients == 0
        with pytest.raises(broadcasts.BroadcastError, match="Nobody"):
            await broadcasts.confirm(session, intruder, empty.id, now=NOW)


async def test_claims_lease_record_and_finish_once(sessions: SessionFactory) -> None:
    async with sessions.begin() as session:
        worker = await _staff(session)
        for _ in range(5):
            await participant(session, link_worker_id=worker.id)
        sent = await _queued(session, worker, AudienceKind.CASELOAD)
    async with sessions.begin() as session:
        first = await deliveries.claim(session, now=NOW, limit=3)
        second = await deliveries.claim(session, now=NOW, limit=10)
        assert len(first) == 3 and len(second) == 2
        assert not {c.delivery_id for c in first} & {c.delivery_id for c in second}
        assert await deliveries.claim(session, now=NOW) == []
        assert first[0].text == "Hello <everyone>"
        # A lease that ran out (a crashed worker) is claimed again.
        assert (
            len(await deliveries.claim(session, now=NOW + deliveries.LEASE + timedelta(seconds=1)))
            == 5
        )
    async with sessions.begin() as session:
        a, b, c, d, e = (item.delivery_id for item in first + second)
        await deliveries.record(session, a, DeliveryStatus.SENT, now=NOW, message_id=7)
        await deliveries.record(session, b, DeliveryStatus.UNREACHABLE, now=NOW, error="blocked")
        await deliveries.record(session, c, DeliveryStatus.FAILED, now=NOW, error="bad")
        await deliveries.release(session, [d, e])
        assert not await deliveries.finish_if_complete(session, sent.id, now=NOW)
        state = await deliveries.progress(session, sent.id)
        assert state is not None and (state.sent, state.unreachable, state.failed) == (1, 1, 0)
    # The failed one is retried until MAX_ATTEMPTS, then recorded as failed.
    for _ in range(deliveries.MAX_ATTEMPTS):
        async with sessions.begin() as session:
            for item in await deliveries.claim(session, now=NOW):
                outcome = DeliveryStatus.FAILED if item.delivery_id == c else DeliveryStatus.SENT
                await deliveries.record(session, item.delivery_id, outcome, now=NOW, error="bad")
    async with sessions.begin() as session:
        state = await deliveries.progress(session, sent.id)
        assert state is not None and (state.sent, state.unreachable, state.failed) == (3, 1, 1)
        assert await deliveries.finish_if_complete(session, sent.id, now=NOW)
        assert not await deliveries.finish_if_complete(session, sent.id, now=NOW)
        assert await deliveries.unfinished(session) == []


@pytest.mark.postgres
async def test_two_workers_on_postgresql_never_claim_the_same_delivery(postgres_url: str) -> None:
    await asyncio.to_thread(upgrade, postgres_url)
    engine = create_engine(postgres_url)
    try:
        sessions = create_session_factory(engine)
        async with sessions.begin() as session:
            worker = await _staff(session)
            for _ in range(200):
                await participant(session, link_worker_id=worker.id)
            await _queued(session, worker, AudienceKind.CASELOAD)

        async def drain() -> list[int]:
            got: list[int] = []
            while True:
                async with sessions.begin() as session:
                    batch = await deliveries.claim(session, now=NOW, limit=7)
                if not batch:
                    return got
                got += [item.delivery_id for item in batch]
                await asyncio.sleep(0)

        results = await asyncio.gather(*(drain() for _ in range(4)))
        claimed = [i for result in results for i in result]
        assert len(claimed) == len(set(claimed)) == 200
    finally:
        await engine.dispose()
