"""Parsing single Open Referral UK values."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from decimal import Decimal

import pytest

from catalogue.model import Frequency, Status
from catalogue.oruk import fields


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10:30", time(10, 30)),
        ("10:30:15", time(10, 30, 15)),
        ("9:05", time(9, 5)),
        ("00:00", time(0)),
    ],
)
def test_parse_time(text: str, expected: time) -> None:
    assert fields.parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "10.30", "10:60", "noon", "10:30:61", "10:30Z"])
def test_parse_time_rejects(text: str) -> None:
    with pytest.raises(ValueError, match=r"bad time .* \(expected HH:MM or HH:MM:SS\)"):
        fields.parse_time(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026-03-29", date(2026, 3, 29)), ("2026-03-29T10:00:00Z", date(2026, 3, 29))],
)
def test_parse_date(text: str, expected: date) -> None:
    assert fields.parse_date(text) == expected


@pytest.mark.parametrize("text", ["2026-02-30", "29/03/2026", "2026-3-29", "soon"])
def test_parse_date_rejects(text: str) -> None:
    with pytest.raises(ValueError, match=r"bad date .* \(expected YYYY-MM-DD\)"):
        fields.parse_date(text)


def test_parse_byday_canonicalises() -> None:
    assert fields.parse_byday("tu, +1TH,-1fr") == ("TU", "1TH", "-1FR")


def test_parse_monthdays() -> None:
    assert fields.parse_monthdays("1, 15,-1") == (1, 15, -1)
    with pytest.raises(ValueError, match="bad day of the month '0'"):
        fields.parse_monthdays("1,0")


@pytest.mark.parametrize(
    ("parser", "text", "message"),
    [
        (fields.parse_positive, "0", "must be a whole number of at least 1, not '0'"),
        (fields.parse_positive, "1.5", "must be a whole number of at least 1, not '1.5'"),
        (fields.parse_whole, "ten", "must be a whole number, not 'ten'"),
        (fields.parse_latitude, "91", "91 is outside -90 to 90"),
        (fields.parse_longitude, "-180.5", "-180.5 is outside -180 to 180"),
        (fields.parse_latitude, "", "not a number: ''"),
        (fields.parse_amount, "-1", "not an amount: '-1'"),
        (fields.parse_amount, "three", "not an amount: 'three'"),
        (fields.parse_amount, "NaN", "not an amount: 'NaN'"),
        (fields.parse_status, "closed", "unknown status 'closed'"),
        (fields.parse_frequency, "YEARLY", "unsupported frequency 'YEARLY'"),
        (fields.parse_timezone, "Mars/Olympus", "unknown timezone 'Mars/Olympus'"),
        (fields.parse_timezone, "5.5", "unknown timezone '5.5'"),
        (fields.parse_timezone, "14", "unknown timezone '14'"),
    ],
)
def test_parsers_name_the_bad_value(
    parser: Callable[[str], object], text: str, message: str
) -> None:
    with pytest.raises(ValueError) as raised:
        parser(text)
    assert str(raised.value).startswith(message)


def test_good_values() -> None:
    assert fields.parse_positive("3") == 3
    assert fields.parse_whole("-2") == -2
    assert fields.parse_latitude("54.05") == 54.05
    assert fields.parse_amount("£1,250.50") == Decimal("1250.50")
    assert fields.parse_status("Temporarily  Closed") is Status.INACTIVE
    assert fields.parse_status("ACTIVE") is Status.ACTIVE
    assert fields.parse_frequency(" monthly ") is Frequency.MONTHLY


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("Europe/London", "Europe/London"),
        ("America/New_York", "America/New_York"),
        ("0", "Europe/London"),
        ("1", "Europe/London"),
        ("3", "Etc/GMT-3"),
        ("-5", "Etc/GMT+5"),
    ],
)
def test_parse_timezone(text: str, zone: str) -> None:
    assert fields.parse_timezone(text) == zone
