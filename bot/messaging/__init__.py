"""Talking to Telegram: copy, keyboards, callback data and the one sender."""
