"""Nudges: the one import other services need to plan and skip them.

Planning and skipping (called by the bookings, check-in, catalogue, settings and people
services inside their own transactions) live in `nudge_planning` and `nudge_changes`; they are
re-exported here. Button answers are in `nudge_answers`, claiming and recording in
`nudge_claims`.
"""

from bot.services.nudge_changes import replan_for_occurrence, skip_for_occurrence
from bot.services.nudge_planning import (
    SESSION_KINDS,
    plan_follow_ups,
    plan_for_booking,
    set_reminders,
    skip_for_booking,
    skip_for_person,
)

__all__ = [
    "SESSION_KINDS",
    "plan_follow_ups",
    "plan_for_booking",
    "replan_for_occurrence",
    "set_reminders",
    "skip_for_booking",
    "skip_for_occurrence",
    "skip_for_person",
]
