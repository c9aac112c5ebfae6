"""`/review` over HTTP: coordinators see all, link workers their caseload, participants nothing."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import matplotlib.image
import pytest
from sqlalchemy import select

from bot.db.models import Answer, AuditEvent, CheckIn, CheckInContext, Person, Role
from bot.local_bot import LocalChorus
from bot.sandbox.limits import Limits
from bot.sandbox.received import BotMessage
from tests.e2e.helpers import (
    COORDINATOR_ID,
    answer_questions,
    eventually,
    join,
    person,
    press_and_wait,
)
from tests.services import report_builders as build

LINK_WORKER_ID = 9002
PARTICIPANT_ID = 1001
MAGGIE = 3001
BASELINE_AT = datetime(2026, 8, 30, 10, 0, tzinfo=UTC)
FOLLOW_UP_AT = datetime(2026, 10, 15, 10, 0, tzinfo=UTC)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def e2e_limits() -> Limits:
    """No flood control: these tests press buttons far faster than a person reads a summary,
    and pacing is tested elsewhere (the sandbox and sender tests)."""
    return Limits.unlimited()


async def _join(chorus: LocalChorus, user_id: int, name: str) -> None:
    await chorus.client.register_user(user_id, name)
    await chorus.client.send_text(user_id, "/start")
    await chorus.client.wait_for_messages(user_id, 1)


async def _seed(chorus: LocalChorus) -> dict[str, list[str]]:
    """Staff who talked to the bot, and eleven participants with ONS4 before and after."""
    await _join(chorus, COORDINATOR_ID, "Carol")
    await _join(chorus, LINK_WORKER_ID, "Lee")
    await _join(chorus, PARTICIPANT_ID, "Pat")
    codes: dict[str, list[str]] = {"lee": [], "other": []}
    async with chorus.sessions.begin() as session:
        lee = await session.scalar(select(Person).where(Person.telegram_user_id == LINK_WORKER_ID))
        assert lee is not None
        lee.role, lee.display_name = Role.LINK_WORKER, "Lee Walker"
        pat = await session.scalar(select(Person).where(Person.telegram_user_id == PARTICIPANT_ID))
        assert pat is not None
        # First contact is stamped with the real time; pin it so the counts never depend on it.
        pat.created_at = BASELINE_AT
        other = await build.person(
            session, code="P-W000", created_at=BASELINE_AT, role=Role.LINK_WORKER, name="Olu"
        )
        for n in range(11):
            mine = n < 6
            who = await build.person(
                session,
                code=f"P-{'L' if mine else 'X'}{n:03d}",
                created_at=BASELINE_AT - timedelta(days=1),
                link_worker=lee if mine else other,
                consent_at=BASELINE_AT - timedelta(days=1),
            )
            codes["lee" if mine else "other"].append(who.code)
            before = {"life_satisfaction": 3, "worthwhile": 4, "happiness": 4, "anxiety": 7}
            after = {"life_satisfaction": 4 + n % 4, "worthwhile": 6, "happiness": 5, "anxiety": 4}
            for context, at, answers in (
                (CheckInContext.BASELINE, BASELINE_AT, before),
                (CheckInContext.FOLLOW_UP, FOLLOW_UP_AT + timedelta(hours=n), after),
            ):
                await build.check_in(session, who, "ons4", context, dict(answers), at=at)
    return codes


async def _press(chorus: LocalChorus, user_id: int, message: BotMessage, button: str) -> BotMessage:
    """Presses a button on a message the bot will edit, and returns the edited message."""
    before = message.edit_count
    await chorus.client.press(user_id, message, button)

    async def edited() -> bool:
        now = [
            m for m in await chorus.client.messages(user_id) if m.message_id == message.message_id
        ]
        return bool(now) and now[0].edit_count > before

    await eventually(edited)
    [current] = [
        m for m in await chorus.client.messages(user_id) if m.message_id == message.message_id
    ]
    return current


async def _summary(chorus: LocalChorus, user_id: int, cohort_button: str) -> BotMessage:
    await chorus.client.send_text(user_id, "/review")
    [menu] = await chorus.client.wait_for_messages(user_id, 1)
    assert [b.text for b in menu.buttons] == ["This month", "Last 3 months"]
    cohorts = await _press(chorus, user_id, menu, "Last 3 months")
    assert cohort_button in [b.text for b in cohorts.buttons]
    return await _press(chorus, user_id, cohorts, cohort_button)


async def test_coordinator_reviews_everyone_and_gets_csv_and_chart(chorus: LocalChorus) -> None:
    codes = await _seed(chorus)
    client = chorus.client

    summary = await _summary(chorus, COORDINATOR_ID, "Everyone")
    # Eleven seeded participants and Pat, who only said /start (no link worker, no consent).
    assert "People: 12\nReferrals: 11\nJoined: 11\nActive: 11" in summary.body
    assert "Check-ins completed: 22" in summary.body
    assert [b.text for b in summary.buttons] == ["Outcomes", "CSV export", "Chart", "Funder report"]
    # Pressing the same choice again changes nothing and raises no error.
    await client.press(COORDINATOR_ID, summary, callback_data="rev:s:q:all")
    changed, _ = await client.changes(COORDINATOR_ID, after_revision=summary.revision, timeout=1.0)
    assert changed == []

    await client.press(COORDINATOR_ID, summary, "CSV export")
    answers_doc, dictionary_doc = await client.wait_for_messages(COORDINATOR_ID, 2)
    assert answers_doc.file is not None and dictionary_doc.file is not None
    assert answers_doc.file.file_name == "chorus-answers-20260824-20261123.csv"
    rows = list(csv.DictReader(io.StringIO(answers_doc.file.content.decode("utf-8"))))
    async with chorus.sessions() as session:
        expected = (
            await session.execute(
                select(Person.code, CheckIn.context, Answer.item, Answer.value, Answer.answered_at)
                .join(CheckIn, CheckIn.id == Answer.check_in_id)
                .join(Person, Person.id == CheckIn.person_id)
                .order_by(CheckIn.started_at, CheckIn.id, Answer.answered_at, Answer.id)
            )
        ).all()
    assert len(rows) == len(expected) == 11 * 2 * 4
    for row, (code, context, item, value, answered_at) in zip(rows, expected, strict=True):
        assert (row["participant"], row["context"], row["item"]) == (code, context, item)
        assert row["value"] == str(value)
        assert datetime.fromisoformat(row["answered_at"]) == answered_at
    assert {row["participant"] for row in rows} == set(codes["lee"] + codes["other"])
    assert b"column,type,meaning" in dictionary_doc.file.content

    await client.press(COORDINATOR_ID, summary, "Chart")
    [chart] = await client.wait_for_messages(COORDINATOR_ID, 1)
    assert chart.file is not None and chart.file.content.startswith(PNG_SIGNATURE)
    pixels = matplotlib.image.imread(io.BytesIO(chart.file.content), format="png")
    assert pixels.shape[:2] == (500, 800)

    await client.press(COORDINATOR_ID, summary, "Funder report")
    [funder] = await client.wait_for_messages(COORDINATOR_ID, 1)
    assert funder.file is not None and funder.file.file_name is not None
    assert funder.file.file_name.endswith(".html")
    page = funder.file.content.decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "data:image/png;base64," in page
    assert ">12</strong>People in the group" in page

    await client.press(COORDINATOR_ID, summary, "Outcomes")
    [outcomes] = await client.wait_for_messages(COORDINATOR_ID, 1)
    assert "Life satisfaction: n = 11" in outcomes.body and "p = " in outcomes.body

    async with chorus.sessions() as session:
        actions = [e.action for e in (await session.execute(select(AuditEvent))).scalars()]
    assert actions.count("report.export") == 1 and actions.count("report.build") == 3


async def test_link_worker_reviews_only_their_own_caseload(chorus: LocalChorus) -> None:
    codes = await _seed(chorus)
    client = chorus.client

    summary = await _summary(chorus, LINK_WORKER_ID, "My caseload")
    assert "Lee's caseload" in summary.body and "People: 6" in summary.body
    await client.press(LINK_WORKER_ID, summary, "CSV export")
    answers_doc, _ = await client.wait_for_messages(LINK_WORKER_ID, 2)
    assert answers_doc.file is not None
    rows = list(csv.DictReader(io.StringIO(answers_doc.file.content.decode("utf-8"))))
    assert {row["participant"] for row in rows} == set(codes["lee"])

    # A forged "everyone" button still shows only the caseload; another caseload is refused.
    await client.press(LINK_WORKER_ID, summary, callback_data="rev:s:q:all")
    await eventually(lambda: _latest_has(chorus, LINK_WORKER_ID, "People: 6", summary))
    [narrowed] = [
        m for m in await client.messages(LINK_WORKER_ID) if m.message_id == summary.message_id
    ]
    assert "everyone, within your caseload" in narrowed.body
    async with chorus.sessions() as session:
        other = await session.scalar(select(Person).where(Person.code == "P-W000"))
    assert other is not None
    await client.press(LINK_WORKER_ID, summary, callback_data=f"rev:x:csv:q:lw{other.id}")
    [refused] = await client.wait_for_messages(LINK_WORKER_ID, 1)
    assert refused.body == "You can review your own caseload only."

    await client.send_text(LINK_WORKER_ID, f"/review {codes['other'][0]}")
    [hidden] = await client.wait_for_messages(LINK_WORKER_ID, 1)
    assert hidden.body.startswith("No participant")
    await client.send_text(LINK_WORKER_ID, f"/review {codes['lee'][0].lower()}")
    [log] = await client.wait_for_messages(LINK_WORKER_ID, 1)
    assert f"Check-ins: {codes['lee'][0]}" in log.body and "follow up" in log.body


async def _latest_has(chorus: LocalChorus, user_id: int, text: str, message: BotMessage) -> bool:
    [current] = [
        m for m in await chorus.client.messages(user_id) if m.message_id == message.message_id
    ]
    return text in current.body and current.edit_count > message.edit_count


async def test_participant_cannot_review_and_the_refusal_is_audited(chorus: LocalChorus) -> None:
    await _seed(chorus)
    client = chorus.client

    await client.send_text(PARTICIPANT_ID, "/review")
    [reply] = await client.wait_for_messages(PARTICIPANT_ID, 1)
    assert reply.body == "Reviews are for link workers and coordinators only."
    assert not reply.buttons
    await client.send_text(PARTICIPANT_ID, "/review P-L000")
    [again] = await client.wait_for_messages(PARTICIPANT_ID, 1)
    assert again.body == reply.body
    await client.press(PARTICIPANT_ID, reply, callback_data="rev:x:csv:q:all")
    [forged] = await client.wait_for_messages(PARTICIPANT_ID, 1)
    assert forged.body == reply.body and forged.file is None

    found = await person(chorus, PARTICIPANT_ID)
    assert found is not None
    async with chorus.sessions() as session:
        events = (await session.execute(select(AuditEvent))).scalars().all()
    assert [(e.action, e.actor_id) for e in events] == [("review.denied", found.id)] * 3


async def test_a_check_in_done_in_the_bot_reaches_the_coordinators_review(
    chorus: LocalChorus,
) -> None:
    await _seed(chorus)
    client = chorus.client
    await join(chorus, MAGGIE)
    await client.send_text(MAGGIE, "/checkin")
    await client.wait_for_messages(MAGGIE, 1)
    await answer_questions(chorus, MAGGIE, lambda labels: "6" if "6" in labels else labels[1])
    await client.send_text(MAGGIE, "Singing <b>helped</b> & I'll go again")
    [ask_share] = await client.wait_for_messages(MAGGIE, 1)
    await press_and_wait(chorus, MAGGIE, ask_share, "Yes, you can")
    maggie = await person(chorus, MAGGIE)
    assert maggie is not None

    summary = await _summary(chorus, COORDINATOR_ID, "Everyone")
    await client.press(COORDINATOR_ID, summary, "CSV export")
    answers_doc, _ = await client.wait_for_messages(COORDINATOR_ID, 2)
    assert answers_doc.file is not None
    rows = list(csv.DictReader(io.StringIO(answers_doc.file.content.decode("utf-8"))))
    mine = [row for row in rows if row["participant"] == maggie.code]
    async with chorus.sessions() as session:
        stored = (
            await session.execute(
                select(CheckIn.questionnaire, Answer.item, Answer.value)
                .join(CheckIn, CheckIn.id == Answer.check_in_id)
                .where(CheckIn.person_id == maggie.id)
                .order_by(CheckIn.started_at, CheckIn.id, Answer.answered_at, Answer.id)
            )
        ).all()
    assert len(mine) == len(stored) > 0
    for row, (questionnaire, item, value) in zip(mine, stored, strict=True):
        assert (row["questionnaire"], row["context"], row["item"]) == (
            questionnaire,
            "baseline",
            item,
        )
        assert row["value"] == ("" if value is None else str(value))

    await client.send_text(COORDINATOR_ID, f"/review {maggie.code}")
    [log] = await client.wait_for_messages(COORDINATOR_ID, 1)
    # She skipped giving a name when joining, so only her code is shown.
    assert f"{maggie.code} · loneliness · baseline" in log.body and "Maggie" not in log.body
    # Shown as typed, never as markup.
    assert "Singing <b>helped</b> & I'll go again" in log.body
    assert log.html is not None and "&lt;b&gt;helped&lt;/b&gt; &amp;" in log.html
