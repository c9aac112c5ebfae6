"""Exports: the answers CSV read back against the database, JSON, charts and the HTML report."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.db.models import Answer, AuditEvent, CheckIn, CheckInContext, CheckInStatus, Person, Role
from bot.db.session import SessionFactory
from bot.services.report_charts import report_charts
from bot.services.report_cohorts import Cohort, CohortKind, custom_period
from bot.services.report_csv import COLUMNS, data_dictionary, export_csv
from bot.services.report_exports import report_to_json
from bot.services.report_html import render_html
from bot.services.reports import Report, build_report
from tests.services import report_builders as build

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
PERIOD = custom_period(date(2026, 8, 1), date(2026, 11, 30), LONDON)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 10, 0, tzinfo=UTC)


async def _seed(sessions: SessionFactory, people: int = 6) -> Person:
    async with sessions.begin() as session:
        coordinator = await build.person(
            session, code="P-C000", created_at=at(1, 1), role=Role.COORDINATOR
        )
        worker = await build.person(
            session, code="P-A000", created_at=at(1, 1), role=Role.LINK_WORKER
        )
        for n in range(people):
            who = await build.person(
                session, code=f"P-{n:04d}", created_at=at(7, 1), link_worker=worker
            )
            before: dict[str, int | None] = {
                "life_satisfaction": 3,
                "worthwhile": 4,
                "happiness": 5,
                "anxiety": 7,
            }
            after: dict[str, int | None] = {
                "life_satisfaction": 4 + n % 4,
                "worthwhile": 5,
                "happiness": 5,
                "anxiety": 5,
            }
            if n == 0:
                after["anxiety"] = None
            await build.check_in(
                session, who, "ons4", CheckInContext.BASELINE, dict(before), at=at(8, 3)
            )
            await build.check_in(
                session,
                who,
                "ons4",
                CheckInContext.FOLLOW_UP,
                dict(after),
                at=at(10, 3) + timedelta(hours=n),
                note=f"Week {n}: the choir <3 & me" if n < 2 else None,
                shareable=n < 2,
            )
        first = (await session.execute(select(Person).where(Person.code == "P-0001"))).scalar_one()
        await build.check_in(
            session,
            first,
            "loneliness",
            CheckInContext.ON_DEMAND,
            {"lack_companionship": 2},
            at=at(11, 2),
            status=CheckInStatus.STOPPED,
        )
        # Before the period: not exported.
        await build.check_in(
            session, first, "ons4", CheckInContext.ON_DEMAND, {"happiness": 2}, at=at(6, 1)
        )
    return coordinator


async def _report(sessions: SessionFactory, viewer: Person, threshold: int = 5) -> Report:
    async with sessions.begin() as session:
        return await build_report(
            session,
            viewer,
            PERIOD,
            Cohort(CohortKind.EVERYONE),
            now=NOW,
            zone=LONDON,
            min_n=5,
            threshold=threshold,
        )


async def test_csv_has_one_row_per_answer_matching_the_database(sessions: SessionFactory) -> None:
    coordinator = await _seed(sessions)
    async with sessions.begin() as session:
        export = await export_csv(
            session, coordinator, PERIOD, Cohort(CohortKind.EVERYONE), now=NOW
        )

    rows = list(csv.DictReader(io.StringIO(export.answers.decode("utf-8"))))
    async with sessions() as session:
        expected = (
            await session.execute(
                select(Answer, CheckIn, Person.code)
                .join(CheckIn, CheckIn.id == Answer.check_in_id)
                .join(Person, Person.id == CheckIn.person_id)
                .where(CheckIn.started_at >= PERIOD.start)
                .order_by(CheckIn.started_at, CheckIn.id, Answer.answered_at, Answer.id)
            )
        ).all()
    assert export.rows == len(rows) == len(expected) == 6 * 8 + 1
    assert export.people == 6
    for row, (answer, check_in, code) in zip(rows, expected, strict=True):
        assert row["participant"] == code
        assert row["link_worker"] == "P-A000"
        assert int(row["check_in"]) == check_in.id
        assert (row["questionnaire"], row["context"]) == (check_in.questionnaire, check_in.context)
        assert row["status"] == check_in.status.value
        assert datetime.fromisoformat(row["started_at"]) == check_in.started_at
        if check_in.completed_at is None:
            assert row["completed_at"] == ""
        else:
            assert datetime.fromisoformat(row["completed_at"]) == check_in.completed_at
        assert datetime.fromisoformat(row["answered_at"]) == answer.answered_at
        assert row["item"] == answer.item
        assert row["value"] == ("" if answer.value is None else str(answer.value))
        assert row["skipped"] == ("true" if answer.value is None else "false")
    assert sum(row["skipped"] == "true" for row in rows) == 1
    assert not any(
        re.search(r"Alex|Example", line) for line in export.answers.decode().splitlines()
    )
    async with sessions() as session:
        [event] = (
            await session.execute(select(AuditEvent).where(AuditEvent.action == "report.export"))
        ).scalars()
    assert event.actor_id == coordinator.id
    assert event.detail["rows"] == export.rows and event.detail["format"] == "csv"


def test_data_dictionary_describes_every_column_in_order() -> None:
    rows = list(csv.DictReader(io.StringIO(data_dictionary().decode("utf-8"))))

    assert [row["column"] for row in rows] == [name for name, _, _ in COLUMNS]
    assert all(row["type"] and row["meaning"] for row in rows)


async def test_json_holds_the_figures_and_withholds_small_groups(sessions: SessionFactory) -> None:
    coordinator = await _seed(sessions)
    document = json.loads(report_to_json(await _report(sessions, coordinator)))

    assert document["summary"]["people"] == 6
    life = next(row for row in document["outcomes"] if row["measure"] == "life_satisfaction")
    assert life["n"] == 6 and life["test"] == "Wilcoxon signed-rank test"
    assert life["p_value"] is not None and 0 < life["p_value"] < 1
    # Changes +1..+4: all improved except the +1s, which only equal the meaningful change.
    assert (life["improved"], life["unchanged"]) == (4, 2)
    anxiety = next(row for row in document["outcomes"] if row["measure"] == "anxiety")
    assert anxiety["n"] == 5 and not anxiety["suppressed"]

    withheld = json.loads(report_to_json(await _report(sessions, coordinator, threshold=7)))
    assert withheld["summary"] == {"suppressed": True}
    assert withheld["outcomes"] == [] and withheld["quotes"] == []


async def test_html_report_embeds_every_chart_escapes_quotes_and_runs_no_script(
    sessions: SessionFactory,
) -> None:
    coordinator = await _seed(sessions)
    report = await _report(sessions, coordinator)
    charts = report_charts(report)
    page = render_html(report, charts)

    # ONS4 has no summary score: each of its four questions gets a slope chart and a histogram.
    assert [chart.name for chart in charts] == [
        f"ons4-{item}-{kind}"
        for item in ("life_satisfaction", "worthwhile", "happiness", "anxiety")
        for kind in ("slope", "change")
    ]
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(images) == len(charts)
    assert all(base64.b64decode(data).startswith(PNG_SIGNATURE) for data in images)
    assert "Week 1: the choir &lt;3 &amp; me" in page
    assert "<script" not in page.lower()
    assert ">6</strong>People in the group" in page


async def test_html_for_a_withheld_group_has_no_figures_charts_or_quotes(
    sessions: SessionFactory,
) -> None:
    coordinator = await _seed(sessions, people=3)
    report = await _report(sessions, coordinator)
    page = render_html(report)

    assert "This group has fewer than 5 people, so figures are withheld." in page
    assert "data:image/png" not in page and "choir" not in page
