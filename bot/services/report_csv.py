"""The answers export: every answer as a CSV row, with its data dictionary.

The CSV is row-level and pseudonymous: participant and link worker appear only by code, times
are ISO 8601 in UTC, and a skipped question is an empty value with ``skipped`` true, never a
zero. It is meant for staff analysis (in R, Python or a spreadsheet), not for publication;
figures for publication come from the report, which applies the disclosure rule.

A year for a large service is millions of rows, so the database writes the CSV text: one query
gives each check-in's ten columns as one string, another each answer's four, and Python only
joins them. Reading values and formatting them in Python was four times slower. The rows are
read as the driver's plain tuples and each check-in's answers joined in one call, which took
the benchmark's export from about 11 s to about 8 s (docs/benchmarks.md, "Reports").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, String, case, cast, func, select, type_coerce
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql import Executable

from bot.db.models import ActivityRow, Answer, CheckIn, OccurrenceRow, Person
from bot.services import audit
from bot.services.report_cohorts import Cohort, Period, members

# (column, type, meaning): the data dictionary, and the CSV header in this order.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("participant", "text", "The participant's pseudonymous code, e.g. P-7K3Q."),
    ("link_worker", "text", "The code of the participant's link worker; empty if none."),
    ("check_in", "integer", "The check-in's number; rows with the same number were one sitting."),
    ("questionnaire", "text", "ons4, loneliness, swemwbs or mood."),
    (
        "context",
        "text",
        "baseline, follow_up, pre_session, post_session or on_demand (asked for by the person).",
    ),
    ("status", "text", "completed, in_progress or stopped (the person chose to stop)."),
    ("session", "integer", "The session (occurrence) number for mood checks; else empty."),
    ("activity", "text", "The title of that session's activity (always quoted); else empty."),
    ("started_at", "ISO 8601 UTC", "When the check-in was started."),
    ("completed_at", "ISO 8601 UTC", "When it was finished; empty if it was not."),
    ("item", "text", "The question's id, as in the questionnaire files in bot/questionnaires."),
    ("value", "integer", "The stored answer (mood: 0-100 in steps of 10); empty if skipped."),
    ("skipped", "true/false", "Whether the person chose to skip this question."),
    ("answered_at", "ISO 8601 UTC", "When this question was answered or skipped."),
)


@dataclass(frozen=True, slots=True)
class CsvExport:
    """The answers CSV, its data dictionary, and how many rows and people it holds."""

    answers: bytes
    dictionary: bytes
    rows: int
    people: int


def data_dictionary() -> bytes:
    """The data dictionary as CSV: one row per column of the answers export."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("column", "type", "meaning"))
    writer.writerows(COLUMNS)
    return buffer.getvalue().encode("utf-8")


async def export_csv(
    session: AsyncSession, viewer: Person, period: Period, cohort: Cohort, *, now: datetime
) -> CsvExport:
    """Every answer of every check-in started in the period by the cohort, audit-logged.

    Rows are in order of the check-in's start, then of answering.

    Raises:
        ReportRefused: the viewer may not see this cohort.
    """
    query = await members(session, viewer, cohort)
    connection = await session.connection()
    text = _Text(connection.dialect.name)
    check_ins = await connection.run_sync(_fetch, _check_ins_query(query, period, text))
    # Answers come grouped by check-in; each group becomes one block of lines with a single
    # C-level join, as per-row Python work dominates at millions of rows.
    tails = await connection.run_sync(_fetch, _answers_query(query, period, text))
    blocks = {
        check_in_id: [tail for _, tail in group]
        for check_in_id, group in groupby(tails, key=itemgetter(0))
    }
    lines = [
        f"{prefix}," + f"\n{prefix},".join(blocks[check_in_id]) + "\n"
        for check_in_id, _, prefix in check_ins
        if check_in_id in blocks
    ]
    rows = len(tails)
    people = len({code for check_in_id, code, _ in check_ins if check_in_id in blocks})
    header = ",".join(column for column, _, _ in COLUMNS) + "\n"
    await audit.record(
        session,
        actor_id=viewer.id,
        action="report.export",
        now=now,
        detail={
            "format": "csv",
            "period": period.token,
            "cohort": cohort.token,
            "rows": rows,
            "people": people,
        },
    )
    csv_text = header + "".join(lines)
    return CsvExport(csv_text.encode("utf-8"), data_dictionary(), rows, people)


