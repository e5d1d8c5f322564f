"""add recording owner

Revision ID: 0015_recording_owner
Revises: 0014_poster_gallery_indexes
Create Date: 2026-12-07 17:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_recording_owner"
down_revision: str | None = "0014_poster_gallery_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # What a recording belongs to when it is not a talk's ("poster:17": a narration);
    # existing recordings are the program's, so NULL.
    with op.batch_alter_table("recordings") as batch_op:
        batch_op.add_column(sa.Column("owner", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_recordings_owner"), ["owner"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("recordings") as batch_op:
        batch_op.drop_index(batch_op.f("ix_recordings_owner"))
        batch_op.drop_column("owner")
