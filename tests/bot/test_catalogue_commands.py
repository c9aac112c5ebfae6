"""`chorus catalogue import/search/import-postcodes`: atomic imports, clear errors, JSON output."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from bot import catalogue_commands as commands
from bot.clock import FixedClock
from bot.config import load_settings
from bot.db.models import ActivityRow
from bot.db.session import SessionFactory

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "catalogue" / "demo" / "activities.csv"
CLOCK = FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
HEADER = (
    "id,title,organisation,description,categories,audience,venue,address,town,postcode,"
    "latitude,longitude,accessibility,days,frequency,start_time,end_time,starts_on,ends_on,"
    "cost,free,booking_required,contact,website,status\n"
)
GOOD_ROW = (
    "choir-1,Bay Choir,Bay Voices,A choir,singing,,West End Hall,1 Road,Morecambe,LA4 4DB,"
    "54.07,-2.87,step free,Tuesday,weekly,10:30,12:00,,,Free,yes,no,,,active\n"
)


async def _count(sessions: SessionFactory) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(ActivityRow)) or 0)


async def test_demo_import_then_reimport_changes_nothing(
    migrated_url: str, sessions: SessionFactory
) -> None:
    settings = load_settings(_env_file=None, database_url=migrated_url)
    out, err = io.StringIO(), io.StringIO()
    assert await commands.import_catalogue(settings, DEMO, out=out, err=err, clock=CLOCK) == 0
    first = await _count(sessions)
    assert first >= 140
    assert "Activities: " in out.getvalue()
    out = io.StringIO()
    assert await commands.import_catalogue(settings, DEMO, out=out, err=err, clock=CLOCK) == 0
    assert f"Activities: 0 created, 0 updated, {first} unchanged" in out.getvalue()
    assert await _count(sessions) == first


async def test_a_file_with_bad_rows_is_refused_whole(
    migrated_url: str, sessions: SessionFactory, tmp_path: Path
) -> None:
    bad = tmp_path / "directory.csv"
    bad.write_text(
        HEADER
        + GOOD_ROW
        + GOOD_ROW.replace("choir-1", "choir-2").replace("10:30", "25:00")
        + GOOD_ROW.replace("choir-1", "choir-3").replace("Tuesday", "Blursday"),
        encoding="utf-8",
    )
    settings = load_settings(_env_file=None, database_url=migrated_url)
    out, err = io.StringIO(), io.StringIO()
    code = await commands.import_catalogue(settings, bad, out=out, err=err, clock=CLOCK)
    assert code == commands.EXIT_REJECTED
    lines = err.getvalue().splitlines()
    assert "nothing was changed" in lines[0]
    assert any(line.startswith("directory.csv:3: start_time: ") for line in lines), lines
    assert any(line.startswith("directory.csv:4: days: ") for line in lines), lines
    assert await _count(sessions) == 0  # the good row was not imported either


async def test_search_prints_json_with_the_promised_fields(migrated_url: str) -> None:
    settings = load_settings(_env_file=None, database_url=migrated_url)
    sink = io.StringIO()
    await commands.import_catalogue(settings, DEMO, out=sink, err=sink, clock=CLOCK)
    out = io.StringIO()
    code = await commands.search(
        settings, "singin near morecambe tuesday", as_json=True, out=out, clock=CLOCK
    )
    assert code == 0
    results = json.loads(out.getvalue())
    assert 1 <= len(results) <= 3
    for result in results:
        assert set(result) >= {"id", "title", "score", "next_at", "distance_km", "reason"}
        assert datetime.fromisoformat(result["next_at"]).weekday() == 1  # a Tuesday
        assert result["distance_km"] is not None and result["distance_km"] < 10


async def test_search_near_an_unknown_place_says_so(migrated_url: str) -> None:
    settings = load_settings(_env_file=None, database_url=migrated_url)
    err = io.StringIO()
    code = await commands.search(settings, "choir", near="Atlantis", err=err, clock=CLOCK)
    assert code == commands.EXIT_REJECTED
    assert "Atlantis" in err.getvalue()


async def test_postcode_centroids_make_new_places_searchable(
    migrated_url: str, tmp_path: Path
) -> None:
    settings = load_settings(_env_file=None, database_url=migrated_url)
    sink = io.StringIO()
    await commands.import_catalogue(settings, DEMO, out=sink, err=sink, clock=CLOCK)
    centroids = tmp_path / "districts.csv"
    # LA2 (Halton, near Lancaster) has no demo venue of its own.
    centroids.write_text("postcode_district,latitude,longitude\nLA2,54.075,-2.77\n")
    out = io.StringIO()
    assert await commands.import_postcodes(settings, centroids, out=out, err=sink) == 0
    assert "Loaded 1 places" in out.getvalue()
    out = io.StringIO()
    code = await commands.search(settings, "choir", near="LA2", as_json=True, out=out, clock=CLOCK)
    assert code == 0
    assert json.loads(out.getvalue())  # Lancaster's choirs are within reach of LA2
