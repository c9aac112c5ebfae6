"""The funder report opens in a real headless browser without errors, with every chart drawn."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import matplotlib.image
import numpy as np

from bot.db.models import BookingStatus, CheckInContext, Role
from bot.db.session import SessionFactory
from bot.services.report_charts import report_charts
from bot.services.report_cohorts import Cohort, CohortKind, custom_period
from bot.services.report_html import render_html
from bot.services.reports import Report, build_report
from tests.reports.browser import Browser, chromium_or_skip
from tests.services import report_builders as build

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
PERIOD = custom_period(date(2026, 9, 1), date(2026, 11, 30), LONDON)
MOOD_ITEMS = ("happy", "interested", "confident", "relaxed", "well")

IMAGES_JS = """
JSON.stringify(Array.from(document.querySelectorAll('figure')).map(f => {
  const img = f.querySelector('img'); const r = img.getBoundingClientRect();
  return {id: f.id, complete: img.complete, width: img.naturalWidth, height: img.naturalHeight,
          x: r.left + window.scrollX + img.clientLeft, y: r.top + window.scrollY + img.clientTop,
          w: img.clientWidth, h: img.clientHeight};
}))
"""


async def _report(sessions: SessionFactory) -> Report:
    async with sessions.begin() as session:
        coordinator = await build.person(
            session, code="P-C000", created_at=NOW, role=Role.COORDINATOR
        )
        starts = [datetime(2026, 9, 7, 18, tzinfo=UTC) + timedelta(weeks=w) for w in range(4)]
        _, meetings = await build.activity(session, "Harbour Singers", ["Singing"], starts=starts)
        for n in range(8):
            who = await build.person(
                session, code=f"P-{n:04d}", created_at=datetime(2026, 8, 1, tzinfo=UTC)
            )
            for context, when, life, anxiety in (
                (CheckInContext.BASELINE, datetime(2026, 8, 5, tzinfo=UTC), 4, 6),
                (CheckInContext.FOLLOW_UP, datetime(2026, 11, 2, tzinfo=UTC), 3 + n, 6 - n % 4),
            ):
                answers = {"life_satisfaction": min(life, 10), "worthwhile": 5, "anxiety": anxiety}
                await build.check_in(
                    session,
                    who,
                    "ons4",
                    context,
                    dict(answers),
                    at=when,
                    note=f"Singing again after {n + 1} years – I'd missed it <so> much."
                    if context is CheckInContext.FOLLOW_UP and n < 3
                    else None,
                    shareable=n < 3,
                )
            for week, meeting in enumerate(meetings):
                attended = (n + week) % 3 != 0
                status = BookingStatus.ATTENDED if attended else BookingStatus.DID_NOT_ATTEND
                await build.booking(session, who, meeting, status)
                if attended:
                    for context, value, minutes in (
                        (CheckInContext.PRE_SESSION, 40, -10),
                        (CheckInContext.POST_SESSION, 40 + 10 * (n % 4), 130),
                    ):
                        await build.check_in(
                            session,
                            who,
                            "mood",
                            context,
                            dict.fromkeys(MOOD_ITEMS, value),
                            at=meeting.starts_at + timedelta(minutes=minutes),
                            occurrence=meeting,
                        )
        return await build_report(
            session,
            coordinator,
            PERIOD,
            Cohort(CohortKind.EVERYONE),
            now=NOW,
            zone=LONDON,
            min_n=5,
            threshold=5,
        )


async def test_report_renders_in_chromium_with_every_chart_and_no_errors(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    executable = chromium_or_skip()
    report = await _report(sessions)
    charts = report_charts(report)
    page = tmp_path / "report.html"
    page.write_text(render_html(report, charts), encoding="utf-8")
    # Three ONS4 questions, the mood "All sessions" row (two charts each) and attendance.
    assert len(charts) == 3 * 2 + 2 + 1

    async with Browser(executable, tmp_path / "profile") as browser:
        # Wide enough that every 800-pixel chart is shown at its own size, pixel for pixel.
        await browser.call(
            "Emulation.setDeviceMetricsOverride",
            width=1200,
            height=900,
            deviceScaleFactor=1,
            mobile=False,
        )
        await browser.open(page.as_uri())
        figures = await browser.evaluate(IMAGES_JS)
        drawn = json.loads(figures)
        shots = [await browser.screenshot(f["x"], f["y"], f["w"], f["h"]) for f in drawn]
        title = await browser.evaluate("document.title")
        problems = browser.problems()

    assert problems == []
    assert title == "Chorus: wellbeing and participation report"
    assert [f["id"] for f in drawn] == [chart.name for chart in charts]
    for chart, figure, shot in zip(charts, drawn, shots, strict=True):
        assert figure["complete"] and (figure["width"], figure["height"]) == (800, 500), figure
        assert (figure["w"], figure["h"]) == (800, 500), figure
        on_screen = matplotlib.image.imread(io.BytesIO(shot), format="png")[..., :3]
        drawn_png = matplotlib.image.imread(io.BytesIO(chart.png), format="png")[..., :3]
        # Drawn, not blank: plenty of ink on screen...
        ink = float(np.mean(on_screen.mean(axis=-1) < 0.9))
        assert ink > 0.01, f"{chart.name} looks blank ({ink:.2%} ink)"
        # ...and it is this chart: the screenshot matches the PNG the report embedded.
        assert on_screen.shape == drawn_png.shape, chart.name
        difference = float(np.mean(np.abs(on_screen - drawn_png)))
        assert difference < 0.01, f"{chart.name} differs on screen by {difference:.3f}"
