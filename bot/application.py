"""The composition root: the only place that knows every part of Chorus."""

from __future__ import annotations

import logging
import os
from typing import Any

from telegram import BotCommand, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.clock import Clock
from bot.config import Settings
from bot.context import BotData, ChorusContext
from bot.db.session import create_engine, create_session_factory
from bot.messaging import callbacks
from bot.messaging.sender import Sender
from bot.services import people, person_settings
from handlers import (
    bookings,
    broadcast,
    broadcast_jobs,
    caseload,
    catalogue_jobs,
    catalogue_upload,
    checkin,
    contact,
    errors,
    fallback,
    invite,
    membership,
    nudge_jobs,
    nudges,
    onboarding,
    privacy,
    refer,
    review,
    settings,
    staff_menu,
    staff_text,
    start,
    suggest,
    text_router,
)
from handlers import sessions as session_changes

log = logging.getLogger(__name__)

# Opt in to PTB's coming `timedelta` durations (RetryAfter.retry_after), as PTB 22.2+ asks.
os.environ.setdefault("PTB_TIMEDELTA", "1")

ChorusApplication = Application[Any, ChorusContext, Any, Any, BotData, Any]

PARTICIPANT_COMMANDS = [
    BotCommand("start", "Start or restart"),
    BotCommand("help", "What I can do"),
    BotCommand("checkin", "A few quick questions about how you are"),
    BotCommand("suggest", "Ideas for sessions near you"),
    BotCommand("mysessions", "Sessions you said you'd go to"),
    BotCommand("settings", "Reminders, quiet hours and other choices"),
    BotCommand("mydata", "A copy of what I keep about you"),
    BotCommand("forget", "Delete what I keep about you"),
]


async def _post_init(application: ChorusApplication) -> None:
    data: BotData = application.bot_data
    data.engine = create_engine(data.settings.database_url)
    data.session_factory = create_session_factory(data.engine)
    sessions = data.session_factory

    async def mark_unreachable(chat_id: int) -> None:
        # Private chats share the user's id, so the chat id names the person.
        async with sessions.begin() as session:
            await people.mark_unreachable(session, chat_id, now=data.clock.now())

    data.sender = Sender(application.bot, on_unreachable=mark_unreachable)
    if application.job_queue is None:
        raise RuntimeError("Chorus needs PTB's job queue (python-telegram-bot[job-queue])")
    # Picks up whatever nudges fell due while no process was running.
    nudge_jobs.install(data, application.job_queue)
    # Keeps eight weeks of dated meetings materialised, refreshed nightly.
    catalogue_jobs.install(data, application.job_queue)
    # Drains queued broadcasts; resumes an interrupted one where it stopped.
    broadcast_jobs.install(data, application.job_queue)
    await application.bot.set_my_commands(PARTICIPANT_COMMANDS)


async def _post_shutdown(application: ChorusApplication) -> None:
    data: BotData = application.bot_data
    if data.engine is not None:
        await data.engine.dispose()
        data.engine = None
        data.session_factory = None


def build_application(settings: Settings, *, clock: Clock | None = None) -> ChorusApplication:
    """Builds the PTB Application with every handler, job and resource Chorus needs.

    Args:
        settings: validated configuration; must carry a bot token.
        clock: the time source for services (tests pass a fixed clock).
    """
    if settings.telegram_bot_token is None:
        raise ValueError("build_application needs TELEGRAM_BOT_TOKEN (use the sandbox without)")
    application: ChorusApplication = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.api_base_url)
        .base_file_url(settings.api_file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.zone))
        .context_types(ContextTypes(context=ChorusContext, bot_data=BotData))
        # Paces every request under Telegram's limits and retries once on RetryAfter. The
        # overall cap is Telegram's own 30/s: the Sender keeps bulk work to 27/s below it, so
        # a broadcast runs near the physical floor and replies still find room.
        .rate_limiter(AIORateLimiter(overall_max_rate=30, overall_time_period=1, max_retries=2))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    application.bot_data.configure(settings, clock)
    _add_handlers(application)
    return application


