"""Settings: sensible defaults, and one clear line for each kind of bad value."""

from __future__ import annotations

import pytest

from bot.config import DEFAULT_API_BASE_URL, ConfigError, load_settings

GOOD_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


@pytest.mark.usefixtures("clean_env")
def test_defaults_need_no_configuration() -> None:
    settings = load_settings()
    assert settings.telegram_bot_token is None
    assert settings.api_base_url == DEFAULT_API_BASE_URL
    assert settings.api_file_url == "https://api.telegram.org/file/bot"
    assert settings.database_url.startswith("sqlite+aiosqlite:///")
    assert settings.timezone == "Europe/London"
    assert settings.admin_telegram_ids == frozenset()


@pytest.mark.usefixtures("clean_env")
def test_values_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", GOOD_TOKEN)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:8081/bot")
    monkeypatch.setenv("ADMIN_TELEGRAM_IDS", "42, 7")
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1/test")
    settings = load_settings()
    assert settings.telegram_bot_token is not None
    assert settings.telegram_bot_token.get_secret_value() == GOOD_TOKEN
    assert settings.api_file_url == "http://127.0.0.1:8081/file/bot"
    assert settings.admin_telegram_ids == frozenset({42, 7})
    assert not settings.is_sqlite


@pytest.mark.usefixtures("clean_env")
@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("TELEGRAM_BOT_TOKEN", "not-a-token", "TELEGRAM_BOT_TOKEN does not look like a bot token"),
        ("TIMEZONE", "Europe/Atlantis", "TIMEZONE is not a known time zone"),
        ("DATABASE_URL", "mysql://root@localhost/x", "DATABASE_URL unsupported database"),
        ("TELEGRAM_API_BASE_URL", "ftp://example.org/bot", "TELEGRAM_API_BASE_URL must be an http"),
        ("ADMIN_TELEGRAM_IDS", "42,alice", "ADMIN_TELEGRAM_IDS must be Telegram user ids"),
        ("WEBHOOK_PORT", "99999", "WEBHOOK_PORT"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL"),
    ],
)
def test_bad_values_give_one_line_naming_the_key(
    monkeypatch: pytest.MonkeyPatch, key: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(key, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith("Configuration error: " + expected)
    assert "\n" not in message
    assert value not in message or key != "TELEGRAM_BOT_TOKEN"  # never echo a secret


@pytest.mark.usefixtures("clean_env")
def test_every_key_in_env_example_is_a_setting_and_the_example_loads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pathlib import Path

    from bot.config import Settings

    example = Path(__file__).resolve().parents[2] / ".env.example"
    keys = {}
    for line in example.read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            keys[key] = value
    assert {k.lower() for k in keys} == set(Settings.model_fields)
    for key, value in keys.items():
        monkeypatch.setenv(key, value)
    load_settings()  # the example as shipped is a valid configuration


@pytest.mark.usefixtures("clean_env")
def test_safeguarding_settings_are_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFEGUARDING_THRESHOLDS", "ons4.anxiety=>9")
    with pytest.raises(ConfigError, match="SAFEGUARDING_THRESHOLDS"):
        load_settings()
    monkeypatch.setenv("SAFEGUARDING_THRESHOLDS", "ons4.anxiety>=8")
    monkeypatch.setenv("SAFEGUARDING_PHRASES_FILE", "/no/such/file.txt")
    with pytest.raises(ConfigError, match="SAFEGUARDING_PHRASES_FILE"):
        load_settings()
