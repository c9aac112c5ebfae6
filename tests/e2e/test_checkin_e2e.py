"""Check-ins over HTTP: to completion, across a restart, stale and forged buttons, odd input."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.models import (
    Answer,
    CheckIn,
    CheckInContext,
    CheckInStatus,
    Nudge,
    NudgeKind,
    Reachability,
)
from bot.local_bot import LocalChorus
from tests.e2e.helpers import (
    answer_questions,
    buttons,
    eventually,
    join,
    person,
    press_and_wait,
)

MAGGIE, BOB = 3001, 3002


async def _check_ins(chorus: LocalChorus, user_id: int) -> list[CheckIn]:
    found = await person(chorus, user_id)
    assert found is not None
    async with chorus.sessions() as session:
        rows = await session.execute(
            select(CheckIn).where(CheckIn.person_id == found.id).order_by(CheckIn.id)
        )
        return list(rows.scalars())


async def test_baseline_check_in_to_completion_with_a_shared_note(chorus: LocalChorus) -> None:
    await join(chorus, MAGGIE)
    client = chorus.client
    await client.send_text(MAGGIE, "/checkin")
    [question] = await client.wait_for_messages(MAGGIE, 1)
    assert question.text is not None and "question 1 of 4" in question.text
    assert {"0", "10", "Skip", "Stop for now"} <= set(buttons(question))
    picks = iter(["7", "8", "6", "3", "second", "Skip", "first", "third"])

    def choose(labels: list[str]) -> str:
        pick = next(picks)
        named = {"first": labels[0], "second": labels[1], "third": labels[2]}
        return named.get(pick, pick)

    ask_note = await answer_questions(chorus, MAGGIE, choose)
    latest = (await client.messages(MAGGIE))[-2]
    assert latest.message_id == question.message_id  # every question edited one message
    assert ask_note.text is not None and "link worker to know" in ask_note.text
    await client.send_text(MAGGIE, "The choir helped a lot & I made a friend <3")
    [ask_share] = await client.wait_for_messages(MAGGIE, 1)
    await press_and_wait(chorus, MAGGIE, ask_share, "Yes, you can")
    ons4, loneliness = await _check_ins(chorus, MAGGIE)
    assert ons4.context is CheckInContext.BASELINE and ons4.status is CheckInStatus.COMPLETED
    assert ons4.scores["measures"]["life_satisfaction"] == 7
    assert ons4.scores["measures"]["anxiety"] == 3
    assert loneliness.status is CheckInStatus.COMPLETED
    assert "lack_companionship" not in loneliness.scores["skipped"]
    assert len(loneliness.scores["skipped"]) == 1  # skipped, never scored as zero
    assert loneliness.note == "The choir helped a lot & I made a friend <3"
    assert loneliness.note_shareable is True
    # The finished baseline planned the follow-ups: 6 and 12 weeks on, mid-morning.
    async with chorus.sessions() as session:
        follow_ups = list(
            (
                await session.execute(
                    select(Nudge)
                    .where(Nudge.person_id == ons4.person_id, Nudge.kind == NudgeKind.CHECK_IN_DUE)
                    .order_by(Nudge.due_at)
                )
            ).scalars()
        )
    assert [(n.due_at - chorus.clock.now()).days for n in follow_ups] == [42, 84]
    # The next /checkin is a follow-up.
    await client.send_text(MAGGIE, "/checkin")
    await client.wait_for_messages(MAGGIE, 1)
    assert (await _check_ins(chorus, MAGGIE))[-1].context is CheckInContext.FOLLOW_UP


async def _edited(chorus: LocalChorus, user_id: int, message_id: int) -> bool:
    # Each press edits the question in place; wait until the edit has landed.
    messages = await chorus.client.messages(user_id)
    target = next(m for m in messages if m.message_id == message_id)
    return target.edit_count >= len(await _answers(chorus, user_id))


async def _answers(chorus: LocalChorus, user_id: int) -> list[Answer]:
    ids = [c.id for c in await _check_ins(chorus, user_id)]
    async with chorus.sessions() as session:
        rows = await session.execute(select(Answer).where(Answer.check_in_id.in_(ids)))
        return list(rows.scalars())


async def test_a_check_in_survives_a_restart_and_stale_buttons_change_nothing(
    chorus: LocalChorus,
) -> None:
    await join(chorus, MAGGIE)
    client = chorus.client
    await client.send_text(MAGGIE, "/checkin")
    [question] = await client.wait_for_messages(MAGGIE, 1)
    first_buttons = question
    await client.press(MAGGIE, question, "5")
    await eventually(lambda: _has_answers(chorus, MAGGIE, 1))
    await chorus.restart()
    # The same message's buttons still work after the restart.
    await client.press(MAGGIE, question, "6")
    await eventually(lambda: _has_answers(chorus, MAGGIE, 2))
    # A stale press for question 1 (already answered) is answered kindly and changes nothing.
    await client.press(
        MAGGIE,
        first_buttons,
        callback_data=f"ci:{(await _check_ins(chorus, MAGGIE))[0].id}:life_satisfaction:0",
    )
    await eventually(lambda: _answered_callbacks(chorus, MAGGIE, "already answered"))
    assert len(await _answers(chorus, MAGGIE)) == 2
    # "Stop for now", then /checkin carries on at question 3.
    await client.press(MAGGIE, question, "Stop for now")
    await eventually(lambda: _text_has(chorus, MAGGIE, question.message_id, "saved your answers"))
    await client.send_text(MAGGIE, "/checkin")
    resuming, again = await client.wait_for_messages(MAGGIE, 2)
    assert "carry on" in (resuming.text or "")
    assert "question 3 of 4" in (again.text or "")
    # A typed answer counts too.
    await client.send_text(MAGGIE, "4")
    [next_question] = await client.wait_for_messages(MAGGIE, 1)
    assert "question 4 of 4" in (next_question.text or "")
    # Text where a button is expected gets a clear answer.
    await client.send_text(MAGGIE, "banana")
    [nudge] = await client.wait_for_messages(MAGGIE, 1)
    assert "tap one of the buttons" in (nudge.text or "")
    assert len(await _answers(chorus, MAGGIE)) == 3


async def _has_answers(chorus: LocalChorus, user_id: int, count: int) -> bool:
    return len(await _answers(chorus, user_id)) >= count


async def _answered_callbacks(chorus: LocalChorus, user_id: int, text: str) -> bool:
    return any(text in (a.text or "") for a in await chorus.client.callback_answers(user_id))


async def _text_has(chorus: LocalChorus, user_id: int, message_id: int, text: str) -> bool:
    messages = await chorus.client.messages(user_id)
    return any(m.message_id == message_id and text in (m.text or "") for m in messages)


async def test_forged_buttons_for_someone_elses_check_in_are_refused(chorus: LocalChorus) -> None:
    await join(chorus, MAGGIE)
    await join(chorus, BOB, "Bob")
    client = chorus.client
    await client.send_text(MAGGIE, "/checkin")
    [question] = await client.wait_for_messages(MAGGIE, 1)
    maggies = (await _check_ins(chorus, MAGGIE))[0]
    bob_message = (await client.messages(BOB))[-1]
    for forged in (
        f"ci:{maggies.id}:life_satisfaction:0",
        f"ci:{maggies.id}:life_satisfaction:999",
        "ci:999999:life_satisfaction:3",
        "ci:abc:life_satisfaction:3",
        "ci:",
    ):
        await client.press(BOB, bob_message, callback_data=forged)
    await eventually(lambda: _count_answers_for(chorus, BOB, 5))
    assert await _answers(chorus, MAGGIE) == []
    # Maggie's own out-of-range value is refused too.
    await client.press(MAGGIE, question, callback_data=f"ci:{maggies.id}:life_satisfaction:11")
    await eventually(lambda: _answered_callbacks(chorus, MAGGIE, "didn't understand"))
    assert await _answers(chorus, MAGGIE) == []


async def _count_answers_for(chorus: LocalChorus, user_id: int, count: int) -> bool:
    answers = await chorus.client.callback_answers(user_id)
    return len([a for a in answers if a.answered]) >= count


async def test_long_notes_emoji_stickers_and_blocking_mid_check_in(chorus: LocalChorus) -> None:
    await join(chorus, MAGGIE)
    client = chorus.client
    await client.send_text(MAGGIE, "/checkin")
    await client.wait_for_messages(MAGGIE, 1)
    await client.send_sticker(MAGGIE)
    [sticker_reply] = await client.wait_for_messages(MAGGIE, 1)
    assert "typed words" in (sticker_reply.text or "")
    await client.block(MAGGIE)

    async def blocked() -> bool:
        found = await person(chorus, MAGGIE)
        return found is not None and found.reachability is Reachability.BLOCKED

    await eventually(blocked)
    await client.unblock(MAGGIE)
    await client.send_text(MAGGIE, "/checkin")
    await client.wait_for_messages(MAGGIE, 2)  # "carry on", then the same question again
    await answer_questions(chorus, MAGGIE, lambda labels: "5" if "5" in labels else labels[1])
    note = "I " + "really " * 570 + "enjoyed it."
    assert 3900 < len(note) < 4096
    await client.send_text(MAGGIE, note)
    await client.wait_for_messages(MAGGIE, 1)
    assert (await _check_ins(chorus, MAGGIE))[-1].note == note
    await client.send_text(MAGGIE, "🎶🎶👍")
    [emoji_reply] = await client.wait_for_messages(MAGGIE, 1, timeout=10)
    assert emoji_reply.text and "went wrong" not in emoji_reply.text
