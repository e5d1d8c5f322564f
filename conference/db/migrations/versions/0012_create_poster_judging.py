"""create poster judging: judges' assignments with their scores, the judging switch, awards

Revision ID: 0012_poster_judging
Revises: 0011_poster_slots
Create Date: 2026-12-07 14:20:18.096316
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import conference.db.types

revision: str = "0012_poster_judging"
down_revision: str | None = "0011_poster_slots"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "poster_judging_settings",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("judging_open", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_poster_judging_settings_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", name=op.f("pk_poster_judging_settings")),
    )
    op.create_table(
        "poster_awards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poster_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("created_at", conference.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["poster_id"],
            ["posters.id"],
            name=op.f("fk_poster_awards_poster_id_posters"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_poster_awards")),
        sa.UniqueConstraint("poster_id", "title", name=op.f("uq_poster_awards_poster_id")),
    )
    with op.batch_alter_table("poster_awards", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_poster_awards_poster_id"), ["poster_id"], unique=False)

    op.create_table(
        "poster_judge_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("poster_id", sa.Integer(), nullable=False),
        sa.Column("judge_id", sa.Integer(), nullable=True),
        sa.Column("assigned_at", conference.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("content", sa.Integer(), nullable=True),
        sa.Column("clarity", sa.Integer(), nullable=True),
        sa.Column("design", sa.Integer(), nullable=True),
        sa.Column("presentation", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("scored_at", conference.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["judge_id"],
            ["users.id"],
            name=op.f("fk_poster_judge_assignments_judge_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_poster_judge_assignments_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["poster_id"],
            ["posters.id"],
            name=op.f("fk_poster_judge_assignments_poster_id_posters"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_poster_judge_assignments")),
        sa.UniqueConstraint(
            "poster_id", "judge_id", name=op.f("uq_poster_judge_assignments_poster_id")
        ),
    )
    with op.batch_alter_table("poster_judge_assignments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_poster_judge_assignments_judge_id"), ["judge_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_poster_judge_assignments_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_poster_judge_assignments_poster_id"), ["poster_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("poster_judge_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_poster_judge_assignments_poster_id"))
        batch_op.drop_index(batch_op.f("ix_poster_judge_assignments_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_poster_judge_assignments_judge_id"))

    op.drop_table("poster_judge_assignments")
    with op.batch_alter_table("poster_awards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_poster_awards_poster_id"))

    op.drop_table("poster_awards")
    op.drop_table("poster_judging_settings")
