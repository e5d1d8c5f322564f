"""add talk may_be_recorded

Revision ID: 0005_talk_recording
Revises: 0004_streaming
Create Date: 2026-11-22 04:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_talk_recording"
down_revision: str | None = "0004_streaming"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("talks") as batch_op:
        batch_op.add_column(
            sa.Column("may_be_recorded", sa.Boolean(), server_default=sa.true(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("talks") as batch_op:
        batch_op.drop_column("may_be_recorded")
