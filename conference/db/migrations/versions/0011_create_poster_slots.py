"""create poster slots

Revision ID: 0011_poster_slots
Revises: 0010_poster_talk
Create Date: 2026-12-07 14:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import conference.db.types

revision: str = "0011_poster_slots"
down_revision: str | None = "0010_poster_talk"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "poster_slots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poster_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", conference.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", conference.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", conference.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["poster_id"],
            ["posters.id"],
            name=op.f("fk_poster_slots_poster_id_posters"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_poster_slots")),
    )
    with op.batch_alter_table("poster_slots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_poster_slots_poster_id"), ["poster_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_poster_slots_starts_at"), ["starts_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("poster_slots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_poster_slots_starts_at"))
        batch_op.drop_index(batch_op.f("ix_poster_slots_poster_id"))

    op.drop_table("poster_slots")
