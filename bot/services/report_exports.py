"""Exports: every answer as a CSV row with its data dictionary, and the report as JSON.

The CSV is row-level and pseudonymous: participant and link worker appear only by code, times
are ISO 8601 in UTC, and a skipped question is an empty value with ``skipped`` true, never a
zero. It is meant for staff analysis (in R, Python or a spreadsheet), not for publication;
aggregate figures for publication come from the report, which applies the disclosure rule.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, String, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.db.models import ActivityRow, Answer, CheckIn, OccurrenceRow, Person
from bot.services import audit
from bot.services.report_cohorts import Cohort, Period, members
from bot.services.report_outcomes import OutcomeRow
from bot.services.reports import Report
from bot.services.statistics import Interval

# Fields that never need CSV quoting.
_PLAIN_RE = re.compile(r"^[A-Za-z0-9_.-]*$")

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
    ("activity", "text", "The title of that session's activity; else empty."),
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


def _iso(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment is not None else ""


def _iso_utc(value: object) -> str:
    """A stored UTC time as ISO 8601, read without building a datetime where possible.

    An export can hold millions of times. On SQLite they arrive as the text SQLAlchemy stored,
    already normalised to UTC (``2026-10-03 10:00:00.000000``), and reshaping that text is
    several times faster than parsing it; PostgreSQL's driver hands over datetimes anyway.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value[:10] + "T" + value[11:19] + "+00:00"
    if isinstance(value, datetime):
        return _iso(value.astimezone(UTC))
    raise TypeError(f"not a stored time: {value!r}")


def _csv_line(fields: Sequence[object]) -> str:
    """One CSV record, quoted as the csv module quotes (titles may hold commas or quotes)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(fields)
    return buffer.getvalue()


def _answer_lines(
    check_ins: Sequence[Any], answers: dict[int, list[Any]], people: set[str]
) -> Iterator[str]:
    """One CSV line per answer.

    Each check-in's ten columns are quoted once and reused for each of its answers; the four
    answer columns are item ids, numbers, true/false and times, which never need quoting
    (item ids are checked). At millions of rows this is several times faster than handing
    every row to ``csv.writer``.
    """
    for check_in, code, worker, key, context, status, occurrence, title, started, done in check_ins:
        people.add(code)
        prefix = _csv_line(
            (
                code,
                worker or "",
                check_in,
                key,
                context,
                status,
                "" if occurrence is None else occurrence,
                title or "",
                _iso_utc(started),
                _iso_utc(done),
            )
        )
        for _, item, value, answered in answers.get(check_in, ()):
            if not _PLAIN_RE.match(item):
                item = _csv_line((item,))
            if value is None:
                yield f"{prefix},{item},,true,{_iso_utc(answered)}\n"
            else:
                yield f"{prefix},{item},{value},false,{_iso_utc(answered)}\n"


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

    Raises:
        ReportRefused: the viewer may not see this cohort.
    """
    query = await members(session, viewer, cohort)
    people: set[str] = set()
    connection = await session.connection()
    # Two narrow queries joined here beat one wide join: the check-in's columns are read once,
    # not once per answer, which matters at millions of rows.
    check_ins = (await connection.execute(_check_ins_query(query, period))).all()
    answers: dict[int, list[Any]] = defaultdict(list)
    for answer in (await connection.execute(_answers_query(query, period))).all():
        answers[answer[0]].append(answer)
    header = _csv_line([column for column, _, _ in COLUMNS]) + "\n"
    text = header + "".join(_answer_lines(check_ins, answers, people))
    rows = sum(len(answers.get(row[0], ())) for row in check_ins)
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
            "people": len(people),
        },
    )
    return CsvExport(text.encode("utf-8"), data_dictionary(), rows, len(people))


def _raw(column: Any) -> Any:
    # Skip per-row type conversion (enums, UTC datetimes): see _iso_utc.
    return type_coerce(column, String)


def _in_export(query: Select[int], period: Period) -> tuple[ColumnElement[bool], ...]:
    return (
        CheckIn.person_id.in_(query),
        CheckIn.started_at >= period.start,
        CheckIn.started_at < period.end,
    )


