"""The /review use cases without Telegram: commands, tokens, file packaging and the words shown."""

from __future__ import annotations

import gzip
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.config import load_settings
from bot.db.models import Role
from bot.db.session import SessionFactory
from bot.messaging import review_texts as texts
from bot.services import reviews
from bot.services.report_cohorts import Cohort, CohortKind, ReportRefused, custom_period
from bot.services.report_csv import CsvExport
from bot.services.report_logs import LogEntry, LogPage
from bot.services.report_summary import ReviewSummary
from bot.services.review_files import answer_files
from tests.services import report_builders as build

SETTINGS = load_settings(_env_file=None)
NOW = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
PERIOD = custom_period(date(2026, 9, 1), date(2026, 11, 30), ZoneInfo("Europe/London"))


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], reviews.ReviewCommand("menu")),
        (["p-7k3q"], reviews.ReviewCommand("person", code="P-7K3Q")),
        (["session", "12"], reviews.ReviewCommand("session", occurrence=12)),
        (
            ["2026-01-01", "2026-03-31"],
            reviews.ReviewCommand("cohorts", period="20260101-20260331"),
        ),
        (["area", "LA", "4"], reviews.ReviewCommand("summary", cohort="area=la4")),
        (
            ["2026-01-01", "2026-03-31", "category", "Tea", "dance"],
            reviews.ReviewCommand("summary", period="20260101-20260331", cohort="c=tea dance"),
        ),
        (["activity", "7"], reviews.ReviewCommand("summary", cohort="a7")),
        (["everyone"], reviews.ReviewCommand("summary", cohort="all")),
    ],
)
def test_review_commands_are_read(args: list[str], expected: reviews.ReviewCommand) -> None:
    assert reviews.parse_command(args) == expected


@pytest.mark.parametrize("args", [["singing"], ["area"], ["activity", "x"], ["session", "a"]])
def test_unreadable_review_commands_get_a_hint(args: list[str]) -> None:
    with pytest.raises(ReportRefused, match="/review area LA4"):
        reviews.parse_command(args)


async def test_forged_period_and_cohort_tokens_are_refused_plainly(
    sessions: SessionFactory,
) -> None:
    async with sessions.begin() as session:
        await build.person(
            session, code="P-C000", created_at=NOW, role=Role.COORDINATOR, telegram_user_id=77
        )
        with pytest.raises(ReportRefused, match="Those dates don't work"):
            await reviews.summary(
                session, 77, "20261301-20261302", "all", now=NOW, settings=SETTINGS
            )
        with pytest.raises(ReportRefused, match="out of date"):
            await reviews.summary(session, 77, "q", "lw;drop", now=NOW, settings=SETTINGS)
        view = await reviews.summary(session, 77, "q", "all", now=NOW, settings=SETTINGS)
    assert view.summary.suppressed and view.cohort_label == "everyone"


def _export(size: int) -> CsvExport:
    line = b"P-0001,,1,ons4,baseline,completed,,,2026-09-01T10:00:00+00:00,,happiness,7,false,x\n"
    return CsvExport(line * (size // len(line)), b"column,type,meaning\n", size // len(line), 1)


async def test_large_exports_are_compressed_and_huge_ones_refused() -> None:
    small = await answer_files(_export(5_000), PERIOD, SETTINGS, limit=10_000)
    assert [f.filename for f in small] == [
        "chorus-answers-20260901-20261130.csv",
        "chorus-data-dictionary.csv",
    ]
    assert not small[0].compressed

    big_export = _export(200_000)
    big = await answer_files(big_export, PERIOD, SETTINGS, limit=10_000)
    assert big[0].filename.endswith(".csv.gz") and big[0].compressed
    assert gzip.decompress(big[0].data) == big_export.answers
    assert "Compressed (gzip)" in texts.caption(big[0])

    with pytest.raises(ReportRefused, match="too large to send here"):
        await answer_files(big_export, PERIOD, SETTINGS, limit=100)


def test_summary_text_shows_every_figure_or_withholds_them_all() -> None:
    counts = ReviewSummary(12, False, 3, 4, 9, 30, 20, 12, 4, 1)
    view = reviews.SummaryView(PERIOD, Cohort(CohortKind.EVERYONE), "everyone", counts, 5)
    text = texts.summary_text(view)
    assert "People: 12\nReferrals: 3\nJoined: 4\nActive: 9\nCheck-ins completed: 30" in text
    assert "Attendance: 75% (of 16 with attendance known)" in text
    assert "Not reachable: 1" in text

    withheld = ReviewSummary(3, True, 0, 0, 0, 0, 0, 0, 0, 0)
    view = reviews.SummaryView(PERIOD, Cohort(CohortKind.EVERYONE), "everyone", withheld, 5)
    assert "fewer than 5 people, so figures are withheld" in texts.summary_text(view)
    assert "People:" not in texts.summary_text(view)


def test_log_text_escapes_what_participants_typed() -> None:
    entry = LogEntry(
        check_in_id=1,
        code="P-7K3Q",
        first_name="<Sam>",
        questionnaire="ons4",
        context="follow_up",
        status="stopped",
        at=NOW,
        measures={"life_satisfaction": 7.0},
        note="I felt <b>great</b> & calm",
        note_shareable=True,
    )
    text = texts.log_text(LogPage("P-7K3Q", (entry,), 1, 1, 1))
    assert "(&lt;Sam&gt;)" in text
    assert "Note (may be quoted): <i>I felt &lt;b&gt;great&lt;/b&gt; &amp; calm</i>" in text
    assert "follow up · 23 Nov 2026 20:00 UTC" in text and "<i>stopped</i>" in text
    assert "life satisfaction 7" in text
    assert texts.NO_CHECK_INS in texts.log_text(LogPage("P-7K3Q", (), 1, 1, 0))