def _add_handlers(application: ChorusApplication) -> None:
    private = filters.ChatType.PRIVATE
    handlers = [
        # Group -1 runs first for every update: meet the person before anything else.
        (-1, TypeHandler(Update, contact.register_contact)),
        # Blocking and unblocking the bot.
        (0, ChatMemberHandler(membership.chat_member_changed, ChatMemberHandler.MY_CHAT_MEMBER)),
        # Commands.
        (0, CommandHandler("start", onboarding.start, filters=private)),
        (0, CommandHandler("help", start.help_command, filters=private)),
        # Joining: the privacy notice and the short profile.
        (0, CallbackQueryHandler(onboarding.consent_pressed, pattern=callbacks.pattern("consent"))),
        (0, CallbackQueryHandler(onboarding.profile_pressed, pattern=callbacks.pattern("prof"))),
        (0, MessageHandler(filters.LOCATION & private, onboarding.receive_location)),
        # Check-ins: one question at a time, then an optional note.
        (0, CommandHandler("checkin", checkin.checkin_command, filters=private)),
        (0, CallbackQueryHandler(checkin.answer_pressed, pattern=callbacks.pattern("ci"))),
        (0, CallbackQueryHandler(checkin.note_pressed, pattern=callbacks.pattern("cin"))),
        # Buttons on reminders and after-session prompts.
        (0, CallbackQueryHandler(nudges.nudge_answer, pattern=callbacks.pattern("nudge"))),
        # Staff review: summary, outcomes, exports, charts and check-in logs.
        (0, CommandHandler("review", review.review_command, filters=private)),
        (0, CallbackQueryHandler(review.review_button, pattern=callbacks.pattern("rev"))),
        # Suggestions, "I'll go", "Every week" and /mysessions.
        (0, CommandHandler("suggest", suggest.suggest_command, filters=private)),
        (0, CallbackQueryHandler(suggest.go_button, pattern=callbacks.pattern("go"))),
        (0, CallbackQueryHandler(suggest.more_button, pattern=callbacks.pattern("more"))),
        (0, CallbackQueryHandler(suggest.nope_button, pattern=callbacks.pattern("nope"))),
        (0, CallbackQueryHandler(suggest.show_button, pattern=callbacks.pattern("show"))),
        (0, CallbackQueryHandler(bookings.week_button, pattern=callbacks.pattern("wk"))),
        (0, CommandHandler("mysessions", bookings.my_sessions, filters=private)),
        (0, CallbackQueryHandler(bookings.booking_button, pattern=callbacks.pattern("bk"))),
        # Settings, a copy of one's data, and erasure.
        (0, CommandHandler("settings", settings.settings_command, filters=private)),
        (0, CallbackQueryHandler(settings.settings_button, pattern=callbacks.pattern("set"))),
        (0, CommandHandler("mydata", privacy.mydata, filters=private)),
        (0, CommandHandler("forget", privacy.forget, filters=private)),
        (0, CallbackQueryHandler(privacy.forget_button, pattern=callbacks.pattern("forget"))),
        # Staff: roles, referrals, caseload, session changes, broadcasts, catalogue files.
        # Each one checks the role in the database and refuses (and audit-logs) anyone else.
        (0, CommandHandler("invite", invite.invite_command, filters=private)),
        (0, CommandHandler("staff", invite.staff_command, filters=private)),
        (0, CallbackQueryHandler(invite.staff_button, pattern=callbacks.pattern("staff"))),
        (0, CommandHandler("refer", refer.refer_command, filters=private)),
        (0, CallbackQueryHandler(refer.refer_button, pattern=callbacks.pattern("ref"))),
        (0, CommandHandler("caseload", caseload.caseload_command, filters=private)),
        (0, CallbackQueryHandler(caseload.caseload_button, pattern=callbacks.pattern("cl"))),
        (0, CommandHandler("sessions", session_changes.sessions_command, filters=private)),
        (
            0,
            CallbackQueryHandler(session_changes.sessions_button, pattern=callbacks.pattern("ses")),
        ),
        (0, CommandHandler("broadcast", broadcast.broadcast_command, filters=private)),
        (0, CallbackQueryHandler(broadcast.broadcast_button, pattern=callbacks.pattern("bc"))),
        (0, MessageHandler(filters.Document.ALL & private, catalogue_upload.receive_document)),
        # Anything not understood gets a polite answer, never silence.
        (0, MessageHandler(filters.COMMAND & private, fallback.unknown_command)),
        # Typed words: an awaited answer, a safeguarding concern, or a search.
        (0, MessageHandler(filters.TEXT & private, text_router.route_text)),
        (0, MessageHandler(~filters.TEXT & ~filters.StatusUpdate.ALL & private, fallback.non_text)),
    ]
    # After /start: a staff invite or ADMIN_TELEGRAM_IDS may have given a staff menu.
    handlers.append((1, CommandHandler("start", staff_menu.after_start, filters=private)))
    # Last of all: send any nudge the update planned on time (a booking's first reminder).
    handlers.append((100, TypeHandler(Update, nudge_jobs.rearm_after_update)))
    # A typed town or postcode after "Area" in /settings.
    text_router.register(person_settings.AREA_AWAITING, settings.receive_area_text)
    # Staff typing a broadcast, a referral note, a new session time or a message.
    text_router.register(staff_text.PREFIX, staff_text.receive)
    for group, handler in handlers:
        application.add_handler(handler, group=group)
    application.add_error_handler(errors.on_error)
