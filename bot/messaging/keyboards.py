"""Inline keyboards for joining and check-ins: every action is a button."""

from __future__ import annotations

from collections.abc import Mapping

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from bot.messaging import callbacks
from bot.messaging import journey_texts as texts
from bot.questionnaires import Item

_ROW = 6  # 0–10 answers fit in two rows on a phone


def _button(label: str, prefix: str, *parts: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callbacks.encode(prefix, *parts))


def consent(version: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_button(texts.AGREE, "consent", "yes", version), _button(texts.DECLINE, "consent", "no")]]
    )


def skip_step(step: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _button(texts.SKIP, "prof", step, "skip"),
                _button(texts.SKIP_REST, "prof", step, "rest"),
            ]
        ]
    )


def share_location() -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        [[KeyboardButton(texts.LOCATION_BUTTON, request_location=True)]],
        one_time_keyboard=True,
        resize_keyboard=True,
    )


def multi_select(step: str, choices: Mapping[str, str], chosen: set[str]) -> InlineKeyboardMarkup:
    """Toggle buttons (a tick shows what is chosen), then Done / Skip the rest."""
    buttons = [
        _button(("✓ " if value in chosen else "") + label, "prof", step, "t", value)
        for value, label in choices.items()
    ]
    per_row = 4 if len(buttons) > 6 else 2
    rows = [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]
    rows.append(
        [_button(texts.DONE, "prof", step, "done"), _button(texts.SKIP_REST, "prof", step, "rest")]
    )
    return InlineKeyboardMarkup(rows)


def check_in_offer() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _button(texts.CHECK_IN_NOW, "prof", "end", "checkin"),
                _button(texts.CHECK_IN_LATER, "prof", "end", "later"),
            ]
        ]
    )


def topics() -> InlineKeyboardMarkup:
    buttons = [
        _button(label, "prof", "end", "find", key) for key, label in texts.TOPIC_BUTTONS.items()
    ]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def question(check_in_id: int, item: Item) -> InlineKeyboardMarkup:
    """The item's answers as buttons, then Skip and Stop for now."""
    answers = [_button(o.label, "ci", check_in_id, item.id, o.value) for o in item.options]
    per_row = _ROW if len(answers) > 5 else 1
    rows = [answers[i : i + per_row] for i in range(0, len(answers), per_row)]
    rows.append(
        [
            _button(texts.CHECK_IN_SKIP, "ci", check_in_id, item.id, "skip"),
            _button(texts.CHECK_IN_STOP, "ci", check_in_id, item.id, "stop"),
        ]
    )
    return InlineKeyboardMarkup(rows)


def no_note(check_in_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(texts.NO_NOTE, "cin", check_in_id, "none")]])


def share_note(check_in_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _button(texts.SHARE_YES, "cin", check_in_id, "share"),
                _button(texts.SHARE_NO, "cin", check_in_id, "private"),
            ]
        ]
    )
