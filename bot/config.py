"""Settings: every key Chorus reads from the environment (and `.env`), validated at start.

A bad value stops start-up with one line naming the key (see `load_settings`), never a
traceback. Settings are passed down from the composition root, not imported as a global.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.services import nudge_policy

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/chorus.sqlite3"

# Telegram tokens are "<bot id>:<35 characters>"; the sandbox uses the same shape.
_TOKEN_RE = re.compile(r"^\d{3,12}:[A-Za-z0-9_-]{30,50}$")
_SUPPORTED_DATABASE_SCHEMES = ("sqlite+aiosqlite", "postgresql+asyncpg")


class ConfigError(Exception):
    """Start-up configuration is wrong; the message is one line naming the key."""


class Settings(BaseSettings):
    """Chorus configuration. Each field is documented in `.env.example` and the README."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str | None = None
    telegram_api_file_url: str | None = None
    database_url: str = DEFAULT_DATABASE_URL
    timezone: str = "Europe/London"
    # Nudges (see bot/services/nudge_policy.py for the formats).
    nudge_before: str = "1d@18:00,2h"
    nudge_after: str = "30m"
    quiet_hours: str = "21:00-08:00"
    follow_up_weeks: str = "6,12"
    digest_at: str = "08:30"
    retention_days: int = Field(default=730, ge=0, le=36500)
    caseload_quiet_weeks: int = Field(default=4, ge=1, le=52)
    admin_telegram_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    self_referral: bool = True
    safeguarding_thresholds: str = ""
    safeguarding_phrases_file: Path | None = None
    swemwbs_licensed: bool = False
    report_min_n: int = Field(default=5, ge=2, le=1000)
    disclosure_threshold: int = Field(default=5, ge=1, le=1000)

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _token_shape(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or not _TOKEN_RE.match(value.strip()):
            raise ValueError("does not look like a bot token from BotFather (digits:letters)")
        return value.strip()

    @field_validator("telegram_api_base_url", "webhook_url", "telegram_api_file_url", mode="before")
    @classmethod
    def _http_url(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        parts = urlsplit(str(value).strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an http:// or https:// address")
        return str(value).strip()

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str) -> str:
        scheme = value.split("://", 1)[0] if "://" in value else ""
        if scheme not in _SUPPORTED_DATABASE_SCHEMES:
            supported = " or ".join(f"{s}://" for s in _SUPPORTED_DATABASE_SCHEMES)
            raise ValueError(f"unsupported database; use {supported}")
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("is not a known time zone (try Europe/London)") from exc
        return value

    @field_validator("nudge_before", "nudge_after", "quiet_hours", "follow_up_weeks", "digest_at")
    @classmethod
    def _nudge_rule(cls, value: str, info: ValidationInfo) -> str:
        parse = {
            "nudge_before": nudge_policy.parse_offsets,
            "nudge_after": nudge_policy.parse_duration,
            "quiet_hours": nudge_policy.parse_quiet_hours,
            "follow_up_weeks": nudge_policy.parse_weeks,
            "digest_at": nudge_policy.parse_clock,
        }[str(info.field_name)]
        parse(value)  # raises ValueError with a message naming the bad part
        return value.strip()

    @field_validator("safeguarding_thresholds")
    @classmethod
    def _thresholds(cls, value: str) -> str:
        from bot.services.safeguarding import parse_thresholds

        parse_thresholds(value)
        return value

    @field_validator("safeguarding_phrases_file", mode="before")
    @classmethod
    def _phrases(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not Path(str(value)).is_file():
            raise ValueError(f"names no readable file ({value})")
        return value

    @field_validator("admin_telegram_ids", mode="before")
    @classmethod
    def _ids(cls, value: object) -> object:
        if isinstance(value, str):
            items = [part.strip() for part in value.split(",") if part.strip()]
            if not all(item.lstrip("-").isdigit() for item in items):
                raise ValueError("must be Telegram user ids separated by commas")
            return frozenset(int(item) for item in items)
        return value

    @property
    def api_base_url(self) -> str:
        return self.telegram_api_base_url or DEFAULT_API_BASE_URL

    @property
    def api_file_url(self) -> str:
        """Where files are downloaded: Telegram's `/file/bot`, or beside a local server's `/bot`."""
        if self.telegram_api_file_url:
            return self.telegram_api_file_url
        base = self.api_base_url
        return base[: -len("/bot")] + "/file/bot" if base.endswith("/bot") else base

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def sqlite_path(self) -> Path | None:
        """The database file for SQLite URLs (None for in-memory or PostgreSQL)."""
        if not self.is_sqlite:
            return None
        path = self.database_url.split(":///", 1)[1] if ":///" in self.database_url else ""
        return Path(path) if path and path != ":memory:" else None


def load_settings(**overrides: object) -> Settings:
    """Reads settings from the environment, turning validation errors into one clear line.

    Raises:
        ConfigError: naming the first offending key and what is wrong with it.
    """
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        key = str(error["loc"][0]).upper() if error["loc"] else "configuration"
        message = str(error["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"Configuration error: {key} {message}.") from None
