"""nudges: planned reminders, prompts, check-in follow-ups and digests

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 20:19:52.922928
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "nudge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "session_reminder",
                "after_session",
                "session_change",
                "check_in_due",
                "digest",
                name="nudge_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("occurrence_id", sa.Integer(), nullable=True),
        sa.Column("check_in_id", sa.Integer(), nullable=True),
        sa.Column("due_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "sent",
                "skipped",
                "failed",
                name="nudge_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_until", bot.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("sent_at", bot.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("reason", sa.String(length=40), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            bot.db.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            bot.db.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["booking.id"],
            name=op.f("fk_nudge_booking_id_booking"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["check_in_id"],
            ["check_in.id"],
            name=op.f("fk_nudge_check_in_id_check_in"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["occurrence_id"],
            ["occurrence.id"],
            name=op.f("fk_nudge_occurrence_id_occurrence"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_nudge_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nudge")),
        sa.UniqueConstraint("key", name=op.f("uq_nudge_key")),
    )
    with op.batch_alter_table("nudge", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_nudge_booking_id"), ["booking_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_nudge_check_in_id"), ["check_in_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_nudge_occurrence_id"), ["occurrence_id"], unique=False)
        batch_op.create_index("ix_nudge_person_status", ["person_id", "status"], unique=False)
        batch_op.create_index("ix_nudge_status_due_at", ["status", "due_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("nudge", schema=None) as batch_op:
        batch_op.drop_index("ix_nudge_status_due_at")
        batch_op.drop_index("ix_nudge_person_status")
        batch_op.drop_index(batch_op.f("ix_nudge_occurrence_id"))
        batch_op.drop_index(batch_op.f("ix_nudge_check_in_id"))
        batch_op.drop_index(batch_op.f("ix_nudge_booking_id"))

    op.drop_table("nudge")
