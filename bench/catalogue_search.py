"""Benchmark catalogue search on synthetic catalogues of 1,000 to 100,000 activities.

Run as ``.venv/bin/python bench/catalogue_search.py [--sizes 1000,10000,100000] [--write-docs]``.
For each size it reports the index build time, the memory the index holds (RSS growth), and
p50/p95 latency over a fixed query mix, next to a baseline measured in the same run: a plain
rapidfuzz ``process.extract`` over each activity's concatenated text. The process is pinned to
one core so the figures are comparable between machines. ``--write-docs`` writes the table into
the "Catalogue search" section of docs/benchmarks.md, leaving other sections alone.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from catalogue.geo import Gazetteer
from catalogue.model import (
    Activity,
    Catalogue,
    Frequency,
    Occurrence,
    Organisation,
    Schedule,
    Status,
    Venue,
)
from catalogue.schedule import expand_activity
from catalogue.search import SearchIndex
from catalogue.spreadsheet import read_spreadsheet

# The project is installed into the virtualenv in editable mode, so this script imports it
# from anywhere; ROOT is only where the results are written.
ROOT = Path(__file__).resolve().parents[1]

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
WEEKS = 8
SEED = 20261123
BASELINE_QUERIES_AT_MOST = 24  # the baseline is slow at 100,000; fewer runs keep it minutes
KINDS = [
    ("Community Choir", ["singing", "choir"], "A friendly choir singing pop and folk songs."),
    ("Singers", ["singing"], "Sing-along to old favourites, with tea."),
    ("Ukulele Strummers", ["ukulele", "music"], "Bring a ukulele or borrow one."),
    ("Samba Drummers", ["drumming", "samba"], "Loud and joyful samba drumming, drums provided."),
    ("Pottery Taster", ["pottery", "ceramics"], "Try the potter's wheel in a relaxed taster."),
    ("Art Group", ["art", "painting"], "Painting and drawing, all levels."),
    ("Knit and Natter", ["knitting", "crafts"], "Knitting and crochet with a natter."),
    ("Tea Dance", ["dance", "tea dance"], "Ballroom and sequence dancing with tea and cake."),
    ("Chair Yoga", ["yoga"], "Gentle seated yoga to calm music."),
    ("Writers", ["writing", "creative writing"], "Stories and poems with a weekly prompt."),
    ("Drama Club", ["drama", "theatre"], "Improvisation and scene work."),
    ("Photo Walk", ["photography", "walking"], "A slow walk with cameras or phones."),
    ("Orchestra", ["orchestra", "music"], "Community orchestra for returning players."),
    ("Memory Café", ["memory", "music"], "Live music for people living with dementia."),
    ("Guitar Beginners", ["guitar", "music"], "Chords and simple songs for beginners."),
    ("Garden Growers", ["gardening"], "Growing vegetables in raised beds."),
]
SYLLABLES = "bar ton ley by wick ham ford mere dale thorpe holm stan wood brook mar kel".split()  # noqa: SIM905
ACCESS = ["wheelchair", "step_free", "hearing_loop", "parking"]
AUDIENCE = ["dementia_friendly", "carers_welcome", "over_60s", "young_people"]
AREAS = ["LA", "PR", "CA", "BB", "FY", "BL"]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def town_name(rng: random.Random) -> str:
    return "".join(rng.sample(SYLLABLES, 2)).capitalize()


def synthetic(size: int, rng: random.Random) -> tuple[Catalogue, dict[str, list[Occurrence]]]:
    """Builds a catalogue of ``size`` weekly activities over towns, venues and organisations."""
    towns = []
    for number in range(max(5, size // 400)):
        towns.append(
            (f"{town_name(rng)}{number}", rng.uniform(53.4, 55.0), rng.uniform(-3.2, -2.0))
        )
    catalogue = Catalogue()
    for number in range(max(10, size // 5)):
        name, lat, lon = rng.choice(towns)
        district = f"{AREAS[number % len(AREAS)]}{number % 15 + 1}"
        catalogue.venues[f"v{number}"] = Venue(
            f"v{number}", f"{town_name(rng)} Hall", town=name,
            postcode=f"{district} {rng.randint(1, 9)}AB",
            latitude=lat + rng.uniform(-0.03, 0.03), longitude=lon + rng.uniform(-0.03, 0.03),
            accessibility=frozenset(rng.sample(ACCESS, rng.randint(0, 2))),
        )  # fmt: skip
    for number in range(max(10, size // 3)):
        catalogue.organisations[f"o{number}"] = Organisation(f"o{number}", town_name(rng) + " Arts")
    occurrences: dict[str, list[Occurrence]] = {}
    first = NOW.date() - timedelta(days=NOW.weekday())
    for number in range(size):
        title, categories, description = rng.choice(KINDS)
        venue = catalogue.venues[f"v{rng.randrange(len(catalogue.venues))}"]
        day = rng.randrange(7)
        hour = rng.choice([10, 11, 14, 18, 19])
        source_id = f"a{number}"
        catalogue.activities[source_id] = Activity(
            source_id, f"{venue.town} {title}", description=description,
            organisation_id=f"o{rng.randrange(len(catalogue.organisations))}",
            venue_id=venue.source_id, categories=frozenset(categories),
            audience=frozenset(rng.sample(AUDIENCE, rng.choice([0, 0, 1]))),
            is_free=rng.random() < 0.3,
            status=Status.ACTIVE if rng.random() < 0.95 else Status.INACTIVE,
            schedules=(Schedule(Frequency.WEEKLY, byday=(DAYS[day],)),),
        )  # fmt: skip
        occurrences[source_id] = [
            Occurrence(
                source_id,
                datetime(d.year, d.month, d.day, hour, 0, tzinfo=UTC),
                datetime(d.year, d.month, d.day, hour + 1, 30, tzinfo=UTC),
            )
            for week in range(WEEKS)
            if (d := first + timedelta(days=day, weeks=week)) > NOW.date()
        ]
    return catalogue, occurrences


def query_mix(catalogue: Catalogue, rng: random.Random) -> list[str]:
    """A fixed mix of plain, misspelt, colloquial, filtered and hopeless requests."""
    towns = sorted({v.town for v in catalogue.venues.values()})
    a, b = rng.sample(towns, 2)
    return [
        "choir",
        f"singin near {a.lower()} tuesday",
        "pottery taster",
        "ukelele",
        "something musical for my dad who has dementia",
        "free art",
        f"drumming in {b}",
        "tea dance on friday afternoon",
        "wheelchair accessible choir",
        "creative writing evening",
        "quire",
        "knitting LA4",
        "gardening for carers",
        "scuba diving",
        "photography walk at the weekend",
        "chair yoga for older people",
    ]


def rss_bytes() -> int:
    """Current resident set size, from /proc (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed(run: Callable[[], object], repeat: int) -> list[float]:
    """Milliseconds for each of ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return times


def measure(size: int) -> dict[str, float]:
    """Builds one catalogue's index and times the query mix against the baseline."""
    rng = random.Random(SEED + size)
    catalogue, occurrences = synthetic(size, rng)
    queries = query_mix(catalogue, rng)
    gazetteer = Gazetteer.from_catalogue(catalogue)
    gc.collect()
    before = rss_bytes()
    start = time.perf_counter()
    index = SearchIndex.build(catalogue, occurrences, gazetteer)
    build_s = time.perf_counter() - start
    gc.collect()
    memory_mb = (rss_bytes() - before) / 2**20
    cold: list[float] = []
    for query in queries:  # first sight of each query: typo matching not yet cached
        index.terms.expand.cache_clear()
        cold += timed(partial(index.search, query, now=NOW), 1)
    warm = [t for q in queries for t in timed(partial(index.search, q, now=NOW), 5)]
    texts = [
        " ".join([a.title, *sorted(a.categories), a.description,
                  catalogue.organisations[a.organisation_id or ""].name,
                  catalogue.venues[a.venue_id or ""].name])
        for a in catalogue.activities.values()
    ]  # fmt: skip
    baseline_queries = queries[:BASELINE_QUERIES_AT_MOST]
    baseline = [
        t
        for q in baseline_queries
        for t in timed(
            partial(process.extract, q, texts, scorer=fuzz.WRatio, limit=3),
            1 if size >= 50_000 else 3,
        )
    ]
    both = cold + warm
    return {
        "size": size,
        "indexed": len(index),
        "build_s": build_s,
        "memory_mb": memory_mb,
        "p50": percentile(both, 0.5),
        "p95": percentile(both, 0.95),
        "cold_p95": percentile(cold, 0.95),
        "base_p50": percentile(baseline, 0.5),
        "base_p95": percentile(baseline, 0.95),
    }


def quality() -> str:
    """Scores the labelled queries over the demo catalogue, as the quality test does."""
    labels = yaml.safe_load((ROOT / "tests" / "catalogue" / "search_quality.yaml").read_text())
    result = read_spreadsheet(ROOT / "catalogue" / "demo" / "activities.csv")
    catalogue = result.catalogue
    occurrences = {
        a.source_id: expand_activity(a, NOW, NOW + timedelta(weeks=WEEKS))
        for a in catalogue.activities.values()
    }
    index = SearchIndex.build(catalogue, occurrences, Gazetteer.from_catalogue(catalogue))
    answerable = [q for q in labels["queries"] if q["accept"]]
    hopeless = [q for q in labels["queries"] if not q["accept"]]
    hits = sum(
        1
        for q in answerable
        if {r.activity_id for r in index.search(q["query"], now=NOW)} & set(q["accept"])
    )
    empty = sum(1 for q in hopeless if not index.search(q["query"], now=NOW))
    return (
        f"Search quality on the demo catalogue ({len(catalogue.activities)} activities, "
        f"tests/catalogue/search_quality.yaml): hit@3 {hits / len(answerable):.2f} "
        f"({hits} of {len(answerable)} answerable queries), and {empty} of {len(hopeless)} "
        "queries with no right answer return nothing."
    )


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
    return (
        f"{model.group(1).strip() if model else platform.processor() or 'unknown CPU'}, "
        f"{os.cpu_count()} cores (pinned to one), Python {platform.python_version()}"
    )


def table(rows: list[dict[str, float]]) -> str:
    lines = [
        "| activities | indexed | build | index memory | p50 | p95 | p95 first sight "
        "| baseline p50 | baseline p95 | p95 speed-up |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['size']:,.0f} | {r['indexed']:,.0f} | {r['build_s']:.2f} s "
            f"| {r['memory_mb']:.0f} MB | {r['p50']:.2f} ms | {r['p95']:.2f} ms "
            f"| {r['cold_p95']:.2f} ms | {r['base_p50']:.1f} ms | {r['base_p95']:.1f} ms "
            f"| {r['base_p95'] / r['p95']:.0f}× |"
        )
    return "\n".join(lines)


def write_docs(rows: list[dict[str, float]], scored: str, path: Path) -> None:
    """Replaces the "## Catalogue search" section of the benchmarks page with fresh figures."""
    section = f"""## Catalogue search

Measured {datetime.now(UTC):%Y-%m-%d} on {machine()} with
`.venv/bin/python bench/catalogue_search.py --write-docs`.

Synthetic catalogues of weekly sessions (16 kinds of activity, 5% inactive, eight weeks of
meetings) over generated towns and venues. The query mix has 16 requests: plain ("choir"),
misspelt ("ukelele", "quire"), colloquial ("something musical for my dad who has dementia"),
filtered ("singin near <town> tuesday", "knitting LA4", "free art") and hopeless
("scuba diving"). Latency is per `SearchIndex.search` call, limit 3: each query once with
the typo cache cleared ("first sight") and five times warm; p50/p95 are over all of those.
The baseline is `rapidfuzz.process.extract(query, texts, scorer=WRatio, limit=3)` over each
activity's concatenated title, categories, description, organisation and venue, timed in the
same run; it applies no constraints, so it is a floor on what naive matching costs, not a
competitor in quality. "Index memory" is the growth in resident memory while building.

{table(rows)}

{scored}

Targets: p95 ≤ 5 ms at 10,000 activities and ≤ 50 ms at 100,000, on one core.
"""
    text = path.read_text("utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(r"^## Catalogue search\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        row = measure(size)
        rows.append(row)
        print(table([row]).splitlines()[-1], flush=True)
    scored = quality()
    print(f"\n{machine()}\n{table(rows)}\n\n{scored}")
    if args.write_docs:
        write_docs(rows, scored, ROOT / "docs" / "benchmarks.md")


if __name__ == "__main__":
    main()
