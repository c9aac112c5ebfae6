"""Every table, imported here so `Base.metadata` is complete for Alembic and tests."""

from bot.db.models.audit import AuditEvent
from bot.db.models.broadcast import (
    AudienceKind,
    Broadcast,
    BroadcastStatus,
    Delivery,
    DeliveryStatus,
)
from bot.db.models.catalogue import (
    ActivityRow,
    ActivityStatus,
    OccurrenceRow,
    OccurrenceStatus,
    OrganisationRow,
    PlaceRow,
    VenueRow,
)
from bot.db.models.invite import SNOMED_SOCIAL_PRESCRIBING_REFERRAL, Invite, InviteKind
from bot.db.models.nudge import Nudge, NudgeKind, NudgeStatus
from bot.db.models.participation import (
    Answer,
    Booking,
    BookingStatus,
    CheckIn,
    CheckInContext,
    CheckInStatus,
    SafeguardingFlag,
)
from bot.db.models.person import Person, Reachability, Role

__all__ = [
    "SNOMED_SOCIAL_PRESCRIBING_REFERRAL",
    "ActivityRow",
    "ActivityStatus",
    "Answer",
    "AudienceKind",
    "AuditEvent",
    "Booking",
    "BookingStatus",
    "Broadcast",
    "BroadcastStatus",
    "CheckIn",
    "CheckInContext",
    "CheckInStatus",
    "Delivery",
    "DeliveryStatus",
    "Invite",
    "InviteKind",
    "Nudge",
    "NudgeKind",
    "NudgeStatus",
    "OccurrenceRow",
    "OccurrenceStatus",
    "OrganisationRow",
    "Person",
    "PlaceRow",
    "Reachability",
    "Role",
    "SafeguardingFlag",
    "VenueRow",
]
