"""Staff roles and referral links: who may do what, one-time links, notes, SNOMED, QR codes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db.models import (
    SNOMED_SOCIAL_PRESCRIBING_REFERRAL,
    AuditEvent,
    InviteKind,
    Role,
)
from bot.db.session import SessionFactory
from bot.services import invites, referrals, roles
from tests.services.booking_builders import NOW, participant


async def test_allowed_reads_the_role() -> None:
    assert not roles.allowed(None)


async def test_coordinators_invite_staff_once_and_remove_roles(sessions: SessionFactory) -> None:
    async with sessions.begin() as session:
        coordinator = await participant(session, role=Role.COORDINATOR)
        worker = await participant(session, role=Role.LINK_WORKER)
        someone = await participant(session)
        assert roles.allowed(worker) and not roles.allowed(worker, coordinator=True)
        assert roles.allowed(coordinator, coordinator=True) and not roles.allowed(someone)

        invite = await roles.invite_staff(session, coordinator, Role.LINK_WORKER, now=NOW)
        assert (invite.kind, invite.role, invite.max_uses) == (
            InviteKind.STAFF,
            Role.LINK_WORKER,
            1,
        )
        assert invite.expires_at == NOW + roles.STAFF_INVITE_LIFETIME
        assert invite.code.startswith("s") and len(invite.code) <= 64
        with pytest.raises(roles.RoleError):
            await roles.invite_staff(session, worker, Role.LINK_WORKER, now=NOW)
        with pytest.raises(roles.RoleError):
            await roles.invite_staff(session, coordinator, Role.PARTICIPANT, now=NOW)

        assert await invites.redeem(session, invite, someone)
        assert someone.role is Role.LINK_WORKER
        assert not (await invites.check(session, invite.code, now=NOW)).valid

        removed = await roles.remove_role(session, coordinator, someone.id, now=NOW)
        assert removed.role is Role.PARTICIPANT
        for target, admin_ids in ((coordinator.id, frozenset()), (someone.id, frozenset())):
            with pytest.raises(roles.RoleError):
                await roles.remove_role(session, coordinator, target, now=NOW, admin_ids=admin_ids)
        admin = await participant(session, role=Role.COORDINATOR)
        with pytest.raises(roles.RoleError, match="ADMIN_TELEGRAM_IDS"):
            await roles.remove_role(
                session,
                coordinator,
                admin.id,
                now=NOW,
                admin_ids=frozenset({admin.telegram_user_id}),
            )
        with pytest.raises(roles.RoleError):
            await roles.remove_role(session, worker, coordinator.id, now=NOW)
        assert [p.id for p in await roles.staff(session)] == [coordinator.id, admin.id, worker.id]
        actions = list(await session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
        assert actions == ["role.invite", "role.remove"]


async def test_referral_links_for_a_person_or_a_clinic(sessions: SessionFactory) -> None:
    async with sessions.begin() as session:
        worker = await participant(session, role=Role.LINK_WORKER)
        other = await participant(session, role=Role.LINK_WORKER)
        one = await referrals.create(session, worker, reusable=False, now=NOW, note="  ")
        clinic = await referrals.create(session, worker, reusable=True, now=NOW, note="GP surgery")
        assert (one.max_uses, one.note, one.expires_at) == (
            1,
            None,
            NOW + referrals.PERSONAL_LIFETIME,
        )
        assert (clinic.max_uses, clinic.expires_at) == (None, NOW + referrals.CLINIC_LIFETIME)
        assert {one.snomed_code, clinic.snomed_code} == {SNOMED_SOCIAL_PRESCRIBING_REFERRAL}
        assert (await referrals.set_note(session, worker, one.id, "x" * 900)).note == "x" * 500
        with pytest.raises(roles.RoleError):
            await referrals.set_note(session, other, one.id, "mine now")
        with pytest.raises(roles.RoleError):
            await referrals.create(session, await participant(session), reusable=True, now=NOW)

        people = [await participant(session) for _ in range(3)]
        for who in people:
            assert await invites.redeem(session, clinic, who)
            assert who.link_worker_id == worker.id
        assert await invites.redeem(session, one, people[0])
        assert not await invites.redeem(session, one, people[1])


def test_deep_link_and_qr_code() -> None:
    link = referrals.deep_link("ChorusBot", "rAbC")
    assert link == "https://t.me/ChorusBot?start=rAbC"
    png = referrals.qr_png(link)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 200
