"""Buttons under suggestions: "I'll go", "More like this", "Not for me" and "Show more"."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.messaging import suggestion_texts as texts
from bot.messaging.callbacks import encode


def suggestion(activity_id: int) -> InlineKeyboardMarkup:
    """The three choices under one idea; `activity_id` is the activity's row id."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(texts.LABEL_GO, callback_data=encode("go", activity_id)),
                InlineKeyboardButton(
                    texts.LABEL_MORE_LIKE, callback_data=encode("more", activity_id)
                ),
            ],
            [
                InlineKeyboardButton(
                    texts.LABEL_NOT_FOR_ME, callback_data=encode("nope", activity_id)
                )
            ],
        ]
    )


def show_more(offset: int) -> InlineKeyboardMarkup:
    """ "Show more", carrying how many results the person has already seen."""
    button = InlineKeyboardButton(texts.LABEL_SHOW_MORE, callback_data=encode("show", offset))
    return InlineKeyboardMarkup([[button]])
