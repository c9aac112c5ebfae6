"""Outcomes in a report: pairing each person's baseline with their latest follow-up, honestly.

The figures are checked against R's documented examples (``?t.test`` with the ``sleep`` data,
``?wilcox.test`` with the Hamilton depression scores) and against a worked ONS4 example with
tied and zero changes, after travelling through the database, the pairing and the report.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.db.models import CheckInContext, Person, Role
from bot.db.session import SessionFactory
from bot.services.report_cohorts import Cohort, CohortKind, custom_period
from bot.services.reports import Report, build_report
from tests.services import report_builders as build

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
PERIOD = custom_period(date(2026, 9, 1), date(2026, 11, 30), LONDON)
BASELINE_AT = datetime(2026, 8, 10, 10, 0, tzinfo=UTC)
FOLLOW_UP_AT = datetime(2026, 10, 12, 10, 0, tzinfo=UTC)

# R's `sleep` data (?t.test) and Hamilton depression scores (?wilcox.test).
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
DEPRESSION_X = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
DEPRESSION_Y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
# ONS4 life satisfaction for twelve people: three zero changes and two groups of ties.
LIFE_BEFORE = [4, 5, 3, 6, 5, 7, 4, 2, 6, 5, 3, 4]
LIFE_AFTER = [6, 5, 5, 7, 4, 7, 6, 4, 8, 5, 5, 5]


def ons4(life: int, anxiety: int | None = 4) -> dict[str, int | None]:
    return {"life_satisfaction": life, "worthwhile": 6, "happiness": 6, "anxiety": anxiety}


async def _report(sessions: SessionFactory, *, threshold: int = 5, min_n: int = 5) -> Report:
    async with sessions.begin() as session:
        viewer = (
            await session.execute(select(Person).where(Person.code == "P-C000"))
        ).scalar_one_or_none() or await build.person(
            session, code="P-C000", created_at=BASELINE_AT, role=Role.COORDINATOR
        )
        return await build_report(
            session,
            viewer,
            PERIOD,
            Cohort(CohortKind.EVERYONE),
            now=NOW,
            zone=LONDON,
            min_n=min_n,
            threshold=threshold,
        )


async def _people(sessions: SessionFactory, count: int) -> list[Person]:
    async with sessions.begin() as session:
        return [
            await build.person(session, code=f"P-{n:04d}", created_at=BASELINE_AT)
            for n in range(count)
        ]


def _row(report: Report, measure: str) -> object:
    [row] = [row for row in report.outcomes if row.measure_id == measure]
    return row


async def test_ons4_with_ties_and_zeros_matches_r_after_pairing(sessions: SessionFactory) -> None:
    people = await _people(sessions, 12)
    async with sessions.begin() as session:
        for who, before, after in zip(people, LIFE_BEFORE, LIFE_AFTER, strict=True):
            await build.check_in(
                session, who, "ons4", CheckInContext.BASELINE, ons4(before), at=BASELINE_AT
            )
            await build.check_in(
                session, who, "ons4", CheckInContext.FOLLOW_UP, ons4(after), at=FOLLOW_UP_AT
            )

    report = await _report(sessions)

    [row] = [row for row in report.outcomes if row.measure_id == "life_satisfaction"]
    result = row.result
    assert result is not None
    # R: wilcox.test(after, before, paired = TRUE): V = 43, p-value = 0.01409 (ties, zeros).
    assert result.method == "Wilcoxon signed rank test with continuity correction"
    assert result.statistic == 43
    assert result.p_value == pytest.approx(0.0140937, abs=5e-8)
    assert (result.n, result.n_zero, result.improved) == (12, 3, 6)
    assert result.median_change == 1.5
    assert row.pairs == tuple(zip(LIFE_BEFORE, LIFE_AFTER, strict=True))
    # Every other ONS4 answer was the same twice: no change, so nothing to test.
    [worthwhile] = [row for row in report.outcomes if row.measure_id == "worthwhile"]
    assert worthwhile.result is not None and worthwhile.result.p_value is None
    assert worthwhile.result.reason == "no one's score changed, so there is nothing to test"


async def test_paired_t_on_metric_scores_matches_r_sleep_example(sessions: SessionFactory) -> None:
    people = await _people(sessions, 10)
    async with sessions.begin() as session:
        for who, before, after in zip(people, SLEEP_2, SLEEP_1, strict=True):
            for context, at, value in (
                (CheckInContext.BASELINE, BASELINE_AT, before),
                (CheckInContext.FOLLOW_UP, FOLLOW_UP_AT, after),
            ):
                await build.stored_measures(
                    session, who, "swemwbs", context, {"swemwbs_metric": value}, at=at
                )

    [row] = (await _report(sessions)).outcomes
    result = row.result
    assert result is not None
    # R: t.test(extra ~ group, data = sleep, paired = TRUE) (group 1 minus group 2):
    # t = -4.0621, df = 9, p-value = 0.002833, 95% CI -2.4598858 to -0.7001142, mean -1.58.
    assert result.test == "paired t-test"
    assert result.statistic == pytest.approx(-4.0621, abs=5e-5)
    assert result.df == 9
    assert result.p_value == pytest.approx(0.002833, abs=5e-7)
    assert result.mean_change == pytest.approx(-1.58)
    assert result.mean_change_ci is not None
    assert result.mean_change_ci.low == pytest.approx(-2.4598858, abs=1e-7)
    assert result.mean_change_ci.high == pytest.approx(-0.7001142, abs=1e-7)


async def test_exact_signed_rank_matches_r_depression_example(sessions: SessionFactory) -> None:
    people = await _people(sessions, 9)
    async with sessions.begin() as session:
        for who, before, after in zip(people, DEPRESSION_Y, DEPRESSION_X, strict=True):
            for context, at, value in (
                (CheckInContext.BASELINE, BASELINE_AT, before),
                (CheckInContext.FOLLOW_UP, FOLLOW_UP_AT, after),
            ):
                await build.stored_measures(
                    session, who, "ons4", context, {"happiness": value}, at=at
                )

    [row] = (await _report(sessions)).outcomes
    result = row.result
    assert result is not None
    # R: wilcox.test(x, y, paired = TRUE): V = 40, p-value = 0.03906 (exact: no ties, no zeros).
    assert result.method == "Wilcoxon signed rank exact test"
    assert result.statistic == 40
    assert result.p_value == pytest.approx(0.0390625, abs=1e-12)


async def test_latest_follow_up_in_the_period_is_paired_with_the_baseline_before_it(
    sessions: SessionFactory,
) -> None:
    people = await _people(sessions, 8)
    async with sessions.begin() as session:
        for who in people[:5]:
            await build.check_in(
                session, who, "ons4", CheckInContext.BASELINE, ons4(3), at=BASELINE_AT
            )
            # An earlier follow-up in the period is superseded by the later one.
            await build.check_in(
                session, who, "ons4", CheckInContext.FOLLOW_UP, ons4(9), at=FOLLOW_UP_AT
            )
            await build.check_in(
                session,
                who,
                "ons4",
                CheckInContext.FOLLOW_UP,
                ons4(6, anxiety=None if who is people[0] else 4),
                at=FOLLOW_UP_AT + timedelta(days=20),
            )
            # A follow-up after the period is not this period's news.
            await build.check_in(
                session,
                who,
                "ons4",
                CheckInContext.FOLLOW_UP,
                ons4(0),
                at=datetime(2026, 12, 15, tzinfo=UTC),
            )
        # No baseline: nothing to compare with.
        await build.check_in(
            session, people[5], "ons4", CheckInContext.FOLLOW_UP, ons4(8), at=FOLLOW_UP_AT
        )
        # Follow-up only before the period.
        await build.check_in(
            session, people[6], "ons4", CheckInContext.BASELINE, ons4(2), at=BASELINE_AT
        )
        await build.check_in(
            session,
            people[6],
            "ons4",
            CheckInContext.FOLLOW_UP,
            ons4(8),
            at=BASELINE_AT + timedelta(days=7),
        )
        # A baseline taken after the follow-up cannot be its "before".
        await build.check_in(
            session, people[7], "ons4", CheckInContext.FOLLOW_UP, ons4(8), at=FOLLOW_UP_AT
        )
        await build.check_in(
            session,
            people[7],
            "ons4",
            CheckInContext.BASELINE,
            ons4(1),
            at=FOLLOW_UP_AT + timedelta(days=1),
        )

    report = await _report(sessions)

    life = next(row for row in report.outcomes if row.measure_id == "life_satisfaction")
    assert life.pairs == ((3.0, 6.0),) * 5
    # A skipped item is missing, never zero: one person fewer for anxiety, so it is withheld.
    anxiety = next(row for row in report.outcomes if row.measure_id == "anxiety")
    assert (anxiety.n, anxiety.suppressed, anxiety.pairs) == (4, True, ())


async def test_below_min_n_there_is_no_p_value_and_below_threshold_no_figures(
    sessions: SessionFactory,
) -> None:
    people = await _people(sessions, 6)
    async with sessions.begin() as session:
        for offset, who in enumerate(people):
            await build.check_in(
                session, who, "ons4", CheckInContext.BASELINE, ons4(2), at=BASELINE_AT
            )
            await build.check_in(
                session, who, "ons4", CheckInContext.FOLLOW_UP, ons4(3 + offset), at=FOLLOW_UP_AT
            )

    few = await _report(sessions, threshold=5, min_n=8)
    life = next(row for row in few.outcomes if row.measure_id == "life_satisfaction")
    assert life.result is not None and life.result.n == 6
    assert life.result.p_value is None and life.result.reason == "fewer than 8 pairs"
    assert life.result.median_change == pytest.approx(3.5)

    withheld = await _report(sessions, threshold=7, min_n=5)
    assert withheld.summary.suppressed
    assert withheld.outcomes == () and withheld.mood == () and withheld.quotes == ()
