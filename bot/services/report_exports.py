"""The report as JSON: every figure, withheld groups left out (the answers CSV is report_csv).

Times are ISO 8601 in UTC; intervals carry the confidence level they really have.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.services.report_outcomes import OutcomeRow
from bot.services.reports import Report
from bot.services.statistics import Interval


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


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
