"""Running the bot for real: long polling by default, a webhook when WEBHOOK_URL is set."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from telegram import Update

from bot.application import build_application
from bot.config import Settings

log = logging.getLogger(__name__)


def run(settings: Settings) -> None:
    """Runs until interrupted (blocking; PTB owns the event loop and signal handling)."""
    application = build_application(settings)
    if settings.webhook_url:
        # PTB's webhook server refuses requests without the matching secret-token header.
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        path = urlsplit(settings.webhook_url).path.lstrip("/")
        log.info("starting webhook on %s:%s", settings.webhook_listen, settings.webhook_port)
        application.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=path,
            webhook_url=settings.webhook_url,
            secret_token=secret,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        log.info("starting long polling")
        application.run_polling(allowed_updates=Update.ALL_TYPES)
