"""Suggestions and bookings over HTTP: typos to a booking and its .ics, every week,
/mysessions, can't make it, forged buttons, Not for me, and Show more after a restart."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from bot.db.models import Booking, BookingStatus
from bot.local_bot import LocalChorus
from bot.sandbox.limits import Limits
from bot.sandbox.received import BotMessage, CallbackAnswer
from tests.e2e.helpers import buttons, eventually, join, person, press_and_wait

MAGGIE, BOB = 3101, 3102
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def e2e_limits() -> Limits:
    """No flood control: these tests press buttons faster than people read (pacing is
    tested with the sandbox and the sender)."""
    return Limits.unlimited()


async def _bookings(chorus: LocalChorus, user_id: int) -> list[Booking]:
    found = await person(chorus, user_id)
    assert found is not None
    async with chorus.sessions() as session:
        rows = await session.scalars(
            select(Booking).where(Booking.person_id == found.id).order_by(Booking.id)
        )
        return list(rows)


async def _search(chorus: LocalChorus, user_id: int, text: str, count: int) -> list[BotMessage]:
    await chorus.client.send_text(user_id, text)
    return await chorus.client.wait_for_messages(user_id, count)


async def _book_sing_for_joy(chorus: LocalChorus, user_id: int) -> list[BotMessage]:
    first, _second, closing = await _search(chorus, user_id, "singin near morcambe tuesday", 3)
    assert first.text is not None and first.text.startswith("Sing for Joy Morecambe")
    assert "Show more" not in buttons(closing)  # only two Tuesday singing groups there
    return await press_and_wait(chorus, user_id, first, "I'll go")


async def test_a_search_with_typos_leads_to_a_booking_and_its_calendar_file(
    with_demo: LocalChorus,
) -> None:
    chorus = with_demo
    await join(chorus, MAGGIE)
    first, second, closing = await _search(chorus, MAGGIE, "singin near morcambe tuesday", 3)
    assert buttons(first) == ["I'll go", "More like this", "Not for me"]
    assert first.text is not None and "Tomorrow at 10:30" not in first.text
    assert "Next: tomorrow at 10:30" in first.text and "Bayview Community Centre" in first.text
    assert second.text is not None and second.text.startswith("Memory Lane Singers")
    assert closing.text is not None and "That's everything I found" in closing.text

    [confirmation] = await press_and_wait(chorus, MAGGIE, first, "I'll go")
    text = confirmation.caption or ""
    assert "booked for Sing for Joy Morecambe" in text
    for detail in ("Tomorrow at 10:30", "Bayview Community Centre", "£3", "Marine Road East"):
        assert detail in text
    assert "How to get there" in text and buttons(confirmation) == ["Every week"]
    document = confirmation.file
    assert document is not None and document.mime_type == "text/calendar"
    assert document.file_name == "sing-for-joy-morecambe-2026-11-24.ics"
    [event] = Calendar.from_ical(document.content).walk("VEVENT")
    start = event.decoded("DTSTART")
    assert start == datetime(2026, 11, 24, 10, 30, tzinfo=UTC)
    assert start.astimezone(LONDON).strftime("%A %H:%M") == "Tuesday 10:30"
    assert str(event["SUMMARY"]) == "Sing for Joy Morecambe"
    assert str(event["LOCATION"]).startswith("Bayview Community Centre, Marine Road East")

    # Pressing "I'll go" again books nothing new.
    [again] = await press_and_wait(chorus, MAGGIE, first, "I'll go")
    assert again.text is not None and "already booked" in again.text
    assert len(await _bookings(chorus, MAGGIE)) == 1


async def test_every_week_then_my_sessions_and_cant_make_it(with_demo: LocalChorus) -> None:
    chorus = with_demo
    await join(chorus, MAGGIE)
    [confirmation] = await _book_sing_for_joy(chorus, MAGGIE)
    [done] = await press_and_wait(chorus, MAGGIE, confirmation, "Every week")
    booked = await _bookings(chorus, MAGGIE)
    assert len(booked) > 5 and all(b.standing for b in booked)
    assert done.text is not None and f"{len(booked)} dates" in done.text
    [refreshed] = [
        m for m in await chorus.client.messages(MAGGIE) if m.message_id == confirmation.message_id
    ]
    assert buttons(refreshed) == []  # "Every week" cannot be pressed twice

    await chorus.client.send_text(MAGGIE, "/mysessions")
    header, soonest, *rest = await chorus.client.wait_for_messages(MAGGIE, 7)
    assert header.text is not None and header.text.startswith("Your sessions")
    assert soonest.text is not None and "Tomorrow at 10:30" in soonest.text
    assert buttons(soonest) == ["Can't make it", "Add to calendar"]
    assert rest[-1].text is not None and "more later on" in rest[-1].text

    [ics] = await press_and_wait(chorus, MAGGIE, rest[0], "Add to calendar")
    assert ics.file is not None and ics.file.file_name == "sing-for-joy-morecambe-2026-12-01.ics"
    assert ics.caption == "Add to calendar"

    await chorus.client.press(MAGGIE, soonest, "Can't make it")

    async def cancelled() -> bool:
        return (await _bookings(chorus, MAGGIE))[0].status is BookingStatus.CANCELLED

    await eventually(cancelled)
    [edited] = [
        m for m in await chorus.client.messages(MAGGIE) if m.message_id == soonest.message_id
    ]
    assert edited.text is not None and edited.text.startswith("That's fine")
    assert buttons(edited) == []
    still = [b.status for b in await _bookings(chorus, MAGGIE)][1:]
    assert set(still) == {BookingStatus.BOOKED}


async def test_forged_and_stale_buttons_are_refused_and_change_nothing(
    with_demo: LocalChorus,
) -> None:
    chorus, client = with_demo, with_demo.client
    await join(chorus, MAGGIE)
    await join(chorus, BOB, "Bob")
    await _book_sing_for_joy(chorus, MAGGIE)
    [maggies] = await _bookings(chorus, MAGGIE)
    [bobs_message] = await _search(chorus, BOB, "/mysessions", 1)
    assert bobs_message.text is not None and "haven't booked anything" in bobs_message.text

    forged = [
        f"bk:{maggies.id}:cancel",
        f"bk:{maggies.id}:ics",
        f"wk:{maggies.id}",
        "bk:999999:cancel",
        "bk:abc:cancel",
        f"bk:{maggies.id}:explode",
        "go:999999",
        "go:-1",
        "nope:999999",
        "more:999999",
    ]
    for data in forged:
        await client.press(BOB, bobs_message, callback_data=data)

    async def forged_answers() -> list[CallbackAnswer]:
        answers = await client.callback_answers(BOB)
        return [a for a in answers if a.message_id == bobs_message.message_id]

    async def all_answered() -> bool:
        answers = await forged_answers()
        return len(answers) == len(forged) and all(a.answered for a in answers)

    await eventually(all_answered)
    for answer in await forged_answers():
        assert answer.show_alert and answer.text, answer
        assert "Sorry" in answer.text
    [unchanged] = await _bookings(chorus, MAGGIE)
    assert unchanged.status is BookingStatus.BOOKED and not unchanged.standing
    assert await _bookings(chorus, BOB) == []
    assert [m.message_id for m in await client.messages(BOB)][-1] == bobs_message.message_id

    # Someone who has not agreed to the privacy notice is sent back to it.
    await client.register_user(3103, "Nell")
    await client.send_text(3103, "/start")
    await client.wait_for_messages(3103, 2)
    [refused] = await _search(chorus, 3103, "/suggest singing", 1)
    assert refused.text == "Please read the privacy notice first: send /start"


async def test_not_for_me_is_remembered_and_show_more_works_after_a_restart(
    with_demo: LocalChorus,
) -> None:
    chorus = with_demo
    await join(chorus, MAGGIE)
    *ideas, closing = await _search(chorus, MAGGIE, "/suggest singing", 4)
    assert buttons(closing) == ["Show more"]
    await chorus.client.press(MAGGIE, ideas[0], "Not for me")

    async def remembered() -> bool:
        found = await person(chorus, MAGGIE)
        return found is not None and len(found.preferences.get("not_for_me", [])) == 1

    await eventually(remembered)
    [turned_down] = [
        m for m in await chorus.client.messages(MAGGIE) if m.message_id == ideas[0].message_id
    ]
    assert turned_down.text is not None and "isn't for you" in turned_down.text
    assert buttons(turned_down) == []

    await chorus.restart()
    *more, last = await press_and_wait(chorus, MAGGIE, closing, "Show more", 4)
    first_titles = {(m.text or "").splitlines()[0] for m in ideas}
    more_titles = {(m.text or "").splitlines()[0] for m in more}
    assert len(more_titles) == 3 and first_titles.isdisjoint(more_titles)
    assert buttons(last) == ["Show more"]
    found = await person(chorus, MAGGIE)
    assert found is not None and found.preferences["last_offset"] == 6

    # The same request again ranks the turned-down session lower than before.
    *again, _ = await _search(chorus, MAGGIE, "/suggest singing", 4)
    assert (again[0].text or "").splitlines()[0] != (ideas[0].text or "").splitlines()[0]


async def test_suggest_on_its_own_uses_interests_or_asks(with_demo: LocalChorus) -> None:
    chorus = with_demo
    await join(chorus, MAGGIE)
    [ask] = await _search(chorus, MAGGIE, "/suggest", 1)
    assert ask.text is not None and ask.text.startswith("What would you like to do?")
    async with chorus.sessions.begin() as session:
        found = await person(chorus, MAGGIE)
        assert found is not None
        row = await session.get(type(found), found.id)
        assert row is not None
        row.interests = ["pottery"]
    *ideas, _ = await _search(chorus, MAGGIE, "/suggest", 4)
    assert all("Pottery" in (m.text or "") for m in ideas)
    [nothing] = await _search(chorus, MAGGIE, "/suggest underwater basket weaving", 1)
    assert nothing.text is not None and "couldn't find anything" in nothing.text
    assert "for example" in nothing.text
    async with chorus.sessions() as session:
        total = await session.scalar(select(func.count(Booking.id)))
    assert total == 0


async def test_odd_requests_get_a_kind_answer_that_fits_the_screen(with_demo: LocalChorus) -> None:
    chorus = with_demo
    await join(chorus, MAGGIE)
    [emoji] = await _search(chorus, MAGGIE, "🎶🎶🎶", 1)
    assert emoji.text is not None and "couldn't find anything" in emoji.text
    essay = ("I used to sing in a choir years ago and I miss it terribly. " * 70)[:4000]
    replies = await _search(chorus, MAGGIE, essay, 1)
    for reply in replies:
        assert reply.text is not None and len(reply.text) <= 700
    found = await person(chorus, MAGGIE)
    assert found is not None and len(found.preferences["last_query"]) <= 200


async def test_more_like_this_sends_sessions_of_the_same_kind(with_demo: LocalChorus) -> None:
    chorus = with_demo
    await join(chorus, MAGGIE)
    first, *_ = await _search(chorus, MAGGIE, "singin near morcambe tuesday", 3)
    header, *similar = await press_and_wait(chorus, MAGGIE, first, "More like this", 4)
    assert header.text == "Sessions like Sing for Joy Morecambe:"
    assert len(similar) == 3
    for idea in similar:
        assert idea.text is not None and not idea.text.startswith("Sing for Joy Morecambe")
        assert buttons(idea) == ["I'll go", "More like this", "Not for me"]
    assert "Choir" in (similar[0].text or "")
