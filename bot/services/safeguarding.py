"""Safeguarding: noticing when a check-in or a message suggests someone is at risk.

When it does, the participant is shown where help is straight away (handlers send the text),
a flag is stored for the caseload view, and an alert goes to their link worker, or to every
coordinator when they have none. Chorus is not an emergency service and says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Person, Reachability, Role, SafeguardingFlag
from bot.questionnaires import Questionnaire, RiskThreshold, default_risk_thresholds

DEFAULT_PHRASES_FILE = Path(__file__).with_name("safeguarding_phrases.txt")
_THRESHOLD_RE = re.compile(r"^(?P<q>[a-z0-9_]+)\.(?P<item>[a-z0-9_]+)(?P<op><=|>=)(?P<n>-?\d+)$")


def _normalise(text: str) -> str:
    # Curly apostrophes and "cant" both count as "can't"; spacing and case do not matter.
    text = text.lower().replace("\u2019", "'").replace("'", "")
    return " ".join(re.sub(r"[^\w\s-]", " ", text).split())


@lru_cache(maxsize=8)
def load_phrases(path: Path = DEFAULT_PHRASES_FILE) -> tuple[str, ...]:
    """The phrase list: one per line, '#' comments ignored."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(_normalise(line) for line in lines if line.strip() and not line.startswith("#"))


def scan_text(text: str, phrases: Sequence[str]) -> list[str]:
    """The phrases found in `text`, matched on word boundaries."""
    clean = f" {_normalise(text)} "
    return [phrase for phrase in phrases if f" {phrase} " in clean]


def parse_thresholds(spec: str) -> dict[str, list[RiskThreshold]]:
    """Parses `SAFEGUARDING_THRESHOLDS` ("ons4.life_satisfaction<=2,ons4.anxiety>=9").

    Returns thresholds keyed by questionnaire key. Raises ValueError on a malformed entry.
    """
    found: dict[str, list[RiskThreshold]] = {}
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        match = _THRESHOLD_RE.match(part.replace(" ", ""))
        if match is None:
            raise ValueError(f"cannot read {part!r}; write e.g. ons4.anxiety>=9")
        limit = int(match["n"])
        threshold = (
            RiskThreshold(match["item"], at_most=limit)
            if match["op"] == "<="
            else RiskThreshold(match["item"], at_least=limit)
        )
        found.setdefault(match["q"], []).append(threshold)
    return found


def thresholds_for(
    questionnaire: Questionnaire, configured: dict[str, list[RiskThreshold]]
) -> list[RiskThreshold]:
    """The configured thresholds for a questionnaire, or the ones shipped with it."""
    return configured.get(questionnaire.key) or default_risk_thresholds(questionnaire)


@dataclass(frozen=True, slots=True)
class Alert:
    """Who to tell about a new flag, and what (by pseudonymous code, never by name)."""

    flag_id: int
    participant_code: str
    reasons: tuple[str, ...]
    recipient_chat_ids: tuple[int, ...]
    to_link_worker: bool
    new: bool = True


async def _recipients(session: AsyncSession, person: Person) -> tuple[list[Person], bool]:
    if person.link_worker_id is not None:
        worker = await session.get(Person, person.link_worker_id)
        if worker is not None and worker.reachability is Reachability.ACTIVE:
            return [worker], True
    rows = await session.execute(
        select(Person).where(
            Person.role == Role.COORDINATOR, Person.reachability == Reachability.ACTIVE
        )
    )
    return list(rows.scalars()), False


async def raise_flag(
    session: AsyncSession,
    person: Person,
    *,
    source: str,
    reasons: Iterable[str],
    now: datetime,
    check_in_id: int | None = None,
) -> Alert:
    """Stores a safeguarding flag and says who should be alerted.

    Several risky answers in one check-in make one flag (its reasons grow) and one alert, so
    a link worker is not sent three messages about the same moment.
    """
    if check_in_id is not None:
        existing = (
            await session.execute(
                select(SafeguardingFlag).where(
                    SafeguardingFlag.check_in_id == check_in_id,
                    SafeguardingFlag.resolved_at.is_(None),
                )
            )
        ).scalar_one_or_none()
        if existing is not None:
            existing.reasons = list(dict.fromkeys([*existing.reasons, *reasons]))
            await session.flush()
            return Alert(existing.id, person.code, tuple(existing.reasons), (), False, new=False)
    recipients, to_worker = await _recipients(session, person)
    flag = SafeguardingFlag(
        person_id=person.id,
        source=source,
        check_in_id=check_in_id,
        reasons=list(reasons),
        raised_at=now,
        alerted_person_id=recipients[0].id if to_worker else None,
    )
    session.add(flag)
    await session.flush()
    return Alert(
        flag_id=flag.id,
        participant_code=person.code,
        reasons=tuple(flag.reasons),
        recipient_chat_ids=tuple(p.chat_id or p.telegram_user_id for p in recipients),
        to_link_worker=to_worker,
    )
