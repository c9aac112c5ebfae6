"""Referral links: one for a person or a reusable one for a clinic, with expiry and a note.

Joining through a link assigns the participant to the link worker who made it (see
`services.invites.redeem`, run on consent). Each referral records the SNOMED CT code for
"referral to social prescribing service", so exports can say where a person came from.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import qrcode
from qrcode.image.pure import PyPNGImage
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import SNOMED_SOCIAL_PRESCRIBING_REFERRAL, Invite, InviteKind, Person
from bot.services import audit
from bot.services.roles import RoleError, new_invite_code

PERSONAL_LIFETIME = timedelta(days=14)
CLINIC_LIFETIME = timedelta(days=90)
MAX_NOTE_LENGTH = 500


async def create(
    session: AsyncSession,
    link_worker: Person,
    *,
    reusable: bool,
    now: datetime,
    note: str | None = None,
) -> Invite:
    """Creates a referral: one use for a person, unlimited uses for a clinic until it expires."""
    if not link_worker.is_staff:
        raise RoleError("Only link workers and coordinators can make referral links.")
    invite = Invite(
        code=new_invite_code("r"),
        kind=InviteKind.REFERRAL,
        created_by_id=link_worker.id,
        max_uses=None if reusable else 1,
        uses=0,
        expires_at=now + (CLINIC_LIFETIME if reusable else PERSONAL_LIFETIME),
        note=_clean(note),
        snomed_code=SNOMED_SOCIAL_PRESCRIBING_REFERRAL,
    )
    session.add(invite)
    await session.flush()
    await audit.record(
        session,
        actor_id=link_worker.id,
        action="referral.create",
        now=now,
        detail={"invite": invite.id, "reusable": reusable},
    )
    return invite


def _clean(note: str | None) -> str | None:
    text = (note or "").strip()
    return text[:MAX_NOTE_LENGTH] or None


async def set_note(session: AsyncSession, link_worker: Person, invite_id: int, note: str) -> Invite:
    """Adds the reason for referral to one of the link worker's own referrals."""
    invite = await session.get(Invite, invite_id)
    if (
        invite is None
        or invite.kind is not InviteKind.REFERRAL
        or invite.created_by_id != link_worker.id
    ):
        raise RoleError("That referral is not one of yours.")
    invite.note = _clean(note)
    await session.flush()
    return invite


def deep_link(bot_username: str, code: str) -> str:
    """The t.me link that opens the bot with `/start <code>`."""
    return f"https://t.me/{bot_username}?start={code}"


def qr_png(link: str) -> bytes:
    """A QR code of `link` as a PNG, large enough to scan from a printed page."""
    image = qrcode.make(link, image_factory=PyPNGImage, box_size=8, border=4)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()
