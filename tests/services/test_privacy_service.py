"""The /mydata export holds everything about a person; /forget erases it and leaves no trace."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import Base
from bot.db.models import (
    Answer,
    AudienceKind,
    AuditEvent,
    Broadcast,
    BroadcastStatus,
    CheckIn,
    CheckInContext,
    CheckInStatus,
    Delivery,
    DeliveryStatus,
    Invite,
    InviteKind,
    Nudge,
    NudgeKind,
    Person,
    Role,
    SafeguardingFlag,
)
from bot.db.session import SessionFactory
from bot.services import audit, privacy
from tests.services import nudge_builders as build

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
WORKER_TELEGRAM_ID = 987_654_321


def _linked_tables() -> dict[str, Table]:
    """Every table with a foreign-key path to `person`, found from the models themselves."""
    linked: dict[str, Table] = {"person": Base.metadata.tables["person"]}
    grew = True
    while grew:
        grew = False
        for table in Base.metadata.sorted_tables:
            if table.name in linked:
                continue
            if any(fk.column.table.name in linked for fk in table.foreign_keys):
                linked[table.name] = table
                grew = True
    return linked


@dataclass
class World:
    worker: Person
    alice: Person
    bob: Person


async def _world(session: AsyncSession) -> World:
    worker = await build.person(session, role=Role.LINK_WORKER)
    worker.telegram_user_id, worker.display_name = WORKER_TELEGRAM_ID, "Priya Shah"
    alice = await build.person(session, link_worker_id=worker.id, consent_at=NOW)
    alice.display_name, alice.consent_version, alice.home_area = "Alice", "2026-11", "LA4"
    alice.interests, alice.preferences = ["singing"], {"reminders": True, "days": [1]}
    bob = await build.person(session, link_worker_id=worker.id, consent_at=NOW)
    for who, note in ((alice, "felt brighter after choir"), (bob, "bob's private note")):
        check_in = CheckIn(
            person_id=who.id,
            questionnaire="ons4",
            context=CheckInContext.BASELINE,
            status=CheckInStatus.COMPLETED,
            completed_at=NOW,
            scores={"happy": 7},
            note=note,
            risk_flags=[],
        )
        session.add(check_in)
        await session.flush()
        session.add_all(
            [
                Answer(check_in_id=check_in.id, item="happy", value=7),
                Answer(check_in_id=check_in.id, item="anxious", value=None),
            ]
        )
        meeting = await build.occurrence(session, NOW + timedelta(days=2))
        booked = await build.booking(session, who, meeting)
        session.add(
            Nudge(
                key=f"rem:{booked.id}",
                kind=NudgeKind.SESSION_REMINDER,
                person_id=who.id,
                booking_id=booked.id,
                occurrence_id=meeting.id,
                check_in_id=check_in.id,
                due_at=NOW + timedelta(days=1),
            )
        )
        session.add(
            SafeguardingFlag(
                person_id=who.id,
                source="check_in",
                check_in_id=check_in.id,
                reasons=["low_mood"],
                alerted_person_id=worker.id,
            )
        )
        await audit.record(
            session, actor_id=worker.id, action="checkins.view", now=NOW, subject_code=who.code
        )
    session.add(
        Invite(code="ref-abc", kind=InviteKind.REFERRAL, created_by_id=worker.id, note="GP")
    )
    broadcast = Broadcast(
        author_id=worker.id,
        author_chat_id=WORKER_TELEGRAM_ID,
        audience=AudienceKind.CASELOAD,
        text="Choir is at the library this week",
        total=1,
        status=BroadcastStatus.SENDING,
    )
    session.add(broadcast)
    await session.flush()
    session.add(
        Delivery(
            broadcast_id=broadcast.id,
            person_id=alice.id,
            chat_id=alice.telegram_user_id,
            status=DeliveryStatus.SENT,
            sent_at=NOW,
        )
    )
    await session.flush()
    return World(worker, alice, bob)


async def test_the_export_covers_every_column_of_every_table_that_points_at_a_person(
    sessions: SessionFactory,
) -> None:
    async with sessions.begin() as session:
        world = await _world(session)
        exports = [
            await privacy.export(session, world.alice, now=NOW),
            await privacy.export(session, world.worker, now=NOW),
        ]
    tables = _linked_tables()
    # Guards the walk itself: these are known to point at a person today.
    assert {"person", "check_in", "answer", "booking", "nudge", "audit_event"} <= set(tables)
    for name, table in tables.items():
        columns = {column.name for column in table.columns}
        if name == "person":
            assert all(columns <= set(data["person"]) for data in exports)
            continue
        rows = [row for data in exports for row in data.get(name, [])]
        assert rows, f"the export has no {name!r} section (or the test seeds no rows for it)"
        for row in rows:
            assert columns <= set(row), f"{name}: missing {sorted(columns - set(row))}"


async def test_the_export_holds_this_person_only_with_readable_sessions_and_iso_times(
    sessions: SessionFactory,
) -> None:
    async with sessions.begin() as session:
        world = await _world(session)
        data = await privacy.export(session, world.alice, now=NOW)
    text = privacy.to_json(data).decode()
    assert json.loads(text) == data
    assert data["person"]["display_name"] == "Alice"
    assert data["person"]["consent_version"] == "2026-11"
    assert datetime.fromisoformat(data["person"]["consent_at"]) == NOW
    assert data["link_worker"] == {"first_name": "Priya"}
    assert str(WORKER_TELEGRAM_ID) not in text and "Shah" not in text
    assert "felt brighter after choir" in text and "bob's private note" not in text
    assert {row["person_id"] for row in data["check_in"]} == {world.alice.id}
    assert sorted(row["item"] for row in data["answer"]) == ["anxious", "happy"]
    [booking] = data["booking"]
    assert booking["session"]["title"] == "Morecambe Community Choir"
    assert booking["session"]["venue"] == "The Platform"
    assert datetime.fromisoformat(booking["session"]["starts_at"]) == NOW + timedelta(days=2)
    assert [row["subject_code"] for row in data["audit_event"]] == [world.alice.code]
    assert data["invite"] == []  # invitations are the staff's, not a participant's


async def test_before_consent_the_export_holds_only_the_ids_and_code(
    sessions: SessionFactory,
) -> None:
    async with sessions.begin() as session:
        stranger = await build.person(session)
        data = await privacy.export(session, stranger, now=NOW)
    assert data["person"]["code"] == stranger.code
    assert data["person"]["telegram_user_id"] == stranger.telegram_user_id
    assert data["person"]["display_name"] is None and data["person"]["consent_at"] is None
    assert data["link_worker"] is None
    sections = ("check_in", "answer", "booking", "safeguarding_flag", "nudge", "audit_event")
    assert all(data[name] == [] for name in sections)


async def test_holdings_count_what_erasure_would_delete(sessions: SessionFactory) -> None:
    async with sessions.begin() as session:
        world = await _world(session)
        held = await privacy.holdings(session, world.alice)
    assert held.of("check_in") == 1 and held.of("answer") == 2
    assert held.of("booking") == 1 and held.of("nudge") == 1
    assert held.of("safeguarding_flag") == 1


async def _references(session: AsyncSession, person_id: int) -> dict[str, int]:
    """Rows in any table whose foreign key names this person id (directly)."""
    found: dict[str, int] = {}
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == "person":
                count = await session.scalar(
                    select(func.count()).select_from(table).where(fk.parent == person_id)
                )
                found[f"{table.name}.{fk.parent.name}"] = int(count or 0)
    return found


async def test_erasure_removes_the_person_and_everything_about_them(
    sessions: SessionFactory,
) -> None:
    async with sessions.begin() as session:
        world = await _world(session)
        alice_id, alice_code, alice_tg = (
            world.alice.id,
            world.alice.code,
            world.alice.telegram_user_id,
        )
        bob_id = world.bob.id
        before_bob = await _references(session, bob_id)
    async with sessions.begin() as session:
        result = await privacy.erase(session, telegram_user_id=alice_tg, code=alice_code, now=NOW)
    assert result.outcome is privacy.ErasureOutcome.ERASED
    async with sessions() as session:
        assert all(count == 0 for count in (await _references(session, alice_id)).values())
        assert await session.get(Person, alice_id) is None
        left = await session.scalar(select(func.count()).select_from(Answer))
        assert left == 2  # Bob's two answers; Alice's went with her check-in
        assert await _references(session, bob_id) == before_bob
        assert (
            await session.scalar(select(func.count()).where(AuditEvent.subject_code == alice_code))
            == 0
        )
        [erased] = (
            await session.scalars(select(AuditEvent).where(AuditEvent.action == "person.erased"))
        ).all()
    assert erased.actor_id is None and erased.subject_code is None
    assert erased.detail == result.counts
    assert all(isinstance(value, int) for value in erased.detail.values())
    assert erased.detail["check_in"] == 1 and erased.detail["answer"] == 2
    assert erased.detail["nudge"] == 1 and erased.detail["audit_event_unlinked"] == 1
    text = json.dumps(erased.detail)
    assert alice_code not in text and str(alice_tg) not in text and "Alice" not in text


async def test_staff_cannot_erase_themselves_and_nothing_changes(
    sessions: SessionFactory,
) -> None:
    async with sessions.begin() as session:
        world = await _world(session)
        worker_id, tg, code = world.worker.id, world.worker.telegram_user_id, world.worker.code
        before = await _references(session, worker_id)
    async with sessions.begin() as session:
        result = await privacy.erase(session, telegram_user_id=tg, code=code, now=NOW)
    assert result.outcome is privacy.ErasureOutcome.STAFF
    async with sessions() as session:
        assert await session.get(Person, worker_id) is not None
        assert await _references(session, worker_id) == before


async def test_a_stale_or_forged_confirmation_erases_nothing(sessions: SessionFactory) -> None:
    async with sessions.begin() as session:
        world = await _world(session)
        alice_tg, bob_code, bob_id = world.alice.telegram_user_id, world.bob.code, world.bob.id
    async with sessions.begin() as session:
        # Alice presses a button naming Bob's code: refused, whoever's code it is.
        result = await privacy.erase(session, telegram_user_id=alice_tg, code=bob_code, now=NOW)
        unknown = await privacy.erase(session, telegram_user_id=1, code="P-XXXX", now=NOW)
    assert result.outcome is unknown.outcome is privacy.ErasureOutcome.STALE
    async with sessions() as session:
        assert await session.get(Person, bob_id) is not None
        assert await session.scalar(select(func.count()).select_from(Person)) == 3
        assert not (
            await session.scalars(select(AuditEvent).where(AuditEvent.action == "person.erased"))
        ).all()


def test_the_file_is_named_after_the_code() -> None:
    assert privacy.file_name("P-7K3Q") == "chorus-my-data-P-7K3Q.json"