def _fetch(connection: Connection, statement: Executable) -> Sequence[Any]:
    """The statement's rows as the driver's plain tuples.

    Skipping SQLAlchemy's row objects halves the time to read millions of rows; these queries
    return only integers and finished text, which need no result processing.
    """
    result = connection.execute(statement)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


class _Text:
    """SQL that renders values as CSV text, for SQLite or PostgreSQL."""

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect

    def time(self, column: Any) -> ColumnElement[str]:
        """A stored UTC time as ``2026-10-03T10:00:00+00:00``, or '' for none."""
        if self.dialect == "sqlite":
            # SQLite holds the text SQLAlchemy stored, already in UTC: 2026-10-03 10:00:00.000000
            raw = type_coerce(column, String)
            iso = func.substr(raw, 1, 10) + "T" + func.substr(raw, 12, 8) + "+00:00"
        else:
            iso = func.to_char(func.timezone("UTC", column), 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')
        return func.coalesce(iso, "")

    @staticmethod
    def number(column: Any) -> ColumnElement[str]:
        return func.coalesce(cast(column, String), "")

    @staticmethod
    def quoted(column: Any) -> ColumnElement[str]:
        """Free text in CSV quotes, inner quotes doubled (RFC 4180), or '' for none."""
        return func.coalesce('"' + func.replace(column, '"', '""') + '"', "")

    @staticmethod
    def plain(column: Any) -> ColumnElement[str]:
        return func.coalesce(type_coerce(column, String), "")


def _joined(parts: list[ColumnElement[str]]) -> ColumnElement[str]:
    line = parts[0]
    for part in parts[1:]:
        line = line + "," + part
    return line


def _in_export(query: Select[int], period: Period) -> tuple[ColumnElement[bool], ...]:
    return (
        CheckIn.person_id.in_(query),
        CheckIn.started_at >= period.start,
        CheckIn.started_at < period.end,
    )


def _check_ins_query(query: Select[int], period: Period, text: _Text) -> Select[int, str, str]:
    worker = aliased(Person)
    prefix = _joined(
        [
            text.plain(Person.code),
            text.plain(worker.code),
            text.number(CheckIn.id),
            text.plain(CheckIn.questionnaire),
            text.plain(CheckIn.context),
            text.plain(CheckIn.status),
            text.number(CheckIn.occurrence_id),
            text.quoted(ActivityRow.title),
            text.time(CheckIn.started_at),
            text.time(CheckIn.completed_at),
        ]
    )
    return (
        select(CheckIn.id, Person.code, prefix)
        .join(Person, Person.id == CheckIn.person_id)
        .outerjoin(worker, worker.id == Person.link_worker_id)
        .outerjoin(OccurrenceRow, OccurrenceRow.id == CheckIn.occurrence_id)
        .outerjoin(ActivityRow, ActivityRow.id == OccurrenceRow.activity_id)
        .where(*_in_export(query, period))
        .order_by(CheckIn.started_at, CheckIn.id)
    )


def _answers_query(query: Select[int], period: Period, text: _Text) -> Select[int, str]:
    exported = select(CheckIn.id).where(*_in_export(query, period))
    # Item ids are lower-case letters, digits and underscores (checked when questionnaires
    # load), so they never need quoting.
    tail = _joined(
        [
            text.plain(Answer.item),
            text.number(Answer.value),
            case((Answer.value.is_(None), "true"), else_="false"),
            text.time(Answer.answered_at),
        ]
    )
    return (
        select(type_coerce(Answer.check_in_id, Integer), tail)
        .where(Answer.check_in_id.in_(exported))
        .order_by(Answer.check_in_id, Answer.answered_at, Answer.id)
    )
