"""Buttons for `/review`. Callback data is ``rev:<step>:…``; the service re-checks everything.

Steps: ``p`` period chosen (``rev:p:<period>``), ``s`` summary (``rev:s:<period>:<cohort>``),
``x`` an action on a summary (``rev:x:<action>:<period>:<cohort>``), ``lp``/``ls`` a log page
(``rev:lp:<code>:<page>``, ``rev:ls:<session>:<page>``).
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.messaging import review_texts as texts
from bot.messaging.callbacks import encode
from bot.services.report_logs import LogPage

PREFIX = "rev"
ACTIONS = {"o": texts.OUTCOMES_BUTTON, "csv": texts.CSV_BUTTON, "png": texts.CHART_BUTTON}
HTML_ACTION = "html"


def periods() -> InlineKeyboardMarkup:
    """This month or the last three months."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(texts.THIS_MONTH, callback_data=encode(PREFIX, "p", "m")),
                InlineKeyboardButton(
                    texts.LAST_THREE_MONTHS, callback_data=encode(PREFIX, "p", "q")
                ),
            ]
        ]
    )


def cohorts(period: str, choices: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    """One button per cohort, two to a row; a choice too long for callback data is left out."""
    buttons: list[InlineKeyboardButton] = []
    for label, token in choices:
        try:
            data = encode(PREFIX, "s", period, token)
        except ValueError:
            continue
        buttons.append(InlineKeyboardButton(label, callback_data=data))
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def summary_actions(period: str, cohort: str) -> InlineKeyboardMarkup:
    """Outcomes, CSV, chart and the funder report for this summary."""
    row = [
        InlineKeyboardButton(label, callback_data=encode(PREFIX, "x", action, period, cohort))
        for action, label in ACTIONS.items()
    ]
    html = InlineKeyboardButton(
        texts.HTML_BUTTON, callback_data=encode(PREFIX, "x", HTML_ACTION, period, cohort)
    )
    return InlineKeyboardMarkup([row, [html]])


def log_pages(step: str, subject: str, page: LogPage) -> InlineKeyboardMarkup | None:
    """Newer/older buttons for a log page, or None when it all fits on one."""
    buttons = []
    if page.page > 1:
        buttons.append(
            InlineKeyboardButton(
                texts.NEWER_BUTTON, callback_data=encode(PREFIX, step, subject, page.page - 1)
            )
        )
    if page.page < page.pages:
        buttons.append(
            InlineKeyboardButton(
                texts.OLDER_BUTTON, callback_data=encode(PREFIX, step, subject, page.page + 1)
            )
        )
    return InlineKeyboardMarkup([buttons]) if buttons else None
