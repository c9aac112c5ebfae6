"""Fixtures for the questionnaire tests: the shipped definitions and the reference tables."""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.questionnaires import Questionnaire, load_questionnaire

# The published reference tables live outside the repository (their licences differ from
# ours); CI mounts them here. CHORUS_REFERENCE_DIR points elsewhere when needed.
REFERENCE_DIR = Path(os.environ.get("CHORUS_REFERENCE_DIR", "/work/shared/reference")) / "wellbeing"


ReferenceReader = Callable[[str], list[dict[str, str]]]


def _read_reference_csv(name: str) -> list[dict[str, str]]:
    path = REFERENCE_DIR / name
    if not path.is_file():
        pytest.skip(f"reference table {path} not present (CI provides it); own data still tested")
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def reference_csv() -> ReferenceReader:
    """Reads a reference CSV's rows, skipping the test when the folder is missing."""
    return _read_reference_csv


@pytest.fixture
def ons4() -> Questionnaire:
    return load_questionnaire("ons4")


@pytest.fixture
def loneliness() -> Questionnaire:
    return load_questionnaire("loneliness")


@pytest.fixture
def mood() -> Questionnaire:
    return load_questionnaire("mood")


@pytest.fixture
def swemwbs() -> Questionnaire:
    return load_questionnaire("swemwbs")