def _check_ins_query(query: Select[int], period: Period) -> Select[*tuple[Any, ...]]:
    worker = aliased(Person)
    return (
        select(
            CheckIn.id,
            Person.code,
            worker.code,
            CheckIn.questionnaire,
            _raw(CheckIn.context),
            _raw(CheckIn.status),
            CheckIn.occurrence_id,
            ActivityRow.title,
            _raw(CheckIn.started_at),
            _raw(CheckIn.completed_at),
        )
        .join(Person, Person.id == CheckIn.person_id)
        .outerjoin(worker, worker.id == Person.link_worker_id)
        .outerjoin(OccurrenceRow, OccurrenceRow.id == CheckIn.occurrence_id)
        .outerjoin(ActivityRow, ActivityRow.id == OccurrenceRow.activity_id)
        .where(*_in_export(query, period))
        .order_by(CheckIn.started_at, CheckIn.id)
    )


def _answers_query(query: Select[int], period: Period) -> Select[*tuple[Any, ...]]:
    exported = select(CheckIn.id).where(*_in_export(query, period))
    return (
        select(Answer.check_in_id, Answer.item, Answer.value, _raw(Answer.answered_at))
        .where(Answer.check_in_id.in_(exported))
        .order_by(Answer.check_in_id, Answer.answered_at, Answer.id)
    )


def _interval(interval: Interval | None) -> dict[str, float] | None:
    if interval is None:
        return None
    return {"low": interval.low, "high": interval.high, "level": interval.level}


def outcome_to_dict(row: OutcomeRow) -> dict[str, Any]:
    """One outcome row as JSON-ready values; a withheld row keeps only its label and n rule."""
    base: dict[str, Any] = {
        "group": row.group,
        "questionnaire": row.questionnaire,
        "measure": row.measure_id,
        "label": row.label,
        "higher_is_better": row.higher_is_better,
        "meaningful_change": row.meaningful_change,
        "suppressed": row.suppressed,
    }
    result = row.result
    if result is None:
        return base
    return base | {
        "n": result.n,
        "sessions": row.sessions,
        "n_zero": result.n_zero,
        "improved": result.improved,
        "unchanged": result.unchanged,
        "worsened": result.worsened,
        "share_improved": result.share_improved,
        "mean_change": result.mean_change,
        "mean_change_ci": _interval(result.mean_change_ci),
        "median_change": result.median_change,
        "pseudo_median": result.pseudo_median,
        "pseudo_median_ci": _interval(result.pseudo_median_ci),
        "test": result.test,
        "method": result.method,
        "statistic_name": result.statistic_name,
        "statistic": result.statistic,
        "df": result.df,
        "p_value": result.p_value,
        "effect_size_name": result.effect_size_name,
        "effect_size": result.effect_size,
        "reason": result.reason,
        "notes": list(result.notes),
    }


def report_to_json(report: Report) -> bytes:
    """The whole report as indented JSON (UTF-8), withheld figures left out."""
    summary = report.summary
    counts: dict[str, Any] = {"suppressed": summary.suppressed}
    if not summary.suppressed:
        counts |= {
            "people": summary.people,
            "referrals": summary.referrals,
            "joined": summary.joined,
            "active": summary.active,
            "check_ins_completed": summary.check_ins_completed,
            "bookings": summary.bookings,
            "attended": summary.attended,
            "did_not_attend": summary.did_not_attend,
            "attendance_rate": summary.attendance_rate,
            "not_reachable": summary.unreachable,
        }
    document = {
        "period": {
            "start": _iso(report.period.start),
            "end_exclusive": _iso(report.period.end),
            "label": report.period.label,
        },
        "cohort": {"token": report.cohort.token, "label": report.cohort_label},
        "generated_at": _iso(report.generated_at),
        "rules": {"min_n_for_tests": report.min_n, "disclosure_threshold": report.threshold},
        "summary": counts,
        "outcomes": [outcome_to_dict(row) for row in report.outcomes],
        "session_mood": [outcome_to_dict(row) for row in report.mood],
        "attendance_by_week": [
            {"week_starting": week.isoformat(), "booked": booked, "attended": attended}
            for week, booked, attended in report.attendance
        ],
        "quotes": list(report.quotes),
    }
    return json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8")
