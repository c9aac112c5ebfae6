"""Buttons under booking confirmations and /mysessions (callback prefixes `wk` and `bk`)."""

from __future__ import annotations

import enum

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.messaging import booking_texts as texts
from bot.messaging.callbacks import encode


class BookingAction(enum.StrEnum):
    """The last part of ``bk:<booking>:<action>``."""

    CANCEL = "cancel"
    CALENDAR = "ics"


def every_week(booking_id: int) -> InlineKeyboardMarkup:
    """ "Every week" under a confirmation for a session that repeats."""
    button = InlineKeyboardButton(texts.LABEL_EVERY_WEEK, callback_data=encode("wk", booking_id))
    return InlineKeyboardMarkup([[button]])


def my_session(booking_id: int) -> InlineKeyboardMarkup:
    """ "Can't make it" and "Add to calendar" under one booking in /mysessions."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    texts.LABEL_CANT_MAKE_IT,
                    callback_data=encode("bk", booking_id, BookingAction.CANCEL),
                ),
                InlineKeyboardButton(
                    texts.LABEL_ADD_TO_CALENDAR,
                    callback_data=encode("bk", booking_id, BookingAction.CALENDAR),
                ),
            ]
        ]
    )
