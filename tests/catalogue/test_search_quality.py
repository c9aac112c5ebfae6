"""Search quality over the demo catalogue, judged against hand-written labels.

The labels (tests/catalogue/search_quality.yaml) say which sessions a person would be glad to be
offered; the constraint checks read each result's own data from the catalogue rather than
trusting what the parser made of the words.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from catalogue.geo import Gazetteer, haversine_km, normalise_postcode
from catalogue.model import Catalogue, Occurrence, Status
from catalogue.schedule import expand_activity
from catalogue.search import SearchIndex, SearchResult
from catalogue.spreadsheet import read_spreadsheet

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "catalogue" / "demo" / "activities.csv"
LABELS = yaml.safe_load((Path(__file__).parent / "search_quality.yaml").read_text("utf-8"))
QUERIES: list[dict[str, Any]] = LABELS["queries"]
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
WINDOW = timedelta(weeks=8)
LONDON = ZoneInfo("Europe/London")
# A named place is honoured if the session is within this distance of the place's centre.
PLACE_TOLERANCE_KM = 8.0
REQUIRED_HIT_RATE = 0.95
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


@pytest.fixture(scope="module")
def demo() -> tuple[Catalogue, dict[str, list[Occurrence]], SearchIndex]:
    result = read_spreadsheet(DEMO)
    assert result.ok, [str(e) for e in result.errors]
    catalogue = result.catalogue
    occurrences = {
        a.source_id: expand_activity(a, NOW, NOW + WINDOW) for a in catalogue.activities.values()
    }
    index = SearchIndex.build(catalogue, occurrences, Gazetteer.from_catalogue(catalogue))
    return catalogue, occurrences, index


def _place_point(catalogue: Catalogue, name: str) -> tuple[float, float]:
    """Finds a place's centre from the venues alone, independently of the gazetteer."""
    venues = [v for v in catalogue.venues.values() if v.latitude is not None]
    full = normalise_postcode(name)
    if full:
        chosen = [v for v in venues if v.postcode == full]
    elif name[-1].isdigit():
        chosen = [v for v in venues if v.postcode.split(" ")[0] == name.upper()]
    else:
        chosen = [v for v in venues if v.town.lower() == name.lower()]
    assert chosen, f"no venue in {name}"
    return (
        sum(v.latitude or 0.0 for v in chosen) / len(chosen),
        sum(v.longitude or 0.0 for v in chosen) / len(chosen),
    )


def _violations(
    result: SearchResult,
    constraints: dict[str, Any],
    catalogue: Catalogue,
    occurrences: dict[str, list[Occurrence]],
) -> list[str]:
    """Lists every way one result breaks the constraints a person stated."""
    activity = catalogue.activities[result.activity_id]
    venue = catalogue.venues.get(activity.venue_id or "")
    problems = []
    if activity.status is not Status.ACTIVE:
        problems.append(f"status {activity.status}")
    starts = {o.starts_at for o in occurrences[activity.source_id]}
    if result.next_at is None or result.next_at not in starts or result.next_at <= NOW:
        return [*problems, f"next_at {result.next_at} is not an upcoming meeting"]
    local = result.next_at.astimezone(LONDON)
    today: date = NOW.astimezone(LONDON).date()
    if "days" in constraints and WEEKDAYS[local.weekday()] not in constraints["days"]:
        problems.append(f"meets {local:%A}")
    dates = {
        today + timedelta(days=1 if d == "tomorrow" else 0) for d in constraints.get("dates", [])
    }
    if dates and local.date() not in dates:
        problems.append(f"meets on {local.date()}")
    part = constraints.get("part")
    clock = local.time()
    if (
        (part == "morning" and clock >= time(12))
        or (part == "afternoon" and not time(12) <= clock < time(17))
        or (part == "evening" and clock < time(17))
    ):
        problems.append(f"starts {clock} which is not {part}")
    if "after" in constraints and clock < time.fromisoformat(constraints["after"]):
        problems.append(f"starts {clock}, before {constraints['after']}")
    if "place" in constraints:
        point = _place_point(catalogue, constraints["place"])
        if venue is None or venue.latitude is None or venue.longitude is None:
            problems.append("has no location")
        elif haversine_km(point, (venue.latitude, venue.longitude)) > PLACE_TOLERANCE_KM:
            problems.append(f"is in {venue.town}, not near {constraints['place']}")
    if constraints.get("free") and not activity.is_free:
        problems.append(f"costs {activity.cost}")
    access = set(venue.accessibility) if venue else set()
    if "wheelchair" in access:
        access.add("step_free")
    problems += [f"venue lacks {tag}" for tag in constraints.get("access", []) if tag not in access]
    problems += [
        f"not for {tag}" for tag in constraints.get("audience", []) if tag not in activity.audience
    ]
    return problems


