"""Staff journeys over HTTP: invite a link worker, refer a participant, caseload, session
changes, and a catalogue file with bad rows."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from bot.db.models import (
    SNOMED_SOCIAL_PRESCRIBING_REFERRAL,
    ActivityRow,
    AuditEvent,
    Invite,
    Nudge,
    NudgeKind,
    NudgeStatus,
    OccurrenceRow,
    OccurrenceStatus,
    Role,
)
from bot.local_bot import LocalChorus
from bot.sandbox.received import BotMessage
from bot.services import bookings
from bot.services.nudge_policy import NudgePolicy
from tests.e2e.helpers import COORDINATOR_ID, buttons, eventually, person, press_and_wait

LINK_WORKER_ID = 9100
PARTICIPANT_IDS = (9201, 9202, 9203)
START_CODE = re.compile(r"start=([A-Za-z0-9_-]+)")


async def _command(
    chorus: LocalChorus, user_id: int, text: str, count: int = 1
) -> list[BotMessage]:
    await chorus.client.send_text(user_id, text)
    return await chorus.client.wait_for_messages(user_id, count)


async def _coordinator(chorus: LocalChorus) -> None:
    await chorus.client.register_user(COORDINATOR_ID, "Cora")
    await _command(chorus, COORDINATOR_ID, "/start")


async def _invite_link_worker(chorus: LocalChorus) -> None:
    await _coordinator(chorus)
    [choose] = await _command(chorus, COORDINATOR_ID, "/invite")
    [made] = await press_and_wait(chorus, COORDINATOR_ID, choose, "Link worker")
    match = START_CODE.search(made.text or "")
    assert match is not None, made.text
    await chorus.client.register_user(LINK_WORKER_ID, "Lena Worker")
    await _command(chorus, LINK_WORKER_ID, f"/start {match.group(1)}")


async def _join_with(chorus: LocalChorus, user_id: int, code: str, name: str) -> None:
    client = chorus.client
    await client.register_user(user_id, name)
    await client.send_text(user_id, f"/start {code}")
    await client.wait_for_messages(user_id, 2)
    notice = next(m for m in await client.messages(user_id) if "I agree" in buttons(m))
    [ask_name] = await press_and_wait(chorus, user_id, notice, "I agree")
    [offer] = await press_and_wait(chorus, user_id, ask_name, "Skip the rest")
    await press_and_wait(chorus, user_id, offer, "Not now")

    async def settled() -> bool:
        latest = (await client.messages(user_id))[-1]
        return "What would you like to find" in (latest.text or "")

    await eventually(settled)


async def _referral_code(chorus: LocalChorus, kind: str) -> str:
    [choose] = await _command(chorus, LINK_WORKER_ID, "/refer")
    [made] = await press_and_wait(chorus, LINK_WORKER_ID, choose, kind)
    assert made.file is not None, "the referral comes with a QR code image"
    match = START_CODE.search(made.caption or "")
    assert match is not None, made.caption
    return match.group(1)


async def test_invite_refer_join_and_caseload(chorus: LocalChorus) -> None:
    await _invite_link_worker(chorus)
    worker = await person(chorus, LINK_WORKER_ID)
    assert worker is not None and worker.role is Role.LINK_WORKER

    async def has_staff_menu() -> bool:
        menus = await chorus.client.commands()
        scoped = [names for (scope, _), names in menus.items() if str(LINK_WORKER_ID) in scope]
        return bool(scoped) and any(c["command"] == "caseload" for c in scoped[0])

    await eventually(has_staff_menu)
    default = (await chorus.client.commands()).get(("default", ""), [])
    assert not any(c["command"] in ("caseload", "broadcast", "invite") for c in default)

    code = await _referral_code(chorus, "A clinic (reusable)")
    [prompt] = await press_and_wait(
        chorus,
        LINK_WORKER_ID,
        (await chorus.client.messages(LINK_WORKER_ID))[-1],
        "Add a reason for referral",
    )
    assert "reason for referral" in (prompt.text or "")
    [saved] = await _command(chorus, LINK_WORKER_ID, "Low mood since retiring")
    assert "Saved" in (saved.text or "")
    await _join_with(chorus, PARTICIPANT_IDS[0], code, "Maggie Smith")
    await _join_with(chorus, PARTICIPANT_IDS[1], code, "Tom Jones")

    joined = await person(chorus, PARTICIPANT_IDS[0])
    assert joined is not None and joined.link_worker_id == worker.id
    async with chorus.sessions() as session:
        invite = (await session.execute(select(Invite).where(Invite.code == code))).scalar_one()
    assert invite.snomed_code == SNOMED_SOCIAL_PRESCRIBING_REFERRAL
    assert invite.note == "Low mood since retiring" and invite.uses == 2

    [listing] = await _command(chorus, LINK_WORKER_ID, "/caseload")
    assert joined.code in (listing.text or "")
    assert "Smith" not in (listing.text or ""), "staff views show first names only"
    label = next(b for b in buttons(listing) if b.startswith(joined.code))
    [timeline] = await press_and_wait(chorus, LINK_WORKER_ID, listing, label)
    assert "Message" in buttons(timeline)
    async with chorus.sessions() as session:
        views = await session.scalar(
            select(func.count()).where(
                AuditEvent.action == "checkins.view", AuditEvent.subject_code == joined.code
            )
        )
    assert views == 1
    seen = max(m.message_id for m in await chorus.client.messages(PARTICIPANT_IDS[0]))
    await press_and_wait(chorus, LINK_WORKER_ID, timeline, "Message")
    [too_long] = await _command(chorus, LINK_WORKER_ID, "x" * 701)
    assert "under 700 characters" in (too_long.text or "")
    await chorus.client.send_text(LINK_WORKER_ID, "See you at <the> choir?")
    [received] = await chorus.client.wait_for_messages(PARTICIPANT_IDS[0], 1, after_message_id=seen)
    assert received.text == "See you at <the> choir?"


async def test_cancelled_session_notice_once_and_no_reminder(with_demo: LocalChorus) -> None:
    chorus = with_demo
    await _invite_link_worker(chorus)
    code = await _referral_code(chorus, "A clinic (reusable)")
    for user_id in PARTICIPANT_IDS:
        await _join_with(chorus, user_id, code, f"P{user_id}")
    policy = NudgePolicy.from_settings(chorus.settings)
    async with chorus.sessions.begin() as session:
        activity = await session.scalar(
            select(ActivityRow).where(ActivityRow.title == "Sing for Joy Morecambe")
        )
        assert activity is not None
        occurrence_id = 0
        for user_id in PARTICIPANT_IDS:
            someone = await person(chorus, user_id)
            assert someone is not None
            booked = await bookings.book_next(
                session,
                person_id=someone.id,
                activity_id=activity.id,
                now=chorus.clock.now(),
                policy=policy,
            )
            occurrence_id = booked.booking.occurrence_id
    counts = {uid: len(await chorus.client.messages(uid)) for uid in PARTICIPANT_IDS}
    before = {uid: (await chorus.client.messages(uid))[-1].message_id for uid in PARTICIPANT_IDS}

    [listing] = await _command(chorus, LINK_WORKER_ID, "/sessions sing for joy")
    label = next(b for b in buttons(listing) if "Sing for Joy" in b)
    [menu] = await press_and_wait(chorus, LINK_WORKER_ID, listing, label)
    [confirm] = await press_and_wait(chorus, LINK_WORKER_ID, menu, "Cancel it")
    assert "3 people" in (confirm.text or "")
    [done] = await press_and_wait(chorus, LINK_WORKER_ID, confirm, "Yes, cancel it")
    assert "3 booked" in (done.text or "")

    for user_id in PARTICIPANT_IDS:
        [notice] = await chorus.client.wait_for_messages(
            user_id, 1, timeout=10, after_message_id=before[user_id]
        )
        assert "cancel" in (notice.text or "").lower()

    async def reminders_settled() -> bool:
        async with chorus.sessions() as session:
            pending = await session.scalar(
                select(func.count()).where(
                    Nudge.occurrence_id == occurrence_id, Nudge.status == NudgeStatus.PENDING
                )
            )
        return pending == 0

    await eventually(reminders_settled)
    async with chorus.sessions() as session:
        occurrence = await session.get(OccurrenceRow, occurrence_id)
        assert occurrence is not None and occurrence.status is OccurrenceStatus.CANCELLED
        sent = (
            await session.execute(
                select(Nudge.kind, func.count())
                .where(Nudge.occurrence_id == occurrence_id, Nudge.status == NudgeStatus.SENT)
                .group_by(Nudge.kind)
            )
        ).all()
    assert dict(sent) == {NudgeKind.SESSION_CHANGE: 3}, "one notice each and no reminder"
    for user_id in PARTICIPANT_IDS:
        assert len(await chorus.client.messages(user_id)) == counts[user_id] + 1


BAD_CSV = (
    "id,title,organisation,venue,town,postcode,days,start_time,end_time,cost\n"
    "up-1,Drumming Circle,Beat Together,Hall,Lancaster,LA1 1AA,Monday,18:00,19:30,£2\n"
    "up-2,Pottery,Clay Club,Studio,Lancaster,LA1 1AB,Someday,10:00,12:00,£5\n"
    "up-3,Ukulele,Strum,Library,Lancaster,LA1 1AC,Friday,25:99,12:00,Free\n"
)


async def test_catalogue_file_with_two_bad_rows_is_refused_with_their_errors(
    chorus: LocalChorus,
) -> None:
    await _coordinator(chorus)
    await chorus.client.send_document(COORDINATOR_ID, BAD_CSV.encode(), "update.csv")
    [report] = await chorus.client.wait_for_messages(COORDINATOR_ID, 1, timeout=10)
    text = report.text or ""
    assert "2 problem(s)" in text and "nothing was changed" in text
    assert "update.csv:3: days" in text and "update.csv:4: start_time" in text, text
    async with chorus.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(ActivityRow)) == 0


async def test_move_a_session_add_a_note_and_remove_a_role(with_demo: LocalChorus) -> None:
    chorus = with_demo
    await _invite_link_worker(chorus)
    code = await _referral_code(chorus, "One person")
    user_id = PARTICIPANT_IDS[0]
    await _join_with(chorus, user_id, code, "Maggie")
    policy = NudgePolicy.from_settings(chorus.settings)
    someone = await person(chorus, user_id)
    assert someone is not None
    async with chorus.sessions.begin() as session:
        activity = await session.scalar(
            select(ActivityRow).where(ActivityRow.title == "Sing for Joy Morecambe")
        )
        assert activity is not None
        booked = await bookings.book_next(
            session,
            person_id=someone.id,
            activity_id=activity.id,
            now=chorus.clock.now(),
            policy=policy,
        )
        occurrence_id = booked.booking.occurrence_id
    seen = (await chorus.client.messages(user_id))[-1].message_id

    [listing] = await _command(chorus, LINK_WORKER_ID, "/sessions joy")
    label = next(b for b in buttons(listing) if "Sing for Joy" in b)
    [menu] = await press_and_wait(chorus, LINK_WORKER_ID, listing, label)
    [ask] = await press_and_wait(chorus, LINK_WORKER_ID, menu, "Move it")
    assert "new time" in (ask.text or "")
    [moved] = await _command(chorus, LINK_WORKER_ID, "19:00")
    assert "Moved" in (moved.text or "") and "19:00" in (moved.text or "")
    [notice] = await chorus.client.wait_for_messages(user_id, 1, timeout=10, after_message_id=seen)
    assert "19:00" in (notice.text or "") or "7pm" in (notice.text or "").lower(), notice.text
    async with chorus.sessions() as session:
        occurrence = await session.get(OccurrenceRow, occurrence_id)
        assert occurrence is not None and occurrence.status is OccurrenceStatus.MOVED

    [menu] = await press_and_wait(chorus, LINK_WORKER_ID, listing, label)
    await press_and_wait(chorus, LINK_WORKER_ID, menu, "Add a note")
    [noted] = await _command(chorus, LINK_WORKER_ID, "Bring a water bottle & a smile")
    assert "Sending it to 1 booked" in (noted.text or "")
    [note] = await chorus.client.wait_for_messages(
        user_id, 1, timeout=10, after_message_id=notice.message_id
    )
    assert "Bring a water bottle & a smile" in (note.text or "")

    [listing] = await _command(chorus, COORDINATOR_ID, "/staff")
    worker = await person(chorus, LINK_WORKER_ID)
    assert worker is not None
    [done] = await press_and_wait(chorus, COORDINATOR_ID, listing, f"Remove {worker.code}")
    assert "no longer staff" in (done.text or "")
    [refused] = await _command(chorus, LINK_WORKER_ID, "/caseload")
    assert "only for link workers" in (refused.text or "")

    async def menu_gone() -> bool:
        menus = await chorus.client.commands()
        return not any(str(LINK_WORKER_ID) in scope for scope, _ in menus)

    await eventually(menu_gone)
