"""Buttons for staff journeys; every one is re-checked by the service it reaches."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.db.models import AudienceKind, Person, Role
from bot.messaging import staff_broadcast_texts as bt
from bot.messaging import staff_texts as st
from bot.messaging.callbacks import encode
from bot.services.caseload import Page
from bot.services.session_changes import Meeting


def _one(label: str, data: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(label, callback_data=data)]


def roles() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [_one(label, encode("staff", "inv", role)) for role, label in st.ROLE_LABELS.items()]
    )


def staff_list(people: list[Person], me: Person) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            _one(st.REMOVE.format(code=p.code), encode("staff", "rm", p.id))
            for p in people
            if p.id != me.id
        ]
    )


def refer() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(st.REFER_ONE, callback_data=encode("ref", "one")),
                InlineKeyboardButton(st.REFER_CLINIC, callback_data=encode("ref", "clinic")),
            ]
        ]
    )


def referral_note(invite_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([_one(st.ADD_NOTE, encode("ref", "note", invite_id))])


def caseload(page: Page) -> InlineKeyboardMarkup:
    rows = [
        _one(f"{e.code} {e.first_name}", encode("cl", "view", e.person_id)) for e in page.entries
    ]
    nav = []
    if page.page > 0:
        nav.append(
            InlineKeyboardButton(st.PREVIOUS, callback_data=encode("cl", "page", page.page - 1))
        )
    if page.page + 1 < page.pages:
        nav.append(InlineKeyboardButton(st.NEXT, callback_data=encode("cl", "page", page.page + 1)))
    return InlineKeyboardMarkup([*rows, nav] if nav else rows)


def message_person(person_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([_one(st.MESSAGE, encode("cl", "msg", person_id))])


def meetings(
    items: list[Meeting], zone: ZoneInfo, prefix: str, action: str
) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [_one(st.meeting_label(m, zone), encode(prefix, action, m.occurrence_id)) for m in items]
    )


def change_menu(occurrence_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            _one(st.CANCEL_SESSION, encode("ses", "cancel", occurrence_id)),
            _one(st.MOVE_SESSION, encode("ses", "move", occurrence_id)),
            _one(st.ADD_SESSION_NOTE, encode("ses", "note", occurrence_id)),
        ]
    )


def confirm_cancel(occurrence_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([_one(st.YES_CANCEL, encode("ses", "yes", occurrence_id))])


def audiences(role: Role) -> InlineKeyboardMarkup:
    kinds = [k for k in AudienceKind if k is not AudienceKind.EVERYONE or role is Role.COORDINATOR]
    return InlineKeyboardMarkup(
        [_one(bt.AUDIENCE_LABELS[k], encode("bc", "to", k.value)) for k in kinds]
    )


def series(items: list[tuple[int, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([_one(title[:40], encode("bc", "series", i)) for i, title in items])


def preview(broadcast_id: int, sendable: bool) -> InlineKeyboardMarkup:
    buttons = [InlineKeyboardButton(bt.CANCEL, callback_data=encode("bc", "cancel", broadcast_id))]
    if sendable:
        buttons.insert(
            0, InlineKeyboardButton(bt.SEND, callback_data=encode("bc", "send", broadcast_id))
        )
    return InlineKeyboardMarkup([buttons])
