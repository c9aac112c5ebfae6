"""`chorus catalogue …`: import a directory, import place centroids, search from the shell."""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.db.session import create_engine, create_session_factory
from bot.services import catalogue as store
from bot.services import search as search_service
from catalogue.detect import read_catalogue
from catalogue.geo import load_postcode_centroids

EXIT_REJECTED = 1
_BAR_WIDTH = 30


@dataclass
class ProgressBar:
    """A one-line progress bar on stderr, drawn only for large files or a terminal."""

    total: int
    stream: TextIO = sys.stderr
    enabled: bool = True
    _last: int = -1

    def __call__(self, rows: int) -> None:
        if not self.enabled or self.total <= 0:
            return
        done = min(rows, self.total)
        percent = done * 100 // self.total
        if percent == self._last:
            return
        self._last = percent
        filled = done * _BAR_WIDTH // self.total
        bar = "#" * filled + "-" * (_BAR_WIDTH - filled)
        self.stream.write(f"\rReading [{bar}] {percent:3d}% ({done:,}/{self.total:,} rows)")
        if done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


def _count_rows(path: Path) -> int:
    files = sorted(path.glob("*.csv")) if path.is_dir() else [path]
    total = 0
    for file in files:
        with file.open("rb") as handle:
            total += max(sum(1 for _ in handle) - 1, 0)
    return total


async def import_catalogue(
    settings: Settings,
    path: Path,
    *,
    quiet: bool = False,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
    clock: Clock | None = None,
) -> int:
    """Validates a directory file or folder and applies it atomically; returns the exit code."""
    if not await asyncio.to_thread(path.exists):
        err.write(f"No such file or folder: {path}\n")
        return EXIT_REJECTED
    total = await asyncio.to_thread(_count_rows, path) if path.suffix.lower() != ".json" else 0
    bar = ProgressBar(total, stream=err, enabled=not quiet and (total >= 1000 or err.isatty()))
    result = await asyncio.to_thread(read_catalogue, path, progress=bar)
    if not result.ok:
        err.write(f"Import refused: {len(result.errors)} problem(s); nothing was changed.\n")
        for error in result.errors:
            err.write(f"{error}\n")
        return EXIT_REJECTED
    engine = create_engine(settings.database_url)
    try:
        sessions = create_session_factory(engine)
        async with sessions.begin() as session:
            summary = await store.apply_import(
                session, result.catalogue, now=(clock or SystemClock()).now()
            )
    finally:
        await engine.dispose()
    if not quiet:
        out.write(f"Imported {path}\n")
        for line in summary.lines():
            out.write(line + "\n")
    return 0


async def import_postcodes(
    settings: Settings, path: Path, *, out: TextIO = sys.stdout, err: TextIO = sys.stderr
) -> int:
    """Loads postcode-district centroids so places without a venue can be searched near."""
    try:
        places = await asyncio.to_thread(load_postcode_centroids, path)
    except (OSError, ValueError) as exc:
        err.write(f"Could not read {path}: {exc}\n")
        return EXIT_REJECTED
    engine = create_engine(settings.database_url)
    try:
        async with create_session_factory(engine).begin() as session:
            count = await store.save_places(session, places, source=path.name)
    finally:
        await engine.dispose()
    out.write(f"Loaded {count:,} places from {path}\n")
    return 0


async def search(
    settings: Settings,
    query: str,
    *,
    near: str | None = None,
    limit: int = 3,
    as_json: bool = False,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
    clock: Clock | None = None,
) -> int:
    """Prints the best matches for a query, as lines or as JSON."""
    now: datetime = (clock or SystemClock()).now()
    engine = create_engine(settings.database_url)
    try:
        async with create_session_factory(engine)() as session:
            index = await search_service.build_index(session, now=now)
    finally:
        await engine.dispose()
    point = None
    if near:
        place = index.gazetteer.lookup(near)
        if place is None:
            err.write(f"I don't know where {near!r} is.\n")
            return EXIT_REJECTED
        point = place.point
    results = index.search(query, now=now, near=point, limit=limit)
    if as_json:
        rows = [
            {
                "id": r.activity_id,
                "title": r.title,
                "score": round(r.score, 1),
                "next_at": r.next_at.isoformat() if r.next_at else None,
                "distance_km": None if r.distance_km is None else round(r.distance_km, 2),
                "reason": r.reason,
            }
            for r in results
        ]
        out.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    elif not results:
        out.write("No good matches.\n")
    else:
        for number, r in enumerate(results, 1):
            out.write(f"{number}. {r.title} [{r.activity_id}] ({r.score:.0f})\n   {r.reason}\n")
    return 0