def test_labelled_set_is_big_and_varied_enough() -> None:
    kinds = {q["kind"] for q in QUERIES}
    assert len(QUERIES) >= 80
    assert {"exact", "typo", "synonym", "colloquial", "filtered", "none"} <= kinds
    assert sum(1 for q in QUERIES if not q["accept"]) >= 10


def test_labels_name_real_activities(demo: tuple[Catalogue, Any, SearchIndex]) -> None:
    catalogue = demo[0]
    unknown = {i for q in QUERIES for i in q["accept"] if i not in catalogue.activities}
    assert not unknown


def test_hit_rate_at_three(demo: tuple[Catalogue, Any, SearchIndex]) -> None:
    index = demo[2]
    answerable = [q for q in QUERIES if q["accept"]]
    misses = []
    for labelled in answerable:
        found = [r.activity_id for r in index.search(labelled["query"], now=NOW, limit=3)]
        if not set(found) & set(labelled["accept"]):
            misses.append(f"{labelled['query']!r} -> {found}")
    rate = 1 - len(misses) / len(answerable)
    assert rate >= REQUIRED_HIT_RATE, f"hit@3 {rate:.3f}; misses:\n" + "\n".join(misses)


@pytest.mark.parametrize(
    "labelled", [q for q in QUERIES if not q["accept"]], ids=lambda q: q["query"]
)
def test_queries_without_an_answer_return_nothing(
    labelled: dict[str, Any], demo: tuple[Catalogue, Any, SearchIndex]
) -> None:
    assert demo[2].search(labelled["query"], now=NOW, limit=10) == []


@pytest.mark.parametrize(
    "labelled", [q for q in QUERIES if q.get("constraints")], ids=lambda q: q["query"]
)
def test_no_result_breaks_a_stated_constraint(
    labelled: dict[str, Any], demo: tuple[Catalogue, dict[str, list[Occurrence]], SearchIndex]
) -> None:
    catalogue, occurrences, index = demo
    results = index.search(labelled["query"], now=NOW, limit=20)
    broken = {
        r.activity_id: problems
        for r in results
        if (problems := _violations(r, labelled["constraints"], catalogue, occurrences))
    }
    assert not broken


@pytest.mark.parametrize(
    ("source", "kind"), [("mor-sing-for-joy", "singing"), ("ken-pottery-club", "pottery")]
)
def test_more_like_this_stays_on_topic(
    source: str, kind: str, demo: tuple[Catalogue, Any, SearchIndex]
) -> None:
    similar = [r.activity_id for r in demo[2].similar(source, now=NOW, limit=3)]
    assert len(similar) == 3 and source not in similar
    assert set(similar) <= set(LABELS["sets"][kind])


def test_every_result_is_active_and_upcoming(
    demo: tuple[Catalogue, dict[str, list[Occurrence]], SearchIndex],
) -> None:
    catalogue, occurrences, index = demo
    broken = {
        (labelled["query"], r.activity_id): problems
        for labelled in QUERIES
        for r in index.search(labelled["query"], now=NOW, limit=20)
        if (problems := _violations(r, {}, catalogue, occurrences))
    }
    assert not broken
    never = {i for i, a in catalogue.activities.items() if a.status is not Status.ACTIVE}
    assert len(never) >= 5 and not never & set(index.position)
